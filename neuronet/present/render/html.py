"""An HTML fragment with MathML math, for a notebook (``Trace._repr_html_``).

The Markdown renderer's structure — a heading per section, a list item per
term — with each term's LaTeX line (:func:`~neuronet.present.mathml.latex_line`)
drawn as MathML Core: Jupyter, and an nbconvert HTML export opened offline,
show real math without MathJax or anything fetched.
"""
from __future__ import annotations

import sys

from ..mathml import latex_line, to_mathml
from ..numbers import LEGEND
from ..safe import html as escape
from ..view import DEFAULT, View
from . import Renderer, heading, section_of


class HtmlRenderer(Renderer):
    def __init__(self, stream=None, view: View = DEFAULT) -> None:
        self.stream = stream if stream is not None else sys.stdout
        self.plain = view.styled(latex=False).notation      # headings: plain text
        self._shown = view.styled(latex=True).shown()       # the one drawing: the Latex style's
        self._section = None
        self._legend = False
        self.stream.write('<div class="neuronet-trace">\n')

    def _close_list(self) -> None:
        if self._section is not None:
            self.stream.write("</ul>\n")

    def __call__(self, event) -> None:
        w = self.stream.write
        sec = section_of(event)
        if sec != self._section:
            self._close_list()
            w(f"<h3>{escape(heading(event, self.plain))}</h3>\n<ul>\n")
            self._section = sec
        d = self._shown(event)
        if d.repeat:
            return
        w(f"<li>{to_mathml(latex_line(d))}")
        if d.remark:
            w(f" <em>({escape(d.remark)})</em>")
        if not self._legend and d.shows_approx():
            self._legend = True
            w(f" <em>({escape(LEGEND)})</em>")
        w("</li>\n")

    def write_lines(self, lines) -> None:
        lines = list(lines)
        if lines:
            self._close_list()
            self._section = None
            self.stream.write("<h3>Summary</h3>\n<ul>\n")
            for line in lines:
                self.stream.write(f"<li>{escape(line.strip())}</li>\n")
            self.stream.write("</ul>\n")

    def close(self) -> None:
        self._close_list()
        self._section = None
        self.stream.write("</div>\n")
        super().close()
