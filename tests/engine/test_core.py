"""The neuron record, activations, spec round trips, batches, training."""
import json
import math

from hypothesis import given, settings
from hypothesis import strategies as st

import neuronet
from neuronet.engine import activations, passes
from neuronet.io import spec
from neuronet.engine.neuron import Neuron

XOR = {"name": "xor", "loss": "half_sse",
       "layers": [{"size": 2}, {"size": 3, "activation": "sigmoid"}, {"size": 1, "activation": "sigmoid"}],
       "init": {"seed": 1, "scheme": "uniform"}}
XOR_SAMPLES = ["--input", "0,0", "--target", "0", "--input", "0,1", "--target", "1",
               "--input", "1,0", "--target", "1", "--input", "1,1", "--target", "0"]


def test_neuron_is_the_dict_of_004_section_2_1():
    n = Neuron(desc="h0", z=0.5, a=0.62, b=0.01, w=[0.1, 0.2], delta=-0.03)
    # 004 §2.1's neuron: exactly these keys
    assert n.to_dict() == {"desc": "h0", "z": 0.5, "a": 0.62, "b": 0.01, "w": [0.1, 0.2], "delta": -0.03}
    assert not hasattr(n, "__dict__")       # slots=True: a record, not an open object


def test_sigmoid_and_softmax_do_not_overflow():
    assert activations.sigmoid(1000.0) == 1.0
    assert activations.sigmoid(-1000.0) == 0.0
    a = activations.softmax([1000.0, 1000.0, -1000.0])
    assert a == [0.5, 0.5, 0.0]
    # softmax Jacobian rows sum to 0 (Σ_n a_n = 1 is constant): an identity, not a value from the code
    a = activations.softmax([0.3, -1.2, 2.0])
    for k in range(3):
        assert abs(sum(activations.softmax_jacobian(a, n, k) for n in range(3))) < 1e-15


def test_xor_trains_below_001_from_a_fixed_seed(cli, tmp_path):
    (tmp_path / "xor.json").write_text(json.dumps(XOR))
    out = tmp_path / "trained.json"
    r = cli("train", tmp_path / "xor.json", *XOR_SAMPLES, "--lr", "2", "--epochs", "3000", "--out", out)
    assert r.returncode == 0, r.stderr
    net = neuronet.load(out)
    # independent of the printed "final loss": recompute ½SSE from the saved weights
    losses = []
    for x, y in (([0, 0], 0), ([0, 1], 1), ([1, 0], 1), ([1, 1], 0)):
        a = net.predict(x)[0]
        losses.append(0.5 * (a - y) ** 2)
        assert round(a) == y
    assert sum(losses) / 4 < 0.01


def test_one_sample_correct_equals_batch_apply(switch_spec):
    """004's in-place corrections (batch of one) and accumulate-then-apply agree."""
    a, b = neuronet.load(switch_spec), neuronet.load(switch_spec)
    passes.step(a, [[1, 0]], [[0, 1]], eta=0.5, eta_b=0.25)
    passes.forward(b, [1, 0]); passes.backward(b, [0, 1]); passes.accumulate(b)
    passes.apply(b, 0.5, 0.25, n=1)
    assert spec.to_dict(a) == spec.to_dict(b)


def test_batch_gradient_is_the_mean_or_sum_of_sample_gradients(switch_spec):
    net = neuronet.load(switch_spec)
    xs, ys = [[1, 0], [0, 1], [1, 1]], [[0, 1], [1, 0], [1, 1]]
    singles = [passes.gradients(net, [x], [y])[2] for x, y in zip(xs, ys)]
    L_mean, _, mean, _ = passes.gradients(net, xs, ys, "mean")
    L_sum, _, total, _ = passes.gradients(net, xs, ys, "sum")
    assert math.isclose(L_sum, 3 * L_mean)
    for l in range(3):
        for i, row in enumerate(mean[l]["weights"]):
            for j, g in enumerate(row):
                s = sum(single[l]["weights"][i][j] for single in singles)
                assert math.isclose(total[l]["weights"][i][j], s, rel_tol=1e-12, abs_tol=1e-18)
                assert math.isclose(g, s / 3, rel_tol=1e-12, abs_tol=1e-18)


def test_deltas_use_the_old_weights(switch_spec):
    """Every δ comes from the weights of the forward pass (004 §2.4's steps
    would correct w_jk first): backward() leaves all weights untouched."""
    net = neuronet.load(switch_spec)
    before = spec.to_dict(net)
    passes.forward(net, [1, 0]); passes.backward(net, [0, 1])
    assert spec.to_dict(net) == before


def test_lr_bias_zero_freezes_biases(cli, tmp_path):
    s = json.loads(json.dumps(XOR)); s["layers"][1]["biases"] = [0.1, 0.2, 0.3]
    (tmp_path / "n.json").write_text(json.dumps(s))
    r = cli("train", tmp_path / "n.json", *XOR_SAMPLES, "--lr", "1", "--lr-bias", "0", "--epochs", "5",
            "--out", tmp_path / "t.toml")
    assert r.returncode == 0, r.stderr
    t = neuronet.load(tmp_path / "t.toml")
    assert t.biases(1) == [0.1, 0.2, 0.3] and t.biases(2) == [0.0]
    assert t.weights(1) != neuronet.from_dict(s).weights(1)


finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)


@st.composite
def specs(draw):
    sizes = draw(st.lists(st.integers(1, 4), min_size=2, max_size=4))
    layers = [{"size": sizes[0], "activation": "identity"}]
    if draw(st.booleans()):
        layers[0]["biases"] = draw(st.lists(finite, min_size=sizes[0], max_size=sizes[0]))
    for l in range(1, len(sizes)):
        w = [draw(st.lists(finite, min_size=sizes[l], max_size=sizes[l])) for _ in range(sizes[l - 1])]
        layer = {"size": sizes[l], "activation": draw(st.sampled_from(["sigmoid", "tanh", "relu", "identity"]))}
        if draw(st.booleans()):
            layer["weights_to_from"] = [[w[i][j] for i in range(sizes[l - 1])] for j in range(sizes[l])]
        else:
            layer["weights"] = w
        layer["biases"] = draw(st.lists(finite, min_size=sizes[l], max_size=sizes[l]))
        if draw(st.booleans()):
            layer["labels"] = [f"n{l}_{j}" for j in range(sizes[l])]
        layers.append(layer)
    return {"name": draw(st.text(max_size=8)), "loss": draw(st.sampled_from(["half_sse", "bce", "mse"])),
            "layers": layers}


@settings(max_examples=60, deadline=None)
@given(specs(), st.sampled_from(["json", "toml"]))
def test_specs_round_trip_losslessly(tmp_path_factory, s, fmt):
    path = tmp_path_factory.mktemp("rt") / f"net.{fmt}"
    spec.save(neuronet.from_dict(s), path)
    again = spec.to_dict(neuronet.load(path))
    # what was written reads back to the same spec, layout and all
    expected = spec.to_dict(neuronet.from_dict(s))
    assert again == expected
    for l, layer in enumerate(s["layers"][1:], 1):
        key = "weights_to_from" if "weights_to_from" in layer else "weights"
        assert again["layers"][l][key] == layer[key]          # floats bit for bit
        assert again["layers"][l]["biases"] == layer["biases"]


def test_data_files(tmp_path):
    from neuronet.io import data
    (tmp_path / "d.csv").write_text("x1,x2,y1\n1,0,1\n0,1,0\n")
    assert data.read(str(tmp_path / "d.csv")) == ([[1.0, 0.0], [0.0, 1.0]], [[1.0], [0.0]])
    (tmp_path / "e.csv").write_text("5.1,3.5,1,0\n4.9,3.0,0,1\n")
    assert data.read(str(tmp_path / "e.csv"), targets=2) == ([[5.1, 3.5], [4.9, 3.0]], [[1.0, 0.0], [0.0, 1.0]])
    (tmp_path / "d.json").write_text('{"inputs": [[1, 0]], "targets": [[0, 1]]}')
    assert data.read(str(tmp_path / "d.json")) == ([[1.0, 0.0]], [[0.0, 1.0]])


def test_event_is_an_immutable_record_with_the_documented_fields():
    import json
    import pickle

    import pytest
    from neuronet.engine.events import Event
    e = Event("grad_w", 2, 0, 0.0037, (("delta", 0.0065), ("a", 0.5744)), source=1)
    assert (e.kind, e.layer, e.neuron, e.value, e.source) == ("grad_w", 2, 0, 0.0037, 1)
    assert e.terms == (("delta", 0.0065), ("a", 0.5744))
    assert e == Event("grad_w", 2, 0, 0.0037, (("delta", 0.0065), ("a", 0.5744)), 1, 0, "")
    assert (e.sample, e.note, e.term("a")) == (0, "", 0.5744)
    with pytest.raises(AttributeError):
        e.value = 1.0
    assert pickle.loads(pickle.dumps(e)) == e
    # the fast JSON line is the documented record, number for number
    assert json.loads(e.to_json()) == e.to_dict()
    loss = Event("loss", 3, -1, 0.5, (("L_0", 0.2), ("L_1", 0.3)), note="half_sse")
    assert json.loads(loss.to_json()) == loss.to_dict() and loss.terms == (("L_0", 0.2), ("L_1", 0.3))

def test_every_kind_of_sink_gets_every_event_in_order(switch_spec):
    """The traced pass calls a sink object through its bound __call__ (faster);
    whatever the kind of callable, it receives exactly what a plain function does."""
    from unittest import mock

    def run(sink):
        passes.step(neuronet.load(switch_spec), [[1.0, 0.0]], [[0.0, 1.0]], 0.5, emit=sink)

    seen = []
    run(seen.append)                                    # a builtin bound method

    class Method:                                       # __call__ defined in Python
        def __init__(self):
            self.got = []

        def __call__(self, event):
            self.got.append(event)

    class Inherited(Method):
        pass

    class Static:                                       # a staticmethod __call__ must not be bound
        got = []
        __call__ = staticmethod(lambda event: Static.got.append(event))

    for sink in (Method(), Inherited()):
        run(sink)
        assert sink.got == seen
    run(Static())
    assert Static.got == seen
    m = mock.Mock()
    run(m)
    assert [c.args[0] for c in m.call_args_list] == seen
    assert len(seen) == 148                             # 002's step: every term once (test_trace counts them)
