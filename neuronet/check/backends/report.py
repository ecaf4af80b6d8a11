"""What :func:`~neuronet.check.backends.compare.check` returns: every
compared number as an :class:`Entry`, grouped in :class:`Block`\\ s in
chain-rule order, and the :class:`Report` over them (its text and JSON
forms).  The comparing itself is in :mod:`.verify`.
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
        return math.isfinite(self.backend) and self.abs_err <= atol + rtol * abs(self.reference)

    def to_dict(self) -> dict:
        return {"name": self.name, "kind": self.kind, "layer": self.layer, "i": self.i, "j": self.j,
                "what": self.what, "reference": _j(self.reference), "backend": _j(self.backend),
                "abs_err": _j(self.abs_err), "rel_err": _j(self.rel_err)}


def _j(x: float):
    """JSON has no NaN/inf: write them as strings."""
    return x if math.isfinite(x) else str(x)


@dataclass(frozen=True)
class Block:
    """The numbers of one kind in one layer, summarised in a single pass:
    ``over`` counts the entries outside tolerance, ``first`` is the first of
    them in pass order, ``worst`` the entry furthest outside it (largest
    :meth:`Entry.excess`).  ``note`` explains a pattern (a square matrix that
    matches when transposed)."""
    name: str                 # "outputs", "loss", "layer 2 weights", "layer 2 biases", …
    layer: int
    count: int
    max_abs: float
    max_rel: float
    over: int
    worst: Entry | None
    first: Entry | None = None
    note: str | None = None


def summarise(name: str, kind: str, layer: int, items, rtol: float, atol: float) -> Block:
    """``items`` yields (i, j, reference, backend) in pass order; only the
    first bad and the worst become :class:`Entry` objects (a 784-200-100-10
    network has 178 000 numbers)."""
    count = over = 0
    max_abs = max_rel = 0.0
    worst_key, worst, first = (False, -1.0), None, None
    inf = math.inf
    for i, j, r, g in items:
        count += 1
        d = abs(g - r)
        if d != d:                                  # NaN: never agrees
            d = inf
        tol = atol + rtol * abs(r)
        bad = not (d <= tol and g - g == 0.0)       # g − g ≠ 0 for ±inf and NaN
        over += bad
        if bad and first is None:
            first = (i, j, r, g)
        if d > max_abs:
            max_abs = d
        if d > 0.0:
            rel = d / abs(r) if r != 0.0 else inf
            if rel > max_rel:
                max_rel = rel
        key = (bad, d / tol if tol > 0 else (inf if d > 0 else 0.0))
        if key > worst_key or worst is None:
            worst_key, worst = key, (i, j, r, g)
    entry = None if worst is None else Entry(kind, layer, *worst)
    return Block(name, layer, count, max_abs, max_rel, over, entry,
                 None if first is None else Entry(kind, layer, *first))


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

    @property
    def count(self) -> int:
        return sum(b.count for b in self.blocks)

    @property
    def over(self) -> int:
        return sum(b.over for b in self.blocks)

    @property
    def ok(self) -> bool:
        return self.error is None and self.declined is None and self.over == 0

    @property
    def first(self) -> Block | None:
        """The first disagreeing block in chain-rule order: where it starts."""
        for b in self.blocks:
            if b.over:
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
            k = (not e.ok(self.rtol, self.atol), e.excess(self.rtol, self.atol))
            if key is None or k > key:
                best, key = e, k
        return best

    @property
    def focus(self) -> Entry | None:
        """The first entry outside tolerance, in pass order, of the block
        where the disagreement starts (the worst entry overall when
        everything agrees)."""
        first = self.first
        return first.first if first is not None else self.worst

    def to_dict(self) -> dict:
        first = self.first
        worst = self.worst
        return {"ok": self.ok, "rtol": self.rtol, "atol": self.atol, "count": self.count, "over": self.over,
                "error": self.error, "died": self.died, "declined": self.declined, "frames": self.frames,
                "backend_output": self.output,
                "blocks": [{"name": b.name, "layer": b.layer, "count": b.count,
                            "max_abs_err": _j(b.max_abs), "max_rel_err": _j(b.max_rel),
                            "over": b.over, **({"note": b.note} if b.note else {})} for b in self.blocks],
                "first": None if first is None else {"block": first.name, "layer": first.layer,
                                                     "others_in_block": first.over - 1,
                                                     "note": first.note, **first.first.to_dict()},
                "worst": None if worst is None else worst.to_dict()}


