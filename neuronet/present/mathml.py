"""MathML Core from the LaTeX a notation writes: real math in a browser, nothing fetched.

The :class:`~.notation.styles.Latex` style is the one place a notation's
drawing is decided (``w_{d1}``, ``\\frac{\\partial E}{\\partial w}``).  This
module reads back exactly the subset of LaTeX that style (and
:func:`~.safe.tex`, for a spec's labels) writes and turns it into MathML
Core — ``<mi>``, ``<mn>``, ``<mo>``, ``<msub>``, ``<msup>``, ``<msubsup>``,
``<mfrac>``, ``<mover>`` — which Chromium, Firefox and Safari draw without
MathJax or any script::

    >>> to_mathml(r"\\frac{\\partial L}{\\partial w_{1}}")      # doctest: +ELLIPSIS
    '<math xmlns="http://www.w3.org/1998/Math/MathML"><mrow><mfrac>...'

Every character reaches the page as a text node escaped by :func:`~.safe.html`,
so a label can hold ``<script>`` and stay text.  Something outside the
subset is an error of this program (a new style symbol not taught here),
never silently dropped: :class:`ValueError`.
"""
from __future__ import annotations

import re

from . import safe
from .numbers import APPROX

NS = "http://www.w3.org/1998/Math/MathML"

#: commands drawn as one identifier (<mi>), with the character they stand for
_MI = {"alpha": "α", "delta": "δ", "eta": "η", "sigma": "σ", "nabla": "∇", "partial": "∂",
       "Sigma": "Σ", "$": "$", "#": "#", "%": "%", "&": "&", "_": "_"}
#: commands drawn as one operator (<mo>)
_MO = {"cdot": "⋅", "approx": "≈", "leftarrow": "←", "to": "→", "le": "≤", "log": "log",
       "backslash": "∖", "sim": "∼", "{": "{", "}": "}", "sum": "∑"}
#: the characters an identifier is made of; a digit run is a number, the rest are operators
_TOKEN = re.compile(r"\\([A-Za-z]+|.)|(\d+(?:\.\d+)?)|(\s+)|(.)", re.S)
#: the signs between a line's parts (Described.seps), in LaTeX
TEX_SIGN = {"←": r"\leftarrow", "=": "=", APPROX: r"\approx"}
#: what a minus sign is drawn as (U+2212, as pandoc and TeX draw "-")
_MINUS = "−"


def _tokens(tex: str) -> list[tuple[str, str]]:
    """("cmd", name) | ("num", digits) | ("chr", c) — whitespace dropped."""
    out = []
    for m in _TOKEN.finditer(tex):
        cmd, num, space, ch = m.groups()
        if cmd is not None:
            out.append(("cmd", cmd))
        elif num is not None:
            out.append(("num", num))
        elif space is None:
            out.append(("chr", ch))
    return out


def _el(tag: str, *children: str, **attrs: str) -> str:
    a = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in attrs.items())
    return f"<{tag}{a}>{''.join(children)}</{tag}>"


def _leaf(tag: str, text: str, **attrs: str) -> str:
    return _el(tag, safe.html(text), **attrs)


class _Parser:
    def __init__(self, tex: str) -> None:
        self.tex = tex
        self.toks = _tokens(tex)
        self.i = 0

    def peek(self):
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self):
        t = self.peek()
        if t is None:
            raise ValueError(f"unexpected end of the formula: {self.tex!r}")
        self.i += 1
        return t

    def expect(self, t):
        got = self.take()
        if got != t:
            raise ValueError(f"expected {t[1]!r}, found {got[1]!r} in {self.tex!r}")

    def row(self, until=None) -> list[str]:
        """Items up to ``until`` (a token, consumed) or the end."""
        items = []
        while True:
            t = self.peek()
            if t is None:
                if until is not None:
                    raise ValueError(f"unclosed group in {self.tex!r}")
                return items
            if t == until:
                self.i += 1
                return items
            if t in (("chr", "_"), ("chr", "^")):
                base = items.pop() if items else "<mrow></mrow>"
                items.append(self.scripts(base))
            else:
                items.append(self.atom())

    def scripts(self, base: str) -> str:
        sub = sup = None
        while self.peek() in (("chr", "_"), ("chr", "^")):
            kind = self.take()[1]
            arg = self.argument()
            if kind == "_":
                sub = arg
            else:
                sup = arg
        if sub is not None and sup is not None:
            return _el("msubsup", base, sub, sup)
        return _el("msub", base, sub) if sub is not None else _el("msup", base, sup)

    def argument(self) -> str:
        """A group ``{…}`` or one atom (``x^2``)."""
        if self.peek() == ("chr", "{"):
            self.take()
            return _el("mrow", *self.row(("chr", "}")))
        return self.atom()

    def group_text(self) -> str:
        """The characters of a ``{…}`` group (\\mathrm{net}, \\mathcal{L})."""
        self.expect(("chr", "{"))
        s = ""
        while (t := self.take()) != ("chr", "}"):
            if t[0] == "cmd":
                raise ValueError(f"a command inside \\mathrm: {self.tex!r}")
            s += t[1]
        return s

    def atom(self) -> str:
        kind, v = self.take()
        if kind == "num":
            return _leaf("mn", v)
        if kind == "chr":
            if v == "{":
                return _el("mrow", *self.row(("chr", "}")))
            if v == "'":
                return _leaf("mi", "′")
            if v == "-" or v == _MINUS:
                return _leaf("mo", _MINUS)
            if v.isalpha():
                return _leaf("mi", v)
            if v in "([":
                return _leaf("mo", v, form="prefix", stretchy="false")
            if v in ")]":
                return _leaf("mo", v, form="postfix", stretchy="false")
            return _leaf("mo", v)
        if v in ("frac", "tfrac"):
            num, den = self.argument(), self.argument()
            f = _el("mfrac", num, den)
            return _el("mstyle", f, displaystyle="false") if v == "tfrac" else f
        if v == "mathrm":
            text = self.group_text()
            return _el("mrow", *(_leaf("mi", c, mathvariant="normal") if len(text) > 1 else _leaf("mi", c)
                                 for c in text))
        if v == "mathcal":
            text = self.group_text()
            if text != "L":
                raise ValueError(f"\\mathcal{{{text}}} is not drawn here")
            return _leaf("mi", "ℒ")
        if v == "hat":
            return _el("mover", self.argument(), _leaf("mo", "\u0302", accent="true"))
        if v == "left":
            opening = self.take()[1]
            inner = self.row(("cmd", "right"))
            closing = self.take()[1]
            return _el("mrow", _leaf("mo", opening, form="prefix"), *inner, _leaf("mo", closing, form="postfix"))
        if v in _MI:
            return _leaf("mi", _MI[v])
        if v in _MO:
            return _leaf("mo", _MO[v])
        raise ValueError(f"\\{v} is not in the LaTeX this program writes: {self.tex!r}")


def to_mathml(tex: str, display: bool = False) -> str:
    """One ``<math>`` element of ``tex`` (the Latex style's subset), inline
    unless ``display``.  (No LaTeX annotation beside it: an element's text
    is then exactly what the reader sees.)"""
    body = _el("mrow", *_Parser(tex).row())
    block = ' display="block"' if display else ""
    return f'<math xmlns="{NS}"{block}>{body}</math>'


def latex_line(d) -> str:
    """A :class:`~.notation.Described` (drawn in the Latex style) as one LaTeX
    line ``lhs = formula = numbers = value``: what a Markdown handout puts
    between ``$…$`` and what a page draws as MathML."""
    p = d.parts()
    return p[0] + "".join(f" {TEX_SIGN.get(sep, sep)} {part}" for sep, part in zip(d.seps(), p[1:]))
