"""003's notation (softmax + cross-entropy, batches): z_j^l, h_j^l for
hidden activations, ŷ_k for the output, x_i the input, w_i,j^l, b_j^l, H the
cross-entropy; δ numbered from the output backwards (δ^1 = ∂H/∂z^L); the
softmax Jacobian's off-diagonal −ŷ_iŷ_j; neurons 1-based."""
from .base import Notation


class ZH(Notation):
    name = "z-h"
    order = 4
    base = 1
    source = "003_be212e6186c688dd.txt (z, h, ŷ, H; δ^1 at the output)"

    def lay(self, l):
        return str(l)

    def layer_name(self, l):
        """As 003's headings name them: "Input layer" (line 317), "Hidden layer 1" (line 260),
        "Hidden layer 2" (line 111), "The output layer" (line 27)."""
        if self.sizes is None:
            return super().layer_name(l)
        if l == 0:
            return "input layer"
        return "output layer" if self.is_output(l) else f"hidden layer {l}"

    def two(self, i, j):
        return f"{i + 1},{j + 1}"

    def _input_is_x(self, l):
        return l == 0 and self.input_activation == "identity"      # 003's input layer is x itself

    def z(self, l, j):
        if self._input_is_x(l) and not self.input_bias:     # line 338: x = [x_1 x_2]; 003 has no z^0
            return self.s.sym("x", self.n(j))
        return super().z(l, j)

    def a(self, l, j):
        if self.is_output(l):
            return self.s.sym("ŷ", self.n(j))
        if self._input_is_x(l):
            return self.s.sym("x", self.n(j))
        return self.s.sym("h", self.n(j), self.lay(l))

    def a_generic(self, l, idx):
        if self.is_output(l):
            return self.s.sym("ŷ", idx)
        if self._input_is_x(l):
            return self.s.sym("x", idx)
        return self.s.sym("h", idx, self.lay(l))

    def pane(self, l):
        a = "ŷ" if self.is_output(l) else "x" if self._input_is_x(l) else "h"
        z = "x" if self._input_is_x(l) and not self.input_bias else "z"    # line 338: no z^0
        return (z, a, "δ")

    def L(self):
        return "H"

    def L_k(self, k):
        return self.s.sym("H", str(k + 1))

    def delta(self, l, j):
        if self.sizes is None:
            return self.s.d("H", self.z(l, j))
        return self.s.sym("δ", self.n(j), str(len(self.sizes) - l))

    def fprime_sym(self, l, j):
        return f"{self.s.fn('σ')}'({self.z(l, j)})"

    def w_i(self, l, j):
        return self.s.sym("w", f"i,{j + 1}", self.lay(l))

    def a_i(self, l):
        return self.a_generic(l - 1, "i")

    def delta_k(self, l):
        if self.sizes is None:
            return self.s.d("H", self.s.sym("z", "k", self.lay(l)))
        return self.s.sym("δ", "k", str(len(self.sizes) - l))

    def w_jk(self, l, j):
        return self.s.sym("w", f"{j + 1},k", self.lay(l))

    def a_n(self, l):
        return self.a_generic(l, "n")

    def jacobian_formula(self, An, Ak, same):
        """003: ŷ_i(1 − ŷ_i) on the diagonal, −ŷ_iŷ_j off it (written side by side, as 003 does)."""
        s = self.s
        if same:
            return f"{An}(1 {s.minus} {Ak})"
        numbers = An[:1].isdigit() or An[:1] in "(−-"
        return f"{s.minus}{An}{s.mul if numbers else ''}{Ak}"
