"""004's notation (per-neuron pseudo-code, §2.2): z_j, a_j, b_j, w_jk, δ_k,
L, η — neurons 0-based as in its code.

004 names layers and neurons with one letter (§2.2: "i, j, and k are used to
denote both layers and individual neurons"; k the output, j before it, i,
then h, §2.4 step 6).  That is exact for a chain of one-neuron layers — its
§2.5 network, eqs. (6)–(15): z_i, a_i, b_i, w_ij, δ_k, y_k, and its loss
L_T (eq. 46) — and is what this notation writes for one.  A layer of several
neurons 004 writes with numbers and the layer implied (z_0, δ_0, w_00 in
§3, eqs. 17–19, 27, 31–33), which is ambiguous in a trace of several layers:
there the layer goes in a superscript, z_j^(l), and the loss is L."""
from .base import Notation

#: 004's layer letters, from the output backwards (k, j, i, then h, …)
LETTERS = "kjihgfedcba"


class Delta(Notation):
    """004: w_jk from neuron j to neuron k of the next layer, a_j, δ_k."""

    name = "delta"
    order = 0
    source = "004_69dfc149af69048d.txt (per-neuron pseudo-code, §2.2; §2.5 for a chain)"

    def chain(self) -> bool:
        """Is the network a chain of one-neuron layers (004 §2.5), written with letters?"""
        return (self.sizes is not None and 2 <= len(self.sizes) <= len(LETTERS)
                and all(n == 1 for n in self.sizes))

    def letter(self, l: int) -> str:
        return LETTERS[len(self.sizes) - 1 - l]

    def layer_name(self, l):
        return f"layer {self.letter(l)}" if self.chain() else super().layer_name(l)

    def z(self, l, j):
        return self.s.sym("z", self.letter(l)) if self.chain() else super().z(l, j)

    def a(self, l, j):
        return self.s.sym("a", self.letter(l)) if self.chain() else super().a(l, j)

    def b(self, l, j):
        return self.s.sym("b", self.letter(l)) if self.chain() else super().b(l, j)

    def delta(self, l, j):
        return self.s.sym("δ", self.letter(l)) if self.chain() else super().delta(l, j)

    def w(self, l, i, j):
        if self.chain():
            return self.s.sym("w", self.letter(l - 1) + self.letter(l))
        return super().w(l, i, j)

    def x(self, i):
        return self.s.sym("x") if self.chain() else super().x(i)

    def y(self, k):
        return self.s.sym("y", self.letter(len(self.sizes) - 1)) if self.chain() else super().y(k)

    def L(self):
        return self.s.sym("L", "T") if self.chain() else super().L()

    def L_k(self, k):
        return self.s.sym("L", self.letter(len(self.sizes) - 1)) if self.chain() else super().L_k(k)

    def z_formula(self, l, j):
        """eq. (7)/(9) with eq. (1)'s bias: z_j = w_ij·a_i + b_j."""
        if self.chain():
            s = self.s
            return f"{self.w(l, 0, 0)}{s.mul}{self.a(l - 1, 0)}{self.plus_b(l, j)}"
        return super().z_formula(l, j)

    def dsum_formula(self, l, j):
        """eq. (13): δ_k·w_jk."""
        if self.chain():
            return f"{self.delta(l + 1, 0)}{self.s.mul}{self.w(l + 1, 0, 0)}"
        return super().dsum_formula(l, j)
