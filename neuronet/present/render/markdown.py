"""Markdown renderer with LaTeX math, for handouts and answer keys.

Each section is a heading; each term a list item ``$lhs = formula =
numbers = value$`` (inline math, renders on GitHub, in Jupyter and pandoc).
"""
from __future__ import annotations

import sys

from .. import safe
from ..mathml import latex_line
from ..numbers import LEGEND
from ..view import DEFAULT, View
from . import Renderer, heading, section_of


class MarkdownRenderer(Renderer):
    def __init__(self, stream=None, view: View = DEFAULT, title: str = "", level: int = 2) -> None:
        self.stream = stream if stream is not None else sys.stdout
        base = view.styled(latex=False).notation      # headings: plain text
        self.plain = base
        self._shown = view.styled(latex=True).shown()   # the same notation, drawing LaTeX; Σ lines checked
        self._section = None
        self.level = level              # the heading level of a section (the title is level − 1)
        self._legend = False
        self.count = 0
        if title:
            self.stream.write(f"{'#' * (level - 1)} {safe.markdown(title)}\n\n")
            src = base.source
            if src:
                self.stream.write(f"Notation `{base.name}`: {src}.\n")

    def __call__(self, event) -> None:
        w = self.stream.write
        sec = section_of(event)
        if sec != self._section:
            w(f"\n{'#' * self.level} {safe.markdown(heading(event, self.plain))}\n\n")
            self._section = sec
        d = self._shown(event)
        if d.repeat:                # the text writes this input once: its line is the one above
            self.count += 1
            return
        w(f"- ${latex_line(d)}$\n")
        if d.remark:
            w(f"  *({d.remark})*\n")
        if not self._legend and d.shows_approx():
            self._legend = True
            w("\n  *(" + LEGEND.replace("≈", r"$\approx$", 1) + ")*\n\n")
        self.count += 1

    def write_lines(self, lines) -> None:
        lines = list(lines)
        if lines:
            self.stream.write(f"\n{'#' * self.level} Summary\n\n")
            for line in lines:
                self.stream.write(f"- {safe.markdown(line.strip())}\n")
