"""The reference step replayed in another number type, op by op.

These are the loops of :mod:`neuronet.engine.passes` (004 §2.3.1 forward,
§2.4.1 backward, the batch sums of 004 eq. 5) with one change: every number
a float32 (float16, bfloat16) backend would store is rounded to the type
with ``t.round`` — the inputs, weights and biases as the backend receives
them, each product, each partial sum, each activation, f′, δ, gradient sum
and the final 1/N.  With float64 (rounding the identity) they perform the
very operations of ``passes.gradients`` in the very order, so the results
are equal bit for bit (tests/check/test_precision_replay.py proves it over
random networks); that is what keeps this from drifting into a second
algorithm.

``order`` (a ``random.Random``) shuffles every summation order — the
forward sums, the backward sums, the sums over the batch — as another
correct backend (a GPU's tree reduction) would sum: the budgets of
:mod:`.budget` must hold for every order.

Speed: a product of two float32s is exact in float64, so a neuron's products
are formed and rounded in one bulk ``array('f', …)`` call; only the running
sum, whose every step depends on the last, is rounded one number at a time.
"""
from __future__ import annotations

import math
from itertools import repeat
from operator import add, mul

from ...engine import passes
from ...engine.activations import LEAKY_SLOPE, softmax as softmax64
from ...errors import NumericError
from .dtypes import DType


def _sum(t: DType, values, order=None) -> float:
    """Σ values, each partial sum rounded; float64 keeps the engine's
    left-to-right ``+=``."""
    if order is not None:
        values = list(values)
        order.shuffle(values)
    if t.running_sum is not None:
        return t.running_sum(values)
    r = t.round
    s = 0.0
    if t.exact:
        for v in values:
            s += v
        return s
    for v in values:
        s = r(s + v)
    return s


def _softmax(t: DType, zs, order=None) -> list[float]:
    if t.exact and order is None:
        return softmax64(zs)                     # the engine's own (its sum is Python's sum())
    r = t.round
    m = max(zs)
    es = [r(math.exp(r(z - m))) for z in zs]
    s = r(_sum(t.acc or t, es, order))           # a reduction: in the accumulator's type, if wider
    return [r(e / s) for e in es]


def _f(t: DType, act, z: float) -> float:
    if act.name in ("identity", "relu"):
        return act.f(z)                          # exact in any type
    if act.name == "leaky_relu":
        return z if z > 0.0 else t.round(t.round(LEAKY_SLOPE) * z)
    return t.round(act.f(z))                     # sigmoid, tanh: correctly rounded


def _fprime(t: DType, act, z: float, a: float) -> float:
    r = t.round
    if act.name == "sigmoid":
        return r(a * r(1.0 - a))
    if act.name == "tanh":
        return r(1.0 - r(a * a))
    if act.name == "leaky_relu":
        return 1.0 if z > 0.0 else r(LEAKY_SLOPE)
    return act.fprime(z, a)                      # identity, relu: 0 or 1


def _jacobian_deltas(t: DType, a, dL_da, order=None) -> list[float]:
    """δ_k = Σ_n ∂L/∂a_n · a_n(1[n = k] − a_k), every term rounded."""
    r = t.round
    out = []
    for k in range(len(a)):
        if t.exact and order is None:
            total = 0.0
            for n in range(len(a)):
                total += dL_da[n] * (a[n] * ((1.0 if n == k else 0.0) - a[k]))
            out.append(total)
        else:
            terms = [r(dL_da[n] * r(a[n] * r((1.0 if n == k else 0.0) - a[k]))) for n in range(len(a))]
            out.append(r(_sum(t.acc or t, terms, order)))
    return out


def _or_inf(fn, a, y) -> list[float]:
    """A log of 0 or a division by 0 in the type (a sigmoid rounded to 1 in
    bfloat16): the type's answer is inf, as a backend's would be."""
    try:
        return fn(a, y)
    except NumericError:
        return [math.inf] * len(a)


def run(net, xs, ys, reduction: str, t: DType, order=None) -> dict:
    """The batch step of ``net`` in type ``t``: the contract dict of
    :func:`neuronet.check.backends.compare.reference` plus the per-layer
    ``z``, ``activations`` and ``deltas`` ({layer: [sample][neuron]}).
    ``net`` is not changed."""
    r, r_all = t.round, t.round_all
    # the sums: in t, every partial sum rounded; or accumulated in the wider t.acc (a bfloat16
    # GEMM's float32 accumulator: products and partial sums in float32) and rounded to t once
    acc = t.acc if t.acc is not None else t
    p_all = acc.round_all
    n = len(xs)
    scale = r(passes.scale_of(n, reduction))
    layers, acts, loss = net.layers, net.activations, net.loss
    L_out = len(layers) - 1
    # what the backend receives, stored in its type: W[l][i][j] from neuron i of layer l to j of l + 1
    W = []
    for layer in layers[:-1]:
        W.append([r_all(nr.w) for nr in layer])
    cols = [[list(c) for c in zip(*Wl)] for Wl in W]          # cols[l][j]: the weights into neuron j of l + 1
    B = [r_all([nr.b for nr in layer]) for layer in layers]
    input_bias = net.input_bias
    first_delta = 0 if input_bias else 1
    zs = {l: [None] * n for l in range(len(layers))}
    As = {l: [None] * n for l in range(len(layers))}
    Ds = {l: [None] * n for l in range(first_delta, len(layers))}
    nabla_w = [[[0.0] * len(row) for row in Wl] for Wl in W]
    nabla_b = [[0.0] * len(layer) for layer in layers]
    total = 0.0
    samples = list(range(n))
    if order is not None:           # the sums over the batch in another order too
        order.shuffle(samples)
    for s in samples:
        x, y = r_all(xs[s]), r_all(ys[s])
        # forward — 004 §2.3.1
        z = [r(xi + bi) for xi, bi in zip(x, B[0])] if not t.exact else [xi + bi for xi, bi in zip(x, B[0])]
        a = _softmax(t, z, order) if acts[0].layerwise else [_f(t, acts[0], zi) for zi in z]
        Z, A = [z], [a]
        for l in range(L_out):
            f = acts[l + 1]
            z = []
            for j, col in enumerate(cols[l]):
                products = p_all(map(mul, col, a))             # exact in float64 → rounded once
                z.append(r(_sum(acc, products, order) + B[l + 1][j]))
            a = _softmax(t, z, order) if f.layerwise else [_f(t, f, zj) for zj in z]
            Z.append(z)
            A.append(a)
        # loss — the per-sample terms, then the batch total
        terms = r_all(_or_inf(loss.terms, a, y))
        L = sum(terms) if t.exact and order is None else _sum(t, terms, order)
        total = total + L if t.exact else r(total + L)
        # backward — 004 §2.4.1
        dL_da = r_all(_or_inf(loss.grad, a, y))
        f = acts[L_out]
        if f.layerwise:
            d = _jacobian_deltas(t, a, dL_da, order)
        else:
            d = [r(g * _fprime(t, f, zk, ak)) for g, zk, ak in zip(dL_da, Z[L_out], a)]
        D = {L_out: d}
        for l in range(L_out - 1, first_delta - 1, -1):
            f = acts[l]
            dsums = [r(_sum(acc, p_all(map(mul, d, row)), order)) for row in W[l]]
            if f.layerwise:
                d = _jacobian_deltas(t, A[l], dsums, order)
            else:
                d = [r(_fprime(t, f, zk, ak) * ds) for ds, zk, ak in zip(dsums, Z[l], A[l])]
            D[l] = d
        # the batch sums ∇w += δ_j a_i, ∇b += δ_j
        for l in range(L_out - 1, -1, -1):
            d = D[l + 1]
            for i, a_i in enumerate(A[l]):
                nabla_w[l][i] = p_all(map(add, nabla_w[l][i], p_all(map(mul, d, repeat(a_i)))))
        for l in range(L_out, first_delta - 1, -1):
            nabla_b[l] = p_all(map(add, nabla_b[l], D[l]))
        for l in range(len(layers)):
            zs[l][s] = Z[l]
            As[l][s] = A[l]
            if l in Ds:
                Ds[l][s] = D[l]
    grads = [{"weights": [r_all([g * scale for g in row]) for row in nabla_w[l - 1]],
              "biases": r_all([g * scale for g in nabla_b[l]])} for l in range(1, len(layers))]
    out = {"loss": r(total * scale), "outputs": list(As[L_out]), "gradients": grads,
           "z": zs, "activations": As, "deltas": Ds}
    if input_bias:
        out["input_biases"] = r_all([g * scale for g in nabla_b[0]])
    return out
