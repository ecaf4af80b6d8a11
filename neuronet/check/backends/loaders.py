"""User backends: ``module:pkg.mod:function`` and ``file:grads.json``.

* ``module:pkg.mod:function`` imports ``pkg.mod`` (the current directory is
  searched first, so ``module:mybackend:grads`` finds ./mybackend.py) and
  calls ``function(spec, inputs, targets, reduction)`` → the contract dict.
* ``file:grads.json`` is for any language: an external program read the same
  spec and batch and wrote the contract JSON; the harness only reads it.
"""
from __future__ import annotations

import importlib
import json
import os
import sys

from ...io.files import read_text
from .contract import BackendError


def module_backend(ref: str):
    """``pkg.mod:function`` → the function."""
    mod_name, sep, fn_name = ref.rpartition(":")
    if not sep or not mod_name or not fn_name:
        raise BackendError(f"must read module:pkg.mod:function, got module:{ref}", source="--backend")
    cwd = os.getcwd()
    added = cwd not in sys.path
    if added:
        sys.path.insert(0, cwd)
    try:
        module = importlib.import_module(mod_name)
    except ImportError as e:
        raise BackendError(f"module {mod_name!r} cannot be imported ({e})", source="--backend") from None
    except Exception as e:    # the user's module raised while importing
        raise BackendError(f"module {mod_name!r} raised {type(e).__name__} on import: {e}",
                           source="--backend") from None
    finally:
        if added:
            sys.path.remove(cwd)
    fn = getattr(module, fn_name, None)
    if not callable(fn):
        raise BackendError(f"module {mod_name!r} has no function {fn_name!r}", source="--backend")
    return fn


def read_grads(path: str) -> dict:
    """Parse a grads JSON file; errors name the file and the line."""
    text = read_text(path, BackendError, "a grads JSON file")
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise BackendError(f"is not valid JSON: {e.msg} at line {e.lineno} column {e.colno}", source=path) from None


def file_backend(path: str):
    """A backend that answers with what ``path`` holds, whatever it is asked."""
    def answer(spec, xs, ys, reduction):
        return read_grads(path)
    answer.source = path
    return answer
