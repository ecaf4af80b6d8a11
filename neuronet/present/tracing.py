"""Trace one training step: every chain-rule term, in a text's notation.

From Python or a notebook::

    import neuronet
    from neuronet.present.tracing import trace
    t = trace("walkthroughs/switch-2-4-3-2/network.toml", [[1, 0]], [[0, 1]],
              eta=0.5, notation="net-out", decimals=4)
    t                      # in Jupyter: HTML with MathML formulas; print(t.text()) elsewhere
    t.differences          # where 002's printed arithmetic is wrong (with decimals=4 and
                           # printed="walkthroughs/switch-2-4-3-2/printed.toml")

Streaming (the CLI's way; memory stays flat)::

    from neuronet.present.tracing import run, Filter
    from neuronet.present.render import make
    with make("jsonl", sys.stdout) as sink:          # closing writes the last block
        run(net, xs, ys, eta=0.1, sink=Filter(sink, phase=["delta"]))

The engine only ever sees a sink (a callable taking one event); the
renderers and filters here are such sinks.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field

from . import handcalc
from ..engine import passes
from . import notation as _notation
from .view import View
from ..engine.events import Event, Recorder

class Filter:
    """A sink wrapper passing on only the events a reader asked for.

    Each criterion is a list (any of its values matches); criteria combine
    with *and*.  ``None`` or an empty list means "no restriction".

    * ``layer``  — [L]: events of layer L (for weight terms: the weight's
      destination layer; for δ_k·w_jk terms: the layer of j).
    * ``neuron`` — [(L, N)]: neuron N of layer L, with the weights *into* it
      (w·a products, gradients, updates) and the δ·w terms of its Σ.
    * ``weight`` — [(L, I, J)]: the weight from neuron I of layer L − 1 to
      neuron J of layer L: its product, gradient, accumulation, update, and
      the δ_J·w_IJ term that carries it backwards.
    * ``phase``  — forward | loss | delta | gradient | update.
    * ``sample`` — [K]: sample K of the batch (batch-level events, sample
      −1, belong to no sample and are left out).
    """

    def __init__(self, sink, layer=None, neuron=None, weight=None, phase=None, sample=None) -> None:
        self.sink = sink
        self.layer = frozenset(layer or ())
        self.neuron = frozenset(tuple(n) for n in (neuron or ()))
        self.weight = frozenset(tuple(w) for w in (weight or ()))
        self.phase = frozenset(phase or ())
        self.sample = frozenset(sample or ())
        self.active = bool(self.layer or self.neuron or self.weight or self.phase or self.sample)

    def wants(self, e: Event) -> bool:
        if self.phase and e.phase not in self.phase:
            return False
        if self.sample and e.sample not in self.sample:
            return False
        if self.layer and e.layer not in self.layer:
            return False
        if self.neuron and (e.layer, e.neuron) not in self.neuron:
            return False
        if self.weight and e.weight not in self.weight:     # None (no weight) is never in it
            return False
        return True

    def __call__(self, e: Event) -> None:
        if self.wants(e):
            self.sink(e)

    def close(self) -> None:
        close = getattr(self.sink, "close", None)
        if close:
            close()


class Tee:
    """A sink sending each event to several sinks."""

    def __init__(self, *sinks) -> None:
        self.sinks = sinks

    def __call__(self, e: Event) -> None:
        for s in self.sinks:
            s(e)


@dataclass
class Result:
    loss: float
    checked: int = 0                       # printed numbers of a text compared
    differences: list = field(default_factory=list)

    def report(self) -> list[str]:
        return handcalc.report(self.checked, self.differences)


def run(net, xs, ys, eta: float = 0.5, eta_b: float | None = None, reduction: str = "mean",
        sink=None, decimals: int | None = None, printed=None) -> Result:
    """One training step of ``net`` on the batch, every event to ``sink``.

    With ``decimals`` the step is a hand calculation (handcalc.rounder).
    With ``printed`` (a printed-numbers file, or the mapping
    handcalc.load_printed returns) the text's printed numbers are compared
    with the (unfiltered) trace at ``decimals`` (default 4) and the
    differences returned.
    """
    rnd = handcalc.rounder(decimals) if decimals is not None else None
    if printed is not None and not isinstance(printed, dict):
        printed = handcalc.load_printed(printed)
    check = printed is not None
    rec = Recorder() if check else None
    emit = sink
    if rec is not None:
        emit = Tee(rec, sink) if sink is not None else rec
    L = passes.step(net, xs, ys, eta, eta_b, reduction, emit=emit, rnd=rnd)
    result = Result(L)
    if rec is not None:
        result.checked, result.differences = handcalc.compare(rec.events, printed,
                                                              getattr(printed, "decimals", 4))
    return result


class Trace:
    """A recorded trace: the events of one step, ready to render.

    ``view`` is how it is drawn (:class:`~neuronet.present.view.View`: the
    notation bound to the network's :class:`~neuronet.present.notation.Shape`,
    the number style); each rendering method takes another notation by name
    (``t.text(notation="u-o")``), bound to the same shape."""

    def __init__(self, events: list[Event], shape: "_notation.Shape", result: Result,
                 notation: str = "delta", decimals: int | None = None, digits: int = 4) -> None:
        self.events = events
        self.shape = shape                      # what the notation binds to (sizes, labels, biases)
        self.sizes = list(shape.sizes)
        self.result = result
        self.decimals = decimals
        self.view = View.of(notation=notation, digits=digits, decimals=decimals, shape=shape)

    @property
    def notation(self) -> str:
        return self.view.name

    @property
    def digits(self):
        return self.view.digits

    @property
    def loss(self) -> float:
        return self.result.loss

    @property
    def differences(self):
        return self.result.differences

    def view_in(self, notation: str | None = None) -> View:
        """This trace's view, in the notation named ``notation`` if given."""
        if notation is None or notation == self.view.name:
            return self.view
        return View.of(notation=notation, digits=self.view.digits, shape=self.shape)

    def lines(self, notation: str | None = None) -> list[str]:
        """One plain line per event (``Described.line``)."""
        shown = self.view_in(notation).shown()      # Σ lines checked against the terms above them
        return [shown(e).line() for e in self.events]

    def render(self, fmt: str = "text", stream=None, console=None, notation: str | None = None):
        from .render import make
        out = stream if stream is not None else io.StringIO()
        sink = make(fmt, out if console is None else None, self.view_in(notation), console=console)
        for e in self.events:
            sink(e)
        sink.write_lines(self.result.report())
        sink.close()
        return out.getvalue() if stream is None and console is None else None

    def text(self, notation: str | None = None) -> str:
        return self.render("text", notation=notation)

    def markdown(self, notation: str | None = None) -> str:
        return self.render("markdown", notation=notation)

    def jsonl(self) -> str:
        return self.render("jsonl")

    def renderables(self, notation: str | None = None) -> list:
        """The rich tables of the trace (one per section) and the report."""
        from .render.console import RichRenderer
        out: list = []
        sink = RichRenderer(view=self.view_in(notation), collect=out)
        for e in self.events:
            sink(e)
        sink.write_lines(self.result.report())
        sink.close()
        return out

    def __rich_console__(self, console, options):   # rich.print(t), and Jupyter via rich
        yield from self.renderables()

    def html(self, notation: str | None = None) -> str:
        """The trace as an HTML fragment whose formulas are MathML (render/html.py):
        real math in Jupyter and in an nbconvert export, nothing fetched."""
        from .render.html import HtmlRenderer
        out = io.StringIO()
        sink = HtmlRenderer(out, self.view_in(notation))
        for e in self.events:
            sink(e)
        sink.write_lines(self.result.report())
        sink.close()
        return out.getvalue()

    def _repr_html_(self) -> str:                   # Jupyter: the MathML form
        return self.html()

    def _repr_markdown_(self) -> str:               # Jupyter: Markdown with $…$ LaTeX math
        return self.markdown()

    def _ipython_display_(self) -> None:
        """In a notebook, give the front end the HTML form (MathML formulas,
        drawn offline; an nbconvert export keeps it) and, beside it, the
        Markdown + LaTeX and the plain forms."""
        from IPython.display import display
        display({"text/html": self._repr_html_(),
                 "text/markdown": self._repr_markdown_(),
                 "text/plain": f"<Trace: {len(self.events)} terms, loss {self.loss!r}>"}, raw=True)

    def __len__(self) -> int:
        return len(self.events)

    def __iter__(self):
        return iter(self.events)


def trace(net, inputs, targets, eta: float = 0.5, eta_b: float | None = None, reduction: str = "mean",
          notation: str = "delta", decimals: int | None = None, digits: int = 4,
          layer=None, neuron=None, weight=None, phase=None, sample=None, printed=None) -> Trace:
    """Run one step and keep its (filtered) trace in memory.

    ``net`` is a Network or a spec path; ``inputs``/``targets`` a batch (or a
    single vector each).  The network given is stepped in place.
    """
    from ..io import spec
    if not hasattr(net, "layers"):
        net = spec.load(net)
    if inputs and not isinstance(inputs[0], (list, tuple)):
        inputs, targets = [inputs], [targets]
    xs = [[float(v) for v in x] for x in inputs]
    ys = [[float(v) for v in y] for y in targets]
    View.of(notation=notation)         # an unknown notation fails before the step
    shape = _notation.Shape.of(net)
    rec = Recorder()
    sink = Filter(rec, _aslist(layer), _aslist(neuron, 2), _aslist(weight, 3), _aslist(phase), _aslist(sample))
    result = run(net, xs, ys, eta, eta_b, reduction, sink if sink.active else rec, decimals, printed)
    return Trace(rec.events, shape, result, notation, decimals, digits)


def _aslist(v, width: int = 1):
    if v is None:
        return None
    if width == 1:
        return list(v) if isinstance(v, (list, tuple, set, frozenset)) else [v]
    if v and isinstance(v[0], (list, tuple)):
        return [tuple(x) for x in v]
    return [tuple(v)]
