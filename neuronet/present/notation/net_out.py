"""002's notation (its worked 2-4-3-2 example): layers lettered a
(the input), b, c, d…; net_c1, out_c1; the inputs a_1, a_2 (no net or bias
of their own); the weights of
a layer numbered row by row of its to-from matrix (w_d1, w_d2, w_d3 feed d1
from c1, c2, c3; 002 §3); E_total = Σ ½(target − out)²; learning rate l.
Neurons are named by the spec's ``labels`` when it has them."""
from ...engine.events import Event  # noqa: F401  (type of the events described)
from .base import Notation


class NetOut(Notation):
    name = "net-out"
    order = 1
    base = 1
    source = "002_25d3dd3a4f2fa46e.txt (worked 2-4-3-2 example)"

    def letter(self, l):
        return chr(ord("a") + l) if l < 26 else f"L{l}"

    def layer_name(self, l):
        return f"layer {self.letter(l)}"

    def unit(self, l, j):
        if self.labels is not None and l < len(self.labels) and self.labels[l] and self.labels[l][j]:
            return self.s.label(self.labels[l][j])
        return f"{self.letter(l)}{j + 1}"

    def _bare_input(self, l) -> bool:
        """002's input layer: a_1, a_2 only — no net, no out, no bias (002
        line 38, "a_1 = 1, a_2 = 0"; line 50, net_b1 = w_b1 * a_1 + w_b2 * a_2)."""
        return self.bare_input(l)

    def z(self, l, j):
        if self._bare_input(l):
            return self.x(j)
        return self.s.sym("net", self.unit(l, j))

    def a(self, l, j):
        if self._bare_input(l):
            return self.x(j)
        return self.s.sym("out", self.unit(l, j))

    def b(self, l, j):
        return self.s.sym("b", self.unit(l, j))

    def w(self, l, i, j):
        if self.sizes is not None and 0 < l < len(self.sizes):
            return self.s.sym("w", f"{self.letter(l)}{j * self.sizes[l - 1] + i + 1}")
        return self.s.sym("w", f"{self.unit(l - 1, i)}→{self.unit(l, j)}")

    def x(self, i):
        return self.s.sym("a", str(i + 1))          # 002 §3: "the two inputs a_1 and a_2"

    def _out_letter(self):
        return self.letter(len(self.sizes) - 1) if self.sizes else "out"

    def y(self, k):
        return self.s.sym("target", f"{self._out_letter()}{k + 1}")

    def L(self):
        return self.s.sym("E", "total")

    def L_k(self, k):
        return self.s.sym("E", f"{self._out_letter()}{k + 1}")

    def delta(self, l, j):
        return self.s.d(self.L(), self.z(l, j))

    def fprime_sym(self, l, j):
        return self.s.d(self.a(l, j), self.z(l, j))

    def act_symbol(self, l, act):
        return self.s.fn("sig") if act == "sigmoid" else super().act_symbol(l, act)

    def pane(self, l):
        if self._bare_input(l):         # line 38: the inputs are a_1, a_2 — no net, no out
            return ("a", "a", "∂E/∂net")
        return ("net", "out", "∂E/∂net")

    def eta(self):
        return "l"            # 002 §7: "learning rate l = 0.5"

    def eta_b(self):
        return self.s.sym("l", "b")

    def sum_w(self, l, i, j):
        return f"Σ {self.grad_w(l, i, j)}" if not self.s.latex else rf"\sum {self.grad_w(l, i, j)}"

    def sum_b(self, l, j):
        return f"Σ {self.grad_b(l, j)}" if not self.s.latex else rf"\sum {self.grad_b(l, j)}"

    def a_n(self, l):
        return self.s.sym("out", f"{self.letter(l)}n")

    def z_generic(self, l, idx):
        return self.s.sym("net", f"{self.letter(l)}{idx}")

    def z_formula(self, l, j):
        """002 §4: net_b = W_b·a, one row of it: (W_b·out_a)_1."""
        s = self.s
        # 002 line 52: net_b = W_b * a (the inputs); line 64: net_c = W_c * out_b
        a = "a" if self._bare_input(l - 1) else s.sym("out", self.letter(l - 1))
        return f"({s.sym('W', self.letter(l))}{s.mul}{a}){s.sym('', str(j + 1))}{self.plus_b(l, j)}"

    def dsum_formula(self, l, j):
        """002 §7: ∂E/∂out_c = (W_d)^T·∂E/∂net_d, one row of it."""
        s = self.s
        WT = s.sym("W", self.letter(l + 1), "T")
        return f"({WT}{s.mul}{s.d(self.L(), s.sym('net', self.letter(l + 1)))}){s.sym('', str(j + 1))}"

    def loss_term(self, loss, A, Y):
        if loss == "half_sse":      # 002 (1): ½(target − out)²
            s = self.s
            return f"{s.half}{s.sqr(f'{Y} {s.minus} {A}')}"
        return super().loss_term(loss, A, Y)
