"""Mazur's "A Step by Step Backpropagation Example": the 2-2-2 network, one step.

One SGD step at full precision (he carries nine digits, not a rounded hand
calculation), η = 0.5, biases not updated.  Every figure he prints is in
``printed.toml`` beside the walkthrough and is checked against the engine's
number to half a unit in its own last printed decimal.  His closing figure,
the error after the first round, is checked twice: at the engine's updated
weights and at the weights he publishes — both give 0.2910277737, not his
0.291027924, so the walkthrough reports it as his slip.
"""
from __future__ import annotations

import tomllib
from decimal import Decimal

from ...engine import passes
from ...errors import DataError
from ...io import files
from ...present.handcalc import load_printed
from ...present.numbers import fmt
from ._common import network, samples, trace_of, traced_step

WHERE = "Mazur"


def half_unit(printed: str) -> float:
    """Half a unit in the last decimal of a printed number: 0.3775 → 0.00005."""
    return 0.5 * 10.0 ** Decimal(printed).as_tuple().exponent


def _after(path) -> dict:
    doc = tomllib.loads(files.read_text(path, DataError, "printed-numbers file"))
    after = doc.get("after")
    if not isinstance(after, dict) or not isinstance(after.get("printed"), str):
        raise DataError("needs an [after] table with the printed error after the first round", source=str(path))
    return after


def run(w, options, report) -> None:
    p = w.params
    eta = float(p.get("eta", 0.5))
    eta_b = float(p.get("eta_b", 0.0))
    net = network(w)
    xs, ys = samples(w, net)
    x, y = xs[0], ys[0]
    after_net = net.copy()
    loss, rec = traced_step(after_net, [x], [y], eta, eta_b=eta_b)
    report.numbers["E_total"] = loss
    ev = [e for e in rec.events if e.kind not in ("grad_b", "update_b")]    # he updates no bias
    report.section(f"The forward pass: i1 = {fmt(x[0], 6)}, i2 = {fmt(x[1], 6)}, "
                   "net = Σ w·out + b, out = σ(net)").trace = trace_of(ev, w, net, phases=("forward",), digits=9)
    report.section("The total error: E_total = Σ ½(target − out)²").trace = \
        trace_of(ev, w, net, kinds=("loss_term", "loss"), digits=9)
    report.section("The backwards pass, output layer: ∂E/∂net_o = (out − target)·out(1 − out), "
                   "∂E/∂w = ∂E/∂net_o·out_h").trace = \
        trace_of([e for e in ev if e.layer == 2 and e.phase in ("delta", "gradient")], w, net, digits=9)
    report.section("The backwards pass, hidden layer: ∂E/∂out_h sums both outputs' paths with the "
                   "original w5 … w8").trace = \
        trace_of([e for e in ev if e.layer == 1 and e.phase in ("delta", "gradient")], w, net, digits=9)
    report.section(f"The updates: w+ = w − η·∂E/∂w with η = {fmt(eta, 6)} (b1 and b2 stay)").trace = \
        trace_of([e for e in ev if e.kind == "update_w"], w, net, digits=9)

    path = w.path(p.get("printed", "printed.toml"))
    printed = load_printed(path)
    first = {}
    for e in rec.events:
        key = (e.kind, e.layer, 0 if e.kind == "loss" else e.neuron, e.source)
        first.setdefault(key, e)
    for (kind, layer, j, i, term), (text, section, what) in printed.items():
        e = first.get((kind, layer, j, i))
        if e is None:
            raise DataError(f"{what}: no {kind} event at layer {layer} in the step", source=str(path))
        ours = e.value if term is None else e.term(term)
        report.check(what, ours, float(text), half_unit(text), f"{WHERE}, {section} — prints {text}",
                     kind="printed")

    # the error after the first round, at our weights and at his published ones
    after = _after(path)
    text = after["printed"]
    passes.forward(after_net, x)
    ours_after = passes.loss(after_net, y)
    report.numbers["E_total_after"] = ours_after
    published = net.copy()
    for (kind, layer, j, i, _), (value, _, _) in printed.items():
        if kind == "update_w":
            published.layers[layer - 1][i].w[j] = float(value)
    passes.forward(published, x)
    at_published = passes.loss(published, y)
    report.numbers["E_total_at_published_weights"] = at_published
    sec = report.section("The error after the first round")
    sec.lines += [f"  at the engine's updated weights: E_total = {fmt(ours_after, 10)}",
                  f"  at his published w1+ … w8+:      E_total = {fmt(at_published, 10)}",
                  f"  he prints {text}: {fmt(abs(float(text) - ours_after), 2)} too high, in the 7th decimal"]
    report.check(after.get("symbol", "E_total after"), ours_after, float(text), half_unit(text),
                 f"{WHERE}, {after.get('section', '')} — prints {text}; at his own published weights the "
                 f"error is {fmt(at_published, 10)}", expect_agree=False, kind="printed")
    report.check("E_total after, at his published weights (vs the engine's updated weights)",
                 at_published, ours_after, 1e-9, f"{WHERE}: his w1+ … w8+, rounded to 8–9 digits",
                 kind="formula")
