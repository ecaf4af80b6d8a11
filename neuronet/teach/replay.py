"""Replay a recorded training step, one event at a time, forwards and back.

The step viewer (stepper.py) and the quiz (quiz.py) never recompute any
math: they run one real step with a :class:`~neuronet.engine.events.Recorder`
attached, then *replay* the recorded events.  Every event sets one quantity
(z of a neuron, its δ, a weight's new value, …) to the number the pass
computed; :class:`Replay` keeps those quantities in a dict of *slots* and an
undo log, so stepping back is as cheap as stepping forward and the values
shown at event k are exactly the values as of event k.

Slots are tuples: ``("z", l, j)``, ``("a", l, j)``, ``("delta", l, j)``,
``("w", l, i, j)`` (w_ij into neuron j of layer l), ``("b", l, j)``,
``("grad_w", l, i, j)``, ``("grad_b", l, j)``, ``("loss",)``, ….
"""
from __future__ import annotations

from ..engine import passes
from ..engine.events import Event, Recorder
from ..present.handcalc import rounder

_MISSING = object()

# kind -> slot name (events of other kinds set nothing lasting: a product
# w_ij·a_i or a Jacobian entry only feeds the sum that follows it)
_NEURON_SLOTS = {
    "input": "z", "z": "z", "a": "a",
    "dL_da": "dL_da", "fprime": "fprime", "dsum": "dsum",
    "delta_out": "delta", "delta": "delta",
    "grad_b": "grad_b", "batch_b": "grad_b", "accumulate_b": "nabla_b",
    "update_b": "b", "loss_term": "loss_term",
}
_WEIGHT_SLOTS = {
    "grad_w": "grad_w", "batch_w": "grad_w", "accumulate_w": "nabla_w", "update_w": "w",
}

def slot(event: Event):
    """The quantity an event sets, or None."""
    k = event.kind
    if k in _WEIGHT_SLOTS:
        return (_WEIGHT_SLOTS[k], *event.weight)
    if k in _NEURON_SLOTS:
        return (_NEURON_SLOTS[k], event.layer, event.neuron)
    if k == "loss":
        return ("loss",)
    return None


def record_step(net, xs, ys, eta: float, eta_b: float | None = None, reduction: str = "mean",
                round_digits: int | None = None):
    """Run one real SGD step on a *copy* of ``net`` with a recorder attached.

    Returns ``(events, before, after)``: the event list, the untouched
    network and the stepped copy.
    """
    after = net.copy()
    rec = Recorder()
    rnd = rounder(round_digits) if round_digits is not None else None
    passes.step(after, xs, ys, eta, eta_b, reduction, emit=rec, rnd=rnd)
    return rec.events, net, after


class Replay:
    """The values of a step as of event k, for k = −1 (before) … n − 1.

    ``get(slot)`` returns the value as of the current position, or None if
    nothing has set it yet (weights and biases start at their values before
    the step).
    """

    def __init__(self, net, events: list[Event]):
        self.net = net
        self.events = events
        self.pos = -1
        self.values: dict = {}
        self._undo: list = []
        for l in range(1, len(net.layers)):
            for i, neuron in enumerate(net.layers[l - 1]):
                for j, w in enumerate(neuron.w):
                    self.values[("w", l, i, j)] = w
            for j, neuron in enumerate(net.layers[l]):
                self.values[("b", l, j)] = neuron.b
        for j, neuron in enumerate(net.layers[0]):
            self.values[("b", 0, j)] = neuron.b

    def __len__(self) -> int:
        return len(self.events)

    @property
    def event(self) -> Event | None:
        return self.events[self.pos] if self.pos >= 0 else None

    def get(self, *key):
        return self.values.get(key)

    def forward(self) -> bool:
        if self.pos + 1 >= len(self.events):
            return False
        self.pos += 1
        e = self.events[self.pos]
        s = slot(e)
        if s is not None:
            self._undo.append((s, self.values.get(s, _MISSING)))
            self.values[s] = e.value
        else:
            self._undo.append(None)
        return True

    def back(self) -> bool:
        if self.pos < 0:
            return False
        entry = self._undo.pop()
        if entry is not None:
            s, old = entry
            if old is _MISSING:
                del self.values[s]
            else:
                self.values[s] = old
        self.pos -= 1
        return True

    def seek(self, k: int) -> None:
        k = max(-1, min(k, len(self.events) - 1))
        while self.pos < k:
            self.forward()
        while self.pos > k:
            self.back()

    # -- finding the next event of interest ---------------------------------
    def find(self, predicate, start: int | None = None) -> int | None:
        """Index of the first event after ``start`` (default: the current one)
        satisfying ``predicate``, or None."""
        begin = (self.pos if start is None else start) + 1
        for k in range(begin, len(self.events)):
            if predicate(self.events[k]):
                return k
        return None


def updates(events: list[Event]):
    """The step's result, straight from its update events:
    ``[(kind, layer, source, neuron, old, grad, new)]`` in event order."""
    out = []
    for e in events:
        if e.kind in ("update_w", "update_b"):
            out.append((e.kind, e.layer, e.source, e.neuron, e.term("old"), e.term("grad"), e.value))
    return out
