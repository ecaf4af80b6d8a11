"""004_69dfc149af69048d.txt §4.1.1: fitting a + bx + cx² + dx³ to sin x.

The text's numpy loop is one linear neuron: inputs x, x², x³; weights b, c,
d; bias a; loss Σ (y_pred − y)² summed over 2000 points; 2000 full-batch
steps with η = 1e-6.  Its printed result is y = 0.0237 + 0.8476x − 0.004x² −
0.0920x³ from an unseeded np.random.randn() start, so the walkthrough checks
those four numbers against the *spread* of seeded runs, not one run.

What 2000 steps do (measured here, not assumed): the points are symmetric
about 0, so Σx^odd = 0 and the even pair (a, c) and the odd pair (b, d) move
independently.  Each pair shrinks its distance from the least-squares cubic
(a* = c* = 0, b* ≈ 0.857, d* ≈ −0.093) to at most ~3% (a, c) and ~1.6%
(b, d) of where it started — a = 1 falls to about 0.031.  Neither pair
"stays put"; what differs is the size of the left-over relative to the
coefficient: a few hundredths is all of a and c, and 2% of b.

2000 steps × 2000 points is 4 million sample passes — minutes in the
per-neuron engine.  So the steps run in the numpy matrix backend when it is
installed, and otherwise through the *moments* of the data: for a linear
neuron with a summed squared loss the batch gradient is exactly
    ∂L/∂w_f = 2 Σ_n (w·φ_n + a − y_n) φ_nf = 2 (Σ_g w_g M_fg + a s_f − r_f)
with M_fg = Σ_n φ_nf φ_ng, s_f = Σ_n φ_nf, r_f = Σ_n φ_nf y_n — the same sum
regrouped, 16 numbers instead of 2000 rows.  Either way the first step is
checked against the per-neuron engine.  The steps are linear in the start
θ₀ = (a, b, c, d), so 2000 of them are θ = P·θ₀ + q; P and q come from
running the moment steps on five starts, and the seeded spread is P·θ₀ + q
for each seed's θ₀ (checked against the direct run).
"""
from __future__ import annotations

import math
import random
import statistics

from ...engine import passes
from ...io import spec
from ...engine.events import Recorder
from ._common import matrix_backend, max_abs_diff, network, trace_of
from ...present.numbers import fixed, fmt

def printed_result(w) -> dict:
    """004 §4.1.1's printed a, b, c, d, from the data file beside the
    walkthrough (params.printed, printed.toml)."""
    from ...errors import DataError
    from ...io import files
    path = w.path(w.params.get("printed", "printed.toml"))
    doc = files.parse_toml(files.read_text(path, DataError, "printed-numbers file"), DataError, str(path))
    try:
        out = {k: doc["result"][k] for k in "abcd"}
        for v in out.values():
            float(v)
        return out
    except (KeyError, TypeError, ValueError):
        raise DataError("needs [result] with a, b, c, d (as printed, in quotes)", source=str(path)) from None


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


def moments(xs, ys):
    """The data's moments with a constant feature first: φ = (1, x, x², x³).
    Returns (M, r): M_fg = Σ_n φ_nf φ_ng, r_f = Σ_n φ_nf y_n (math.fsum)."""
    phis = [[1.0] + list(p) for p in xs]
    M = [[math.fsum(ph[f] * ph[g] for ph in phis) for g in range(4)] for f in range(4)]
    r = [math.fsum(ph[f] * y[0] for ph, y in zip(phis, ys)) for f in range(4)]
    return M, r


def moment_steps(theta, M, r, eta, steps):
    """``steps`` full-batch steps on θ = (a, b, c, d) of L = Σ_n (θ·φ_n − y_n)²:
    ∂L/∂θ_f = 2 (Σ_g M_fg θ_g − r_f), the text's grad_a … grad_d regrouped."""
    th = list(theta)
    for _ in range(steps):
        g = [2.0 * (sum(M[f][k] * th[k] for k in range(4)) - r[f]) for f in range(4)]
        th = [th[f] - eta * g[f] for f in range(4)]
    return th


def step_map(M, r, eta, steps):
    """(P, q) with moment_steps(θ₀) = P·θ₀ + q (the steps are affine in θ₀)."""
    q = moment_steps([0.0] * 4, M, r, eta, steps)
    cols = []
    for k in range(4):
        e = [1.0 if i == k else 0.0 for i in range(4)]
        t = moment_steps(e, M, r, eta, steps)
        cols.append([t[i] - q[i] for i in range(4)])
    P = [[cols[k][i] for k in range(4)] for i in range(4)]
    return P, q


def apply(P, q, theta):
    return [math.fsum(P[i][k] * theta[k] for k in range(4)) + q[i] for i in range(4)]


def solve(M, r):
    """M·θ = r by Gaussian elimination with partial pivoting (4×4): the
    least-squares cubic the steps approach."""
    n = len(r)
    A = [list(M[i]) + [r[i]] for i in range(n)]
    for c in range(n):
        piv = max(range(c, n), key=lambda i: abs(A[i][c]))
        A[c], A[piv] = A[piv], A[c]
        for i in range(c + 1, n):
            f = A[i][c] / A[c][c]
            A[i] = [A[i][k] - f * A[c][k] for k in range(n + 1)]
    th = [0.0] * n
    for i in range(n - 1, -1, -1):
        th[i] = (A[i][n] - sum(A[i][k] * th[k] for k in range(i + 1, n))) / A[i][i]
    return th


def largest_stretch(B) -> float:
    """The largest singular value of a 2×2 matrix: the most any start's
    distance can be kept by B."""
    a, b, c, d = B[0][0], B[0][1], B[1][0], B[1][1]
    s1 = a * a + b * b + c * c + d * d
    det = a * d - b * c
    return math.sqrt((s1 + math.sqrt(max(s1 * s1 - 4 * det * det, 0.0))) / 2)


def randn4(seed: int) -> list[float]:
    """(a, b, c, d) ~ N(0, 1), drawn in the text's order (004 lines 7–10:
    a = np.random.randn() … d = np.random.randn()), from random.Random(seed)."""
    rng = random.Random(seed)
    return [rng.gauss(0.0, 1.0) for _ in range(4)]


def _left(theta, start, opt, idx) -> float:
    now = math.hypot(*(theta[i] - opt[i] for i in idx))
    then = math.hypot(*(start[i] - opt[i] for i in idx))
    return now / then if then else 0.0


def run(w, options, report) -> None:
    p = w.params
    n, steps, eta = int(p.get("points", 2000)), int(p.get("steps", 2000)), float(p.get("eta", 1e-6))
    full = not options.epochs or options.epochs == steps
    if options.epochs:
        steps = options.epochs
    reduction = p.get("reduction", "sum")
    n_seeds = int(p.get("spread_seeds", 200))
    net = network(w)
    xs, ys = points(n)
    seed = int(net.meta["init"]["seed"])
    a0, b0, c0, d0 = randn4(seed)
    for f, v in enumerate((b0, c0, d0)):
        net.layers[0][f].w[0] = v
    net.layers[1][0].b = a0
    start = spec.to_dict(net)           # the seeded start, weights written out
    report.section("The neuron").lines += [
        "  y_pred = a + b·x + c·x² + d·x³: inputs (x, x², x³), weights (b, c, d), bias a",
        f"  start: a, b, c, d ~ N(0, 1) like the text's np.random.randn(), drawn with random.Random({seed}):",
        f"         a = {fixed(a0, 4)}, b = {fixed(b0, 4)}, c = {fixed(c0, 4)}, d = {fixed(d0, 4)}",
        f"  {n} points, {steps} steps of η = {fmt(eta, 6)} on the {reduction} of the per-point gradients",
    ]

    # one point through the per-neuron engine: ∂L/∂w = δ·a (004 eq. 57)
    rec = Recorder()
    passes.gradients(net, xs[:1], ys[:1], reduction="sum", emit=rec)
    report.section(f"One point, x = {fixed(xs[0][0], 4)}: δ = 2(y_pred − y), ∂L/∂b = δ·x, ∂L/∂c = δ·x², "
                   "∂L/∂d = δ·x³, ∂L/∂a = δ").trace = trace_of(rec.events, w, net)

    # the first full step: per-neuron engine vs the fast path
    L0, _, g_engine, _ = passes.gradients(net, xs, ys, reduction)
    M, r = moments(xs, ys)
    backend = matrix_backend()
    if backend is not None:
        trained, history = backend.train(start, xs, ys, eta, steps, reduction=reduction)
        one, _ = backend.train(start, xs, ys, eta, 1, reduction=reduction)
        first = [row[0] for row in one["layers"][1]["weights"]] + [one["layers"][1]["biases"][0]]
        a, bcd = trained["layers"][1]["biases"][0], [row[0] for row in trained["layers"][1]["weights"]]
        how = "the numpy matrix backend"
        final_loss = history[-1] if history else L0
    else:
        t1 = moment_steps([a0, b0, c0, d0], M, r, eta, 1)
        first = t1[1:] + t1[:1]
        t = moment_steps([a0, b0, c0, d0], M, r, eta, steps)
        a, bcd = t[0], t[1:]
        how = "the data moments (numpy absent)"
        final_loss = math.fsum((a + sum(wf * pf for wf, pf in zip(bcd, p_)) - y[0]) ** 2 for p_, y in zip(xs, ys))
    engine_first = [v - eta * g_engine[0]["weights"][f][0] for f, v in enumerate((b0, c0, d0))] + \
                   [a0 - eta * g_engine[0]["biases"][0]]
    diff = max_abs_diff(first, engine_first)
    report.notes.append(f"the {steps} steps ran in {how}")
    sec = report.section(f"{steps} steps ({how}); step 1 checked against the per-neuron engine")
    sec.lines.append(f"  step 1, per-neuron engine vs {how}: largest difference {fmt(diff, 3)}")
    b, c, d = bcd
    sec.lines.append(f"  after {steps} steps: y = {fmt_poly(a, b, c, d)}   "
                     f"(loss Σ(y_pred − y)² = {fixed(final_loss, 4)}, from {fixed(L0, 1)})")
    text = printed_result(w)
    sec.lines.append(f"  004 §4.1.1 printed:   y = {text['a']} + {text['b']}x + {text['c']}x² + {text['d']}x³"
                     .replace("+ -", "− "))
    report.numbers.update({"a": a, "b": b, "c": c, "d": d, "start": [a0, b0, c0, d0], "loss": final_loss,
                           "loss_start": L0, "first_step_diff": diff, "how": how})
    report.difference("step 1: fast path = per-neuron engine", diff, 1e-9, "per-neuron reference", kind="engine")

    # -- where the steps go: the least-squares cubic, and what is left of the start
    P, q = step_map(M, r, eta, steps)
    mapped = apply(P, q, [a0, b0, c0, d0])
    map_diff = max_abs_diff(mapped, [a, b, c, d])
    report.difference(f"{steps} steps as P·θ₀ + q = the {steps} steps run", map_diff, 1e-9,
                 f"{how} (the spread below uses P·θ₀ + q)", kind="engine")
    opt = solve(M, r)
    left_ac = _left([a, b, c, d], [a0, b0, c0, d0], opt, (0, 2))
    left_bd = _left([a, b, c, d], [a0, b0, c0, d0], opt, (1, 3))
    most_ac = largest_stretch([[P[0][0], P[0][2]], [P[2][0], P[2][2]]])
    most_bd = largest_stretch([[P[1][1], P[1][3]], [P[3][1], P[3][3]]])
    cross = max(abs(P[i][k]) for i in (0, 2) for k in (1, 3))
    sec = report.section("Where the steps go: every coefficient moves")
    sec.lines += [
        f"  the least-squares cubic on these points (solving Σφφᵀ·θ = Σφy): y = {fmt_poly(*opt)}",
        f"  the points are symmetric about 0, so (a, c) and (b, d) never mix (largest cross term of the",
        f"  {steps}-step map: {fmt(cross, 2)});  after {steps} steps each pair keeps this share of its start's",
        f"  distance from the least-squares cubic:  (a, c) {fixed(100 * (left_ac), 1)}%,  (b, d) {fixed(100 * (left_bd), 1)}%",
        f"  — at most {fixed(100 * (most_ac), 1)}% and {fixed(100 * (most_bd), 1)}% for any start (a = 1, c = 0 ends at a = {fixed(P[0][0], 3)}).",
        "  Both pairs move; the left-over is a few hundredths either way, which is all of a and c",
        "  (their best values are 0) but only about 2% of b.",
    ]
    report.numbers.update({"least_squares": opt, "left_ac": left_ac, "left_bd": left_bd,
                           "most_left_ac": most_ac, "most_left_bd": most_bd, "a_from_1": P[0][0]})

    # -- the text's four numbers against the spread of seeded runs ----------------------
    if not full:
        report.notes.append(f"{steps} steps, not {int(p.get('steps', 2000))}: no comparison with the text's result")
        return
    printed = {k: float(v) for k, v in text.items()}
    runs = [apply(P, q, randn4(s_)) for s_ in range(n_seeds)]
    sec = report.section(f"004's result against {n_seeds} seeded runs (its own start is unseeded)")
    spread = {}
    for k, name in enumerate("abcd"):
        v = [t[k] for t in runs]
        m, sd = statistics.fmean(v), statistics.stdev(v)
        spread[name] = {"mean": m, "sd": sd}
        z = (printed[name] - m) / sd
        sec.lines.append(f"  {name}: mean {_pm(m, '+.4f')} ± sd {fixed(sd, 4)};  the text's {_pm(printed[name], '+.4f')} "
                         f"is {_pm(z, '+.2f')} sd away")
        report.check(f"{name}: mean of {n_seeds} seeded runs vs the text (± 3 sd)", m, printed[name], 3 * sd,
                     f"004 §4.1.1 prints {name} = {fmt(printed[name], 6)}; seeds random.Random(0…{n_seeds - 1})",
                     kind="printed")
    sec.lines.append("  (with numpy, walkthroughs/polynomial-sin/spread.py runs the text's loop itself per seed)")
    report.numbers["spread"] = spread
    report.numbers["spread_seeds"] = n_seeds


def _pm(x: float, spec: str) -> str:
    return format(x, spec).replace("-", "−")


def fmt_poly(a, b, c, d) -> str:
    """a + bx + cx² + dx³ with 4 decimals and real minus signs."""
    def term(v, x, first=False):
        if abs(v) < 0.5e-4:
            v = 0.0
        s = f"{fixed(abs(v), 4)}{x}"
        if first:
            return ("−" if v < 0 else "") + s
        return (" − " if v < 0 else " + ") + s
    return term(a, "", True) + term(b, "x") + term(c, "x²") + term(d, "x³")
