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

from ..errors import printable
from ..present import safe
from ..present.render import FORMATS as TRACE_FORMATS, WHAT
from ..teach import walkthroughs as wt
from ._common import decimals, positive_count, progress_bar
from ..present.numbers import fixed, fmt  # the one display policy

NAME = "walkthrough"
ORDER = 5
HELP = "list the walkthroughs, or run one (each source text's example, narrated and checked)"
#: the renderers' formats (text first: the default), and json: the whole report
FORMATS = ("text",) + tuple(f for f in TRACE_FORMATS if f != "text") + ("json",)


def add_arguments(p) -> None:
    p.add_argument("name", nargs="?", metavar="NAME", help="walkthrough to run (omit to list them)")
    p.add_argument("--format", choices=FORMATS, default="text",
                   help=", ".join(f"{f} ({'default; ' if f == 'text' else ''}{WHAT[f]})" for f in FORMATS[:-1])
                        + ", json (the report: numbers, checks and events)")
    p.add_argument("--step", action="store_true", help="open the step-through (neuronet step) on it")
    p.add_argument("--html", metavar="FILE",
                   help="with --step: write the step-through as an offline HTML page instead")
    p.add_argument("--round", dest="rounding", type=decimals, metavar="N",
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
            out(f"{printable(w.name):<{width}}  {printable(w.title)}\n")
        if not walks:
            sys.stderr.write(f"neuronet walkthrough: no walkthroughs found in {wt.root()}\n")
            return 1
        return 0
    w = wt.find(args.name)
    if args.step or args.html is not None:
        return _step(w, args)
    if args.format == "jsonl" and w.runner in _WHY and w.runner != "polynomial":
        # known to trace nothing and to have no single step: say so before a long run
        return _jsonl_of_step(w, args, sys.stdout)
    with progress_bar(w.name) as progress:
        options = wt.Options(quick=args.quick, data=args.data, labels=args.labels, epochs=args.epochs,
                             rounding=args.rounding, progress=progress)
        report = wt.run(w, options)
    if args.format == "json":
        out(safe.json_text(json.dumps(report.to_dict(), indent=1, ensure_ascii=False, allow_nan=False)) + "\n")
    elif args.format == "text":
        out(render_text(w, report))
    elif args.format == "jsonl" and not any(s.trace is not None for s in report.sections):
        code = _jsonl_of_step(w, args, sys.stdout)
        if code:
            return code
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
        lines.append("── checks " + "─" * 51)
        lines.append(report.summary)
        lines.extend(shown_checks(report))
    return "\n".join(printable(line) for line in lines).rstrip() + "\n"


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
        decimals = int(-math.log10(2 * tol) + 0.5)      # ±0.5e-4 → 4
        if abs(2 * tol - 10 ** -decimals) < 1e-12:
            return fixed(x, decimals)
    return f"{fmt(x, 6)}"


def shown_checks(report) -> list[str]:
    """The check lines a view lists: all of them when there are at most 12,
    else those that do not simply agree, and a line saying how many are left out."""
    shown, hidden = [], 0
    for c, line in zip(report.checks, render_text_checks(report)):
        if c.ok and c.agrees and len(report.checks) > 12:
            hidden += 1
            continue
        shown.append(line)
    if hidden:
        shown.append(f"(the {hidden} that agree are not listed here: --format json lists every check)")
    return shown


#: What the reference of each check kind is called on a check line.
_REFERENCE = {"printed": "the text", "formula": "the text's formula", "fd": "finite differences",
              "engine": "second computation", "target": "target ≥"}


def render_text_checks(report) -> list[str]:
    """One line per check: ``ours`` is always neuronet's number; the other
    side is named by what it is (the text, finite differences, …)."""
    lines = []
    for c in report.checks:
        mark = "ok  " if c.ok else "FAIL"
        ref = _REFERENCE[c.kind]
        if c.reference is None:
            lines.append(f"{mark} {c.what}: ours {fmt(c.ours, 6)}  [{c.where}]")
            continue
        if c.difference:
            verdict = "agrees" if c.agrees else "differs"
            lines.append(f"{mark} {c.what}: largest |ours − {ref}| = {fmt(c.ours, 2)} (≤ {fmt(c.tol, 6)}) — {verdict}  "
                         f"[{c.where}]")
            continue
        if c.kind == "target":
            verdict = "met" if c.agrees else "not met"
            lines.append(f"{mark} {c.what}: ours {fmt(c.ours, 6)}, {ref} {fmt(c.reference, 6)} — {verdict}  [{c.where}]")
            continue
        if c.agrees:
            verdict = "agrees"
        elif not c.expect_agree:
            verdict = "differs: a slip in the text"
        else:
            verdict = "differs"
        ours = _like_the_text(c.ours, c.tol) if c.kind == "printed" else f"{fmt(c.ours, 6)}"
        lines.append(f"{mark} {c.what}: ours {ours}, {ref} {fmt(c.reference, 6)} (±{fmt(c.tol, 6)}) — "
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
        md = safe.markdown
        stream.write(f"# {md(report.name)}: {md(report.title)}\n\nSource: {md(report.source)}.  "
                     f"Narrative: `{printable(narrative).replace('`', '')}`.\n")
        for note in report.notes:
            stream.write(f"\n*Note: {md(note)}*\n")
        for s in report.sections:
            stream.write(f"\n## {md(s.heading)}\n")
            if s.lines:
                stream.write("\n```\n" + "\n".join(s.lines) + "\n```\n")
            if s.trace is not None:
                render.render(s.trace.events, "markdown", stream, _notation(s.trace), s.trace.digits, level=3)
        if report.checks:
            stream.write(f"\n## Checks\n\n{report.summary}\n\n")
            for line in shown_checks(report):
                stream.write(f"- {line}\n")
        return
    from rich.console import Console
    from rich.rule import Rule
    console = Console(file=stream, highlight=False)
    console.print(safe.text(report.name, "bold") + safe.text(f": {report.title}"))
    console.print(safe.text(f"source: {report.source}    narrative: {_narrative(w)}"))
    for note in report.notes:
        console.print(safe.text(f"note: {note}"))
    def heading(title):
        # a rule's title is cut with … when it does not fit: a long heading is printed whole above its rule
        if len(title) + 6 <= console.width:
            console.print(Rule(safe.text(title), align="left"))
        else:
            console.print(Rule())
            console.print(safe.text(title, "bold"))

    for s in report.sections:
        heading(s.heading)
        for line in s.lines:
            console.print(safe.text(line))
        if s.trace is not None:
            render.render(s.trace.events, "rich", stream, _notation(s.trace), s.trace.digits)
    if report.checks:
        heading("checks")
        console.print(safe.text(report.summary))
        for line in shown_checks(report):
            console.print(safe.text(line, "" if line.startswith("ok") else "bold red"))


class _NoStep(Exception):
    """This walkthrough has no single step of one network on one sample."""


#: why a walkthrough's runner has no single step, for the one-line message
_WHY = {
    "errata": "it is a sheet of every slip in the five texts, each checked by its own small "
              "computation, not one network's step",
    "digits": "its lesson is training 64-200-100-10 on a thousand images, and one step of it "
              "has some 70,000 terms",
    "polynomial": "each of its steps sums the gradient over 2000 points of sin x",
}
_TRY = "try `neuronet walkthrough switch-2-4-3-2 --step`"


def _single_step(w):
    """(spec path, x, y, options) of the walkthrough's first worked sample,
    or _NoStep with one line saying why there is none."""
    from ..teach.walkthroughs._common import network, samples
    spec_path = w.path(w.params.get("spec", "network.toml"))
    samples_path = w.path(w.params.get("samples", "samples.json"))
    if w.runner in _WHY or not spec_path.is_file() or not samples_path.is_file():
        why = _WHY.get(w.runner) or ("it has no network of its own" if not spec_path.is_file()
                                     else "its samples are made by its runner, not read from a file")
        raise _NoStep(why)
    net = network(w, w.params.get("spec", "network.toml"))
    xs, ys = samples(w, net)
    s = int(w.params.get("sample", 0))
    return spec_path, xs[s], ys[s]


def _step_argv(w, args, spec_path, x, y) -> list[str]:
    argv = [str(spec_path), f"--input={','.join(repr(v) for v in x)}",
            f"--target={','.join(repr(v) for v in y)}", "--notation", w.notation]
    for key, option in (("eta", "--lr"), ("eta_b", "--lr-bias")):
        if key in w.params:
            argv += [option, repr(float(w.params[key]))]
    digits = args.rounding if args.rounding is not None else w.params.get("round")
    if digits is not None:
        argv += ["--round", str(digits)]
    if getattr(args, "html", None) is not None:
        argv += ["--html", args.html]
    return argv


def _step(w, args) -> int:
    """Open the step-through (neuronet step) on the walkthrough's spec and
    its first worked sample, in its notation (or write it as HTML with --html)."""
    from . import step as step_command
    import argparse
    try:
        spec_path, x, y = _single_step(w)
    except _NoStep as e:
        sys.stderr.write(f"neuronet walkthrough: {w.name} has no single step to walk: {e}; {_TRY}\n")
        return 2
    parser = argparse.ArgumentParser(prog="neuronet step")
    step_command.add_arguments(parser)
    return int(step_command.run(parser.parse_args(_step_argv(w, args, spec_path, x, y))) or 0)


def _jsonl_of_step(w, args, stream) -> int:
    """--format jsonl for a walkthrough whose report traces nothing: the
    events of its single step (the one --step walks); exit 2 with one line
    when it has none."""
    try:
        spec_path, x, y = _single_step(w)
    except _NoStep as e:
        sys.stderr.write(f"neuronet walkthrough: {w.name} has no event stream: {e}; "
                         "its numbers and checks: --format json\n")
        return 2
    from ..io import spec
    from ..present import render
    from ..teach.replay import record_step
    digits = args.rounding if args.rounding is not None else w.params.get("round")
    eta = float(w.params.get("eta", 0.5))
    eta_b = float(w.params["eta_b"]) if "eta_b" in w.params else None
    events, _, _ = record_step(spec.load(spec_path), [x], [y], eta, eta_b, "mean",
                               int(digits) if digits is not None else None)
    sink = render.make("jsonl", stream)
    for e in events:
        sink(e)
    sink.close()
    return 0
