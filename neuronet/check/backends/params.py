"""A spec's numbers as plain lists, for backends that do not build neurons.

:func:`parameters` reads a spec dict (as :func:`neuronet.io.spec.validate` or
:func:`neuronet.to_dict` produce, or straight from a file) into one weight
matrix per layer in the spec's [from][to] layout and one bias vector per
layer.  Layers without weights are initialised exactly as
:func:`neuronet.io.spec.from_dict` does (the same seeded ``random.Random``, the
same order of draws), so every backend starts from the very weights the
per-neuron reference uses.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

from ...io import spec as _spec

#: The two layouts of a weight matrix a matrix backend may use: column, W·a with
#: W = [to][from] (002, 004 §3, 000); row, a·W with W = [from][to] (001, 003).
CONVENTIONS = ("column", "row")


@dataclass
class Parameters:
    sizes: list[int]
    activations: list[str]             # one per layer; [0] is the input layer's
    loss: str
    weights: list[list[list[float]] | None]   # weights[l][i][j]: neuron i of l − 1 → j of l; [0] is None
    biases: list[list[float] | None]   # biases[l][j]; biases[0] is None unless input_bias
    input_bias: bool                   # the input layer's biases are trained (004 §2.5)
    layouts: list[str]                 # "from_to" or "to_from": how the spec wrote each matrix
    no_bias: frozenset = frozenset()   # layers without biases ("biases = false"): b = 0, never stepped


def _unvalidated(spec_dict):
    """Accept :func:`neuronet.io.spec.validate`'s output too: it notes a
    converted "weights_to_from" as ``"layout": "to_from"`` beside the
    [from][to] "weights", a key a spec file may not hold."""
    layers = spec_dict.get("layers") if isinstance(spec_dict, dict) else None
    if not isinstance(layers, list) or not any(isinstance(l, dict) and ("layout" in l or "no_biases" in l)
                                               for l in layers):
        return spec_dict
    return {**spec_dict, "layers": [_spec_layer(l) if isinstance(l, dict) else l for l in layers]}


def _spec_layer(layer: dict) -> dict:
    """A validated layer as a spec file writes it: no "layout", and
    "no_biases" back as ``"biases": false``."""
    d = {k: v for k, v in layer.items() if k not in ("layout", "no_biases")}
    if layer.get("no_biases"):
        d["biases"] = False
    return d


def parameters(spec_dict: dict, source: str | None = None) -> Parameters:
    layouts = [l.get("layout", "from_to") if isinstance(l, dict) else "from_to"
               for l in (spec_dict.get("layers") or [])] if isinstance(spec_dict, dict) else []
    norm = _spec.validate(_unvalidated(spec_dict), source)
    init = norm["init"] or {}
    rng = random.Random(init.get("seed", 0))
    scheme = init.get("scheme", "xavier")
    layers = norm["layers"]
    sizes = [ls["size"] for ls in layers]
    weights: list = [None]
    for l in range(1, len(layers)):
        w = layers[l].get("weights")
        if w is None:   # same draws, same order as spec.from_dict
            w = _spec.init_weights(sizes[l - 1], sizes[l], scheme, rng)
        weights.append([list(row) for row in w])
    biases: list = []
    for l, ls in enumerate(layers):
        if l == 0 and "biases" not in ls:
            biases.append(None)
        else:
            biases.append(list(ls.get("biases") or [0.0] * sizes[l]))
    return Parameters(sizes=sizes, activations=[ls["activation"] for ls in layers], loss=norm["loss"],
                      weights=weights, biases=biases, input_bias="biases" in layers[0],
                      layouts=[ls.get("layout", old) for ls, old in zip(layers, layouts)],
                      no_bias=frozenset(l for l, ls in enumerate(layers) if ls.get("no_biases")))


def updated_spec(spec_dict: dict, weights, biases) -> dict:
    """A copy of ``spec_dict`` with new weights ([from][to] lists per layer,
    [0] unused) and biases; each matrix is written in the layout the spec
    used ("weights" or "weights_to_from"), as :func:`neuronet.to_dict` does."""
    out = {k: v for k, v in spec_dict.items() if k not in ("layers", "extra", "init")}
    if spec_dict.get("init") is not None:
        out["init"] = spec_dict["init"]
    if isinstance(spec_dict.get("extra"), dict):     # validate()'s output keeps unknown keys here
        out.update(spec_dict["extra"])
    layers = []
    for l, layer in enumerate(spec_dict["layers"]):
        d = {k: v for k, v in layer.items() if k != "layout"}
        if l > 0:
            w = weights[l]
            if "weights_to_from" in layer or layer.get("layout") == "to_from":
                d.pop("weights", None)
                d["weights_to_from"] = [[w[i][j] for i in range(len(w))] for j in range(len(w[0]))]
            else:
                d["weights"] = [list(row) for row in w]
            d["biases"] = False if layer.get("biases") is False or layer.get("no_biases") else list(biases[l])
            d.pop("no_biases", None)
        elif biases[0] is not None:
            d["biases"] = list(biases[0])
        layers.append(d)
    out["layers"] = layers
    return out


def canonical(spec_dict: dict) -> dict:
    """The spec handed to every backend: each non-input layer has "weights"
    ([from][to]) and "biases", every layer an "activation", the input layer
    "biases" only when they are trainable; "loss" is always present."""
    p = parameters(spec_dict)
    layers = []
    for l, n in enumerate(p.sizes):
        d = {"size": n, "activation": p.activations[l]}
        if l > 0:
            d["weights"] = p.weights[l]
        if p.biases[l] is not None:
            d["biases"] = p.biases[l]
        layers.append(d)
    return {"loss": p.loss, "layers": layers}
