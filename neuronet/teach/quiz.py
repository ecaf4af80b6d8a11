"""Quiz logic: hide one term of a recorded step, ask for it, mark the answer.

No terminal I/O here (the command asks through stepper.ask).  A question is
one recorded event — a z, an a, a δ, a gradient or a new weight — with the
numbers a student needs to compute it (its *givens*, all taken from the
recorded events, never recomputed) and, for a wrong answer, its derivation:
the events that led to it and its own line, in the chosen notation.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field

from ..errors import printable
from ..present.view import View
from ..engine.events import Event

# what a question can hide, by category (one category is drawn, then one term)
CATEGORIES: dict[str, tuple[str, ...]] = {
    "z": ("z",),
    "a": ("a",),
    "loss": ("loss_term", "loss"),
    "delta": ("delta_out", "delta"),
    "gradient": ("grad_w", "grad_b", "batch_w", "batch_b"),
    "new weight": ("update_w", "update_b"),
}
#: the phases of a step, in step order, and the categories each one asks
PHASE_CATEGORIES = {"forward": ("z", "a"), "loss": ("loss",), "delta": ("delta",),
                    "gradient": ("gradient",), "update": ("new weight",)}
QUESTION_KINDS = frozenset(k for kinds in CATEGORIES.values() for k in kinds)


@dataclass
class Question:
    index: int                      # position of the hidden event in the step
    event: Event
    category: str
    symbol: str                     # the hidden term's symbol in the chosen notation
    what: str                       # where it sits, in words
    givens: list[tuple[str, float]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)   # activation, loss, reduction


@dataclass
class Mark:
    right: bool
    answer: float | None            # None: not a number / no answer
    value: float
    why: str = ""                   # "too few decimals to mark", "not updated", "overflowed", or ""


def asks_something(e: Event) -> bool:
    """Is hiding ``e`` a question?  Not an identity activation (an input's
    a = x, a linear layer's a = z): its one given would be its answer."""
    return not (e.kind == "a" and e.note == "identity")


def pick(events: list[Event], count: int, seed: int, phases: list[str] | None = None) -> list[int]:
    """Indices of ``count`` events to ask about, in the order to ask them.

    The questions go round the phases in step order — forward, loss, δ,
    gradient, update (or those in ``phases``) — one term of each per round,
    so five questions cover the whole step.  Within a phase a category (z or
    a in the forward phase) is drawn uniformly, then a term of it, without
    repeats.  The draws come one after another from one seeded generator and
    never look at ``count``: question k of a seed is the same whatever the
    number of questions (``--questions 4`` asks the first four of
    ``--questions 5``).
    """
    order = [p for p in PHASE_CATEGORIES if not phases or p in phases]
    pools = {c: [k for k, e in enumerate(events) if e.kind in CATEGORIES[c] and asks_something(e)]
             for p in order for c in PHASE_CATEGORIES[p]}
    rng = random.Random(seed)
    chosen: list[int] = []
    while len(chosen) < count and any(pools.values()):
        for p in order:
            if len(chosen) == count:
                break
            cats = [c for c in PHASE_CATEGORIES[p] if pools[c]]
            if not cats:
                continue
            c = rng.choice(cats)
            chosen.append(pools[c].pop(rng.randrange(len(pools[c]))))
    return chosen


def category(kind: str) -> str:
    for c, kinds in CATEGORIES.items():
        if kind in kinds:
            return c
    raise KeyError(kind)


def _same(e: Event, q: Event) -> bool:
    return (e.layer, e.neuron, e.sample) == (q.layer, q.neuron, q.sample)


def chain(events: list[Event], index: int, limit: int = 400) -> list[int]:
    """The events of the same neuron (same phase and sample) that lead to
    event ``index`` — its products, its f'(z), its Σ_k δ_k·w_jk, … — in order."""
    q = events[index]
    out = []
    for k in range(index - 1, max(-1, index - 1 - limit), -1):
        e = events[k]
        if e.phase != q.phase or e.sample != q.sample:
            break
        if _same(e, q):
            if e.kind in QUESTION_KINDS:
                break
            out.append(k)
    return out[::-1]


def question(events: list[Event], index: int, net, view: View | None = None) -> Question:
    """The question hiding event ``index``, with the givens to compute it,
    in ``view``'s symbols (default: 004's, bound to ``net``)."""
    N = (View.of(net) if view is None else view).notation
    e = events[index]
    l, j, i = e.layer, e.neuron, e.source
    t = dict(e.terms)
    label = _label(net, l, j, N) if j >= 0 else ""
    # the neuron as the text names it, and its address for the CLI's filters (0-based, as the spec counts)
    what = f"{label}; --neuron {l}:{j}"
    givens: list[tuple[str, float]] = []
    notes: list[str] = []
    before = [events[k] for k in chain(events, index)]
    if e.kind == "z":
        for p in before:
            if p.kind == "product":
                givens += [(N.w(l, p.source, j), p.term("w")), (N.a(l - 1, p.source), p.term("a"))]
        if N.has_bias(l):           # 002 has none: no b_b2 = 0 among the givens
            givens.append((N.b(l, j), t["b"]))
        symbol = N.z(l, j)
    elif e.kind == "a":
        symbol = N.a(l, j)
        if e.note == "softmax":     # a_j needs every z of its layer
            for o in events:
                if o.kind == "a" and o.layer == l and o.sample == e.sample:
                    givens.append((N.z(l, o.neuron), o.term("z")))
        else:
            givens.append((N.z(l, j), t["z"]))
        notes.append(f"activation {e.note}")
    elif e.kind in ("delta_out", "delta"):
        symbol = N.delta(l, j)
        act = net.activations[l].name
        notes.append(f"activation {act}")
        if e.kind == "delta_out":
            notes.append(f"loss {net.loss.name}")
            outs = [o for o in events if o.kind == "dL_da" and o.layer == l and o.sample == e.sample]
            if act != "softmax":
                outs = [o for o in outs if o.neuron == j]
            for o in outs:
                givens += [(N.a(l, o.neuron), o.term("a")), (N.y(o.neuron), o.term("y"))]
        else:
            for p in before:
                if p.kind == "backprop":
                    givens += [(N.delta(l + 1, p.source), p.term("delta")), (N.w(l + 1, j, p.source), p.term("w"))]
            fp = [p for p in before if p.kind == "fprime"]
            if fp:
                givens += [(N.z(l, j), fp[0].term("z")), (N.a(l, j), fp[0].term("a"))]
    elif e.kind == "loss_term":
        symbol = N.L_k(j)
        givens += [(N.a(l, j), t["a"]), (N.y(j), t["y"])]
        notes.append(f"loss {e.note}")
    elif e.kind == "loss":
        symbol = N.L()
        what = "the loss of the sample"
        givens += [(N.L_k(int(name.split("_")[1])), v) for name, v in e.terms]
    elif e.kind == "grad_w":
        symbol = N.grad_w(l, i, j)
        what = f"{_label(net, l - 1, i, N)} → {label}; --weight {l}:{i}:{j}"
        givens += [(N.delta(l, j), t["delta"]), (N.a(l - 1, i), t["a"])]
    elif e.kind == "grad_b":
        symbol = N.grad_b(l, j)
        givens.append((N.delta(l, j), t["delta"]))
    elif e.kind in ("batch_w", "batch_b"):
        symbol = N.grad_w(l, i, j) if e.kind == "batch_w" else N.grad_b(l, j)
        if e.kind == "batch_w":
            what = f"{_label(net, l - 1, i, N)} → {label}, over the batch; --weight {l}:{i}:{j}"
        givens += [(N.sum_w(l, i, j) if e.kind == "batch_w" else N.sum_b(l, j), t["sum"]), ("N", t["n"])]
        notes.append(f"reduction {e.note}")
    elif e.kind == "update_w":
        symbol = "new " + N.w(l, i, j)
        what = f"{_label(net, l - 1, i, N)} → {label}; --weight {l}:{i}:{j}"
        givens += [(N.w(l, i, j), t["old"]), (N.eta(), t["eta"]), (N.grad_w(l, i, j), t["grad"])]
    elif e.kind == "update_b":
        symbol = "new " + N.b(l, j)
        givens += [(N.b(l, j), t["old"]), (N.eta_b(), t["eta"]), (N.grad_b(l, j), t["grad"])]
    else:  # pragma: no cover - pick() only offers the kinds above
        raise ValueError(f"no question for {e.kind}")
    return Question(index, e, category(e.kind), symbol, what, givens, notes)


def _label(net, l: int, j: int, N=None) -> str:
    """The neuron's spec label, else the notation's own name of it (its
    layer and neuron in the notation's index base, never mixed with another)."""
    desc = net.layers[l][j].desc
    if desc:
        return printable(desc)          # a spec's label: no control character
    if N is None:
        return f"n{l},{j}"
    return f"{N.layer_name(l)}, neuron {N.n(j)}"


def parse(text: str | None) -> float | None:
    """A typed number (accepts the typographic minus −); None if it is not one."""
    if text is None:
        return None
    try:
        x = float(text.strip().replace("−", "-").replace(",", "."))
    except ValueError:
        return None
    return x if x == x and abs(x) != float("inf") else None


def mark(text: str | None, value: float, tolerance: float = 0.01, abs_tolerance: float = 1e-4,
         round_digits: int | None = None, decimals: int | None = None,
         old: float | None = None) -> Mark:
    """Right if within ``tolerance`` relative or ``abs_tolerance`` absolute —
    or, when N decimals are asked (``decimals``, else the stated rounding
    ``round_digits`` that hand-calculation mode carries), if it is the value
    at N decimals.  The rules of ``neuronet mark`` (:mod:`neuronet.teach.mark`):

    * an answer with fewer than N decimals is right only when it is exact
      (``0.1`` for 0.1000); one that only agrees at its own decimals is
      "too few decimals to mark", never right;
    * a new weight or bias answered with its ``old`` value, when the update
      changes it, is wrong: "not updated";
    * a value that overflowed (∞, nan) is never right."""
    from .mark import _finite, _within, decimals_of
    x = parse(text)
    if x is None:
        return Mark(False, None, value)
    if not _finite(value):
        return Mark(False, x, value, "overflowed")
    asked = decimals if decimals is not None else round_digits
    if asked is not None:
        def close(a, b, n=asked):
            return _within(a, b, n)
    else:
        def close(a, b, n=None):
            return abs(a - b) <= max(tolerance * abs(b), abs_tolerance)
    if old is not None and _finite(old) and _not_updated(x, value, old, close, asked is None):
        return Mark(False, x, value, "not updated")
    if asked is None or close(x, value):
        return Mark(close(x, value), x, value)
    written = decimals_of(text)
    if written < asked and _within(x, value, written):
        return Mark(False, x, value, "too few decimals to mark")
    return Mark(False, x, value)


def _not_updated(x: float, value: float, old: float, close, tolerant: bool) -> bool:
    """Is ``x`` the weight before the update rather than after it?  At N
    decimals: x reads as the old value and the update shows at N decimals.
    With tolerances (an update often smaller than 1 %): the update changed
    the weight and x is nearer the old value than the new one."""
    if tolerant:
        return value != old and abs(x - old) < abs(x - value)
    return close(x, old) and not close(value, old)


def derivation(events: list[Event], q: Question, view: View) -> list[str]:
    """The lines that compute the hidden term: its chain, then itself, as ``view`` writes them."""
    return [view.describe(events[k]).line() for k in chain(events, q.index)] + \
        [view.describe(q.event).line()]
