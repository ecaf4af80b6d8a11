"""004_69dfc149af69048d.txt §4.1.1: fitting a + bx + cx² + dx³ to sin x.

The text's numpy loop is one linear neuron: inputs x, x², x³; weights b, c,
d; bias a; loss Σ (y_pred − y)² summed over 2000 points; 2000 full-batch
steps with η = 1e-6.  Its printed result is y = 0.0237 + 0.8476x − 0.004x² −
0.0920x³; b and d are set by the data (a and c barely move from their random
start in 2000 steps, so they differ run to run, as in the text).

2000 steps × 2000 points is 4 million sample passes — minutes in the
per-neuron engine.  So the steps run in the numpy matrix backend when it is
installed, and otherwise through the *moments* of the data: for a linear
neuron with a summed squared loss the batch gradient is exactly
    ∂L/∂w_f = 2 Σ_n (w·φ_n + a − y_n) φ_nf = 2 (Σ_g w_g M_fg + a s_f − r_f)
with M_fg = Σ_n φ_nf φ_ng, s_f = Σ_n φ_nf, r_f = Σ_n φ_nf y_n — the same sum
regrouped, 16 numbers instead of 2000 rows.  Either way the first step is
checked against the per-neuron engine.
"""
from __future__ import annotations

import math

from ...engine import passes
from ...io import spec
from ...engine.events import Recorder
from ._common import matrix_backend, max_abs_diff, network, trace_of

PRINTED = {"a": 0.0237, "b": 0.8476, "c": -0.004, "d": -0.0920}      # 004 §4.1.1


def points(n: int):
    """x = linspace(−π, π, n) (numpy's formula), features (x, x², x³), target sin x."""
    xs, ys = [], []
    for k in range(n):
        x = -math.pi + (2.0 * math.pi) * k / (n - 1) if n > 1 else -math.pi
        if k == n - 1:
            x = math.pi                    # linspace puts the end point exactly
        xs.append([x, x * x, x * x * x])
        ys.append([math.sin(x)])
    return xs, ys


def moments_gradient(w, a, M, s, r, n):
    """(∂L/∂w, ∂L/∂a) of L = Σ_n (w·φ_n + a − y_n)² from the data moments."""
    gw = [2.0 * (sum(w[g] * M[f][g] for g in range(3)) + a * s[f] - r[f]) for f in range(3)]
    ga = 2.0 * (sum(w[g] * s[g] for g in range(3)) + a * n - r[3])
    return gw, ga


def fit_by_moments(net, xs, ys, eta, steps):
    n = len(xs)
    M = [[math.fsum(p[f] * p[g] for p in xs) for g in range(3)] for f in range(3)]
    s = [math.fsum(p[f] for p in xs) for f in range(3)]
    r = [math.fsum(p[f] * y[0] for p, y in zip(xs, ys)) for f in range(3)] + [math.fsum(y[0] for y in ys)]
    w = [net.layers[0][f].w[0] for f in range(3)]
    a = net.layers[1][0].b
    for _ in range(steps):
        gw, ga = moments_gradient(w, a, M, s, r, n)
        w = [w[f] - eta * gw[f] for f in range(3)]
        a = a - eta * ga
    return a, w


def run(w, options, report) -> None:
    p = w.params
    n, steps, eta = int(p.get("points", 2000)), int(p.get("steps", 2000)), float(p.get("eta", 1e-6))
    if options.epochs:
        steps = options.epochs
    reduction = p.get("reduction", "sum")
    net = network(w)
    xs, ys = points(n)
    start = spec.to_dict(net)           # the seeded start, weights written out
    b0, c0, d0 = (net.layers[0][f].w[0] for f in range(3))
    a0 = net.layers[1][0].b
    report.section("The neuron").lines += [
        "  y_pred = a + b·x + c·x² + d·x³: inputs (x, x², x³), weights (b, c, d), bias a",
        f"  start (seed {net.meta['init']['seed']}, N(0, 1)): a = {a0:.4f}, b = {b0:.4f}, c = {c0:.4f}, d = {d0:.4f}",
        f"  {n} points, {steps} steps of η = {eta:g} on the {reduction} of the per-point gradients",
    ]

    # one point through the per-neuron engine: ∂L/∂w = δ·a (004 eq. 57)
    rec = Recorder()
    passes.gradients(net, xs[:1], ys[:1], reduction="sum", emit=rec)
    report.section(f"One point, x = {xs[0][0]:.4f}: δ = 2(y_pred − y), ∂L/∂b = δ·x, ∂L/∂c = δ·x², "
                   "∂L/∂d = δ·x³, ∂L/∂a = δ").trace = trace_of(rec.events, w, net)

    # the first full step: per-neuron engine vs the fast path
    L0, _, g_engine, _ = passes.gradients(net, xs, ys, reduction)
    backend = matrix_backend()
    if backend is not None:
        trained, history = backend.train(start, xs, ys, eta, steps, reduction=reduction)
        one, _ = backend.train(start, xs, ys, eta, 1, reduction=reduction)
        first = [row[0] for row in one["layers"][1]["weights"]] + [one["layers"][1]["biases"][0]]
        a, bcd = trained["layers"][1]["biases"][0], [row[0] for row in trained["layers"][1]["weights"]]
        how = "the numpy matrix backend"
        final_loss = history[-1] if history else L0
    else:
        M_net = net.copy()
        a1, w1 = fit_by_moments(M_net, xs, ys, eta, 1)
        first = w1 + [a1]
        a, bcd = fit_by_moments(net.copy(), xs, ys, eta, steps)
        how = "the data moments (numpy absent)"
        final_loss = math.fsum((a + sum(wf * pf for wf, pf in zip(bcd, p_)) - y[0]) ** 2 for p_, y in zip(xs, ys))
    engine_first = [b0 - eta * g_engine[0]["weights"][f][0] for f, b0 in enumerate((b0, c0, d0))] + \
                   [a0 - eta * g_engine[0]["biases"][0]]
    diff = max_abs_diff(first, engine_first)
    report.notes.append(f"the 2000 steps ran in {how}")
    sec = report.section(f"2000 steps ({how}); step 1 checked against the per-neuron engine")
    sec.lines.append(f"  step 1, per-neuron engine vs {how}: largest difference {diff:.2e}")
    b, c, d = bcd
    sec.lines.append(f"  after {steps} steps: y = {a:.4f} + {b:.4f}x + {c:.4f}x² + {d:.4f}x³   "
                     f"(loss Σ(y_pred − y)² = {final_loss:.4f}, from {L0:.1f})")
    sec.lines.append("  004 §4.1.1 printed: y = 0.0237 + 0.8476x + −0.004x² − 0.0920x³")
    report.numbers.update({"a": a, "b": b, "c": c, "d": d, "loss": final_loss, "loss_start": L0,
                           "first_step_diff": diff, "how": how})
    report.check("step 1: fast path = per-neuron engine", diff, 0.0, 1e-9, "per-neuron reference")
    if steps == int(p.get("steps", 2000)):
        report.check("b", b, PRINTED["b"], 0.03, "004 §4.1.1 (b is set by the data)")
        report.check("d", d, PRINTED["d"], 0.005, "004 §4.1.1 (d is set by the data)")
