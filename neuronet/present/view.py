"""The view value: what every view of a network or a trace is handed.

A reader chooses two things about how a step is shown — whose symbols
(``--notation``: 004's δ_k0, 002's net_c1, …) and how numbers are written
(``--digits`` significant digits, ``--round`` hand-calculation mode, or
exactly as carried).  A :class:`View` holds both, already resolved:

* ``notation`` — a :class:`~neuronet.present.notation.Notation` *bound* to
  the network shown (its sizes, the spec's labels, which layers have
  biases: :class:`~neuronet.present.notation.Shape`) and drawing in a style
  (plain text or LaTeX);
* ``digits`` — the number style :func:`neuronet.present.numbers.fmt`
  takes: an ``int`` (significant digits), a
  :class:`~neuronet.present.numbers.Carried` (hand mode) or ``None``
  (exactly as carried).

Names are input, views are values: a notation *name* (a CLI flag, a
walkthrough's ``notation =``, ``Trace.text(notation="u-o")``) is turned into
a View once, where it enters, with :meth:`View.of`; everything that draws —
the renderers, the stepper, the step page, the diagrams, the quiz — takes the
View and never binds a name itself, so no view can bind a notation
differently (or drop the spec's labels) from the others.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from . import notation as _notation
from . import numbers as _numbers
from .notation.styles import LATEX, PLAIN, Latex


@dataclass(frozen=True)
class View:
    """A bound notation and a number style (see the module docstring)."""
    notation: _notation.Notation
    digits: int | _numbers.Carried | None = 4

    @classmethod
    def of(cls, net=None, notation: str = "delta", digits: int | _numbers.Carried | None = 4,
           decimals: int | None = None, latex: bool = False,
           shape: _notation.Shape | None = None) -> "View":
        """The notation named ``notation`` bound to ``net`` (or to a recorded
        ``shape``; with neither, unbound: symbols that need a network's shape
        fall back to an explicit two-index form).  Numbers: a hand
        calculation's (``--round N``: ``decimals``, every number as carried)
        when ``decimals`` is given, else ``digits``.  An unknown name raises
        ValueError naming the choices."""
        if decimals is not None:
            digits = _numbers.Carried(decimals)
        if shape is None:
            shape = _notation.Shape.of(net) if net is not None else _notation.Shape()
        if not shape.sizes:
            return cls(_notation.get(notation, None, latex), digits)
        return cls(shape.bind(notation, latex), digits)

    @property
    def name(self) -> str:
        """The notation's name (``"delta"``, ``"net-out"``, …)."""
        return self.notation.name

    @property
    def latex(self) -> bool:
        return isinstance(self.notation.s, Latex)

    def styled(self, latex: bool) -> "View":
        """The same view drawing its symbols as LaTeX (``True``) or plain text."""
        if latex == self.latex:
            return self
        return replace(self, notation=self.notation.restyled(LATEX if latex else PLAIN))

    @property
    def width(self) -> int:
        """The most characters a neuron's z, a or δ takes in this style (sign,
        digits, point, exponent: ``−1.235e−300``), for laying out columns: D
        significant digits + 7; in hand mode the calculation's N decimals + 7
        (each is carried at N decimals); exactly as carried, 12 + 7."""
        d = self.digits
        if isinstance(d, _numbers.Carried):
            d = d.decimals
        return (12 if d is None else max(d, 1)) + 7

    def fmt(self, x) -> str:
        """``x`` as this view writes a number (``·`` for None)."""
        return _numbers.fmt(x, self.digits, self.latex)

    def describe(self, event) -> _notation.Described:
        """One event in this view's symbols and numbers."""
        return _notation.describe(event, self.notation, self.digits)

    def shown(self) -> _notation.Shown:
        """A describer for a stream of events that checks each Σ line
        against the terms shown above it (:class:`~neuronet.present.notation.Shown`)."""
        return _notation.Shown(self.notation, self.digits)


#: what a view shows when given none: 004's symbols, unbound, 4 significant digits
DEFAULT = View.of()
