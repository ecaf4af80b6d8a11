"""The JSON contract every backend answers with — the shape
``neuronet grads --format json`` prints::

    {"loss": L,                                   # batch loss (mean or sum)
     "outputs": [[a_k for each output k] for each sample],
     "gradients": [{"weights": [[∂L/∂w_ij]],     # layer 1, 2, …: rows i = layer l − 1
                    "biases": [∂L/∂b_j]}, …],     #                columns j = layer l
     "input_biases": [∂L/∂b_i],                   # only when the input layer has biases
     "layout": "from_to"}                         # optional; "to_from" = rows j, columns i

:func:`check` reads such a dict, names the first place that does not fit
the spec (``grads.json: gradients[1].weights[2] has 3 entries, expected
4``), transposes "to_from" matrices to the spec's [from][to] layout and
returns plain floats.  NaN and ±inf are accepted as numbers (they then
disagree with the reference); anything else that is not a number is an error.
"""
from __future__ import annotations

from ...errors import NeuronetError

LAYOUTS = ("from_to", "to_from")


class BackendError(NeuronetError):
    """A backend that cannot be loaded or answers in the wrong shape."""


def _num(v, where: str, source) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        shown = repr(v) if not isinstance(v, (list, dict)) else type(v).__name__
        raise BackendError(f"must be a number, got {shown}", source=source, where=where)
    return float(v)


def _vector(v, n: int, where: str, source) -> list[float]:
    if not isinstance(v, (list, tuple)):
        raise BackendError(f"must be a list of {n} numbers", source=source, where=where)
    if len(v) != n:
        raise BackendError(f"has {len(v)} entries, expected {n}", source=source, where=where)
    return [_num(x, f"{where}[{k}]", source) for k, x in enumerate(v)]


def _matrix(v, rows: int, cols: int, where: str, source, hint: str = "") -> list[list[float]]:
    if not isinstance(v, (list, tuple)):
        raise BackendError(f"must be a list of {rows} rows of {cols} numbers{hint}", source=source, where=where)
    if len(v) != rows:
        raise BackendError(f"has {len(v)} rows, expected {rows}{hint}", source=source, where=where)
    return [_vector(r, cols, f"{where}[{i}]", source) for i, r in enumerate(v)]


def check(result, sizes: list[int], n_samples: int, input_bias: bool, source: str | None = None) -> dict:
    """Validate a backend's answer against the spec's shape; return it with
    every weight matrix in [from][to] layout (and no "layout" key)."""
    if not isinstance(result, dict):
        raise BackendError("must be a JSON object {\"loss\", \"outputs\", \"gradients\"}", source=source)
    for key in ("loss", "outputs", "gradients"):
        if key not in result:
            raise BackendError(f"has no \"{key}\"", source=source)
    layout = result.get("layout", "from_to")
    if layout not in LAYOUTS:
        raise BackendError(f"must be \"from_to\" or \"to_from\", got {layout!r}", source=source, where="layout")
    out = {"loss": _num(result["loss"], "loss", source)}
    outs = result["outputs"]
    if not isinstance(outs, list) or len(outs) != n_samples:
        raise BackendError(f"must hold one output vector per sample ({n_samples})", source=source, where="outputs")
    out["outputs"] = [_vector(o, sizes[-1], f"outputs[{s}]", source) for s, o in enumerate(outs)]
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
            if n_from != n_to and isinstance(entry["weights"], list) and len(entry["weights"]) == n_to \
                    and all(isinstance(r, list) and len(r) == n_from for r in entry["weights"]):
                hint += "; it looks transposed — declare \"layout\": \"to_from\" if rows are destinations"
            w = _matrix(entry["weights"], n_from, n_to, f"{where}.weights", source, hint)
        b = _vector(entry["biases"], n_to, f"{where}.biases", source)
        out_grads.append({"weights": w, "biases": b})
    out["gradients"] = out_grads
    if input_bias:
        if "input_biases" not in result:
            raise BackendError("has no \"input_biases\", but the input layer's biases are trainable", source=source)
        out["input_biases"] = _vector(result["input_biases"], sizes[0], "input_biases", source)
    elif "input_biases" in result:
        raise BackendError("is given, but the input layer has no biases", source=source, where="input_biases")
    return out

