"""Plain-text renderer: one line per term, a heading per section, no escape
codes (the default when stdout is not a terminal)."""
from __future__ import annotations

import sys

from ..numbers import LEGEND
from ..view import DEFAULT, View
from . import Renderer, heading, section_of

LHS_WIDTH = 18


class TextRenderer(Renderer):
    """Sink writing ``lhs = symbolic = numeric = value`` lines to ``stream``."""

    def __init__(self, stream=None, view: View = DEFAULT) -> None:
        self.stream = stream if stream is not None else sys.stdout
        self.notation = view.notation
        self._shown = view.shown()          # Σ lines checked against their terms
        self._section = None
        self._legend = False
        self.count = 0

    def __call__(self, event) -> None:
        w = self.stream.write
        sec = section_of(event)
        if sec != self._section:
            w(("\n" if self._section is not None else "") + f"── {heading(event, self.notation)} ──\n")
            self._section = sec
        d = self._shown(event)
        if d.repeat:                # the text writes this input once: its line is the one above
            self.count += 1
            return
        p = d.parts()
        s = "  " + p[0].ljust(LHS_WIDTH)
        s += "".join(f" {sep} {part}" for sep, part in zip(d.seps(), p[1:]))
        w(s.rstrip() + "\n")
        if d.remark:
            w(f"    ({d.remark})\n")
        if not self._legend and d.shows_approx():
            self._legend = True
            w(f"    ({LEGEND})\n")
        self.count += 1

    def write_lines(self, lines) -> None:
        """Free text after the trace (the hand-calculation report)."""
        for line in lines:
            self.stream.write(line + "\n")
