"""Exercise packs for a class: one variant of a lesson per student.

A lesson is a network, one sample, η and the hand-mode precision (002 carries
4 decimals).  A *variant* keeps the lesson's shape, activations, loss and
targets and draws new weights and inputs near the lesson's own:

* **seeded by the student**: the seed is SHA-256 of the course secret and the
  student ID, so the same ID always gets the same variant (a marker can
  reproduce it) and, with a secret, an ID does not predict its numbers;
* **nice numbers**: each weight moves by whole steps of 0.01 (or of its own
  last written decimal, if finer but still coarser than the hand precision)
  up to ±:data:`SPREAD` (0.25 → 0.15 … 0.35) and never to 0; each input by
  steps of 0.1 (at least) up to ±0.2, inside the range the lesson's inputs
  span (1, 0 → 0.8 … 1, 0 … 0.2);
* **no saturation**: every f′(z) of the step is at least :data:`MIN_FPRIME`
  (a σ′ of 0.05 means |z| < 2.94), so no δ vanishes into rounding;
* **no near-ties**: no number the hand calculation rounds sits within
  :data:`NEAR_TIE` of a unit of a rounding midpoint (…5 in the next decimal)
  without being on it, where two correct calculators could round apart (a
  number *on* a midpoint, like 0.5·0.0037 = 0.00185, is a short decimal every
  calculator shows whole, and half-up says where it goes); and no asked term
  rounds to 0 at the hand precision unless it is exactly 0.

A draw that breaks a rule is thrown away and the next draw of the same seeded
generator is taken, so the result still depends on the ID alone.

The questions are the step's terms of the asked phases (forward, loss,
delta, gradient, update), each with its symbol in the lesson's notation and
its hand-calculated answer — the key.  Nothing here writes files or prints:
cli/exam.py does.
"""
from __future__ import annotations

import hashlib
import math
import random
from dataclasses import dataclass, field
from decimal import Decimal

from ..engine.events import Event
from ..errors import DataError
from ..present import notation as _notation
from ..present.view import View
from ..present import safe
from ..present.handcalc import round_half_up, rounder

#: phase → the event kinds a question of that phase asks
ASK_KINDS = {
    "forward": ("z", "a"),
    "loss": ("loss_term", "loss"),
    "delta": ("delta_out", "delta"),
    "gradient": ("grad_w", "grad_b"),
    "update": ("update_w", "update_b"),
}
PHASES = tuple(ASK_KINDS)
#: a variant's smallest f′(z) (σ′ ≥ 0.05 ⇔ |z| ≤ 2.94; a dead ReLU has f′ = 0)
MIN_FPRIME = 0.05
#: how close (in units of the last carried decimal) to a …5 midpoint a rounded number may sit
NEAR_TIE = 0.01
#: how far a weight may move, at most (in the weight's own units)
SPREAD = 0.10
#: draws tried before giving up on a lesson whose rules no variant meets
MAX_DRAWS = 2000
KEY_FORMAT = "neuronet-exam-key"


@dataclass
class Lesson:
    """What every variant shares: the network (its weights are the centre of
    the draw), the sample, η, η_b and the hand-mode decimals."""
    net: object
    x: list[float]
    y: list[float]
    eta: float
    eta_b: float | None
    decimals: int
    notation: str
    name: str
    source: str = ""


@dataclass
class Question:
    symbol: str                 # in the lesson's notation, as a student writes it
    kind: str
    layer: int
    neuron: int
    source: int | None
    phase: str
    value: float                # the hand calculation's number
    answer: str                 # it, written at the hand decimals

    def to_dict(self) -> dict:
        return {"symbol": self.symbol, "kind": self.kind, "layer": self.layer, "neuron": self.neuron,
                "source": self.source, "phase": self.phase, "value": self.value, "answer": self.answer}


@dataclass
class Variant:
    student: str
    net: object
    x: list[float]
    y: list[float]
    draws: int                  # how many draws it took (1: the first met every rule)
    questions: list[Question] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    def fingerprint(self) -> tuple:
        """The variant's own numbers: two students with equal fingerprints got the same exercise."""
        ws = tuple(w for layer in self.net.layers for n in layer for w in n.w)
        bs = tuple(n.b for layer in self.net.layers for n in layer)
        return ws + bs + tuple(self.x)


def seed_of(student: str, secret: str = "") -> int:
    """The variant seed of a student: SHA-256 of ``secret`` and the ID
    (the ID stripped of surrounding spaces), as a 64-bit number."""
    h = hashlib.sha256(f"neuronet-exam\0{secret}\0{student.strip()}".encode("utf-8")).digest()
    return int.from_bytes(h[:8], "big")


def decimals_written(x: float) -> int:
    """Decimals of a number as a person writes it: 0.25 → 2, 0.1 → 1, 1.0 → 0."""
    d = Decimal(repr(float(x))).normalize()
    return max(0, -d.as_tuple().exponent)


def _grid(x: float, places: int, rng: random.Random, spread: float,
          low: float | None = None, high: float | None = None, nonzero: bool = False) -> float:
    """x moved by a whole number of steps of 10^-places, at most ``spread``
    (inside [low, high]; never 0 when ``nonzero``)."""
    step = 10.0 ** -places
    k = int(round(spread / step))
    for _ in range(100):
        v = round(x + rng.randint(-k, k) * step, places)
        if (low is None or v >= low - 1e-12) and (high is None or v <= high + 1e-12) \
                and not (nonzero and v == 0.0):
            return v + 0.0          # no −0.0
    return x


def _draw(lesson: Lesson, rng: random.Random):
    """One candidate: (network, x) near the lesson's."""
    net = lesson.net.copy()
    cap = max(1, lesson.decimals - 1)              # nice: fewer decimals than the hand calculation carries
    for layer in net.layers:
        for neuron in layer:
            neuron.w = [_grid(w, min(cap, max(2, decimals_written(w))), rng, SPREAD, nonzero=w != 0.0)
                        for w in neuron.w]
            if neuron.b != 0.0:
                neuron.b = _grid(neuron.b, min(cap, max(2, decimals_written(neuron.b))), rng, SPREAD,
                                 nonzero=True)
    low, high = min(lesson.x), max(lesson.x)
    if low == high:
        low = high = None
    x = [_grid(v, min(cap, max(1, decimals_written(v))), rng, 2 * SPREAD, low, high) for v in lesson.x]
    return net, x


def _recorded(lesson: Lesson, net, x):
    """One hand-mode step of (net, x); also every number the rounding saw before rounding."""
    from ..engine import passes
    from ..engine.events import Recorder
    base = rounder(lesson.decimals)
    seen: list[float] = []

    def rnd(kind, v):
        seen.append(v)
        return base(kind, v)
    rec = Recorder()
    passes.step(net.copy(), [x], [lesson.y], lesson.eta, lesson.eta_b, "mean", emit=rec, rnd=rnd)
    return rec.events, seen


def problems(lesson: Lesson, events: list[Event], seen: list[float], kinds) -> list[str]:
    """Why a candidate is not a fair exercise (empty: it is)."""
    out = []
    for e in events:
        fp = e.value if e.kind == "fprime" else (dict(e.terms).get("fprime") if e.kind == "delta_out" else None)
        if fp is not None and abs(fp) < MIN_FPRIME:
            out.append(f"saturated: f′ = {fp:.4g} at layer {e.layer}, neuron {e.neuron}")
    for v in seen:
        if not math.isfinite(v):
            out.append("a number that is not finite")
            continue
        # the number as a 12-digit calculator shows it (round_half_up's reading), in units of the last decimal
        d = abs(Decimal(format(v, ".12g"))).scaleb(lesson.decimals)
        off = abs(d % 1 - Decimal("0.5"))
        if 0 < off < Decimal(str(NEAR_TIE)):
            out.append(f"near-tie: {v!r} is a hair from a rounding midpoint")
    for e in events:
        if e.kind in kinds and e.sample in (0, -1) and e.value != 0.0 \
                and round_half_up(e.value, lesson.decimals) == 0.0:
            out.append(f"{e.kind} rounds to 0")
    return out


def asked_kinds(ask: list[str] | None, lesson: Lesson) -> tuple[str, ...]:
    """The event kinds of the asked phases; bias terms only when biases are trained."""
    kinds = []
    for p in ask or PHASES:
        kinds += ASK_KINDS[p]
    if lesson.eta_b == 0.0:
        kinds = [k for k in kinds if k not in ("grad_b", "update_b")]
    return tuple(kinds)


def questions(lesson: Lesson, net, events: list[Event], kinds) -> list[Question]:
    """Every term of the asked kinds, in step order, with its hand-calculated answer."""
    N = _notation.for_net(lesson.notation, net)
    out = []
    for e in events:
        if e.kind not in kinds or e.sample not in (0, -1):
            continue
        if e.layer == 0 and e.kind in ("z", "a"):          # the input layer: given, not asked
            continue
        lhs = _notation.describe(e, N, None).lhs
        symbol = lhs + "'" if e.kind in ("update_w", "update_b") else lhs
        v = round_half_up(e.value, lesson.decimals)
        out.append(Question(symbol, e.kind, e.layer, e.neuron, e.source, e.phase, v,
                            format(v, f".{lesson.decimals}f")))
    return out


def check_lesson(lesson: Lesson) -> None:
    """Refuse a lesson whose own step is saturated: its variants, drawn near
    it, would be too (a DataError saying where)."""
    events, _ = _recorded(lesson, lesson.net, lesson.x)
    bad = [p for p in problems(lesson, events, [], ()) if p.startswith("saturated")]
    if bad:
        raise DataError(f"{lesson.name} is not a fair hand exercise: its own step is {bad[0]} "
                        f"({len(bad)} saturated in all); variants near it would be too")


def variant(lesson: Lesson, student: str, secret: str = "", ask: list[str] | None = None) -> Variant:
    """The student's variant: the first draw of their seeded generator that
    meets every rule (:func:`problems`)."""
    if not student.strip():
        raise DataError("a student ID is empty")
    rng = random.Random(seed_of(student, secret))
    kinds = asked_kinds(ask, lesson)
    why: dict[str, int] = {}
    for n in range(1, MAX_DRAWS + 1):
        net, x = _draw(lesson, rng)
        events, seen = _recorded(lesson, net, x)
        found = problems(lesson, events, seen, kinds)
        if not found:
            v = Variant(student.strip(), net, x, list(lesson.y), n, events=events)
            v.questions = questions(lesson, net, events, kinds)
            return v
        for p in {f.split(":")[0] for f in found}:
            why[p] = why.get(p, 0) + 1
    worst = max(why, key=why.get)
    raise DataError(f"no variant of {lesson.name} met the rules (no saturation, no near-ties) "
                    f"in {MAX_DRAWS} draws for student {student!r} (most often: {worst}, "
                    f"{why[worst]} of {MAX_DRAWS})")


# ---------------------------------------------------------------------------
# the key and the handout
# ---------------------------------------------------------------------------

def key(lesson: Lesson, v: Variant, ask: list[str] | None) -> dict:
    """The withheld key: everything ``neuronet mark --key`` needs to redo the
    student's step (never the course secret)."""
    from ..io.spec import to_dict
    return {"format": KEY_FORMAT, "version": 1, "student": v.student, "lesson": lesson.name,
            "source": lesson.source, "spec": to_dict(v.net), "input": v.x, "target": v.y,
            "eta": lesson.eta, "eta_b": lesson.eta_b, "reduction": "mean", "round": lesson.decimals,
            "notation": lesson.notation, "ask": list(ask or PHASES),
            "questions": [q.to_dict() for q in v.questions]}


def _num(x: float) -> str:
    return _notation.fmt(x, None)


#: the kinds whose formula a handout shows, one of each, in step order
FORMULA_KINDS = ("z", "a", "loss_term", "loss", "delta_out", "dsum", "fprime", "delta", "grad_w", "update_w",
                 "grad_b", "update_b")


def formulas(lesson: Lesson, v: Variant) -> list[str]:
    """One formula of each kind the questions need (TeX math, which pandoc
    --mathml turns into MathML: no image, nothing fetched), in the lesson's
    notation, from the variant's own recorded step."""
    view = View.of(v.net, lesson.notation, None, latex=True)     # symbols only: numbers as carried
    kinds = {q.kind for q in v.questions}
    if kinds & {"delta", "delta_out"}:
        kinds |= {"dsum", "fprime"} if "delta" in kinds else {"fprime"}
    out, seen = [], set()
    for e in v.events:
        if e.kind in FORMULA_KINDS and e.kind in kinds and e.kind not in seen and e.sample in (0, -1) \
                and not (e.layer == 0 and e.kind in ("z", "a")):
            seen.add(e.kind)
            d = view.describe(e)
            parts = d.parts()
            if len(parts) >= 2:
                out.append(f"$${parts[0]} {d.op} {parts[1]}$$")
    if not out:
        return []
    return ["## The formulas (one of each kind)", ""] + [x + "\n" for x in out]


def handout(lesson: Lesson, v: Variant, work_name: str) -> str:
    """The student's handout as Markdown: their network's numbers and the
    terms to compute, as blank ``symbol =`` lines.  No answers, no key."""
    net = v.net
    N = _notation.for_net(lesson.notation, net)
    acts = ", ".join(f"{N.layer_name(l)}: {net.activations[l].name}" for l in range(1, len(net.layers)))
    md = safe.markdown                  # the lesson's name and source, a roster's names: text, never markup
    lines = [f"# {md(lesson.name)}: exercise for {md(v.student)}", ""]
    if lesson.source:
        lines += [f"After {md(lesson.source)}.", ""]
    lines += [f"A {'-'.join(map(str, net.sizes))} network; activations {acts}; loss {net.loss.name}. "
              f"One step of gradient descent on one sample, learning rate "
              f"{N.eta()} = {_num(lesson.eta)}"
              + ("; the biases are not trained." if lesson.eta_b == 0.0 else "."), "",
              "## Your numbers", "", "```"]
    for j, xj in enumerate(v.x):
        lines.append(f"{N.a(0, j)} = {_num(xj)}")
    for j, yj in enumerate(v.y):
        lines.append(f"{N.y(j)} = {_num(yj)}")
    for l in range(1, len(net.layers)):
        for j in range(len(net.layers[l])):
            for i in range(len(net.layers[l - 1])):
                lines.append(f"{N.w(l, i, j)} = {_num(net.weight(l, i, j))}")
    if lesson.eta_b != 0.0 or any(n.b for layer in net.layers[1:] for n in layer):
        for l in range(1, len(net.layers)):
            for j, n in enumerate(net.layers[l]):
                lines.append(f"{N.b(l, j)} = {_num(n.b)}")
    lines += ["```", ""] + formulas(lesson, v) + ["## What to compute", "",
              f"Carry every number rounded half-up to {lesson.decimals} decimals, as you go "
              f"(a new weight is written with a prime: w').  Fill in each line and hand in the "
              f"lines as a plain text file named `{work_name}`, one `symbol = value` a line "
              "(you may show your working: `symbol = 0.1 + 0.2 = 0.3`; the number after the last "
              "`=` is marked).", "", "```"]
    lines += [f"{q.symbol} = " for q in v.questions]
    lines += ["```", ""]
    return "\n".join(lines)
