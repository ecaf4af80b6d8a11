"""Training: epochs of mini-batch SGD over the per-neuron passes.  No printing:
progress goes to an optional ``on_epoch(epoch, loss)`` callback."""
from __future__ import annotations

import math
import random

from . import passes
from .errors import NumericError


def batches(n: int, batch_size: int | None, order: list[int]):
    size = n if not batch_size else batch_size
    for start in range(0, n, size):
        yield order[start:start + size]


def epoch_loss(net, xs, ys, reduction: str = "mean") -> float:
    total = 0.0
    for x, y in zip(xs, ys):
        passes.forward(net, x)
        total += passes.loss(net, y)
    return total / len(xs) if reduction == "mean" else total


def train(net, xs, ys, eta: float, epochs: int, eta_b: float | None = None,
          batch_size: int | None = None, shuffle: bool = False, seed: int = 0,
          reduction: str = "mean", on_epoch=None) -> list[float]:
    """Plain SGD.  ``batch_size=None`` means the whole set is one batch.

    Returns the loss after each epoch (over the whole set, with the trained
    weights).  Raises :class:`NumericError` when the loss stops being finite.
    """
    rng = random.Random(seed)
    order = list(range(len(xs)))
    history = []
    for epoch in range(1, epochs + 1):
        if shuffle:
            rng.shuffle(order)
        for step_no, batch in enumerate(batches(len(xs), batch_size, order), 1):
            passes.step(net, [xs[i] for i in batch], [ys[i] for i in batch], eta, eta_b, reduction)
        L = epoch_loss(net, xs, ys, reduction)
        if not math.isfinite(L):
            raise NumericError(f"loss became {L} in epoch {epoch}: the steps diverged (try a smaller --lr)")
        history.append(L)
        if on_epoch is not None:
            on_epoch(epoch, L)
    return history
