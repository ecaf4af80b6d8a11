"""neuronet verify: check another backprop implementation against the per-neuron reference."""
from __future__ import annotations

import json
import math
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from ..io import data, finite, spec
from ..check.backends import NAMES, resolve
from ..check.backends import fuzz
from ..check.backends.params import canonical
from ..check.backends.verify import check, line, trace
from ..errors import DataError
from ._common import add_max_params, add_samples, count, load_samples, nonnegative_number, positive_count

NAME = "verify"
ORDER = 35
HELP = "compare a backend's loss, outputs and gradients with the per-neuron reference (exit 1 if any disagree)"
DESCRIPTION = (HELP + ".  Backends: " + NAMES + ".  A backend answers with the JSON "
               "`neuronet grads --format json` prints.")


def add_arguments(p) -> None:
    p.add_argument("spec", metavar="SPEC", nargs="?",
                   help="network spec file (.json/.toml); a saved --random case also carries its batch")
    add_max_params(p)
    p.add_argument("--backend", metavar="B", help=f"one of: {NAMES}")
    add_samples(p)
    p.add_argument("--reduction", choices=("mean", "sum"), default=None,
                   help="batch gradient: mean (default) or sum; a saved case keeps its own")
    p.add_argument("--rtol", type=nonnegative_number, default=1e-9, help="relative tolerance (default 1e-9)")
    p.add_argument("--atol", type=nonnegative_number, default=1e-12, help="absolute tolerance (default 1e-12)")
    p.add_argument("--convention", choices=("column", "row"), default="column",
                   help="matrix backend: W·a with W = [to][from] (002, 004 §3, 000) or a·W with W = [from][to] (001, 003)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--trace-samples", type=positive_count, default=None, metavar="N",
                   help="samples of the batch whose chain-rule trace is shown "
                        "(default 3; 1 for networks of over 10 000 parameters)")
    p.add_argument("--export", metavar="CASE",
                   help="write SPEC as backends receive it (every weight in [from][to], seeded weights drawn) "
                        "with the batch to CASE (.json) for an external program; without --backend, stop there")
    g = p.add_argument_group("fuzzing")
    g.add_argument("--random", type=count, metavar="N", help="check N random specs and batches instead of SPEC")
    g.add_argument("--seed", type=int, default=0, help="seed for --random (default 0)")
    g.add_argument("--save", metavar="FILE", help="where --random saves the first failing case "
                                                  "(default verify-case-seed<S>.json)")


def run(args) -> int:
    if args.backend is None and args.export is None:
        raise DataError("give --backend B (one of: " + NAMES + "), or --export CASE")
    backend = resolve(args.backend, args.convention) if args.backend is not None else None
    if args.random is not None:
        return _fuzz(args, backend)
    if args.spec is None:
        raise DataError("give a SPEC file, or --random N")
    raw = spec.read(args.spec)
    net = spec.from_dict(raw, source=args.spec, max_params=args.max_params)
    if not (args.input or args.target or args.data) and isinstance(raw, dict) \
            and "inputs" in raw and "targets" in raw and Path(args.spec).suffix.lower() == ".json":
        xs, ys = data.read(args.spec)              # a saved case carries its own batch
        data.check(xs, ys, net.sizes[0], net.sizes[-1], source=args.spec)
    else:
        xs, ys = load_samples(args, net)
    reduction = args.reduction or (raw.get("reduction") if raw.get("reduction") in ("mean", "sum") else "mean")
    finite.check_gradients(net, xs, ys, reduction)   # exit 1 if our own reference is not finite
    if args.export is not None:
        fuzz.save_case(args.export, canonical(raw), xs, ys, reduction, f"{args.spec} as backends receive it")
        sys.stderr.write(f"wrote {args.export}; after your program writes grads.json: "
                         f"neuronet verify {args.export} --backend file:grads.json\n")
        if backend is None:
            return 0
    start = time.perf_counter()
    outcome = check(raw, xs, ys, backend, reduction, args.rtol, args.atol, source=args.spec)
    return _report(args, backend, outcome, time.perf_counter() - start)


def _report(args, backend, outcome, seconds: float, console=None) -> int:
    report = outcome.report
    focus = report.focus
    events, samples = ([], [])
    if focus is not None and outcome.net is not None:
        limit = args.trace_samples or (3 if outcome.net.parameter_count() <= 10_000 else 1)
        events, samples = trace(outcome, focus, limit)
    if args.format == "json":
        doc = {"backend": backend.name, "samples": len(outcome.xs), "reduction": outcome.reduction,
               "seconds": seconds, **report.to_dict(),
               "focus": None if focus is None else {**focus.to_dict(), "trace_samples": samples,
                                                    "trace": [e.to_dict() for e in events]}}
        sys.stdout.write(json.dumps(finite.json_safe(doc), indent=1, allow_nan=False) + "\n")
        return 0 if report.ok else 1
    console = console or Console(highlight=False, markup=False)
    n = len(outcome.xs)
    head = (f"verify: {backend.name} vs the per-neuron reference — {n} sample{'s' if n != 1 else ''}, "
            f"reduction {outcome.reduction}, rtol {report.rtol:g}, atol {report.atol:g}")
    if report.error is not None:
        console.print(head)
        console.print(f"the backend failed: {report.error}")
        return 1
    table = Table(title=head)
    for col in ("", "count", "max abs err", "max rel err", "over tol"):
        table.add_column(col, justify="left" if not col else "right")
    for b in report.blocks:
        table.add_row(b.name, str(b.count), f"{b.max_abs:.2e}", f"{b.max_rel:.2e}", str(b.over))
    console.print(table)
    if report.ok:
        console.print(f"all {report.count} numbers agree ({seconds:.2f} s)")
    else:
        first = report.first
        console.print(f"{report.over} of {report.count} numbers disagree; "
                      f"it starts at {first.name}: {focus.name}")
    if focus is None:
        return 0 if report.ok else 1
    label = "worst entry" if report.ok else "where it starts"
    console.print(f"\n{label}: {focus.name} — {focus.what}")
    width = max(len("per-neuron reference"), len(backend.name))
    console.print(f"  {'per-neuron reference':<{width}}  {_num(focus.reference)}")
    console.print(f"  {backend.name:<{width}}  {_num(focus.backend)}")
    console.print(f"  abs err {focus.abs_err:.3e}, rel err {focus.rel_err:.3e}")
    if events:
        shown = ", ".join(str(s) for s in samples)
        how = "" if n == 1 else (f"; the batch value is the sum of the {n} samples' terms"
                                 + (f" ÷ {n}" if outcome.reduction == "mean" else ""))
        console.print(f"\nreference chain-rule trace (sample{'s' if len(samples) != 1 else ''} {shown} "
                      f"of {n}{how}):")
        current = None
        for e in events:
            s = samples[e.sample] if 0 <= e.sample < len(samples) else e.sample
            if s != current:
                console.print(f"  sample {s}", style="bold")
                current = s
            console.print("    " + line(e), soft_wrap=True)
        if focus.kind in ("w", "b"):
            how = "batch value" if n == 1 else (f"Σ over the {n} samples"
                                                 + (f" ÷ {n}" if outcome.reduction == "mean" else ""))
            if len(samples) < n:
                rest = f"sample {n - 1}" if len(samples) == n - 1 else f"samples {len(samples)}–{n - 1}"
                how += f" ({rest} not shown)"
            console.print(f"  ⇒ {how}: reference {_num(focus.reference)}, {backend.name} {_num(focus.backend)}",
                          soft_wrap=True)
    return 0 if report.ok else 1


def _num(x: float) -> str:
    return f"{x:.15g}" if math.isfinite(x) else str(x)


def _fuzz(args, backend) -> int:
    if backend is None:
        raise DataError("--random needs --backend B")
    if not backend.replayable:
        raise DataError(f"--backend {args.backend} answers one fixed case; --random needs matrix, torch or module:")
    if args.spec or args.input or args.data:
        raise DataError("--random makes its own specs and batches: drop SPEC, --input and --data")
    start = time.perf_counter()
    checked, failure = fuzz.run(backend, args.random, args.seed, args.rtol, args.atol)
    seconds = time.perf_counter() - start
    if failure is None:
        if args.format == "json":
            sys.stdout.write(json.dumps({"ok": True, "checked": checked, "seed": args.seed,
                                         "backend": backend.name, "seconds": seconds}, allow_nan=False) + "\n")
        else:
            sys.stdout.write(f"{checked} random cases (seed {args.seed}): {backend.name} agrees "
                             f"with the reference on all of them ({seconds:.2f} s)\n")
        return 0
    k, case_spec, xs, ys, reduction, outcome = failure
    path = args.save if args.save is not None else f"verify-case-seed{args.seed}.json"
    fuzz.save_case(path, case_spec, xs, ys, reduction, f"verify --random {args.random} --seed {args.seed}: case {k}")
    replay = f"neuronet verify {path} --backend {args.backend}"
    if args.convention != "column":
        replay += f" --convention {args.convention}"
    sys.stderr.write(f"case {k} of {args.random} (seed {args.seed}) disagrees; wrote {path}\n")
    sys.stderr.write(f"replay: {replay}\n")
    if args.format == "json":
        sys.stdout.write(json.dumps(finite.json_safe({"ok": False, "checked": checked, "seed": args.seed, "case": k,
                                     "saved": path, "replay": replay, "backend": backend.name,
                                     **outcome.report.to_dict()}), indent=1, allow_nan=False) + "\n")
        return 1
    _report(args, backend, outcome, seconds)
    return 1
