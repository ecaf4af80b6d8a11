"""Spec files: a network as JSON or TOML (the same schema), loaded and saved
losslessly.

::

    {"name": "…", "loss": "half_sse",
     "layers": [
       {"size": 2},                                  # input; optional "activation", "biases"
       {"size": 4, "activation": "sigmoid",
        "weights": [[w00, w01, w02, w03], [w10, w11, w12, w13]],
        "biases": [0, 0, 0, 0]},                     # or false: no biases (b = 0, never trained)
       …],
     "init": {"seed": 0, "scheme": "xavier"}}

``weights[i][j]`` runs from neuron i of the previous layer to neuron j of this
layer — neuron i's outgoing list ``w``.  ``weights_to_from`` is the transpose
(rows = this layer's neurons), as 002 and 004 §3 write their matrices.
Every problem raises :class:`SpecError` naming the file and the place.

Limits (each a one-line error, never a traceback or a hang):

* **Parameter budget: 1,000,000** (:data:`DEFAULT_MAX_PARAMS`) — the
  network's weights plus one bias per neuron (Σ_l n_(l−1)·n_l + Σ_l n_l,
  the input layer's neurons included), checked layer by layer before
  anything is allocated.  Every neuron here is a Python object and every
  weight a Python float, so a million parameters is already ~100 MB and
  seconds per step; MNIST's 784-200-100-10 is 178,110.  Raise it with
  ``--max-params N`` on any command that reads a spec, or the environment
  variable ``NEURONET_MAX_PARAMS``.
* **Nesting depth: 100** (:data:`MAX_DEPTH`) lists/tables inside each other
  (a spec needs 5); deeper input that the parser itself cannot follow is
  refused when it is read.
* Every string (names, labels, keys) must be encodable as UTF-8: a lone
  surrogate such as ``"\ud800"`` (legal in JSON escapes) is refused at load,
  not when the spec is saved.
* Numbers must be finite floats: an integer beyond ±1.8·10^308 is refused
  as too large (an integer of more than 4,000 digits already parses as inf).
* Keys neuronet does not know are kept and written back on save; so that
  every spec can be saved as JSON *and* TOML, their values must be strings,
  finite numbers, booleans, lists or tables — not null, NaN or a TOML date.
* A spec is written only if every number in it is finite (:func:`dumps`
  raises :class:`NonFiniteError` naming the first place that is not).
"""
from __future__ import annotations

import json
import math
import os
import random
from pathlib import Path

from ..engine import activations as _activations
from ..engine import losses as _losses
from ..engine.finite import first_nonfinite
from ..errors import NonFiniteError, SpecError, place as _path
from .files import atomic_write as _atomic_write, file_name, parse_json, parse_toml, read_text
from .toml_writer import to_toml
from ..engine.network import Network
from ..engine.neuron import Neuron

LAYER_KEYS = {"size", "activation", "weights", "weights_to_from", "biases", "labels"}
INIT_SCHEMES = ("xavier", "he", "normal", "uniform")
DEFAULT_ACTIVATION = "sigmoid"   # for non-input layers without "activation"
#: the widest softmax layer: its δ is the full Jacobian sum, O(K²) a sample (engine/passes.py)
MAX_SOFTMAX = 1024
DEFAULT_MAX_PARAMS = 1_000_000   # see the module docstring
MAX_PARAMS_ENV = "NEURONET_MAX_PARAMS"
MAX_DEPTH = 100


# ---------------------------------------------------------------------------
# reading
# ---------------------------------------------------------------------------

def read(path: str | os.PathLike) -> dict:
    """Parse a JSON or TOML spec file (by extension: .toml is TOML)."""
    from .limits import check_spec
    name = file_name(path, SpecError, "a spec file")
    p = Path(name)
    text = read_text(path, SpecError, "a spec file")
    check_spec(text, SpecError, name)              # before a number is parsed
    if p.suffix.lower() == ".toml":
        return parse_toml(text, SpecError, name)
    # NaN/Infinity parse here and are rejected, with their place, by validate()
    return parse_json(text, SpecError, name)


def load(path: str | os.PathLike, max_params: int | None = None) -> Network:
    """Read, validate and build a network from a spec file."""
    return from_dict(read(path), source=str(path), max_params=max_params)


def _number(value, where: str, source: str | None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SpecError(f"must be a number, got {json.dumps(value) if _jsonable(value) else type(value).__name__}",
                        source=source, where=where)
    try:
        x = float(value)
    except OverflowError:
        raise SpecError(f"is too large: an integer of {len(str(abs(value)))} digits (a float holds at most "
                        "±1.8e308)", source=source, where=where) from None
    if not math.isfinite(x):
        raise SpecError(f"must be a finite number, got {value}", source=source, where=where)
    return x


def _choice(value, options, what: str, where: str, source: str | None) -> str:
    """``value`` if it names one of ``options`` (a dict or tuple of names)."""
    if not isinstance(value, str) or value not in options:
        shown = repr(value) if isinstance(value, (str, int, float, bool)) or value is None \
            else f"{type(value).__name__} {_short(value)}"
        raise SpecError(f"unknown {what} {shown} (one of {', '.join(options)})", source=source, where=where)
    return value


def _short(value) -> str:
    try:
        text = json.dumps(value, ensure_ascii=True)
    except (TypeError, ValueError, RecursionError):
        text = type(value).__name__
    return text if len(text) <= 40 else text[:37] + "..."


def _check_tree(spec, source: str | None) -> None:
    """One walk over the parsed spec (no recursion): nesting depth, strings
    that UTF-8 cannot encode, and — under keys neuronet keeps but does not
    read — values that JSON or TOML could not write back."""
    stack = [(spec, "", 0, False)]
    while stack:
        node, where, depth, kept = stack.pop()
        if depth > MAX_DEPTH:
            raise SpecError(f"is nested more than {MAX_DEPTH} deep", source=source, where=where or None)
        if isinstance(node, str):
            _check_string(node, where, source)
        elif isinstance(node, dict):
            for k, v in node.items():
                _check_string(k, where or "a key", source)
                if depth == 0 and k == "init" and v is None:      # validate()'s own "no init"
                    continue
                here = _path(where, k)
                stack.append((v, here, depth + 1, kept or (depth == 0 and k not in ("name", "loss", "layers"))))
        elif isinstance(node, list):
            if kept or depth < 3 or any(not isinstance(v, (int, float)) for v in node):
                stack.extend((v, f"{where}[{i}]", depth + 1, kept) for i, v in enumerate(node))
        elif kept:
            if node is None:
                raise SpecError("is null: a spec must be writable as TOML, which has no null; remove it",
                                source=source, where=where)
            if isinstance(node, float) and not math.isfinite(node):
                raise SpecError(f"must be a finite number, got {node}", source=source, where=where)
            if isinstance(node, int) and not isinstance(node, bool) and abs(node) >= 2 ** 63:
                raise SpecError("is too large an integer to write as TOML (more than 64 bits)",
                                source=source, where=where)
            if not isinstance(node, (bool, int, float)):
                raise SpecError(f"is a {type(node).__name__}: keys neuronet keeps must hold strings, numbers, "
                                "booleans, lists or tables", source=source, where=where)


def _check_string(text: str, where: str, source: str | None) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        raise SpecError(f"holds a lone surrogate (\\u{ord(text[e.start]):04x}) that UTF-8 cannot encode",
                        source=source, where=where or None) from None


def max_params_default() -> int:
    """``NEURONET_MAX_PARAMS`` if set, else :data:`DEFAULT_MAX_PARAMS`."""
    text = os.environ.get(MAX_PARAMS_ENV, "").strip()
    if not text:
        return DEFAULT_MAX_PARAMS
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n <= 0:
        raise SpecError(f"{MAX_PARAMS_ENV}={text!r} is not a positive whole number")
    return n


def _jsonable(v) -> bool:
    try:
        json.dumps(v)
        return True
    except (TypeError, ValueError):
        return False


def _vector(value, n: int, where: str, source: str | None) -> list[float]:
    if not isinstance(value, list):
        raise SpecError(f"must be a list of {n} numbers", source=source, where=where)
    if len(value) != n:
        raise SpecError(f"has {len(value)} entries, expected {n}", source=source, where=where)
    return [_number(v, f"{where}[{i}]", source) for i, v in enumerate(value)]


def _matrix(value, rows: int, cols: int, where: str, source: str | None) -> list[list[float]]:
    if not isinstance(value, list):
        raise SpecError(f"must be a list of {rows} rows", source=source, where=where)
    if len(value) != rows:
        raise SpecError(f"has {len(value)} rows, expected {rows}", source=source, where=where)
    return [_vector(row, cols, f"{where}[{r}]", source) for r, row in enumerate(value)]


def validate(spec, source: str | None = None, max_params: int | None = None) -> dict:
    """Check a parsed spec; return a normalised copy (floats, defaults filled).
    ``max_params`` is the parameter budget (default: :func:`max_params_default`)."""
    if not isinstance(spec, dict):
        raise SpecError("must be an object/table with a \"layers\" list", source=source)
    budget = max_params_default() if max_params is None else max_params
    if isinstance(spec.get("layers"), list) and len(spec["layers"]) > budget:     # each neuron has a bias
        raise SpecError(f"has {len(spec['layers']):,} layers: more neurons than the parameter budget of "
                        f"{budget:,} (raise it with --max-params N or {MAX_PARAMS_ENV})",
                        source=source, where="layers")
    _check_tree(spec, source)
    loss = _choice(spec.get("loss", "half_sse"), _losses.LOSSES, "loss", "loss", source)
    name = spec.get("name", "")
    if not isinstance(name, str):
        raise SpecError("must be a string", source=source, where="name")
    layers = spec.get("layers")
    if layers is None:
        raise SpecError("has no \"layers\" list", source=source)
    if not isinstance(layers, list):
        raise SpecError("must be a list of layers", source=source, where="layers")
    if len(layers) < 2:
        raise SpecError(f"has {len(layers)} layer{'s' if len(layers) != 1 else ''}, expected at least 2 "
                        "(an input and an output layer)", source=source, where="layers")
    init = spec.get("init")
    if init is not None:
        if not isinstance(init, dict):
            raise SpecError("must be a table like {\"seed\": 0, \"scheme\": \"xavier\"}", source=source, where="init")
        _choice(init.get("scheme", "xavier"), INIT_SCHEMES, "scheme", "init.scheme", source)
        seed = init.get("seed", 0)
        if isinstance(seed, bool) or not isinstance(seed, int):
            raise SpecError("must be an integer", source=source, where="init.seed")
    out_layers = []
    prev = None
    params = 0
    for l, layer in enumerate(layers):
        where = f"layers[{l}]"
        if not isinstance(layer, dict):
            raise SpecError("must be an object/table with a \"size\"", source=source, where=where)
        unknown = sorted(set(layer) - LAYER_KEYS)
        if unknown:
            raise SpecError(f"has unknown key {unknown[0]!r} (allowed: {', '.join(sorted(LAYER_KEYS))})",
                            source=source, where=where)
        size = layer.get("size")
        if size is None:
            raise SpecError("has no \"size\"", source=source, where=where)
        if isinstance(size, bool) or not isinstance(size, int):
            raise SpecError(f"must be a positive integer, got {size!r}", source=source, where=f"{where}.size")
        if size <= 0:
            raise SpecError(f"must be a positive integer, got {size}", source=source, where=f"{where}.size")
        params += size + (prev * size if prev else 0)
        if params > budget:
            raise SpecError(f"makes the network larger than the parameter budget: {params:,} weights and "
                            f"biases so far, the limit is {budget:,} (raise it with --max-params N or "
                            f"{MAX_PARAMS_ENV})", source=source, where=f"{where}.size")
        act = _choice(layer.get("activation", "identity" if l == 0 else DEFAULT_ACTIVATION),
                      _activations.ACTIVATIONS, "activation", f"{where}.activation", source)
        if act == "softmax" and size < 2:
            raise SpecError("softmax needs at least 2 neurons (on one neuron it is the constant 1)",
                            source=source, where=f"{where}.activation")
        if act == "softmax" and size > MAX_SOFTMAX:
            raise SpecError(f"softmax over {size:,} neurons: at most {MAX_SOFTMAX:,} (its δ sums every path "
                            f"through the Jacobian, K² terms a sample — 8,000 outputs take 13 s)",
                            source=source, where=f"{where}.size")
        norm = {"size": size, "activation": act}
        if "labels" in layer:
            labels = layer["labels"]
            if not isinstance(labels, list) or len(labels) != size or not all(isinstance(s, str) for s in labels):
                raise SpecError(f"must be a list of {size} strings", source=source, where=f"{where}.labels")
            norm["labels"] = list(labels)
        if layer.get("biases") is False:        # a layer without biases (002): b = 0, never trained
            norm["no_biases"] = True
        elif "biases" in layer:
            if layer["biases"] is True:
                raise SpecError(f"must be a list of {size} numbers, or false (the layer has no biases)",
                                source=source, where=f"{where}.biases")
            norm["biases"] = _vector(layer["biases"], size, f"{where}.biases", source)
        if l == 0:
            for key in ("weights", "weights_to_from"):
                if key in layer:
                    raise SpecError(f"the input layer has no incoming weights; remove \"{key}\"",
                                    source=source, where=where)
        else:
            if "weights" in layer and "weights_to_from" in layer:
                raise SpecError("gives both \"weights\" and \"weights_to_from\"; keep one", source=source, where=where)
            if "weights" in layer:
                norm["weights"] = _matrix(layer["weights"], prev, size, f"{where}.weights", source)
            elif "weights_to_from" in layer:
                m = _matrix(layer["weights_to_from"], size, prev, f"{where}.weights_to_from", source)
                norm["weights"] = [[m[j][i] for j in range(size)] for i in range(prev)]
                norm["layout"] = "to_from"
        out_layers.append(norm)
        prev = size
    extra = {k: v for k, v in spec.items() if k not in ("name", "loss", "layers", "init")}
    return {"name": name, "loss": loss, "layers": out_layers, "init": init, "extra": extra}


# ---------------------------------------------------------------------------
# building
# ---------------------------------------------------------------------------

def init_weights(n_in: int, n_out: int, scheme: str, rng: random.Random) -> list[list[float]]:
    """A [from][to] matrix: xavier = Glorot uniform ±√(6/(n_in+n_out)),
    he = N(0, 2/n_in), normal = N(0, 1) (004 §4.1.1's randn), uniform = U(−1, 1)."""
    if scheme == "xavier":
        r = math.sqrt(6.0 / (n_in + n_out))
        return [[rng.uniform(-r, r) for _ in range(n_out)] for _ in range(n_in)]
    if scheme == "he":
        s = math.sqrt(2.0 / n_in)
        return [[rng.gauss(0.0, s) for _ in range(n_out)] for _ in range(n_in)]
    if scheme == "normal":
        return [[rng.gauss(0.0, 1.0) for _ in range(n_out)] for _ in range(n_in)]
    return [[rng.uniform(-1.0, 1.0) for _ in range(n_out)] for _ in range(n_in)]


def from_dict(spec, source: str | None = None, max_params: int | None = None) -> Network:
    """Build a network of neuron records from a (parsed) spec."""
    norm = validate(spec, source, max_params)
    init = norm["init"] or {}
    rng = random.Random(init.get("seed", 0))
    scheme = init.get("scheme", "xavier")
    specs = norm["layers"]
    layers = []
    for l, ls in enumerate(specs):
        labels = ls.get("labels") or [""] * ls["size"]
        biases = ls.get("biases") or [0.0] * ls["size"]
        layers.append([Neuron(desc=labels[j], b=biases[j]) for j in range(ls["size"])])
    for l in range(1, len(specs)):
        weights = specs[l].get("weights")
        if weights is None:
            weights = init_weights(specs[l - 1]["size"], specs[l]["size"], scheme, rng)
        for i, neuron in enumerate(layers[l - 1]):
            neuron.w = list(weights[i])
            neuron.nabla_w = [0.0] * len(neuron.w)
    meta = {"layouts": [ls.get("layout", "from_to") for ls in specs],
            "labels": [("labels" in ls) for ls in specs],
            "init": norm["init"], "extra": norm["extra"]}
    return Network(layers=layers,
                   activations=[_activations.get(ls["activation"]) for ls in specs],
                   loss=_losses.get(norm["loss"]),
                   name=norm["name"],
                   input_bias="biases" in specs[0],
                   no_bias=frozenset(l for l, ls in enumerate(specs) if ls.get("no_biases")),
                   meta=meta)


def to_dict(net: Network) -> dict:
    """The spec of a network's current state (weights as they are now)."""
    layouts = net.meta.get("layouts") or ["from_to"] * len(net.layers)
    has_labels = net.meta.get("labels") or [False] * len(net.layers)
    out: dict = {}
    if net.name:
        out["name"] = net.name
    out["loss"] = net.loss.name
    layers = []
    for l, layer in enumerate(net.layers):
        d: dict = {"size": len(layer), "activation": net.activations[l].name}
        if has_labels[l] or any(n.desc for n in layer):
            d["labels"] = [n.desc for n in layer]
        if l > 0:
            w = net.weights(l)
            if layouts[l] == "to_from":
                d["weights_to_from"] = [[w[i][j] for i in range(len(w))] for j in range(len(layer))]
            else:
                d["weights"] = w
        if l in net.no_bias:
            d["biases"] = False
        elif l > 0 or net.input_bias:
            d["biases"] = [n.b for n in layer]
        layers.append(d)
    out["layers"] = layers
    if net.meta.get("init") is not None:
        out["init"] = dict(net.meta["init"])
    for k, v in (net.meta.get("extra") or {}).items():
        out[k] = v
    return out


# ---------------------------------------------------------------------------
# writing
# ---------------------------------------------------------------------------

def dumps(spec: dict, fmt: str) -> str:
    """The spec as JSON or TOML text; :class:`NonFiniteError` naming the
    first number that is inf or NaN (a spec file holds finite numbers only)."""
    bad = first_nonfinite(spec)
    if bad is not None:
        raise NonFiniteError(f"is not a finite number; the spec is not written", where=bad)
    if fmt == "toml":
        return to_toml(spec)
    return json.dumps(spec, indent=1, ensure_ascii=False, allow_nan=False) + "\n"


def save(net_or_spec, path: str | os.PathLike) -> None:
    """Write a spec atomically: a temp file in the same folder, then rename,
    so a failed run never leaves a half-written or clobbered file."""
    spec = to_dict(net_or_spec) if isinstance(net_or_spec, Network) else net_or_spec
    fmt = "toml" if str(path).lower().endswith(".toml") else "json"
    text = dumps(spec, fmt)
    atomic_write(path, text)


def atomic_write(path: str | os.PathLike, text: str) -> None:
    """Write ``text`` to ``path`` atomically (see :func:`neuronet.io.files.atomic_write`:
    regular files only, symlinks followed, mode kept, one-line errors)."""
    _atomic_write(path, text)
