"""Per-sample losses L(a, y) and their gradients ∂L/∂a_k.

``terms(a, y)`` returns each output's contribution (their sum is L) and
``grad(a, y)`` returns ∂L/∂a_k.  The output delta is then the general chain
rule δ_k = Σ_n ∂L/∂a_n · ∂a_n/∂z_k (see passes.py), so any loss pairs with
any activation.  Logarithms of 0 (or of a negative number) raise
:class:`NumericError` naming the output, never return nan.

Squares are written d·d, not d ** 2: for |d| > 1.3e154 float ``**`` raises
``OverflowError`` while ``*`` gives inf like every other float overflow, so
an overflowing loss term is an inf that the commands' finiteness check
(neuronet/engine/finite.py) reports by name — "sample 0, output 1: L_k is inf,
from finite numbers (a = …, y = 1e+300)" — instead of a traceback.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

from ..errors import NumericError


def _log(x: float, loss: str, k: int, what: str) -> float:
    if x <= 0.0:
        raise NumericError(f"loss {loss}: log({what}) of {x!r} at output {k} (log of a non-positive number)")
    return math.log(x)


def _sq(d: float) -> float:
    return d * d


def _half_sse_terms(a, y):
    return [0.5 * _sq(ak - yk) for ak, yk in zip(a, y)]


def _half_sse_grad(a, y):
    return [ak - yk for ak, yk in zip(a, y)]


def _sse_terms(a, y):
    return [_sq(ak - yk) for ak, yk in zip(a, y)]


def _sse_grad(a, y):
    return [2.0 * (ak - yk) for ak, yk in zip(a, y)]


def _mse_terms(a, y):
    K = len(a)
    return [_sq(ak - yk) / K for ak, yk in zip(a, y)]


def _mse_grad(a, y):
    K = len(a)
    return [2.0 * (ak - yk) / K for ak, yk in zip(a, y)]


def _bce_terms(a, y):
    # −[y log a + (1 − y) log(1 − a)]; a term whose factor is 0 is 0 (0·log 0 = 0).
    out = []
    for k, (ak, yk) in enumerate(zip(a, y)):
        t = 0.0
        if yk != 0.0:
            t -= yk * _log(ak, "bce", k, "a")
        if yk != 1.0:
            t -= (1.0 - yk) * _log(1.0 - ak, "bce", k, "1 − a")
        out.append(t)
    return out


def _bce_grad(a, y):
    # ∂L/∂a = −y/a + (1 − y)/(1 − a)  (= (a − y)/(a(1 − a)), 001 §3)
    out = []
    for k, (ak, yk) in enumerate(zip(a, y)):
        g = 0.0
        if yk != 0.0:
            if ak == 0.0:
                raise NumericError(f"loss bce: ∂L/∂a divides by a = 0 at output {k}")
            g -= yk / ak
        if yk != 1.0:
            if ak == 1.0:
                raise NumericError(f"loss bce: ∂L/∂a divides by 1 − a = 0 at output {k}")
            g += (1.0 - yk) / (1.0 - ak)
        out.append(g)
    return out


def _ce_terms(a, y):
    return [-(yk * _log(ak, "cross_entropy", k, "a")) if yk != 0.0 else 0.0
            for k, (ak, yk) in enumerate(zip(a, y))]


def _ce_grad(a, y):
    out = []
    for k, (ak, yk) in enumerate(zip(a, y)):
        if yk == 0.0:
            out.append(0.0)
        elif ak == 0.0:
            raise NumericError(f"loss cross_entropy: ∂L/∂a divides by a = 0 at output {k}")
        else:
            out.append(-yk / ak)
    return out


@dataclass(frozen=True)
class Loss:
    """A loss by name: its per-output terms L_k and its gradient ∂L/∂a_k.
    How each text writes it is the notation's business (present/notation/)."""
    name: str
    terms: Callable[[list[float], list[float]], list[float]]
    grad: Callable[[list[float], list[float]], list[float]]
    # How a notation writes one output's term and its ∂L/∂a, as data (the way
    # an activation carries its symbols): a string with {A} (the output a_k),
    # {Y} (its target) and the style's {minus}, {mul}, {half}; or a tuple
    # (operation, argument, …) of the style's sqr, frac, log around templates.
    # neuronet.present.notation fills them in; the engine never draws.
    term_template: object = None
    grad_template: object = None

    def value(self, a: list[float], y: list[float]) -> float:
        return math.fsum(self.terms(a, y))


LOSSES: dict[str, Loss] = {
    "half_sse": Loss("half_sse", _half_sse_terms, _half_sse_grad,
                     term_template=("cat", "{half}", ("sqr", "{A} {minus} {Y}")),
                     grad_template="{A} {minus} {Y}"),
    "sse": Loss("sse", _sse_terms, _sse_grad,
                term_template=("sqr", "{A} {minus} {Y}"),
                grad_template="2{mul}({A} {minus} {Y})"),
    "mse": Loss("mse", _mse_terms, _mse_grad,
                term_template=("frac", ("sqr", "{A} {minus} {Y}"), "K"),
                grad_template=("frac", "2{mul}({A} {minus} {Y})", "K")),
    "bce": Loss("bce", _bce_terms, _bce_grad,
                term_template=("cat", "{minus}[{Y}{mul}", ("log", "{A}"), " + (1 {minus} {Y}){mul}",
                               ("log", "(1 {minus} {A})"), "]"),
                grad_template=("cat", "{minus}", ("frac", "{Y}", "{A}"), " + ",
                               ("frac", "(1 {minus} {Y})", "(1 {minus} {A})"))),
    "cross_entropy": Loss("cross_entropy", _ce_terms, _ce_grad,
                          term_template=("cat", "{minus}{Y}{mul}", ("log", "{A}")),
                          grad_template=("cat", "{minus}", ("frac", "{Y}", "{A}"))),
}


def get(name: str) -> Loss:
    return LOSSES[name]
