"""A described event, and :func:`describe`: one event in a bound notation's
symbols, its numbers by the display policy (:mod:`neuronet.present.numbers`)."""
from __future__ import annotations

from dataclasses import dataclass

from ...engine.events import Event
from ..numbers import APPROX, Carried, checks_out, fmt, result, sum_checks_out
from .base import Notation
from .styles import PLAIN


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
    sum_approx: bool = False  # a Σ line: the terms printed above it do not add up to it as shown
    repeat: bool = False     # says only what the line before said: a bare input's a, when the
    #                          text writes an input once (002's a_1, 000's x_1, 001's a_1^[0])

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
        if self.sum_approx and n >= 2:      # "Σ … ≈ 0.94401 + 0": the terms above give it only nearly
            out[1] = APPROX
        return out

    def shows_approx(self) -> bool:
        """True when some ``=`` of the line is written ``≈``."""
        return (self.approx or self.sum_approx or f" {APPROX} " in self.numeric
                or r" \approx " in self.numeric)

    def line(self) -> str:
        p = self.parts()
        return p[0] + "".join(f" {sep} {part}" for sep, part in zip(self.seps(), p[1:]))



#: softmax is written out with its numbers for layers of at most this many neurons
SOFTMAX_TERMS = 6


class _Line:
    """What one writer fills in for an event: its left-hand side, the formula
    in symbols and with the event's numbers, and — when a kind needs them —
    a value written another way (hand mode's N decimals) or another op (←)."""

    def __init__(self, e: Event, N: Notation, digits, layer_z) -> None:
        self.e, self.N, self.s, self.layer_z = e, N, N.s, layer_z
        self.l, self.j, self.src = e.layer, e.neuron, e.source
        self.t = dict(e.terms)
        # in hand-calculation mode only the result is written with the
        # calculation's decimals; operands appear as they were carried in
        self.digits = digits
        self.operand_digits = None if isinstance(digits, Carried) else digits
        self.value = fmt(e.value, digits, N.s.latex)
        self.op = "="
        self.lhs = self.symbolic = self.numeric = ""

    def num(self, x, paren=False) -> str:
        v = fmt(x, self.operand_digits, self.s.latex)
        return f"({v})" if paren and x < 0 else v


# -- one writer per event kind (neuronet.engine.events), in pass order -------------

def _input(c: _Line) -> None:
    N, t, j = c.N, c.t, c.j
    c.lhs = N.z(0, j)
    if N.has_bias(0) or t["b"] != 0:
        c.symbolic = f"{N.input_x(j)} + {N.b(0, j)}"
        c.numeric = f"{c.num(t['x'])} + {c.num(t['b'], True)}"
    else:                           # no input bias: z = x, written as the text writes the input
        c.symbolic = N.input_x(j)


def _product(c: _Line) -> None:
    N, s, t = c.N, c.s, c.t
    c.lhs = c.symbolic = f"{N.w(c.l, c.src, c.j)}{s.mul}{N.a(c.l - 1, c.src)}"
    c.numeric = f"{c.num(t['w'])}{s.mul}{c.num(t['a'], True)}"


def _z(c: _Line) -> None:
    N, t, l = c.N, c.t, c.l
    c.lhs = N.z(l, c.j)
    c.symbolic = N.z_formula(l, c.j)
    if N.has_bias(l) or t["b"] != 0 or N.sizes is None:
        c.numeric = f"{c.num(t['sum'])} + {c.num(t['b'], True)}"
    else:                           # a layer without biases: z is the Σ alone
        c.numeric = c.num(t["sum"])


def _a(c: _Line) -> None:
    N, s, l, j, act = c.N, c.s, c.l, c.j, c.e.note
    c.lhs = N.a(l, j)
    if act == "identity":
        c.symbolic = N.z(l, j)
    elif act == "softmax":
        c.symbolic = N.softmax_formula(l, j)
        zs = c.layer_z
        if zs and len(zs) <= SOFTMAX_TERMS and j < len(zs):
            c.numeric = s.frac(s.exp(c.num(zs[j])), "(" + " + ".join(s.exp(c.num(z)) for z in zs) + ")")
    else:
        fn = N.act_symbol(l, act)
        c.symbolic = f"{fn}({N.z(l, j)})"
        c.numeric = f"{fn}({c.num(c.t['z'])})"


def _loss_term(c: _Line) -> None:
    N, t, l, j = c.N, c.t, c.l, c.j
    c.value = result(c.e.value, c.digits, c.s.latex)     # hand mode: written down at N decimals
    c.lhs = N.L_k(j)
    c.symbolic = N.loss_term(c.e.note, N.a(l, j), N.y(j)) or ""
    if c.symbolic:
        c.numeric = N.loss_term(c.e.note, c.num(t["a"], True), c.num(t["y"], True))


def _loss(c: _Line) -> None:
    N, s, e = c.N, c.s, c.e
    c.lhs = N.L()
    c.value = result(e.value, c.digits, s.latex)
    ks = [name for name, _ in e.terms]
    if len(ks) <= 6:
        c.symbolic = " + ".join(N.L_k(int(k.split("_")[1])) for k in ks)
        c.numeric = " + ".join(result(v, c.digits, s.latex) for _, v in e.terms)
    else:
        c.symbolic = s.sum("k", N.L_k(0).rsplit("_", 1)[0] + "_k")


def _dL_da(c: _Line) -> None:
    N, t, l, j = c.N, c.t, c.l, c.j
    c.lhs = N.dL_da(l, j)
    c.symbolic = N.loss_grad(c.e.note, N.a(l, j), N.y(j)) or ""
    if c.symbolic:
        c.numeric = N.loss_grad(c.e.note, c.num(t["a"], True), c.num(t["y"], True))


def _fprime(c: _Line) -> None:
    N, t, l, j, act = c.N, c.t, c.l, c.j, c.e.note
    c.lhs = N.fprime_sym(l, j)
    c.symbolic = N.fprime_formula(act, N.a(l, j), N.z(l, j))
    c.numeric = "" if act == "identity" else N.fprime_formula(act, c.num(t["a"], True), c.num(t["z"], True))


def _jacobian(c: _Line) -> None:
    N, t, l, n, k = c.N, c.t, c.l, c.src, c.j
    c.lhs = N.jac(l, n, k)
    c.symbolic = N.jacobian_formula(N.a(l, n), N.a(l, k), n == k)
    c.numeric = N.jacobian_formula(c.num(t["a_n"], True), c.num(t["a_k"], True), n == k)


def _path(c: _Line) -> None:
    N, s, t, l, n, k = c.N, c.s, c.t, c.l, c.src, c.j
    c.lhs = c.symbolic = f"{N.dL_da(l, n)}{s.mul}{N.jac(l, n, k)}"
    c.numeric = f"{c.num(t['dL_da'], True)}{s.mul}{c.num(t['jacobian'], True)}"


def _delta(c: _Line) -> None:
    N, s, t, l, j = c.N, c.s, c.t, c.l, c.j
    c.lhs = N.delta(l, j)
    if c.e.note == "softmax" or "sum" in t:
        c.symbolic = s.sum("n", f"{N.dL_da_n(l)}{s.mul}{N.jac_n(l, j)}")
        c.numeric = c.num(t["sum"])
        if "y" in t:        # softmax + cross-entropy: the sum is ŷ_k − y_k (003)
            c.symbolic += f" = {N.a(l, j)} {s.minus} {N.y(j)}"
            c.numeric = f"{c.num(t['a'], True)} {s.minus} {c.num(t['y'], True)}"
    elif c.e.kind == "delta_out":
        c.symbolic = f"{N.dL_da(l, j)}{s.mul}{N.fprime_sym(l, j)}"
        c.numeric = f"{c.num(t['dL_da'], True)}{s.mul}{c.num(t['fprime'], True)}"
    else:
        c.symbolic = f"{N.fprime_sym(l, j)}{s.mul}{N.dL_da(l, j)}"
        c.numeric = f"{c.num(t['fprime'], True)}{s.mul}{c.num(t['dsum'], True)}"


def _backprop(c: _Line) -> None:
    N, s, t, l, j, k = c.N, c.s, c.t, c.l, c.j, c.src
    c.lhs = c.symbolic = f"{N.delta(l + 1, k)}{s.mul}{N.w(l + 1, j, k)}"
    c.numeric = f"{c.num(t['delta'], True)}{s.mul}{c.num(t['w'], True)}"


def _dsum(c: _Line) -> None:
    N, t = c.N, c.t
    c.lhs = N.dL_da(c.l, c.j)
    c.symbolic = N.dsum_formula(c.l, c.j)
    if "sum" in t and t["sum"] != c.e.value:
        c.numeric = c.num(t["sum"])          # the unrounded sum, before --round


def _grad_w(c: _Line) -> None:
    N, s, t, l, j, i = c.N, c.s, c.t, c.l, c.j, c.src
    c.lhs = N.grad_w(l, i, j)
    c.symbolic = f"{N.delta(l, j)}{s.mul}{N.a(l - 1, i)}"
    c.numeric = f"{c.num(t['delta'], True)}{s.mul}{c.num(t['a'], True)}"


def _grad_b(c: _Line) -> None:
    c.lhs = c.N.grad_b(c.l, c.j)
    c.symbolic = c.N.delta(c.l, c.j)
    c.numeric = c.num(c.t["delta"])


def _accumulate(c: _Line) -> None:
    N, t, l, j, i = c.N, c.t, c.l, c.j, c.src
    if c.e.kind == "accumulate_w":
        total, grad = N.sum_w(l, i, j), N.grad_w(l, i, j)
    else:
        total, grad = N.sum_b(l, j), N.grad_b(l, j)
    c.lhs = total
    c.symbolic = f"{total} + {grad}"
    c.numeric = f"{c.num(t['old'], True)} + {c.num(t['grad'], True)}" if "old" in t else ""


def _batch(c: _Line) -> None:
    N, s, t, l, j, i = c.N, c.s, c.t, c.l, c.j, c.src
    if c.e.kind == "batch_w":
        c.lhs, total = N.grad_w(l, i, j), N.sum_w(l, i, j)
    else:
        c.lhs, total = N.grad_b(l, j), N.sum_b(l, j)
    if c.e.note == "sum":
        c.symbolic, c.numeric = total, c.num(t["sum"])
    else:
        c.symbolic = s.frac(total, "N")
        c.numeric = s.frac(c.num(t["sum"]), str(int(t["n"])))


def _update(c: _Line) -> None:
    N, s, t, l, j = c.N, c.s, c.t, c.l, c.j
    if c.e.kind == "update_w":
        p, g, eta = N.w(l, c.src, j), N.grad_w(l, c.src, j), N.eta()
    else:
        p, g, eta = N.b(l, j), N.grad_b(l, j), N.eta_b()
    c.lhs, c.op = p, s.arrow
    c.symbolic = f"{p} {s.minus} {eta}{s.mul}{g}"
    # η·∂L/∂w = step, checked on its own (numbers.py rule 3)
    d = c.operand_digits
    step_eq = "=" if checks_out(f"{fmt(t['eta'], d)}·{fmt(t['grad'], d)}", fmt(t["step"], d)) else s.approx
    c.numeric = (f"{c.num(t['old'])} {s.minus} {c.num(t['eta'])}{s.mul}{c.num(t['grad'], True)}"
                 f" {step_eq} {c.num(t['old'])} {s.minus} {c.num(t['step'], True)}")


def _unknown(c: _Line) -> None:
    """An event kind no writer knows: its name and its terms."""
    c.lhs = c.e.kind
    c.symbolic = ", ".join(f"{k}={c.num(v)}" for k, v in c.e.terms)


#: which writer draws which event kind
WRITERS = {
    "input": _input, "product": _product, "z": _z, "a": _a,
    "loss_term": _loss_term, "loss": _loss, "dL_da": _dL_da, "fprime": _fprime,
    "jacobian": _jacobian, "path": _path, "delta_out": _delta, "delta": _delta,
    "backprop": _backprop, "dsum": _dsum, "grad_w": _grad_w, "grad_b": _grad_b,
    "accumulate_w": _accumulate, "accumulate_b": _accumulate,
    "batch_w": _batch, "batch_b": _batch, "update_w": _update, "update_b": _update,
}


def describe(event: Event, N: Notation, digits=4, terms: list[str] | None = None,
             layer_z: list[float] | None = None) -> Described:
    """``event`` in the symbols of the bound notation ``N``; numbers by the
    display policy (:mod:`neuronet.present.numbers`) with ``digits``
    significant digits (``None``: exactly as carried; a ``Carried``: hand
    mode).  Nothing is recomputed: every number shown is a field of the event.
    Each event kind has one writer (:data:`WRITERS`).

    What the lines printed before it showed (:class:`Shown` keeps track):
    ``terms`` — the displayed values of the terms a Σ line (a z, a Σ_k
    δ_k·w_jk) adds up, so it is written ≈ when they do not give its
    displayed value (rule 3); ``layer_z`` — every z of a softmax layer, so
    ŷ_j is written with its numbers, exp(z_j)/(exp(z_1) + …)."""
    c = _Line(event, N, digits, layer_z)
    WRITERS.get(event.kind, _unknown)(c)
    s, e, kind, t, l, j = N.s, event, event.kind, c.t, c.l, c.j
    lhs, symbolic, numeric, value, op = c.lhs, c.symbolic, c.numeric, c.value, c.op
    operand_digits = c.operand_digits

    approx = False
    if numeric and numeric != value:
        if s.latex:     # check the plain-text twin of the line (same numbers, no TeX)
            approx = describe(event, N.restyled(PLAIN), digits, layer_z=layer_z).approx
        else:
            approx = not checks_out(numeric.split(" = ")[-1].split(f" {s.approx} ")[-1], value)
    sum_approx = False
    if terms and kind in ("z", "dsum"):
        # the Σ against the terms printed above it (and z's bias, as shown)
        shown = list(terms) + ([fmt(t["b"], operand_digits)] if kind == "z" else [])
        sum_approx = not sum_checks_out(shown, fmt(e.value, digits))
    # an identity activation the notation writes with its z's own symbol restates the line above
    repeat = kind == "a" and e.note == "identity" and lhs == N.z(l, j)
    return Described(lhs, symbolic, numeric, value, e.phase, kind, op, N.remark(e), approx, sum_approx,
                     repeat)


class Shown:
    """:func:`describe` for a stream of events, remembering what the lines
    so far showed: the displayed value of each product w·a and each δ_k·w_jk
    (checked against the Σ line after them) and each z (for a softmax line).
    Terms are checked only when all of them were shown (a filtered trace
    may show some), which needs ``N`` bound to the network's sizes."""

    def __init__(self, N: Notation, digits=4) -> None:
        self.N = N
        self.digits = digits
        self._terms: dict = {}
        self._z: dict = {}

    def __call__(self, e: Event) -> Described:
        key = (e.layer, e.neuron, e.sample)
        sizes = self.N.sizes
        terms = layer_z = None
        if e.kind in ("z", "dsum") and sizes is not None:
            got = self._terms.pop(("product" if e.kind == "z" else "backprop", key), None)
            want = sizes[e.layer - 1] if e.kind == "z" else (sizes[e.layer + 1] if e.layer + 1 < len(sizes) else 0)
            terms = got if got is not None and len(got) == want else None
        elif e.kind == "a" and e.note == "softmax" and sizes is not None:
            zs = self._z.get((e.layer, e.sample), {})
            if len(zs) == sizes[e.layer]:
                layer_z = [zs[n] for n in range(sizes[e.layer])]
        d = describe(e, self.N, self.digits, terms, layer_z)
        if e.kind in ("product", "backprop"):
            self._terms.setdefault((e.kind, key), []).append(fmt(e.value, self.digits))
        elif e.kind == "z":
            self._z.setdefault((e.layer, e.sample), {})[e.neuron] = e.value
        return d
