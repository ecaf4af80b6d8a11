"""002_25d3dd3a4f2fa46e.txt: the 2-4-3-2 network worked by hand, then trained.

Part 1 reproduces §4 (forward pass) and §7 (one backward pass and the W_c
update) in hand mode: every carried number rounded to 4 decimals, as 002
does.  Each printed number is checked; the two that 002 got wrong (net_d1
and ∂E/∂out_c3) are reported as slips.  Part 2 trains the whole truth table
(swap the two inputs) with the text's η = 0.5, one sample at a time, biases
frozen at 0 (002 has none), until every output is within 0.2 of its target.
"""
from __future__ import annotations

from ...engine import passes, train
from ...present.handcalc import load_printed, rounder
from ._common import network, samples, trace_of, traced_step
from ...present.numbers import fixed, fmt

# 002 §4 and §7's printed numbers live once, as data beside the walkthrough
# (params.printed: printed.toml); these two are the text's arithmetic slips
# (handcalc.compare finds them; the errata sheet lists them).
SLIPS = {("z", 3, 0), ("dsum", 2, 2)}


def _slip_note(kind, layer, j, rec) -> str:
    """The hand calculation behind a slip, from the recorded terms."""
    def h(x):
        return f"{fixed(x, 4)}".replace("-", "−")
    terms = [e for e in rec.events if e.layer == layer and e.neuron == j and e.sample in (0, -1)
             and e.kind == ("product" if kind == "z" else "backprop")]
    value = next(e.value for e in rec.events if (e.kind, e.layer, e.neuron) == (kind, layer, j))
    if not terms:
        return f"a correct hand calculation gives {h(value)}"
    if kind == "z":                                   # Σ_i w·a
        parts = " + ".join(f"{fmt(e.term('w'), 6)}·{h(e.term('a'))}" for e in terms)
    else:                                             # Σ_k w·δ
        parts = " + ".join(f"{fmt(e.term('w'), 6)}·({h(e.term('delta'))})" if e.term("delta") < 0
                           else f"{fmt(e.term('w'), 6)}·{h(e.term('delta'))}" for e in terms)
    return f"{parts} = {fixed(sum(e.value for e in terms), 5)} → {h(value)}"


def _values(rec) -> dict:
    """The numbers 002 prints, read off the recorded events."""
    def layer(kind, l):
        return [e.value for e in rec.events if e.kind == kind and e.layer == l]

    def matrix(kind, l, rows, cols):
        m = [[0.0] * cols for _ in range(rows)]
        for e in rec.events:
            if e.kind == kind and e.layer == l:
                m[e.neuron][e.source] = e.value          # 002's layout: [to][from]
        return m
    return {
        "out_b": layer("a", 1), "net_c": layer("z", 2), "out_c": layer("a", 2),
        "net_d": layer("z", 3), "out_d": layer("a", 3),
        "dE_dnet_d": layer("delta_out", 3), "W_dg": matrix("grad_w", 3, 2, 3),
        "dE_dout_c": layer("dsum", 2), "sig'_c": layer("fprime", 2), "dE_dnet_c": layer("delta", 2),
        "W_cg": matrix("grad_w", 2, 3, 4),
        "dE_dout_b": layer("dsum", 1), "sig'_b": layer("fprime", 1), "dE_dnet_b": layer("delta", 1),
        "W_bg": matrix("grad_w", 1, 4, 2), "W_c_new": matrix("update_w", 2, 3, 4),
    }


def learnt(net, xs, ys, within: float) -> bool:
    for x, y in zip(xs, ys):
        out = passes.forward(net, x)
        if any(abs(o - t) >= within for o, t in zip(out, y)):
            return False
    return True


def run(w, options, report) -> None:
    p = w.params
    digits = options.rounding if options.rounding is not None else int(p.get("round", 4))
    eta = float(p.get("eta", 0.5))
    net = network(w)
    xs, ys = samples(w, net)
    s = int(p.get("sample", 1))
    x, y = xs[s], ys[s]

    # -- part 1: one step by hand ------------------------------------------
    rnd = rounder(digits) if digits is not None else None
    eta_b = float(p.get("eta_b", 0.0))
    loss, rec = traced_step(net, [x], [y], eta, eta_b=eta_b, rnd=rnd)
    report.numbers["E_total"] = loss
    intro = report.section(f"002 §4: forward pass of a1 = {fmt(x[0], 6)}, a2 = {fmt(x[1], 6)} "
                           f"(every number rounded to {digits} decimals, as 002 carries them)")
    # 002 has no biases and no input-layer step: leave those events out
    events = [e for e in rec.events if e.layer > 0 and e.kind not in ("grad_b", "update_b")]
    intro.trace = trace_of(events, w, net, phases=("forward",), decimals=digits)
    report.section("002 §5.1: the error E_total = Σ ½(target − out)²").trace = \
        trace_of(rec.events, w, net, kinds=("loss_term", "loss"), decimals=digits)
    out = report.section("002 §7: output layer d — ∂E/∂net_d = (out − target)·out·(1 − out), W_dg")
    out.trace = trace_of([e for e in events if e.layer == 3 and e.phase in ("delta", "gradient")],
                         w, net, decimals=digits)
    hid = report.section("002 §7: layer c — ∂E/∂out_c = (W_d)ᵀ·∂E/∂net_d, ·sig'(net_c), W_cg")
    hid.trace = trace_of([e for e in events if e.phase in ("delta", "gradient") and e.layer == 2],
                         w, net, decimals=digits)
    hb = report.section("002 §7: layer b — the same two steps once more, W_bg (002 labels it \"W_cg\")")
    hb.trace = trace_of([e for e in events if e.phase in ("delta", "gradient") and e.layer == 1],
                        w, net, decimals=digits)
    up = report.section(f"002 §7: W_c,new = W_c − W_cg·l with l = {fmt(eta, 6)} (W_d and W_b change the same way)")
    up.trace = trace_of([e for e in rec.events if e.kind == "update_w" and e.layer == 2], w, net, decimals=digits)

    values = _values(rec)
    report.numbers["hand"] = values
    printed_numbers = load_printed(w.path(p.get("printed", "printed.toml")))
    if digits == printed_numbers.decimals:
        first = {}
        for e in rec.events:
            first.setdefault((e.kind, e.layer, e.neuron, e.source), e)
        for (kind, layer, j, i, term), (printed, section, what) in printed_numbers.items():
            e = first.get((kind, layer, j, i))
            if e is None:
                continue
            ours = e.value if term is None else e.term(term)
            slip = _slip_note(kind, layer, j, rec) if i is None and (kind, layer, j) in SLIPS else None
            half = 0.5 * 10.0 ** -printed_numbers.decimals     # half a unit in the text's last decimal
            report.check(what, ours, float(printed), half,
                         f"002 {section}" + (f" — prints {printed}; {slip}" if slip else ""),
                         expect_agree=slip is None, kind="printed")
    else:
        report.notes.append(f"--round {digits}: the checks against 002's printed numbers need "
                            f"--round {printed_numbers.decimals}")

    # -- part 2: learn the truth table ---------------------------------------
    net = network(w)                      # from 002's weights again, full precision
    within = float(p.get("within", 0.2))
    max_epochs = options.epochs or int(p.get("max_epochs", 20000))
    sec = report.section(f"Training the truth table (002 §5.1) one sample at a time, l = {fmt(eta, 6)}, "
                         f"no biases, until every output is within {fmt(within, 6)} of its target")
    epoch = 0
    done = learnt(net, xs, ys, within)
    while not done and epoch < max_epochs:
        epoch += 1
        for xi, yi in zip(xs, ys):
            passes.step(net, [xi], [yi], eta, eta_b=eta_b)
        done = learnt(net, xs, ys, within)
        if epoch in (1, 10, 100, 500) or epoch % 1000 == 0 or done:
            total = train.epoch_loss(net, xs, ys, reduction="sum")
            sec.lines.append(f"  epoch {epoch:>6}: E_total summed over the 4 rows = {fixed(total, 6)}")
    sec.lines.append(f"  {'learnt' if done else 'NOT learnt'} after {epoch} epochs ({4 * epoch} steps)")
    for xi, yi in zip(xs, ys):
        o = passes.forward(net, xi)
        sec.lines.append(f"  a = ({fmt(xi[0], 6)}, {fmt(xi[1], 6)})  →  out_d = ({fixed(o[0], 4)}, {fixed(o[1], 4)})   "
                         f"target ({fmt(yi[0], 6)}, {fmt(yi[1], 6)})")
    report.numbers["epochs_to_learn"] = epoch
    report.numbers["learnt"] = done
    report.check("truth table learnt (1 = yes)", 1.0 if done else 0.0, 1.0, 0.0, "002 §7 note: "
                 "\"I tested if the chosen network can fulfill this task and it worked for me\"",
                 kind="formula")
