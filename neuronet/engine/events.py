"""Trace events: one immutable record per chain-rule term the passes compute.

The traced pass (traced.py) builds an :class:`Event` only when a sink is
given, and hands it to that sink (any callable taking one event).  Nothing is
recomputed for tracing: ``value`` is the very number the pass stored, and
``terms`` are the numbers it was computed from, by name.

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
(004, "delta") notation; present/notation/ restates them for every text.
"""
from __future__ import annotations

import json

try:                                    # optional: pip install 'neuronet[fast]'
    from orjson import dumps as _orjson
except ImportError:                     # the stdlib path gives the same text
    _orjson = None
from math import isfinite as _isfinite
from operator import itemgetter as _itemgetter

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


# kinds whose (layer, source, neuron) name one weight w_ij of layer l
WEIGHT_KINDS = frozenset({"product", "grad_w", "accumulate_w", "batch_w", "update_w"})

_FIELDS = ("kind", "layer", "neuron", "value", "terms", "source", "sample", "note")
_new = tuple.__new__


def _item(i: int, doc: str) -> property:
    return property(_itemgetter(i), doc=doc)


class Event(tuple):
    """One chain-rule term: ``kind``, ``layer``, ``neuron``, ``value``,
    ``terms`` (the numbers it was computed from, as (name, number) pairs),
    ``source``, ``sample``, ``note``.

    Immutable (a tuple underneath: assigning a field raises AttributeError).
    The passes build 558,149 of these for one traced 784-200-100-10 step, so
    an event is as cheap as Python allows: one tuple, whose ``terms`` slot
    holds just the numbers when their names are the kind's usual ones
    (:data:`TERMS`) — the (name, number) pairs are formed when read.
    """
    __slots__ = ()

    def __new__(cls, kind: str, layer: int, neuron: int, value: float,
                terms: tuple = (), source: int | None = None, sample: int = 0, note: str = ""):
        terms = tuple(terms)
        if terms and type(terms[0]) is tuple and tuple(n for n, _ in terms) == TERMS.get(kind):
            terms = tuple(v for _, v in terms)          # store the numbers only
        return _new(cls, (kind, layer, neuron, value, terms, source, sample, note))

    kind = _item(0, "what the term is: a key of KINDS")
    layer = _item(1, "the layer of the neuron the term belongs to (weights: the destination's)")
    neuron = _item(2, "j (0-based); -1 for the batch loss")
    value = _item(3, "the number the pass stored")

    @property
    def terms(self) -> tuple[tuple[str, float], ...]:
        """(name, number) pairs: the numbers ``value`` was computed from."""
        t = self[4]
        if t and type(t[0]) is not tuple:
            return tuple(zip(TERMS[self[0]], t))
        return t

    source = _item(5, "i for weights, k for δ_k·w_jk, n for softmax paths; else None")
    sample = _item(6, "position of the sample in its batch; -1 for batch-level terms")
    note = _item(7, "activation or loss name, 'mean'/'sum', 'softmax', …")

    @property
    def values(self) -> tuple:
        """The term numbers alone, in order."""
        t = self[4]
        return tuple(v for _, v in t) if t and type(t[0]) is tuple else t

    @property
    def weight(self) -> tuple[int, int, int] | None:
        """(L, I, J) of the weight w_IJ of layer L this term touches, or None.

        The weight kinds (:data:`WEIGHT_KINDS`: w_ij·a_i, ∂L/∂w_ij and its
        sums, the update) sit on the destination j of layer l and name i of
        layer l − 1 as ``source``.  ``backprop`` (δ_k·w_jk) runs the other
        way: it sits on the hidden neuron j of layer l and names k of layer
        l + 1 as ``source``, so its weight is w_jk of layer l + 1.
        """
        kind = self[0]
        if kind in WEIGHT_KINDS:
            return (self[1], self[5], self[2])
        if kind == "backprop":
            return (self[1] + 1, self[2], self[5])
        return None

    @property
    def along(self) -> tuple[tuple[int, int], tuple[int, int]] | None:
        """((layer, neuron) the term sits on, (layer, neuron) its number comes
        from along :attr:`weight`), or None: forward and gradient terms come
        from i of layer l − 1; δ_k·w_jk comes back from k of layer l + 1."""
        w = self.weight
        if w is None:
            return None
        L, I, J = w
        return ((L - 1, I), (L, J)) if self[0] == "backprop" else ((L, J), (L - 1, I))

    @property
    def phase(self) -> str:
        return KINDS[self[0]][0]

    @property
    def formula(self) -> str:
        return KINDS[self[0]][1]

    def term(self, name: str) -> float:
        for n, v in self.terms:
            if n == name:
                return v
        raise KeyError(name)

    def __repr__(self) -> str:
        return "Event(" + ", ".join(f"{f}={getattr(self, f)!r}" for f in _FIELDS) + ")"

    def __getnewargs__(self):
        return tuple(self)

    def to_dict(self) -> dict:
        """The stable JSON Lines record (documented in docs/trace-schema.md)."""
        return {"phase": self.phase, "kind": self[0], "layer": self[1],
                "neuron": self[2], "source": self[5], "sample": self[6],
                "formula": self.formula, "terms": dict(self.terms),
                "value": self[3], "note": self[7]}

    def to_json(self) -> str:
        """``json.dumps(self.to_dict())`` (compact separators ", " and ": "),
        several times faster: the kind's fixed text is formatted once.
        Raises :class:`~neuronet.errors.NonFiniteError` on a non-finite number
        (JSON has no NaN or Infinity)."""
        kind, layer, neuron, value, terms, source, sample, note = self
        if terms and type(terms[0]) is tuple:           # pairs: the general way
            return _json_general(self)
        note_json = _NOTES.get(note) or _note_json(note)
        if _orjson is not None:
            # orjson writes the shortest round-trip digits too, ~8× faster
            # than float.__repr__ (the optional "fast" extra); it writes
            # NaN and ±inf as null, which is how a non-finite number shows.
            try:
                text = _orjson((*terms, value)).decode()
            except TypeError:                            # e.g. a numpy scalar: the stdlib way
                text = "[" + ",".join(map(repr, (*terms, value))) + "]"
            if "n" in text:                              # null (orjson) or nan/inf (repr)
                _json_general(self)                      # raises: a number is not finite
            nums = text[1:-1].split(",")
            if source is None:
                return _JSON_LINE_S[kind] % (layer, neuron, sample, *nums, note_json)
            return _JSON_LINE_SOURCE_S[kind] % (layer, neuron, source, sample, *nums, note_json)
        total = sum(terms, value)
        if total - total != 0.0:                         # NaN or ±inf somewhere (or a finite overflow)
            _json_general(self)                          # raises if a number really is non-finite
        if source is None:
            return _JSON_LINE[kind] % (layer, neuron, sample, *terms, value, note_json)
        return _JSON_LINE_SOURCE[kind] % (layer, neuron, source, sample, *terms, value, note_json)


def _note_json(note: str) -> str:
    _NOTES[note] = text = _encode(note)
    return text


def _non_finite(event: "Event"):
    from ..errors import NonFiniteError
    raise NonFiniteError(f"non-finite number in the trace: {event.kind} of layer {event.layer}, "
                       f"neuron {event.neuron}" + ("" if event.source is None else f", source {event.source}")
                       + f", sample {event.sample} (value {event.value!r}, terms {dict(event.terms)!r})")


def _json_general(event: "Event") -> str:
    d = event.to_dict()
    for v in (d["value"], *d["terms"].values()):
        if isinstance(v, float) and not _isfinite(v):
            _non_finite(event)
    return _encode(d)


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


_encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(", ", ": ")).encode
_NOTES: dict[str, str] = {}


def _line_template(kind: str, source: str = "%d", number: str = "%r", layer: str = "%d",
                   neuron: str = "%d", sample: str = "%d", note: str = "%s") -> str:
    """The kind's JSON line with a %-slot (or a fixed text) for each of
    layer, neuron, source, sample, the terms, the value and the note, in the
    schema's order.  %r writes the shortest repr that reads back as the same
    float, as json.dumps does; ``source="null"`` makes a line without one."""
    phase, formula = KINDS[kind]
    terms = ", ".join(f"{_encode(n)}: {number}" for n in TERMS[kind])
    return ('{"phase": ' + _encode(phase) + ', "kind": ' + _encode(kind) + f', "layer": {layer}, '
            f'"neuron": {neuron}, "source": {source}, "sample": {sample}, "formula": '
            + _encode(formula).replace("%", "%%") + ', "terms": {' + terms + '}, "value": ' + number
            + ', "note": ' + note + '}')


_JSON_LINE = {k: _line_template(k, source="null") for k in KINDS}
_JSON_LINE_SOURCE = {k: _line_template(k) for k in KINDS}
# the same with %s slots, for numbers already written by orjson
_JSON_LINE_S = {k: _line_template(k, source="null", number="%s") for k in KINDS}
_JSON_LINE_SOURCE_S = {k: _line_template(k, number="%s") for k in KINDS}


# ---------------------------------------------------------------------------
# Many lines at once: the JSON Lines renderer's way.
#
# A traced 784-200-100-10 step makes 558,149 events, and formatting each
# with to_json costs a dozen Python-level operations.  json_lines formats a
# block of events in a handful of C-level calls instead:
#   1. each event's line is picked by (kind, layer, sample, note) — those
#      four are written into it once, as text — and the lines are joined;
#   2. one encoder call (orjson, or the stdlib's C encoder) writes the rest
#      of every event, [[neuron, source, [terms], value], …], as JSON text;
#   3. one split cuts that text into the slots, one %-format fills them.
# The text is to_json's, byte for byte (tests/test_events_json.py checks),
# and a block the split cannot cut cleanly is written event by event.
# ---------------------------------------------------------------------------

_LINE_KEY = _itemgetter(0, 1, 6, 7)       # kind, layer, sample, note: written into the line
_SLOTS = _itemgetter(2, 5, 4, 3)          # neuron, source, terms, value: the line's slots
_SOURCE = _itemgetter(5)
_LINES: dict[tuple, bytes] = {}           # line key → the line, with %b slots
_rows_json = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode


def json_lines(events: list) -> bytes:
    """The JSON Lines of ``events``, UTF-8: byte for byte
    ``"".join(e.to_json() + "\n" for e in events).encode()``, several
    times faster per event on a block of a few hundred.  Raises
    :class:`~neuronet.errors.NonFiniteError` as to_json does."""
    if events:
        try:
            keys = list(map(_LINE_KEY, events))
            try:
                lines = b"".join(map(_LINES.__getitem__, keys))
            except KeyError:
                for key in set(keys).difference(_LINES):
                    _add_line(*key)
                lines = b"".join(map(_LINES.__getitem__, keys))
            texts = _slot_texts(events)
            if texts is not None:
                return lines % texts
        except (KeyError, TypeError):      # an unknown kind, terms the kind does not have, …
            pass
    return "".join([e.to_json() + "\n" for e in events]).encode()


def _slot_texts(events: list) -> tuple | None:
    """The JSON text of each event's neuron, source, terms and value, in
    order — or None when the block needs the one-by-one way (to_json): a
    term given as a (name, number) pair, or a number the encoder cannot
    write (NaN, ±inf, a numpy scalar, a huge int)."""
    rows = list(map(_SLOTS, events))
    try:
        if _orjson is not None:
            blob = _orjson(rows)            # writes NaN and ±inf as null: counted below
        else:
            blob = _rows_json(rows).encode()  # raises on NaN and ±inf
    except (TypeError, ValueError):
        return None
    # The blob reads [[neuron,source,[terms],value],…].  With the brackets
    # gone its commas separate exactly the slots — as long as it holds no
    # string (a pair's name) and its only nulls are the missing sources.
    if b'"' in blob or (b"null" in blob and blob.count(b"null") != list(map(_SOURCE, events)).count(None)):
        return None
    return tuple(blob.translate(None, b"[]").split(b","))


def _add_line(kind: str, layer: int, sample: int, note: str) -> None:
    """The line for events of this kind, layer, sample and note: those
    four written in, %b slots for neuron, source, terms and value."""
    if len(_LINES) > 4096:                 # many samples or notes: start afresh
        _LINES.clear()
    fixed = lambda text: text.replace("%", "%%")
    _LINES[kind, layer, sample, note] = (_line_template(
        kind, source="%b", number="%b", layer=fixed("%d" % layer), neuron="%b",
        sample=fixed("%d" % sample), note=fixed(_NOTES.get(note) or _note_json(note))) + "\n").encode()
