"""Spec files: a network as JSON or TOML (the same schema), loaded and saved
losslessly.

::

    {"name": "…", "loss": "half_sse",
     "layers": [
       {"size": 2},                                  # input; optional "activation", "biases"
       {"size": 4, "activation": "sigmoid",
        "weights": [[w00, w01, w02, w03], [w10, w11, w12, w13]],
        "biases": [0, 0, 0, 0]},
       …],
     "init": {"seed": 0, "scheme": "xavier"}}

``weights[i][j]`` runs from neuron i of the previous layer to neuron j of this
layer — neuron i's outgoing list ``w``.  ``weights_to_from`` is the transpose
(rows = this layer's neurons), as 002 and 004 §3 write their matrices.
Every problem raises :class:`SpecError` naming the file and the place.
"""
from __future__ import annotations

import json
import math
import os
import random
import tempfile
import tomllib
from pathlib import Path

from ..engine import activations as _activations
from ..engine import losses as _losses
from ..errors import SpecError
from .files import read_text
from ..engine.network import Network
from ..engine.neuron import Neuron

LAYER_KEYS = {"size", "activation", "weights", "weights_to_from", "biases", "labels"}
INIT_SCHEMES = ("xavier", "he", "normal", "uniform")
DEFAULT_ACTIVATION = "sigmoid"   # for non-input layers without "activation"


# ---------------------------------------------------------------------------
# reading
# ---------------------------------------------------------------------------

def read(path: str | os.PathLike) -> dict:
    """Parse a JSON or TOML spec file (by extension: .toml is TOML)."""
    p = Path(path)
    name = str(path)
    text = read_text(p, SpecError, "a spec file")
    if p.suffix.lower() == ".toml":
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            raise SpecError(f"is not valid TOML: {e}", source=name) from None
    try:
        # NaN/Infinity parse here and are rejected, with their place, by validate()
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise SpecError(f"is not valid JSON: {e.msg} at line {e.lineno} column {e.colno}", source=name) from None
    except ValueError as e:
        raise SpecError(f"is not valid JSON: {e}", source=name) from None
    return data


def load(path: str | os.PathLike) -> Network:
    """Read, validate and build a network from a spec file."""
    return from_dict(read(path), source=str(path))


def _number(value, where: str, source: str | None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SpecError(f"must be a number, got {json.dumps(value) if _jsonable(value) else type(value).__name__}",
                        source=source, where=where)
    x = float(value)
    if not math.isfinite(x):
        raise SpecError(f"must be a finite number, got {value}", source=source, where=where)
    return x


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


def validate(spec, source: str | None = None) -> dict:
    """Check a parsed spec; return a normalised copy (floats, defaults filled)."""
    if not isinstance(spec, dict):
        raise SpecError("must be an object/table with a \"layers\" list", source=source)
    loss = spec.get("loss", "half_sse")
    if loss not in _losses.LOSSES:
        raise SpecError(f"unknown loss {loss!r} (one of {', '.join(_losses.LOSSES)})", source=source, where="loss")
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
        scheme = init.get("scheme", "xavier")
        if scheme not in INIT_SCHEMES:
            raise SpecError(f"unknown scheme {scheme!r} (one of {', '.join(INIT_SCHEMES)})",
                            source=source, where="init.scheme")
        seed = init.get("seed", 0)
        if isinstance(seed, bool) or not isinstance(seed, int):
            raise SpecError("must be an integer", source=source, where="init.seed")
    out_layers = []
    prev = None
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
        act = layer.get("activation", "identity" if l == 0 else DEFAULT_ACTIVATION)
        if act not in _activations.ACTIVATIONS:
            raise SpecError(f"unknown activation {act!r} (one of {', '.join(_activations.ACTIVATIONS)})",
                            source=source, where=f"{where}.activation")
        if act == "softmax" and size < 2:
            raise SpecError("softmax needs at least 2 neurons (on one neuron it is the constant 1)",
                            source=source, where=f"{where}.activation")
        norm = {"size": size, "activation": act}
        if "labels" in layer:
            labels = layer["labels"]
            if not isinstance(labels, list) or len(labels) != size or not all(isinstance(s, str) for s in labels):
                raise SpecError(f"must be a list of {size} strings", source=source, where=f"{where}.labels")
            norm["labels"] = list(labels)
        if "biases" in layer:
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


def from_dict(spec, source: str | None = None) -> Network:
    """Build a network of neuron records from a (parsed) spec."""
    norm = validate(spec, source)
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
        if l > 0 or net.input_bias:
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
    if fmt == "toml":
        return to_toml(spec)
    return json.dumps(spec, indent=1, ensure_ascii=False) + "\n"


def save(net_or_spec, path: str | os.PathLike) -> None:
    """Write a spec atomically: a temp file in the same folder, then rename,
    so a failed run never leaves a half-written or clobbered file."""
    spec = to_dict(net_or_spec) if isinstance(net_or_spec, Network) else net_or_spec
    fmt = "toml" if str(path).lower().endswith(".toml") else "json"
    atomic_write(path, dumps(spec, fmt))


def atomic_write(path: str | os.PathLike, text: str) -> None:
    p = Path(path)
    directory = p.parent if str(p.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=directory)
    except OSError as e:
        raise SpecError(f"cannot be written ({e.strerror})", source=str(path)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, p)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


# A small TOML writer for the spec schema (tomllib only reads).

def _toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if not math.isfinite(v):
            raise ValueError("TOML spec values must be finite")
        r = repr(v)
        return r if ("." in r or "e" in r or "E" in r) else r + ".0"
    if isinstance(v, str):
        return _toml_string(v)
    if isinstance(v, list):
        if v and isinstance(v[0], list):
            return "[\n" + "".join(f"  {_toml_value(x)},\n" for x in v) + "]"
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_toml_key(k)} = {_toml_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(f"cannot write {type(v).__name__} to TOML")


def _toml_string(text: str) -> str:
    """A TOML basic string: quote, backslash and control characters escaped."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _toml_key(k: str) -> str:
    return k if k and k.isascii() and k.replace("_", "").replace("-", "").isalnum() else _toml_string(k)


def to_toml(spec: dict) -> str:
    lines = []
    tables = []
    for k, v in spec.items():
        if k == "layers":
            continue
        if isinstance(v, dict):
            tables.append((k, v))
        else:
            lines.append(f"{_toml_key(k)} = {_toml_value(v)}")
    for k, v in tables:
        lines.append(f"\n[{_toml_key(k)}]")
        for kk, vv in v.items():
            lines.append(f"{_toml_key(kk)} = {_toml_value(vv)}")
    for layer in spec.get("layers", []):
        lines.append("\n[[layers]]")
        for kk, vv in layer.items():
            lines.append(f"{_toml_key(kk)} = {_toml_value(vv)}")
    return "\n".join(lines) + "\n"
