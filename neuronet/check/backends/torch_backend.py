"""The torch backend: PyTorch autograd in float64 as an independent judge.

Only the forward pass and the loss are written here (row convention,
z = a W + b, the batch as the rows of one matrix); ``loss.backward()`` finds
every gradient by reverse-mode automatic differentiation, so no delta
formula is shared with the per-neuron engine or the matrix backend.
PyTorch is never a dependency: :func:`available` says whether it can be
imported, and the registry reports a clear error when it cannot.
"""
from __future__ import annotations

import importlib.util

from ...engine.activations import LEAKY_SLOPE
from .params import parameters


def available() -> bool:
    return importlib.util.find_spec("torch") is not None


def _activate(torch, name: str, Z):
    if name == "identity":
        return Z
    if name == "sigmoid":
        return torch.sigmoid(Z)
    if name == "tanh":
        return torch.tanh(Z)
    if name == "relu":
        return torch.relu(Z)                 # autograd takes relu'(0) = 0, as the core does
    if name == "leaky_relu":
        return torch.nn.functional.leaky_relu(Z, LEAKY_SLOPE)
    if name == "softmax":
        return torch.softmax(Z, dim=1)
    raise ValueError(f"unknown activation {name!r}")


def _loss_terms(torch, name: str, A, Y):
    def xlogy(y, a):
        # y·log a, and exactly 0 where y = 0 (0·log 0 = 0, as the core's losses).
        # torch.special.xlogy alone would give the right value but a NaN
        # gradient y/a = 0/0 at a = 0; log is taken of 1 where y = 0 instead.
        return torch.special.xlogy(y, torch.where(y != 0, a, torch.ones_like(a)))
    if name == "half_sse":
        return 0.5 * (A - Y) ** 2
    if name == "sse":
        return (A - Y) ** 2
    if name == "mse":
        return (A - Y) ** 2 / A.shape[1]
    if name == "bce":
        return -(xlogy(Y, A) + xlogy(1.0 - Y, 1.0 - A))
    if name == "cross_entropy":
        return -xlogy(Y, A)
    raise ValueError(f"unknown loss {name!r}")


def gradients(spec_dict: dict, xs, ys, reduction: str = "mean") -> dict:
    """The backend contract (``neuronet grads --format json``'s shape)."""
    import torch

    p = parameters(spec_dict)
    f64 = torch.float64
    W = [None] + [torch.tensor(p.weights[l], dtype=f64, requires_grad=True) for l in range(1, len(p.sizes))]
    b = [None if v is None else torch.tensor(v, dtype=f64, requires_grad=True) for v in p.biases]
    X = torch.tensor(xs, dtype=f64)
    Y = torch.tensor(ys, dtype=f64)
    A = _activate(torch, p.activations[0], X + b[0] if b[0] is not None else X)
    for l in range(1, len(p.sizes)):
        A = _activate(torch, p.activations[l], A @ W[l] + b[l])
    total = _loss_terms(torch, p.loss, A, Y).sum()
    L = total / len(xs) if reduction == "mean" else total
    L.backward()
    out = {"loss": L.item(), "outputs": A.detach().tolist(),
           "gradients": [{"weights": W[l].grad.tolist(), "biases": b[l].grad.tolist()}
                         for l in range(1, len(p.sizes))]}
    if b[0] is not None:
        out["input_biases"] = b[0].grad.tolist()
    return out
