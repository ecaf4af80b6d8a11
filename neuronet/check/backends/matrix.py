"""The matrix backend: the texts' matrix formulas in numpy, a whole batch at once.

Nothing here loops over neurons.  Each layer is one matrix product, and a
batch of N samples is one matrix (003, "Extension to using more than 1
sample"): the per-sample vectors side by side.  Two conventions give the same
numbers:

**column** (002 §4–§7, 004 §3, 000) — activations are column vectors; a batch
puts the samples in the columns, A_l is n_l × N; W_l is [to][from], n_l × n_{l−1}
(002's W_b, 004 eq. 25, the transpose of the spec's "weights")::

    Z_l = W_l A_{l−1} + b_l             004 eq. 24, 002 "net_b = W_b * a"
    ∂L/∂A_{l−1} = W_lᵀ Δ_l              002 "(W_d)^T * derivative(d)", 000 "W_3^T × δ"
    ∇W_l = Δ_l A_{l−1}ᵀ                 002 "W_dg = ∂E/∂net_d * (out_c)^T", 004 eq. 43, 000
    ∇b_l = Δ_l 1                        each row summed over the samples

**row** (001, 003) — activations are row vectors; a batch stacks the samples
as rows, A_l is N × n_l; W_l is [from][to], the spec's own layout::

    Z_l = A_{l−1} W_l + b_l             001 "z^[2] = a^[1] W^[2] + b^[2]"
    ∂L/∂A_{l−1} = Δ_l W_lᵀ              001 "g^[1a] = g^[2z]·(W^[2])^T", 003 "δ (W^3)^T"
    ∇W_l = A_{l−1}ᵀ Δ_l                 001 "(a^[1])^T·g^[2z]", 003 "(h^2)^T δ^1"
    ∇b_l = 1ᵀ Δ_l                       003: "sum up the first column of δ"

In both, ∇W sums the per-sample products δ_j a_i over the batch inside the
matrix product (003: "we need to sum the change … for all of the samples").

The deltas are the general chain rule δ = Jᵀ ∂L/∂a, sample by sample:

* element-wise f: J is diagonal, so Δ_l = f'(Z_l) ∘ ∂L/∂A_l (001 "g'_h(z) ∘",
  003 "∘ σ'(z^2)", 000 "⊙ σ'(u_2)", 004 eq. 26/29);
* softmax: J = diag(a) − a aᵀ, so (Jᵀ g)_k = a_k g_k − a_k Σ_n a_n g_n — for any
  loss, not only the a − y that softmax + cross-entropy collapses to (003, 000).

The output layer starts from ∂L/∂A of the spec's loss, not from 004 eq. 26's
(a − y), which is ∂L/∂a of ½·SSE only.  ``reduction="mean"`` divides the loss
and every gradient by N (004 eq. 5), ``"sum"`` does not (003).
"""
from __future__ import annotations

import math
import random

import numpy as np

from ...engine.activations import LEAKY_SLOPE
from ...errors import NumericError
from ...engine.train import batches
from .params import CONVENTIONS, Parameters, parameters, updated_spec
DTYPES = ("float64", "float32", "bfloat16")


# ---------------------------------------------------------------------------
# number types: float64 (the default), float32, and bfloat16 emulated as
# float32 arithmetic whose every stored result is rounded to bfloat16
# ---------------------------------------------------------------------------

def bfloat16(X: np.ndarray) -> np.ndarray:
    """Round a float32 array to bfloat16 (its top 16 bits), to nearest, ties
    to even — what a bf16 store does; the result is still a float32 array."""
    X = np.array(X, dtype=np.float32)
    bits = X.view(np.uint32).astype(np.uint64)
    bits = (bits + 0x7FFF + ((bits >> 16) & 1)) & 0xFFFF0000
    out = bits.astype(np.uint32).view(np.float32)
    return np.where(np.isfinite(X), out, X)


def _storage(dtype: str):
    """(numpy dtype of the arithmetic, rounding of every stored result)."""
    if dtype == "float64":
        return np.float64, None
    if dtype == "float32":
        return np.float32, None
    if dtype == "bfloat16":
        return np.float32, bfloat16
    raise ValueError(f"dtype must be one of {', '.join(DTYPES)}, not {dtype!r}")


# ---------------------------------------------------------------------------
# activations: f and f' on whole matrices; ``axis`` is the neuron axis
# (0 in the column convention, 1 in the row convention)
# ---------------------------------------------------------------------------

def activate(name: str, Z: np.ndarray, axis: int) -> np.ndarray:
    if name == "identity":
        return Z.copy()
    if name == "sigmoid":
        # 1/(1 + e^(−z)) for z ≥ 0 and e^z/(1 + e^z) below: never overflows
        e = np.exp(-np.abs(Z))
        return np.where(Z >= 0.0, 1.0 / (1.0 + e), e / (1.0 + e))
    if name == "tanh":
        return np.tanh(Z)
    if name == "relu":
        return np.where(Z > 0.0, Z, 0.0)
    if name == "leaky_relu":
        return np.where(Z > 0.0, Z, LEAKY_SLOPE * Z)
    if name == "softmax":
        E = np.exp(Z - Z.max(axis=axis, keepdims=True))   # − max z: same value, no overflow
        return E / E.sum(axis=axis, keepdims=True)
    raise ValueError(f"unknown activation {name!r}")


def fprime(name: str, Z: np.ndarray, A: np.ndarray) -> np.ndarray:
    """f'(Z) element by element, from A = f(Z) where the texts do so."""
    if name == "identity":
        return np.ones_like(Z)
    if name == "sigmoid":
        return A * (1.0 - A)                 # σ' = σ(1 − σ)
    if name == "tanh":
        return 1.0 - A * A
    if name == "relu":
        return np.where(Z > 0.0, 1.0, 0.0)   # f'(0) taken as 0, as the core does
    if name == "leaky_relu":
        return np.where(Z > 0.0, 1.0, LEAKY_SLOPE)
    raise ValueError(f"{name} has no element-wise derivative")


def delta(name: str, Z: np.ndarray, A: np.ndarray, dL_dA: np.ndarray, axis: int) -> np.ndarray:
    """Δ = ∂L/∂Z from ∂L/∂A: Jᵀ·∂L/∂a for every sample at once."""
    if name == "softmax":
        # J_nk = a_n(1[n = k] − a_k) is symmetric; (Jᵀ g)_k = a_k g_k − a_k Σ_n a_n g_n
        AG = A * dL_dA
        return AG - A * AG.sum(axis=axis, keepdims=True)
    return fprime(name, Z, A) * dL_dA


# ---------------------------------------------------------------------------
# losses: per-output terms (their sum is L) and ∂L/∂A, on whole matrices
# ---------------------------------------------------------------------------

def _bad(mask: np.ndarray, loss: str, what: str, axis: int) -> None:
    if mask.any():
        idx = np.argwhere(mask)[0]
        s, k = (idx[1], idx[0]) if axis == 0 else (idx[0], idx[1])
        raise NumericError(f"loss {loss}: {what} at sample {s}, output {k}")


def loss_terms(name: str, A: np.ndarray, Y: np.ndarray, axis: int) -> np.ndarray:
    if name == "half_sse":
        return 0.5 * (A - Y) ** 2
    if name == "sse":
        return (A - Y) ** 2
    if name == "mse":
        return (A - Y) ** 2 / A.shape[axis]
    if name == "bce":
        # −[y log a + (1 − y) log(1 − a)], a term whose factor is 0 is 0 (0·log 0 = 0)
        has_y, has_1my = Y != 0.0, Y != 1.0
        _bad(has_y & (A <= 0.0), name, "log(a) of a non-positive a", axis)
        _bad(has_1my & (1.0 - A <= 0.0), name, "log(1 − a) of a non-positive 1 − a", axis)
        t = np.where(has_y, -Y * np.log(np.where(has_y, A, 1.0)), 0.0)
        return t - np.where(has_1my, (1.0 - Y) * np.log(np.where(has_1my, 1.0 - A, 1.0)), 0.0)
    if name == "cross_entropy":
        has_y = Y != 0.0
        _bad(has_y & (A <= 0.0), name, "log(a) of a non-positive a", axis)
        return np.where(has_y, -Y * np.log(np.where(has_y, A, 1.0)), 0.0)
    raise ValueError(f"unknown loss {name!r}")


def loss_grad(name: str, A: np.ndarray, Y: np.ndarray, axis: int) -> np.ndarray:
    if name == "half_sse":
        return A - Y
    if name == "sse":
        return 2.0 * (A - Y)
    if name == "mse":
        return 2.0 * (A - Y) / A.shape[axis]
    if name == "bce":
        # ∂L/∂a = −y/a + (1 − y)/(1 − a)  (001 §3)
        has_y, has_1my = Y != 0.0, Y != 1.0
        _bad(has_y & (A == 0.0), name, "∂L/∂a divides by a = 0", axis)
        _bad(has_1my & (A == 1.0), name, "∂L/∂a divides by 1 − a = 0", axis)
        g = np.where(has_y, -Y / np.where(has_y, A, 1.0), 0.0)
        return g + np.where(has_1my, (1.0 - Y) / np.where(has_1my, 1.0 - A, 1.0), 0.0)
    if name == "cross_entropy":
        has_y = Y != 0.0
        _bad(has_y & (A == 0.0), name, "∂L/∂a divides by a = 0", axis)
        return np.where(has_y, -Y / np.where(has_y, A, 1.0), 0.0)
    raise ValueError(f"unknown loss {name!r}")


def _scale(n: int, reduction: str) -> float:
    if reduction == "mean":
        return 1.0 / n
    if reduction == "sum":
        return 1.0
    raise ValueError(f"reduction must be 'mean' or 'sum', not {reduction!r}")


# ---------------------------------------------------------------------------
# the network as matrices
# ---------------------------------------------------------------------------

class Net:
    """Weight matrices in one convention's layout; ``W[l]`` for l ≥ 1 (W[0]
    is None), ``b[l]`` 1-D (b[0] None unless the input layer has biases)."""

    def __init__(self, p: Parameters, convention: str = "column", dtype: str = "float64") -> None:
        if convention not in CONVENTIONS:
            raise ValueError(f"convention must be {' or '.join(map(repr, CONVENTIONS))}, not {convention!r}")
        self.dtype, q = _storage(dtype)
        self.q = q if q is not None else (lambda X: X)
        self.convention = convention
        self.axis = 0 if convention == "column" else 1
        self.p = p
        self.acts = p.activations
        self.loss = p.loss
        q, t = self.q, self.dtype
        self.W = [None] + [q(np.array(p.weights[l], dtype=t).T.copy()) if convention == "column"
                           else q(np.array(p.weights[l], dtype=t)) for l in range(1, len(p.sizes))]
        self.b = [None if v is None else q(np.array(v, dtype=t)) for v in p.biases]

    def weights_from_to(self, l: int) -> np.ndarray:
        """Layer l's matrix in the spec's [from][to] layout."""
        return self.W[l].T if self.convention == "column" else self.W[l]

    def batch(self, rows: np.ndarray) -> np.ndarray:
        """Samples given as rows (one per sample) → this convention's layout."""
        return rows.T if self.convention == "column" else rows

    def _bias(self, l: int) -> np.ndarray:
        # b_l as a column (broadcast across the samples' columns) or a row
        return self.b[l][:, None] if self.convention == "column" else self.b[l][None, :]

    def _affine(self, l: int, A_prev: np.ndarray) -> np.ndarray:
        q = self.q
        if self.convention == "column":
            return q(q(self.W[l] @ A_prev) + self._bias(l))  # Z = W a + b
        return q(q(A_prev @ self.W[l]) + self._bias(l))      # z = a W + b

    def _back(self, l: int, D: np.ndarray) -> np.ndarray:
        """∂L/∂A_{l−1} from Δ_l."""
        if self.convention == "column":
            return self.q(self.W[l].T @ D)                   # Wᵀ δ
        return self.q(D @ self.W[l].T)                       # δ Wᵀ

    def _grad_w(self, D: np.ndarray, A_prev: np.ndarray) -> np.ndarray:
        # np.dot, not @: for a one-sample batch this is an outer product,
        # which numpy's matmul runs ~3.5× slower than dot (neuronet bench).
        if self.convention == "column":
            return self.q(np.dot(D, A_prev.T))               # δ aᵀ  ([to][from])
        return self.q(np.dot(A_prev.T, D))                   # aᵀ δ  ([from][to])

    # -- passes ----------------------------------------------------------------
    def forward(self, X: np.ndarray):
        """X in this convention's layout → (Zs, As) for every layer."""
        q = self.q
        Z = q(X + self._bias(0)) if self.b[0] is not None else X.copy()   # z_i = x_i + b_i (004 §2.5)
        Zs = [Z]
        As = [q(activate(self.acts[0], Z, self.axis))]
        for l in range(1, len(self.W)):
            Z = self._affine(l, As[-1])
            Zs.append(Z)
            As.append(q(activate(self.acts[l], Z, self.axis)))
        return Zs, As

    def gradients(self, X: np.ndarray, Y: np.ndarray, reduction: str = "mean"):
        """(loss, A_out, [∇W_l], [∇b_l], ∇b_0 or None) for a batch, all in
        this convention's layout."""
        n = X.shape[1 - self.axis]
        scale = _scale(n, reduction)
        q = self.q
        Zs, As = self.forward(X)
        L = float(q(loss_terms(self.loss, As[-1], Y, self.axis).sum() * self.dtype(scale)))
        D = q(delta(self.acts[-1], Zs[-1], As[-1], q(loss_grad(self.loss, As[-1], Y, self.axis)), self.axis))
        gW = [None] * len(self.W)
        gb = [None] * len(self.W)
        for l in range(len(self.W) - 1, 0, -1):
            gW[l] = self._grad_w(D, As[l - 1])
            if scale != 1.0:
                gW[l] *= scale                               # in place: no second full-size temporary
                gW[l] = q(gW[l])
            gb[l] = q(D.sum(axis=1 - self.axis) * scale)
            if l > 1 or self.b[0] is not None:
                D = q(delta(self.acts[l - 1], Zs[l - 1], As[l - 1], self._back(l, D), self.axis))
        g_in = q(D.sum(axis=1 - self.axis) * scale) if self.b[0] is not None else None
        return L, As[-1], gW, gb, g_in

    def loss_of(self, X: np.ndarray, Y: np.ndarray, reduction: str = "mean") -> float:
        _, As = self.forward(X)
        n = X.shape[1 - self.axis]
        return float(loss_terms(self.loss, As[-1], Y, self.axis).sum()) * _scale(n, reduction)


# ---------------------------------------------------------------------------
# the backend contract and training
# ---------------------------------------------------------------------------

def gradients(spec_dict: dict, xs, ys, reduction: str = "mean", convention: str = "column",
              dtype: str = "float64") -> dict:
    """The loss, outputs and every gradient of a batch, in the JSON contract
    of ``neuronet grads --format json`` (weights [from][to]).  ``dtype``
    "float32" computes in float32 throughout; "bfloat16" in float32 with
    every stored result rounded to bfloat16 (:func:`bfloat16`), as bf16
    kernels with float32 accumulators do."""
    net = Net(parameters(spec_dict), convention, dtype)
    X = net.q(net.batch(np.asarray(xs, dtype=net.dtype)))
    Y = net.q(net.batch(np.asarray(ys, dtype=net.dtype)))
    L, A_out, gW, gb, g_in = net.gradients(X, Y, reduction)
    outputs = A_out.T if convention == "column" else A_out
    grads = []
    for l in range(1, len(gW)):
        w = gW[l].T if convention == "column" else gW[l]
        grads.append({"weights": w.tolist(), "biases": gb[l].tolist()})
    out = {"loss": L, "outputs": outputs.tolist(), "gradients": grads}
    if g_in is not None:
        out["input_biases"] = g_in.tolist()
    return out


def train(spec_dict: dict, xs, ys, eta: float, epochs: int, eta_b: float | None = None,
          batch_size: int | None = None, reduction: str = "mean", shuffle: bool = False, seed: int = 0,
          on_epoch=None, convention: str = "column"):
    """Mini-batch SGD with the semantics of :func:`neuronet.engine.train.train`:
    the same batches, the same shuffled order for the same ``seed``, the loss
    over the whole set after each epoch.  W ← W − η ∇W, b ← b − η_b ∇b
    (002 "W_new = W − W_g * l").  Returns ``(trained_spec_dict, history)``.
    """
    if eta_b is None:
        eta_b = eta
    net = Net(parameters(spec_dict), convention)
    X_all = np.asarray(xs, dtype=float)
    Y_all = np.asarray(ys, dtype=float)
    rng = random.Random(seed)          # the same generator and draws as neuronet.engine.train
    order = list(range(len(xs)))
    history = []
    for epoch in range(1, epochs + 1):
        if shuffle:
            rng.shuffle(order)
        with np.errstate(over="ignore", invalid="ignore"):   # divergence is caught below, by name
            _epoch(net, X_all, Y_all, batches(len(xs), batch_size, order), eta, eta_b, reduction)
            L = net.loss_of(net.batch(X_all), net.batch(Y_all), reduction)
        if not math.isfinite(L):
            raise NumericError(f"loss became {L} in epoch {epoch}: the steps diverged (try a smaller --lr)")
        history.append(L)
        if on_epoch is not None:
            on_epoch(epoch, L)
    weights = [None] + [net.weights_from_to(l).tolist() for l in range(1, len(net.W))]
    biases = [None if b is None else b.tolist() for b in net.b]
    return updated_spec(spec_dict, weights, biases), history


def _epoch(net: Net, X_all, Y_all, batch_list, eta: float, eta_b: float, reduction: str) -> None:
    """One pass over the batches: W ← W − η ∇W, b ← b − η_b ∇b after each."""
    for batch in batch_list:
        _, _, gW, gb, g_in = net.gradients(net.batch(X_all[batch]), net.batch(Y_all[batch]), reduction)
        for l in range(1, len(net.W)):
            net.W[l] -= eta * gW[l]
            if l not in net.p.no_bias:          # a layer without biases: no b to step
                net.b[l] -= eta_b * gb[l]
        if g_in is not None:
            net.b[0] -= eta_b * g_in
