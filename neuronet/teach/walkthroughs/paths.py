"""000_e7be51513e122931.txt: the chain rule as a sum over paths.

000 writes ∂l/∂w¹₁,₁ as the sum of one product per path through the network
("Hidden Layer 1": 2^(n−k) paths, in a net 000 calls "4 layered").  Its list
has 4 = 2^(3−1), each path starting at ∂l/∂u³; through the softmax each u³
reaches l by both outputs, so the real graph from l has 8 = 2^(4−1) paths —
the text's formula with n = 4 counts those (re-examined: not a slip).
Here every path is enumerated over the actual graph, its factors are
multiplied, and the sum is compared with δ¹₁·x₁ — the one number the
backward pass stores — and with finite differences.  Starting the paths at
l itself (through o³ and the softmax Jacobian) doubles their number: each
u³_n reaches l through both outputs.

Then 000's sign: it writes the output error as (y − o), which for softmax +
cross-entropy is −∂l/∂u.  Taking one step "in the opposite direction" of
that (w ← w − η·(y − o)·o) climbs the loss; the descent step is
w ← w − η·(o − y)·o = w + η·(y − o)·o.
"""
from __future__ import annotations

import itertools

from ...check import gradcheck
from ...engine import passes
from ...engine.events import Recorder
from ._common import network, samples, trace_of
from ...present.numbers import fixed, fmt


def _sigma_prime(neuron) -> float:
    return neuron.a * (1.0 - neuron.a)


def enumerate_paths(net, x, y, i: int = 0, j: int = 0, from_loss: bool = False):
    """Every path from the loss to w¹_{i,j} in a 3-weight-layer network with a
    softmax + cross-entropy output, after a forward pass of ``x``.

    Returns a list of (nodes, factors) — the factors of one product each.
    With ``from_loss=False`` paths start at ∂l/∂u³_n = o³_n − y_n (as 000
    writes them); with ``True`` they start at ∂l/∂o³_p = −y_p/o³_p and pass
    through the softmax Jacobian ∂o³_p/∂u³_n = o³_p(1[p = n] − o³_n).
    """
    L1, L2, L3 = net.layers[1], net.layers[2], net.layers[3]
    o3 = [n.a for n in L3]
    out = []
    heads = []
    for n in range(len(L3)):
        if from_loss:
            for p in range(len(L3)):
                dl_do = -y[p] / o3[p]
                jac = o3[p] * ((1.0 if p == n else 0.0) - o3[n])
                heads.append((["l", f"o³_{p + 1}", f"u³_{n + 1}"], [dl_do, jac], n))
        else:
            heads.append((["l", f"u³_{n + 1}"], [o3[n] - y[n]], n))
    for (nodes, factors, n), m in itertools.product(heads, range(len(L2))):
        path_nodes = nodes + [f"o²_{m + 1}", f"u²_{m + 1}", f"o¹_{j + 1}", f"u¹_{j + 1}", f"w¹_{i + 1},{j + 1}"]
        path_factors = factors + [
            net.layers[2][m].w[n],          # ∂u³_n/∂o²_m = w³_{m,n}
            _sigma_prime(L2[m]),            # ∂o²_m/∂u²_m = σ'(u²_m)
            net.layers[1][j].w[m],          # ∂u²_m/∂o¹_j = w²_{j,m}
            _sigma_prime(L1[j]),            # ∂o¹_j/∂u¹_j = σ'(u¹_j)
            x[i],                           # ∂u¹_j/∂w¹_{i,j} = x_i
        ]
        out.append((path_nodes, path_factors))
    return out


def _product(values) -> float:
    p = 1.0
    for v in values:
        p *= v
    return p


def run(w, options, report) -> None:
    eta = float(w.params.get("eta", 0.5))
    net = network(w)
    xs, ys = samples(w, net)
    x, y = xs[0], ys[0]
    fd = {e.name: e.numeric for e in gradcheck.check(net.copy(), xs, ys)}
    rec = Recorder()
    L0, _, grads, _ = passes.gradients(net, xs, ys, emit=rec)
    report.section("Forward and loss (000 eq. 1: o^k_j = σ(Σ_i w^k_{i,j} o^{k−1}_i + b^k_j))").trace = \
        trace_of(rec.events, w, net, phases=("forward", "loss"))
    report.section("Backward, as the engine stores it (one δ = ∂l/∂u per neuron)").trace = \
        trace_of(rec.events, w, net, phases=("delta",))

    passes.forward(net, x)                      # the forward values the paths read
    paths = enumerate_paths(net, x, y)
    n_layers = len(net.layers) - 1          # the output layer's index: W_1 … W_n, input = layer 0
    sec = report.section(f"The {len(paths)} paths from ∂l/∂u³ to w¹₁,₁ (000: 2^(n−k) = "
                         f"2^({n_layers}−1) = {2 ** (n_layers - 1)})")
    sec.lines += [f"  n = {n_layers}: the output layer's index (000's W_1 … W_{n_layers}, o_1 … o_{n_layers}; the input X is "
                  "layer 0).",
                  f"  000 calls the net \"4 layered\"; with n = {n_layers + 1} its formula gives 2^{n_layers} = "
                  f"{2 ** n_layers}:",
                  "  the paths from l itself, through the softmax (below) — the real graph's count."]
    total = 0.0
    for nodes, factors in paths:
        p = _product(factors)
        total += p
        sec.lines.append("  " + " → ".join(nodes))
        sec.lines.append("      " + " · ".join(f"{fixed(f, 5)}" for f in factors) + f" = {fixed(p, 8, '+')}")
    delta1 = next(e.value for e in rec.events if e.kind == "delta" and e.layer == 1 and e.neuron == 0)
    engine = grads[0]["weights"][0][0]
    sec.lines.append(f"  sum of the products          = {fixed(total, 10, '+')}")
    sec.lines.append(f"  δ¹₁·x₁ = {fixed(delta1, 8)}·{fmt(x[0], 6)}   = {fixed(delta1 * x[0], 10, '+')}")
    sec.lines.append(f"  engine ∂l/∂w¹₁,₁             = {fixed(engine, 10, '+')}")
    sec.lines.append(f"  finite differences           = {fixed(fd['w[1][0][0]'], 10, '+')}")
    report.check("δ¹₁·x₁ = Σ over the 4 paths", delta1 * x[0], total, 1e-12, "000, Hidden Layer 1", kind="formula")
    report.check("Σ over the 4 paths vs finite differences", total, fd["w[1][0][0]"], 1e-8,
                 "finite differences (000 prints no numbers)", kind="fd")

    long_paths = enumerate_paths(net, x, y, from_loss=True)
    long_total = sum(_product(f) for _, f in long_paths)
    sec = report.section(f"Starting at l itself: {len(long_paths)} paths (each u³_n reaches l through o³_1 and o³_2)")
    zero = sum(1 for _, f in long_paths if _product(f) == 0.0)
    for nodes, factors in [p for p in long_paths if _product(p[1]) != 0.0][:2]:
        sec.lines.append("  " + " → ".join(nodes) + f"   = {fixed(_product(factors), 8, '+')}")
    sec.lines.append(f"  … and {len(long_paths) - 2} more ({zero} of them 0: ∂l/∂o³_p = −y_p/o³_p vanishes "
                     f"where y_p = 0); all {len(long_paths)} sum to {fixed(long_total, 10, '+')}, the same gradient")
    report.check("Σ over the 8 paths from l = ∂l/∂w¹₁,₁", long_total, engine, 1e-12, "000, paths through softmax", kind="engine")
    report.numbers.update({"paths": len(paths), "paths_from_l": len(long_paths), "sum": total,
                           "delta_x": delta1 * x[0], "loss": L0})

    # -- the sign of (y − o) -------------------------------------------------------
    o3 = [n.a for n in net.layers[3]]
    sec = report.section("000's (y − o) against the chain rule's (o − y)")
    sec.lines += [f"  o³ = ({fixed(o3[0], 6)}, {fixed(o3[1], 6)}),  y = ({fmt(y[0], 6)}, {fmt(y[1], 6)})",
                  f"  chain rule  ∂l/∂u³ = o³ − y = ({fixed(o3[0] - y[0], 6, '+')}, {fixed(o3[1] - y[1], 6, '+')})",
                  f"  000 writes  (y − o³)       = ({fixed(y[0] - o3[0], 6, '+')}, {fixed(y[1] - o3[1], 6, '+')})  — the negative"]
    results = {}
    for label, sign in (("descent with ∂l/∂w (o − y):       w ← w − η·∂l/∂w", 1.0),
                        ("000's (y − o) with w ← w − η·grad:  w ← w + η·∂l/∂w", -1.0)):
        trial = net.copy()
        for l, g in enumerate(grads, start=1):
            for i_, row in enumerate(g["weights"]):
                for j_, gij in enumerate(row):
                    trial.layers[l - 1][i_].w[j_] -= eta * sign * gij
            for j_, gb in enumerate(g["biases"]):
                trial.layers[l][j_].b -= eta * sign * gb
        passes.forward(trial, x)
        L1 = passes.loss(trial, y)
        results[sign] = L1
        sec.lines.append(f"  {label}:  l = {fixed(L0, 6)} → {fixed(L1, 6)}  ({'down' if L1 < L0 else 'UP'})")
    sec.lines.append("  So with 000's (y − o) the update must add: w ← w + η·(y − o)·oᵀ — 000 says "
                     "\"adjust the weight in the opposite direction\", which with its sign climbs.")
    report.target("loss falls after a descent step (1 = yes)", 1.0 if results[1.0] < L0 else 0.0, 1.0,
                  "the chain rule's o − y, stepped downhill")
    report.check("loss after a step against 000's (y − o) < before (1 = yes)", 1.0 if results[-1.0] < L0 else 0.0,
                 1.0, 0.0, "000, Introduction + Output Layer: the (y − o) sign slip", expect_agree=False, kind="formula")
    report.numbers.update({"loss_after_descent": results[1.0], "loss_after_text_sign": results[-1.0]})
