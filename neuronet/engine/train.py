"""Training: epochs of mini-batch SGD over the per-neuron passes.  No printing:
progress goes to optional callbacks — ``on_epoch(epoch, loss)``,
``on_step(epoch, step, loss)`` and ``observe(net)`` (called after each forward
pass of the end-of-epoch evaluation, so a live view can read every neuron's
z and a without recomputing anything)."""
from __future__ import annotations

import math
import random

from . import passes
from ..errors import NumericError


def batches(n: int, batch_size: int | None, order: list[int]):
    size = n if not batch_size else batch_size
    for start in range(0, n, size):
        yield order[start:start + size]


def epoch_loss(net, xs, ys, reduction: str = "mean", observe=None) -> float:
    total = 0.0
    for x, y in zip(xs, ys):
        passes.forward(net, x)
        if observe is not None:
            observe(net)
        total += passes.loss(net, y)
    return total / len(xs) if reduction == "mean" else total


def first_non_finite(net) -> str | None:
    """Name the first neuron (input to output) holding a NaN or ±inf — in
    its z, a, δ, bias or an outgoing weight — for the divergence message."""
    for l, layer in enumerate(net.layers):
        for j, n in enumerate(layer):
            name = f"{n.desc} (layer {l}, neuron {j})" if n.desc else f"layer {l}, neuron {j}"
            for what, v in (("z", n.z), ("a", n.a), ("δ", n.delta), ("b", n.b)):
                if not math.isfinite(v):
                    return f"neuron {name} has {what} = {v}"
            for k, w in enumerate(n.w):
                if not math.isfinite(w):
                    return f"neuron {name} has outgoing weight w[{k}] = {w}"
    return None


def largest(net) -> str:
    """Name the neuron with the largest |z| (where an overflow comes from)."""
    l, j, n = max(((l, j, n) for l, layer in enumerate(net.layers) for j, n in enumerate(layer)),
                  key=lambda t: abs(t[2].z))
    name = f"{n.desc} (layer {l}, neuron {j})" if n.desc else f"layer {l}, neuron {j}"
    return f"neuron {name} has z = {n.z:.3g}"


def _diverged(net, what: str, epoch: int, step: int) -> NumericError:
    culprit = first_non_finite(net) or largest(net)
    where = f"in epoch {epoch}, step {step}"
    return NumericError(f"{what} {where}" + (f": {culprit}" if culprit else "") +
                        "; the steps diverged (try a smaller --lr)")


def train(net, xs, ys, eta: float, epochs: int, eta_b: float | None = None,
          batch_size: int | None = None, shuffle: bool = False, seed: int = 0,
          reduction: str = "mean", on_epoch=None, on_step=None, observe=None) -> list[float]:
    """Plain SGD.  ``batch_size=None`` means the whole set is one batch.

    Returns the loss after each epoch (over the whole set, with the trained
    weights).  Raises :class:`NumericError` naming the epoch, the step and
    the first neuron holding a NaN/inf as soon as a step's loss stops being
    finite (or a number overflows).
    """
    rng = random.Random(seed)
    order = list(range(len(xs)))
    history = []
    step_no = 0
    for epoch in range(1, epochs + 1):
        if shuffle:
            rng.shuffle(order)
        for step_no, batch in enumerate(batches(len(xs), batch_size, order), 1):
            try:
                L_step = passes.step(net, [xs[i] for i in batch], [ys[i] for i in batch], eta, eta_b, reduction)
            except OverflowError:       # e.g. (a − y)**2 of a huge a: float ** raises, * gives inf
                raise _diverged(net, "a number overflowed", epoch, step_no) from None
            except NumericError as e:   # e.g. log(0): keep its place, add when it happened
                raise NumericError(f"{e.message} (epoch {epoch}, step {step_no})",
                                   source=e.source, where=e.where) from None
            # the loss of a step is computed before its update: a non-finite
            # value here means an earlier update left a NaN/inf behind
            if not math.isfinite(L_step):
                raise _diverged(net, f"loss became {L_step}", epoch, step_no)
            if on_step is not None:
                on_step(epoch, step_no, L_step)
        try:
            L = epoch_loss(net, xs, ys, reduction, observe)
        except OverflowError:
            raise _diverged(net, "a number overflowed after the last step", epoch, step_no) from None
        if not math.isfinite(L):
            raise _diverged(net, f"loss became {L} after the last step", epoch, step_no)
        history.append(L)
        if on_epoch is not None:
            on_epoch(epoch, L)
    return history
