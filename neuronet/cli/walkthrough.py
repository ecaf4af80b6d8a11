"""neuronet walkthrough: list the walkthroughs, or run one headless.

    neuronet walkthrough                      # one line each
    neuronet walkthrough switch-2-4-3-2       # its trace in 002's notation
    neuronet walkthrough errata               # the errata sheet
    neuronet walkthrough NAME --format json   # key numbers, checks, trace events
    neuronet walkthrough NAME --step          # open the step-through on it
"""
from __future__ import annotations

import json
import math
import sys
from pathlib import Path

from ..teach import walkthrough as wt
from ._common import count, positive_count

NAME = "walkthrough"
ORDER = 5
HELP = "list the walkthroughs, or run one (each source text's example, narrated and checked)"
FORMATS = ("text", "rich", "markdown", "jsonl", "json")


def add_arguments(p) -> None:
    p.add_argument("name", nargs="?", metavar="NAME", help="walkthrough to run (omit to list them)")
    p.add_argument("--format", choices=FORMATS, default="text",
                   help="text (default), rich (colour), markdown (handouts, LaTeX), jsonl (the trace "
                        "events), json (numbers, checks and events)")
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
            out(f"{w.name:<{width}}  {w.title}\n")
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
    elif args.format == "text":
        out(render_text(w, report))
    else:
        render_with(args.format, w, report, sys.stdout)
    return 0 if report.ok else 1


def _narrative(w) -> str:
    """The narrative's place without the machine's path: walkthroughs/NAME/README.md."""
    return "walkthroughs/" + "/".join(Path(w.readme).parts[-2:])


def render_text(w, report) -> str:
    """The report as plain text; traces through the tracer's notation."""
    lines = [f"{report.name}: {report.title}", f"source: {report.source}    narrative: {_narrative(w)}", ""]
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
        for c, line in zip(report.checks, render_text_checks(report)):
            if c.ok and c.agrees and len(report.checks) > 12:
                continue
            lines.append(line)
    return "\n".join(lines).rstrip() + "\n"


def _notation(trace, latex=False):
    from ..present import notation
    return notation.get(trace.notation, trace.sizes, latex, trace.input_activation)


def trace_lines(trace) -> list[str]:
    """Each event as one line in the walkthrough's notation (the tracer's
    neuronet.present.notation; nothing is recomputed: every number is the event's)."""
    from ..present import notation
    N = _notation(trace)
    out = []
    for e in trace.events:
        d = notation.describe(e, N, trace.digits)
        out.append("  " + d.line())
        if d.remark:
            out.append(f"    ({d.remark})")
    return out


def _like_the_text(x: float, tol: float) -> str:
    """Ours to the decimals a text's rounding implies (±0.5e-4 → 4 decimals:
    0.9440, as 002 would print it); otherwise 6 significant digits."""
    if 0 < tol and 1e-6 <= 2 * tol <= 1:
        decimals = round(-math.log10(2 * tol))
        if abs(2 * tol - 10 ** -decimals) < 1e-12:
            return f"{x:.{decimals}f}"
    return f"{x:.6g}"


def render_text_checks(report) -> list[str]:
    lines = []
    for c in report.checks:
        mark = "ok  " if c.ok else "FAIL"
        if c.printed is None:
            lines.append(f"{mark} {c.what}: {c.ours:.6g}  [{c.where}]")
        else:
            verdict = "agrees" if c.agrees else "differs: a slip in the text" if not c.expect_agree else "differs"
            ours = _like_the_text(c.ours, c.tol)
            lines.append(f"{mark} {c.what}: ours {ours}, reference {c.printed:.6g} (±{c.tol:g}) — "
                         f"{verdict}  [{c.where}]")
    return lines


def render_with(fmt, w, report, stream) -> None:
    """rich / markdown / jsonl through the tracer's renderers (neuronet.present.render)."""
    from ..present import render
    if fmt == "jsonl":
        for s in report.sections:
            if s.trace is not None:
                sink = render.make("jsonl", stream)
                for e in s.trace.events:
                    sink(e)
                sink.close()
        return
    if fmt == "markdown":
        narrative = _narrative(w)
        stream.write(f"# {report.name}: {report.title}\n\nSource: {report.source}.  "
                     f"Narrative: `{narrative}`.\n")
        for note in report.notes:
            stream.write(f"\n*Note: {note}*\n")
        for s in report.sections:
            stream.write(f"\n## {s.heading}\n")
            if s.lines:
                stream.write("\n```\n" + "\n".join(s.lines) + "\n```\n")
            if s.trace is not None:
                render.render(s.trace.events, "markdown", stream, _notation(s.trace), s.trace.digits, level=3)
        if report.checks:
            stream.write("\n## Checks against the source text\n\n")
            for line in render_text_checks(report):
                stream.write(f"- {line}\n")
        return
    from rich.console import Console
    from rich.rule import Rule
    console = Console(file=stream, highlight=False)
    console.print(f"[bold]{report.name}[/bold]: {report.title}", markup=True)
    console.print(f"source: {report.source}    narrative: {_narrative(w)}", markup=False)
    for note in report.notes:
        console.print(f"note: {note}", markup=False)
    def heading(title):
        # a rule's title is cut with … when it does not fit: a long heading is printed whole above its rule
        if len(title) + 6 <= console.width:
            console.print(Rule(title, align="left"))
        else:
            console.print(Rule())
            console.print(title, markup=False, style="bold")

    for s in report.sections:
        heading(s.heading)
        for line in s.lines:
            console.print(line, markup=False)
        if s.trace is not None:
            render.render(s.trace.events, "rich", stream, _notation(s.trace), s.trace.digits)
    if report.checks:
        heading("checks against the source text")
        for line in render_text_checks(report):
            console.print(line, markup=False, style=None if line.startswith("ok") else "bold red")


def _step(w, args) -> int:
    """Open the step-through (neuronet step) on the walkthrough's spec and
    its first worked sample, in its notation."""
    from . import step as step_command
    import argparse

    from ..teach.walks._common import network, samples
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
