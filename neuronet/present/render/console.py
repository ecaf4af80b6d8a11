"""Rich console renderer: colour by phase, formulas laid out to the width.

It streams: every event becomes one row as it arrives and is written at
once (nothing is kept but a few lines of output), so a 784-200-100-10 trace
runs in flat memory.  Works in a terminal and in Jupyter (rich renders there
too; :class:`Row` lays itself out at whatever width it is drawn).

Layout of a row (see :func:`layout`)::

      lhs                = formula
                         = numbers with the values put in
                         = value

The row is one line when it fits the width.  Otherwise it breaks *before*
an ``=`` (or ``≈``/``←``), with the sign aligned under the first one; a
part still too wide is broken at a space or after a ``·`` and continued one
step further in, so a continuation never starts in the column of an ``=``
and never reads as a result.  Nothing is truncated.
"""
from __future__ import annotations

import re

from rich.console import Console
from rich.text import Text

from .. import notation as _notation
from ..numbers import LEGEND
from . import heading, section_of

PHASE_STYLE = {"forward": "cyan", "loss": "magenta", "delta": "yellow",
               "gradient": "green", "update": "bold blue"}
INDENT = 2            # before the lhs
LHS_WIDTH = 18        # the lhs column (longer symbols push their row right)
CONT = 4              # how much further a broken part is continued
BATCH = 256           # lines written per console.print


def _chunks(part: str, room: int) -> list[str]:
    """``part`` cut into pieces of at most ``room`` characters, before a
    space (so a piece starts with its operator) or after a ``·``; a single
    token wider than the room is cut anywhere (never dropped)."""
    out: list[str] = []
    cur = ""
    for tok in re.findall(r"[^ ·]*·|[^ ·]+| +", part):
        if cur.strip() and len((cur + tok).rstrip()) > room:
            out.append(cur.rstrip())
            cur = tok.lstrip()
        else:
            cur += tok
    if cur.strip():
        out.append(cur.rstrip())
    cut: list[str] = []
    for t in out:
        while len(t) > room:
            cut.append(t[:room])
            t = t[room:]
        cut.append(t)
    return cut or [""]


def layout(lhs: str, pieces: list[tuple[str, str, str]], width: int,
           lhs_style: str = "") -> list[list[tuple[str, str]]]:
    """The row ``lhs sep part sep part …`` as lines of (text, style) spans,
    each at most ``width`` characters (see the module docstring).

    ``pieces`` are ``(sign, part, style)``."""
    head = " " * INDENT + lhs.ljust(LHS_WIDTH)
    col = len(head) + 1                                  # where the signs line up
    if col > width // 2:
        col = INDENT + CONT
    lines: list[list[tuple[str, str]]] = [[(head, lhs_style)]]
    used = len(head)
    first = True
    for sign, part, style in pieces:
        seg = f" {sign} {part}"
        if used + len(seg) <= width:
            lines[-1].append((seg, style))
            used += len(seg)
            first = False
            continue
        # break before the sign (unless nothing but the lhs is on the line and it fits there)
        if first and used + len(sign) + 2 < width and used <= col:
            start, lead = used, f" {sign} "
        else:
            lines.append([(" " * col, "")])
            start, lead = col, f"{sign} "
        room = width - start - len(lead)
        deeper = start + len(lead) + CONT if start + len(lead) + CONT < width - 10 else INDENT + CONT
        chunks = _chunks(part, max(room, 8))
        lines[-1].append((lead + chunks[0], style))
        used = start + len(lead) + len(chunks[0])
        rest = " ".join(chunks[1:])
        for c in (_chunks(rest, max(width - deeper, 8)) if rest else []):
            lines.append([(" " * deeper + c, style)])
            used = deeper + len(c)
        first = False
    return lines


def _wrap(text: str, width: int, indent: int) -> list[str]:
    """Plain word wrap for remarks and the legend."""
    words, out, cur = text.split(" "), [], " " * indent
    for w in words:
        if len(cur) + len(w) + (0 if cur.isspace() else 1) > width and not cur.isspace():
            out.append(cur)
            cur = " " * indent + w
        else:
            cur += w if cur.isspace() else " " + w
    out.append(cur)
    return out


class Row:
    """One described event, laid out when rich draws it (so at any width)."""

    def __init__(self, d, style: str) -> None:
        self.d, self.style = d, style

    def lines(self, width: int) -> list[Text]:
        d = self.d
        parts = d.parts()
        styles = ["", "dim", "bold"]
        n = len(parts) - 1
        pieces = []
        for k, (sign, part) in enumerate(zip(d.seps(), parts[1:])):
            pieces.append((sign, part, "bold" if k == n - 1 and n > 1 else styles[min(k, 1)]))
        out = []
        for spans in layout(d.lhs, pieces, width, self.style):
            t = Text(no_wrap=True, overflow="ignore")
            for s, st in spans:
                t.append(s, style=st)
            out.append(t)
        if d.remark:
            out += [Text(line, style="italic red") for line in _wrap(f"({d.remark})", width, 4)]
        return out

    def __rich_console__(self, console, options):
        yield from self.lines(options.max_width)


class RichRenderer:
    def __init__(self, console: Console | None = None, stream=None, notation=None, digits=4,
                 collect: list | None = None) -> None:
        self.collect = collect          # a list: keep the renderables instead of printing them
        if console is None and collect is None:
            console = Console(file=stream) if stream is not None else Console()
        self.console = console
        self.notation = notation if notation is not None else _notation.get("delta")
        self.digits = digits
        self._section = None
        self._style = ""
        self._legend = False
        self._pending: list[Text] = []
        self.count = 0

    def _emit(self, renderable) -> None:
        if self.collect is not None:
            self.collect.append(renderable)
            return
        if isinstance(renderable, Row):
            self._pending.extend(renderable.lines(self.console.width))
        else:
            self._pending.append(renderable)
        if len(self._pending) >= BATCH:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            self.console.print(Text("\n", no_wrap=True).join(self._pending), soft_wrap=True)
            self._pending = []

    def __call__(self, event) -> None:
        sec = section_of(event)
        if sec != self._section:
            if self._section is not None:
                self._emit(Text(""))
            self._section = sec
            self._style = PHASE_STYLE.get(event.phase, "")
            self._emit(Text(heading(event, self.notation), style=self._style))
        d = _notation.describe(event, self.notation, self.digits)
        self._emit(Row(d, self._style))
        if not self._legend and d.shows_approx():
            self._legend = True
            width = self.console.width if self.console is not None else 80
            for line in _wrap(f"({LEGEND})", width, 4):
                self._emit(Text(line, style="italic"))
        self.count += 1

    def write_lines(self, lines) -> None:
        if self._section is not None:
            self._emit(Text(""))
        for line in lines:
            self._emit(Text(line))
        self._flush() if self.collect is None else None

    def close(self) -> None:
        if self.collect is None:
            self._flush()
