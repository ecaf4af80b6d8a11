"""The network: layers of neuron records, each layer's activation, the loss.

A :class:`Network` is a thin holder; the math lives in passes.py as explicit
loops over the neuron records.  The methods here only read like the math::

    net.forward([1, 0])          # a of the output layer
    net.backward([0, 1])         # every δ
    net.layers[2][0].delta       # δ of neuron 0 in layer 2
    net.correct(eta=0.5)         # w ← w − η δ a,  b ← b − η δ
"""
from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass, field

from . import passes
from .activations import Activation
from .losses import Loss
from .neuron import Layer, Neuron


@dataclass
class Network:
    layers: list[Layer]
    activations: list[Activation]           # one per layer; activations[0] is the input layer's
    loss: Loss
    name: str = ""
    input_bias: bool = False                # the input layer's biases are trained (004 §2.5)
    meta: dict = field(default_factory=dict)  # spec details kept for a lossless save
    no_bias: frozenset = frozenset()        # layers without biases (spec "biases = false", as in 002):
                                            # b stays 0 and is never stepped

    # -- shape ---------------------------------------------------------------
    @property
    def sizes(self) -> list[int]:
        return [len(layer) for layer in self.layers]

    @property
    def output(self) -> list[float]:
        return [neuron.a for neuron in self.layers[-1]]

    def weight(self, l: int, i: int, j: int) -> float:
        """w_ij from neuron i of layer l − 1 to neuron j of layer l."""
        return self.layers[l - 1][i].w[j]

    def weights(self, l: int) -> list[list[float]]:
        """Layer l's weight matrix in the spec's [from][to] layout."""
        return [list(neuron.w) for neuron in self.layers[l - 1]]

    def biases(self, l: int) -> list[float]:
        return [neuron.b for neuron in self.layers[l]]

    def parameter_count(self) -> int:
        n = sum(len(neuron.w) for layer in self.layers for neuron in layer)
        n += sum(len(layer) for l, layer in enumerate(self.layers) if l > 0 and l not in self.no_bias)
        return n + (len(self.layers[0]) if self.input_bias else 0)

    # -- passes --------------------------------------------------------------
    def forward(self, x, emit=None, rnd=None, sample: int = 0) -> list[float]:
        return passes.forward(self, x, emit, rnd, sample)

    def loss_of(self, y, emit=None, sample: int = 0) -> float:
        return passes.loss(self, y, emit, sample)

    def backward(self, y, emit=None, rnd=None, sample: int = 0) -> None:
        passes.backward(self, y, emit, rnd, sample)

    def correct(self, eta: float, eta_b: float | None = None, emit=None, rnd=None) -> None:
        passes.correct(self, eta, eta_b, emit, rnd)

    def step(self, xs, ys, eta: float, eta_b: float | None = None, reduction: str = "mean",
             emit=None, rnd=None) -> float:
        return passes.step(self, xs, ys, eta, eta_b, reduction, emit, rnd)

    def gradients(self, xs, ys, reduction: str = "mean", emit=None):
        return passes.gradients(self, xs, ys, reduction, emit)

    def predict(self, x) -> list[float]:
        return list(passes.forward(self, x))

    # -- display ---------------------------------------------------------------
    def __repr__(self) -> str:
        acts = "/".join(a.name for a in self.activations[1:])
        name = f"{self.name!r}, " if self.name else ""
        return (f"Network({name}sizes {'-'.join(map(str, self.sizes))}, {acts}, "
                f"loss {self.loss.name}, {self.parameter_count()} parameters)")

    def _repr_svg_(self) -> str:
        """The diagram, for Jupyter.  Imported here, when a notebook asks:
        the engine itself must not import any renderer at import time."""
        from ..present import diagram
        return diagram.svg(self)

    def copy(self) -> "Network":
        """A fresh network with the same parameters (b, w), activations,
        loss and spec details; z, a and δ start at 0 as in a loaded spec."""
        layers = [[Neuron(desc=n.desc, b=n.b, w=list(n.w), nabla_w=[0.0] * len(n.w)) for n in layer]
                  for layer in self.layers]
        # every other field (name, input_bias, no_bias, …) carried as it is
        return dataclasses.replace(self, layers=layers, activations=list(self.activations),
                                   meta=copy.deepcopy(self.meta))
