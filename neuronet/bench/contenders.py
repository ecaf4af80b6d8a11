"""The contenders of ``neuronet bench``: one SGD step, done each way.

A *contender* is one way of doing the same SGD step — forward, ½SSE loss,
backward, update; one sample, sigmoid everywhere after an identity input
layer — on the same network, sample and η:

==========================  ==================================================
``neuronet``                :func:`neuronet.engine.passes.step`, no hooks: the plain
                            pass, which has no tracing code at all
``neuronet-null-sink``      ``passes.step(..., emit=<a function that does
                            nothing>)``: the cost of *building* the events
``neuronet-jsonl``          tracing to JSON Lines on /dev/null
``floor``                   a tight hand-written loop over the same neuron
                            records (below): the floor for this design in
                            CPython
``matrix``                  the numpy backend, when numpy and
                            ``neuronet.check.backends.matrix`` import
``torch-float64``           the same MLP in torch, float64, when installed
``micrograd``               the same MLP on micrograd's scalar autograd, when
                            installed
``replay-float64``          the gradient by :func:`neuronet.check.precision.replay.run`
                            in float64 (the engine's loops, rounding the
                            identity), then the update
``replay-float32``          the same replay with every number rounded to
                            float32 — what ``verify --dtype float32`` adds
                            (its step equals the engine's to float32 rounding)
==========================  ==================================================

The timing is in :mod:`.harness`.  :func:`check` runs one step of
every contender from the same weights and returns their updated weights next
to the engine's — the tests use it to prove every copy computes the same
step.

This module never prints and imports neither rich nor numpy at import time.
"""
from __future__ import annotations

import math
import os
import random
import sys
from dataclasses import dataclass
from typing import Callable

from ..engine import passes
from ..io.spec import from_dict

ARCHS: dict[str, list[int]] = {
    "2-4-3-2": [2, 4, 3, 2],
    "64-32-10": [64, 32, 10],
    "784-200-100-10": [784, 200, 100, 10],
}
ETA = 0.5
SEED = 0


# ---------------------------------------------------------------------------
# the network and the sample every contender starts from
# ---------------------------------------------------------------------------

def spec_for(sizes: list[int], seed: int = SEED) -> dict:
    """A spec: identity input layer, sigmoid layers, ½SSE, Xavier weights."""
    layers = [{"size": sizes[0]}] + [{"size": n, "activation": "sigmoid"} for n in sizes[1:]]
    return {"name": "-".join(map(str, sizes)), "loss": "half_sse", "layers": layers,
            "init": {"seed": seed, "scheme": "xavier"}}


def sample_for(sizes: list[int], seed: int = SEED) -> tuple[list[float], list[float]]:
    """A fixed input in [0, 1) and a one-hot target (like an MNIST digit)."""
    rng = random.Random(seed + 1)
    x = [rng.random() for _ in range(sizes[0])]
    y = [0.0] * sizes[-1]
    y[rng.randrange(sizes[-1])] = 1.0
    return x, y


def start_weights(sizes: list[int], seed: int = SEED) -> list[tuple[list[list[float]], list[float]]]:
    """[(weights [from][to], biases)] for layers 1…L, as the spec builds them."""
    return weights_of(from_dict(spec_for(sizes, seed)))


def weights_of(net) -> list[tuple[list[list[float]], list[float]]]:
    return [(net.weights(l), net.biases(l)) for l in range(1, len(net.layers))]


# ---------------------------------------------------------------------------
# the floor: the tightest per-neuron loop over the same records
# ---------------------------------------------------------------------------

def floor_step(net, x, y, eta: float) -> float:
    """One SGD step written for speed over the same neuron records.

    Specialised where the engine is general: identity input layer, sigmoid
    inlined (no call), ½SSE's ∂L/∂a = a − y inlined, f' = a(1 − a), η·a hoisted
    out of the update loop.  The loops themselves are the engine's: pull each
    z over the source neurons, push δ back along each neuron's outgoing list,
    update each outgoing list in place.  (Variants tried and slower in
    CPython 3.11: (w, a) pairs or zip in the forward loop, pushing z
    forward, list comprehensions for the update.)
    """
    exp = math.exp
    layers = net.layers
    for neuron, xi in zip(layers[0], x):
        neuron.z = z = xi + neuron.b
        neuron.a = z
    for l in range(1, len(layers)):
        src = layers[l - 1]
        for j, dest in enumerate(layers[l]):
            z = 0.0
            for neuron in src:
                z += neuron.w[j] * neuron.a
            z += dest.b
            dest.z = z
            if z >= 0.0:
                dest.a = 1.0 / (1.0 + exp(-z))
            else:
                e = exp(z)
                dest.a = e / (1.0 + e)
    L = 0.0
    for neuron, yk in zip(layers[-1], y):
        a = neuron.a
        d = a - yk
        L += 0.5 * d * d
        neuron.delta = d * (a * (1.0 - a))
    for l in range(len(layers) - 2, 0, -1):
        deltas = [neuron.delta for neuron in layers[l + 1]]
        for neuron in layers[l]:
            s = 0.0
            for d, w in zip(deltas, neuron.w):
                s += d * w
            a = neuron.a
            neuron.delta = a * (1.0 - a) * s
    for l in range(len(layers) - 2, -1, -1):
        deltas = [neuron.delta for neuron in layers[l + 1]]
        for neuron in layers[l]:
            eta_a = eta * neuron.a
            w = neuron.w
            for k, d in enumerate(deltas):
                w[k] -= eta_a * d
    for l in range(1, len(layers)):
        for neuron in layers[l]:
            neuron.b -= eta * neuron.delta
    return L


# ---------------------------------------------------------------------------
# contenders
# ---------------------------------------------------------------------------

@dataclass
class Runner:
    """One contender set up on one network: ``step()`` does one SGD step,
    ``weights()`` reads back [(weights [from][to], biases)] per layer."""
    step: Callable[[], object]
    weights: Callable[[], list]
    close: Callable[[], None] = lambda: None


def _null(event) -> None:
    """The null sink: takes an event, does nothing."""


def jsonl_sink(stream):
    """A sink writing one JSON object per event to ``stream``: the project's
    JSONL renderer (neuronet.present.render.jsonl, behind `neuronet trace --format jsonl`)."""
    from ..present.render.jsonl import JsonlRenderer
    return JsonlRenderer(stream)


def _engine(sizes, x, y, eta, net=None, emit=None, kind="engine"):
    if net is None:
        net = from_dict(spec_for(sizes))
    close = lambda: None
    if kind == "engine":
        step = lambda: passes.step(net, [x], [y], eta, emit=emit)
    elif kind == "jsonl":
        stream = open(os.devnull, "w", encoding="utf-8")
        sink = jsonl_sink(stream)

        def step():
            loss = passes.step(net, [x], [y], eta, emit=sink)
            sink.flush()            # the renderer writes in blocks: a timed step ends with its last one
            return loss

        def close():
            sink.close()
            stream.close()
    else:
        step = lambda: floor_step(net, x, y, eta)
    return Runner(step, lambda: weights_of(net), close)


def _matrix(sizes, x, y, eta):
    from ..check.backends import matrix   # ImportError → row skipped
    return matrix_runner(matrix, sizes, x, y, eta)


def matrix_runner(matrix, sizes, x, y, eta):
    """The numpy backend's own step: ``Net.gradients`` on a batch of one, then
    W ← W − η∇W, b ← b − η∇b — the inner loop of ``matrix.train``."""
    import numpy as np
    from ..check.backends.params import parameters
    if not hasattr(matrix, "Net"):
        raise ImportError("neuronet.check.backends.matrix has no Net class", name="neuronet.check.backends.matrix")
    net = matrix.Net(parameters(spec_for(sizes)))
    X = net.batch(np.asarray([x], dtype=float))
    Y = net.batch(np.asarray([y], dtype=float))
    Ws, bs = net.W, net.b

    def step():
        L, _, gW, gb, _ = net.gradients(X, Y, "mean")
        for l in range(1, len(Ws)):
            gW[l] *= eta          # in place: no second 784×200 temporary (torch's p.sub_ does the same)
            Ws[l] -= gW[l]
            gb[l] *= eta
            bs[l] -= gb[l]
        return L

    return Runner(step, lambda: [(net.weights_from_to(l).tolist(), bs[l].tolist()) for l in range(1, len(Ws))])


def _torch(sizes, x, y, eta):
    import torch
    torch.set_num_threads(1)
    start = start_weights(sizes)
    Ws = [torch.tensor(W, dtype=torch.float64, requires_grad=True) for W, _ in start]
    bs = [torch.tensor(b, dtype=torch.float64, requires_grad=True) for _, b in start]
    xt = torch.tensor([x], dtype=torch.float64)
    yt = torch.tensor([y], dtype=torch.float64)

    def step():
        a = xt
        for W, b in zip(Ws, bs):
            a = torch.sigmoid(a @ W + b)          # z = a W + b, rows = samples
        L = 0.5 * ((a - yt) ** 2).sum()
        L.backward()
        with torch.no_grad():
            for p in (*Ws, *bs):
                p.sub_(p.grad, alpha=eta)      # p ← p − η·∇p in one in-place kernel
                p.grad = None
        return L.detach()

    return Runner(step, lambda: [(W.detach().tolist(), b.detach().tolist()) for W, b in zip(Ws, bs)])


def _replay(sizes, x, y, eta, dtype="float64"):
    """The typed replay's gradient on a batch of one, then w ← w − η∇w,
    b ← b − η∇b on the neuron records (in float64 for both types: the update
    is the same work, the replay's cost is what differs)."""
    from ..check.precision import dtypes, replay
    t = dtypes.get(dtype)
    net = from_dict(spec_for(sizes))

    def step():
        g = replay.run(net, [x], [y], "mean", t)
        layers = net.layers
        for l in range(1, len(layers)):
            gl = g["gradients"][l - 1]
            for neuron, row in zip(layers[l - 1], gl["weights"]):
                w = neuron.w
                for j, gj in enumerate(row):
                    w[j] -= eta * gj
            for neuron, gb in zip(layers[l], gl["biases"]):
                neuron.b -= eta * gb
        return g["loss"]

    return Runner(step, lambda: weights_of(net))


def _micrograd(sizes, x, y, eta):
    from micrograd.engine import Value

    from ..engine.activations import sigmoid as s

    def sigmoid(v):
        # micrograd has relu only; a sigmoid op written the way it writes relu
        out = Value(s(v.data), (v,), "sigmoid")

        def _backward():
            v.grad += out.data * (1.0 - out.data) * out.grad
        out._backward = _backward
        return out

    start = start_weights(sizes)
    Ws = [[[Value(w) for w in row] for row in W] for W, _ in start]
    bs = [[Value(v) for v in b] for _, b in start]
    params = [p for W in Ws for row in W for p in row] + [p for b in bs for p in b]

    def step():
        a = [Value(v) for v in x]
        for W, b in zip(Ws, bs):
            a = [sigmoid(sum((W[i][j] * a[i] for i in range(len(a))), b[j])) for j in range(len(b))]
        L = sum(0.5 * (ak - yk) ** 2 for ak, yk in zip(a, y))
        for p in params:
            p.grad = 0.0
        old = sys.getrecursionlimit()
        sys.setrecursionlimit(max(old, 20000))   # its topological sort recurses ~ depth of the graph
        try:
            L.backward()
        finally:
            sys.setrecursionlimit(old)
        for p in params:
            p.data -= eta * p.grad
        return L.data

    return Runner(step, lambda: [([[w.data for w in row] for row in W], [v.data for v in b])
                                 for W, b in zip(Ws, bs)])


@dataclass(frozen=True)
class Contender:
    name: str
    make: Callable          # (sizes, x, y, eta) -> Runner; may raise ImportError
    what: str


CONTENDERS: list[Contender] = [
    Contender("neuronet", lambda s, x, y, e, net=None: _engine(s, x, y, e, net), "passes.step, untraced"),
    Contender("neuronet-null-sink", lambda s, x, y, e, net=None: _engine(s, x, y, e, net, emit=_null),
              "passes.step(emit=a no-op)"),
    Contender("neuronet-jsonl", lambda s, x, y, e, net=None: _engine(s, x, y, e, net, kind="jsonl"),
              "tracing to JSON Lines on /dev/null"),
    Contender("floor", lambda s, x, y, e, net=None: _engine(s, x, y, e, net, kind="floor"),
              "tight hand-written per-neuron loop"),
    Contender("matrix", _matrix, "numpy backend"),
    Contender("torch-float64", _torch, "torch, float64, 1 thread"),
    Contender("micrograd", _micrograd, "micrograd scalar autograd + a sigmoid op"),
    Contender("replay-float64", _replay, "precision.replay in float64 (verify --dtype's loops)"),
    Contender("replay-float32", lambda s, x, y, e: _replay(s, x, y, e, "float32"),
              "precision.replay in float32 (verify --dtype float32)"),
]
LOW_PRECISION = {"replay-float32"}
"""Contenders whose step equals the engine's only to float32 rounding."""
SHARES_NET = {"neuronet", "floor"}
"""The untraced contenders over neuron records: in :func:`measure` they all
step one shared network, so the memory layout of the records (where the
weight lists and their floats lie, which differs from one built network to
another and changes as steps reallocate the floats) cannot favour any of
them.  The traced ones get networks of their own: a traced step allocates
every new weight between hundreds of thousands of events, scattering the
floats, and the untraced steps after it would pay for that in cache misses."""

NAMES = [c.name for c in CONTENDERS]


def available(names: list[str] | None = None) -> tuple[list[Contender], dict[str, str]]:
    """The contenders that can run here, and why the others cannot."""
    chosen = [c for c in CONTENDERS if names is None or c.name in names]
    ok, skipped = [], {}
    for c in chosen:
        try:
            c.make([2, 1, 1], [0.0, 0.0], [0.0], ETA).close()
        except ImportError as e:
            skipped[c.name] = f"not installed ({e.name or e})"
            continue
        ok.append(c)
    return ok, skipped


def check(sizes: list[int], contenders: list[Contender] | None = None, eta: float = ETA) -> dict:
    """One step of every contender from the same weights and sample.

    Returns ``{"neuronet": (loss, weights), name: (loss, weights), …}`` —
    compare each against ``"neuronet"`` (passes.step).
    """
    if contenders is None:
        contenders, _ = available()
    x, y = sample_for(sizes)
    out = {}
    for c in contenders:
        r = c.make(sizes, x, y, eta)
        L = r.step()
        out[c.name] = (float(L), r.weights())
        r.close()
    return out


