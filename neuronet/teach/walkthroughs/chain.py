"""004_69dfc149af69048d.txt §2.5: one input, one hidden, one output neuron.

The trace shows equations (6)–(15) one term at a time.  004 §2.5 prints no
numbers, so our numbers are checked against central finite differences of
the loss (every δ is a ∂L/∂b) — and two places where §2.5 reads differently
from its own eq. (1) are measured: its z excludes the bias (eqs. 7, 9: z_j =
w_ij a_i, then a_j = f(z_j + b_j)), so f'(z_k) in eq. (12) taken literally is
evaluated at the wrong point; and eq. (11) drops b_j and b_k altogether.
"""
from __future__ import annotations

from ...check import gradcheck
from ...engine.activations import sigmoid
from ._common import network, samples, trace_of, traced_step
from ...present.numbers import fixed


def run(w, options, report) -> None:
    eta = float(w.params.get("eta", 0.5))
    net = network(w)
    xs, ys = samples(w, net)
    x, y = xs[0], ys[0]
    fd = {e.name: e.numeric for e in gradcheck.check(net.copy(), xs, ys)}   # before the step
    i, j, k = (layer[0] for layer in net.layers)
    w_ij, w_jk = i.w[0], j.w[0]
    b_i, b_j, b_k = i.b, j.b, k.b

    L, rec = traced_step(net, [x], [y], eta)
    report.numbers["L_T"] = L
    ev = rec.events
    report.section("(6) a_i = f(z_i + b_i): the input neuron has an activation and a bias").trace = \
        trace_of([e for e in ev if e.phase == "forward" and e.layer == 0], w, net)
    report.section("(7)–(8) z_j = w_ij·a_i, a_j = f(z_j + b_j)  — we add b_j inside z_j, as eq. (1) does").trace = \
        trace_of([e for e in ev if e.phase == "forward" and e.layer == 1], w, net)
    report.section("(9)–(10) z_k = w_jk·a_j, a_k = f(z_k + b_k)").trace = \
        trace_of([e for e in ev if e.phase == "forward" and e.layer == 2], w, net)
    report.section("L_T = ½(a_k − y_k)²  (eq. 46)").trace = trace_of(ev, w, net, phases=("loss",))
    report.section("(12) δ_k = f'(z_k)(a_k − y_k)").trace = \
        trace_of([e for e in ev if e.phase == "delta" and e.layer == 2], w, net)
    report.section("(13) δ_j = f'(z_j)·δ_k·w_jk, and on to δ_i (the input's bias is trained too)").trace = \
        trace_of([e for e in ev if e.phase == "delta" and e.layer < 2], w, net)
    report.section("(14)–(15) Δw_jk = η·δ_k·a_j, Δw_ij = η·δ_j·a_i, subtracted (eq. 2–3); biases by δ").trace = \
        trace_of(ev, w, net, phases=("gradient", "update"))

    # our deltas against finite differences (∂L/∂b = δ for every neuron)
    delta = {e.layer: e.value for e in ev if e.kind in ("delta", "delta_out")}
    grad = {(e.layer, e.source): e.value for e in ev if e.kind == "grad_w"}
    where = "finite differences (004 §2.5 prints no numbers)"
    report.check("δ_k = ∂L/∂b_k", delta[2], fd["b[2][0]"], 1e-7, where, kind="fd")
    report.check("δ_j = ∂L/∂b_j", delta[1], fd["b[1][0]"], 1e-7, where, kind="fd")
    report.check("δ_i = ∂L/∂b_i", delta[0], fd["b[0][0]"], 1e-7, where, kind="fd")
    report.check("∂L/∂w_jk = δ_k·a_j (14)/η", grad[(2, 0)], fd["w[2][0][0]"], 1e-7, where, kind="fd")
    report.check("∂L/∂w_ij = δ_j·a_i (15)/η", grad[(1, 0)], fd["w[1][0][0]"], 1e-7, where, kind="fd")

    # the text's literal readings
    a_i = sigmoid(x[0] + b_i)
    a_j = sigmoid(w_ij * a_i + b_j)
    a_k = sigmoid(w_jk * a_j + b_k)
    eq11 = sigmoid(w_jk * sigmoid(w_ij * sigmoid(x[0] + b_i)))          # (11) as printed: no b_j, b_k
    z_k_text = w_jk * a_j                                               # (9): z_k without b_k
    delta_k_text = sigmoid(z_k_text) * (1 - sigmoid(z_k_text)) * (a_k - y[0])   # (12) with that z_k
    sec = report.section("Reading §2.5 literally")
    sec.lines += [
        f"  a_k from (6)–(10) = {fixed(a_k, 6)};  (11) as printed, f(w_jk f(w_ij f(z_i + b_i))) = {fixed(eq11, 6)}",
        "  — (11) leaves out b_j and b_k; with them it equals (10).",
        f"  (12) with §2.5's z_k = w_jk·a_j (no b_k): δ_k = f'({fixed(z_k_text, 4)})·(a_k − y_k) = {fixed(delta_k_text, 6)}",
        f"  the chain rule needs f' at the neuron's whole input w_jk·a_j + b_k: δ_k = {fixed(delta[2], 6)}",
        "  (finite differences agree with the second).  Eq. (1) puts b inside z; so do we.",
    ]
    report.check("(11) as printed vs a_k (slip: b_j, b_k dropped)", a_k, eq11, 1e-6,
                 "004 §2.5 eq. (11)", expect_agree=False, kind="formula")
    report.check("(12) with z_k excluding b_k vs ∂L/∂b_k (slip)", delta[2], delta_k_text, 1e-6,
                 "004 §2.5 eqs. (9), (12)", expect_agree=False, kind="formula")
    report.numbers.update({"a_k": a_k, "delta_k": delta[2], "delta_j": delta[1], "delta_i": delta[0]})
