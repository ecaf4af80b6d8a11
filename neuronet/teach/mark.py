"""Marking a hand calculation: a student's ``symbol = value`` lines against
the same terms computed the way a person with a calculator computes them.

The student's work is a plain text file, one term a line, in the symbols of
their text (``--notation``)::

    # 002 §4, forward
    net_d1 = 0.9441
    ∂E_total/∂out_c3 = 0.0529
    w_c1' = 0.2483          # the new weight (also w_c1_new, new w_c1)

Each line is matched to an event of one recorded SGD step by its symbol
(spaces, braces, ``_``, ``*``/``·`` and parentheses are ignored, ``d`` may
stand for ``∂``), and judged by :func:`judge` against the same step run in
hand mode (:func:`neuronet.present.handcalc.rounder`, every named
intermediate rounded half-up) and against the exact, unrounded step:

* The exercise asks for N decimals (``--decimals N``; default
  :data:`DEFAULT_DECIMALS` = 4, the hand-mode policy that reproduces 002).
  A line written with at least N decimals is **right** when it is the hand
  calculation's (or the exact calculation's) value at the decimals written
  — a student who kept the calculator's full value is not wrong.
* A line written with fewer decimals is read as the exact number it says
  (``0.1`` is 0.1000, ``0`` is 0.0000): right if that is the value at N
  decimals (002's ``net_b1 = 0.1``), otherwise **too few decimals to mark**
  when it only agrees at its own decimals (``out_d1 = 1`` for 0.7199), and
  wrong when it does not even do that.  Fewer decimals are never right by
  rounding: that is how a wrong answer used to pass.
* A new weight (or bias) equal to the old one, when the step changes it at
  N decimals, is wrong: **not updated** (``w_d1' = 0.3`` for 0.2501).
* A term whose value overflowed (∞ or nan) cannot be marked right whatever
  is written: **overflowed** — no finite number is "close" to ∞.

For a wrong number :func:`diagnose` names the most likely kind of mistake
when the number matches one: a wrong sign, f′ left out, the updated instead
of the old weight, a neighbouring neuron's term, a rounding slip, a copying
slip (one digit differs).  The quiz shares it.

No terminal I/O here; the command (``neuronet mark``) prints the report.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ..engine.events import Event
from ..errors import DataError
from ..present import notation as _notation
from ..present.handcalc import round_half_up


# ---------------------------------------------------------------------------
# reading the work
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class WorkLine:
    """One ``symbol = value`` line of a student's work."""
    lineno: int
    symbol: str             # as typed
    text: str               # the value as typed
    value: float
    decimals: int           # decimals the student wrote (0.9441 → 4, 0.1 → 1, 0 → 0)


def decimals_of(text: str) -> int:
    """Decimals written in a number: ``0.9441`` → 4, ``-0.1`` → 1, ``2`` → 0,
    ``1.5e-3`` → 4 (the place of its last written digit)."""
    try:
        d = Decimal(text.strip().replace("−", "-").replace(",", "."))
    except InvalidOperation:
        return 0
    return max(0, -d.as_tuple().exponent) if d.is_finite() else 0


def number(text: str) -> tuple[float, int] | None:
    """(value, decimals) of a typed number (typographic minus and a decimal
    comma accepted); None if it is not a finite number."""
    t = text.strip().replace("−", "-").replace(",", ".")
    try:
        d = Decimal(t)
    except InvalidOperation:
        return None
    if not d.is_finite():
        return None
    return float(d), decimals_of(t)


_SPLIT = re.compile(r"=|←")


def read_work(text: str, source: str) -> list[WorkLine]:
    """The ``symbol = value`` lines of ``text`` (``#`` starts a comment;
    blank lines are skipped).  A line may show its working, as on paper:
    ``net_d1 = 0.2063 + 0.3121 + 0.4257 = 0.9441`` — the symbol is what
    stands before the first ``=``, the value what stands after the last;
    ``w_c1 ← 0.25 − 0.0017 = 0.2483`` is the new value of w_c1.  A line that is not ``symbol = number`` is a
    :class:`DataError` naming the file and line."""
    out = []
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        m = _SPLIT.search(line)
        if not m or not line[:m.start()].strip():
            raise DataError(f"line {n}: expected 'symbol = value', got {raw.strip()!r}", source=source)
        sym = line[:m.start()].strip()
        if m.group() == "←":          # w_c1 ← 0.25 − 0.0017 = 0.2483: the new value of w_c1
            sym += "'"
        val = line.rsplit("=", 1)[1] if "=" in line[m.end():] else line[m.end():]
        got = number(val)
        if got is None:
            raise DataError(f"line {n}: {val.strip()!r} is not a number", source=source)
        out.append(WorkLine(n, sym, val.strip(), got[0], got[1]))
    if not out:
        raise DataError("no 'symbol = value' lines in it", source=source)
    return out


# ---------------------------------------------------------------------------
# symbols → events
# ---------------------------------------------------------------------------

_DROP = re.compile(r"[\s{}_*·()\[\]\\]")


def normal(symbol: str) -> str:
    """The form two spellings of one symbol share: ``∂E_{total}/∂net_{d1}``,
    ``dE_total/dnet_d1`` and ``∂E_total / ∂net_d1`` all give ``dEtotal/dnetd1``."""
    s = symbol.replace("−", "-").replace("’", "'").replace("′", "'").replace("∂", "d")
    s = s.replace("\\partial", "d").replace("\\delta", "δ").replace("\\eta", "η").replace("\\sigma", "σ")
    return _DROP.sub("", s)


@dataclass(frozen=True)
class Term:
    """What a symbol names: an event's value, or one of its terms."""
    index: int              # position in the recorded step
    term: str | None        # None: the event's value; "step": η·gradient of an update
    symbol: str             # the engine's own spelling, for the report


def symbols(events: list[Event], N: _notation.Notation) -> dict[str, Term]:
    """Every symbol a student may write for a term of sample 0's step (and
    the batch's), normalised, → the term.  The engine's left-hand sides
    (as ``neuronet trace`` prints them) plus the spellings texts use:
    ``f'(z)``/``sig'(z)``/``σ'(z)`` for f′, ``w'``/``w_new``/``new w`` for an
    updated weight, ``η·∂L/∂w`` for the step of an update."""
    table: dict[str, Term] = {}

    def add(sym: str, k: int, term=None, shown=None):
        table.setdefault(normal(sym), Term(k, term, shown or sym))

    for k, e in enumerate(events):
        if e.sample not in (0, -1):
            continue
        lhs = _notation.describe(e, N, None).lhs
        if e.kind in ("update_w", "update_b"):
            shown = lhs + "'"
            for s in (lhs + "'", lhs + "new", "new" + lhs, lhs + "⁺", lhs):
                add(s, k, None, shown)
            g = N.grad_w(*e.weight) if e.kind == "update_w" else N.grad_b(e.layer, e.neuron)
            eta = N.eta() if e.kind == "update_w" else N.eta_b()
            for s in (f"{eta}·{g}", f"{g}·{eta}"):
                add(s, k, "step", f"{eta}·{g}")
            continue
        add(lhs, k)
        if e.kind == "fprime":
            z = N.z(e.layer, e.neuron)
            for f in ("f'", "sig'", "σ'", "g'"):
                add(f"{f}({z})", k, None, lhs)
    return table


# ---------------------------------------------------------------------------
# marking
# ---------------------------------------------------------------------------

#: The decimals an exercise asks for unless ``--decimals N`` says otherwise:
#: the hand-mode policy's 4 (the one that reproduces 002 digit for digit,
#: see :mod:`neuronet.present.handcalc`).
DEFAULT_DECIMALS = 4


def _finite(x: float) -> bool:
    return x == x and x not in (float("inf"), float("-inf"))


def _within(v: float, c: float, decimals: int) -> bool:
    """Is v what c reads at ``decimals`` decimals (half a unit of the last
    written place either way)?  Never for a c that is not finite: no number
    is within half a unit of ∞."""
    if not (_finite(v) and _finite(c)):
        return False
    return abs(v - c) <= 0.5 * 10.0 ** -decimals + 1e-12 * max(1.0, abs(c))


def judge(value: float, written: int, hand: float, exact: float, decimals: int = DEFAULT_DECIMALS,
          old: float | None = None) -> tuple[str, str]:
    """The verdict on one number: ``(verdict, note)``.

    ``value`` was written with ``written`` decimals; ``hand`` and ``exact``
    are the hand-mode and the unrounded value of the term; the exercise
    asks for ``decimals``; ``old`` is the value before the update, for a new
    weight or bias.  Verdicts: ``"right"``, ``"wrong"`` (note ``"not
    updated"`` for a new weight left at its old value), ``"short"`` (too
    few decimals to mark), ``"overflow"`` (the term is not a finite number).
    The rules are the module docstring's."""
    if not (_finite(hand) and _finite(exact)):
        return "overflow", f"its value overflowed ({'nan' if exact != exact else '∞'}); it cannot be marked"
    if (old is not None and _finite(old) and _within(value, old, written)
            and not _within(hand, old, decimals)):
        return "wrong", "not updated: that is the value before the update"
    if written >= decimals:
        if _within(value, hand, written):
            return "right", ""
        if _within(value, exact, written):
            return "right", "as carried unrounded"
        return "wrong", ""
    if _within(value, hand, decimals) or _within(value, exact, decimals):
        return "right", ""          # 0.1 is 0.1000: the exact number, written short
    if _within(value, hand, written) or _within(value, exact, written):
        return "short", f"too few decimals to mark: {decimals} asked"
    return "wrong", ""


def value_of(e: Event, term: str | None) -> float:
    return e.value if term is None else e.term(term)


def diagnose(events: list[Event], index: int, answer: float, decimals: int,
             term: str | None = None, N: _notation.Notation | None = None) -> str | None:
    """The most likely kind of mistake behind ``answer`` (written with
    ``decimals`` decimals) for the term at ``index`` of ``events``, or None.

    Each known mistake is recomputed from the step's own recorded numbers
    and compared at the student's decimals: a wrong sign; f′ left out of a δ
    or a gradient; the updated instead of the old weight in Σ_k δ_k·w_jk; the
    same term of a neighbouring neuron; a rounding slip (the products of a
    sum rounded before adding them — 002's net_d1 = 0.2063 + 0.3121 + 0.4257
    = 0.9441 — or one unit off in the last written decimal); a copying slip
    (one digit differs)."""
    e = events[index]
    right = value_of(e, term)
    if _within(answer, right, decimals):
        return None
    for label, c in mistaken_values(events, index, decimals, term):
        if c == c and not _within(c, right, decimals) and _within(answer, c, decimals):
            return label
    for o in events:        # a neighbouring neuron's (or weight's) term
        if (o is not e and o.kind == e.kind and o.layer == e.layer and o.sample == e.sample
                and (o.neuron, o.source) != (e.neuron, e.source)):
            c = value_of(o, term)
            if not _within(c, right, decimals) and _within(answer, c, decimals):
                who = _notation.describe(o, N, None).lhs if N is not None else f"neuron {o.neuron}"
                return f"a neighbouring term: {who} = {_notation.fmt(c, None)}"
    if abs(answer - right) <= 1.5 * 10.0 ** -decimals:
        return "a rounding slip (one unit off in the last decimal)"
    a, r = _digits(answer, decimals), _digits(round_half_up(right, decimals), decimals)
    if a is not None and r is not None and len(a) == len(r) and sum(x != y for x, y in zip(a, r)) == 1:
        return "a copying slip (one digit differs from the right number)"
    return None


def mistaken_values(events: list[Event], index: int, decimals: int,
                    term: str | None = None) -> list[tuple[str, float]]:
    """(the mistake in words, the number it gives) for each known mistake
    that applies to the term at ``index``, recomputed from the step's own
    recorded numbers: :func:`diagnose` matches an answer against them, the
    quiz's ``--choices`` offers them as distractors."""
    e = events[index]
    right = value_of(e, term)
    cands: list[tuple[str, float]] = [("a wrong sign", -right)]
    t = dict(e.terms)
    if term is None:
        fp = _fprime(events, e)
        if e.kind == "delta_out" and "dL_da" in t:
            cands.append(("f′ left out (∂L/∂a without the factor f′(z))", t["dL_da"]))
        elif e.kind == "delta" and "dsum" in t:
            cands.append(("f′ left out (Σ δ·w without the factor f′(z))", t["dsum"]))
        elif e.kind in ("grad_w", "grad_b") and fp:
            a = t.get("a", 1.0)
            cands.append(("f′ left out of δ", t["delta"] / fp * a))
        if e.kind in ("dsum", "backprop", "delta"):
            with_new = _with_updated_weights(events, e)
            if with_new is not None:
                cands.append(("the updated instead of the old weight w in Σ δ·w", with_new))
        if e.kind in ("update_w", "update_b"):
            cands.append(("the old value, the update not applied", t["old"]))
            cands.append(("the update added instead of subtracted", t["old"] + t["eta"] * t["grad"]))
    if term is None and e.kind in ("z", "dsum"):
        parts = _parts(events, e)
        if parts:
            c = sum(round_half_up(v, decimals) for v in parts) + (t.get("b", 0.0) if e.kind == "z" else 0.0)
            shown = " + ".join(format(round_half_up(v, decimals), f".{decimals}f") for v in parts)
            cands.append((f"a rounding slip: each product rounded before adding them ({shown} = "
                          f"{format(round_half_up(c, decimals), f'.{decimals}f')})", c))
    return cands


def _parts(events, e) -> list[float]:
    """The products a z (w·a) or a Σ δ·w (δ·w) adds up, as recorded."""
    kind = "product" if e.kind == "z" else "backprop"
    return [o.value for o in events
            if o.kind == kind and (o.layer, o.neuron, o.sample) == (e.layer, e.neuron, e.sample)]


def _digits(x: float, decimals: int) -> str | None:
    try:
        return format(abs(x), f".{decimals}f")
    except (ValueError, OverflowError):
        return None


def _fprime(events, e) -> float | None:
    for o in events:
        if o.kind == "fprime" and (o.layer, o.neuron, o.sample) == (e.layer, e.neuron, e.sample):
            return o.value or None
        if o.kind == "delta_out" and (o.layer, o.neuron, o.sample) == (e.layer, e.neuron, e.sample):
            f = dict(o.terms).get("fprime")
            return f or None
    return None


def _with_updated_weights(events, e) -> float | None:
    """Σ_k δ_k·w_jk of e's neuron, with every w_jk taken after the update."""
    new = {o.weight: o.value for o in events if o.kind == "update_w"}
    if e.kind == "backprop":
        w = new.get(e.weight)
        return None if w is None else e.term("delta") * w
    total, seen = 0.0, False
    for o in events:
        if o.kind == "backprop" and (o.layer, o.neuron, o.sample) == (e.layer, e.neuron, e.sample):
            w = new.get(o.weight)
            if w is None:
                return None
            total += o.term("delta") * w
            seen = True
    if not seen:
        return None
    if e.kind == "delta":
        return total * dict(e.terms).get("fprime", 1.0)
    return total


@dataclass
class Marked:
    line: WorkLine
    verdict: str                    # "right", "wrong", "carried", "short", "overflow", "unknown"
    term: Term | None = None
    right: float | None = None      # the hand calculation's value
    note: str = ""                  # "carried unrounded", a diagnosis, the slips carried on


def hand_step(net, xs, ys, eta, eta_b, reduction, decimals: int, override: dict | None = None):
    """One hand-mode step (every named intermediate rounded half-up to
    ``decimals``) on a copy of ``net``, recorded.

    Returns ``(events, calls)``: ``calls[(event index, term)]`` is the index
    of the rounding call that produced that event's value (term None) or
    its η·gradient (term "step").  ``override`` ({call index: value})
    replaces what those calls carry on — the student's own number instead
    of the right one — so the rest of the step is computed from it, as a
    student who made a slip computes it (the passes are deterministic: the
    calls come in the same order every run)."""
    from ..engine import passes
    from ..present.handcalc import rounder
    base = rounder(decimals)
    pending: list[tuple[int, str, float]] = []
    events: list[Event] = []
    calls: dict = {}
    counter = [0]

    def rnd(kind, x):
        k = counter[0]
        counter[0] += 1
        v = override[k] if override and k in override else base(kind, x)
        pending.append((k, kind, v))
        return v

    def emit(e):
        later = []
        for k, kind, v in pending:
            if e.kind == "grad_w" and kind in ("eta_grad", "w"):
                # the pass rounds η·∂L/∂w and the new w before it emits the
                # gradient: those two calls belong to the update that follows
                later.append((k, kind, v))
            elif kind == "eta_grad":
                calls[(len(events), "step")] = k
            elif v == e.value:
                calls[(len(events), None)] = k
        pending[:] = later
        events.append(e)
    passes.step(net.copy(), xs, ys, eta, eta_b, reduction, emit=emit, rnd=rnd)
    return events, calls


def mark_work(lines: list[WorkLine], hand: list[Event], exact: list[Event],
              N: _notation.Notation, rerun=None, decimals: int = DEFAULT_DECIMALS) -> list[Marked]:
    """Mark each line against the hand calculation ``hand`` and the
    unrounded ``exact`` one (same events, same order) by :func:`judge`, the
    exercise asking for ``decimals`` decimals.

    ``rerun(override)`` — :func:`hand_step` with the step's arguments —
    turns on "error carried forward": a wrong line whose number is what
    the step gives *from the student's own earlier wrong numbers* is marked
    ``carried`` (the arithmetic of the line is right; the slip was earlier)
    instead of wrong."""
    table = symbols(hand, N)
    out = []
    for wl in lines:
        t = table.get(normal(wl.symbol))
        if t is None:
            out.append(Marked(wl, "unknown"))
            continue
        e = hand[t.index]
        h = value_of(e, t.term)
        x = value_of(exact[t.index], t.term)
        old = e.term("old") if t.term is None and e.kind in ("update_w", "update_b") else None
        verdict, note = judge(wl.value, wl.decimals, h, x, decimals, old)
        if verdict == "wrong" and not note:
            note = diagnose(hand, t.index, wl.value, max(wl.decimals, decimals), t.term, N) or ""
        out.append(Marked(wl, verdict, t, h, note))
    if rerun is not None:
        _carried(out, rerun)
    return out


def _carried(marks: list[Marked], rerun) -> None:
    """Re-mark each wrong line given the student's earlier wrong numbers."""
    _, calls = rerun(None)
    slips = []      # (event index, call index, mark) of the wrong lines, in step order
    for m in marks:
        if m.verdict == "wrong":
            # a term no rounding call carries (a loss term, a new weight whose
            # rounding the trace files under its gradient) has no call index:
            # it cannot be fed back, but it is re-marked all the same
            # (an update's η·gradient comes before its new value: same event, earlier place)
            place = (m.term.index, 0 if m.term.term == "step" else 1)
            slips.append((place, calls.get((m.term.index, m.term.term)), m))
    slips.sort(key=lambda s: s[0])
    for place, _, m in slips:
        index = place[0]
        before = [(k, s) for i, k, s in slips if i < place and s.verdict == "wrong" and k is not None]
        if not before:
            continue
        events, _ = rerun({k: s.line.value for k, s in before})
        given = value_of(events[index], m.term.term)
        if _within(m.line.value, given, m.line.decimals) and not _within(given, m.right, m.line.decimals):
            m.verdict = "carried"
            # the slips this line depends on: those that alone change it
            deps = [(k, s) for k, s in before
                    if value_of(rerun({k: s.line.value})[0][index], m.term.term) != m.right] or before
            lines = ", ".join(str(s.line.lineno) for _, s in deps)
            many = len(deps) > 1
            m.note = (f"carried on from the slip{'s' if many else ''} on line{'s' if many else ''} "
                      f"{lines}: right from the numbers written there")


def worked(hand: list[Event], index: int, N: _notation.Notation, decimals: int) -> list[str]:
    """The lines that compute the term at ``index``: the products and sums
    of its own neuron that lead to it, then its own line (hand mode)."""
    from ..present.numbers import Carried
    from ..present.view import View
    from .quiz import chain
    view = View(N, Carried(decimals))          # every number as carried, as a hand calculation writes it
    return [view.describe(hand[k]).line() for k in chain(hand, index)] + [view.describe(hand[index]).line()]


def file_decimals(lines: list[WorkLine]) -> int:
    """The hand calculation's decimals: the most any line was written with."""
    return max(wl.decimals for wl in lines)
