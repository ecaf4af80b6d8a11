"""Trace events: one frozen record per chain-rule term the passes compute.

The passes (passes.py) build an :class:`Event` only when a sink is given, and
hand it to that sink (any callable taking one event).  Nothing is recomputed
for tracing: ``value`` is the very number the pass stored, and ``terms`` are
the numbers it was computed from, by name.

Indices (0-based, as in the spec file):

* ``layer`` — the layer of the neuron the term belongs to.  For weight terms
  (``product``, ``grad_w``, ``update_w``, …) it is the *destination* layer
  ``l``: the weight ``w_ij`` runs from neuron ``source`` = i of layer l − 1 to
  neuron ``neuron`` = j of layer l, i.e. ``layers[l].weights[i][j]`` in the
  spec.
* ``source`` — the second index of two-index terms: i for weights, k (a
  neuron of layer l + 1) for ``backprop``, n for softmax ``jacobian``/``path``.
* ``sample`` — position of the sample in its batch.

``KINDS`` maps each kind to its phase and its formula in the default
(004, "delta") notation; notation.py restates them for the other texts.
"""
from __future__ import annotations

from dataclasses import dataclass

PHASES = ("forward", "loss", "delta", "gradient", "update")

# kind: (phase, formula in 004's notation, what the terms are)
KINDS: dict[str, tuple[str, str]] = {
    # forward
    "input":        ("forward", "z_i = x_i + b_i"),
    "product":      ("forward", "w_ij·a_i"),
    "z":            ("forward", "z_j = Σ_i w_ij·a_i + b_j"),
    "a":            ("forward", "a_j = f(z_j)"),
    # loss
    "loss_term":    ("loss", "L_k"),
    "loss":         ("loss", "L = Σ_k L_k"),
    # delta
    "dL_da":        ("delta", "∂L/∂a_k"),
    "fprime":       ("delta", "f'(z_j)"),
    "jacobian":     ("delta", "∂a_n/∂z_k"),
    "path":         ("delta", "∂L/∂a_n·∂a_n/∂z_k"),
    "delta_out":    ("delta", "δ_k = Σ_n ∂L/∂a_n·∂a_n/∂z_k"),
    "backprop":     ("delta", "δ_k·w_jk"),
    "dsum":         ("delta", "∂L/∂a_j = Σ_k δ_k·w_jk"),
    "delta":        ("delta", "δ_j = f'(z_j)·Σ_k δ_k·w_jk"),
    # gradient
    "grad_w":       ("gradient", "∂L/∂w_ij = δ_j·a_i"),
    "grad_b":       ("gradient", "∂L/∂b_j = δ_j"),
    "accumulate_w": ("gradient", "∇w_ij += ∂L/∂w_ij"),
    "accumulate_b": ("gradient", "∇b_j += ∂L/∂b_j"),
    "batch_w":      ("gradient", "∂L/∂w_ij = ∇w_ij / N"),
    "batch_b":      ("gradient", "∂L/∂b_j = ∇b_j / N"),
    # update
    "update_w":     ("update", "w_ij ← w_ij − η·∂L/∂w_ij"),
    "update_b":     ("update", "b_j ← b_j − η_b·∂L/∂b_j"),
}


# kind: the names of its terms, in order (the JSON Lines "terms" object).
# Every name is a number the pass used; "value" is the number it produced.
TERMS: dict[str, tuple[str, ...]] = {
    "input":        ("x", "b"),                    # value z_i = x_i + b_i
    "product":      ("w", "a"),                    # value w_ij·a_i; source = i
    "z":            ("sum", "b"),                  # sum = Σ_i w_ij·a_i (unrounded)
    "a":            ("z",),                        # note = activation name
    "loss_term":    ("a", "y"),                    # note = loss name
    "loss":         (),                            # terms L_0, L_1, … (one per output); neuron = −1
    "dL_da":        ("a", "y"),                    # output layer; note = loss name
    "fprime":       ("z", "a"),                    # note = activation name
    "jacobian":     ("a_n", "a_k"),                # softmax; neuron = k, source = n
    "path":         ("dL_da", "jacobian"),         # softmax; neuron = k, source = n
    "delta_out":    ("dL_da", "fprime"),           # or ("sum",) for softmax (note "softmax")
    "backprop":     ("delta", "w"),                # value δ_k·w_jk; neuron = j, source = k
    "dsum":         ("sum",),                      # sum = Σ_k δ_k·w_jk before rounding
    "delta":        ("fprime", "dsum"),            # or ("sum",) for softmax
    "grad_w":       ("delta", "a"),                # source = i
    "grad_b":       ("delta",),
    "accumulate_w": ("old", "grad"),               # value = old + grad; source = i
    "accumulate_b": ("old", "grad"),
    "batch_w":      ("sum", "n"),                  # note = "mean" | "sum"; sample = −1
    "batch_b":      ("sum", "n"),
    "update_w":     ("old", "eta", "grad", "step"),  # step = η·grad; value = old − step
    "update_b":     ("old", "eta", "grad", "step"),
}


@dataclass(frozen=True, slots=True, init=False)
class Event:
    kind: str
    layer: int
    neuron: int
    value: float
    terms: tuple[tuple[str, float], ...] = ()
    source: int | None = None
    sample: int = 0
    note: str = ""          # activation or loss name, "mean"/"sum", "softmax", …

    def __init__(self, kind: str, layer: int, neuron: int, value: float,
                 terms: tuple[tuple[str, float], ...] = (), source: int | None = None,
                 sample: int = 0, note: str = "") -> None:
        # The __init__ dataclass writes for a frozen class sets each field
        # through object.__setattr__ (~1.6 µs an event); writing the slots
        # through their own descriptors is 3× faster, and the instance stays
        # frozen (assignment still raises FrozenInstanceError).  A traced
        # 784-200-100-10 step builds 558,149 events.
        _set_kind(self, kind)
        _set_layer(self, layer)
        _set_neuron(self, neuron)
        _set_value(self, value)
        _set_terms(self, terms)
        _set_source(self, source)
        _set_sample(self, sample)
        _set_note(self, note)

    @property
    def phase(self) -> str:
        return KINDS[self.kind][0]

    @property
    def formula(self) -> str:
        return KINDS[self.kind][1]

    def term(self, name: str) -> float:
        for n, v in self.terms:
            if n == name:
                return v
        raise KeyError(name)

    def to_dict(self) -> dict:
        """The stable JSON Lines record (documented in README)."""
        return {"phase": self.phase, "kind": self.kind, "layer": self.layer,
                "neuron": self.neuron, "source": self.source, "sample": self.sample,
                "formula": self.formula, "terms": dict(self.terms),
                "value": self.value, "note": self.note}


(_set_kind, _set_layer, _set_neuron, _set_value, _set_terms, _set_source, _set_sample,
 _set_note) = (getattr(Event, name).__set__ for name in
               ("kind", "layer", "neuron", "value", "terms", "source", "sample", "note"))


class Recorder:
    """An in-memory sink: ``rec = Recorder(); step(..., emit=rec)``."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def __call__(self, event: Event) -> None:
        self.events.append(event)

    def of(self, kind: str) -> list[Event]:
        return [e for e in self.events if e.kind == kind]

    def __len__(self) -> int:
        return len(self.events)

    def __iter__(self):
        return iter(self.events)
