"""Verify a backprop implementation from Python — from your own test suite.

::

    from neuronet.check.testing import assert_matches_reference, check

    def test_my_backprop():
        assert_matches_reference(my_grads, "net.toml", [[1, 0], [0, 1]], [[0, 1], [1, 0]])

    result = check(my_grads, spec_dict, inputs, targets, reduction="sum")
    result.ok, result.report.first, result.focus, print(result.text)

``backend`` is any callable ``f(spec, inputs, targets, reduction) -> dict``
answering with the contract of :mod:`neuronet.check.backends.contract` (the
JSON ``neuronet grads --format json`` prints; numpy arrays and torch tensors
are fine), a live PyTorch ``nn.Module`` (no adapter: neuronet copies the
spec's weights in and reads z, a, δ and ``.grad`` itself, see
:mod:`neuronet.check.backends.torch_capture`), or a ``--backend`` name
("matrix", "torch", "module:pkg.mod:fn", "torch:pkg.mod:factory", which
then runs in a child process as on the command line).  A callable
runs in this process: its prints and exceptions are yours, and there is no
timeout.  :func:`check` returns a :class:`Result`; :func:`assert_matches_reference`
raises ``AssertionError`` with the report's first-difference text
(:func:`explain`) unless every number agrees.  A backend that declines the
case (raises ``NotImplementedError`` or returns ``None``) fails the
assertion too: nothing was verified.
"""
from __future__ import annotations

import math
import os
import sys
from dataclasses import dataclass

from ..io import data as _data
from ..io import spec as _spec
from .backends import Backend, resolve
from .backends.contract import plain
from .backends.compare import Outcome, check as _check, line, trace

__all__ = ["check", "assert_matches_reference", "fuzz", "torch_module", "Result", "explain"]


def _num(x: float) -> str:
    return f"{x:.15g}" if math.isfinite(x) else str(x)


def unjudged_line(dtype: str) -> str:
    """Why a type may have no bound, and what to do about it."""
    from .precision import dtypes
    wider = f"{dtype}:float32" if f"{dtype}:float32" in dtypes.DTYPES else None
    tip = (f"If the backend accumulates its sums in float32, say so: --dtype {wider}; else verify"
           if wider else "Verify")
    return (f"  (no bound: a sum of n terms with n·u ≥ 1 — in {dtype} from n = {_first_unbounded(dtype)} — "
            f"or a loss's a or 1 − a that {dtype} cannot tell from 0.  {tip} a narrower network, or loosen "
            "--rtol/--atol knowingly)")


def _first_unbounded(dtype: str) -> str:
    from .precision import dtypes
    t = dtypes.get(dtype)
    return f"{math.ceil(1 / (t.acc or t).u):,}"


def explain(outcome: Outcome, name: str, trace_samples: int | None = None) -> list[str]:
    """The report in words, without its table: what failed or where the
    disagreement starts (the first entry outside tolerance in 004's pass
    order, how many others in its block differ, any note), the two values,
    and the reference's chain-rule trace behind that number.  When all
    agree: one line, then the worst entry."""
    report = outcome.report
    n = len(outcome.xs)
    out: list[str] = []
    if report.declined is not None:
        out.append(f"the backend declined this case: {report.declined} — nothing was verified")
        return out + _frames(report) + _output(report)
    if report.error is not None:
        out.append(f"the backend failed: {report.error}")
        return out + _frames(report) + _output(report)
    focus = report.focus
    first = report.first
    t = report.dtype
    if report.ok and t:
        agree = report.count - report.within
        out.append(f"all {report.count} numbers agree or are within {t} rounding ({agree} agree, "
                   f"{report.within} within {t} rounding; worst margin {report.margin:.3g} of its budget)")
    elif report.ok:
        out.append(f"all {report.count} numbers agree (worst margin {report.margin:.3g} of the tolerance)")
    elif report.inconclusive:
        judged = report.count - report.unjudged
        bounded = f"the {judged} number{'s' if judged != 1 else ''} {t} can bound"
        out.append(f"inconclusive: nothing beyond {t} rounding among {bounded}, but "
                   f"{report.unjudged} differ by more than the tolerance where {t} has no finite rounding "
                   f"budget — verify cannot tell rounding from a bug there; it starts at {first.name}: "
                   f"{focus.name}")
        out.append(unjudged_line(t))
    else:
        others = first.over - 1
        verb = "are beyond" if t else "differ"
        tail = (f"; {others} other{'s' if others != 1 else ''} in {first.name} "
                + (verb if others != 1 else ("is beyond" if t else "differs"))
                if others else f"; the only one in {first.name}")
        if t:
            out.append(f"{report.over} of {report.count} numbers are beyond {t} rounding "
                       f"({report.within} within it); it starts at {first.name}: "
                       f"{focus.name} (the first beyond in 004's pass order{tail})")
        else:
            out.append(f"{report.over} of {report.count} numbers disagree; it starts at {first.name}: "
                       f"{focus.name} (the first in 004's pass order{tail})")
        if first.note:
            out.append(f"note: {first.note}")
        if report.hint:
            out.append(f"hint: {report.hint}")
    if report.unjudged and not report.inconclusive:
        out.append(f"note: {report.unjudged} more differ by more than the tolerance where {t} has no finite "
                   "rounding budget (not counted as beyond)")
        out.append(unjudged_line(t))
    if focus is None:
        return out + _output(report)
    label = "worst entry" if report.ok else "where it starts"
    out += ["", f"{label}: {focus.name} — {focus.what}"]
    width = max(len("per-neuron reference"), len(name))
    out.append(f"  {'per-neuron reference':<{width}}  {_num(focus.reference)}")
    out.append(f"  {name:<{width}}  {_num(focus.backend)}")
    if t and t != "float64" and outcome.typed is not None:
        from .backends.compare import value_of
        v = value_of(outcome.typed, focus)
        if v is not None:
            out.append(f"  {'reference in ' + t:<{width}}  {_num(v)}")
    out.append(f"  abs err {focus.abs_err:.3e}, rel err {focus.rel_err:.3e}")
    if focus.budget is not None and not focus.bounded:
        out.append(f"  no finite {t} budget: not judged")
    elif focus.budget is not None:
        verdict = {"agrees": "agrees", "within": f"within {t} rounding",
                   "beyond": f"beyond {t} rounding"}[focus.verdict(report.rtol, report.atol)]
        out.append(f"  {t} budget {focus.budget:.3e}: |diff| / budget = "
                   f"{(focus.abs_err / focus.budget if focus.budget > 0 else math.inf):.3g} — {verdict}")
    limit = trace_samples or (3 if outcome.net.parameter_count() <= 10_000 else 1)
    events, samples = trace(outcome, focus, limit)
    if events:
        shown = ", ".join(str(s) for s in samples)
        per_sample = focus.kind in ("w", "b", "loss")
        how = "" if n == 1 or not per_sample else (f"; the batch value is the sum of the {n} samples' terms"
                                                   + (f" ÷ {n}" if outcome.reduction == "mean" else ""))
        out += ["", f"reference chain-rule trace (sample{'s' if len(samples) != 1 else ''} {shown} of {n}{how}):"]
        current = None
        for e in events:
            s = samples[e.sample] if 0 <= e.sample < len(samples) else e.sample
            if s != current:
                out.append(f"  sample {s}")
                current = s
            out.append("    " + line(e, outcome.net))
        if focus.kind in ("w", "b"):
            how = "batch value" if n == 1 else (f"Σ over the {n} samples"
                                                 + (f" ÷ {n}" if outcome.reduction == "mean" else ""))
            if len(samples) < n:
                rest = f"sample {n - 1}" if len(samples) == n - 1 else f"samples {len(samples)}–{n - 1}"
                how += f" ({rest} not shown)"
            out.append(f"  ⇒ {how}: reference {_num(focus.reference)}, {name} {_num(focus.backend)}")
    return out + _output(report)


def _frames(report) -> list[str]:
    if not report.frames:
        return []
    return ["the backend's traceback (most recent call last):"] + [f"  {f}" for f in report.frames]


def _output(report, limit: int = 40) -> list[str]:
    text = report.output.rstrip("\n")
    if not text:
        return []
    lines = text.split("\n")
    head = f"the backend printed ({len(lines)} line{'s' if len(lines) != 1 else ''}"
    if len(lines) > limit:
        head += f", the last {limit} shown"
        lines = lines[-limit:]
    return ["", head + "):"] + [f"  | {s}" for s in lines]


@dataclass
class Result:
    """What :func:`check` found.  ``ok`` is True when every number agrees;
    ``report`` is the :class:`~neuronet.check.backends.compare.Report`
    (blocks, ``first``, ``focus``, ``declined``, ``error``, ``frames``);
    ``text`` explains it in words."""
    outcome: Outcome
    name: str

    @property
    def report(self):
        return self.outcome.report

    @property
    def ok(self) -> bool:
        return self.report.ok

    @property
    def declined(self) -> str | None:
        return self.report.declined

    @property
    def focus(self):
        return self.report.focus

    @property
    def text(self) -> str:
        return "\n".join(explain(self.outcome, self.name))

    def __str__(self) -> str:
        return self.text

    def to_dict(self) -> dict:
        return {"backend": self.name, "samples": len(self.outcome.xs), "reduction": self.outcome.reduction,
                **self.report.to_dict()}


def _batch(inputs, targets):
    if targets is None:
        if isinstance(inputs, (str, os.PathLike)):
            return _data.read(os.fspath(inputs))
        if isinstance(inputs, dict):
            return plain(inputs["inputs"]), plain(inputs["targets"])
        if isinstance(inputs, (tuple, list)) and len(inputs) == 2:
            return plain(inputs[0]), plain(inputs[1])
        raise TypeError("give inputs and targets, a data file, {'inputs', 'targets'} or (inputs, targets)")
    xs, ys = plain(inputs), plain(targets)
    # one sample given as a flat vector
    if xs and not isinstance(xs[0], list):
        xs = [xs]
    if ys and not isinstance(ys[0], list):
        ys = [ys]
    return xs, ys


def _is_module(backend) -> bool:
    """A torch ``nn.Module`` (torch is imported only if the caller has)."""
    torch = sys.modules.get("torch")
    return torch is not None and isinstance(backend, torch.nn.Module)


def check(backend, spec, inputs, targets=None, reduction: str = "mean",
          rtol: float = 1e-9, atol: float = 1e-12, timeout: float | None = None,
          dtype: str | None = None) -> Result:
    """Run the per-neuron reference and ``backend`` on one batch; compare.

    ``spec``: a spec dict or a spec file's path.  ``inputs``/``targets``:
    one row per sample (lists or arrays); or ``targets=None`` with
    ``inputs`` a data file, a ``{"inputs", "targets"}`` dict or an
    ``(inputs, targets)`` pair.  Bad input raises a
    :class:`~neuronet.errors.NeuronetError` naming the place.  ``dtype``
    ("float32", "bfloat16", …): the type the backend computes in — every
    number gets a rounding budget and only one *beyond* it fails
    (docs/backends.md, "Verifying a float32 backend")."""
    source = None
    if isinstance(spec, (str, os.PathLike)):
        source = os.fspath(spec)
        spec = _spec.read(source)
    net = _spec.from_dict(spec, source)
    xs, ys = _batch(inputs, targets)
    _data.check(xs, ys, net.sizes[0], net.sizes[-1])
    owned = None
    if _is_module(backend):
        from .backends.torch_capture import torch_module
        backend = torch_module(backend)
    if isinstance(backend, str):
        backend = owned = resolve(backend, timeout=timeout)
    if isinstance(backend, Backend):
        name = backend.name
    else:
        name = getattr(backend, "__name__", None) or type(backend).__name__
    try:
        outcome = _check(spec, xs, ys, backend, reduction, rtol, atol, source=source, dtype=dtype)
    finally:
        if owned is not None:
            owned.close()
    return Result(outcome, name)


def assert_matches_reference(backend, spec, inputs, targets=None, reduction: str = "mean",
                             rtol: float = 1e-9, atol: float = 1e-12, timeout: float | None = None,
                             dtype: str | None = None) -> Result:
    """:func:`check`, raising ``AssertionError`` with the first-difference
    text unless every number agrees (or, with ``dtype``, is within its
    rounding).  Returns the :class:`Result`."""
    result = check(backend, spec, inputs, targets, reduction, rtol, atol, timeout, dtype)
    if not result.ok:
        raise AssertionError(f"{result.name} does not match the per-neuron reference:\n{result.text}")
    return result


def torch_module(module, name: str | None = None):
    """A live ``nn.Module``, or a factory ``f(spec) -> nn.Module``, as a
    backend run in this process, no adapter written
    (:func:`neuronet.check.backends.torch_capture.torch_module`)."""
    from .backends.torch_capture import torch_module as wrap
    return wrap(module, name)


def fuzz(backend, n: int = 100, seed: int = 0, scope=None, rtol: float = 1e-9, atol: float = 1e-12,
         timeout: float | None = None):
    """``neuronet verify --random n --seed seed`` from Python: check ``n``
    random cases (drawn by :func:`neuronet.check.backends.fuzz.case` within
    ``scope``, a :class:`~neuronet.check.backends.fuzz.Scope`), stopping at
    the first that disagrees.  ``backend`` as for :func:`check`; a callable
    or a live ``nn.Module`` runs in this process — no process start, no
    JSON round trip per case, which is what makes hundreds of cases a
    second possible.  Returns the :class:`~neuronet.check.backends.fuzz.Run`
    (``checked``, ``declined``, ``failure``, ``margins``, ``worst``)."""
    from .backends import fuzz as _fuzz
    owned = None
    if _is_module(backend):
        backend = torch_module(backend)
    if isinstance(backend, str):
        backend = owned = resolve(backend, timeout=timeout)
    scope = (scope or _fuzz.DEFAULT).validate()
    try:
        return _fuzz.run(backend, n, seed, rtol, atol, scope)
    finally:
        if owned is not None:
            owned.close()
