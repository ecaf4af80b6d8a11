"""A walkthrough's report as the reader sees it: plain text, rich, Markdown,
its trace as JSON Lines, or the whole report as JSON.

The report (neuronet.teach.walkthroughs.Report) is data — sections of lines,
traces as events, checks; this module only lays it out.  Nothing is
recomputed: traces go through the tracer's notation and renderers
(neuronet.present.notation, neuronet.present.render), numbers through the one
display policy (neuronet.present.numbers), and the check count is the
report's own :attr:`~neuronet.teach.walkthroughs.Report.summary`.

    render("text", walkthrough, report, sys.stdout)
"""
from __future__ import annotations

import json
import math
from pathlib import Path

from ..errors import printable
from . import safe
from .numbers import fixed, fmt  # the one display policy
from .render import FORMATS as TRACE_FORMATS

#: the renderers' formats (text first: the default) and json, the whole report
FORMATS = ("text",) + tuple(f for f in TRACE_FORMATS if f != "text") + ("json",)


def render(fmt: str, w, report, stream) -> None:
    """Write ``report`` (of walkthrough ``w``) to ``stream`` as ``fmt``."""
    if fmt == "json":
        stream.write(safe.json_text(json.dumps(report.to_dict(), indent=1, ensure_ascii=False,
                                               allow_nan=False)) + "\n")
    elif fmt == "text":
        stream.write(render_text(w, report))
    elif fmt in ("rich", "markdown", "jsonl"):
        render_with(fmt, w, report, stream)
    else:   # a renderer added to present/render/ needs its layout here too
        raise ValueError(f"no walkthrough view for format {fmt!r}")


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


def trace_lines(trace) -> list[str]:
    """Each event as one line in the walkthrough's notation (the tracer's
    neuronet.present.notation; nothing is recomputed: every number is the event's)."""
    out = []
    shown = trace.view.shown()      # Σ lines checked against the terms above them
    for e in trace.events:
        d = shown(e)
        if d.repeat:                # the text writes this input once: its line is the one above
            continue
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
    from . import render
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
                render.render(s.trace.events, "markdown", stream, s.trace.view, level=3)
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
            render.render(s.trace.events, "rich", stream, s.trace.view)
    if report.checks:
        heading("checks")
        console.print(safe.text(report.summary))
        for line in shown_checks(report):
            console.print(safe.text(line, "" if line.startswith("ok") else "bold red"))
