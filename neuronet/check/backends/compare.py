"""Compare a backend with the per-neuron reference, number by number.

:func:`check` runs the reference (:func:`neuronet.engine.passes.gradients`) and a
backend on the same spec and batch and returns a :class:`Report`: every
output, the loss and every ∂L/∂w and ∂L/∂b as an :class:`Entry`, grouped in
:class:`Block`\\ s in chain-rule order — outputs, loss, then the layers from the
output back to the input.  A number agrees when

    |backend − reference| ≤ atol + rtol·|reference|

(the reference is the trusted side).  Because every error flows backwards
through the deltas, the first disagreeing block in that order is where a bug
*starts*.  When the backend also answers with the optional per-layer fields
(``z``, ``activations``, ``deltas``), they are compared too, in 004's pass
order: the forward pass layer by layer (z then a), the outputs and loss, and
then from the output layer back, each layer's deltas before its gradients.

**Which entry is named** ("first differing"): the report's ``focus`` is the
*first* entry outside tolerance, in that pass order, of the first
disagreeing block — inside a block, the order of 004's loops: sample by
sample, then neuron by neuron (for weights, source neuron i, then
destination neuron j: w[l][0][0], w[l][0][1], …).  The block also counts
how many others in it differ, and keeps its worst entry.  :func:`trace`
replays the reference with a :class:`~neuronet.engine.events.Recorder` to
show the chain-rule terms behind that one number.

A backend may *decline* a case it does not implement (an activation or
loss it lacks): it raises ``NotImplementedError`` or returns ``None``; the
report then has ``declined`` set and is neither a pass nor a disagreement.
"""
from __future__ import annotations

import copy
import os
import traceback
from dataclasses import dataclass, replace

from ...engine import passes
from ...io import spec as _spec
from ...engine.events import Recorder
from .contract import PER_LAYER, BackendError, check as check_contract
from .params import canonical

from .report import FIELD_KIND, Block, Entry, Report, summarise  # noqa: F401  (Report, Entry: re-exported)


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


def per_layer(net, xs, ys) -> dict:
    """Every layer's z, a and δ per sample, as the optional contract fields
    ({layer: [sample][neuron]}; δ of each sample's own loss, from 004's
    forward and backward passes; layer 0's δ only with trainable input biases)."""
    n_layers = len(net.layers)
    zs = {l: [] for l in range(n_layers)}
    acts = {l: [] for l in range(n_layers)}
    deltas = {l: [] for l in range(0 if net.input_bias else 1, n_layers)}
    for x, y in zip(xs, ys):
        passes.forward(net, x)
        passes.backward(net, y)
        for l, layer in enumerate(net.layers):
            zs[l].append([n.z for n in layer])
            acts[l].append([n.a for n in layer])
            if l in deltas:
                deltas[l].append([n.delta for n in layer])
    return {"z": zs, "activations": acts, "deltas": deltas}


def _matrix_items(rm, gm):
    for i, (rrow, grow) in enumerate(zip(rm, gm)):
        for j, (r, g) in enumerate(zip(rrow, grow)):
            yield i, j, r, g


def _vector_items(rv, gv):
    for j, (r, g) in enumerate(zip(rv, gv)):
        yield j, -1, r, g


def _flat(bm):
    """A budget matrix (or vector) row by row, in the order of the items; None: no budgets."""
    if bm is None:
        return None
    return (b for row in bm for b in row) if bm and isinstance(bm[0], list) else iter(bm)


def _transposed_note(block: Block, rm, gm, rtol: float, atol: float, what: str, bm=None) -> Block:
    """A square matrix that disagrees but agrees transposed: say so."""
    n = len(rm)
    if not block.over or n < 2 or any(len(row) != n for row in rm):
        return block
    flipped = [[gm[j][i] for j in range(n)] for i in range(n)]
    if summarise(block.name, "", block.layer, _matrix_items(rm, flipped), rtol, atol, _flat(bm)).over:
        return block
    return replace(block, note=f"{block.name} agree with the reference when transposed: {what}")


def compare(ref: dict, got: dict, rtol: float, atol: float, budgets: dict | None = None,
            dtype: str | None = None) -> Report:
    """Both sides in the (checked) contract shape → a :class:`Report`, its
    blocks in pass order: the per-layer z and a the backend gave (layer 0
    up), outputs, loss, then layer L … 1 (each layer's deltas, weights,
    biases), input biases.  ``budgets`` (in ``ref``'s shape, from
    :func:`neuronet.check.precision.budget.budgets`) classify each number
    as agrees / within ``dtype`` rounding / beyond."""
    B = budgets

    def bud(*path):
        if B is None:
            return None
        v = B
        for k in path:
            v = v[k]
        return v

    last = len(ref["gradients"])
    blocks = []
    row_hint = "rows must be samples, columns neurons ([sample][neuron])"
    for l in range(last + 1):
        for key in ("z", "activations"):
            if l in got.get(key, {}):
                kind = FIELD_KIND[key]
                rm, gm, bm = ref[key][l], got[key][l], bud(key, l)
                b = summarise(f"layer {l} {key}", kind, l, _matrix_items(rm, gm), rtol, atol, _flat(bm))
                blocks.append(_transposed_note(b, rm, gm, rtol, atol, row_hint, bm))
    bm = bud("outputs")
    b = summarise("outputs", "output", last, _matrix_items(ref["outputs"], got["outputs"]), rtol, atol, _flat(bm))
    blocks.append(_transposed_note(b, ref["outputs"], got["outputs"], rtol, atol,
                                   "rows must be samples, columns outputs ([sample][output])", bm))
    blocks.append(summarise("loss", "loss", last, iter([(-1, -1, ref["loss"], got["loss"])]), rtol, atol,
                            None if B is None else iter([B["loss"]])))

    def deltas(l):
        if l in got.get("deltas", {}) and l in ref["deltas"]:
            rm, gm, bm = ref["deltas"][l], got["deltas"][l], bud("deltas", l)
            b = summarise(f"layer {l} deltas", "delta", l, _matrix_items(rm, gm), rtol, atol, _flat(bm))
            b = _transposed_note(b, rm, gm, rtol, atol, row_hint, bm)
            if b.over and b.note is None:
                n = len(rm)
                scaled = [[g * n for g in row] for row in gm]
                if n > 1 and not summarise("", "", l, _matrix_items(rm, scaled), rtol, atol, _flat(bm)).over:
                    b = replace(b, note=f"{b.name} agree with the reference divided by the batch size {n}: "
                                        "report δ of each sample's own loss, before the reduction")
            blocks.append(b)

    if got.get("layout") == "to_from":
        swapped = ("this square matrix is [from][to] although the answer declares \"layout\": \"to_from\" "
                   "— give it with one row per destination neuron, like the others")
    else:
        swapped = ("this square matrix is [to][from] — declare \"layout\": \"to_from\" "
                   "(or transpose it) if its rows are destination neurons")
    for l in range(last, 0, -1):
        deltas(l)
        rg, gg = ref["gradients"][l - 1], got["gradients"][l - 1]
        bw = bud("gradients", l - 1, "weights")
        b = summarise(f"layer {l} weights", "w", l, _matrix_items(rg["weights"], gg["weights"]), rtol, atol,
                      _flat(bw))
        blocks.append(_transposed_note(b, rg["weights"], gg["weights"], rtol, atol, swapped, bw))
        blocks.append(summarise(f"layer {l} biases", "b", l, _vector_items(rg["biases"], gg["biases"]), rtol, atol,
                                _flat(bud("gradients", l - 1, "biases"))))
    if "input_biases" in ref:
        deltas(0)
        blocks.append(summarise("layer 0 biases (input)", "b", 0,
                                _vector_items(ref["input_biases"], got["input_biases"]), rtol, atol,
                                _flat(bud("input_biases"))))
    return Report(blocks, rtol, atol, dtype=dtype)


@dataclass
class Outcome:
    report: Report
    reference: dict
    backend: dict | None
    net: object
    xs: list
    ys: list
    reduction: str
    typed: dict | None = None     # the reference step replayed in the --dtype (precision.replay), if any


def value_of(answer: dict, entry: Entry) -> float | None:
    """The number ``entry`` names, read from a contract-shaped ``answer``."""
    k, l, i, j = entry.kind, entry.layer, entry.i, entry.j
    try:
        if k == "w":
            return answer["gradients"][l - 1]["weights"][i][j]
        if k == "b":
            return answer["input_biases"][i] if l == 0 else answer["gradients"][l - 1]["biases"][i]
        if k == "output":
            return answer["outputs"][i][j]
        if k == "loss":
            return answer["loss"]
        return answer[{"z": "z", "a": "activations", "delta": "deltas"}[k]][l][i][j]
    except (KeyError, IndexError, TypeError):
        return None


# the type a hint may suggest: only float64 → float32 (a 1e-3 bug fits bfloat16's budget,
# so suggesting the coarser types would excuse real bugs)
COARSER = {"float64": ("float32",), "float32": (), "float16": (), "bfloat16": ()}


def _hint(net, xs, ys, reduction, ref, got, rtol, atol, dtype) -> str | None:
    """When the differences are beyond ``dtype``'s rounding but fit a coarser
    type's budgets: one line suggesting that --dtype."""
    from ..precision import budget, dtypes
    for name in COARSER.get(dtype, ()):
        bud = budget.budgets(net, xs, ys, reduction, ref, dtypes.get(name))
        if compare(ref, got, rtol, atol, bud, name).ok:
            return (f"every difference fits {name} rounding: if the backend computes in {name}, "
                    f"verify it with --dtype {name}")
    return None


class BackendFailure(Exception):
    """A child-process backend raised: its message and its own frames."""

    def __init__(self, message: str, frames: list[str]) -> None:
        super().__init__(message)
        self.message, self.frames = message, frames


class Declined(NotImplementedError):
    """A child-process backend declined; the message is its reason as given."""


class BackendDied(Exception):
    """A child-process backend hung (past --timeout) or its process ended."""


HARNESS = (os.path.dirname(os.path.abspath(__file__)),)


def frames_of(exc: BaseException, skip: int = 0) -> list[str]:
    """The traceback of ``exc`` as "file:line in function: code" lines,
    without the harness's own frames before the backend's first."""
    tb = traceback.extract_tb(exc.__traceback__)[skip:]
    k = 0
    while k < len(tb) - 1 and os.path.dirname(os.path.abspath(tb[k].filename)) in HARNESS \
            and os.path.basename(tb[k].filename) in ("compare.py", "__init__.py", "child.py", "loaders.py",
                                                                 "torch_capture.py"):
        k += 1
    out = []
    cwd = os.getcwd()
    for f in tb[k:]:
        name = f.filename
        try:
            rel = os.path.relpath(name, cwd)
            if not rel.startswith(".."):
                name = rel
        except ValueError:
            pass
        out.append(f"{name}:{f.lineno} in {f.name}" + (f": {f.line.strip()}" if f.line else ""))
    return out


def describe_exception(e: BaseException) -> str:
    if isinstance(e, SystemExit):
        return f"SystemExit: the backend called sys.exit({e.code!r})"
    text = str(e)
    return f"{type(e).__name__}: {text}" if text else type(e).__name__


def check(spec_dict: dict, xs, ys, backend, reduction: str = "mean",
          rtol: float = 1e-9, atol: float = 1e-12, source: str | None = None,
          dtype: str | None = None) -> Outcome:
    """Run the reference and ``backend`` on one batch and compare them.

    ``backend`` is a :class:`~neuronet.check.backends.Backend` or any callable
    ``f(spec, inputs, targets, reduction)``.  Bad input (a spec the reference
    rejects, a backend answer of the wrong shape) raises; a backend that
    raises (even ``SystemExit``) while computing becomes a report with
    ``error`` and ``frames`` set — a disagreement, not bad input; one that
    raises ``NotImplementedError`` or returns ``None`` has ``declined`` set.

    ``dtype`` ("float64", "float32", "float16", "bfloat16"): the backend
    computes in that type; every number gets a rounding budget
    (:mod:`neuronet.check.precision`) and only a number *beyond* it
    disagrees.  The reference is also replayed in the type
    (``Outcome.typed``), beside the float64 step.
    """
    if dtype is not None:
        from ..precision import dtypes
        dtypes.get(dtype)                    # a bad name fails before the backend runs
    net = _spec.from_dict(spec_dict, source)
    ref = reference(net, xs, ys, reduction)
    given = canonical(spec_dict)
    name = getattr(backend, "source", None) or getattr(backend, "name", None) \
        or getattr(backend, "__name__", "the backend")
    fn = getattr(backend, "fn", backend)

    def failed(**kw):
        kw.setdefault("output", getattr(fn, "output", ""))
        return Outcome(Report([], rtol, atol, dtype=dtype, **kw), ref, None, net, xs, ys, reduction)

    try:
        raw = backend(given, copy.deepcopy(xs), copy.deepcopy(ys), reduction)
    except BackendError:
        raise
    except NotImplementedError as e:
        return failed(declined=str(e) if isinstance(e, Declined) else describe_exception(e))
    except BackendFailure as e:
        return failed(error=e.message, frames=e.frames)
    except BackendDied as e:
        return failed(error=str(e), died=True)
    except (Exception, SystemExit) as e:   # foreign code: whatever it raises is its answer
        return failed(error=describe_exception(e), frames=frames_of(e))
    if raw is None:
        return failed(declined="the backend returned None")
    got = check_contract(raw, net.sizes, len(xs), net.input_bias, source=name)
    typed = None
    if dtype is not None:
        from ..precision import budget, dtypes, replay
        t = dtypes.get(dtype)
        ref = {**ref, **per_layer(net, xs, ys)}
        report = compare(ref, got, rtol, atol, budget.budgets(net, xs, ys, reduction, ref, t), dtype)
        if not report.ok:
            report.hint = _hint(net, xs, ys, reduction, ref, got, rtol, atol, dtype)
        typed = replay.run(net, xs, ys, reduction, t)
    else:
        if any(key in got for key in PER_LAYER):
            ref = {**ref, **per_layer(net, xs, ys)}
        report = compare(ref, got, rtol, atol)
        if not report.ok:       # tolerances alone: still say when it is float32 rounding, not a bug
            full = ref if PER_LAYER[0] in ref else {**ref, **per_layer(net, xs, ys)}
            report.hint = _hint(net, xs, ys, reduction, full, got, rtol, atol, "float64")
    report.output = getattr(fn, "output", "") or ""
    return Outcome(report, ref, got, net, xs, ys, reduction, typed)


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
    softmax = net.activations[l].layerwise if entry.kind in ("w", "b", "delta") else False

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
    if entry.kind == "delta":
        j = entry.j
        return lambda e: delta_chain(e, j)
    if entry.kind in ("output", "z", "a"):
        k = entry.j
        kinds = ("input", "product", "z") if entry.kind == "z" else ("input", "product", "z", "a")
        return lambda e: e.layer == l and e.neuron == k and e.kind in kinds
    return lambda e: e.kind in ("loss_term", "loss")


def trace(outcome: Outcome, entry: Entry, max_samples: int = 3):
    """Re-run the reference on (up to ``max_samples`` of) the batch with a
    filtering Recorder; return ``(events, samples)``.  An output's, z's, a's
    or δ's trace covers only its own sample.  Per-sample terms do not depend
    on the rest of the batch, so a shorter replay shows the same numbers."""
    net, xs, ys = outcome.net, outcome.xs, outcome.ys
    if entry.kind in ("output", "z", "a", "delta"):
        samples = [entry.i]
    else:
        samples = list(range(min(len(xs), max_samples)))
    rec = _Only(_selector(net, entry))
    # gradients() numbers the replayed samples 0, 1, …: they are samples[0], samples[1], …
    passes.gradients(net, [xs[s] for s in samples], [ys[s] for s in samples], outcome.reduction, emit=rec)
    return rec.events, samples


def line(event, net=None) -> str:
    """One event as text in 004's notation, bound to ``net`` as ``neuronet
    trace`` binds it (its letters, labels, layers without biases) when given:
    neuronet.present.view when that module exists, else the formula,
    its terms and the value."""
    try:
        from ...present.view import View
        return str(View.of(net).describe(event).line())
    except Exception:
        pass
    terms = ", ".join(f"{n} = {v:.10g}" for n, v in event.terms)
    where = f"layer {event.layer}, neuron {event.neuron}"
    if event.source is not None:
        where += f", source {event.source}"
    return f"{event.kind:<12} {event.formula}   [{where}]   {terms}  →  {event.value:.10g}"
