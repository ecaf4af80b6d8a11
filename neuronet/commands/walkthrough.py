"""neuronet walkthrough: list the walkthroughs, or run one headless.

    neuronet walkthrough                      # one line each
    neuronet walkthrough switch-2-4-3-2       # its trace in 002's notation
    neuronet walkthrough errata               # the errata sheet
    neuronet walkthrough NAME --format json   # key numbers, checks, trace events
    neuronet walkthrough NAME --step          # open the step-through on it
"""
from __future__ import annotations

import json
import sys

from .. import walkthrough as wt
from ._common import count, positive_count

NAME = "walkthrough"
ORDER = 5
HELP = "list the walkthroughs, or run one (each source text's example, narrated and checked)"


def add_arguments(p) -> None:
    p.add_argument("name", nargs="?", metavar="NAME", help="walkthrough to run (omit to list them)")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="text (the trace in the walkthrough's notation) or json (numbers, checks, events)")
    p.add_argument("--step", action="store_true", help="open the step-through (neuronet step) on it")
    p.add_argument("--round", dest="rounding", type=count, metavar="N",
                   help="hand mode: carry N decimals (walkthroughs that reproduce a hand calculation)")
    p.add_argument("--quick", action="store_true", help="smaller data / fewer epochs (for tests and slow machines)")
    p.add_argument("--epochs", type=positive_count, metavar="N", help="override the epoch count")
    p.add_argument("--data", metavar="IDX", help="digits: MNIST image file (train-images-idx3-ubyte[.gz])")
    p.add_argument("--labels", metavar="IDX", help="digits: MNIST label file (train-labels-idx1-ubyte[.gz])")


def run(args) -> int:
    out = sys.stdout.write
    if not args.name:
        walks = wt.registry()
        width = max((len(w.name) for w in walks), default=0)
        for w in walks:
            out(f"{w.name:<{width}}  {w.title}  [{w.source}]\n")
        if not walks:
            sys.stderr.write(f"neuronet walkthrough: no walkthroughs found in {wt.root()}\n")
            return 1
        return 0
    w = wt.find(args.name)
    if args.step:
        return _step(w, args)
    options = wt.Options(quick=args.quick, data=args.data, labels=args.labels, epochs=args.epochs,
                         rounding=args.rounding)
    report = wt.run(w, options)
    if args.format == "json":
        out(json.dumps(report.to_dict(), indent=1, ensure_ascii=False) + "\n")
    else:
        out(render_text(w, report))
    return 0 if report.ok else 1


def render_text(w, report) -> str:
    """The report as plain text; traces through the tracer's notation."""
    lines = [f"{report.name}: {report.title}", f"source: {report.source}    narrative: {w.readme}", ""]
    for note in report.notes:
        lines.append(f"note: {note}")
    if report.notes:
        lines.append("")
    for s in report.sections:
        lines.append(f"── {s.heading} " + "─" * max(0, 60 - len(s.heading)))
        lines.extend(s.lines)
        if s.trace is not None:
            lines.extend(trace_lines(s.trace))
        lines.append("")
    if report.checks:
        lines.append("── checks against the source text " + "─" * 27)
        agree = [c for c in report.checks if c.ok and c.agrees]
        lines.append(f"{len(agree)} of {len(report.checks)} numbers agree with the text "
                     f"(all of them: --format json)")
        for c in report.checks:
            if c.ok and c.agrees and len(report.checks) > 12:
                continue
            mark = "ok  " if c.ok else "FAIL"
            if c.printed is None:
                lines.append(f"{mark} {c.what}: {c.ours:.6g}  [{c.where}]")
            else:
                verdict = ("agrees" if c.agrees else
                           "differs: a slip in the text" if not c.expect_agree else "differs")
                lines.append(f"{mark} {c.what}: ours {c.ours:.6g}, reference {c.printed:.6g} "
                             f"(±{c.tol:g}) — {verdict}  [{c.where}]")
    return "\n".join(lines).rstrip() + "\n"


def trace_lines(trace) -> list[str]:
    """Each event as one line in the walkthrough's notation."""
    from .. import notation
    N = notation.get(trace.notation, trace.sizes)
    return ["  " + notation.describe(e, N, trace.digits).line() for e in trace.events]


def _step(w, args) -> int:
    """Open the step-through (neuronet step) on the walkthrough's spec and
    its first worked sample, in its notation."""
    try:
        from . import step as step_command
    except ImportError:
        sys.stderr.write("neuronet walkthrough: the step-through (neuronet step) is not installed; "
                         "run without --step for the whole trace\n")
        return 2
    import argparse

    from ..walks._common import network, samples
    net = network(w)
    xs, ys = samples(w, net)
    s = int(w.params.get("sample", 0))
    argv = [str(w.path(w.params.get("spec", "network.toml"))),
            "--input", ",".join(repr(v) for v in xs[s]), "--target", ",".join(repr(v) for v in ys[s]),
            "--notation", w.notation]
    for key, option in (("eta", "--lr"), ("eta_b", "--lr-bias")):
        if key in w.params:
            argv += [option, repr(float(w.params[key]))]
    digits = args.rounding if args.rounding is not None else w.params.get("round")
    if digits is not None:
        argv += ["--round", str(digits)]
    parser = argparse.ArgumentParser(prog="neuronet step")
    step_command.add_arguments(parser)
    return int(step_command.run(parser.parse_args(argv)) or 0)
