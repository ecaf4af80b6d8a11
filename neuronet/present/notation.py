"""The same trace event in the symbols of each source text.

Five notations, one per text the project follows (see ``NOTATIONS``)::

    delta    004  z_j^(l), a_j^(l), b_j^(l), w_ij^(l), δ_j^(l), L, η    0-based
    net-out  002  net_{c1}, out_{c1}, w_{d1}, E_total, target, l       1-based, layers a, b, c, …
    dl-dz    001  z_j^[l], a_j^[l], W_{i,j}^[l], g_j^[lz], g_j^[la], α  1-based, row vectors
    u-o      000  u_j^k, o_j^k, w_{i,j}^k, b_j^k, l (loss), η           1-based
    z-h      003  z_j^l, h_j^l, ŷ_k, w_{i,j}^l, δ^1 = output, H         1-based

:func:`describe` turns one :class:`~neuronet.engine.events.Event` into a
:class:`Described` — the left-hand side symbol, the formula in symbols, the
same formula with the event's numbers substituted, and the value.  It never
recomputes anything: every number printed is a field of the event.

Layer and neuron indices of events are 0-based (as in the spec file); each
notation shifts them to its text's index base.  Some symbols need the
network's shape (002 numbers the weights of a layer 1, 2, 3, … row by row;
003 numbers its δ from the output backwards; 001 writes g'_o for the output
layer and g'_h for hidden ones): pass ``sizes`` (``net.sizes``) when you have
it — without it those symbols fall back to an explicit two-index form.

The ``u-o`` notation and 000's sign: 000 writes the output-layer gradient
∂l/∂u_k as (y_k − o_k).  For softmax + cross-entropy the chain rule gives
∂l/∂u_k = o_k − y_k, so the text's "error" (y − o) is the *negative* of the
δ computed here (and of ∂L/∂a for ½-squared error with a linear output);
with it, gradient *descent* would have to add, w ← w + η·(y − o)·o.  The
``u-o`` notation prints the correct sign and says so in a remark on every
output-layer ∂l/∂o and ∂l/∂u line.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from ..engine.events import Event
from .numbers import APPROX, LEGEND, Carried, carried, checks_out, fmt  # noqa: F401  (re-exported)

NOTATIONS: tuple[str, ...] = ("delta", "net-out", "dl-dz", "u-o", "z-h")

SOURCES = {
    "delta": "004_69dfc149af69048d.txt (per-neuron pseudo-code, §2.2)",
    "net-out": "002_25d3dd3a4f2fa46e.txt (worked 2-4-3-2 example)",
    "dl-dz": "001_dc259c9a40097162.txt (row vectors, g^[lz])",
    "u-o": "000_e7be51513e122931.txt (u, o; its (y − o) is −∂l/∂u)",
    "z-h": "003_be212e6186c688dd.txt (z, h, ŷ, H; δ^1 at the output)",
}

U_O_SIGN_DELTA = ("000 writes ∂l/∂u of the output as (y − o); with softmax + cross-entropy the chain "
                  "rule gives o − y, so the text's 'error' is the negative of this ∂l/∂u")
U_O_SIGN_DA = ("000's 'error' (y − o) is the negative of this ∂l/∂o = o − y; "
               "w ← w − η·∂l/∂w needs the sign printed here")


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

class _Text:
    latex = False
    mul = "·"
    minus = "−"
    half = "½"
    arrow = "←"
    approx = APPROX

    def sym(self, base: str, sub: str = "", sup: str = "") -> str:
        s = base
        if sub != "" and base == "":
            return f"_{sub}" if len(sub) == 1 else f"_{{{sub}}}"
        if sub != "":
            s += f"_{sub}" if len(sub) == 1 else f"_{{{sub}}}"
        if sup != "":
            s += f"^{sup}" if len(sup) == 1 else f"^{sup}" if sup[0] in "([" else f"^{{{sup}}}"
        return s

    def d(self, num: str, den: str) -> str:
        return f"∂{num}/∂{den}"

    def sq(self, x: str) -> str:
        return f"({x})²"

    def sum(self, idx: str, body: str) -> str:
        return f"Σ_{idx} {body}"

    def frac(self, a: str, b: str) -> str:
        return f"{a} / {b}"

    def log(self, x: str) -> str:
        return f"log {x}"

    def op(self, s: str) -> str:
        return s


_GREEK = {"δ": r"\delta", "η": r"\eta", "σ": r"\sigma", "∇": r"\nabla", "ŷ": r"\hat{y}",
          "α": r"\alpha", "𝓛": r"\mathcal{L}", "Σ": r"\Sigma"}


class _Latex(_Text):
    latex = True
    mul = r" \cdot "
    minus = "-"
    half = r"\tfrac{1}{2}"
    arrow = r"\leftarrow"
    approx = r"\approx"

    def base(self, b: str) -> str:
        if b in _GREEK:
            return _GREEK[b]
        if b.endswith("'"):
            return self.base(b[:-1]) + "'"
        return rf"\mathrm{{{b}}}" if len(b) > 1 else b

    def sym(self, base: str, sub: str = "", sup: str = "") -> str:
        s = self.base(base)
        if sub != "":
            s += f"_{{{sub}}}"
        if sup != "":
            s += f"^{{{sup}}}"
        return s

    def d(self, num: str, den: str) -> str:
        return rf"\frac{{\partial {num}}}{{\partial {den}}}"

    def sq(self, x: str) -> str:
        return rf"\left({x}\right)^2"

    def sum(self, idx: str, body: str) -> str:
        return rf"\sum_{{{idx}}} {body}"

    def frac(self, a: str, b: str) -> str:
        return rf"\frac{{{a}}}{{{b}}}"

    def log(self, x: str) -> str:
        return rf"\log {x}"

    def op(self, s: str) -> str:
        return {"←": r"\leftarrow", "−": "-", "·": r" \cdot ", "Σ": r"\sum"}.get(s, s)


TEXT = _Text()
LATEX = _Latex()


# ---------------------------------------------------------------------------
# the notations: symbols only
# ---------------------------------------------------------------------------

class Notation:
    """004's notation ("delta"); the other texts override the symbols."""

    name = "delta"
    base = 0                    # index base of neurons
    act_names = {"sigmoid": "σ", "tanh": "tanh", "relu": "ReLU", "leaky_relu": "LReLU",
                 "identity": "id", "softmax": "softmax"}

    def __init__(self, sizes: list[int] | None = None, style: _Text = TEXT,
                 input_activation: str = "identity") -> None:
        self.sizes = list(sizes) if sizes is not None else None
        self.s = style
        self.input_activation = input_activation

    # helpers
    def n(self, i: int) -> str:
        return str(i + self.base)

    def two(self, i: int, j: int) -> str:
        a, b = self.n(i), self.n(j)
        # 004 writes w_01; with a two-digit index a comma keeps it readable
        return a + b if len(a) == 1 and len(b) == 1 else f"{a},{b}"

    def lay(self, l: int) -> str:
        return f"({l})"

    def is_output(self, l: int) -> bool | None:
        return None if self.sizes is None else l == len(self.sizes) - 1

    # symbols
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

    def dL_dz(self, l, j):
        return self.delta(l, j)

    def fprime_sym(self, l, j):
        return f"f'({self.z(l, j)})"

    def fname(self, l, act: str = "sigmoid") -> str:
        return self.act_names.get(act, act)

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

    def remark(self, e: Event) -> str:
        return ""


class NetOut(Notation):
    """002: layers lettered a (input), b, c, d…; neurons 1-based; the
    weights of a layer numbered row by row of its to-from matrix, so
    w_{d1}, w_{d2}, w_{d3} feed d1 from c1, c2, c3 (needs ``sizes``)."""

    name = "net-out"
    base = 1
    act_names = dict(Notation.act_names, sigmoid="sig")

    def letter(self, l):
        return chr(ord("a") + l) if l < 26 else f"L{l}"

    def unit(self, l, j):
        return f"{self.letter(l)}{j + 1}"

    def z(self, l, j):
        return self.s.sym("net", self.unit(l, j))

    def a(self, l, j):
        return self.s.sym("out", self.unit(l, j))

    def b(self, l, j):
        return self.s.sym("b", self.unit(l, j))

    def w(self, l, i, j):
        if self.sizes is not None and 0 < l < len(self.sizes):
            return self.s.sym("w", f"{self.letter(l)}{j * self.sizes[l - 1] + i + 1}")
        return self.s.sym("w", f"{self.unit(l - 1, i)}→{self.unit(l, j)}" if not self.s.latex
                          else rf"{self.unit(l - 1, i)}\to {self.unit(l, j)}")

    def x(self, i):
        return self.s.sym("input", str(i + 1))

    def y(self, k):
        return self.s.sym("target", f"{self.letter(len(self.sizes) - 1) if self.sizes else 'out'}{k + 1}")

    def L(self):
        return self.s.sym("E", "total")

    def L_k(self, k):
        return self.s.sym("E", f"{self.letter(len(self.sizes) - 1) if self.sizes else 'out'}{k + 1}")

    def delta(self, l, j):
        return self.s.d(self.L(), self.z(l, j))

    def fprime_sym(self, l, j):
        return self.s.d(self.a(l, j), self.z(l, j))

    def eta(self):
        return "l"            # 002 §7: "learning rate l = 0.5"

    def eta_b(self):
        return self.s.sym("l", "b")

    def sum_w(self, l, i, j):
        return f"Σ {self.grad_w(l, i, j)}"

    def sum_b(self, l, j):
        return f"Σ {self.grad_b(l, j)}"


class DlDz(Notation):
    """001: z_j^[l], a_j^[l], W_{i,j}^[l]; g^[lz], g^[la], g^[lW], g^[lb] are
    ∂𝓛/∂z, ∂𝓛/∂a, ∂𝓛/∂W, ∂𝓛/∂b of layer l; learning rate α; 1-based
    neurons, layer 0 = the input a^[0] = x (row vectors)."""

    name = "dl-dz"
    base = 1

    def lay(self, l):
        return f"[{l}]"

    def two(self, i, j):
        return f"{i + 1},{j + 1}"

    def w(self, l, i, j):
        return self.s.sym("W", self.two(i, j), self.lay(l))

    def L(self):
        return "𝓛" if not self.s.latex else r"\mathcal{L}"

    def L_k(self, k):
        return self.s.sym("𝓛", str(k + 1))

    def y(self, k):
        return self.s.sym("y", str(k + 1))

    def g(self, l, what, sub):
        return self.s.sym("g", sub, f"[{l}{what}]")

    def delta(self, l, j):
        return self.g(l, "z", self.n(j))

    def dL_da(self, l, j):
        return self.g(l, "a", self.n(j))

    def grad_w(self, l, i, j):
        return self.g(l, "W", self.two(i, j))

    def grad_b(self, l, j):
        return self.g(l, "b", self.n(j))

    def fprime_sym(self, l, j):
        out = self.is_output(l)
        g = "g'_o" if out else "g'_h" if out is False else "g'"
        if self.s.latex:
            g = {"g'_o": "g'_o", "g'_h": "g'_h", "g'": "g'"}[g]
        return f"{g}({self.z(l, j)})"

    def fname(self, l, act="sigmoid"):
        out = self.is_output(l)
        return "g_o" if out else "g_h" if out is False else "g"

    def eta(self):
        return "α"

    def eta_b(self):
        return self.s.sym("α", "b")


class UO(Notation):
    """000: u_j^k (input of neuron j in layer k), o_j^k = σ(u_j^k),
    w_{i,j}^k from neuron i of layer k − 1, b_j^k; l the loss, y_i the
    target, x the input (o^0); 1-based neurons."""

    name = "u-o"
    base = 1

    def lay(self, l):
        return str(l)

    def two(self, i, j):
        return f"{i + 1},{j + 1}"

    def z(self, l, j):
        return self.s.sym("u", self.n(j), self.lay(l))

    def a(self, l, j):
        return self.s.sym("o", self.n(j), self.lay(l))

    def L(self):
        return "l"

    def L_k(self, k):
        return self.s.sym("l", str(k + 1))

    def delta(self, l, j):
        return self.s.d("l", self.z(l, j))

    def fprime_sym(self, l, j):
        return f"σ'({self.z(l, j)})" if not self.s.latex else rf"\sigma'({self.z(l, j)})"

    def grad_b(self, l, j):
        return self.s.d("l", self.b(l, j))

    def remark(self, e: Event) -> str:
        if e.kind == "delta_out":
            return U_O_SIGN_DELTA
        if e.kind == "dL_da" and e.note == "half_sse":
            return U_O_SIGN_DA
        return ""


class ZH(Notation):
    """003: z_j^l, h_j^l for hidden activations, ŷ_k for the output, x_i
    the input, w_{i,j}^l, b_j^l, H the cross-entropy; δ numbered from the
    output backwards (δ^1 = ∂H/∂z^L); 1-based neurons."""

    name = "z-h"
    base = 1

    def lay(self, l):
        return str(l)

    def two(self, i, j):
        return f"{i + 1},{j + 1}"

    def a(self, l, j):
        if self.is_output(l):
            return self.s.sym("ŷ", self.n(j))
        if l == 0 and self.input_activation == "identity":
            return self.s.sym("x", self.n(j))      # 003's input layer is x itself
        return self.s.sym("h", self.n(j), self.lay(l))

    def L(self):
        return "H"

    def L_k(self, k):
        return self.s.sym("H", str(k + 1))

    def delta(self, l, j):
        if self.sizes is None:
            return self.s.d("H", self.z(l, j))
        return self.s.sym("δ", self.n(j), str(len(self.sizes) - l))

    def fprime_sym(self, l, j):
        return f"σ'({self.z(l, j)})" if not self.s.latex else rf"\sigma'({self.z(l, j)})"


_CLASSES = {"delta": Notation, "net-out": NetOut, "dl-dz": DlDz, "u-o": UO, "z-h": ZH}


def get(name: str = "delta", sizes: list[int] | None = None, latex: bool = False,
        input_activation: str = "identity") -> Notation:
    """The notation ``name`` bound to a network shape (``net.sizes``) and the
    input layer's activation (003 calls the input x only when it is not
    squashed; 004 §2.5 squashes it)."""
    try:
        cls = _CLASSES[name]
    except KeyError:
        raise ValueError(f"unknown notation {name!r}; choose one of {', '.join(NOTATIONS)}") from None
    return cls(sizes, LATEX if latex else TEXT, input_activation)


def for_net(name: str, net, latex: bool = False) -> Notation:
    """The notation ``name`` bound to ``net``'s shape and input activation."""
    return get(name, net.sizes, latex, net.activations[0].name)


# ---------------------------------------------------------------------------
# describe
# ---------------------------------------------------------------------------

_LOSS_SYMBOLIC = {
    # loss name: (term formula, ∂L/∂a formula) built from symbols A (output) and Y (target)
    "half_sse": (lambda s, A, Y: f"{s.half}{s.sq(f'{A} {s.minus} {Y}')}", lambda s, A, Y: f"{A} {s.minus} {Y}"),
    "sse": (lambda s, A, Y: s.sq(f"{A} {s.minus} {Y}"), lambda s, A, Y: f"2{s.mul}({A} {s.minus} {Y})"),
    "mse": (lambda s, A, Y: s.frac(s.sq(f"{A} {s.minus} {Y}"), "K"),
            lambda s, A, Y: s.frac(f"2{s.mul}({A} {s.minus} {Y})", "K")),
    "bce": (lambda s, A, Y: f"{s.minus}[{Y}{s.mul}{s.log(A)} + (1 {s.minus} {Y}){s.mul}{s.log(f'(1 {s.minus} {A})')}]",
            lambda s, A, Y: f"{s.minus}{s.frac(Y, A)} + {s.frac(f'(1 {s.minus} {Y})', f'(1 {s.minus} {A})')}"),
    "cross_entropy": (lambda s, A, Y: f"{s.minus}{Y}{s.mul}{s.log(A)}", lambda s, A, Y: f"{s.minus}{s.frac(Y, A)}"),
}


def _fprime_symbolic(s, act: str, A: str, Z: str) -> str:
    if act == "sigmoid":
        return f"{A}(1 {s.minus} {A})"
    if act == "tanh":
        return f"1 {s.minus} {A}²" if not s.latex else f"1 - {A}^2"
    if act == "relu":
        return f"[{Z} > 0]"
    if act == "leaky_relu":
        return f"[{Z} > 0] + 0.01{s.mul}[{Z} ≤ 0]" if not s.latex else rf"[{Z} > 0] + 0.01 \cdot [{Z} \le 0]"
    if act == "identity":
        return "1"
    return f"f'({Z})"


def describe(event: Event, notation: str | Notation = "delta", digits: int | None = 4,
             sizes: list[int] | None = None, latex: bool = False) -> Described:
    """``event`` in the symbols of ``notation`` (a name or a bound
    :class:`Notation`); numbers with ``digits`` significant digits (``None``:
    exactly as carried)."""
    N = notation if isinstance(notation, Notation) else get(notation, sizes, latex)
    s = N.s
    e = event
    l, j, src = e.layer, e.neuron, e.source
    t = dict(e.terms)

    # in hand-calculation mode only the result is written with the
    # calculation's decimals; operands appear as they were carried in
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
        if isinstance(N, NetOut):     # 002 §4: net_b = W_b·a, one row of it
            symbolic = f"({s.sym('W', N.letter(l))}{s.mul}{s.sym('out', N.letter(l - 1))}){s.sym('', str(j + 1))} + {N.b(l, j)}"
        else:
            symbolic = f"{s.sum('i', f'{_w_i(N, l, j)}{s.mul}{_a_i(N, l)}')} + {N.b(l, j)}"
        numeric = f"{num(t['sum'])} + {num(t['b'], True)}"
    elif kind == "a":
        lhs = N.a(l, j)
        act = e.note
        if act == "identity":
            symbolic = N.z(l, j)
        elif act == "softmax":
            symbolic = f"softmax({N.z(l, j)})" if not s.latex else rf"\mathrm{{softmax}}({N.z(l, j)})"
        else:
            fn = N.fname(l, act) if isinstance(N, DlDz) else N.act_names.get(act, act)
            fn_s = fn
            if s.latex:
                fn_s = r"\sigma" if fn == "σ" else fn if "_" in fn or len(fn) == 1 else rf"\mathrm{{{fn}}}"
            symbolic = f"{fn_s}({N.z(l, j)})"
            numeric = f"{fn_s}({num(t['z'])})"
    elif kind == "loss_term":
        lhs = N.L_k(j)
        f_term, _ = _LOSS_SYMBOLIC.get(e.note, (None, None))
        if f_term:
            symbolic = f_term(s, N.a(l, j), N.y(j))
            numeric = f_term(s, num(t["a"], True), num(t["y"], True))
    elif kind == "loss":
        lhs = N.L()
        ks = [name for name, _ in e.terms]
        symbolic = " + ".join(N.L_k(int(k.split("_")[1])) for k in ks) if len(ks) <= 6 else \
            s.sum("k", N.L_k(0).rsplit("_", 1)[0] + "_k")
        numeric = " + ".join(num(v, True) for _, v in e.terms) if len(ks) <= 6 else ""
    elif kind == "dL_da":
        lhs = N.dL_da(l, j)
        _, f_grad = _LOSS_SYMBOLIC.get(e.note, (None, None))
        if f_grad:
            symbolic = f_grad(s, N.a(l, j), N.y(j))
            numeric = f_grad(s, num(t["a"], True), num(t["y"], True))
    elif kind == "fprime":
        lhs = N.fprime_sym(l, j)
        symbolic = _fprime_symbolic(s, e.note, N.a(l, j), N.z(l, j))
        numeric = _fprime_symbolic(s, e.note, num(t["a"], True), num(t["z"], True))
        if e.note == "identity":
            numeric = ""
    elif kind == "jacobian":
        n, k = src, j
        lhs = N.jac(l, n, k)
        one = "1" if n == k else "0"
        symbolic = f"{N.a(l, n)}({'1' if n == k else '0'} {s.minus} {N.a(l, k)})"
        numeric = f"{num(t['a_n'])}({one} {s.minus} {num(t['a_k'], True)})"
    elif kind == "path":
        n, k = src, j
        lhs = symbolic = f"{N.dL_da(l, n)}{s.mul}{N.jac(l, n, k)}"
        numeric = f"{num(t['dL_da'], True)}{s.mul}{num(t['jacobian'], True)}"
    elif kind in ("delta_out", "delta"):
        lhs = N.delta(l, j)
        if e.note == "softmax" or "sum" in t:
            symbolic = s.sum("n", f"{_dL_da_n(N, l)}{s.mul}{_jac_n(N, l, j)}")
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
        if isinstance(N, NetOut):     # 002 §7: ∂E/∂out_c = (W_d)^T·∂E/∂net_d, one row of it
            WT = s.sym("W", N.letter(l + 1), "T")
            symbolic = f"({WT}{s.mul}{s.d(N.L(), s.sym('net', N.letter(l + 1)))}){s.sym('', str(j + 1))}"
        else:
            symbolic = s.sum("k", f"{_delta_k(N, l + 1)}{s.mul}{_w_jk(N, l + 1, j)}")
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
            approx = describe(event, type(N)(N.sizes, TEXT, N.input_activation), digits).approx
        else:
            approx = not checks_out(numeric.split(" = ")[-1].split(f" {s.approx} ")[-1], value)
    return Described(lhs, symbolic, numeric, value, e.phase, kind, op, N.remark(e), approx)


# generic-index helpers for Σ formulas ("Σ_i w_ij·a_i"); 002 (net-out) writes
# its sums as matrix rows instead, (W_c·out_b)_1, and needs none of them

def _w_i(N: Notation, l, j):
    s = N.s
    if isinstance(N, (DlDz,)):
        return s.sym("W", f"i,{j + 1}", N.lay(l))
    if isinstance(N, (UO, ZH)):
        return s.sym("w", f"i,{j + 1}", N.lay(l))
    return s.sym("w", f"i{j}", N.lay(l))


def _a_i(N: Notation, l):
    s = N.s
    if isinstance(N, UO):
        return s.sym("o", "i", N.lay(l - 1))
    if isinstance(N, ZH):
        return s.sym("x", "i") if l - 1 == 0 and N.input_activation == "identity" else s.sym("h", "i", N.lay(l - 1))
    return s.sym("a", "i", N.lay(l - 1))


def _delta_k(N: Notation, l):
    s = N.s
    if isinstance(N, DlDz):
        return s.sym("g", "k", f"[{l}z]")
    if isinstance(N, UO):
        return s.d("l", s.sym("u", "k", N.lay(l)))
    if isinstance(N, ZH) and N.sizes is not None:
        return s.sym("δ", "k", str(len(N.sizes) - l))
    if isinstance(N, ZH):
        return s.d("H", s.sym("z", "k", N.lay(l)))
    return s.sym("δ", "k", N.lay(l))


def _w_jk(N: Notation, l, j):
    s = N.s
    if isinstance(N, DlDz):
        return s.sym("W", f"{j + 1},k", N.lay(l))
    if isinstance(N, (UO, ZH)):
        return s.sym("w", f"{j + 1},k", N.lay(l))
    return s.sym("w", f"{j}k", N.lay(l))


def _dL_da_n(N: Notation, l):
    s = N.s
    if isinstance(N, NetOut):
        return s.d(N.L(), s.sym("out", f"{N.letter(l)}n"))
    if isinstance(N, DlDz):
        return s.sym("g", "n", f"[{l}a]")
    if isinstance(N, UO):
        return s.d("l", s.sym("o", "n", N.lay(l)))
    if isinstance(N, ZH):
        return s.d("H", s.sym("ŷ", "n") if N.is_output(l) else s.sym("h", "n", N.lay(l)))
    return s.d("L", s.sym("a", "n", N.lay(l)))


def _jac_n(N: Notation, l, k):
    s = N.s
    if isinstance(N, NetOut):
        return s.d(s.sym("out", f"{N.letter(l)}n"), N.z(l, k))
    if isinstance(N, UO):
        return s.d(s.sym("o", "n", N.lay(l)), N.z(l, k))
    if isinstance(N, ZH):
        return s.d(s.sym("ŷ", "n") if N.is_output(l) else s.sym("h", "n", N.lay(l)), N.z(l, k))
    return s.d(s.sym("a", "n", N.lay(l)), N.z(l, k))


def line(event: Event, notation: str | Notation = "delta", digits: int | None = 4,
         sizes: list[int] | None = None) -> str:
    """One plain-text line: ``lhs = symbolic = numeric = value``."""
    return describe(event, notation, digits, sizes).line()
