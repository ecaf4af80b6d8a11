"""A float32 numpy backend written for the tests (row convention, 001/003),
and the same backend with one planted bug each — ``module:planted32:NAME``.

It is written here, not taken from the bundled matrix backend, so the
precision tests compare the reference with an independent float32
implementation.  Every function answers with the per-layer fields too
(z, a, δ), so a forward bug is located at its layer.  ``bf16`` is the same
backend storing every result in bfloat16 (round-to-nearest-even of the
float32 bits, emulated here); ``relu`` and ``tanh`` hidden layers,
sigmoid/identity/softmax outputs, half_sse/mse/cross_entropy losses.
"""
import numpy as np

F = np.float32


def rne_bf16(X):
    """float32 → bfloat16 by round-to-nearest-even of the low 16 bits."""
    X = np.array(X, dtype=F)
    u = X.view(np.uint32).astype(np.uint64)
    u = ((u + 0x7FFF + ((u >> 16) & 1)) & 0xFFFF0000).astype(np.uint32)
    return np.where(np.isfinite(X), u.view(F), X)


def _f(name, Z, axis=1):
    if name == "identity":
        return Z
    if name == "sigmoid":
        return F(1) / (F(1) + np.exp(-Z))
    if name == "tanh":
        return np.tanh(Z)
    if name == "relu":
        return np.maximum(Z, F(0))
    if name == "softmax":
        E = np.exp(Z - Z.max(axis=axis, keepdims=True))
        return E / E.sum(axis=axis, keepdims=True)
    raise NotImplementedError(f"activation {name}")


def _fp(name, Z, A):
    return {"identity": lambda: np.ones_like(Z), "sigmoid": lambda: A * (F(1) - A),
            "tanh": lambda: F(1) - A * A, "relu": lambda: (Z > 0).astype(F)}[name]()


def _dL(loss, A, Y):
    if loss == "half_sse":
        return A - Y
    if loss == "mse":
        return F(2) * (A - Y) / F(A.shape[1])
    if loss == "cross_entropy":
        return np.where(Y != 0, -Y / A, F(0))
    raise NotImplementedError(f"loss {loss}")


def _terms(loss, A, Y):
    if loss == "half_sse":
        return F(0.5) * (A - Y) ** 2
    if loss == "mse":
        return (A - Y) ** 2 / F(A.shape[1])
    return np.where(Y != 0, -Y * np.log(np.where(Y != 0, A, F(1))), F(0))


def grads(spec, xs, ys, reduction, bug=None, q=lambda X: X):
    layers = spec["layers"]
    if layers[0].get("activation", "identity") != "identity" or "biases" in layers[0]:
        raise NotImplementedError("a plain input layer only")
    if any(layer["activation"] == "softmax" for layer in layers[:-1]):
        raise NotImplementedError("softmax on the output layer only")
    acts = [layer["activation"] for layer in layers]
    W = [None] + [q(np.array(layer["weights"], dtype=F)) for layer in layers[1:]]
    b = [None] + [q(np.array(layer["biases"], dtype=F)) for layer in layers[1:]]
    if bug == "transposed":                       # one weight of the first square layer read as w[j][i]
        l = next(l for l in range(1, len(W)) if W[l].shape[0] == W[l].shape[1] > 1)
        W[l] = W[l].copy()
        W[l][0, 1], W[l][1, 0] = W[l][1, 0], W[l][0, 1]
    X, Y = q(np.array(xs, dtype=F)), q(np.array(ys, dtype=F))
    n = len(xs)
    Zs, As = [X], [X]
    for l in range(1, len(layers)):
        Zs.append(q(q(As[-1] @ W[l]) + b[l]))
        axis = 0 if (bug == "softmax_axis" and acts[l] == "softmax") else 1
        As.append(q(_f(acts[l], Zs[-1], axis)))
    scale = F(1.0 / n) if reduction == "mean" else F(1)
    A = As[-1]
    g = q(_dL(spec["loss"], A, Y))
    if acts[-1] == "softmax":
        AG = A * g
        D = q(AG - A * AG.sum(axis=1, keepdims=True))
    else:
        D = q(g * _fp(acts[-1], Zs[-1], A))
    Ds = {len(layers) - 1: D}
    out = []
    for l in range(len(layers) - 1, 0, -1):
        gw = q(q(As[l - 1].T @ D) * scale)
        gb = q(D.sum(axis=0) * (F(1) if bug == "bias_sum" else scale))
        out.insert(0, {"weights": gw, "biases": gb})
        if l > 1:
            back = q(D @ W[l].T)
            fp = _fp(acts[l - 1], Zs[l - 1], As[l - 1])
            if bug == "no_fprime" and l == 2:     # one hidden neuron forgets f′
                fp = fp.copy()
                fp[:, 0] = F(1)
            D = q(back * fp)
            if bug == "delta_off" and l == 2:     # δ of one neuron 1e-3 too large
                D = D.copy()
                D[:, 0] *= F(1.001)
            Ds[l - 1] = D
    L = float(_terms(spec["loss"], A, Y).sum() * scale)
    return {"loss": L, "outputs": A, "gradients": out,
            "z": [z for z in Zs], "activations": [a for a in As],
            "deltas": [None] + [Ds[l] for l in range(1, len(layers))]}


def correct(spec, xs, ys, reduction):
    return grads(spec, xs, ys, reduction)


def bf16(spec, xs, ys, reduction):
    return grads(spec, xs, ys, reduction, q=rne_bf16)


def no_fprime(spec, xs, ys, reduction):
    return grads(spec, xs, ys, reduction, "no_fprime")


def bias_sum(spec, xs, ys, reduction):
    return grads(spec, xs, ys, reduction, "bias_sum")


def transposed(spec, xs, ys, reduction):
    return grads(spec, xs, ys, reduction, "transposed")


def softmax_axis(spec, xs, ys, reduction):
    return grads(spec, xs, ys, reduction, "softmax_axis")


def delta_off(spec, xs, ys, reduction):
    return grads(spec, xs, ys, reduction, "delta_off")


def bf16_no_fprime(spec, xs, ys, reduction):
    """The bfloat16 backend (float32 sums, every result stored in bfloat16) with one hidden
    neuron's f′ forgotten."""
    return grads(spec, xs, ys, reduction, "no_fprime", q=rne_bf16)
