"""The two ways a notation draws: plain text for a terminal (``w_c2``,
``z_j0``, ``∂L/∂w``) and LaTeX for Markdown handouts (``w_{c2}``)."""
from __future__ import annotations

from ...engine import activations as _activations
from .. import safe
from ..numbers import APPROX


class Plain:
    """Plain text for a terminal: ``w_c2``, ``z_j0``, ``∂L/∂w``."""
    latex = False
    mul = "·"
    minus = "−"
    half = "½"
    arrow = "←"
    approx = APPROX
    le = "≤"
    sq = "²"

    def label(self, text: str) -> str:
        """A neuron label from the spec (a file's string): printable text."""
        return safe.printable(text)

    def sym(self, base: str, sub: str = "", sup: str = "") -> str:
        s = base
        if sub != "":
            s += f"_{sub}"
        if sup != "":
            s += f"^{sup}"
        return s

    def d(self, num: str, den: str) -> str:
        return f"∂{num}/∂{den}"

    def sqr(self, x: str) -> str:
        return f"({x})²"

    def sum(self, idx: str, body: str) -> str:
        return f"Σ_{idx} {body}"

    def frac(self, a: str, b: str) -> str:
        return f"{a} / {b}"

    def log(self, x: str) -> str:
        return f"log {x}"

    def exp(self, x: str) -> str:
        return f"exp({x})"

    def fn(self, name: str) -> str:
        return name

    def act(self, a: _activations.Activation) -> str:
        return a.symbol or a.name


_GREEK = {"δ": r"\delta", "η": r"\eta", "σ": r"\sigma", "∇": r"\nabla", "ŷ": r"\hat{y}",
          "α": r"\alpha", "𝓛": r"\mathcal{L}", "Σ": r"\Sigma"}


class Latex(Plain):
    """LaTeX for Markdown handouts: ``w_{c2}``, ``\\frac{\\partial L}{\\partial w}``."""
    latex = True
    mul = r" \cdot "
    minus = "-"
    half = r"\tfrac{1}{2}"
    arrow = r"\leftarrow"
    approx = r"\approx"
    le = r"\le"
    sq = "^2"

    def base(self, b: str) -> str:
        if b in _GREEK:
            return _GREEK[b]
        if b.startswith("∇"):
            return r"\nabla " + self.base(b[1:])
        if b.endswith("'"):
            return self.base(b[:-1]) + "'"
        return rf"\mathrm{{{b}}}" if len(b) > 1 else b

    def label(self, text: str) -> str:
        """A neuron label from the spec inside math: every TeX-active character
        escaped (no ``$`` ends the math, no ``\\input`` survives)."""
        return safe.tex(text)

    def sym(self, base: str, sub: str = "", sup: str = "") -> str:
        s = self.base(base) if base else "{}"
        if sub != "":
            sub = sub.replace("→", r" \to ")
            s += f"_{{{sub}}}"
        if sup != "":
            s += f"^{{{sup}}}"
        return s

    def d(self, num: str, den: str) -> str:
        return rf"\frac{{\partial {num}}}{{\partial {den}}}"

    def sqr(self, x: str) -> str:
        return rf"\left({x}\right)^2"

    def sum(self, idx: str, body: str) -> str:
        return rf"\sum_{{{idx}}} {body}"

    def frac(self, a: str, b: str) -> str:
        return rf"\frac{{{a}}}{{{b}}}"

    def log(self, x: str) -> str:
        return rf"\log {x}"

    def exp(self, x: str) -> str:
        return rf"e^{{{x}}}"

    def fn(self, name: str) -> str:
        if name in _GREEK:
            return _GREEK[name]
        return name if len(name) == 1 or "_" in name or name.startswith("\\") else rf"\mathrm{{{name}}}"

    def act(self, a: _activations.Activation) -> str:
        return a.symbol_tex or self.fn(a.symbol or a.name)


PLAIN = Plain()
LATEX = Latex()
