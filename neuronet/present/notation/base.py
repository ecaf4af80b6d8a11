"""What every notation shares: the two drawing styles, :class:`Described`,
the :class:`Notation` base class and :func:`describe`.

A notation is a set of symbols (methods of a :class:`Notation` subclass, one
module per source text in this package).  :func:`describe` asks the bound
notation for every symbol it writes and never looks at which notation it
is: a new notation overrides symbols, nothing else.

Terminal views draw plain subscripts and superscripts (``w_c2``,
``∂E_total/∂w_c2``, ``z_0^(2)``); Markdown draws LaTeX (``w_{c2}``).
"""
from __future__ import annotations

from dataclasses import dataclass

from ...engine import activations as _activations
from ...engine.events import Event
from ..numbers import APPROX, checks_out, fmt, result


@dataclass(frozen=True, slots=True)
class Described:
    """One event in words: ``lhs op symbolic = numeric = value``."""
    lhs: str
    symbolic: str
    numeric: str
    value: str
    phase: str
    kind: str = ""
    op: str = "="            # "←" for updates
    remark: str = ""
    approx: bool = False     # the displayed numbers do not give the displayed value (numbers.py rule 3)

    def parts(self) -> list[str]:
        """lhs, symbolic, numeric, value without consecutive repeats."""
        out = [self.lhs]
        for p in (self.symbolic, self.numeric, self.value):
            if p and p != out[-1]:
                out.append(p)
        return out

    def seps(self) -> list[str]:
        """The sign before each of ``parts()[1:]``: the op, then ``=``, and
        ``≈`` before the value when the displayed calculation does not give
        it exactly (see :mod:`neuronet.present.numbers`)."""
        n = len(self.parts()) - 1
        if n <= 0:
            return []
        out = [self.op] + ["="] * (n - 1)
        if self.approx and n >= 2:
            out[-1] = APPROX
        return out

    def shows_approx(self) -> bool:
        """True when some ``=`` of the line is written ``≈``."""
        return self.approx or f" {APPROX} " in self.numeric or r" \approx " in self.numeric

    def line(self) -> str:
        p = self.parts()
        return p[0] + "".join(f" {sep} {part}" for sep, part in zip(self.seps(), p[1:]))


# ---------------------------------------------------------------------------
# styles: plain text and LaTeX
# ---------------------------------------------------------------------------

class Plain:
    """Plain text for a terminal: ``w_c2``, ``z_0^(2)``, ``∂L/∂w``."""
    latex = False
    mul = "·"
    minus = "−"
    half = "½"
    arrow = "←"
    approx = APPROX
    le = "≤"
    sq = "²"

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


# ---------------------------------------------------------------------------
# the base notation
# ---------------------------------------------------------------------------

class Notation:
    """The symbols every view draws with.  The defaults are 004's layout
    (layer in a superscript, 0-based neurons); each text's module overrides
    what its text writes differently."""

    name = ""
    source = ""                 # the text and where its notation is set out
    order = 99                  # place in NOTATIONS
    base = 0                    # index base of neurons

    def __init__(self, sizes: list[int] | None = None, style: Plain = PLAIN,
                 input_activation: str = "identity", labels=None) -> None:
        self.sizes = list(sizes) if sizes is not None else None
        self.s = style
        self.input_activation = input_activation
        self.labels = labels            # the spec's neuron labels per layer, or None

    def restyled(self, style: Plain) -> "Notation":
        """The same notation, bound to the same network, drawing in ``style``."""
        return type(self)(self.sizes, style, self.input_activation, self.labels)

    # -- indices ----------------------------------------------------------
    def n(self, i: int) -> str:
        return str(i + self.base)

    def two(self, i: int, j: int) -> str:
        a, b = self.n(i), self.n(j)
        return a + b if len(a) == 1 and len(b) == 1 else f"{a},{b}"

    def lay(self, l: int) -> str:
        return f"({l})"

    def is_output(self, l: int) -> bool | None:
        return None if self.sizes is None else l == len(self.sizes) - 1

    def layer_name(self, l: int) -> str:
        """The layer as the trace's headings call it."""
        return f"layer {l}"

    # -- quantities of one neuron -------------------------------------------
    def z(self, l, j):
        return self.s.sym("z", self.n(j), self.lay(l))

    def a(self, l, j):
        return self.s.sym("a", self.n(j), self.lay(l))

    def b(self, l, j):
        return self.s.sym("b", self.n(j), self.lay(l))

    def w(self, l, i, j):
        return self.s.sym("w", self.two(i, j), self.lay(l))

    def x(self, i):
        return self.s.sym("x", self.n(i))

    def y(self, k):
        return self.s.sym("y", self.n(k))

    def L(self):
        return "L"

    def L_k(self, k):
        return self.s.sym("L", self.n(k))

    def delta(self, l, j):
        return self.s.sym("δ", self.n(j), self.lay(l))

    def dL_da(self, l, j):
        return self.s.d(self.L(), self.a(l, j))

    def fprime_sym(self, l, j):
        return f"f'({self.z(l, j)})"

    def act_symbol(self, l, act: str) -> str:
        """The name of layer l's activation in a formula (σ, tanh, …)."""
        try:
            return self.s.act(_activations.get(act))
        except KeyError:
            return self.s.fn(act)

    def jac(self, l, n, k):
        return self.s.d(self.a(l, n), self.z(l, k))

    def eta(self):
        return self.s.sym("η")

    def eta_b(self):
        return self.s.sym("η", "b")

    def grad_w(self, l, i, j):
        return self.s.d(self.L(), self.w(l, i, j))

    def grad_b(self, l, j):
        return self.s.d(self.L(), self.b(l, j))

    def sum_w(self, l, i, j):
        return self.s.sym("∇w", self.two(i, j), self.lay(l))

    def sum_b(self, l, j):
        return self.s.sym("∇b", self.n(j), self.lay(l))

    def input_x(self, i):
        return self.x(i)

    # -- the generic-index symbols of Σ formulas ("Σ_i w_ij·a_i") ------------
    def w_i(self, l, j):
        return self.s.sym("w", f"i{j}", self.lay(l))

    def a_i(self, l):
        return self.s.sym("a", "i", self.lay(l - 1))

    def delta_k(self, l):
        return self.s.sym("δ", "k", self.lay(l))

    def w_jk(self, l, j):
        return self.s.sym("w", f"{j}k", self.lay(l))

    def a_n(self, l):
        return self.s.sym("a", "n", self.lay(l))

    def a_generic(self, l, idx):
        """a (or ŷ, out, o, h) of layer l with a letter index."""
        return self.s.sym("a", idx, self.lay(l))

    def z_generic(self, l, idx):
        return self.s.sym("z", idx, self.lay(l))

    def dL_da_n(self, l):
        return self.s.d(self.L(), self.a_n(l))

    def jac_n(self, l, k):
        return self.s.d(self.a_n(l), self.z(l, k))

    # -- whole formulas a text writes its own way -----------------------------
    def z_formula(self, l, j):
        """z of neuron j of layer l in symbols (Σ_i w_ij·a_i + b_j)."""
        s = self.s
        return f"{s.sum('i', f'{self.w_i(l, j)}{s.mul}{self.a_i(l)}')} + {self.b(l, j)}"

    def dsum_formula(self, l, j):
        """∂L/∂a_j of a hidden neuron in symbols (Σ_k δ_k·w_jk)."""
        s = self.s
        return s.sum("k", f"{self.delta_k(l + 1)}{s.mul}{self.w_jk(l + 1, j)}")

    def softmax_formula(self, l, j):
        """softmax written out: exp(z_j) / Σ_i exp(z_i)."""
        s = self.s
        return s.frac(s.exp(self.z(l, j)), s.sum("i", s.exp(self.z_generic(l, "i"))))

    def loss_term(self, loss: str, A: str, Y: str) -> str | None:
        """One output's loss in symbols (or numbers): A the output, Y the target."""
        s = self.s
        f = {
            "half_sse": lambda: f"{s.half}{s.sqr(f'{A} {s.minus} {Y}')}",
            "sse": lambda: s.sqr(f"{A} {s.minus} {Y}"),
            "mse": lambda: s.frac(s.sqr(f"{A} {s.minus} {Y}"), "K"),
            "bce": lambda: (f"{s.minus}[{Y}{s.mul}{s.log(A)} + (1 {s.minus} {Y})"
                            f"{s.mul}{s.log(f'(1 {s.minus} {A})')}]"),
            "cross_entropy": lambda: f"{s.minus}{Y}{s.mul}{s.log(A)}",
        }.get(loss)
        return f() if f else None

    def loss_grad(self, loss: str, A: str, Y: str) -> str | None:
        """∂L/∂a of one output in symbols (or numbers)."""
        s = self.s
        f = {
            "half_sse": lambda: f"{A} {s.minus} {Y}",
            "sse": lambda: f"2{s.mul}({A} {s.minus} {Y})",
            "mse": lambda: s.frac(f"2{s.mul}({A} {s.minus} {Y})", "K"),
            "bce": lambda: f"{s.minus}{s.frac(Y, A)} + {s.frac(f'(1 {s.minus} {Y})', f'(1 {s.minus} {A})')}",
            "cross_entropy": lambda: f"{s.minus}{s.frac(Y, A)}",
        }.get(loss)
        return f() if f else None

    def fprime_formula(self, act: str, A: str, Z: str) -> str:
        """f'(z) of ``act`` in symbols (or numbers), from the activation's own template."""
        s = self.s
        try:
            template = _activations.get(act).fprime_formula
        except KeyError:
            template = ""
        if not template:
            return f"f'({Z})"
        return template.format(a=A, z=Z, minus=s.minus, mul=s.mul, le=s.le, sq=s.sq)

    def jacobian_formula(self, An: str, Ak: str, same: bool) -> str:
        """∂a_n/∂z_k of softmax: a_n(1 − a_n) on the diagonal, −a_n·a_k off it (003)."""
        s = self.s
        return f"{An}(1 {s.minus} {Ak})" if same else f"{s.minus}{An}{s.mul}{Ak}"

    def pane(self, l) -> tuple[str, str, str]:
        """Short names of z, a and δ for the network picture's cells (layer l)."""
        return ("z", "a", "δ")

    def remark(self, e: Event) -> str:
        return ""


# ---------------------------------------------------------------------------
# describe
# ---------------------------------------------------------------------------

def describe(event: Event, N: Notation, digits=4) -> Described:
    """``event`` in the symbols of the bound notation ``N``; numbers by the
    display policy (:mod:`neuronet.present.numbers`) with ``digits``
    significant digits (``None``: exactly as carried; a ``Carried``: hand
    mode).  Nothing is recomputed: every number shown is a field of the event."""
    s = N.s
    e = event
    l, j, src = e.layer, e.neuron, e.source
    t = dict(e.terms)

    # in hand-calculation mode only the result is written with the
    # calculation's decimals; operands appear as they were carried in
    from ..numbers import Carried
    operand_digits = None if isinstance(digits, Carried) else digits

    def num(x, paren=False):
        v = fmt(x, operand_digits, s.latex)
        if paren and (x < 0):
            return f"({v})"
        return v

    value = fmt(e.value, digits, s.latex)
    op = "="
    kind = e.kind
    lhs = symbolic = numeric = ""

    if kind == "input":
        lhs = N.z(0, j)
        symbolic = f"{N.input_x(j)} + {N.b(0, j)}"
        numeric = f"{num(t['x'])} + {num(t['b'], True)}"
    elif kind == "product":
        lhs = symbolic = f"{N.w(l, src, j)}{s.mul}{N.a(l - 1, src)}"
        numeric = f"{num(t['w'])}{s.mul}{num(t['a'], True)}"
    elif kind == "z":
        lhs = N.z(l, j)
        symbolic = N.z_formula(l, j)
        numeric = f"{num(t['sum'])} + {num(t['b'], True)}"
    elif kind == "a":
        lhs = N.a(l, j)
        act = e.note
        if act == "identity":
            symbolic = N.z(l, j)
        elif act == "softmax":
            symbolic = N.softmax_formula(l, j)
        else:
            fn = N.act_symbol(l, act)
            symbolic = f"{fn}({N.z(l, j)})"
            numeric = f"{fn}({num(t['z'])})"
    elif kind == "loss_term":
        value = result(e.value, digits, s.latex)     # hand mode: written down at N decimals
        lhs = N.L_k(j)
        symbolic = N.loss_term(e.note, N.a(l, j), N.y(j)) or ""
        if symbolic:
            numeric = N.loss_term(e.note, num(t["a"], True), num(t["y"], True))
    elif kind == "loss":
        lhs = N.L()
        value = result(e.value, digits, s.latex)
        ks = [name for name, _ in e.terms]
        symbolic = " + ".join(N.L_k(int(k.split("_")[1])) for k in ks) if len(ks) <= 6 else \
            s.sum("k", N.L_k(0).rsplit("_", 1)[0] + "_k")
        numeric = " + ".join(result(v, digits, s.latex) for _, v in e.terms) if len(ks) <= 6 else ""
    elif kind == "dL_da":
        lhs = N.dL_da(l, j)
        symbolic = N.loss_grad(e.note, N.a(l, j), N.y(j)) or ""
        if symbolic:
            numeric = N.loss_grad(e.note, num(t["a"], True), num(t["y"], True))
    elif kind == "fprime":
        lhs = N.fprime_sym(l, j)
        symbolic = N.fprime_formula(e.note, N.a(l, j), N.z(l, j))
        numeric = "" if e.note == "identity" else N.fprime_formula(e.note, num(t["a"], True), num(t["z"], True))
    elif kind == "jacobian":
        n, k = src, j
        lhs = N.jac(l, n, k)
        symbolic = N.jacobian_formula(N.a(l, n), N.a(l, k), n == k)
        numeric = N.jacobian_formula(num(t["a_n"], True), num(t["a_k"], True), n == k)
    elif kind == "path":
        n, k = src, j
        lhs = symbolic = f"{N.dL_da(l, n)}{s.mul}{N.jac(l, n, k)}"
        numeric = f"{num(t['dL_da'], True)}{s.mul}{num(t['jacobian'], True)}"
    elif kind in ("delta_out", "delta"):
        lhs = N.delta(l, j)
        if e.note == "softmax" or "sum" in t:
            symbolic = s.sum("n", f"{N.dL_da_n(l)}{s.mul}{N.jac_n(l, j)}")
            numeric = num(t["sum"])
        elif kind == "delta_out":
            symbolic = f"{N.dL_da(l, j)}{s.mul}{N.fprime_sym(l, j)}"
            numeric = f"{num(t['dL_da'], True)}{s.mul}{num(t['fprime'], True)}"
        else:
            symbolic = f"{N.fprime_sym(l, j)}{s.mul}{N.dL_da(l, j)}"
            numeric = f"{num(t['fprime'], True)}{s.mul}{num(t['dsum'], True)}"
    elif kind == "backprop":
        k = src
        lhs = symbolic = f"{N.delta(l + 1, k)}{s.mul}{N.w(l + 1, j, k)}"
        numeric = f"{num(t['delta'], True)}{s.mul}{num(t['w'], True)}"
    elif kind == "dsum":
        lhs = N.dL_da(l, j)
        symbolic = N.dsum_formula(l, j)
        if "sum" in t and t["sum"] != e.value:
            numeric = num(t["sum"])          # the unrounded sum, before --round
    elif kind == "grad_w":
        lhs = N.grad_w(l, src, j)
        symbolic = f"{N.delta(l, j)}{s.mul}{N.a(l - 1, src)}"
        numeric = f"{num(t['delta'], True)}{s.mul}{num(t['a'], True)}"
    elif kind == "grad_b":
        lhs = N.grad_b(l, j)
        symbolic = N.delta(l, j)
        numeric = num(t["delta"])
    elif kind == "accumulate_w":
        lhs = N.sum_w(l, src, j)
        symbolic = f"{N.sum_w(l, src, j)} + {N.grad_w(l, src, j)}"
        numeric = f"{num(t['old'], True)} + {num(t['grad'], True)}" if "old" in t else ""
    elif kind == "accumulate_b":
        lhs = N.sum_b(l, j)
        symbolic = f"{N.sum_b(l, j)} + {N.grad_b(l, j)}"
        numeric = f"{num(t['old'], True)} + {num(t['grad'], True)}" if "old" in t else ""
    elif kind in ("batch_w", "batch_b"):
        lhs = N.grad_w(l, src, j) if kind == "batch_w" else N.grad_b(l, j)
        sw = N.sum_w(l, src, j) if kind == "batch_w" else N.sum_b(l, j)
        if e.note == "sum":
            symbolic, numeric = sw, num(t["sum"])
        else:
            symbolic = s.frac(sw, "N")
            numeric = s.frac(num(t["sum"]), str(int(t["n"])))
    elif kind in ("update_w", "update_b"):
        if kind == "update_w":
            p, g, eta = N.w(l, src, j), N.grad_w(l, src, j), N.eta()
        else:
            p, g, eta = N.b(l, j), N.grad_b(l, j), N.eta_b()
        lhs, op = p, s.arrow
        symbolic = f"{p} {s.minus} {eta}{s.mul}{g}"
        # η·∂L/∂w = step, checked on its own (numbers.py rule 3)
        step_eq = "=" if checks_out(f"{fmt(t['eta'], operand_digits)}·{fmt(t['grad'], operand_digits)}",
                                    fmt(t["step"], operand_digits)) else s.approx
        numeric = (f"{num(t['old'])} {s.minus} {num(t['eta'])}{s.mul}{num(t['grad'], True)}"
                   f" {step_eq} {num(t['old'])} {s.minus} {num(t['step'], True)}")
    else:   # an unknown kind: show its terms
        lhs = kind
        symbolic = ", ".join(f"{k}={num(v)}" for k, v in e.terms)

    approx = False
    if numeric and numeric != value:
        if s.latex:     # check the plain-text twin of the line (same numbers, no TeX)
            approx = describe(event, N.restyled(PLAIN), digits).approx
        else:
            approx = not checks_out(numeric.split(" = ")[-1].split(f" {s.approx} ")[-1], value)
    return Described(lhs, symbolic, numeric, value, e.phase, kind, op, N.remark(e), approx)
