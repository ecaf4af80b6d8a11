"""A chain-rule term in words, for a screen reader.

The step page announces each term in an ``aria-live`` region: "delta of d1
equals 0.7199 times 0.2016, about 0.1452".  The subject is said by the
term's kind and the neurons' names (a listener cannot parse ∂E_total/∂net_d1
or δ_k0); the numbers are the ones the notation already wrote for the
screen (:func:`neuronet.present.notation.describe`), with their operators
read out — nothing is recomputed here.
"""
from __future__ import annotations

import re

from .picture import label

#: the operators of a numeric line, as said
_WORDS = [("·", " times "), ("−", " minus "), ("+", " plus "), ("½", "half of "), ("²", " squared"),
          ("Σ", "the sum of "), ("=", " equals "), ("≈", " about "), ("←", " becomes "), ("/", " over "),
          ("×", " times ")]


def numbers_said(text: str) -> str:
    """``0.7199(1 − 0.7199)`` → ``0.7199 times (1 minus 0.7199)``; ``−0.02`` → ``minus 0.02``."""
    t = re.sub(r"(?<=[\d)])\(", "·(", text)          # 0.7199(1 − …): a product
    t = re.sub(r"\)(?=[\d(])", ")·", t)
    for sym, word in _WORDS:
        t = t.replace(sym, word)
    t = t.replace("e+", "e").replace("e minus ", " times ten to the minus ")   # 1.5e−3
    return re.sub(r"\s+", " ", t).strip()


def subject(e, net, notation=None) -> str:
    """What the term is, in words, by its kind and the neurons it joins: a
    neuron by its spec label, else as the bound ``notation`` counts it
    ("neuron 1 of layer b" in 002's), else by its 0-based indices."""
    k, l, j, i = e.kind, e.layer, e.neuron, e.source

    def name(L, J):
        if net is not None and net.layers[L][J].desc:
            return label(net, L, J)
        if notation is not None:
            return f"{notation.neuron_name(L, J)} of {notation.layer_name(L)}"
        return f"neuron {J} of layer {L}"
    me = name(l, j) if j is not None and j >= 0 else f"layer {l}"
    if k in ("product", "grad_w", "update_w", "accumulate_w", "batch_w") and i is not None:
        edge = f"the weight from {name(l - 1, i)} to {me}"
        return {"product": f"{edge} times the output of {name(l - 1, i)}",
                "grad_w": f"the gradient of {edge}", "update_w": f"the new value of {edge}",
                "accumulate_w": f"the summed gradient of {edge}",
                "batch_w": f"the batch gradient of {edge}"}[k]
    if k == "backprop" and i is not None:
        return f"delta of {name(l + 1, i)} times the weight from {me} to it"
    return {"input": f"the net input of {me}", "z": f"the net input z of {me}", "a": f"the output of {me}",
            "loss_term": f"the loss term of {me}", "loss": "the loss",
            "dL_da": f"the derivative of the loss by the output of {me}",
            "fprime": f"f prime at {me}", "dsum": f"the sum of delta times weight back into {me}",
            "delta_out": f"delta of {me}", "delta": f"delta of {me}",
            "grad_b": f"the gradient of the bias of {me}", "update_b": f"the new bias of {me}",
            "accumulate_b": f"the summed bias gradient of {me}",
            "batch_b": f"the batch gradient of the bias of {me}",
            "jacobian": f"a softmax Jacobian entry at {me}", "path": f"a softmax path into {me}",
            }.get(k, f"{k.replace('_', ' ')} of {me}")


def _is_numbers(part: str) -> bool:
    """Only numbers and operators (a symbolic formula has letters)."""
    return not re.search(r"[^\W\d]", re.sub(r"(?<=\d)e(?=[−+-]?\d)", "", part))


def say(e, d, net=None, notation=None) -> str:
    """The term ``e`` (described as ``d``) in words: subject (neurons named
    as :func:`subject` names them), its numbers, its value."""
    parts = d.parts()
    value = parts[-1]
    numeric = next((p for p in reversed(parts[1:-1]) if _is_numbers(p)), "")
    verb = "becomes" if d.op == "←" else "equals"
    head = subject(e, net, notation)
    from . import notation as _notation
    exact = _notation.fmt(e.value, None)
    about = "about " if value != exact else ""
    if numeric and numeric != value:
        return f"{head} {verb} {numbers_said(numeric)}, {about}{numbers_said(value)}"
    return f"{head} {verb} {about}{numbers_said(value)}"
