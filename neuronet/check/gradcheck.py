"""Central finite differences: the judge of backprop (tinygrad's gradcheck).

For every weight and bias θ, the central difference

    order 2:  (L(θ + h) − L(θ − h)) / 2h                                error O(h²)
    order 4:  (−L(θ + 2h) + 8L(θ + h) − 8L(θ − h) + L(θ − 2h)) / 12h   error O(h⁴)

is compared with the gradient the passes compute.  Order 4 (the default) lets
h be large enough (1e-4) that floating-point round-off, ~ε·L/h, stays far below
the tolerance, while its truncation error stays far below it too.  An entry agrees when
|backprop − numeric| ≤ rtol·max(|backprop|, |numeric|) + atol.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..engine import passes


@dataclass(frozen=True)
class Entry:
    what: str        # "w" or "b"
    layer: int       # destination layer l (weights) or the bias's layer
    i: int           # source neuron (weights) or the neuron (biases)
    j: int           # destination neuron (weights); -1 for biases
    backprop: float
    numeric: float

    @property
    def abs_err(self) -> float:
        return abs(self.backprop - self.numeric)

    @property
    def rel_err(self) -> float:
        scale = max(abs(self.backprop), abs(self.numeric))
        return self.abs_err / scale if scale > 0 else 0.0

    def ok(self, rtol: float, atol: float) -> bool:
        return self.abs_err <= rtol * max(abs(self.backprop), abs(self.numeric)) + atol

    @property
    def name(self) -> str:
        return f"w[{self.layer}][{self.i}][{self.j}]" if self.what == "w" else f"b[{self.layer}][{self.i}]"


def batch_loss(net, xs, ys, reduction: str) -> float:
    total = 0.0
    for x, y in zip(xs, ys):
        passes.forward(net, x)
        total += passes.loss(net, y)
    return total / len(xs) if reduction == "mean" else total


def check(net, xs, ys, reduction: str = "mean", h: float = 1e-4, backward=None,
          order: int = 4) -> list[Entry]:
    """Return one :class:`Entry` per weight and bias.

    ``backward`` replaces :func:`passes.gradients` (tests use it to prove the
    checker catches a wrong gradient).
    """
    grads_fn = backward or passes.gradients
    _, _, grads, input_biases = grads_fn(net, xs, ys, reduction)
    entries = []

    def L_at(put, value) -> float:
        put(value)
        return batch_loss(net, xs, ys, reduction)

    def numeric(get, put) -> float:
        old = get()
        try:
            if order == 2:
                return (L_at(put, old + h) - L_at(put, old - h)) / (2 * h)
            return (-L_at(put, old + 2 * h) + 8 * L_at(put, old + h)
                    - 8 * L_at(put, old - h) + L_at(put, old - 2 * h)) / (12 * h)
        finally:
            put(old)

    layers = net.layers
    for l in range(1, len(layers)):
        for i, neuron in enumerate(layers[l - 1]):
            for j in range(len(neuron.w)):
                def get(n=neuron, j=j):
                    return n.w[j]

                def put(v, n=neuron, j=j):
                    n.w[j] = v
                entries.append(Entry("w", l, i, j, grads[l - 1]["weights"][i][j], numeric(get, put)))
        for j, neuron in enumerate(layers[l]):
            entries.append(Entry("b", l, j, -1, grads[l - 1]["biases"][j],
                                 numeric(lambda n=neuron: n.b, lambda v, n=neuron: setattr(n, "b", v))))
    if input_biases is not None:
        for j, neuron in enumerate(layers[0]):
            entries.append(Entry("b", 0, j, -1, input_biases[j],
                                 numeric(lambda n=neuron: n.b, lambda v, n=neuron: setattr(n, "b", v))))
    return entries
