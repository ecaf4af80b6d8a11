"""The traced pass is the plain pass: bit for bit.

A trace must show the numbers the engine stores.  engine/traced.py is the
emitting twin of engine/passes.py (the plain 004 mirror); this test runs two
SGD steps on random networks (every activation × loss, batches 1–4, both
reductions, η ≠ η_b, input biases on and off) once with a sink and once
without, and demands identical bits in every weight, bias, z, a, δ and loss.
The independent source here is the plain pass itself: any drift in the
twin's arithmetic — a dropped 1/N, η where η_b belongs, a reordered product —
changes some bit and fails the test.
"""
import struct

import pytest

from hypothesis import given, settings
from hypothesis import strategies as st

import neuronet
from neuronet.engine import passes, traced
from strategies import problems


def bits(x: float) -> int:
    return struct.unpack("<q", struct.pack("<d", x))[0]


def state(net) -> list[int]:
    out = []
    for layer in net.layers:
        for n in layer:
            out += [bits(n.z), bits(n.a), bits(n.delta), bits(n.b), *map(bits, n.w)]
    return out


def two_steps(spec, xs, ys, eta, eta_b, reduction, emit):
    net = neuronet.from_dict(spec)
    losses = [passes.step(net, xs, ys, eta, eta_b, reduction, emit=emit) for _ in range(2)]
    return [bits(L) for L in losses], state(net)


@settings(max_examples=300, deadline=None)
@given(problems(), st.sampled_from(["mean", "sum"]),
       st.floats(0.01, 0.9), st.floats(0.01, 0.9))
def test_traced_step_stores_the_plain_steps_bits(problem, reduction, eta, eta_b):
    spec, xs, ys = problem
    if eta == eta_b:                      # η ≠ η_b, so swapping them is seen
        eta_b = eta / 2
    events = []
    try:
        plain = two_steps(spec, xs, ys, eta, eta_b, reduction, None)
    except neuronet.NumericError:         # log(0) etc.: both must refuse alike
        plain = "refused"
    try:
        traced = two_steps(spec, xs, ys, eta, eta_b, reduction, events.append)
    except neuronet.NumericError:
        traced = "refused"
    assert traced == plain
    if plain != "refused":
        assert events                     # the sink really was called
        # … and the trace's update events carry the stored numbers
        net = neuronet.from_dict(spec)
        rec = neuronet.Recorder()
        passes.step(net, xs, ys, eta, eta_b, reduction, emit=rec)
        last = {}
        for e in rec.of("update_w"):
            last[(e.layer, e.source, e.neuron)] = e.value
        for (l, i, j), v in last.items():
            assert bits(net.layers[l - 1][i].w[j]) == bits(v)


SWITCH = {"loss": "half_sse", "layers": [
    {"size": 2}, {"size": 3, "activation": "sigmoid", "weights": [[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]],
                  "biases": [0.1, 0.2, 0.3]},
    {"size": 2, "activation": "sigmoid", "weights": [[0.7, -0.8], [0.9, 0.15], [-0.25, 0.35]],
     "biases": [0.05, -0.05]}]}


@pytest.mark.parametrize("mutation, batch", [
    ("η instead of η_b in the one-sample bias step", 1),
    ("the batch gradient without its 1/N", 2),
])
def test_the_check_catches_a_bug_planted_in_the_traced_twin_only(monkeypatch, mutation, batch):
    xs, ys = [[1.0, 0.0], [0.0, 1.0]][:batch], [[0.0, 1.0], [1.0, 0.0]][:batch]
    plain = two_steps(SWITCH, xs, ys, 0.5, 0.2, "mean", None)
    assert two_steps(SWITCH, xs, ys, 0.5, 0.2, "mean", lambda e: None) == plain
    if batch == 1:
        orig = traced.correct
        monkeypatch.setattr(traced, "correct", lambda net, eta, eta_b, *a: orig(net, eta, eta, *a))
    else:
        orig = traced.apply
        monkeypatch.setattr(traced, "apply",
                            lambda net, eta, eta_b, n, red, scale, *a: orig(net, eta, eta_b, n, red, 1.0, *a))
    assert two_steps(SWITCH, xs, ys, 0.5, 0.2, "mean", lambda e: None) != plain
