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


#: A parameter beyond ±MAX_PARAM counts as diverged: its square (in ½(a − y)²,
#: in a w·a product of two such numbers) is past 1e200 and a step or two
#: from overflowing, and no trained network has weights anywhere near it.
MAX_PARAM = 1e100

#: An epoch loss more than GROWTH times the best so far (and more than twice
#: the first epoch's) counts as diverged: the loss "grew by orders of magnitude".
GROWTH = 10.0


def check_rise(before: float, history: list[float]) -> None:
    """Raise :class:`Diverged` when training ended with a higher loss than
    it started with.  A learning rate too large for the data need not blow
    up: it can oscillate — iris at η = 50 sits at chance with losses 13–57
    for ever, against 1.33 before the first step — and no epoch is ten
    times the one before.  Gradient descent that ends worse than it began
    has failed whatever the path, so the comparison is with the loss
    *before* training, not with the first epoch's."""
    if history and before == before and history[-1] > before:
        raise Diverged(f"diverged at epoch {len(history)}: loss rose from {before:.3g} (before "
                       f"training) to {history[-1]:.3g}; try a smaller --lr", epoch=len(history))


class Diverged(NumericError):
    """Training stopped because it diverged: the loss grew by orders of
    magnitude, or a number left the reals (NaN, ±inf) or ±MAX_PARAM.
    ``epoch`` and ``step`` say when; the message says where."""

    def __init__(self, message: str, *, source=None, where=None, epoch: int = 0, step: int = 0):
        self.epoch, self.step = epoch, step
        super().__init__(message, source=source, where=where)

    def located(self, source=None, where=None):
        return type(self)(self.message, source=source or self.source, where=where or self.where,
                          epoch=self.epoch, step=self.step)


def _diverged(net, what: str, epoch: int, step: int) -> Diverged:
    culprit = first_non_finite(net) or largest(net)
    return Diverged(f"diverged at epoch {epoch}, step {step}: {what}" + (f"; {culprit}" if culprit else "") +
                    "; try a smaller --lr", epoch=epoch, step=step)


def _params_ok(net, limit: float) -> bool:
    """Every weight and bias finite and within ±limit (NaN fails every
    comparison, so the range test catches it too)."""
    for layer in net.layers:
        for n in layer:
            for w in n.w:
                if not -limit <= w <= limit:
                    return False
            if not -limit <= n.b <= limit:
                return False
    return True


def first_bad_param(net, limit: float) -> str | None:
    """Name the first weight or bias (input to output) that is NaN, ±inf or
    beyond ±limit."""
    for l, layer in enumerate(net.layers):
        for j, n in enumerate(layer):
            name = f"{n.desc} (layer {l}, neuron {j})" if n.desc else f"layer {l}, neuron {j}"
            if not -limit <= n.b <= limit:
                return f"the bias b of neuron {name} is {n.b:.3g}"
            for k, w in enumerate(n.w):
                if not -limit <= w <= limit:
                    return (f"the weight from neuron {name} to neuron {k} of layer {l + 1} "
                            f"is {w:.3g}")
    return None


def train(net, xs, ys, eta: float, epochs: int, eta_b: float | None = None,
          batch_size: int | None = None, shuffle: bool = False, seed: int = 0,
          reduction: str = "mean", on_epoch=None, on_step=None, observe=None,
          max_param: float = MAX_PARAM, growth: float = GROWTH, rise: bool = True) -> list[float]:
    """Plain SGD.  ``batch_size=None`` means the whole set is one batch.

    Returns the loss after each epoch (over the whole set, with the trained
    weights).  Raises :class:`Diverged` — naming the epoch, the step and the
    first weight, bias or neuron that left the reals — as soon as a step's
    loss stops being finite, a number overflows, a weight or bias leaves
    ±``max_param`` (checked after every step), or an epoch's loss is more
    than ``growth`` times the best so far and twice the first (``growth=0``
    turns that test off) — or, at the end, when the
    last epoch's loss is above the loss before training (:func:`check_rise`;
    ``rise=False`` turns it off).  The net then holds the offending step's
    values.
    """
    rng = random.Random(seed)
    order = list(range(len(xs)))
    history = []
    step_no = 0
    best = first = None             # the growth test: against the first epoch's loss
    try:
        before = epoch_loss(net, xs, ys, reduction) if epochs and rise else float("nan")
    except (OverflowError, NumericError):   # the first step meets it again and says where
        before = float("nan")
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
            if not _params_ok(net, max_param):
                bad = first_bad_param(net, max_param)
                raise Diverged(f"diverged at epoch {epoch}, step {step_no}: {bad} after the update "
                               f"(beyond ±{max_param:g}); try a smaller --lr", epoch=epoch, step=step_no)
            if on_step is not None:
                on_step(epoch, step_no, L_step)
        try:
            L = epoch_loss(net, xs, ys, reduction, observe)
        except OverflowError:
            raise _diverged(net, "a number overflowed after the last step", epoch, step_no) from None
        if not math.isfinite(L):
            raise _diverged(net, f"loss became {L} after the last step", epoch, step_no)
        if first is None:
            first = L
        if growth and best is not None and L > growth * best and L > 2 * first:
            raise Diverged(f"diverged at epoch {epoch}: loss {best:.3g} → {L:.3g}; try a smaller --lr",
                           epoch=epoch, step=step_no)
        best = L if best is None else min(best, L)
        history.append(L)
        if on_epoch is not None:
            on_epoch(epoch, L)
    if rise:
        check_rise(before, history)
    return history
