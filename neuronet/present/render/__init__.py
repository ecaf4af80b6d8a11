"""Renderers of the trace: sinks that turn events into text.

Every renderer is a *sink* — call it with one :class:`~neuronet.engine.events.Event`
at a time, then ``close()`` it (or use it in a ``with`` block) — so a trace
streams: rows are written as their events arrive (JSON Lines in blocks of
256, the rest row by row; ``close()`` writes what is left) and nothing of a
section is kept, in every format (a 784-200-100-10 step traces in ~31 MB
peak RSS in each of them).
The engine never imports this package; it only calls whatever sink it is
given.

========  ==============================  =====================================
format    class                            output
========  ==============================  =====================================
text      :class:`text.TextRenderer`       plain lines, no escape codes
rich      :class:`console.RichRenderer`    colour, formulas laid out to the width
jsonl     :class:`jsonl.JsonlRenderer`     one ``Event.to_dict()`` per line
markdown  :class:`markdown.MarkdownRenderer`  Markdown with LaTeX math
========  ==============================  =====================================

The in-memory recorder is :class:`neuronet.engine.events.Recorder`.
"""
from __future__ import annotations

#: The renderers' registry: format → what it writes (make() builds each;
#: the CLI's --format choices and help come from here).
WHAT = {
    "rich": "colour, formulas laid out to the width",
    "text": "plain lines, no escape codes",
    "jsonl": "the trace events, one JSON object a line",
    "markdown": "Markdown with LaTeX math, for handouts",
}
FORMATS = tuple(WHAT)


class Renderer:
    """What the renderers share: ``with make(...) as sink:`` closes the sink
    at the end of the block, even when the block fails."""

    def close(self) -> None:
        self.stream.flush()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# gradient and update events interleave (one weight at a time, as 004's
# lines 39–41 do), so they share a section
GROUP = {"forward": "forward", "loss": "loss", "delta": "delta",
         "gradient": "gradient · update", "update": "gradient · update"}


def section_of(event) -> tuple:
    """Events are grouped by (sample, phase group, layer) under one heading."""
    return (event.sample, GROUP.get(event.phase, event.phase), event.layer)


def heading(event, notation=None) -> str:
    """'sample 0 · forward · layer 2' (layer in the notation's own name)."""
    where = "batch" if event.sample < 0 else f"sample {event.sample}"
    layer = event.layer
    lname = notation.layer_name(layer) if notation is not None else f"layer {layer}"
    if event.kind == "loss" or event.kind == "loss_term":
        return f"{where} · loss"
    return f"{where} · {GROUP.get(event.phase, event.phase)} · {lname}"


def make(fmt: str, stream=None, view=None, console=None, title: str = "", level: int = 2):
    """A renderer sink for ``fmt`` (one of FORMATS) writing to ``stream``,
    drawing with ``view`` (a :class:`~neuronet.present.view.View`; default:
    004's symbols, 4 significant digits)."""
    from ..view import DEFAULT
    view = DEFAULT if view is None else view
    if fmt == "text":
        from .text import TextRenderer
        return TextRenderer(stream, view)
    if fmt == "rich":
        from .console import RichRenderer
        return RichRenderer(console=console, stream=stream, view=view)
    if fmt == "jsonl":
        from .jsonl import JsonlRenderer
        return JsonlRenderer(stream)
    if fmt == "markdown":
        from .markdown import MarkdownRenderer
        return MarkdownRenderer(stream, view, title=title, level=level)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def render(events, fmt: str = "text", stream=None, view=None, lines=(), level: int = 2) -> None:
    """Render an iterable of events (a Recorder, a list, a replayed file)
    through the ``fmt`` renderer, then any closing ``lines`` (``level``: the
    Markdown heading level of a section)."""
    sink = make(fmt, stream, view, level=level)
    for e in events:
        sink(e)
    sink.write_lines(list(lines))
    sink.close()
