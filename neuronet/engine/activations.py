"""Activation functions f and their derivatives f'.

Each element-wise activation gives ``f(z)`` and ``fprime(z, a)`` — the
derivative at ``z``, allowed to use ``a = f(z)`` as the texts do
(sigmoid' = a(1 − a), tanh' = 1 − a²).  Softmax is layer-wide: ``a_n`` depends
on every ``z_k`` of its layer, so instead of f' it has a Jacobian
∂a_n/∂z_k = a_n(1[n = k] − a_k).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

LEAKY_SLOPE = 0.01


def sigmoid(z: float) -> float:
    """1/(1 + e^(−z)), written so that neither branch overflows:
    sigmoid(1000) = 1.0 and sigmoid(−1000) = 0.0."""
    if z >= 0.0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def _sigmoid_prime(z: float, a: float) -> float:
    return a * (1.0 - a)


def _tanh_prime(z: float, a: float) -> float:
    return 1.0 - a * a


def _identity(z: float) -> float:
    return z


def _one(z: float, a: float) -> float:
    return 1.0


def _relu(z: float) -> float:
    return z if z > 0.0 else 0.0


def _relu_prime(z: float, a: float) -> float:
    # f'(0) is taken as 0 (the subgradient most libraries use).
    return 1.0 if z > 0.0 else 0.0


def _leaky(z: float) -> float:
    return z if z > 0.0 else LEAKY_SLOPE * z


def _leaky_prime(z: float, a: float) -> float:
    return 1.0 if z > 0.0 else LEAKY_SLOPE


def softmax(zs: list[float]) -> list[float]:
    """e^(z_k − max z) / Σ_n e^(z_n − max z): subtracting the max changes
    nothing mathematically and keeps exp() from overflowing (every exponent
    is ≤ 0, so every e^… is in [0, 1] and the sum is ≥ 1).

    Infinite z are taken as the limit: the z equal to +inf share the whole
    mass equally (the others get 0), and when every z is −inf the layer is
    uniform (all z equal).  A NaN z gives NaN for the whole layer — the
    NaN came from before, and the callers' finiteness check names it there."""
    if any(z != z for z in zs):
        return [math.nan] * len(zs)
    m = max(zs)
    if m == math.inf:
        k = sum(1 for z in zs if z == math.inf)
        return [1.0 / k if z == math.inf else 0.0 for z in zs]
    if m == -math.inf:
        return [1.0 / len(zs)] * len(zs)
    es = [math.exp(z - m) for z in zs]
    s = sum(es)
    return [e / s for e in es]


def softmax_jacobian(a: list[float], n: int, k: int) -> float:
    """∂a_n/∂z_k for a softmax layer whose activations are ``a``."""
    return a[n] * ((1.0 if n == k else 0.0) - a[k])


@dataclass(frozen=True)
class Activation:
    name: str
    f: Callable[[float], float] | None          # element-wise f(z); None for softmax
    fprime: Callable[[float, float], float] | None  # f'(z) given (z, a); None for softmax
    formula: str                                # f(z) as a teacher writes it
    layerwise: bool = False
    # display symbols, next to f and f' (neuronet.present.notation draws with them):
    symbol: str = ""          # the name of f in a formula, plain text (σ)
    symbol_tex: str = ""      # the same in LaTeX (\sigma)
    # f'(z) written with the activation a = f(z) and the input z, as a template
    # filled in by the notation: {a} {z}, {minus} {mul} {le} {sq} in its style
    fprime_formula: str = ""


ACTIVATIONS: dict[str, Activation] = {
    "identity": Activation("identity", _identity, _one, "z", symbol="id", symbol_tex=r"\mathrm{id}",
                           fprime_formula="1"),
    "sigmoid": Activation("sigmoid", sigmoid, _sigmoid_prime, "1/(1 + e^(−z))", symbol="σ",
                          symbol_tex=r"\sigma", fprime_formula="{a}(1 {minus} {a})"),
    "tanh": Activation("tanh", math.tanh, _tanh_prime, "tanh(z)", symbol="tanh", symbol_tex=r"\tanh",
                       fprime_formula="1 {minus} {a}{sq}"),
    "relu": Activation("relu", _relu, _relu_prime, "max(0, z)", symbol="ReLU", symbol_tex=r"\mathrm{ReLU}",
                       fprime_formula="[{z} > 0]"),
    "leaky_relu": Activation("leaky_relu", _leaky, _leaky_prime, f"max({LEAKY_SLOPE}·z, z)", symbol="LReLU",
                             symbol_tex=r"\mathrm{LReLU}",
                             fprime_formula="[{z} > 0] + " + str(LEAKY_SLOPE) + "{mul}[{z} {le} 0]"),
    "softmax": Activation("softmax", None, None, "e^(z_k) / Σ_n e^(z_n)", layerwise=True,
                          symbol="softmax", symbol_tex=r"\mathrm{softmax}"),
}


def get(name: str) -> Activation:
    return ACTIVATIONS[name]
