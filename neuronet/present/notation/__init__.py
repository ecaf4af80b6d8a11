"""The same trace event in the symbols of each source text.

One module per text; each defines a :class:`~.base.Notation` subclass with
its ``name``, and is found here by itself (a new notation = one new module)::

    delta    004  z_k0, a_j1, b_j1, w_j1k0, δ_k0, y_k0, L_T, η (layers k, j, i, …) 0-based
    net-out  002  net_c1, out_c1, w_d1, E_total, target, a_1, l       1-based, layers a, b, c, …
    dl-dz    001  z_j^[l], a_j^[l], W_i,j^[l], g_j^[lz], g_j^[la], α   1-based, row vectors
    u-o      000  u_j^k, o_j^k, w_i,j^k, b_j^k, l (loss), η            1-based
    z-h      003  z_j^l, h_j^l, ŷ_k, w_i,j^l, δ^1 = output, H          1-based

:func:`describe` turns one :class:`~neuronet.engine.events.Event` into a
:class:`Described` — the left-hand side symbol, the formula in symbols, the
same formula with the event's numbers substituted, and the value.  It never
recomputes anything: every number printed is a field of the event, formatted
by the one display policy of :mod:`neuronet.present.numbers`.

Layer and neuron indices of events are 0-based (as in the spec file); each
notation shifts them to its text's index base.  Some symbols need the
network's shape (002 numbers the weights of a layer 1, 2, 3, … row by row;
003 numbers its δ from the output backwards; 001 writes g'_o for the output
layer and g'_h for hidden ones): bind the notation to the network with
:func:`for_net` (or pass ``sizes``) — without it those symbols fall back to
an explicit two-index form.
"""
from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass

from ..numbers import APPROX, LEGEND, Carried, fmt  # noqa: F401  (re-exported)
from .base import Notation  # noqa: F401
from .describe import Described, Shown  # noqa: F401
from .describe import describe as _describe
from .styles import LATEX, PLAIN, Latex, Plain  # noqa: F401
from .u_o import U_O_SIGN_DA, U_O_SIGN_DELTA  # noqa: F401


def _discover() -> dict[str, type[Notation]]:
    found = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name in ("base", "styles", "describe"):
            continue
        mod = importlib.import_module(f"{__name__}.{info.name}")
        for obj in vars(mod).values():
            if isinstance(obj, type) and issubclass(obj, Notation) and obj.name and obj.__module__ == mod.__name__:
                found[obj.name] = obj
    return dict(sorted(found.items(), key=lambda kv: (kv[1].order, kv[0])))


_CLASSES = _discover()
NOTATIONS: tuple[str, ...] = tuple(_CLASSES)
SOURCES = {name: cls.source for name, cls in _CLASSES.items()}


def get(name: str = "delta", sizes: list[int] | None = None, latex: bool = False,
        input_activation: str = "identity", labels=None) -> Notation:
    """The notation ``name`` bound to a network shape (``net.sizes``), the
    input layer's activation (003 calls the input x only when it is not
    squashed; 004 §2.5 squashes it) and the spec's neuron labels."""
    try:
        cls = _CLASSES[name]
    except KeyError:
        raise ValueError(f"unknown notation {name!r}; choose one of {', '.join(NOTATIONS)}") from None
    return cls(sizes, LATEX if latex else PLAIN, input_activation, labels)


def labels_of(net):
    """The spec's ``labels`` per layer (None for a layer without them)."""
    has = net.meta.get("labels") if getattr(net, "meta", None) else None
    out = []
    for l, layer in enumerate(net.layers):
        given = has[l] if has and l < len(has) else any(n.desc for n in layer)
        out.append([n.desc for n in layer] if given else None)
    return out


@dataclass(frozen=True)
class Shape:
    """What a notation is bound to — the facts of one network its symbols
    depend on: the layer sizes, the input layer's activation, the spec's
    labels, which layers have no biases and whether the input layer's are
    trained.  One value, taken from a live network (:meth:`of`) or kept with a
    recorded trace, so every view binds a notation the same way."""
    sizes: tuple = ()
    input_activation: str = "identity"
    labels: tuple | None = None
    no_bias: frozenset = frozenset()
    input_bias: bool = False

    @classmethod
    def of(cls, net) -> "Shape":
        return cls(tuple(net.sizes), net.activations[0].name,
                   tuple(None if ls is None else tuple(ls) for ls in labels_of(net)),
                   frozenset(getattr(net, "no_bias", ())), bool(getattr(net, "input_bias", False)))

    def bind(self, name: str, latex: bool = False) -> Notation:
        """The notation ``name`` bound to this shape."""
        labels = None if self.labels is None else [None if ls is None else list(ls) for ls in self.labels]
        N = get(name, list(self.sizes), latex, self.input_activation, labels)
        N.no_bias, N.input_bias = self.no_bias, self.input_bias
        return N


def for_net(name: str, net, latex: bool = False) -> Notation:
    """The notation ``name`` bound to ``net``'s shape, input activation,
    labels and which layers have biases (its :class:`Shape`)."""
    return Shape.of(net).bind(name, latex)


def describe(event, N: Notation, digits=4) -> Described:
    """``event`` in the symbols of the bound notation ``N`` (:func:`for_net`,
    :meth:`Shape.bind`); numbers with ``digits`` significant digits (``None``:
    exactly as carried; a :class:`Carried`: hand mode).  A view describes
    through its :class:`~neuronet.present.view.View`, which holds both."""
    return _describe(event, N, digits)
