"""The machinery behind ``neuronet bench``: one SGD step, timed side by side.

A *contender* is one way of doing the same SGD step — forward, ½SSE loss,
backward, update; one sample, sigmoid everywhere after an identity input
layer — on the same network, sample and η:

==========================  ==================================================
``neuronet``                :func:`neuronet.engine.passes.step`, no hooks (the fast
                            branches)
``neuronet-no-trace-code``  a copy of those fast branches with every line of
                            tracing code deleted (below) — what "tracing
                            costs nothing when off" is measured against
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
==========================  ==================================================

:func:`measure` interleaves the contenders round-robin (in a fresh random
order each round), so a slow drift of the machine lands on every contender
alike, and reports the median, min and max seconds per step; :func:`ratio`
compares two contenders round by round.  :func:`check` runs one step of
every contender from the same weights and returns their updated weights next
to the engine's — the tests use it to prove every copy computes the same
step.

This module never prints and imports neither rich nor numpy at import time.
"""
from __future__ import annotations

import gc
import json
import math
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
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
# the engine's fast branches with all tracing code deleted
# ---------------------------------------------------------------------------
# A line-for-line copy of neuronet/passes.py's `if not slow:` branches (and
# the code around them), minus _hooks, minus every `slow` test and every
# event.  Keep it in step with passes.py: the bench measures passes.step
# against it, and tests/test_bench.py checks the two give bit-identical
# weights.

def nt_forward(net, x) -> list[float]:
    layers = net.layers
    activations = net.activations
    inp = layers[0]
    f_in = activations[0]
    for neuron_index, neuron in enumerate(inp):                 # line 2
        z = x[neuron_index] + neuron.b                           # line 3
        neuron.z = z
        if not f_in.layerwise:
            neuron.a = f_in.f(z)                                 # line 4
    if f_in.layerwise:
        _nt_softmax(inp)
    for layer in range(len(layers) - 1):                         # line 8
        forward_layer = layer + 1                                # line 9
        src = layers[layer]
        dst = layers[forward_layer]
        f = activations[forward_layer]
        for forward_neuron, dest in enumerate(dst):              # line 10
            z = 0.0                                              # line 11
            for neuron in src:                                   # line 12
                z += neuron.w[forward_neuron] * neuron.a         # line 13
            z += dest.b                                          # line 14 (destination's bias)
            dest.z = z                                           # line 16
            if not f.layerwise:
                dest.a = f.f(z)                                  # line 17
        if f.layerwise:
            _nt_softmax(dst)
    return [neuron.a for neuron in layers[-1]]


def _nt_softmax(layer_neurons):
    from ..engine.activations import softmax
    a = softmax([n.z for n in layer_neurons])
    for index, neuron in enumerate(layer_neurons):
        neuron.a = a[index]


def nt_loss(net, y) -> float:
    a = [neuron.a for neuron in net.layers[-1]]
    return sum(net.loss.terms(a, y))


def nt_backward(net, y) -> None:
    layers = net.layers
    activations = net.activations
    output_layer = len(layers) - 1                               # line 7
    out = layers[output_layer]
    f = activations[output_layer]
    a = [neuron.a for neuron in out]
    dL_da = net.loss.grad(a, y)
    if f.layerwise:
        _nt_softmax_deltas(out, dL_da)
    else:
        fp = f.fprime
        for neuron_index, neuron in enumerate(out):              # line 11
            neuron.delta = dL_da[neuron_index] * fp(neuron.z, neuron.a)   # line 15
    last = 0 if net.input_bias else 1
    for hidden_layer in range(output_layer - 1, last - 1, -1):   # line 20
        forward_layer = hidden_layer + 1                         # line 21
        hidden = layers[hidden_layer]
        forward_deltas = [neuron.delta for neuron in layers[forward_layer]]
        f = activations[hidden_layer]
        dsums = []
        for neuron_index, neuron in enumerate(hidden):           # line 22
            dsum = 0.0                                           # line 23
            for delta_forward, w in zip(forward_deltas, neuron.w):   # lines 24–26
                dsum += delta_forward * w                        # line 27
            if f.layerwise:
                dsums.append(dsum)
            else:
                neuron.delta = f.fprime(neuron.z, neuron.a) * dsum   # line 29
        if f.layerwise:
            _nt_softmax_deltas(hidden, dsums)


def _nt_softmax_deltas(layer_neurons, dL_da):
    from ..engine.activations import softmax_jacobian
    a = [neuron.a for neuron in layer_neurons]
    deltas = []
    for k in range(len(layer_neurons)):
        total = 0.0
        for n in range(len(layer_neurons)):
            total += dL_da[n] * softmax_jacobian(a, n, k)
        deltas.append(total)
    for k, neuron in enumerate(layer_neurons):
        neuron.delta = deltas[k]


def nt_correct(net, eta: float, eta_b: float | None = None) -> None:
    if eta_b is None:
        eta_b = eta
    layers = net.layers
    output_layer = len(layers) - 1
    for layer in range(output_layer - 1, -1, -1):                # line 35
        forward_deltas = [neuron.delta for neuron in layers[layer + 1]]
        for neuron_index, neuron in enumerate(layers[layer]):    # line 36
            a = neuron.a                                         # line 38
            w = neuron.w
            eta_a = eta * a                                      # line 41's η·a, once
            for forward_neuron, delta in enumerate(forward_deltas):   # lines 39–40
                w[forward_neuron] -= eta_a * delta               # line 41
    start = 0 if net.input_bias else 1
    for layer in range(output_layer, start - 1, -1):             # lines 16 and 37
        for neuron_index, neuron in enumerate(layers[layer]):
            neuron.b -= eta_b * neuron.delta


def nt_step(net, x, y, eta: float) -> float:
    """passes.step for a batch of one, with no tracing code at all."""
    nt_forward(net, x)
    L = nt_loss(net, y)
    nt_backward(net, y)
    nt_correct(net, eta)
    return L


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
        step = lambda: passes.step(net, [x], [y], eta, emit=sink)
        close = stream.close
    elif kind == "no-trace":
        step = lambda: nt_step(net, x, y, eta)
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
    Contender("neuronet-no-trace-code", lambda s, x, y, e, net=None: _engine(s, x, y, e, net, kind="no-trace"),
              "the same passes with tracing code deleted"),
    Contender("neuronet-null-sink", lambda s, x, y, e, net=None: _engine(s, x, y, e, net, emit=_null),
              "passes.step(emit=a no-op)"),
    Contender("neuronet-jsonl", lambda s, x, y, e, net=None: _engine(s, x, y, e, net, kind="jsonl"),
              "tracing to JSON Lines on /dev/null"),
    Contender("floor", lambda s, x, y, e, net=None: _engine(s, x, y, e, net, kind="floor"),
              "tight hand-written per-neuron loop"),
    Contender("matrix", _matrix, "numpy backend"),
    Contender("torch-float64", _torch, "torch, float64, 1 thread"),
    Contender("micrograd", _micrograd, "micrograd scalar autograd + a sigmoid op"),
]
SHARES_NET = {"neuronet", "neuronet-no-trace-code", "floor"}
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


# ---------------------------------------------------------------------------
# timing
# ---------------------------------------------------------------------------

@dataclass
class Plan:
    """How many interleaved rounds per architecture, how long one timed
    measurement should last at least (small steps are repeated inside it),
    and per-contender caps on rounds (for contenders that take seconds)."""
    archs: list[str]
    rounds: dict[str, int]
    min_time: float = 0.005
    caps: dict[tuple[str, str], int] = field(default_factory=dict)


def plan(quick: bool, archs: list[str] | None = None, runs: int | None = None) -> Plan:
    archs = archs or list(ARCHS)
    if quick:
        rounds = {"2-4-3-2": 15, "64-32-10": 11, "784-200-100-10": 15}
        caps = {("784-200-100-10", "neuronet-jsonl"): 3, ("784-200-100-10", "neuronet-null-sink"): 3,
                ("784-200-100-10", "micrograd"): 1}
        min_time = 0.05
    else:
        rounds = {"2-4-3-2": 41, "64-32-10": 31, "784-200-100-10": 31}
        caps = {("784-200-100-10", "neuronet-jsonl"): 5, ("784-200-100-10", "neuronet-null-sink"): 7,
                ("784-200-100-10", "micrograd"): 1}
        min_time = 0.05
    if runs is not None:
        rounds = {a: runs for a in archs}
        caps = {k: min(v, runs) for k, v in caps.items()}
    return Plan(archs, {a: rounds.get(a, 9) for a in archs}, min_time, caps)


WARM_BELOW = 0.2   # seconds: below this a contender gets an untimed warm-up step per measurement


def runs_of(p: Plan, arch: str, name: str) -> int:
    return min(p.rounds[arch], p.caps.get((arch, name), p.rounds[arch]))


def _timed(runner: Runner, inner: int, warm: bool) -> float:
    """Seconds per step over ``inner`` steps.

    Before the clock starts: a full garbage collection, so no contender pays
    for another's cyclic garbage (the collector stays on while timing: the
    collections a contender's own garbage triggers are part of its cost —
    micrograd's graph is cyclic, and collecting it is most of its step), and,
    with ``warm``, one untimed step, so the measurement does not include the
    cache misses left by whichever contender ran before.
    """
    step = runner.step
    gc.collect()
    if warm:
        step()
    t0 = time.perf_counter()
    for _ in range(inner):
        step()
    return (time.perf_counter() - t0) / inner


def measure(p: Plan, contenders: list[Contender], progress: Callable | None = None,
            eta: float = ETA, rounds_out: dict | None = None) -> list[dict]:
    """Time every contender on every architecture of the plan.

    Per architecture: build every runner, time one step of each (which sets
    how many steps one measurement repeats so it lasts at least
    ``p.min_time``), then run rounds; every round runs the contenders in a
    fresh random order (seeded), so none always follows the same neighbour —
    a numpy step, say, that leaves the cache cold.  Contenders faster than
    ``WARM_BELOW`` take one untimed step before each measurement.  ``progress(arch, contender, done, total)`` is called after
    each measurement.  ``rounds_out``, when given, receives
    ``{(arch, contender): {round: seconds}}`` for :func:`ratio`.
    """
    rows = []
    total = sum(runs_of(p, a, c.name) + 1 for a in p.archs for c in contenders)   # + 1: the warm-up
    done = 0
    for arch in p.archs:
        sizes = ARCHS[arch]
        x, y = sample_for(sizes)
        runs = {c.name: runs_of(p, arch, c.name) for c in contenders}
        # a capped contender runs in rounds spread evenly over the run
        when = {name: {(i * p.rounds[arch]) // n for i in range(n)} for name, n in runs.items()}
        active = [c for c in contenders if runs[c.name] > 0]
        runners, inner, warm, times = {}, {}, {}, {}
        shared = from_dict(spec_for(sizes))
        for c in active:
            if progress:
                progress(arch, c.name, done, total)
            if c.name in SHARES_NET:
                r = runners[c.name] = c.make(sizes, x, y, eta, net=shared)
            else:
                r = runners[c.name] = c.make(sizes, x, y, eta)
            t = _timed(r, 1, False) if runs[c.name] > 1 else 0.0   # first step (skipped for a single run)
            inner[c.name] = max(1, min(10_000, int(p.min_time / t) if t > 0 else 1))
            warm[c.name] = 0.0 < t < WARM_BELOW
            times[c.name] = []
            done += 1
        # Everything built so far (runners, networks, imported modules) is
        # long-lived: freeze it out of the collector's sight, so the full
        # collection before each measurement stays cheap and a contender's
        # own collections scan only its own new objects.
        gc.collect()
        gc.freeze()
        shuffle = random.Random(SEED).shuffle
        for rnd in range(p.rounds[arch]):
            order = list(active)
            shuffle(order)
            for c in order:
                if rnd not in when[c.name]:
                    continue
                if progress:
                    progress(arch, c.name, done, total)
                t = _timed(runners[c.name], inner[c.name], warm[c.name])
                times[c.name].append(t)
                if rounds_out is not None:
                    rounds_out.setdefault((arch, c.name), {})[rnd] = t
                done += 1
        gc.unfreeze()
        for c in active:
            runners[c.name].close()
            ts = times[c.name]
            rows.append({"arch": arch, "contender": c.name, "median_s": statistics.median(ts),
                         "min_s": min(ts), "max_s": max(ts), "runs": len(ts)})
        if progress:
            progress(arch, "", done, total)
    return rows


# ---------------------------------------------------------------------------
# ratios and targets
# ---------------------------------------------------------------------------

def median(rows, arch, contender) -> float | None:
    for r in rows:
        if r["arch"] == arch and r["contender"] == contender:
            return r["median_s"]
    return None


def ratio(rows, arch, a, b, rounds: dict | None = None) -> float | None:
    """How many times slower ``a`` is than ``b`` on ``arch``.

    With ``rounds`` (from :func:`measure`): the median of the per-round
    ratios over the rounds in which both ran — each round runs the two back
    to back, so drift of a shared machine cancels pairwise (a contender timed
    once is compared with what the other did in that same round).  Without,
    the ratio of the medians.
    """
    if rounds is not None:
        ra, rb = rounds.get((arch, a), {}), rounds.get((arch, b), {})
        both = sorted(set(ra) & set(rb))
        if both:
            return statistics.median(ra[k] / rb[k] for k in both)
    ta, tb = median(rows, arch, a), median(rows, arch, b)
    return ta / tb if ta is not None and tb else None


TARGETS = [
    # (what, arch, numerator, denominator, limit): ratio(num, den) ≤ limit
    ("untraced engine ≤ 1.15× floor", "784-200-100-10", "neuronet", "floor", 1.15),
    ("no sink ≤ 1.03× no trace code", "784-200-100-10", "neuronet", "neuronet-no-trace-code", 1.03),
    ("null sink ≤ 3× untraced", "784-200-100-10", "neuronet-null-sink", "neuronet", 3.0),
    ("JSONL ≤ 10× untraced", "784-200-100-10", "neuronet-jsonl", "neuronet", 10.0),
    ("matrix ≤ torch float64", "784-200-100-10", "matrix", "torch-float64", 1.0),
]
# (what, arch, numerator, denominator, limit): ratio(num, den) ≥ limit
TARGETS_AT_LEAST = [
    ("≥ 200× faster than micrograd", "784-200-100-10", "micrograd", "neuronet", 200.0),
]


def targets(rows, memory: dict | None = None, rounds: dict | None = None) -> list[dict]:
    """Each target with its measured ratio (None when a contender is missing)."""
    out = []
    for what, arch, a, b, limit in TARGETS:
        r = ratio(rows, arch, a, b, rounds)
        out.append({"target": what, "arch": arch, "ratio": r, "limit": limit,
                    "met": None if r is None else r <= limit})
    for what, arch, a, b, limit in TARGETS_AT_LEAST:
        r = ratio(rows, arch, a, b, rounds)
        out.append({"target": what, "arch": arch, "ratio": r, "limit": limit,
                    "met": None if r is None else r >= limit})
    if memory and memory.get("arch") == "784-200-100-10":
        mb = memory["peak_rss_mb"]
        out.append({"target": "784-200-100-10 held in < 60 MB RSS", "arch": memory["arch"],
                    "ratio": mb, "limit": 60.0, "met": mb < 60.0})
    return out


# ---------------------------------------------------------------------------
# memory and machine
# ---------------------------------------------------------------------------

_PROBE = r"""
import json, os, resource, sys
def rss():
    # VmHWM: this process's peak RSS.  (getrusage's ru_maxrss is kept across
    # exec on Linux, so a child would report its parent's peak.)
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024   # KiB on Linux
from neuronet.bench import harness as bench
from neuronet.engine import passes
from neuronet.io.spec import from_dict
sizes = bench.ARCHS[sys.argv[1]]
x, y = bench.sample_for(sizes)
base = rss()
net = from_dict(bench.spec_for(sizes))
passes.step(net, [x], [y], bench.ETA)          # every weight now its own float object
held = rss()
out = {"arch": sys.argv[1], "baseline_rss_mb": base, "peak_rss_mb": held}
if sys.argv[2] == "1":
    with open(os.devnull, "w") as stream:
        passes.step(net, [x], [y], bench.ETA, emit=bench.jsonl_sink(stream))
    out["peak_rss_after_jsonl_step_mb"] = rss()
print(json.dumps(out))
"""


def memory_probe(arch: str = "784-200-100-10", jsonl: bool = True) -> dict:
    """Peak RSS (MB) of a fresh interpreter holding the network (after one
    step), measured in a subprocess from /proc/self/status VmHWM; with ``jsonl`` also
    after one step traced to JSON Lines (flat memory: it should not grow)."""
    out = subprocess.run([sys.executable, "-c", _PROBE, arch, "1" if jsonl else "0"],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def machine() -> dict:
    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    info = {"cpu": cpu, "cores": os.cpu_count(),
            "python": f"{platform.python_implementation()} {platform.python_version()}",
            "platform": platform.platform(),
            "time_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    try:
        info["loadavg"] = list(os.getloadavg())
    except OSError:
        pass
    for mod in ("numpy", "torch", "micrograd"):
        try:
            from importlib.metadata import version
            info[mod] = version(mod)
        except Exception:
            pass
    return info
