"""neuronet verify: check another backprop implementation against the per-neuron reference."""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from ..engine import finite
from ..io import data, spec
from ..check.backends import NAMES, resolve
from ..check.backends import fuzz
from ..check.backends.loaders import DEFAULT_TIMEOUT, MAX_TIMEOUT
from ..check.backends.params import CONVENTIONS, canonical
from ..check.backends.compare import check, trace
from ..check.precision import dtypes
from ..check.testing import explain
from ..engine.activations import ACTIVATIONS
from ..engine.losses import LOSSES
from ..engine.passes import REDUCTIONS
from ..errors import DataError
from ..present import safe
from ._common import add_max_params, add_samples, count, load_samples, nonnegative_number, positive_count, positive_number

NAME = "verify"
ORDER = 35
HELP = "compare a backend's loss, outputs and gradients with the per-neuron reference (exit 1 if any disagree)"
DESCRIPTION = (HELP + ".  Backends: " + NAMES + ".  A backend answers with the JSON "
               "`neuronet grads --format json` prints (docs/backends.md).  "
               "SECURITY: module:pkg.mod:function (and torch:pkg.mod:factory) imports and runs arbitrary Python code, with the "
               "current directory first on sys.path — never point verify at code you would not run "
               "yourself.  It runs in a child process (killed after --timeout seconds, its output "
               "captured), which isolates verify's result from it, not your machine.")


def _timeout(text: str) -> float:
    """--timeout: seconds, more than 0 and at most a day (MAX_TIMEOUT)."""
    import argparse
    t = positive_number(text)
    if t > MAX_TIMEOUT:
        raise argparse.ArgumentTypeError(f"{text[:80]!r}: at most {MAX_TIMEOUT:g} seconds (a day)")
    return t


def add_arguments(p) -> None:
    p.add_argument("spec", metavar="SPEC", nargs="?",
                   help="network spec file (.json/.toml); a saved --random case also carries its batch")
    add_max_params(p)
    p.add_argument("--backend", metavar="B", help=f"one of: {NAMES} (module: runs arbitrary code: see above)")
    add_samples(p)
    p.add_argument("--reduction", choices=REDUCTIONS, default=None,
                   help="batch gradient: mean (default) or sum; a saved case keeps its own")
    p.add_argument("--rtol", type=nonnegative_number, default=1e-9, help="relative tolerance (default 1e-9)")
    p.add_argument("--atol", type=nonnegative_number, default=1e-12, help="absolute tolerance (default 1e-12)")
    p.add_argument("--dtype", choices=dtypes.NAMES, default=None,
                   help="the number type the backend computes in: every number gets a rounding budget "
                        "(the most a correct backend in that type can differ) and only a number beyond it "
                        "disagrees; needs no --rtol/--atol (docs/backends.md, 'Verifying a float32 backend').  "
                        "bfloat16:float32 = stored in bfloat16, dot products and batch sums accumulated in "
                        "float32 (how bf16 matrix products run): a wide layer in bfloat16 alone has no bound")
    p.add_argument("--convention", choices=CONVENTIONS, default="column",
                   help="matrix backend: W·a with W = [to][from] (002, 004 §3, 000) or a·W with W = [from][to] (001, 003)")
    p.add_argument("--timeout", type=_timeout, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"module: and torch: backends: seconds for the import and for each call before the backend's "
                        f"process is stopped and verify exits 1 (default {DEFAULT_TIMEOUT:g})")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--trace-samples", type=positive_count, default=None, metavar="N",
                   help="samples of the batch whose chain-rule trace is shown "
                        "(default 3; 1 for networks of over 10 000 parameters)")
    p.add_argument("--export", metavar="CASE",
                   help="write SPEC as backends receive it (every weight in [from][to], seeded weights drawn) "
                        "with the batch to CASE (.json) for an external program; without --backend, stop there")
    g = p.add_argument_group("fuzzing", "A backend declines a case it does not implement by raising "
                             "NotImplementedError or returning None: counted and listed, not a failure.")
    g.add_argument("--random", type=count, metavar="N", help="check N random specs and batches instead of SPEC")
    g.add_argument("--seed", type=int, default=0, help="seed for --random (default 0)")
    g.add_argument("--save", metavar="FILE", help="where --random saves the first failing case "
                                                  "(default verify-case-seed<S>.json)")
    g.add_argument("--activations", metavar="A,B",
                   help="draw only these activations (" + ", ".join(sorted(ACTIVATIONS)) + "); "
                        "the input layer then stays plain (identity, no biases)")
    g.add_argument("--losses", metavar="L,M", help="draw only these losses (" + ", ".join(sorted(LOSSES)) + ")")
    g.add_argument("--max-layers", type=positive_count, default=4, metavar="N",
                   help="layers per network, the input layer included: 2 … N (default 4)")
    g.add_argument("--max-width", type=positive_count, default=5, metavar="N",
                   help=f"neurons per layer: 1 … N (default 5, at most {fuzz.MAX_WIDTH})")
    g.add_argument("--batch", type=positive_count, default=4, metavar="N",
                   help=f"samples per batch: 1 … N (default 4, at most {fuzz.MAX_BATCH})")
    g.add_argument("--min-width", type=positive_count, default=None, metavar="N",
                   help="neurons per layer at least N (default 1): with --max-width, real sizes such as 784")
    g.add_argument("--input-width", type=positive_count, default=None, metavar="N",
                   help="the input layer's width, fixed (e.g. 784 for an MNIST image; other layers as drawn)")
    g.add_argument("--output-width", type=positive_count, default=None, metavar="N",
                   help="the output layer's width, fixed (e.g. 10 classes)")
    g.add_argument("--min-batch", type=positive_count, default=None, metavar="N",
                   help="samples per batch at least N (default 1)")
    g.add_argument("--hidden-activation", metavar="A[,B]",
                   help="the hidden layers' activation(s), drawn from these only; the input layer stays plain")
    g.add_argument("--tie-output", action="store_true",
                   help="tie the output activation to the loss: softmax with cross_entropy, sigmoid with bce")
    g.add_argument("--hard-labels", action="store_true",
                   help="one-hot targets for every loss (one class per sample)")
    g.add_argument("--init", choices=fuzz.INITS, default=None,
                   help="weight scale: uniform U(±1.5) (default, the original draws), xavier U(±√(6/(in+out))), "
                        "he N(0, 2/in), torch U(±1/√in); biases U(±1/√in) with the last three")


def run(args) -> int:
    if args.backend is None and args.export is None:
        raise DataError("give --backend B (one of: " + NAMES + "), or --export CASE")
    backend = resolve(args.backend, args.convention, args.timeout) if args.backend is not None else None
    try:
        if args.random is not None:
            return _fuzz(args, backend)
        return _one(args, backend)
    finally:
        if backend is not None:
            backend.close()


def _one(args, backend) -> int:
    if args.spec is None:
        raise DataError("give a SPEC file, or --random N")
    scoped = [o for o, v in (("--activations", args.activations), ("--losses", args.losses),
                             ("--hidden-activation", args.hidden_activation), ("--init", args.init),
                             ("--min-width", args.min_width), ("--min-batch", args.min_batch),
                             ("--input-width", args.input_width), ("--output-width", args.output_width),
                             ("--tie-output", args.tie_output or None), ("--hard-labels", args.hard_labels or None))
              if v is not None]
    if scoped:
        raise DataError(f"{scoped[0]} scopes --random N; SPEC is checked as it is")
    raw = spec.read(args.spec)
    net = spec.from_dict(raw, source=args.spec, max_params=args.max_params)
    if not (args.input or args.target or args.data) and isinstance(raw, dict) \
            and "inputs" in raw and "targets" in raw and Path(args.spec).suffix.lower() == ".json":
        xs, ys = data.read(args.spec)              # a saved case carries its own batch
        data.check(xs, ys, net.sizes[0], net.sizes[-1], source=args.spec)
    else:
        xs, ys = load_samples(args, net)
    reduction = args.reduction or (raw.get("reduction") if raw.get("reduction") in REDUCTIONS else "mean")
    finite.check_gradients(net, xs, ys, reduction)   # exit 1 if our own reference is not finite
    if args.export is not None:
        fuzz.save_case(args.export, canonical(raw), xs, ys, reduction, f"{args.spec} as backends receive it")
        sys.stderr.write(f"wrote {args.export}; after your program writes grads.json: "
                         f"neuronet verify {args.export} --backend file:grads.json\n")
        if backend is None:
            return 0
    start = time.perf_counter()
    outcome = check(raw, xs, ys, backend, reduction, args.rtol, args.atol, source=args.spec, dtype=args.dtype)
    return _report(args, backend, outcome, time.perf_counter() - start)


def _report(args, backend, outcome, seconds: float, console=None) -> int:
    report = outcome.report
    focus = report.focus
    if args.format == "json":
        events, samples = ([], [])
        if focus is not None and outcome.net is not None:
            limit = args.trace_samples or (3 if outcome.net.parameter_count() <= 10_000 else 1)
            events, samples = trace(outcome, focus, limit)
        doc = {"backend": backend.name, "samples": len(outcome.xs), "reduction": outcome.reduction,
               "seconds": seconds, **report.to_dict(),
               "focus": None if focus is None else {**focus.to_dict(), "trace_samples": samples,
                                                    "trace": [e.to_dict() for e in events]}}
        sys.stdout.write(json.dumps(finite.json_safe(doc), indent=1, allow_nan=False) + "\n")
        return 0 if report.ok else 1
    console = console or Console(highlight=False, markup=False)
    n = len(outcome.xs)

    def say(text, **kw) -> None:        # a backend's output and messages: printable, line by line
        console.print(safe.lines(text), **kw)

    if report.died:      # one line, then whatever the backend printed
        say(f"verify: {backend.name}: {report.error}", soft_wrap=True)
        for text in explain(outcome, backend.name)[1:]:
            say(text, soft_wrap=True)
        return 1
    head = (f"verify: {backend.name} vs the per-neuron reference — {n} sample{'s' if n != 1 else ''}, "
            f"reduction {outcome.reduction}, rtol {report.rtol:g}, atol {report.atol:g}"
            + (f", {report.dtype} rounding budgets" if report.dtype else ""))
    if report.error is not None or report.declined is not None:
        say(head)
    else:
        table = Table(title=safe.text(head))
        cols = ("", "count", "max abs err", "max rel err") + (
            ("within", "beyond", "margin") if report.dtype else ("over tol", "margin"))    # within: its rounding
        for col in cols:
            table.add_column(col, justify="left" if not col else "right", no_wrap=not col)
        for b in report.blocks:
            row = [safe.printable(b.name), str(b.count), f"{b.max_abs:.2e}", f"{b.max_rel:.2e}"]
            row += [str(b.within), str(b.over)] if report.dtype else [str(b.over)]
            table.add_row(*row, f"{b.margin:.3g}")
        if report.unjudged:     # neither within nor beyond: said under the table, which keeps its 80 columns
            table.caption_justify = "left"
            table.caption = (f"not judged (no finite {report.dtype} budget): "
                             + ", ".join(f"{safe.printable(b.name)} {b.unjudged}" for b in report.blocks if b.unjudged))
        console.print(table)
    lines = explain(outcome, backend.name, args.trace_samples)
    if report.ok:
        lines[0] += f" ({seconds:.2f} s)"
    for text in lines:
        say(text, soft_wrap=True, style="bold" if text.startswith("  sample ") else None)
    return 0 if report.ok else 1


def _scope(args) -> fuzz.Scope:
    acts = fuzz.names(args.activations, ACTIVATIONS, "--activations") if args.activations is not None else None
    losses = fuzz.names(args.losses, LOSSES, "--losses") if args.losses is not None else None
    hidden = (fuzz.names(args.hidden_activation, ACTIVATIONS, "--hidden-activation")
              if args.hidden_activation is not None else None)
    return fuzz.Scope(None if acts is None else tuple(acts), None if losses is None else tuple(losses),
                      args.max_layers, args.max_width, args.batch,
                      hidden=None if hidden is None else tuple(hidden), tie=args.tie_output, hard=args.hard_labels,
                      init=args.init or "uniform", min_width=args.min_width or 1,
                      min_batch=args.min_batch or 1, input_width=args.input_width,
                      output_width=args.output_width).validate()


def margin_of(dtype: str | None) -> str:
    """What a margin is the ratio of: the tolerance, or the type's rounding
    budget when that is larger (so > 1 exactly when a number is beyond)."""
    tol = "(atol + rtol·|ref|)"
    return f"|diff| / max({dtype} budget, {tol})" if dtype else f"|diff| / {tol}"


def _margin(m) -> str:
    return "declined" if m is None else f"{m:.3g}"


#: a --random run lists every case's margin in its text line up to this many cases
LIST_CASES = 20


def _margins_text(result, dtype: str | None = None) -> str:
    """One line: the worst margin overall (and its case), the median case,
    and every case's margin (declined cases say so) — or, past
    :data:`LIST_CASES` cases, the five closest (all of them are in JSON)."""
    per = dict(result.margins)
    per.update({k: None for k, _ in result.declined})
    worst = result.worst
    overall = "no case verified" if worst is None else f"{_margin(worst[1])} (case {worst[0]})"
    answered = sorted(m for _, m in result.margins)
    median = f"; median case {_margin(answered[len(answered) // 2])}" if len(answered) > 1 else ""
    if not per:
        return f"worst margin {margin_of(dtype)} (≤ 1 agrees): {overall}"
    if len(per) <= LIST_CASES:
        cases = "per case " + ", ".join(f"{k}: {_margin(per[k])}" for k in sorted(per))
    else:
        closest = sorted(result.margins, key=lambda km: (-km[1], km[0]))[:5]
        cases = ("closest cases " + ", ".join(f"{k}: {_margin(m)}" for k, m in closest)
                 + " (every case: --format json)")
    return f"worst margin {margin_of(dtype)} (≤ 1 agrees): overall {overall}{median}; {cases}"


def _margins_json(result, dtype: str | None = None) -> dict:
    cases = [{"case": k, "worst_margin": finite.json_safe(m)} for k, m in result.margins]
    cases += [{"case": k, "declined": why} for k, why in result.declined]
    worst = result.worst
    return {"margin": margin_of(dtype), "worst_margin": None if worst is None else finite.json_safe(worst[1]),
            "worst_case": None if worst is None else worst[0], "cases": sorted(cases, key=lambda c: c["case"])}


def _declined_text(declined, n: int) -> str:
    if not declined:
        return ""
    reasons: dict[str, list[int]] = {}
    for k, why in declined:
        reasons.setdefault(why, []).append(k)
    parts = [f"{why} (case{'s' if len(ks) != 1 else ''} {', '.join(map(str, ks[:5]))}{', …' if len(ks) > 5 else ''})"
             for why, ks in list(reasons.items())[:3]]
    more = f"; {len(reasons) - 3} other reasons" if len(reasons) > 3 else ""
    return f"the backend declined {len(declined)} of {n}: " + "; ".join(parts) + more


def _inconclusive_text(inconclusive, n: int, dtype: str) -> str:
    from ..check.testing import unjudged_line
    cases = ", ".join(f"{k} ({m})" for k, m in inconclusive[:5]) + (", …" if len(inconclusive) > 5 else "")
    return (f"{len(inconclusive)} of {n} inconclusive, not verified: nothing beyond {dtype} rounding, but numbers "
            f"that {dtype} cannot bound differ by more than the tolerance (case (how many): {cases})\n"
            + unjudged_line(dtype))


def _fuzz(args, backend) -> int:
    if backend is None:
        raise DataError("--random needs --backend B")
    if not backend.replayable:
        raise DataError(f"--backend {args.backend} answers one fixed case; --random needs matrix, torch or module:")
    if args.spec or args.input or args.data:
        raise DataError("--random makes its own specs and batches: drop SPEC, --input and --data")
    scope = _scope(args)
    start = time.perf_counter()
    result = fuzz.run(backend, args.random, args.seed, args.rtol, args.atol, scope, args.dtype)
    seconds = time.perf_counter() - start
    declined = [{"case": k, "reason": why} for k, why in result.declined]
    summary = {"checked": result.checked, "declined": len(result.declined), "declines": declined,
               "inconclusive": [{"case": k, "unjudged": n} for k, n in result.inconclusive],
               "seed": args.seed, "backend": backend.name, "scope": scope.describe() or None,
               "dtype": args.dtype,
               **_margins_json(result, args.dtype)}
    if result.failure is None:
        ok = result.checked > 0 or args.random == 0
        if args.format == "json":
            sys.stdout.write(json.dumps({"ok": ok, **summary, "seconds": seconds}, allow_nan=False) + "\n")
            return 0 if ok else 1
        scope_text = f" [{scope.describe()}]" if scope.describe() else ""
        if result.inconclusive and not ok:
            sys.stdout.write(f"{args.random} random cases (seed {args.seed}){scope_text}: {backend.name} — "
                             f"nothing was verified: no case was conclusive in {args.dtype}\n")
        elif result.declined and not ok:
            sys.stdout.write(f"{args.random} random cases (seed {args.seed}){scope_text}: {backend.name} declined "
                             f"every one — nothing was verified; scope the draws with --activations, --losses, …\n")
        elif result.declined or result.inconclusive:
            how = "verified" if result.inconclusive else "it answered"
            sys.stdout.write(f"{args.random} random cases (seed {args.seed}){scope_text}: {backend.name} agrees "
                             f"with the reference on "
                             + (f"all {result.checked} cases" if result.checked > 1 else "the one case")
                             + f" {how} ({seconds:.2f} s)\n")
        else:
            sys.stdout.write(f"{args.random} random cases (seed {args.seed}){scope_text}: {backend.name} agrees "
                             f"with the reference on all of them ({seconds:.2f} s)\n")
        if result.declined:
            sys.stdout.write(_declined_text(result.declined, args.random) + "\n")
        if result.inconclusive:
            sys.stdout.write(_inconclusive_text(result.inconclusive, args.random, args.dtype) + "\n")
        sys.stdout.write(_margins_text(result, args.dtype) + "\n")
        return 0 if ok else 1
    k, case_spec, xs, ys, reduction, outcome = result.failure
    path = args.save if args.save is not None else f"verify-case-seed{args.seed}.json"
    fuzz.save_case(path, case_spec, xs, ys, reduction, f"verify --random {args.random} --seed {args.seed}: case {k}")
    replay = f"neuronet verify {path} --backend {args.backend}"
    if args.convention != "column":
        replay += f" --convention {args.convention}"
    how = "disagrees" if outcome.report.error is None else "fails"
    sys.stderr.write(f"case {k} of {args.random} (seed {args.seed}) {how}; wrote {path}\n")
    sys.stderr.write(f"replay: {replay}\n")
    if result.declined:
        sys.stderr.write(_declined_text(result.declined, args.random) + "\n")
    if result.inconclusive:
        sys.stderr.write(_inconclusive_text(result.inconclusive, args.random, args.dtype) + "\n")
    sys.stderr.write(_margins_text(result, args.dtype) + "\n")
    if args.format == "json":
        sys.stdout.write(json.dumps(finite.json_safe({**outcome.report.to_dict(), "ok": False, **summary, "case": k,
                                                      "saved": path, "replay": replay}), indent=1, allow_nan=False)
                         + "\n")
        return 1
    _report(args, backend, outcome, seconds)
    return 1
