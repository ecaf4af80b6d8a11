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


def describe(event: Event, N: Notation, digits=4, terms: list[str] | None = None,
             layer_z: list[float] | None = None) -> Described:
    """``event`` in the symbols of the bound notation ``N``; numbers by the
    display policy (:mod:`neuronet.present.numbers`) with ``digits``
    significant digits (``None``: exactly as carried; a ``Carried``: hand
    mode).  Nothing is recomputed: every number shown is a field of the event.

    What the lines printed before it showed (:class:`Shown` keeps track):
    ``terms`` — the displayed values of the terms a Σ line (a z, a Σ_k
    δ_k·w_jk) adds up, so it is written ≈ when they do not give its
    displayed value (rule 3); ``layer_z`` — every z of a softmax layer, so
    ŷ_j is written with its numbers, exp(z_j)/(exp(z_1) + …)."""
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
        if N.has_bias(0) or t["b"] != 0:
            symbolic = f"{N.input_x(j)} + {N.b(0, j)}"
            numeric = f"{num(t['x'])} + {num(t['b'], True)}"
        else:                           # no input bias: z = x, written as the text writes the input
            symbolic = N.input_x(j)
    elif kind == "product":
        lhs = symbolic = f"{N.w(l, src, j)}{s.mul}{N.a(l - 1, src)}"
        numeric = f"{num(t['w'])}{s.mul}{num(t['a'], True)}"
    elif kind == "z":
        lhs = N.z(l, j)
        symbolic = N.z_formula(l, j)
        if N.has_bias(l) or t["b"] != 0:
            numeric = f"{num(t['sum'])} + {num(t['b'], True)}"
        elif N.sizes is not None:       # a layer without biases: z is the Σ alone
            numeric = num(t["sum"])
        else:
            numeric = f"{num(t['sum'])} + {num(t['b'], True)}"
    elif kind == "a":
        lhs = N.a(l, j)
        act = e.note
        if act == "identity":
            symbolic = N.z(l, j)
        elif act == "softmax":
            symbolic = N.softmax_formula(l, j)
            if layer_z and len(layer_z) <= SOFTMAX_TERMS and j < len(layer_z):
                numeric = s.frac(s.exp(num(layer_z[j])),
                                 "(" + " + ".join(s.exp(num(z)) for z in layer_z) + ")")
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
            if "y" in t:        # softmax + cross-entropy: the sum is ŷ_k − y_k (003)
                symbolic += f" = {N.a(l, j)} {s.minus} {N.y(j)}"
                numeric = f"{num(t['a'], True)} {s.minus} {num(t['y'], True)}"
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
            approx = describe(event, N.restyled(PLAIN), digits, layer_z=layer_z).approx
        else:
            approx = not checks_out(numeric.split(" = ")[-1].split(f" {s.approx} ")[-1], value)
    sum_approx = False
    if terms and kind in ("z", "dsum"):
        # the Σ against the terms printed above it (and z's bias, as shown)
        shown = list(terms) + ([fmt(t["b"], operand_digits)] if kind == "z" else [])
        sum_approx = not sum_checks_out(shown, fmt(e.value, digits))
    return Described(lhs, symbolic, numeric, value, e.phase, kind, op, N.remark(e), approx, sum_approx)


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
