"""The :class:`Notation` base class every text's notation extends.

A notation is a set of symbols (methods of a :class:`Notation` subclass, one
module per source text in this package).  :func:`~.describe.describe` asks
the bound notation for every symbol it writes and never looks at which
notation it is: a new notation overrides symbols, nothing else.
"""
from __future__ import annotations

from ...engine import activations as _activations
from ...engine import losses as _losses
from ...engine.events import Event
from .styles import PLAIN, Plain


class Notation:
    """The symbols every view draws with.  The defaults are 004's layout
    (layer in a superscript, 0-based neurons); each text's module overrides
    what its text writes differently."""

    name = ""
    source = ""                 # the text and where its notation is set out
    order = 99                  # place in NOTATIONS
    base = 0                    # index base of neurons

    def __init__(self, sizes: list[int] | None = None, style: Plain = PLAIN,
                 input_activation: str = "identity", labels=None) -> None:
        self.sizes = list(sizes) if sizes is not None else None
        self.s = style
        self.input_activation = input_activation
        self.labels = labels            # the spec's neuron labels per layer, or None
        self.no_bias: frozenset = frozenset()   # layers without biases (spec "biases = false")
        self.input_bias = False                 # the input layer has (trained) biases

    def restyled(self, style: Plain) -> "Notation":
        """The same notation, bound to the same network, drawing in ``style``."""
        other = type(self)(self.sizes, style, self.input_activation, self.labels)
        other.no_bias, other.input_bias = self.no_bias, self.input_bias
        return other

    def bare_input(self, l: int) -> bool:
        """Is layer l an input layer with nothing of its own — no bias, no
        squashing — so that a text writes only its x (000, 002, 001)?"""
        return l == 0 and not self.input_bias and self.input_activation == "identity"

    def has_bias(self, l: int) -> bool:
        """Does layer l have a bias to write (``+ b``)?  Not when the spec
        says ``biases = false``, as for 002, which has none."""
        return l not in self.no_bias and (l > 0 or self.input_bias)

    def plus_b(self, l: int, j: int) -> str:
        """`` + b_j`` of a z formula, or nothing for a layer without biases."""
        return f" + {self.b(l, j)}" if self.has_bias(l) else ""

    # -- indices ----------------------------------------------------------
    def n(self, i: int) -> str:
        return str(i + self.base)

    def two(self, i: int, j: int) -> str:
        a, b = self.n(i), self.n(j)
        return a + b if len(a) == 1 and len(b) == 1 else f"{a},{b}"

    def lay(self, l: int) -> str:
        return f"({l})"

    def is_output(self, l: int) -> bool | None:
        return None if self.sizes is None else l == len(self.sizes) - 1

    def layer_name(self, l: int) -> str:
        """The layer as the trace's headings call it."""
        return f"layer {l}"

    def neuron_name(self, l: int, j: int) -> str:
        """A neuron without a spec label, as the notation counts it: "neuron
        1" of its layer in a 1-based text (the layer is named beside it)."""
        return f"neuron {self.n(j)}"

    # -- quantities of one neuron -------------------------------------------
    def z(self, l, j):
        return self.s.sym("z", self.n(j), self.lay(l))

    def a(self, l, j):
        return self.s.sym("a", self.n(j), self.lay(l))

    def b(self, l, j):
        return self.s.sym("b", self.n(j), self.lay(l))

    def w(self, l, i, j):
        return self.s.sym("w", self.two(i, j), self.lay(l))

    def x(self, i):
        return self.s.sym("x", self.n(i))

    def y(self, k):
        return self.s.sym("y", self.n(k))

    def L(self):
        return "L"

    def L_k(self, k):
        return self.s.sym("L", self.n(k))

    def delta(self, l, j):
        return self.s.sym("δ", self.n(j), self.lay(l))

    def dL_da(self, l, j):
        return self.s.d(self.L(), self.a(l, j))

    def fprime_sym(self, l, j):
        return f"f'({self.z(l, j)})"

    def act_symbol(self, l, act: str) -> str:
        """The name of layer l's activation in a formula (σ, tanh, …)."""
        try:
            return self.s.act(_activations.get(act))
        except KeyError:
            return self.s.fn(act)

    def jac(self, l, n, k):
        return self.s.d(self.a(l, n), self.z(l, k))

    def eta(self):
        return self.s.sym("η")

    def eta_b(self):
        return self.s.sym("η", "b")

    def grad_w(self, l, i, j):
        return self.s.d(self.L(), self.w(l, i, j))

    def grad_b(self, l, j):
        return self.s.d(self.L(), self.b(l, j))

    def sum_w(self, l, i, j):
        """A batch's running sum of ∂L/∂w (004 line 229: "accumulate the sum of
        all needed weight changes"): ∇ before the weight's own symbol, so the
        sum is named in the same letters as the weight (∇w_i1j2, not ∇w_12^(2))."""
        return self._nabla(self.w(l, i, j))

    def sum_b(self, l, j):
        return self._nabla(self.b(l, j))

    def _nabla(self, symbol: str) -> str:
        return (r"\nabla " if self.s.latex else "∇") + symbol

    def input_x(self, i):
        return self.x(i)

    # -- the generic-index symbols of Σ formulas ("Σ_i w_ij·a_i") ------------
    def w_i(self, l, j):
        return self.s.sym("w", f"i{j}", self.lay(l))

    def a_i(self, l):
        return self.s.sym("a", "i", self.lay(l - 1))

    def delta_k(self, l):
        return self.s.sym("δ", "k", self.lay(l))

    def w_jk(self, l, j):
        return self.s.sym("w", f"{j}k", self.lay(l))

    def a_n(self, l):
        return self.s.sym("a", "n", self.lay(l))

    def a_generic(self, l, idx):
        """a (or ŷ, out, o, h) of layer l with a letter index."""
        return self.s.sym("a", idx, self.lay(l))

    def z_generic(self, l, idx):
        return self.s.sym("z", idx, self.lay(l))

    def dL_da_n(self, l):
        return self.s.d(self.L(), self.a_n(l))

    def jac_n(self, l, k):
        return self.s.d(self.a_n(l), self.z(l, k))

    # -- whole formulas a text writes its own way -----------------------------
    def z_formula(self, l, j):
        """z of neuron j of layer l in symbols (Σ_i w_ij·a_i + b_j)."""
        s = self.s
        return f"{s.sum('i', f'{self.w_i(l, j)}{s.mul}{self.a_i(l)}')}{self.plus_b(l, j)}"

    def dsum_formula(self, l, j):
        """∂L/∂a_j of a hidden neuron in symbols (Σ_k δ_k·w_jk)."""
        s = self.s
        return s.sum("k", f"{self.delta_k(l + 1)}{s.mul}{self.w_jk(l + 1, j)}")

    def softmax_formula(self, l, j):
        """softmax written out: exp(z_j) / Σ_i exp(z_i)."""
        s = self.s
        return s.frac(s.exp(self.z(l, j)), s.sum("i", s.exp(self.z_generic(l, "i"))))

    def fill(self, template, A: str, Y: str) -> str:
        """A loss's display template (:class:`~neuronet.engine.losses.Loss`)
        in this notation's style: {A}, {Y}, {minus}, {mul}, {half} filled in,
        ("sqr" | "frac" | "log", …) drawn by the style, ("cat", …) joined."""
        s = self.s
        if isinstance(template, str):
            return template.format(A=A, Y=Y, minus=s.minus, mul=s.mul, half=s.half)
        op, *args = template
        parts = [self.fill(t, A, Y) for t in args]
        return "".join(parts) if op == "cat" else getattr(s, op)(*parts)

    def loss_term(self, loss: str, A: str, Y: str) -> str | None:
        """One output's loss in symbols (or numbers): A the output, Y the
        target — from the loss's own template."""
        template = _template(loss, "term_template")
        return self.fill(template, A, Y) if template is not None else None

    def loss_grad(self, loss: str, A: str, Y: str) -> str | None:
        """∂L/∂a of one output in symbols (or numbers), from the loss's own template."""
        template = _template(loss, "grad_template")
        return self.fill(template, A, Y) if template is not None else None

    def fprime_formula(self, act: str, A: str, Z: str) -> str:
        """f'(z) of ``act`` in symbols (or numbers), from the activation's own template."""
        s = self.s
        try:
            template = _activations.get(act).fprime_formula
        except KeyError:
            template = ""
        if not template:
            return f"f'({Z})"
        return template.format(a=A, z=Z, minus=s.minus, mul=s.mul, le=s.le, sq=s.sq)

    def jacobian_formula(self, An: str, Ak: str, same: bool) -> str:
        """∂a_n/∂z_k of softmax: a_n(1 − a_n) on the diagonal, −a_n·a_k off it (003)."""
        s = self.s
        return f"{An}(1 {s.minus} {Ak})" if same else f"{s.minus}{An}{s.mul}{Ak}"

    def pane(self, l) -> tuple[str, str, str]:
        """Short names of z, a and δ for the network picture's cells (layer l)."""
        return ("z", "a", "δ")

    def remark(self, e: Event) -> str:
        return ""


def _template(loss: str, which: str):
    """The display template ``which`` of the loss named ``loss`` (None if unknown)."""
    try:
        return getattr(_losses.get(loss), which)
    except KeyError:
        return None
