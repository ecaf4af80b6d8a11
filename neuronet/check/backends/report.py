"""What :func:`~neuronet.check.backends.compare.check` returns: every
compared number as an :class:`Entry`, grouped in :class:`Block`\\ s in
chain-rule order, and the :class:`Report` over them (its text and JSON
forms).  The comparing itself is in :mod:`.compare`.

With a number type (``--dtype float32``) every entry also has a *budget*
(:mod:`neuronet.check.precision.budget`): the most a correct backend in
that type can differ from the float64 reference.  Each number is then one of

* **agrees** — within the tolerance (``atol + rtol·|reference|``),
* **within <dtype> rounding** — outside the tolerance but |diff| ≤ budget
  (its *margin* |diff|/budget ≤ 1),
* **beyond rounding** — |diff| > budget: a bug, whatever the type.

Only *beyond* counts as a disagreement (``over``).  Without a type, the
margin is |diff|/tolerance and *beyond* means outside the tolerance.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

# the optional per-layer fields: contract key → Entry.kind; Entry.kind → words
FIELD_KIND = {"z": "z", "activations": "a", "deltas": "delta"}
WORDS = {"z": "weighted input z", "a": "activation a", "delta": "delta δ = ∂L/∂z"}


@dataclass(frozen=True)
class Entry:
    """One compared number.  ``kind`` is "output" (i = sample, j = neuron),
    "loss", "w" (layer = destination l, i = source neuron, j = destination
    neuron), "b" (i = neuron), or one of the per-layer kinds "z", "a",
    "delta" (i = sample, j = neuron)."""
    kind: str
    layer: int
    i: int
    j: int
    reference: float
    backend: float
    budget: float | None = None       # the rounding budget, when a number type is verified

    @property
    def name(self) -> str:
        if self.kind == "w":
            return f"w[{self.layer}][{self.i}][{self.j}]"
        if self.kind == "b":
            return f"b[{self.layer}][{self.i}]"
        if self.kind == "output":
            return f"output[{self.i}][{self.j}]"
        if self.kind in WORDS:
            return f"{self.kind}[{self.layer}][{self.j}] of sample {self.i}"
        return "loss"

    @property
    def what(self) -> str:
        """The number in words."""
        if self.kind == "w":
            return (f"∂L/∂w from neuron {self.i} of layer {self.layer - 1} "
                    f"to neuron {self.j} of layer {self.layer}")
        if self.kind == "b":
            return f"∂L/∂b of neuron {self.i} of layer {self.layer}"
        if self.kind == "output":
            return f"output a_{self.j} of sample {self.i}"
        if self.kind in WORDS:
            return f"{WORDS[self.kind]} of neuron {self.j} of layer {self.layer}, sample {self.i}"
        return "the batch loss"

    @property
    def abs_err(self) -> float:
        d = abs(self.backend - self.reference)
        return d if not math.isnan(d) else math.inf

    @property
    def rel_err(self) -> float:
        if self.backend == self.reference:
            return 0.0
        return self.abs_err / abs(self.reference) if self.reference != 0.0 else math.inf

    def excess(self, rtol: float, atol: float) -> float:
        """abs_err as a multiple of the tolerance (> 1 means disagreement)."""
        tol = atol + rtol * abs(self.reference)
        if self.abs_err == 0.0:
            return 0.0
        return self.abs_err / tol if tol > 0 else math.inf

    def ok(self, rtol: float, atol: float) -> bool:
        """Within the tolerance, or within the budget (neither beyond nor unjudged)."""
        return self.verdict(rtol, atol) in ("agrees", "within")

    def agrees(self, rtol: float, atol: float) -> bool:
        return (math.isfinite(self.backend) or self.backend == self.reference) \
            and self.abs_err <= atol + rtol * abs(self.reference)

    @property
    def bounded(self) -> bool:
        """Has a finite rounding budget.  An infinite one (a sum of n terms
        with n·u ≥ 1: γ_n has no bound) allows anything, so it is never
        used: such a number is held to the tolerance."""
        return self.budget is not None and math.isfinite(self.budget)

    def verdict(self, rtol: float, atol: float) -> str:
        """"agrees", "within" (the rounding budget), "beyond", or "unjudged":
        outside the tolerance where the type has no finite budget — verify
        cannot tell rounding from a bug there."""
        if self.agrees(rtol, atol):
            return "agrees"
        if self.budget is not None and not self.bounded:
            return "unjudged"
        if self.bounded and self.abs_err <= self.budget:
            return "within"
        return "beyond"

    def margin(self, rtol: float, atol: float) -> float:
        """|diff| / max(budget, tolerance) with a budget, else |diff| / tolerance
        (> 1: beyond)."""
        if not self.bounded:
            return self.excess(rtol, atol)
        if self.abs_err == 0.0:
            return 0.0
        allowed = max(self.budget, atol + rtol * abs(self.reference))
        return self.abs_err / allowed if allowed > 0 else math.inf

    def to_dict(self) -> dict:
        out = {"name": self.name, "kind": self.kind, "layer": self.layer, "i": self.i, "j": self.j,
               "what": self.what, "reference": _j(self.reference), "backend": _j(self.backend),
               "abs_err": _j(self.abs_err), "rel_err": _j(self.rel_err)}
        if self.budget is not None:
            out["budget"] = _j(self.budget)
        return out


def _j(x: float):
    """JSON has no NaN/inf: write them as strings."""
    return x if math.isfinite(x) else str(x)


@dataclass(frozen=True)
class Block:
    """The numbers of one kind in one layer, summarised in a single pass:
    ``over`` counts the entries beyond (outside tolerance and budget),
    ``within`` those outside the tolerance but within the rounding budget,
    ``first`` is the first beyond in pass order, ``worst`` the entry of the
    largest margin, ``margin`` that margin (|diff|/budget, or /tolerance).  ``note`` explains a pattern (a square matrix that
    matches when transposed).  ``unjudged`` counts the entries outside the
    tolerance whose budget is infinite (the type has no worst-case bound
    there): neither within rounding nor beyond it — verify cannot tell, and
    says so; ``first_unjudged`` is the first of them."""
    name: str                 # "outputs", "loss", "layer 2 weights", "layer 2 biases", …
    layer: int
    count: int
    max_abs: float
    max_rel: float
    over: int
    worst: Entry | None
    first: Entry | None = None
    note: str | None = None
    within: int = 0
    margin: float = 0.0
    unjudged: int = 0
    first_unjudged: Entry | None = None


def summarise(name: str, kind: str, layer: int, items, rtol: float, atol: float, budgets=None) -> Block:
    """``items`` yields (i, j, reference, backend) in pass order, ``budgets``
    (when a number type is verified) the budget of each in the same order;
    only the first bad and the worst become :class:`Entry` objects (a
    784-200-100-10 network has 178 000 numbers)."""
    count = over = within = unjudged = 0
    first_unjudged = None
    max_abs = max_rel = 0.0
    worst_key, worst, first = (False, -1.0), None, None
    inf = math.inf
    budgets = iter(budgets) if budgets is not None else None
    for i, j, r, g in items:
        count += 1
        b = next(budgets) if budgets is not None else None
        d = abs(g - r)
        if d != d:                                  # NaN: never agrees
            d = inf
        tol = atol + rtol * abs(r)
        bad = not (d <= tol and (g - g == 0.0 or g == r))     # g − g ≠ 0 for ±inf and NaN
        if b == inf:                                # no bound: anything would fit — not judged
            if bad:
                unjudged += 1
                if first_unjudged is None:
                    first_unjudged = (i, j, r, g, b)
                bad = False
            margin = 0.0                            # no budget to measure it by: reported apart
        elif b is not None:
            if bad and d <= b:
                bad = False
                within += 1
            allowed = max(b, tol)                   # margin > 1 exactly when beyond
            margin = d / allowed if allowed > 0 else (inf if d > 0 else 0.0)
        else:
            margin = d / tol if tol > 0 else (inf if d > 0 else 0.0)
        over += bad
        if d > max_abs:
            max_abs = d
        if d > 0.0:
            rel = d / abs(r) if r != 0.0 else inf
            if rel > max_rel:
                max_rel = rel
        if bad and first is None:
            first = (i, j, r, g, b)
        key = (bad, margin)
        if key > worst_key or worst is None:
            worst_key, worst = key, (i, j, r, g, b)
    entry = None if worst is None else Entry(kind, layer, *worst)
    return Block(name, layer, count, max_abs, max_rel, over, entry,
                 None if first is None else Entry(kind, layer, *first),
                 within=within, margin=max(worst_key[1], 0.0), unjudged=unjudged,
                 first_unjudged=None if first_unjudged is None else Entry(kind, layer, *first_unjudged))


@dataclass
class Report:
    blocks: list[Block]
    rtol: float
    atol: float
    error: str | None = None      # the backend raised (or died, or hung) instead of answering
    declined: str | None = None   # the backend declined the case (NotImplementedError or None)
    frames: list[str] = field(default_factory=list)   # the backend's own traceback, "file:line in f: code"
    output: str = ""              # what a child-process backend printed while answering
    died: bool = False            # its process hung past --timeout or ended before answering
    dtype: str | None = None      # the number type whose rounding budgets were used, if any
    hint: str | None = None       # one line: a better --dtype, when the differences fit its budgets

    @property
    def count(self) -> int:
        return sum(b.count for b in self.blocks)

    @property
    def over(self) -> int:
        return sum(b.over for b in self.blocks)

    @property
    def within(self) -> int:
        """Numbers outside the tolerance but within the type's rounding budget."""
        return sum(b.within for b in self.blocks)

    @property
    def unjudged(self) -> int:
        """Numbers outside the tolerance with no finite rounding budget in the type."""
        return sum(b.unjudged for b in self.blocks)

    @property
    def inconclusive(self) -> bool:
        """Nothing is beyond rounding, but some numbers could not be judged."""
        return self.error is None and self.declined is None and self.over == 0 and self.unjudged > 0

    @property
    def margin(self) -> float:
        """The worst margin: max |diff|/budget (or /tolerance without a type);
        > 1 exactly when something is beyond."""
        return max((b.margin for b in self.blocks), default=0.0)

    @property
    def ok(self) -> bool:
        return self.error is None and self.declined is None and self.over == 0 and self.unjudged == 0

    @property
    def first(self) -> Block | None:
        """The first disagreeing block in chain-rule order: where it starts."""
        for b in self.blocks:
            if b.over:
                return b
        for b in self.blocks:               # nothing beyond: where the first unjudged number is
            if b.unjudged:
                return b
        return None

    @property
    def worst(self) -> Entry | None:
        """The entry furthest outside tolerance over all blocks."""
        best, key = None, None
        for b in self.blocks:
            e = b.worst
            if e is None:
                continue
            k = (not e.ok(self.rtol, self.atol), e.margin(self.rtol, self.atol))
            if key is None or k > key:
                best, key = e, k
        return best

    @property
    def worst_margin(self) -> float | None:
        """How close the case came to disagreeing, as one number: :attr:`margin`
        (the largest |backend − reference| / (atol + rtol·|reference|), or over
        the type's rounding budget when that is larger; ≤ 1 agrees, 0 when all
        are equal).  None when the backend declined the case, inf when it
        failed instead of answering."""
        if self.declined is not None:
            return None
        if self.error is not None:
            return math.inf
        return self.margin

    @property
    def focus(self) -> Entry | None:
        """The first entry outside tolerance, in pass order, of the block
        where the disagreement starts (the worst entry overall when
        everything agrees)."""
        first = self.first
        if first is None:
            return self.worst
        return first.first if first.over else first.first_unjudged

    def to_dict(self) -> dict:
        first = self.first
        worst = self.worst
        margin = self.worst_margin
        return {"ok": self.ok, "rtol": self.rtol, "atol": self.atol, "count": self.count, "over": self.over,
                "dtype": self.dtype, "within": self.within, "beyond": self.over, "unjudged": self.unjudged,
                "worst_margin": None if margin is None else _j(margin), "hint": self.hint,
                "error": self.error, "died": self.died, "declined": self.declined, "frames": self.frames,
                "backend_output": self.output,
                "blocks": [{"name": b.name, "layer": b.layer, "count": b.count,
                            "max_abs_err": _j(b.max_abs), "max_rel_err": _j(b.max_rel),
                            "over": b.over, "within": b.within, "unjudged": b.unjudged,
                            "margin": _j(b.margin),
                            **({"note": b.note} if b.note else {})} for b in self.blocks],
                "first": None if first is None or not first.over else {
                    "block": first.name, "layer": first.layer, "others_in_block": first.over - 1,
                    "note": first.note, **first.first.to_dict()},
                "first_unjudged": None if first is None or first.over else {
                    "block": first.name, "layer": first.layer, **first.first_unjudged.to_dict()},
                "worst": None if worst is None else worst.to_dict()}


