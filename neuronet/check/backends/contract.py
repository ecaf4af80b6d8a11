"""The JSON contract every backend answers with — the shape
``neuronet grads --format json`` prints::

    {"loss": L,                                   # batch loss (mean or sum)
     "outputs": [[a_k for each output k] for each sample],
     "gradients": [{"weights": [[∂L/∂w_ij]],     # layer 1, 2, …: rows i = layer l − 1
                    "biases": [∂L/∂b_j]}, …],     #                columns j = layer l
     "input_biases": [∂L/∂b_i],                   # only when the input layer has biases
     "layout": "from_to",                         # optional; "to_from" = rows j, columns i
     "z": [...], "activations": [...], "deltas": [...]}   # optional, see below

The optional per-layer fields let the harness locate a *forward* bug: each
holds one entry per layer — ``[layer][sample][neuron]`` — either for every
layer (layer 0, the input layer, first) or for the non-input layers only
(layer 1 first); an entry may be ``None`` for a layer the backend does not
report.  ``z`` is the weighted input z_j, ``activations`` a_j = f(z_j),
``deltas`` δ_j = ∂L_s/∂z_j of sample s's *own* loss (not divided by the
batch size, whatever the reduction).

Numbers may come as anything array-like: nested lists and tuples, numpy
arrays and scalars, torch tensors — whatever has ``tolist()`` or the
sequence protocol.  :func:`plain` turns them into lists of floats without
importing numpy or torch.

:func:`check` reads such a dict, names the first place that does not fit
the spec (``grads.json: gradients[1].weights has shape (3, 4), expected
(4, 3)``), transposes "to_from" matrices to the spec's [from][to] layout and
returns plain floats.  NaN and ±inf are accepted as numbers (they then
disagree with the reference); anything else that is not a number is an error.
"""
from __future__ import annotations

import numbers

from ...errors import NeuronetError

LAYOUTS = ("from_to", "to_from")
PER_LAYER = ("z", "activations", "deltas")     # the optional per-layer fields, in pass order


class BackendError(NeuronetError):
    """A backend that cannot be loaded or answers in the wrong shape."""


class BackendLoadError(BackendError):
    """A ``module:`` backend that cannot be imported: bad input for every case."""


class Opaque:
    """A value a child-process backend answered with that JSON cannot carry;
    it keeps the ``repr`` for the error message."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def plain(v, _depth: int = 0):
    """Array-likes → nested lists of Python numbers, recursively (dicts keep
    their keys).  Anything with ``tolist()`` (numpy arrays and scalars, torch
    tensors) is asked for it; other sequences are walked; numbers.Real
    becomes float.  Everything else is returned as it is, for :func:`check`
    to name."""
    if _depth > 12 or v is None or isinstance(v, (str, bytes, bool, int, float, Opaque)):
        return v
    if isinstance(v, dict):
        return {k: plain(x, _depth + 1) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [plain(x, _depth + 1) for x in v]
    tolist = getattr(v, "tolist", None)
    if callable(tolist):
        try:
            return plain(tolist(), _depth + 1)
        except Exception:
            return v
    if isinstance(v, numbers.Real):
        return float(v)
    if hasattr(v, "__len__") and hasattr(v, "__getitem__") and not hasattr(v, "keys"):
        try:
            return [plain(x, _depth + 1) for x in v]
        except Exception:
            return v
    return v


def shape(v) -> tuple | None:
    """The shape of a (plain) nested list; None when ragged or not a list."""
    if not isinstance(v, list):
        return ()
    subs = {shape(x) for x in v}
    if len(subs) > 1 or None in subs:
        return None
    return (len(v),) + (subs.pop() if subs else ())


def _shown(s: tuple | None) -> str:
    if s is None:
        return "a ragged shape"
    return "shape (" + ", ".join(map(str, s)) + ("," if len(s) == 1 else "") + ")"


def _num(v, where: str, source) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        shown = repr(v)[:80] if not isinstance(v, (list, dict)) else type(v).__name__
        raise BackendError(f"must be a number, got {shown}", source=source, where=where)
    try:
        return float(v)
    except OverflowError:          # an int past 1.8e308 (10**400): no float holds it
        raise BackendError(f"must be a number a float can hold, got an integer of {v.bit_length()} bits "
                           f"(about 10^{int(v.bit_length() * 0.30103)})", source=source, where=where) from None


#: what a child-process backend may send, and the type of each field
_MESSAGES = {"ready": {"ready": bool}, "import_error": {"import_error": str},
             "result": {"result": object}, "declined": {"declined": str},
             "error": {"error": str, "frames": list},
             "bad": {"bad": str}}       # a torch: module that cannot answer the spec (exit 2)


def check_message(msg, phase: str = "the call") -> dict:
    """One message of the child-process protocol (:mod:`.child`), every field
    checked: a dict holding exactly one of the kinds above, each field of the
    right type (``frames`` a list of strings).  Anything else — a backend
    writing to the answer pipe itself, ``{"error": "x", "frames": 7}`` — is a
    dead backend (:class:`~.compare.BackendDied`), never a TypeError."""
    from .compare import BackendDied
    kind = next((k for k in _MESSAGES if isinstance(msg, dict) and k in msg), None)
    if kind is None or set(msg) - set(_MESSAGES[kind]) - ({"frames"} if kind == "error" else set()):
        raise BackendDied(f"the backend's process sent a message that is not part of the protocol "
                          f"during {phase}: {str(msg)[:80]}")
    for field, typ in _MESSAGES[kind].items():
        if field == "frames" and field not in msg:
            msg = dict(msg, frames=[])
            continue
        value = msg.get(field)
        if not isinstance(value, typ) or (field == "frames" and not all(isinstance(f, str) for f in value)):
            raise BackendDied(f"the backend's process sent a {kind!r} message whose {field!r} is "
                              f"{type(value).__name__}, not {'a list of strings' if field == 'frames' else typ.__name__}"
                              f" (during {phase})")
    return msg


def _vector(v, n: int, where: str, source) -> list[float]:
    if not isinstance(v, list):
        raise BackendError(f"must be a list of {n} numbers, got {type(v).__name__}", source=source, where=where)
    s = shape(v)
    if s is not None and len(s) > 1:
        raise BackendError(f"has {_shown(s)}, expected ({n},)", source=source, where=where)
    if len(v) != n:
        raise BackendError(f"has {len(v)} entries, expected {n}", source=source, where=where)
    return [_num(x, f"{where}[{k}]", source) for k, x in enumerate(v)]


def _matrix(v, rows: int, cols: int, where: str, source, hint: str = "") -> list[list[float]]:
    if not isinstance(v, list):
        raise BackendError(f"must be a list of {rows} rows of {cols} numbers{hint}, got {type(v).__name__}",
                           source=source, where=where)
    s = shape(v)
    if s is not None and s != (rows, cols) and not (s == (0,) and rows == 0):
        raise BackendError(f"has {_shown(s)}, expected ({rows}, {cols}){hint}", source=source, where=where)
    if len(v) != rows:
        raise BackendError(f"has {len(v)} rows, expected {rows}{hint}", source=source, where=where)
    return [_vector(r, cols, f"{where}[{i}]", source) for i, r in enumerate(v)]


def _per_layer(v, key: str, sizes: list[int], n_samples: int, source) -> dict[int, list[list[float]]]:
    """One of the optional per-layer fields → {layer: [sample][neuron]}."""
    if not isinstance(v, list) or len(v) not in (len(sizes), len(sizes) - 1):
        got = f"{len(v)} entries" if isinstance(v, list) else type(v).__name__
        raise BackendError(f"must hold one entry per layer ({len(sizes)}, input layer first) or per "
                           f"non-input layer ({len(sizes) - 1}), got {got}", source=source, where=key)
    first = len(sizes) - len(v)
    out = {}
    for k, entry in enumerate(v):
        l = first + k
        if entry is None:
            continue
        n = sizes[l]
        hint = f" (layer {l}: one row per sample, {n} neuron{'s' if n != 1 else ''} each)"
        if shape(entry) == (n, n_samples) and n != n_samples:
            hint += "; it looks transposed — give [sample][neuron]"
        out[l] = _matrix(entry, n_samples, n, f"{key}[{k}]", source, hint)
    return out


def check(result, sizes: list[int], n_samples: int, input_bias: bool, source: str | None = None) -> dict:
    """Validate a backend's answer against the spec's shape; return it with
    every weight matrix in [from][to] layout ("layout" says what was declared).  The
    optional per-layer fields come back as {layer: [sample][neuron]}."""
    result = plain(result)
    if not isinstance(result, dict):
        raise BackendError("must be a JSON object {\"loss\", \"outputs\", \"gradients\"}", source=source)
    for key in ("loss", "outputs", "gradients"):
        if key not in result:
            raise BackendError(f"has no \"{key}\"", source=source)
    layout = result.get("layout", "from_to")
    if layout not in LAYOUTS:
        raise BackendError(f"must be \"from_to\" or \"to_from\", got {layout!r}", source=source, where="layout")
    loss = result["loss"]
    if isinstance(loss, list) and shape(loss) in ((1,), (1, 1)):    # a 1-element array
        loss = loss[0] if shape(loss) == (1,) else loss[0][0]
    out = {"loss": _num(loss, "loss", source)}
    outs = result["outputs"]
    K = sizes[-1]
    hint = f" (one row per sample, {K} output{'s' if K != 1 else ''} each)"
    if isinstance(outs, list) and shape(outs) == (K, n_samples) and K != n_samples:
        hint += "; it looks transposed — give [sample][output]"
    out["outputs"] = _matrix(outs, n_samples, K, "outputs", source, hint)
    grads = result["gradients"]
    if not isinstance(grads, list) or len(grads) != len(sizes) - 1:
        raise BackendError(f"must hold one entry per non-input layer ({len(sizes) - 1})",
                           source=source, where="gradients")
    out_grads = []
    for g, entry in enumerate(grads):
        l = g + 1
        where = f"gradients[{g}]"
        if not isinstance(entry, dict) or "weights" not in entry or "biases" not in entry:
            raise BackendError("must be an object {\"weights\", \"biases\"}", source=source, where=where)
        n_from, n_to = sizes[l - 1], sizes[l]
        if layout == "to_from":
            m = _matrix(entry["weights"], n_to, n_from, f"{where}.weights", source,
                        f" (layer {l}, \"to_from\": rows = layer {l}, columns = layer {l - 1})")
            w = [[m[j][i] for j in range(n_to)] for i in range(n_from)]
        else:
            hint = f" (layer {l}: rows = layer {l - 1}, columns = layer {l})"
            if n_from != n_to and shape(entry["weights"]) == (n_to, n_from):
                hint += "; it looks transposed — declare \"layout\": \"to_from\" if rows are destinations"
            w = _matrix(entry["weights"], n_from, n_to, f"{where}.weights", source, hint)
        b = entry["biases"]
        if isinstance(b, list) and shape(b) in ((n_to, 1), (1, n_to)):     # a column or row vector
            b = [x for row in b for x in row]
        b = _vector(b, n_to, f"{where}.biases", source)
        out_grads.append({"weights": w, "biases": b})
    out["gradients"] = out_grads
    out["layout"] = layout            # as declared: the matrices above are [from][to] whatever it was
    if input_bias:
        if "input_biases" not in result:
            raise BackendError("has no \"input_biases\", but the input layer's biases are trainable", source=source)
        out["input_biases"] = _vector(result["input_biases"], sizes[0], "input_biases", source)
    elif "input_biases" in result:
        raise BackendError("is given, but the input layer has no biases", source=source, where="input_biases")
    for key in PER_LAYER:
        if result.get(key) is not None:
            out[key] = _per_layer(result[key], key, sizes, n_samples, source)
    return out
