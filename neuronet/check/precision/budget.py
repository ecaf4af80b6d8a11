"""Error budgets: how far a *correct* backend computing in a number type
can be from the exact value of every number it reports.

The float64 reference stands for the exact value.  For every quantity q of
the step (each input, weight, z, a, f′, ∂L/∂a, δ, gradient, the loss) we
carry a bound E(q) ≥ |q̂ − q| on the error of *any* correct computation in
the type, whatever its summation order — a running error analysis (Higham,
*Accuracy and Stability of Numerical Algorithms*, ch. 3), one rule per
operation, applied in 004's pass order:

* stored inputs, weights, biases, targets: E(x) = u|x|;
* a product x·y of two inexact numbers, rounded:
  E = |x|E(y) + |y|E(x) + E(x)E(y) + u(|x| + E(x))(|y| + E(y));
* a sum of n terms (a dot product Σ w·a + b, Σ δ·w, a sum over the batch)
  in any order, tree reductions and FMA included:
  E = Σ E(terms) + γ_n Σ(|term| + E(term)),  γ_n = n·u/(1 − n·u);
* f(z): E(a) = max|f′| on [z − E(z), z + E(z)]·E(z) + an allowance for the
  library's exp/tanh (3 ulps = 6u relative, :data:`TRANS`; 4 ulps for log);
  softmax: a_k·expm1(E(z_k) + max E(z)) (exact: â_k/a_k lies between
  e^(±(E_k + max E))) plus the roundings of exp, the sum and the division;
* f′: exact bounds from f′'s formula — sigmoid a(1 − a): E(a)(|1 − 2a| + E(a));
  tanh 1 − a²: E(a)(2|a| + E(a)); ReLU: 1 when [z − E, z + E] straddles 0 (a
  correct backend may land on either side of the kink), else 0;
* ∂L/∂a = −y/a (and (1 − y)/(1 − a)): with the interval's lower end
  a − E(a) > 0 (else the budget is infinite: the type cannot tell);
* softmax + cross-entropy: δ_k = a_k Σy − y_k exactly, and â·fl(−y/â) =
  −y(1 + θ₂) for any â, so E(δ_k) = E(a_k)Σ|y| + γ_{K+4}(|y_k| + a_k Σ|y|)
  (fused a − y and the Jacobian route alike);
* a sum over the batch then ×1/N: the rule for sums, and 2u relative more
  when 1/N is not a power of two (whether a backend scales δ first or the
  sum last).

Against the float64 reference, which has rounding errors of its own, the
budget is for u_type + u_float64 (every rule is convex in u and 0 at u = 0,
so the sum of the two budgets is below the budget of the summed u).  Every
rule above is a rigorous bound except two first-order steps (the exp of a
rounded softmax argument, e^(x(1+δ)) ≈ e^x(1 + xδ), and the relative error
of a rounded log), whose neglected terms are O(u²); the whole is multiplied
by :data:`SAFETY` = 1.25 to cover those and a library exp/tanh/log a little
worse than :data:`TRANS`.  (A factor of 2 would halve how much of its budget
a correct term uses; the measured median is about 1–2% already.)
"""
from __future__ import annotations

import math
from operator import mul

from ...engine import passes
from ...engine.activations import LEAKY_SLOPE
from .dtypes import DType

TRANS = 6.0        # exp, tanh: 3 ulps (6u relative) of a library function (numpy's float32 exp: ≤ 2.52 ulps)
TRANS_LOG = 8.0    # log: 4 ulps (numpy's float32 log: ≤ 3.83 ulps)
SAFETY = 1.25


def _quotient(num: float, e_num: float, den: float, e_den: float, u: float) -> float | None:
    """E(num/den), rounded, for den > 0 known to ±e_den: None when the interval
    den − e_den reaches 0 (the type cannot tell the quotient's size)."""
    lo = den - e_den
    if lo <= 0.0:
        return None
    return e_num / lo + abs(num) * e_den / (den * lo) + u * (abs(num) + e_num) / lo


def _gamma(n: int, u: float) -> float:
    nu = n * u
    return nu / (1.0 - nu) if nu < 1.0 else math.inf


def _accumulated(t: DType, u: float):
    """γ_n of a sum accumulated in ``t.acc`` and rounded once to ``t``:
    (1 + γ_n(u_acc))(1 + u) − 1; None for a type that sums in itself."""
    if t.acc is None:
        return None
    ua = t.acc.u + 2.0 ** -53
    return lambda n: (1.0 + _gamma(n, ua)) * (1.0 + u) - 1.0


def _prod(x, ex, y, ey, u):
    ax, ay = abs(x), abs(y)
    return ax * ey + ay * ex + ex * ey + u * (ax + ex) * (ay + ey)


def _lip(name: str, z: float, e: float) -> float:
    """max |f′| on [z − e, z + e]."""
    if name == "identity":
        return 1.0
    if name == "relu":
        return 1.0 if z + e > 0.0 else 0.0
    if name == "leaky_relu":
        return 1.0 if z + e > 0.0 else LEAKY_SLOPE
    p = min(max(0.0, z - e), z + e)              # the point of the interval nearest 0
    if name == "sigmoid":
        s = 1.0 / (1.0 + math.exp(-abs(p)))
        return s * (1.0 - s)
    if name == "tanh":
        return 1.0 - math.tanh(p) ** 2
    raise ValueError(name)


def _act(name, z, a, ez, u):
    e = _lip(name, z, ez) * ez
    if name == "leaky_relu" and z - ez <= 0.0:
        e += 2.0 * u * abs(a) + 2.0 * u * LEAKY_SLOPE * ez      # the slope stored in the type, the product
    elif name in ("sigmoid", "tanh"):
        e += (TRANS + 2.0) * u * (abs(a) + e)                    # exp/tanh, then 1 + e and a division
    return e


def _fprime(name, z, a, ez, ea, u):
    if name == "identity":
        return 0.0
    if name in ("relu", "leaky_relu"):
        if z - ez <= 0.0 < z + ez:
            return 1.0 if name == "relu" else 1.0 - LEAKY_SLOPE + u
        return u * LEAKY_SLOPE if (name == "leaky_relu" and z <= 0.0) else 0.0
    if name == "sigmoid":
        e = ea * (abs(1.0 - 2.0 * a) + ea)
        return e + 2.0 * u * (abs(a) + ea) * (abs(1.0 - a) + ea)
    if name == "tanh":
        e = ea * (2.0 * abs(a) + ea)
        sq = (abs(a) + ea) ** 2
        return e + u * sq + u * (abs(1.0 - a * a) + e + u * sq)
    raise ValueError(name)


def _softmax(zs, ezs, a, u, gamma=None):
    K = len(zs)
    spread = max(zs) - min(zs)
    me = max(ezs)
    rel_e = TRANS * u + u * spread + u                           # z − m rounded, exp
    g = gamma(K) if gamma is not None else _gamma(K, u)
    rel = rel_e + (rel_e + g) + u                                 # the sum, the division
    return [ak * (math.expm1(ek + me) + 2.0 * rel) for ak, ek in zip(a, ezs)]


def _sq_err(d, ed, u):
    return 2.0 * abs(d) * ed + ed * ed + u * (abs(d) + ed) ** 2


def _loss_grad(loss, a, ea, y, u):
    """(∂L/∂a, its E) per output."""
    K = len(a)
    out = []
    for ak, ek, yk in zip(a, ea, y):
        ey = u * abs(yk)
        if loss in ("half_sse", "sse", "mse"):
            d = ak - yk
            ed = ek + ey + u * (abs(d) + ek + ey)
            if loss == "half_sse":
                out.append(ed)
            elif loss == "sse":
                out.append(2.0 * ed)
            else:
                out.append(2.0 / K * ed * (1.0 + 2.0 * u) + 2.0 * u * abs(2.0 * d / K))
            continue
        e = 0.0
        mag = 0.0
        if yk != 0.0:                                            # −y/a
            q = _quotient(yk, ey, ak, ek, u)
            if q is None:
                out.append(math.inf)
                continue
            e += q
            mag += abs(yk) / ak
        if loss == "bce" and yk != 1.0:                          # (1 − y)/(1 − a)
            c, num = 1.0 - ak, 1.0 - yk
            ec = ek + u * (abs(c) + ek)
            en = ey + u * (abs(num) + ey)
            q = _quotient(num, en, c, ec, u)
            if q is None:
                out.append(math.inf)
                continue
            e += q
            mag += abs(num) / c
        out.append(e + u * (mag + e))
    return out


def _loss_terms(loss, a, ea, y, u):
    """(sum of |terms|, sum of their E) for one sample."""
    K = len(a)
    mags = errs = 0.0
    for ak, ek, yk in zip(a, ea, y):
        ey = u * abs(yk)
        if loss in ("half_sse", "sse", "mse"):
            d = ak - yk
            ed = ek + ey + u * (abs(d) + ek + ey)
            t, et = d * d, _sq_err(d, ed, u)
            c = {"half_sse": 0.5, "sse": 1.0, "mse": 1.0 / K}[loss]
            mags += c * t
            errs += c * et * (1.0 + 2.0 * u) + 2.0 * u * c * t
            continue
        for w, p, ep, on in ((yk, ak, ek, yk != 0.0),
                             (1.0 - yk, 1.0 - ak, ek + u * (abs(1.0 - ak) + ek), loss == "bce" and yk != 1.0)):
            if not on:
                continue
            lo = p - ep
            if lo <= 0.0:
                return math.inf, math.inf
            lg = abs(math.log(p))
            elog = math.log(p / lo) + TRANS_LOG * u * lg + u
            ew = u * abs(w) * 2.0
            mags += abs(w) * lg
            errs += abs(w) * elog + ew * (lg + elog) + u * (abs(w) + ew) * (lg + elog)
    return mags, errs


def _softmax_delta(a, ea, g, eg, u, gamma=None):
    """E of δ_k = a_k g_k − a_k Σ_n a_n g_n (or the Jacobian's Σ_n g_n a_n(1[n = k] − a_k))."""
    K = len(a)
    AG = [abs(x * y) for x, y in zip(a, g)]
    eAG = [abs(x) * ey + abs(y) * ex + ex * ey for x, ex, y, ey in zip(a, ea, g, eg)]
    S = abs(sum(x * y for x, y in zip(a, g)))
    eS = sum(eAG)
    mag = sum(AG) + eS
    # the K-term sum (in the accumulator, when wider: gamma) and three more roundings in the type
    gam = (1.0 + gamma(K)) * (1.0 + _gamma(3, u)) - 1.0 if gamma is not None else _gamma(K + 3, u)
    out = []
    for k in range(K):
        cond = eAG[k] + a[k] * eS + S * ea[k] + ea[k] * eS
        out.append(cond + gam * (AG[k] + eAG[k] + (a[k] + ea[k]) * mag))
    return out


def _softmax_ce_delta(a, ea, y, u, gamma=None):
    """E of the output δ of softmax + cross-entropy.  Exactly δ_k = a_k Σ_n y_n − y_k;
    through the Jacobian, â_n·fl(−y_n/â_n) = −y_n(1 + θ₂) whatever â_n, so only
    the error of a_k and the roundings remain (the fused a − y has fewer)."""
    K = len(a)
    Sy = sum(abs(v) for v in y) * (1.0 + u)
    gam = (1.0 + gamma(K)) * (1.0 + _gamma(4, u)) - 1.0 if gamma is not None else _gamma(K + 4, u)
    return [ek * Sy + gam * (abs(yk) * (1.0 + u) + (ak + ek) * Sy) for ak, ek, yk in zip(a, ea, y)]


def budgets(net, xs, ys, reduction: str, ref: dict, t: DType, u: float | None = None) -> dict:
    """E for every number of ``ref`` (the float64 reference with its per-layer
    ``z``/``activations``/``deltas``), in ``ref``'s shape, times :data:`SAFETY`.
    ``u`` defaults to the type's u plus float64's (the reference's own error).

    A type that accumulates in a wider one (``t.acc``: bfloat16 stored,
    float32 sums) gets the sum rule with the wider type's γ_n and one
    rounding to the stored type at the end: (1 + γ_n(u_acc))(1 + u) − 1 in
    place of γ_n(u).  Every other rule keeps the stored type's u (its
    products are then over-counted: sound, a little loose)."""
    if u is None:
        u = t.u + 2.0 ** -53
    acc_gamma = _accumulated(t, u)  # None: the plain types keep their rules exactly
    # underflow: each rounding may also be off by up to eta absolutely (float16's 3·10⁻⁸); added
    # where each number is computed — as many etas as it has roundings — the rules carry it on
    eta = t.eta

    def _gamma_n(n: int) -> float:
        return acc_gamma(n) if acc_gamma is not None else _gamma(n, u)
    layers, acts, loss = net.layers, net.activations, net.loss.name
    n = len(xs)
    L_out = len(layers) - 1
    scale = passes.scale_of(n, reduction)
    absW = [[[abs(w) for w in nr.w] for nr in layer] for layer in layers[:-1]]
    abscols = [[list(c) for c in zip(*Wl)] for Wl in absW]
    B = [[abs(nr.b) for nr in layer] for layer in layers]
    first_delta = 0 if net.input_bias else 1
    Zr, Ar, Dr = ref["z"], ref["activations"], ref["deltas"]
    EZ = {l: [] for l in range(len(layers))}
    EA = {l: [] for l in range(len(layers))}
    ED = {l: [] for l in range(first_delta, len(layers))}
    gW = [[[0.0] * len(row) for row in Wl] for Wl in absW]      # Σ_s E of the products
    mW = [[[0.0] * len(row) for row in Wl] for Wl in absW]      # Σ_s (|δ| + E)(|a| + E)
    gB = [[0.0] * len(layer) for layer in layers]
    mB = [[0.0] * len(layer) for layer in layers]
    L_mag = L_err = 0.0
    for s in range(n):
        # forward
        x = xs[s]
        z, a = Zr[0][s], Ar[0][s]
        ez = [u * abs(xi) + (u * b + u * (abs(zi) + u * abs(xi) + u * b) if b else 0.0) + 3.0 * eta
              for xi, b, zi in zip(x, B[0], z)]
        f = acts[0]
        ea = _softmax(z, ez, a, u, acc_gamma) if f.layerwise else [_act(f.name, zk, ak, ek, u) for zk, ak, ek in zip(z, a, ez)]
        ea = [e + (len(z) + 3) * eta for e in ea]
        EZ[0].append(ez)
        EA[0].append(ea)
        for l in range(1, len(layers)):
            a_prev, ea_prev = Ar[l - 1][s], EA[l - 1][s]
            abs_a = [abs(v) for v in a_prev]
            mag_a = [v + e for v, e in zip(abs_a, ea_prev)]
            z, a = Zr[l][s], Ar[l][s]
            n_terms = len(a_prev) + 1
            gam = _gamma_n(n_terms)
            # weights and bias stored (eta·|a| each, eta), each product and partial sum rounded
            tiny = eta * (sum(mag_a) + 1.0 + 2.0 * n_terms) if eta else 0.0
            ez = []
            for j, col in enumerate(abscols[l - 1]):
                wa = sum(map(mul, col, abs_a))
                we = sum(map(mul, col, ea_prev))
                wm = sum(map(mul, col, mag_a))
                b = B[l][j]
                cond = (1.0 + u) * we + u * wa + u * b
                ez.append(cond + gam * ((1.0 + u) * wm + b * (1.0 + u)) + tiny)
            f = acts[l]
            ea = _softmax(z, ez, a, u, acc_gamma) if f.layerwise else [_act(f.name, zk, ak, ek, u) for zk, ak, ek in zip(z, a, ez)]
            ea = [e + (len(z) + 3) * eta for e in ea]       # exp, the sum, the division, the store
            EZ[l].append(ez)
            EA[l].append(ea)
        # loss
        a, ea, y = Ar[L_out][s], EA[L_out][s], ys[s]
        m, e = _loss_terms(loss, a, ea, y, u)
        L_mag += m
        L_err += e + 6.0 * len(a) * eta             # each term's roundings and its place in the sum
        # backward
        g = net.loss.grad(a, y)
        eg = [e + 4.0 * eta for e in _loss_grad(loss, a, ea, y, u)]
        f = acts[L_out]
        if f.layerwise and loss == "cross_entropy":
            ed = _softmax_ce_delta(a, ea, y, u, acc_gamma)
        elif f.layerwise:
            ed = _softmax_delta(a, ea, g, eg, u, acc_gamma)
        if f.layerwise:     # the Jacobian's a_n(1[n = k] − a_k) may underflow, then ×∂L/∂a_n (−y/a: large)
            ed = [e + 2.0 * eta * sum(abs(gk) + egk for gk, egk in zip(g, eg)) for e in ed]
        else:
            ed = []
            for gk, egk, zk, ak, ezk, eak in zip(g, eg, Zr[L_out][s], a, EZ[L_out][s], ea):
                fp = f.fprime(zk, ak)
                ed.append(_prod(gk, egk, fp, _fprime(f.name, zk, ak, ezk, eak, u) + 3.0 * eta, u))
        ed = [e + (len(a) + 6) * eta for e in ed]      # the product (a softmax's Jacobian: K terms)
        ED[L_out].append(ed)
        for l in range(L_out - 1, first_delta - 1, -1):
            d_next, ed_next = Dr[l + 1][s], ED[l + 1][s]
            abs_d = [abs(v) for v in d_next]
            mag_d = [v + e for v, e in zip(abs_d, ed_next)]
            gam = _gamma_n(len(d_next))
            tiny = eta * (sum(mag_d) + 2.0 * len(d_next)) if eta else 0.0     # each w stored, product, sum
            dsums, eds = [], []
            for nr, row in zip(layers[l], absW[l]):
                dsums.append(sum(map(mul, nr.w, d_next)))
                cond = (1.0 + u) * sum(map(mul, row, ed_next)) + u * sum(map(mul, row, abs_d))
                eds.append(cond + gam * (1.0 + u) * sum(map(mul, row, mag_d)) + tiny)
            f = acts[l]
            z, a, ea, ez = Zr[l][s], Ar[l][s], EA[l][s], EZ[l][s]
            if f.layerwise:
                ed = _softmax_delta(a, ea, dsums, eds, u, acc_gamma)
                ed = [e + 2.0 * eta * sum(abs(dk) + edk for dk, edk in zip(dsums, eds)) for e in ed]
            else:
                ed = [_prod(f.fprime(zk, ak), _fprime(f.name, zk, ak, ezk, eak, u) + 3.0 * eta, ds, eds_k, u)
                      for zk, ak, ezk, eak, ds, eds_k in zip(z, a, ez, ea, dsums, eds)]
            ed = [e + (len(a) + 6) * eta for e in ed]
            ED[l].append(ed)
        # the batch sums: Σ_s of δ_j a_i
        for l in range(L_out - 1, -1, -1):
            d, edl = Dr[l + 1][s], ED[l + 1][s]
            P = [abs(v) + e for v, e in zip(d, edl)]
            for i, (ai, eai) in enumerate(zip(Ar[l][s], EA[l][s])):
                ai = abs(ai)
                row, mrow = gW[l][i], mW[l][i]
                gW[l][i] = [r + eai * p + ai * e + 2.0 * eta for r, p, e in zip(row, P, edl)]
                mW[l][i] = [r + (ai + eai) * p for r, p in zip(mrow, P)]
        for l in range(L_out, first_delta - 1, -1):
            gB[l] = [r + e + eta for r, e in zip(gB[l], ED[l][s])]
            mB[l] = [r + abs(v) + e for r, v, e in zip(mB[l], Dr[l][s], ED[l][s])]
    gam = _gamma_n(n)
    k = SAFETY
    inexact = 2.0 * u if math.frexp(scale)[0] != 0.5 else 0.0    # 1/N not a power of two: rounded

    def grad(err, mag):
        return k * (scale * (err + gam * mag) + inexact * scale * mag + 2.0 * eta)

    grads = [{"weights": [[grad(e, m) for e, m in zip(er, mr)] for er, mr in zip(gW[l - 1], mW[l - 1])],
              "biases": [grad(e, m) for e, m in zip(gB[l], mB[l])]} for l in range(1, len(layers))]
    n_terms = n * len(layers[-1])
    out = {"loss": k * (scale * (L_err + _gamma_n(n_terms) * (L_mag + L_err)) + 2.0 * u * scale * (L_mag + L_err)
                    + 2.0 * eta),
           "outputs": [[k * e for e in row] for row in EA[L_out]], "gradients": grads,
           "z": {l: [[k * e for e in row] for row in EZ[l]] for l in EZ},
           "activations": {l: [[k * e for e in row] for row in EA[l]] for l in EA},
           "deltas": {l: [[k * e for e in row] for row in ED[l]] for l in ED}}
    if net.input_bias:
        out["input_biases"] = [grad(e, m) for e, m in zip(gB[0], mB[0])]
    return _no_nan(out)


def _no_nan(v):
    """An infinite error times a zero is NaN: no bound, so inf."""
    if isinstance(v, dict):
        return {k: _no_nan(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_no_nan(x) for x in v]
    return v if v == v else math.inf
