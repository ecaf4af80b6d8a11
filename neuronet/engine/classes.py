"""Classification accuracy: the one rule for "is this output the right class?".

A network classifies when its targets are one-hot (K ≥ 2 outputs: one 1, the
rest 0) or 0/1 (one output).  An output ``a`` is right for target ``y`` when its
largest entry is where ``y`` has its 1 (the first of equal largest entries, as
argmax does), or, for one output, when ``a`` and ``y`` lie on the same side of
0.5.  ``neuronet train`` (its accuracy line and live view) and the classifying
walkthroughs (xor, iris, digits) all count with :func:`correct`.
"""
from __future__ import annotations

from . import passes


def is_classification(ys) -> bool:
    """One-hot targets (K ≥ 2: one 1, the rest 0) or 0/1 targets (K = 1)."""
    if not ys:
        return False
    if len(ys[0]) == 1:
        return all(y[0] in (0.0, 1.0) for y in ys)
    return all(sorted(y) == [0.0] * (len(y) - 1) + [1.0] for y in ys)


def argmax(v) -> int:
    """The index of the largest entry (the first of equals)."""
    best = 0
    for k in range(1, len(v)):
        if v[k] > v[best]:
            best = k
    return best


def correct(a, y) -> bool:
    """Is output ``a`` the class of target ``y``?"""
    if len(y) == 1:
        return (a[0] >= 0.5) == (y[0] >= 0.5)
    return argmax(a) == argmax(y)


def accuracy(net, xs, ys) -> float:
    """The share of samples whose forward pass gives the target's class."""
    right = 0
    for x, y in zip(xs, ys):
        right += correct(passes.forward(net, x), y)
    return right / len(xs)


class Accuracy:
    """Counts right classes during the end-of-epoch evaluation: train.py's
    ``observe(net)`` runs after each sample's forward pass, in sample order,
    so the k-th call is sample k (nothing is recomputed)."""

    def __init__(self, ys) -> None:
        self.ys = ys
        self.k = self.right = 0
        self.last: float | None = None

    def observe(self, net) -> None:
        a = [n.a for n in net.layers[-1]]
        self.right += correct(a, self.ys[self.k % len(self.ys)])
        self.k += 1

    def take(self) -> float | None:
        if self.k:
            self.last = self.right / self.k
        self.k = self.right = 0
        return self.last
