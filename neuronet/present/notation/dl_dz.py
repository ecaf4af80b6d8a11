"""001's notation (row vectors, binary cross-entropy): z_j^[l], a_j^[l],
W_i,j^[l]; g^[lz], g^[la], g^[lW], g^[lb] are ∂𝓛/∂z, ∂𝓛/∂a, ∂𝓛/∂W, ∂𝓛/∂b of
layer l; g_o / g_h the output / hidden activation; learning rate α; neurons
1-based, layer 0 = the input a^[0] = x."""
from .base import Notation


class DlDz(Notation):
    name = "dl-dz"
    order = 2
    base = 1
    source = "001_dc259c9a40097162.txt (row vectors, g^[lz])"

    def lay(self, l):
        return f"[{l}]"

    def two(self, i, j):
        return f"{i + 1},{j + 1}"

    def w(self, l, i, j):
        return self.s.sym("W", self.two(i, j), self.lay(l))

    def z(self, l, j):
        if self.bare_input(l):          # 001 line 16: a^[0] = [x_1 x_2 x_3 x_4]; there is no z^[0]
            return self.a(l, j)
        return super().z(l, j)

    def L(self):
        return "𝓛" if not self.s.latex else r"\mathcal{L}"

    def L_k(self, k):
        return self.s.sym("𝓛", str(k + 1))

    def g(self, l, what, sub):
        return self.s.sym("g", sub, f"[{l}{what}]")

    def delta(self, l, j):
        return self.g(l, "z", self.n(j))

    def dL_da(self, l, j):
        return self.g(l, "a", self.n(j))

    def grad_w(self, l, i, j):
        return self.g(l, "W", self.two(i, j))

    def grad_b(self, l, j):
        return self.g(l, "b", self.n(j))

    def _g(self, l):
        out = self.is_output(l)
        return "g_o" if out else "g_h" if out is False else "g"

    def fprime_sym(self, l, j):
        g = "g'" + self._g(l)[1:]
        return f"{g}({self.z(l, j)})"

    def act_symbol(self, l, act):
        return self._g(l)

    def pane(self, l):
        if self.bare_input(l):          # line 16: a^[0] = x, no z^[0]
            return ("a", "a", f"g^[{l}z]")
        return ("z", "a", f"g^[{l}z]")      # 001 writes g^{[lz]}: the superscript, as the diagrams draw it

    def eta(self):
        return "α" if not self.s.latex else r"\alpha"

    def eta_b(self):
        return self.s.sym("α", "b")

    def w_i(self, l, j):
        return self.s.sym("W", f"i,{j + 1}", self.lay(l))

    def delta_k(self, l):
        return self.s.sym("g", "k", f"[{l}z]")

    def w_jk(self, l, j):
        return self.s.sym("W", f"{j + 1},k", self.lay(l))

    def dL_da_n(self, l):
        return self.s.sym("g", "n", f"[{l}a]")
