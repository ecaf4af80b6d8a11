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

from rich.color import ColorSystem
from rich.console import Console
from rich.style import Style
from rich.text import Text

from ..view import DEFAULT, View
from ..numbers import LEGEND
from . import Renderer, heading, section_of

PHASE_STYLE = {"forward": "cyan", "loss": "magenta", "delta": "yellow",
               "gradient": "green", "update": "bold blue"}
INDENT = 2            # before the lhs
LHS_WIDTH = 18        # the lhs column (longer symbols push their row right)
CONT = 4              # how much further a broken part is continued
BATCH = 256           # lines written per console.print
_COLOR_SYSTEMS = {"standard": ColorSystem.STANDARD, "256": ColorSystem.EIGHT_BIT,
                  "truecolor": ColorSystem.TRUECOLOR}


_OPERATORS = {"+", "−", "-", "=", "≈", "/", "←", "·"}


def _tokens(part: str) -> list[str]:
    """Pieces of ``part`` that may start a line: a word with the operator
    before it (``− 0.0017``), or the factor after a ``·``."""
    words = part.split(" ")
    glued: list[str] = []
    k = 0
    while k < len(words):
        w = words[k]
        if w in _OPERATORS and k + 1 < len(words):
            w = f"{w} {words[k + 1]}"
            k += 1
        glued.append(w)
        k += 1
    out: list[str] = []
    for g in glued:
        bits = g.split("·")
        for n, b in enumerate(bits):
            # "·" stays at the end of the factor before it; the next factor may start a line
            out.append((" " if n == 0 and out else "") + b + ("·" if n < len(bits) - 1 else ""))
    return out


def _chunks(part: str, room: int, rest: int | None = None) -> list[str]:
    """``part`` cut into lines of at most ``room`` characters (``rest`` for
    the lines after the first), before an operator or after a ``·``; a
    single token wider than the room is cut anywhere (never dropped)."""
    out: list[str] = []
    cur = ""

    def limit():
        return room if not out else (rest if rest is not None else room)

    for tok in _tokens(part):
        if cur.strip() and len(cur + tok) > limit():
            out.append(cur.rstrip())
            cur = tok.lstrip()
        else:
            cur += tok
        while len(cur) > limit():          # one token wider than a line
            out.append(cur[:limit()])
            cur = cur[len(out[-1]):]
    if cur.strip() or not out:
        out.append(cur.rstrip())
    return out


_SIGNS = re.compile(r" (=|≈) ")


def layout(lhs: str, pieces: list[tuple[str, str, str]], width: int,
           lhs_style: str = "") -> list[list[tuple[str, str]]]:
    """The row ``lhs sep part sep part …`` as lines of (text, style) spans,
    each at most ``width`` characters (see the module docstring).

    ``pieces`` are ``(sign, part, style)``; a part holding signs of its own
    (an update's ``old − η·g = old − step``) is split at them first, so a
    line only ever breaks before an ``=``/``≈`` or inside one expression."""
    split = []
    for sign, part, style in pieces:
        bits = _SIGNS.split(part)
        split.append((sign, bits[0], style))
        split += [(bits[k], bits[k + 1], style) for k in range(1, len(bits) - 1, 2)]
    pieces = split
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
        chunks = _chunks(part, max(room, 8), max(width - deeper, 8))
        lines[-1].append((lead + chunks[0], style))
        used = start + len(lead) + len(chunks[0])
        for c in chunks[1:]:
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

    def spans(self, width: int) -> list[list[tuple[str, str]]]:
        """The row's lines as (text, style) spans (see :func:`layout`)."""
        d = self.d
        parts = d.parts()
        n = len(parts) - 1
        pieces = [(sign, part, "bold" if k == n - 1 and n > 1 else ("" if k == 0 else "dim"))
                  for k, (sign, part) in enumerate(zip(d.seps(), parts[1:]))]
        out = layout(d.lhs, pieces, width, self.style)
        if d.remark:
            out += [[(line, "italic red")] for line in _wrap(f"({d.remark})", width, 4)]
        return out

    def plain(self, width: int) -> str:
        d = self.d
        if not d.remark:        # the usual row: one line, as layout() would lay it out
            p = d.parts()
            one = " " * INDENT + p[0].ljust(LHS_WIDTH) + "".join(f" {s} {x}" for s, x in zip(d.seps(), p[1:]))
            if len(one) <= width:
                return one + "\n"
        return "".join("".join(s for s, _ in spans) + "\n" for spans in self.spans(width))

    def lines(self, width: int) -> list[Text]:
        out = []
        for spans in self.spans(width):
            t = Text(no_wrap=True, overflow="ignore")
            for s, st in spans:
                t.append(s, style=st)
            out.append(t)
        return out

    def __rich_console__(self, console, options):
        yield from self.lines(options.max_width)


class RichRenderer(Renderer):
    def __init__(self, console: Console | None = None, stream=None, view: View = DEFAULT,
                 collect: list | None = None) -> None:
        self.collect = collect          # a list: keep the renderables instead of printing them
        if console is None and collect is None:
            console = Console(file=stream) if stream is not None else Console()
        self.console = console
        self.notation = view.notation
        self._shown = view.shown()          # Σ lines checked against their terms
        self._section = None
        self._style = ""
        self._legend = False
        self._pending: list[Text] = []
        self.count = 0
        # no colour and nothing recorded (a file, a pipe, NO_COLOR): rich would write the
        # characters alone, so write them directly — the same text, without rich's per-line cost
        c = self.console
        direct = collect is None and c is not None and not c.record and not c.is_jupyter
        self._plain = direct and c.color_system is None
        # colour on a terminal or forced: the same characters with each span's escape codes,
        # rendered once per style by rich itself (Style.render), then written directly
        self._ansi = (direct and not self._plain and not c.no_color and not c.legacy_windows
                      and c.color_system in _COLOR_SYSTEMS)
        self._codes: dict[str, tuple[str, str]] = {}
        self._width = c.width if (self._plain or self._ansi) else None   # fixed for the whole trace

    def _emit(self, renderable) -> None:
        if self.collect is not None:
            self.collect.append(renderable)
            return
        if self._plain:
            if isinstance(renderable, Row):
                self.console.file.write(renderable.plain(self._width))
            else:
                self.console.file.write(renderable.plain + "\n")
            return
        if self._ansi:
            spans = renderable.spans(self._width) if isinstance(renderable, Row) else \
                [[(renderable.plain, str(renderable.style or ""))]]
            self.console.file.write("".join("".join(self._paint(s, st) for s, st in line) + "\n"
                                            for line in spans))
            return
        if isinstance(renderable, Row):
            self._pending.extend(renderable.lines(self.console.width))
        else:
            self._pending.append(renderable)
        if len(self._pending) >= BATCH:
            self._flush()

    def _paint(self, text: str, style: str) -> str:
        if not style or not text:
            return text
        codes = self._codes.get(style)
        if codes is None:
            cs = _COLOR_SYSTEMS[self.console.color_system]
            codes = self._codes[style] = tuple(Style.parse(style).render("\x00", color_system=cs).split("\x00"))
        return codes[0] + text + codes[1]

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
        d = self._shown(event)
        if d.repeat:                # the text writes this input once: its line is the one above
            self.count += 1
            return
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
