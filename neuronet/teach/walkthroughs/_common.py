"""Helpers the walkthrough runners share: loading a walkthrough's spec and
samples, recording a traced step, hand rounding, accuracy, and the optional
numpy matrix backend."""
from __future__ import annotations

from ...io import data, spec
from ...engine import passes
from ...engine.events import Recorder
from . import TraceView


def network(w, name: str = "network.toml"):
    return spec.load(w.path(name))


def samples(w, net=None, name: str | None = None):
    """(xs, ys) from the walkthrough's samples file (params.samples)."""
    path = str(w.path(name or w.params.get("samples", "samples.json")))
    xs, ys = data.read(path, w.params.get("targets"))
    if net is not None:
        data.check(xs, ys, net.sizes[0], net.sizes[-1], source=path)
    return xs, ys


def traced_step(net, xs, ys, eta, eta_b=None, reduction="mean", rnd=None):
    """One SGD step with every chain-rule term recorded; returns (loss, recorder)."""
    rec = Recorder()
    L = passes.step(net, xs, ys, eta, eta_b, reduction, emit=rec, rnd=rnd)
    return L, rec


def trace_of(events, w, net, kinds=None, phases=None, digits=4, decimals=None) -> TraceView:
    """The events (of ``kinds`` / ``phases``) as a trace in the walkthrough's
    notation; ``digits=None`` prints each number as carried; ``decimals``: a
    hand calculation's, every number as carried and written with them."""
    ev = [e for e in events if (kinds is None or e.kind in kinds) and (phases is None or e.phase in phases)]
    if not net.input_bias and net.activations[0].name == "identity":
        # a plain input layer: z = x, a = z says nothing; leave it out
        ev = [e for e in ev if not (e.layer == 0 and e.kind in ("input", "a"))]
    from ...present.view import View
    return TraceView(ev, View.of(net, w.notation, digits, decimals=decimals))


def matrix_backend():
    """neuronet.check.backends.matrix when it and numpy are installed, else None."""
    try:
        import numpy  # noqa: F401
        from ...check.backends import matrix
    except ImportError:
        return None
    return matrix if hasattr(matrix, "train") else None


def max_abs_diff(a, b) -> float:
    """Largest |a − b| over two nested lists of numbers."""
    if isinstance(a, (int, float)):
        return abs(a - b)
    return max((max_abs_diff(x, y) for x, y in zip(a, b)), default=0.0)
