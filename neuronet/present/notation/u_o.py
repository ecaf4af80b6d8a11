"""000's notation (column vectors, softmax): u_j^k the input of neuron j in
layer k, o_j^k = σ(u_j^k), w_i,j^k from neuron i of layer k − 1, b_j^k; l the
loss, y the target, x the input (o^0); neurons 1-based.

000's sign: 000 writes the output-layer gradient ∂l/∂u_k as (y_k − o_k).
For softmax + cross-entropy the chain rule gives ∂l/∂u_k = o_k − y_k, so the
text's "error" (y − o) is the *negative* of the δ computed here (and of ∂L/∂a
for ½-squared error with a linear output); with it, gradient *descent*
would have to add, w ← w + η·(y − o)·o.  This notation prints the correct
sign and says so in a remark on every output-layer ∂l/∂o and ∂l/∂u line."""
from ...engine.events import Event
from .base import Notation

U_O_SIGN_DELTA = ("000 writes ∂l/∂u of the output as (y − o); with softmax + cross-entropy the chain "
                  "rule gives o − y, so the text's 'error' is the negative of this ∂l/∂u")
U_O_SIGN_DA = ("000's 'error' (y − o) is the negative of this ∂l/∂o = o − y; "
               "w ← w − η·∂l/∂w needs the sign printed here")


class UO(Notation):
    name = "u-o"
    order = 3
    base = 1
    source = "000_e7be51513e122931.txt (u, o; its (y − o) is −∂l/∂u)"

    def lay(self, l):
        return str(l)

    def two(self, i, j):
        return f"{i + 1},{j + 1}"

    def z(self, l, j):
        if self.bare_input(l):          # 000 (7): u_1^1 = x_1 w_1,1^1 + x_2 w_2,1^1 + b_1^1
            return self.x(j)
        return self.s.sym("u", self.n(j), self.lay(l))

    def a(self, l, j):
        if self.bare_input(l):
            return self.x(j)
        return self.s.sym("o", self.n(j), self.lay(l))

    def L(self):
        return "l"

    def L_k(self, k):
        return self.s.sym("l", str(k + 1))

    def delta(self, l, j):
        return self.s.d("l", self.z(l, j))

    def fprime_sym(self, l, j):
        return f"{self.s.fn('σ')}'({self.z(l, j)})"

    def grad_b(self, l, j):
        return self.s.d("l", self.b(l, j))

    def w_i(self, l, j):
        return self.s.sym("w", f"i,{j + 1}", self.lay(l))

    def a_i(self, l):
        return self.s.sym("o", "i", self.lay(l - 1))

    def delta_k(self, l):
        return self.s.d("l", self.s.sym("u", "k", self.lay(l)))

    def w_jk(self, l, j):
        return self.s.sym("w", f"{j + 1},k", self.lay(l))

    def a_n(self, l):
        return self.s.sym("o", "n", self.lay(l))

    def z_generic(self, l, idx):
        return self.s.sym("u", idx, self.lay(l))

    def pane(self, l):
        if self.bare_input(l):          # eq. (7): the inputs are x_1, x_2 — no u^0, no o^0
            return ("x", "x", "∂l/∂u")
        return ("u", "o", "∂l/∂u")

    def remark(self, e: Event) -> str:
        if e.kind == "delta_out":
            return U_O_SIGN_DELTA
        if e.kind == "dL_da" and e.note == "half_sse":
            return U_O_SIGN_DA
        return ""
