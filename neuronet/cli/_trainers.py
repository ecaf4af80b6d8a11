"""The trainers ``neuronet train --backend`` chooses from: one class each,
registered in :data:`TRAINERS` (the option's choices and help come from here).

A trainer runs the epochs and answers a :class:`Trained`: what to write
(``saved``), the loss of each epoch, and the trained network for a final
accuracy.  ``diagnostics`` says whether it reports each sample's neurons as
it goes (the per-epoch accuracy, the live view's dead ReLUs and saturated
sigmoids); a trainer that reports epochs only does not.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

from ..engine import train
from ..io import spec


@dataclass
class Trained:
    saved: object                   # what spec.save writes: a Network, or a spec dict
    history: list[float]            # the loss after each epoch
    network: Callable               # () -> the trained Network (built only when asked for)


class Trainer:
    name = ""
    help = ""
    diagnostics = True

    def train(self, args, net, xs, ys, on_epoch, on_step=None, observe=None) -> Trained:
        raise NotImplementedError


class NeuronTrainer(Trainer):
    """004's per-neuron passes, in place on ``net`` (engine/train.py)."""
    name = "neuron"
    help = "the per-neuron passes (default)"

    def train(self, args, net, xs, ys, on_epoch, on_step=None, observe=None) -> Trained:
        history = train.train(net, xs, ys, args.lr, args.epochs, eta_b=args.lr_bias,
                              batch_size=args.batch_size, shuffle=args.shuffle, seed=args.seed,
                              reduction=args.reduction, on_epoch=on_epoch, on_step=on_step,
                              observe=observe, max_param=args.max_param)
        return Trained(net, history, lambda: net)


class MatrixTrainer(Trainer):
    """The same batches, order and updates on numpy matrices (check/backends/matrix.py),
    for real-size data.  It reports epochs only."""
    name = "matrix"
    help = "the same SGD on numpy matrices for real-size data (needs neuronet[matrix])"
    diagnostics = False

    def train(self, args, net, xs, ys, on_epoch, on_step=None, observe=None) -> Trained:
        try:
            from ..check.backends import matrix
        except ImportError:
            from ..check.backends import BackendError
            raise BackendError("needs numpy: pip install 'neuronet[matrix]'", source="--backend matrix") from None
        before = train.epoch_loss(net, xs, ys, args.reduction) if args.epochs else float("nan")
        trained, history = matrix.train(spec.to_dict(net), xs, ys, args.lr, args.epochs, eta_b=args.lr_bias,
                                        batch_size=args.batch_size, reduction=args.reduction,
                                        shuffle=args.shuffle, seed=args.seed, on_epoch=on_epoch)
        bad = first_nonfinite(trained)
        if bad or not all(math.isfinite(L) for L in history):
            raise train.Diverged(f"diverged: {bad or 'a loss became non-finite'}; try a smaller --lr")
        train.check_rise(before, history)
        return Trained(trained, history, lambda: spec.from_dict(trained))


def first_nonfinite(d, where="spec"):
    """The first non-finite number in a spec dict (the matrix trainer's
    result), as 'spec.layers[1].weights[0][1] = inf'; None if all are finite."""
    if isinstance(d, float):
        return None if math.isfinite(d) else f"{where} = {d}"
    if isinstance(d, dict):
        items = d.items()
    elif isinstance(d, list):
        items = enumerate(d)
    else:
        return None
    for k, v in items:
        bad = first_nonfinite(v, f"{where}[{k}]" if isinstance(k, int) else f"{where}.{k}")
        if bad:
            return bad
    return None


#: --backend name → trainer, in the order the help lists them
TRAINERS: dict[str, Trainer] = {t.name: t for t in (NeuronTrainer(), MatrixTrainer())}
