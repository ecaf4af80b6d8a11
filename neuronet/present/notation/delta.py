"""004's notation (per-neuron pseudo-code, §2.2): z_j, a_j, b_j, w_jk, δ_k,
y_k, L_T, η — neurons 0-based as in its code.

004 names layers and neurons with one letter (§2.2, line 78: "i, j, and k
are used to denote both layers and individual neurons"): k the output, j
before it, i, then h (§2.4 step 6, line 141), and so on to the left.  For a
chain of one-neuron layers — its §2.5 network, eqs. (6)–(15) — the letter is
the whole name: z_i, a_j, w_ij, δ_k, y_k.

A layer of several neurons 004 writes with numbers and the layer implied
(z_0, δ_0, w_00 in §3, eqs. 17–19, 27, 31–33), which is ambiguous across
layers.  Here the neuron's number follows its layer's letter: δ_k0 is
neuron 0 of the output layer k, a_j1 neuron 1 of layer j, and w_j1k0 the
weight from j1 to k0 — 004's w_jk, δ_k, a_j with the number it would
write beside each.  A Σ runs over a bare letter, as eq. (29) does:
δ_j1 = f'(z_j1)·Σ_k δ_k·w_j1k, z_k0 = Σ_j w_jk0·a_j + b_k0 (eq. 1).

The loss is 004's L_T (§4, eqs. 46, 60, 86), the total over the outputs.
Unbound to a network (no ``sizes``), or deeper than the letters reach, the
layer goes in a superscript instead: z_j^(l), and the loss is L."""
from .base import Notation

#: 004's layer letters, from the output backwards (k, j, i, then h, …)
LETTERS = "kjihgfedcba"


class Delta(Notation):
    """004: w_jk from neuron j to neuron k of the next layer, a_j, δ_k."""

    name = "delta"
    order = 0
    source = "004_69dfc149af69048d.txt (per-neuron pseudo-code, §2.2; §2.5 for a chain)"

    def lettered(self) -> bool:
        """Is the network bound and shallow enough to name its layers k, j, i, …?"""
        return self.sizes is not None and 2 <= len(self.sizes) <= len(LETTERS)

    def chain(self) -> bool:
        """Is the network a chain of one-neuron layers (004 §2.5), written with letters alone?"""
        return self.lettered() and all(n == 1 for n in self.sizes)

    def letter(self, l: int) -> str:
        return LETTERS[len(self.sizes) - 1 - l]

    def unit(self, l: int, j: int) -> str:
        """Neuron j of layer l: its layer's letter, then its number (k0, j1),
        or the letter alone in a chain (k, j)."""
        return self.letter(l) if self.chain() else f"{self.letter(l)}{j}"

    def layer_name(self, l):
        return f"layer {self.letter(l)}" if self.lettered() else super().layer_name(l)

    def z(self, l, j):
        return self.s.sym("z", self.unit(l, j)) if self.lettered() else super().z(l, j)

    def a(self, l, j):
        return self.s.sym("a", self.unit(l, j)) if self.lettered() else super().a(l, j)

    def b(self, l, j):
        return self.s.sym("b", self.unit(l, j)) if self.lettered() else super().b(l, j)

    def delta(self, l, j):
        return self.s.sym("δ", self.unit(l, j)) if self.lettered() else super().delta(l, j)

    def w(self, l, i, j):
        if self.lettered() and 0 < l < len(self.sizes):
            return self.s.sym("w", self.unit(l - 1, i) + self.unit(l, j))
        return super().w(l, i, j)

    def x(self, i):
        if self.chain():
            return self.s.sym("x")
        return super().x(i)

    def _out(self) -> int:
        return len(self.sizes) - 1

    def y(self, k):
        return self.s.sym("y", self.unit(self._out(), k)) if self.lettered() else super().y(k)

    def L(self):
        return self.s.sym("L", "T") if self.lettered() else super().L()

    def L_k(self, k):
        return self.s.sym("L", self.unit(self._out(), k)) if self.lettered() else super().L_k(k)

    # -- the generic-index symbols of Σ formulas: a bare letter is summed over
    def w_i(self, l, j):
        if self.lettered():
            return self.s.sym("w", self.letter(l - 1) + self.unit(l, j))
        return super().w_i(l, j)

    def a_i(self, l):
        return self.s.sym("a", self.letter(l - 1)) if self.lettered() else super().a_i(l)

    def delta_k(self, l):
        return self.s.sym("δ", self.letter(l)) if self.lettered() else super().delta_k(l)

    def w_jk(self, l, j):
        if self.lettered():
            return self.s.sym("w", self.unit(l - 1, j) + self.letter(l))
        return super().w_jk(l, j)

    def a_n(self, l):
        return self.s.sym("a", f"{self.letter(l)}n") if self.lettered() else super().a_n(l)

    def a_generic(self, l, idx):
        return self.s.sym("a", f"{self.letter(l)}{idx}") if self.lettered() else super().a_generic(l, idx)

    def z_generic(self, l, idx):
        return self.s.sym("z", f"{self.letter(l)}{idx}") if self.lettered() else super().z_generic(l, idx)

    def z_formula(self, l, j):
        """eq. (7)/(9) with eq. (1)'s bias: z_j = w_ij·a_i + b_j."""
        if self.chain():
            s = self.s
            return f"{self.w(l, 0, 0)}{s.mul}{self.a(l - 1, 0)}{self.plus_b(l, j)}"
        if self.lettered():             # eq. (1): z_y = Σ_x w_xy·a_x + b_y, over the letter of layer x
            s = self.s
            return f"{s.sum(self.letter(l - 1), f'{self.w_i(l, j)}{s.mul}{self.a_i(l)}')}{self.plus_b(l, j)}"
        return super().z_formula(l, j)

    def dsum_formula(self, l, j):
        """eq. (13): δ_k·w_jk."""
        if self.chain():
            return f"{self.delta(l + 1, 0)}{self.s.mul}{self.w(l + 1, 0, 0)}"
        if self.lettered():             # eq. (29): Σ_k δ_k·w_jk, over the letter of the layer ahead
            s = self.s
            return s.sum(self.letter(l + 1), f"{self.delta_k(l + 1)}{s.mul}{self.w_jk(l + 1, j)}")
        return super().dsum_formula(l, j)

    def softmax_formula(self, l, j):
        """softmax over the neutral index n that 004 §4 sums outputs with (line 744)."""
        if self.lettered():
            s = self.s
            return s.frac(s.exp(self.z(l, j)), s.sum("n", s.exp(self.z_generic(l, "n"))))
        return super().softmax_formula(l, j)
