"""Compare a backend with the per-neuron reference, number by number.

:func:`check` runs the reference (:func:`neuronet.engine.passes.gradients`) and a
backend on the same spec and batch and returns a :class:`Report`: every
output, the loss and every ∂L/∂w and ∂L/∂b as an :class:`Entry`, grouped in
:class:`Block`\\ s in chain-rule order — outputs, loss, then the layers from the
output back to the input.  A number agrees when

    |backend − reference| ≤ atol + rtol·|reference|

(the reference is the trusted side).  Because every error flows backwards
through the deltas, the first disagreeing block in that order is where a bug
*starts*; its worst entry is the report's ``focus``, and :func:`trace`
replays the reference with a :class:`~neuronet.engine.events.Recorder` to show the
chain-rule terms behind that one number.
"""
from __future__ import annotations

import copy
import math
from dataclasses import dataclass

from ...engine import passes
from ...io import spec as _spec
from ...engine.events import Recorder
from . import Backend
from .contract import BackendError, check as check_contract
from .params import canonical


@dataclass(frozen=True)
class Entry:
    """One compared number.  ``kind`` is "output" (i = sample, j = neuron),
    "loss", "w" (layer = destination l, i = source neuron, j = destination
    neuron) or "b" (i = neuron)."""
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
    ``over`` counts the entries outside tolerance, ``worst`` is the entry
    furthest outside it (largest :meth:`Entry.excess`)."""
    name: str                 # "outputs", "loss", "layer 2 weights", "layer 2 biases", …
    layer: int
    count: int
    max_abs: float
    max_rel: float
    over: int
    worst: Entry | None


def summarise(name: str, kind: str, layer: int, items, rtol: float, atol: float) -> Block:
    """``items`` yields (i, j, reference, backend); only the worst becomes an
    :class:`Entry` (a 784-200-100-10 network has 178 000 numbers)."""
    count = over = 0
    max_abs = max_rel = 0.0
    worst_key, worst = (False, -1.0), None
    inf = math.inf
    for i, j, r, g in items:
        count += 1
        d = abs(g - r)
        if d != d:                                  # NaN: never agrees
            d = inf
        tol = atol + rtol * abs(r)
        bad = not (d <= tol and g - g == 0.0)       # g − g ≠ 0 for ±inf and NaN
        over += bad
        if d > max_abs:
            max_abs = d
        if d > 0.0:
            rel = d / abs(r) if r != 0.0 else inf
            if rel > max_rel:
                max_rel = rel
        key = (bad, d / tol if tol > 0 else (inf if d > 0 else 0.0))
        if key > worst_key or worst is None:
            worst_key, worst = key, (i, j, r, g)
    entry = None if worst is None else Entry(kind, layer, worst[0], worst[1], worst[2], worst[3])
    return Block(name, layer, count, max_abs, max_rel, over, entry)


@dataclass
class Report:
    blocks: list[Block]
    rtol: float
    atol: float
    error: str | None = None      # the backend raised instead of answering

    @property
    def count(self) -> int:
        return sum(b.count for b in self.blocks)

    @property
    def over(self) -> int:
        return sum(b.over for b in self.blocks)

    @property
    def ok(self) -> bool:
        return self.error is None and self.over == 0

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
        """The worst entry of the block where the disagreement starts (the
        worst entry overall when everything agrees)."""
        first = self.first
        return first.worst if first is not None else self.worst

    def to_dict(self) -> dict:
        first = self.first
        worst = self.worst
        return {"ok": self.ok, "rtol": self.rtol, "atol": self.atol, "count": self.count, "over": self.over,
                "error": self.error,
                "blocks": [{"name": b.name, "layer": b.layer, "count": b.count,
                            "max_abs_err": _j(b.max_abs), "max_rel_err": _j(b.max_rel),
                            "over": b.over} for b in self.blocks],
                "first": None if first is None else {"block": first.name, "layer": first.layer,
                                                     **first.worst.to_dict()},
                "worst": None if worst is None else worst.to_dict()}


# ---------------------------------------------------------------------------
# running both sides
# ---------------------------------------------------------------------------

def reference(net, xs, ys, reduction: str = "mean") -> dict:
    """The per-neuron engine's answer, in the contract's shape."""
    L, outputs, grads, input_biases = passes.gradients(net, xs, ys, reduction)
    out = {"loss": L, "outputs": outputs, "gradients": grads}
    if input_biases is not None:
        out["input_biases"] = input_biases
    return out


def compare(ref: dict, got: dict, rtol: float, atol: float) -> Report:
    """Both sides in the (checked) contract shape → a :class:`Report`, its
    blocks in chain-rule order: outputs, loss, then layer L … 1, input biases."""
    last = len(ref["gradients"])

    def matrix(rm, gm):
        for i, (rrow, grow) in enumerate(zip(rm, gm)):
            for j, (r, g) in enumerate(zip(rrow, grow)):
                yield i, j, r, g

    def vector(rv, gv):
        for j, (r, g) in enumerate(zip(rv, gv)):
            yield j, -1, r, g

    blocks = [summarise("outputs", "output", last, matrix(ref["outputs"], got["outputs"]), rtol, atol),
              summarise("loss", "loss", last, iter([(-1, -1, ref["loss"], got["loss"])]), rtol, atol)]
    for l in range(last, 0, -1):
        rg, gg = ref["gradients"][l - 1], got["gradients"][l - 1]
        blocks.append(summarise(f"layer {l} weights", "w", l, matrix(rg["weights"], gg["weights"]), rtol, atol))
        blocks.append(summarise(f"layer {l} biases", "b", l, vector(rg["biases"], gg["biases"]), rtol, atol))
    if "input_biases" in ref:
        blocks.append(summarise("layer 0 biases (input)", "b", 0,
                                vector(ref["input_biases"], got["input_biases"]), rtol, atol))
    return Report(blocks, rtol, atol)


@dataclass
class Outcome:
    report: Report
    reference: dict
    backend: dict | None
    net: object
    xs: list
    ys: list
    reduction: str


def check(spec_dict: dict, xs, ys, backend: Backend, reduction: str = "mean",
          rtol: float = 1e-9, atol: float = 1e-12, source: str | None = None) -> Outcome:
    """Run the reference and ``backend`` on one batch and compare them.

    Bad input (a spec the reference rejects, a backend answer of the wrong
    shape) raises; a backend that raises while computing becomes a report
    with ``error`` set — a disagreement, not bad input.
    """
    net = _spec.from_dict(spec_dict, source)
    ref = reference(net, xs, ys, reduction)
    given = canonical(spec_dict)
    try:
        raw = backend(given, copy.deepcopy(xs), copy.deepcopy(ys), reduction)
    except BackendError:
        raise
    except Exception as e:   # foreign code: whatever it raises is its answer
        report = Report([], rtol, atol, error=f"{type(e).__name__}: {e}")
        return Outcome(report, ref, None, net, xs, ys, reduction)
    got = check_contract(raw, net.sizes, len(xs), net.input_bias, source=backend.source or backend.name)
    return Outcome(compare(ref, got, rtol, atol), ref, got, net, xs, ys, reduction)


# ---------------------------------------------------------------------------
# the reference's chain-rule trace behind one number
# ---------------------------------------------------------------------------

DELTA_KINDS = {"fprime", "delta", "delta_out", "dsum", "backprop", "jacobian", "path"}


class _Only(Recorder):
    """A Recorder that keeps only the events ``keep`` accepts (a full trace
    of a 784-200-100-10 network would hold half a million events)."""

    def __init__(self, keep) -> None:
        super().__init__()
        self.keep = keep

    def __call__(self, event) -> None:
        if self.keep(event):
            self.events.append(event)


def _selector(net, entry: Entry):
    l, last = entry.layer, len(net.layers) - 1
    softmax = net.activations[l].layerwise if entry.kind in ("w", "b") else False

    def delta_chain(e, j) -> bool:
        if e.layer != l:
            return False
        if e.kind in DELTA_KINDS:
            return e.neuron == j
        if e.kind == "dL_da":   # a softmax delta needs every ∂L/∂a_n of its layer
            return l == last and (softmax or e.neuron == j)
        return False

    if entry.kind == "w":
        i, j = entry.i, entry.j
        return lambda e: (((e.kind in ("grad_w", "accumulate_w")) and e.layer == l and e.neuron == j
                           and e.source == i)
                          or (e.kind == "a" and e.layer == l - 1 and e.neuron == i)
                          or delta_chain(e, j))
    if entry.kind == "b":
        j = entry.i
        return lambda e: ((e.kind in ("grad_b", "accumulate_b") and e.layer == l and e.neuron == j)
                          or delta_chain(e, j))
    if entry.kind == "output":
        k = entry.j
        return lambda e: e.layer == last and e.neuron == k and e.kind in ("product", "z", "a")
    return lambda e: e.kind in ("loss_term", "loss")


def trace(outcome: Outcome, entry: Entry, max_samples: int = 3):
    """Re-run the reference on (up to ``max_samples`` of) the batch with a
    filtering Recorder; return ``(events, samples)``.  An output's trace
    covers only its own sample.  Per-sample terms do not depend on the rest
    of the batch, so a shorter replay shows the same numbers."""
    net, xs, ys = outcome.net, outcome.xs, outcome.ys
    if entry.kind == "output":
        samples = [entry.i]
    else:
        samples = list(range(min(len(xs), max_samples)))
    rec = _Only(_selector(net, entry))
    # gradients() numbers the replayed samples 0, 1, …: they are samples[0], samples[1], …
    passes.gradients(net, [xs[s] for s in samples], [ys[s] for s in samples], outcome.reduction, emit=rec)
    return rec.events, samples


def line(event) -> str:
    """One event as text: neuronet.present.notation.line when that module exists,
    else the formula, its terms and the value."""
    try:
        from ...present.notation import line as notation_line
        return str(notation_line(event))
    except Exception:
        pass
    terms = ", ".join(f"{n} = {v:.10g}" for n, v in event.terms)
    where = f"layer {event.layer}, neuron {event.neuron}"
    if event.source is not None:
        where += f", source {event.source}"
    return f"{event.kind:<12} {event.formula}   [{where}]   {terms}  →  {event.value:.10g}"
