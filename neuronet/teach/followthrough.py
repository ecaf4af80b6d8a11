"""Follow-through marking against an exam key.

A key (written by ``neuronet exam``, read here) holds the student's variant —
its spec, sample, η, η_b, decimals, notation — and the terms they were asked.
Marking redoes that step through the engine in hand mode
(:func:`neuronet.teach.mark.hand_step`) and marks the student's lines with
:func:`neuronet.teach.mark.mark_work`: a line wrong only because it uses an
earlier wrong number of the student's own is *carried* — the step is re-run
from the student's numbers, never recomputed by a second copy of the math.

The score gives partial credit: each asked term is worth one point; a right
line earns it, a carried line earns ``carried_credit`` of it (default all: the
method was right), a wrong or missing line nothing.  The *first mistake* is
the first wrong line in step order, with its kind from the catalogue
(:mod:`neuronet.teach.misconceptions`).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import DataError
from ..present import notation as _notation
from . import mark as _mark
from . import misconceptions
from .exam import KEY_FORMAT
from .replay import record_step


@dataclass
class Key:
    student: str
    lesson: str
    net: object
    x: list[float]
    y: list[float]
    eta: float
    eta_b: float | None
    reduction: str
    decimals: int
    notation: str
    questions: list[dict]


def read_key(path) -> Key:
    """A key file, checked: every problem is one DataError naming the file."""
    from ..io import files, spec
    src = str(path)
    doc = files.parse_json(files.read_text(path, DataError, "an exam key (JSON)"), DataError, src)
    if not isinstance(doc, dict) or doc.get("format") != KEY_FORMAT:
        raise DataError(f"is not an exam key (no \"format\": \"{KEY_FORMAT}\")", source=src)
    try:
        net = spec.from_dict(doc["spec"], source=src)
        qs = doc["questions"]
        if not isinstance(qs, list) or not all(isinstance(q, dict) and "kind" in q for q in qs):
            raise DataError("\"questions\" is not a list of questions", source=src)
        eta_b = doc.get("eta_b")
        k = Key(str(doc["student"]), str(doc.get("lesson", "")), net,
                [float(v) for v in doc["input"]], [float(v) for v in doc["target"]],
                float(doc["eta"]), None if eta_b is None else float(eta_b), str(doc.get("reduction", "mean")),
                int(doc["round"]), str(doc.get("notation", "delta")), qs)
    except KeyError as e:
        raise DataError(f"is not a complete exam key (no {e.args[0]!r})", source=src) from None
    except (TypeError, ValueError) as e:
        raise DataError(f"is not a well-formed exam key ({e})", source=src) from None
    from ..io import data
    data.check([k.x], [k.y], net.sizes[0], net.sizes[-1], source=src)
    return k


@dataclass
class Result:
    marks: list                     # mark.Marked, one per work line
    hand: list                      # the hand-mode events of the key's step
    N: object                       # the notation
    verdicts: list[tuple[dict, str, object]] = field(default_factory=list)  # (question, verdict, Marked|None)
    score: float = 0.0
    out_of: int = 0
    first: object = None            # the Marked of the first real mistake, or None

    def count(self, verdict: str) -> int:
        return sum(v == verdict for _, v, _ in self.verdicts)

    @property
    def first_kind(self) -> str:
        return misconceptions.kind_of(self.first.note) if self.first is not None else ""

    def mistakes(self) -> list[tuple[str, str]]:
        """(term kind, mistake kind) of every wrong asked line."""
        return [(q["kind"], misconceptions.kind_of(m.note)) for q, v, m in self.verdicts if v == "wrong"]


def _event_key(e) -> tuple:
    return (e.kind, e.layer, e.neuron, e.source)


def mark(key: Key, lines: list, carried_credit: float = 1.0) -> Result:
    """Mark work lines (mark.read_work) against a key, with follow-through."""
    hand, before, _ = record_step(key.net, [key.x], [key.y], key.eta, key.eta_b, key.reduction, key.decimals)
    exact, _, _ = record_step(key.net, [key.x], [key.y], key.eta, key.eta_b, key.reduction, None)
    N = _notation.for_net(key.notation, before)

    def rerun(override):
        return _mark.hand_step(before, [key.x], [key.y], key.eta, key.eta_b, key.reduction, key.decimals,
                               override)
    marks = _mark.mark_work(lines, hand, exact, N, rerun, key.decimals)
    by_event = {}
    for m in marks:
        if m.term is not None and m.term.term is None:
            by_event.setdefault(_event_key(hand[m.term.index]), m)
    r = Result(marks, hand, N)
    for q in key.questions:
        m = by_event.get((q["kind"], q["layer"], q["neuron"], q.get("source")))
        verdict = "missing" if m is None else m.verdict
        r.verdicts.append((q, verdict, m))
        r.score += 1.0 if verdict == "right" else carried_credit if verdict == "carried" else 0.0
    r.out_of = len(key.questions)
    wrong = [m for _, v, m in r.verdicts if v == "wrong"]
    if wrong:
        r.first = min(wrong, key=lambda m: m.term.index)
    return r
