"""The rule every command keeps: no exit 0 with a number that is not finite.

A float overflows to ±inf silently (1e308·10), and inf − inf or 0·inf is
NaN; from then on every number computed from it is inf or NaN too, and JSON
cannot even write them (``NaN``/``Infinity`` are not JSON).  So a command
that computes (grads, trace, step, quiz, gradcheck, verify) checks, and on
the first number that is not finite stops with :class:`NonFiniteError`: one
line naming where that number *first appeared* — the sample, the layer, the
neuron and the term (``z``, ``w_ij·a_i``, ``L_k``, …) — and exit status 1.
Nothing non-finite is printed or written after that line's cause.

One mechanism, two ways in:

* :class:`Watch` — an event sink (see engine/events.py) that raises at the
  first event whose value or any of whose terms is not finite, before the
  event reaches the sink it wraps.  Used wherever events flow anyway
  (trace, step, quiz).
* :func:`check_gradients` — runs the untraced batch gradient; only if its
  result holds a non-finite number does it run the same computation again
  under a :class:`Watch` to say where it began (so the check costs nothing
  when all is well).
"""
from __future__ import annotations

import math

from ..engine import passes
from ..engine.events import KINDS
from ..errors import NonFiniteError, place as _path


def _finite(x) -> bool:
    try:
        return math.isfinite(x)
    except (TypeError, OverflowError):
        return True          # not a float (an int count, a name): nothing to check


def _show(x) -> str:
    return repr(x) if isinstance(x, float) else str(x)


def where(e) -> str:
    """'sample 0, layer 2, neuron 1' (weights: 'layer 2, weight 0→1')."""
    head = f"sample {e.sample}, " if e.sample >= 0 else "batch, "
    if e.kind == "loss":
        return head + "loss"
    if e.source is not None and e.kind in ("product", "grad_w", "accumulate_w", "batch_w", "update_w"):
        return head + f"layer {e.layer}, weight from neuron {e.source} to neuron {e.neuron}"
    if e.kind in ("loss_term", "dL_da"):
        return head + f"output {e.neuron}"
    return head + f"layer {e.layer}, neuron {e.neuron}"


def diagnose(e) -> NonFiniteError:
    """The error for an event whose value or a term is not finite."""
    formula = KINDS.get(e.kind, ("", e.kind))[1]
    if e.note and e.kind in ("loss_term", "loss", "dL_da", "a", "fprime"):
        formula += f" ({e.note})"
    bad_terms = [(n, v) for n, v in e.terms if not _finite(v)]
    terms = ", ".join(f"{n} = {_show(v)}" for n, v in e.terms)
    if bad_terms and _finite(e.value):
        n, v = bad_terms[0]
        msg = f"{formula}: its term {n} is {_show(v)}"
    elif bad_terms:
        msg = f"{formula} is {_show(e.value)} ({terms})"
    else:
        msg = f"{formula} is {_show(e.value)}, from finite numbers ({terms}): the arithmetic overflowed"
    return NonFiniteError(msg + " — the first number that is not finite; no result is given",
                          where=where(e) + ":")


class Watch:
    """An event sink that raises :class:`NonFiniteError` at the first event
    holding a number that is not finite, and otherwise passes each event on
    to ``sink`` (if any)."""

    __slots__ = ("sink",)

    def __init__(self, sink=None) -> None:
        self.sink = sink

    def __call__(self, e) -> None:
        v = e.value
        if not _finite(v) or any(not _finite(t) for _, t in e.terms):
            raise diagnose(e)
        if self.sink is not None:
            self.sink(e)


def check_events(events) -> None:
    """Raise at the first event of a recorded list that is not finite."""
    w = Watch()
    for e in events:
        w(e)


def first_nonfinite(obj, where: str = "") -> str | None:
    """The path (``layers[1].weights[0][1]``) of the first float in ``obj``
    (nested dicts/lists) that is inf or NaN; None when all are finite.
    Iterative, in document order."""
    stack = [(obj, where)]
    while stack:
        node, here = stack.pop()
        if isinstance(node, float):
            if not math.isfinite(node):
                return here or "the value"
        elif isinstance(node, dict):
            stack.extend(reversed([(v, _path(here, k)) for k, v in node.items()]))
        elif isinstance(node, (list, tuple)):
            stack.extend(reversed([(v, f"{here}[{i}]") for i, v in enumerate(node)]))
    return None


def check_gradients(net, xs, ys, reduction: str = "mean"):
    """``passes.gradients(net, xs, ys, reduction)``, or :class:`NonFiniteError`
    naming where the first non-finite number appeared."""
    result = passes.gradients(net, xs, ys, reduction)
    L, outputs, grads, input_biases = result
    bad = first_nonfinite({"loss": L, "outputs": outputs, "gradients": grads, "input_biases": input_biases})
    if bad is None:
        return result
    passes.gradients(net, xs, ys, reduction, emit=Watch())      # raises where it began
    raise NonFiniteError("is not a finite number (a sum over the batch overflowed); no result is given",
                         where=bad)


def check_result(obj, what: str = "the result") -> None:
    """Raise if a finished result (a dict/list of numbers) is not all finite."""
    bad = first_nonfinite(obj)
    if bad is not None:
        raise NonFiniteError(f"of {what} is not a finite number; no result is given", where=bad)


def json_safe(obj):
    """A copy of a nested dict/list in which every float that is not finite
    becomes the string "NaN", "Infinity" or "-Infinity" — valid JSON, for
    reports that must *show* someone else's non-finite number (verify's view
    of a backend's answer); our own results are refused instead."""
    if isinstance(obj, float) and not math.isfinite(obj):
        return "NaN" if obj != obj else ("Infinity" if obj > 0 else "-Infinity")
    if isinstance(obj, dict):
        return {k: json_safe(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [json_safe(v) for v in obj]
    return obj
