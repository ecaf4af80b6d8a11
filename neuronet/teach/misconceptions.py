"""The catalogue of mistakes, and what a class got wrong.

:func:`neuronet.teach.mark.diagnose` names a wrong number's most likely
mistake in words ("f′ left out (Σ δ·w without the factor f′(z))", …).  Here
each wording is filed under one *kind* of the catalogue — the same kinds the
quiz's distractors are made from — and a class's marked work is counted per
kind and per term ("41% left out f′ in a hidden δ").

No I/O: the command writes the text and the HTML page.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field

#: kind → (how the report names it, the start of diagnose's wording)
CATALOGUE: dict[str, tuple[str, tuple[str, ...]]] = {
    "sign": ("a wrong sign", ("a wrong sign",)),
    "fprime": ("f′ left out", ("f′ left out",)),
    "updated-weight": ("the updated instead of the old weight", ("the updated instead of the old weight",)),
    "neighbour": ("a neighbouring neuron's term", ("a neighbouring term",)),
    "not-updated": ("the update not applied", ("the old value, the update not applied",)),
    "update-added": ("the update added instead of subtracted", ("the update added instead of subtracted",)),
    "rounding": ("a rounding slip", ("a rounding slip",)),
    "copying": ("a copying slip", ("a copying slip",)),
    "other": ("none of the known kinds", ()),
}

#: a question's event kind → the term as the report names it
TERMS = {
    "z": "z (net input)", "a": "a (output of a neuron)", "loss_term": "a loss term", "loss": "the loss",
    "delta_out": "an output δ", "delta": "a hidden δ", "grad_w": "a weight gradient",
    "grad_b": "a bias gradient", "update_w": "a new weight", "update_b": "a new bias",
}


def kind_of(diagnosis: str | None) -> str:
    """The catalogue kind of one of diagnose's wordings ("other" for none)."""
    text = (diagnosis or "").strip()
    for kind, (_, starts) in CATALOGUE.items():
        if any(text.startswith(s) for s in starts):
            return kind
    return "other"


def label(kind: str) -> str:
    return CATALOGUE[kind][0]


@dataclass
class Report:
    """Counts over a class: how many students made each kind of mistake, and
    in which term."""
    students: int = 0                                   # students whose work was marked
    by_kind: dict[str, set] = field(default_factory=dict)            # kind → students
    by_term: dict[tuple[str, str], set] = field(default_factory=dict)  # (term kind, mistake kind) → students
    asked: dict[str, set] = field(default_factory=dict)              # term kind → students who answered one

    def add(self, student: str, answered_kinds, mistakes) -> None:
        """One student: the term kinds they answered and their real
        mistakes as (term kind, mistake kind) pairs (carried lines are not mistakes)."""
        self.students += 1
        for t in answered_kinds:
            self.asked.setdefault(t, set()).add(student)
        for t, k in mistakes:
            self.by_kind.setdefault(k, set()).add(student)
            self.by_term.setdefault((t, k), set()).add(student)

    def rows(self) -> list[tuple[str, str, int, int]]:
        """(term, mistake, students with it, students who answered that term), most common first."""
        out = []
        for (t, k), who in self.by_term.items():
            out.append((t, k, len(who), len(self.asked.get(t, ())) or self.students))
        return sorted(out, key=lambda r: (-r[2] / r[3], TERMS.get(r[0], r[0]), r[1]))

    def lines(self) -> list[str]:
        if not self.students:
            return ["no work marked"]
        out = [f"misconceptions in {self.students} students' work (each student counted once per line below; "
               "carried errors are not counted)"]
        if not self.by_kind:
            out.append("  no mistakes")
            return out
        out.append("by kind:")
        for k in CATALOGUE:
            if k in self.by_kind:
                n = len(self.by_kind[k])
                out.append(f"  {percent(n, self.students):>4}  ({n} of {self.students})  {label(k)}")
        out.append("by term:")
        for t, k, n, of in self.rows():
            out.append(f"  {percent(n, of):>4}  ({n} of {of})  {label(k)} in {TERMS.get(t, t)}")
        return out

    def html(self, title: str) -> str:
        """A small standalone page (no scripts, nothing fetched)."""
        e = html.escape
        rows = "".join(f"<tr><td>{percent(n, of)}</td><td>{n} of {of}</td><td>{e(label(k))}</td>"
                       f"<td>{e(TERMS.get(t, t))}</td></tr>\n" for t, k, n, of in self.rows())
        kinds = "".join(f"<tr><td>{percent(len(self.by_kind[k]), self.students)}</td>"
                        f"<td>{len(self.by_kind[k])} of {self.students}</td><td>{e(label(k))}</td></tr>\n"
                        for k in CATALOGUE if k in self.by_kind)
        return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                f"<title>{e(title)}</title><style>body{{font-family:sans-serif;max-width:48em;margin:2em auto}}"
                "table{border-collapse:collapse}td,th{border:1px solid #999;padding:.3em .6em;text-align:left}"
                "</style></head><body>\n"
                f"<h1>{e(title)}</h1>\n<p>{self.students} students' work marked; each student is counted "
                "once per row, and an error carried on from an earlier slip is not counted.</p>\n"
                "<h2>By kind of mistake</h2>\n<table><tr><th>share</th><th>students</th><th>mistake</th></tr>\n"
                f"{kinds}</table>\n<h2>By term</h2>\n<table><tr><th>share</th><th>students</th>"
                f"<th>mistake</th><th>in</th></tr>\n{rows}</table>\n</body></html>\n")


def percent(n: int, of: int) -> str:
    return f"{round(100 * n / of)}%" if of else "–"


# ---------------------------------------------------------------------------
# the catalogue as multiple-choice distractors (quiz --choices)
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Choice:
    value: float
    shown: str              # as printed; distinct across one question's choices
    kind: str               # "right", or the catalogue kind of the mistake it stands for
    why: str = ""           # the mistake in words (empty for the right choice)


def choices(events, index: int, count: int, seed: int, shown, decimals: int, N=None) -> list[Choice]:
    """The right number and up to ``count − 1`` distractors, each the number a
    known mistake gives (:func:`neuronet.teach.mark.mistaken_values`, then a
    neighbouring neuron's same term), in a seeded order.  ``shown(x)`` writes a
    number as the quiz prints it; two choices never print the same."""
    import random

    from . import mark as _mark
    e = events[index]
    right = Choice(e.value, shown(e.value), "right")
    pool = [(label, v) for label, v in _mark.mistaken_values(events, index, decimals)]
    for o in events:
        if (o is not e and o.kind == e.kind and o.layer == e.layer and o.sample == e.sample
                and (o.neuron, o.source) != (e.neuron, e.source)):
            from ..present import notation as _notation
            who = _notation.describe(o, N, None).lhs if N is not None else f"neuron {o.neuron}"
            pool.append((f"a neighbouring term: {who}", o.value))
    out, seen = [right], {right.shown}
    for label, v in pool:
        if len(out) == count:
            break
        if v != v or v in (float("inf"), float("-inf")):
            continue
        s = shown(v)
        if s in seen:
            continue
        seen.add(s)
        out.append(Choice(v, s, kind_of(label), label))
    random.Random(seed * 1_000_003 + index).shuffle(out)
    return out
