"""Argument checks for the public pass functions: a wrong call gets the
project's own error with one clear message, never a silent truncation (zip)
or a ZeroDivisionError.  Each check is O(length of the vector) at C speed
(``map(isfinite, …)``), far below the cost of the pass it guards.
"""
from __future__ import annotations

from math import isfinite

from ..errors import DataError


def vector(v, size: int, what: str) -> None:
    """``v`` holds ``size`` finite real numbers."""
    try:
        n = len(v)
        ok = all(map(isfinite, v))
    except TypeError:
        raise DataError(f"{what} must be a list of numbers, not {_show(v)}") from None
    if n != size:
        raise DataError(f"{what} has {n} number{'s' * (n != 1)}; the network's layer has {size}")
    if not ok:
        raise DataError(f"{what} holds a non-finite number: {_show(v)}")


def rate(eta, name: str) -> None:
    """A learning rate: a finite real number."""
    try:
        if isfinite(eta):
            return
    except TypeError:
        pass
    raise DataError(f"{name} must be a finite number, not {eta!r}")


def batch(xs, ys) -> int:
    """A non-empty batch with one target per input; returns its size N."""
    try:
        n, m = len(xs), len(ys)
    except TypeError:
        raise DataError("inputs and targets must be lists of vectors") from None
    if n == 0:
        raise DataError("the batch is empty: give at least one sample")
    if n != m:
        raise DataError(f"{n} inputs but {m} targets: one target per input")
    return n


def _show(v) -> str:
    text = repr(v)
    return text if len(text) <= 60 else text[:57] + "…"
