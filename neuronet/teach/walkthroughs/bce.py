"""001_dc259c9a40097162.txt: a 4-3-2-1 logistic network with binary
cross-entropy, in 001's own symbols (g^[lz], g^[la], g'_o, g'_h, α).

The point of the lesson is 001's first backward line: the loss gives
g^[3a] = (a − y)/(a(1 − a)), the logistic output gives g'_o = a(1 − a), and
their product g^[3z] is just a − y.  The engine never uses that shortcut — it
multiplies ∂𝓛/∂a by f'(z) like any other pair — so the identity is checked,
not assumed.  Every gradient is then checked against finite differences.
"""
from __future__ import annotations

from ...check import gradcheck
from ._common import network, samples, trace_of, traced_step
from ...present.numbers import fixed, fmt


def run(w, options, report) -> None:
    eta = float(w.params.get("eta", 0.1))
    net = network(w)
    xs, ys = samples(w, net)
    fd = {e.name: e.numeric for e in gradcheck.check(net.copy(), xs, ys)}
    L, rec = traced_step(net, xs, ys, eta)
    ev = rec.events
    out = len(net.layers) - 1
    report.numbers["loss"] = L
    report.section("Forward: z^[l] = a^[l−1] W^[l] + b^[l], a^[l] = g(z^[l])").trace = \
        trace_of(ev, w, net, phases=("forward",))
    report.section("𝓛(ŷ, y) = −[(1 − y) log(1 − ŷ) + y log ŷ]").trace = trace_of(ev, w, net, phases=("loss",))
    report.section("Output layer: g^[3a], g'_o(z^[3]) and g^[3z] = g'_o(z^[3])·g^[3a]").trace = \
        trace_of([e for e in ev if e.layer == out and e.phase == "delta"], w, net)

    a = next(e for e in ev if e.kind == "a" and e.layer == out).value
    y = ys[0][0]
    g3a = next(e for e in ev if e.kind == "dL_da" and e.layer == out).value
    g3z = next(e for e in ev if e.kind == "delta_out" and e.layer == out).value
    sec = report.section("Why g^[3z] = a − y")
    sec.lines += [
        f"  g^[3a] = (1 − y)/(1 − a) − y/a = (a − y)/(a(1 − a))  with a = {fixed(a, 6)}, y = {fmt(y, 6)}",
        f"         = {fixed(g3a, 6)}   (the engine's ∂𝓛/∂a; (a − y)/(a(1 − a)) = {fixed((a - y) / (a * (1 - a)), 6)})",
        f"  g'_o   = a(1 − a) = {fixed(a * (1 - a), 6)}",
        f"  g^[3z] = g'_o·g^[3a] = {fixed(g3z, 6)}  and  a − y = {fixed(a - y, 6)}: the a(1 − a) cancels.",
        "  (The cancellation needs both halves: BCE's denominator and the logistic's derivative.",
        "   With ½(y − ŷ)², 001's other choice, g^[3z] = (a − y)·a(1 − a) instead.)",
    ]
    report.check("g^[3z] = a − y", g3z, a - y, 1e-12, "001, g^[3z] = g'_o(z^[3])·g^[3a]", kind="formula")
    report.check("g^[3a] = (a − y)/(a(1 − a))", g3a, (a - y) / (a * (1 - a)), 1e-9, "001, g^[3a]", kind="formula")

    report.section("Hidden layers: g^[2a] = g^[3z]·(W^[3])ᵀ, g^[2z] = g'_h(z^[2]) ∘ g^[2a], then layer 1").trace = \
        trace_of([e for e in ev if e.layer < out and e.phase == "delta"], w, net)
    report.section("g^[lW] = (a^[l−1])ᵀ·g^[lz], g^[lb] = g^[lz]; W ← W − α·g^[lW]").trace = \
        trace_of(ev, w, net, phases=("gradient", "update"))
    worst = 0.0
    for e in ev:
        if e.kind == "grad_w":
            worst = max(worst, abs(e.value - fd[f"w[{e.layer}][{e.source}][{e.neuron}]"]))
        elif e.kind == "grad_b":
            worst = max(worst, abs(e.value - fd[f"b[{e.layer}][{e.neuron}]"]))
    report.numbers["max_abs_diff_vs_finite_differences"] = worst
    report.difference("backprop = finite differences, all 26 parameters", worst, 1e-8,
                 "finite differences (001 prints no numbers)", kind="fd")
