"""One neuron's chain of terms as a graphviz graph (DOT text).

micrograd's ``draw_dot`` draws an expression graph: a box per value, an
ellipse per operation, arrows from operands to the operation to its result.
:func:`chain` draws the same for the terms one neuron of a real training
step computes — the recorded events of its forward pass (w·a products, Σ,
f), its δ (the δ_k·w_jk terms that come back to it, f'(z)), its gradients
and its updates — in the chosen notation::

    neuronet show network.toml --dot --input 1,0 --target 0,1 --neuron 1:0 | dot -Tsvg > b1.svg

Every number is an event's (nothing is recomputed): a box's value is the
event's value, an operand that no event of this neuron produced (a weight,
the previous layer's a, the next layer's δ, η) is a box with the value the
event used.
"""
from __future__ import annotations

from .view import View
from .diagram import parse_symbol
from .tracing import Filter
from ..engine import passes
from ..engine.events import Recorder

# the operation drawn for each kind of term
OPS = {
    "input": "+", "product": "×", "z": "Σ +", "a": "f", "loss_term": "L", "loss": "Σ",
    "dL_da": "∂L/∂a", "fprime": "f′", "jacobian": "∂a/∂z", "path": "×", "delta_out": "×",
    "backprop": "×", "dsum": "Σ", "delta": "×", "grad_w": "×", "grad_b": "=",
    "accumulate_w": "+", "accumulate_b": "+", "batch_w": "÷", "batch_b": "÷",
    "update_w": "− η·", "update_b": "− η·",
}

# (kind, term name) → kinds of this neuron's earlier events that produced it
FROM = {
    ("a", "z"): ("z", "input"),
    ("fprime", "z"): ("z", "input"), ("fprime", "a"): ("a",),
    ("dL_da", "a"): ("a",), ("loss_term", "a"): ("a",),
    ("delta_out", "dL_da"): ("dL_da",), ("delta_out", "fprime"): ("fprime",),
    ("delta_out", "sum"): ("path",),
    ("dsum", "sum"): ("backprop",),
    ("delta", "fprime"): ("fprime",), ("delta", "dsum"): ("dsum",),
    ("z", "sum"): ("product",),
    ("grad_w", "delta"): ("delta", "delta_out"), ("grad_b", "delta"): ("delta", "delta_out"),
    ("update_w", "grad"): ("grad_w", "batch_w"), ("update_b", "grad"): ("grad_b", "batch_b"),
    ("accumulate_w", "grad"): ("grad_w",), ("accumulate_b", "grad"): ("grad_b",),
    ("batch_w", "sum"): ("accumulate_w",), ("batch_b", "sum"): ("accumulate_b",),
}
# terms that belong to one weight: match the producer's source too
PER_WEIGHT = {"update_w", "accumulate_w", "batch_w"}
# terms not drawn (η·grad is the update's own arithmetic)
SKIP = {("update_w", "step"), ("update_b", "step"), ("batch_w", "n"), ("batch_b", "n")}


def default_neuron(sizes) -> tuple[int, int]:
    """Neuron 0 of the last hidden layer (its chain has every kind of term),
    or of the output layer when there is none."""
    return (len(sizes) - 2, 0) if len(sizes) > 2 else (len(sizes) - 1, 0)


def events_of(net, xs, ys, l: int, j: int, eta: float = 0.5, round_digits: int | None = None):
    """The recorded events of neuron j of layer l in one step on a copy.
    Every event of the step (not only this neuron's) is watched: a number
    that is not finite raises :class:`~neuronet.errors.NonFiniteError` where
    it first appeared (engine/finite.py), never drawn as ∞."""
    from ..engine.finite import Watch
    from .handcalc import rounder
    rec = Recorder()
    rnd = rounder(round_digits) if round_digits is not None else None
    passes.step(net.copy(), xs, ys, eta, None, "mean", emit=Watch(Filter(rec, neuron=[(l, j)])), rnd=rnd)
    return rec.events


def quote(s: str) -> str:
    """A DOT double-quoted string of ``s``, made printable first (no control
    character of a file's label reaches the DOT text)."""
    from .safe import printable
    s = printable(s)
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def label(symbol: str, value: str | None = None) -> str:
    """A graphviz HTML-like label: the symbol with real sub/superscripts
    (``out_{b1}`` → out<SUB>b1</SUB>), the value on a second line."""
    from .safe import printable
    from html import escape
    parts = []
    for run, kind in parse_symbol(symbol):
        s = escape(printable(run), quote=False)
        parts.append(f"<{kind.upper()}>{s}</{kind.upper()}>" if kind else s)
    body = "".join(parts)
    if value is not None:
        body += f"<BR/><B>{escape(printable(value), quote=False)}</B>"
    return f"<{body}>"


def _leaf_symbol(N, e, name: str) -> str:
    l, j, src = e.layer, e.neuron, e.source
    k = e.kind
    if name in ("w", "old") and k in ("product", "update_w"):
        return N.w(l, src, j)
    if name == "w" and k == "backprop":
        return N.w(l + 1, j, src)
    if name == "delta" and k == "backprop":
        return N.delta(l + 1, src)
    if name == "a" and k in ("product", "grad_w"):
        return N.a(l - 1, src)
    if name in ("b", "old") and k in ("z", "input", "update_b"):
        return N.b(l, j)
    if name == "x":
        return N.x(j)
    if name == "y":
        return N.y(j)
    if name == "eta":
        return N.eta_b() if k == "update_b" else N.eta()
    return name


def chain(net, xs, ys, l: int, j: int, view: View | None = None,
          round_digits: int | None = None, eta: float = 0.5) -> str:
    """DOT text of neuron j of layer l's chain of terms for one sample,
    drawn with ``view`` (default: 004's symbols bound to ``net``, 4
    significant digits); ``round_digits``: the step is a hand calculation."""
    view = View.of(net) if view is None else view
    N = view.notation
    events = events_of(net, xs, ys, l, j, eta, round_digits)
    name = N.a(l, j)
    out = [f"digraph {quote('chain of ' + name)} {{",
           '  graph [rankdir=LR, charset="UTF-8", fontname="DejaVu Sans", '
           f'label={label(f"the chain of terms of {name} ({len(events)} terms, notation {view.name})")}, labelloc=t];',
           '  node [fontname="DejaVu Sans"];']
    produced: list[tuple[object, str]] = []   # (event, node id) in order
    leaves: dict[str, str] = {}
    for k, e in enumerate(events):
        d = view.describe(e)
        node, op = f"t{k}", f"op{k}"
        lhs = d.lhs + (" (new)" if d.op == "←" else "")
        out.append(f"  {node} [shape=box, style=rounded, label={label(lhs, d.value)}];")
        out.append(f"  {op} [shape=ellipse, label={quote(OPS.get(e.kind, e.kind))}];")
        out.append(f"  {op} -> {node};")
        for term, value in e.terms:
            if (e.kind, term) in SKIP:
                continue
            kinds = FROM.get((e.kind, term))
            sources = []
            if kinds:
                sources = [nid for (p, nid) in produced if p.kind in kinds
                           and (e.kind not in PER_WEIGHT or p.source == e.source)
                           and (p.sample == e.sample or e.sample < 0)]
                if kinds in (("delta", "delta_out"), ("z", "input"), ("a",), ("fprime",), ("dsum",),
                             ("dL_da",)) and sources:
                    sources = sources[-1:]          # the latest value of a one-per-neuron quantity
            if not sources:
                sym = _leaf_symbol(N, e, term)
                key = f"{sym}={value!r}"
                if key not in leaves:
                    leaves[key] = f"x{len(leaves)}"
                    out.append(f"  {leaves[key]} [shape=box, color=gray40, "
                               f"label={label(sym, view.fmt(value))}];")
                sources = [leaves[key]]
            for s in sources:
                out.append(f"  {s} -> {op};")
        produced.append((e, node))
    out.append("}")
    return "\n".join(out) + "\n"
