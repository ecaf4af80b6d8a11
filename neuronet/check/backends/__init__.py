"""Backends: other implementations of backprop, checked against the
per-neuron reference by ``neuronet verify``.

The protocol is one function::

    backend(spec: dict, inputs: list[list[float]], targets: list[list[float]],
            reduction: "mean" | "sum") -> dict

``spec`` is the canonical spec (:func:`params.canonical`: every layer has
"size" and "activation", every non-input layer "weights" in [from][to]
layout and "biases"; the input layer "biases" when trainable; "loss").  The
answer is the JSON that ``neuronet grads --format json`` prints — see
:mod:`.contract`, which also accepts ``"layout": "to_from"`` for backends
that keep W·a matrices.

:func:`resolve` turns a ``--backend`` name into a :class:`Backend`:
``matrix`` (numpy, :mod:`.matrix`; ``matrix:float32`` and ``matrix:bfloat16``
compute in those types), ``torch`` (:mod:`.torch_backend`),
``module:pkg.mod:function`` and ``file:grads.json`` (:mod:`.loaders`), and
``torch:pkg.mod:factory`` (:mod:`.torch_capture`: an ``nn.Module``, or a
factory ``f(spec) -> nn.Module``, driven by neuronet — no adapter).
``module:`` and ``torch:`` backends import and run arbitrary code (the
current directory first on ``sys.path``); they run in a child process with a
timeout (:class:`.loaders.ChildBackend`) unless ``isolate=False``.
Nothing heavy is imported until a backend is asked for: numpy and torch
stay optional.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Callable

from .contract import BackendError

BUILTIN = ("matrix", "torch")
NAMES = "matrix, matrix:float32, matrix:bfloat16, torch, module:pkg.mod:function, torch:pkg.mod:factory, file:grads.json"


@dataclass(frozen=True)
class Backend:
    name: str
    fn: Callable            # fn(spec, xs, ys, reduction) -> contract dict
    source: str | None = None   # the file or module named in error messages
    replayable: bool = True     # answers any spec (False for file:, which answers one case)

    def __call__(self, spec, xs, ys, reduction):
        return self.fn(spec, xs, ys, reduction)

    def close(self) -> None:
        """End a child process, if the backend runs in one."""
        close = getattr(self.fn, "close", None)
        if close is not None:
            close()


def resolve(name: str, convention: str = "column", timeout: float | None = None, isolate: bool = True) -> Backend:
    """A ``--backend`` value → a :class:`Backend`; raises :class:`BackendError`.
    ``module:`` backends run in a child process answering within ``timeout``
    seconds per call (``isolate=False``: imported here, no timeout)."""
    if name == "matrix" or name in ("matrix:float32", "matrix:bfloat16", "matrix:float64"):
        try:
            from . import matrix
        except ImportError:
            raise BackendError("needs numpy: pip install 'neuronet[matrix]'", source=f"--backend {name}") from None
        dtype = name.partition(":")[2] or "float64"
        label = f"matrix ({convention})" if dtype == "float64" else f"matrix {dtype} ({convention})"
        return Backend(label, functools.partial(_matrix_call, matrix.gradients, convention, dtype))
    if name.startswith("matrix:"):
        raise BackendError(f"unknown matrix number type {name[7:]!r} (matrix:float32 or matrix:bfloat16)",
                           source="--backend")
    if name == "torch":
        from . import torch_backend
        if not torch_backend.available():
            raise BackendError("needs PyTorch, which is not installed (pip install torch)", source="--backend torch")
        return Backend("torch", torch_backend.gradients)
    if name.startswith("module:"):
        from .loaders import DEFAULT_TIMEOUT, ChildBackend, module_backend
        ref = name[len("module:"):]
        if not isolate:
            return Backend(name, module_backend(ref), source=ref)
        return Backend(name, ChildBackend(ref, DEFAULT_TIMEOUT if timeout is None else timeout), source=ref)
    if name.startswith("torch:"):
        from .loaders import DEFAULT_TIMEOUT, ChildBackend, _split
        ref = name[len("torch:"):]
        _split(ref, "torch")
        from . import torch_backend
        if not torch_backend.available():
            raise BackendError("needs PyTorch, which is not installed (pip install torch)", source=f"--backend {name}")
        if not isolate:
            from .torch_capture import from_ref
            return Backend(name, from_ref(ref), source=name)
        return Backend(name, ChildBackend(name, DEFAULT_TIMEOUT if timeout is None else timeout), source=name)
    if name.startswith("file:"):
        from .loaders import file_backend
        path = name[len("file:"):]
        if not path:
            raise BackendError("must read file:PATH", source="--backend")
        return Backend(name, file_backend(path), source=path, replayable=False)
    raise BackendError(f"unknown backend {name!r} (one of {NAMES})", source="--backend")


def _matrix_call(gradients, convention, dtype, spec, xs, ys, reduction):
    return gradients(spec, xs, ys, reduction, convention, dtype)


__all__ = ["Backend", "BackendError", "resolve", "BUILTIN", "NAMES"]
