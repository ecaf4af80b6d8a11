"""The errata sheet: every slip found in the five source texts, each with the
engine's evidence — a numeric difference, a finite-difference (gradcheck)
disagreement, or a shape contradiction.

Where a slip is an algorithm (004's §2.4 order of steps, its forward
pseudo-code's bias, its `+=`), the slipped version is implemented *here*,
never in the engine, and run beside the engine on a real network.
"""
from __future__ import annotations

import math

from ...present.handcalc import load_printed, round_half_up, rounder
from ...check import gradcheck
from ...engine import losses, passes
from ...io import spec
from .. import walkthroughs as walkthrough
from ...engine.activations import sigmoid
from ...errors import NeuronetError, SpecError
from .softmax import TEXT_SIZES
from ...present.numbers import fixed, fmt, vector


def _net(name: str):
    w = walkthrough.find(name)
    net = spec.load(w.path("network.toml"))
    from ._common import samples
    xs, ys = samples(w, net)
    return net, xs, ys


class Sheet:
    """Collects items into report sections, one section per text."""

    def __init__(self, report):
        self.report = report
        self.count = 0
        self.sec = None
        self.kept_off: list = []

    def text(self, heading: str) -> None:
        self.sec = self.report.section(heading)

    def item(self, where: str, says: str, should: str, evidence: list[str] | str) -> None:
        self.count += 1
        self.sec.lines.append(f"{self.count:>2}. [{where}] the text: {says}")
        self.sec.lines.append(f"    should read: {should}")
        for k, line in enumerate([evidence] if isinstance(evidence, str) else evidence):
            self.sec.lines.append(("    evidence: " if k == 0 else "              ") + line)

    def not_slip(self, text: str, where: str, says: str, reason: str) -> None:
        """An entry a review questioned and that, re-examined, is not a slip:
        listed (not numbered, not counted) with the reason, so the sheet says
        why it is off the list."""
        self.kept_off.append((text, where, says, reason))

    def close(self) -> None:
        """The re-examined entries and the typographical slips, as the sheet's
        last sections."""
        if self.kept_off:
            sec = self.report.section("Re-examined and kept off the list (not slips), with the reason")
            for text, where, says, reason in self.kept_off:
                sec.lines.append(f" –  [{text} {where}] the text: {says}")
                sec.lines.append(f"    not a slip: {reason}")
        sec = self.report.section("Typographical slips and harmless redundancies (no number depends on them; "
                                  "not counted)")
        for text, where, says, should in TYPOS:
            sec.lines.append(f" –  [{text} {where}] {says}  →  {should}")

    def slip(self, what, text_value, engine_value, tol, where, kind: str = "formula") -> None:
        """The engine's number ("ours") against the text's: a number it prints
        (``kind="printed"``) or its formula evaluated here (``"formula"``).
        A slip: the check is ok when they differ."""
        self.report.check(what, engine_value, text_value, tol, where, expect_agree=False, kind=kind)


#: Found on re-reading the five texts line by line: slips of typing or
#: redundant work that change no number (listed, not counted).
TYPOS = [
    ("000", "Forward Pass, eq. (2)", "the vector (σ(u_j^k), σ(u_{j+1}^k), …, σ(u_m^k))",
     "(σ(u_1^k), …, σ(u_m^k)): one entry per neuron"),
    ("000", "Hidden Layer 1, the long sum", "the last path line ends in \"+\"", "no trailing +"),
    ("001", "back propagation notation", "g^[nx] with x one of (a, z, W, b), later g^[2w], g^[1w]", "g^[2W], g^[1W]"),
    ("002", "§5.2, derivative(x)", "\"∂out_x/net_x\"; §6 \"∂E_total/net_{n+1}\"", "∂out_x/∂net_x, ∂E_total/∂net_{n+1}"),
    ("002", "§5.2", "\"check out example equation 4\" (no equation is numbered 4)", "the column × row example of §5.2 (unnumbered)"),
    ("002", "§7, layer c", "\"the gradient matrix W_{c_q}\"", "W_{c_g}"),
    ("003", "The output layer", "\"how H changes with respect to ẑ³\"", "z³ (no hat)"),
    ("003", "Hidden layer 1, ∂h²/∂z²₁", "the column [∂σ(z²₁)/∂z²₁, ∂σ(z²₁)/∂z²₂, …] (h²₁ against each z²_k)",
     "[∂σ(z²₁)/∂z²₁, ∂σ(z²₂)/∂z²₁, …] (each h²_k against z²₁); σ acts neuron by neuron, so both are "
     "(σ'(z²₁), 0, 0, 0)"),
    ("003", "∂H/∂W³ onwards", "H(y, ŷ) beside H(ŷ, y)", "one argument order"),
    ("003", "W¹ and (W³)ᵀ", "w_{2,2}, w_{4,2}, w_{4,3} without their layer superscript", "w¹_{2,2}, w³_{4,2}, w³_{4,3}"),
    ("004", "§2.2", "\"x is an index that can run from 1 to the number of neurons\" beside 0-based eqs. (17)–(19)",
     "one base (the pseudo-code's 0)"),
    ("004", "§2.4.1 line 20", "hidden_layer runs down to 0 and computes δ of the input layer",
     "down to 1 (no weights feed the input layer; the δ is never used)"),
    ("004", "§3.2.2", "\"δ of the kth neuron in later k\"", "layer k"),
    ("004", "§3.2.3", "the activation vector \"(a_0, a_1, a_2, a_3)\" beside eqs. (43)–(45)'s three a's",
     "one size (the printout's as_vector has four)"),
]


# ---------------------------------------------------------------------------
# 004 §2.4, steps 3–4 in the text's order: correct w_jk, *then* compute δ_j
# ---------------------------------------------------------------------------

def text_order_gradients(net, x, y, eta):
    """004 §2.4's steps taken literally on a copy of ``net``: each layer's
    weights are corrected before the next δ is computed from them.  Returns
    the per-layer weight gradients δ_j·a_i that this order uses ([from][to],
    like passes.gradients).  Not the engine: the engine computes every δ
    first (see passes.backward's SLIP note)."""
    net = net.copy()
    passes.forward(net, x)
    layers, f = net.layers, net.activations
    out = len(layers) - 1
    a = [n.a for n in layers[out]]
    dL_da = net.loss.grad(a, y)
    for k, n in enumerate(layers[out]):                     # step 2: δ_k
        n.delta = dL_da[k] * f[out].fprime(n.z, n.a)
    grads = [None] * out
    for layer in range(out - 1, -1, -1):
        fwd = layers[layer + 1]
        grads[layer] = [[fwd[k].delta * src.a for k in range(len(fwd))] for src in layers[layer]]
        for src in layers[layer]:                            # step 3: correct w_jk now
            for k in range(len(fwd)):
                src.w[k] -= eta * fwd[k].delta * src.a
        if layer == 0:
            break
        for src in layers[layer]:                            # step 4: δ_j from the *new* w_jk
            dsum = sum(fwd[k].delta * src.w[k] for k in range(len(fwd)))
            src.delta = f[layer].fprime(src.z, src.a) * dsum
    return grads


def _rel_err(a, b) -> float:
    worst = 0.0
    for ra, rb in zip(a, b):
        for va, vb in zip(ra, rb):
            scale = max(abs(va), abs(vb))
            if scale > 0:
                worst = max(worst, abs(va - vb) / scale)
    return worst


# ---------------------------------------------------------------------------

def run(w, options, report) -> None:
    s = Sheet(report)
    _text_001(s)
    _text_004(s)
    _text_002(s)
    _text_003(s)
    _text_000(s)
    s.close()
    report.numbers["slips"] = s.count
    report.numbers["kept_off"] = len(s.kept_off)


def _text_001(s: Sheet) -> None:
    s.text("001_dc259c9a40097162.txt (row vectors, sigmoid + binary cross-entropy)")
    z = 0.5
    printed = 1.0 / (1.0 - math.exp(-z))                    # 001's g(z) as printed
    true = sigmoid(z)
    h = 1e-6
    fd_printed = (1.0 / (1.0 - math.exp(-(z + h))) - 1.0 / (1.0 - math.exp(-(z - h)))) / (2 * h)
    text_line = math.exp(-z) / (1.0 - math.exp(-z)) ** 2    # 001's "= e^(−z)/(1 − e^(−z))²"
    try:
        losses.get("bce").value([printed], [0.0])
        bce_msg = "bce accepted it (unexpected)"
    except NeuronetError as e:
        bce_msg = e.format()
    s.item("Forward propagation; g'_o", "a = g(z) = 1/(1 − e^(−z)) in every layer",
           "a = 1/(1 + e^(−z))",
           [f"at z = {z}: the printed g gives a = {fixed(printed, 4)} (outside (0, 1); a pole at z = 0), "
            f"the logistic {fixed(true, 4)}",
            f"binary cross-entropy of a = {fixed(printed, 4)} with y = 0: \"{bce_msg}\"",
            f"the derivation's middle line e^(−z)/(1 − e^(−z))² = {fixed(text_line, 4)}, but the printed g's "
            f"slope (finite differences) is {fixed(fd_printed, 4)}: d/dz(1 − e^(−z)) = +e^(−z), not −e^(−z)",
            f"its last line a(1 − a) = {fixed(printed * (1 - printed), 4)} does match that slope — a second sign "
            "slip (1 − a = −e^(−z)/(1 − e^(−z)) for the printed g) cancels the first:",
            "a' = a(1 − a) holds for every 1/(1 + C·e^(−z)), C = −1 included.  Only for C = +1 (the "
            "logistic) is each line of the derivation right and a in (0, 1), where the loss is defined."])
    s.slip("001: printed g(0.5) vs logistic(0.5)", printed, true, 1e-6, "001 Forward propagation")
    s.slip("001: e^(−z)/(1 − e^(−z))² vs slope of the printed g at 0.5", text_line, fd_printed, 1e-6,
           "001 g'_o derivation")

    net, xs, ys = _net("bce-4-3-2-1")
    passes.forward(net, xs[0])
    passes.backward(net, ys[0])
    g2z = [n.delta for n in net.layers[2]]
    text = sum(g2z[k] * net.layers[1][2].w[k] for k in range(2))      # uses W_{3,1}, W_{3,2}
    right = sum(g2z[k] * net.layers[1][1].w[k] for k in range(2))     # W_{2,1}, W_{2,2}
    s.item("hidden layer z^[1]|a^[1], second neuron", "∂𝓛/∂a_2^[1] = g^[2z]·[W_{3,1}^[2]; W_{3,2}^[2]]",
           "g^[2z]·[W_{2,1}^[2]; W_{2,2}^[2]] (the weights leaving a_2^[1])",
           f"bce-4-3-2-1: the text's weights give {fixed(text, 6)}, the engine's Σ_k g_k^[2z]·W_(2,k)^[2] = {fixed(right, 6)}")
    s.slip("001: ∂𝓛/∂a_2^[1] with W_{3,·}", text, right, 1e-9, "001 hidden layer 1")
    s.item("second layer", "\"Since a^[1] has the shape 1×3, b^[1] has the shape 1×2\"", "b^[2] has the shape 1×2",
           "shape: b^[1] has 3 entries (one per neuron of layer 1)")
    # the third layer's matrix form: W_1^[3]T a^[2]
    passes.forward(net, xs[0])
    a2 = [n.a for n in net.layers[2]]
    W3 = [n.w[0] for n in net.layers[2]]                                # W^[3], 2×1 ([from][to])
    row_form = sum(a2[i] * W3[i] for i in range(2)) + net.layers[3][0].b
    s.item("the third layer, z^[3]", "z^[3] = W_1^[3]T a^[2] + b_1^[3] (= a^[2] W^[3] + b^[3])",
           "z^[3] = a^[2] W_1^[3] + b_1^[3] (as its own right-hand side and every other layer have it)",
           [f"shape: (W_1^[3])ᵀ is 1×2 and a^[2] is 1×2 — the product is undefined; a^[2] (1×2) · W^[3] (2×1) "
            f"is 1×1.  bce-4-3-2-1: a^[2]·W^[3] + b^[3] = {fixed(row_form, 6)} = the engine's z^[3] = "
            f"{fixed(net.layers[3][0].z, 6)}"])
    s.not_slip("001", "\"Now, let's consider the input layer z^[1]|a^[1]\"", "z^[1]|a^[1] called \"the input layer\"",
               "a naming habit, not an error in the mathematics: the layer that takes the input x.  001 itself "
               "concludes with \"the hidden layer z^[1]|a^[1]\", and 003 names its first hidden layer "
               "\"Input layer\" the same way.")


def _text_004(s: Sheet) -> None:
    s.text("004_69dfc149af69048d.txt (per-neuron pseudo-code, matrices, derivation)")
    # forward pseudo-code: "+ bias of (layer,neuron)" inside the source loop
    net, xs, ys = _net("softmax-ce")
    passes.forward(net, xs[0])
    src, dst = net.layers[1], net.layers[2]
    ours = [n.z for n in dst]
    literal = [sum(i.w[j] * i.a + i.b for i in src) for j in range(len(dst))]
    s.item("§2.3.1 lines 13–14", "z = z + weight·a of (layer,neuron) + bias of (layer,neuron), inside the loop "
           "over source neurons", "z = Σ_i w_ij·a_i, then + b_j of the destination once (eq. 1, eq. 24)",
           f"softmax-ce, layer 2, sample 1: literal z = {vector(literal, 6)}, eq. (1) z = "
           f"{vector(ours, 6)} (they meet only where b_j happens to equal Σ_i b_i)")
    j = max(range(len(ours)), key=lambda j: abs(literal[j] - ours[j]))
    s.slip(f"004 §2.3.1: z of layer 2, neuron {j + 1}, literal pseudo-code", literal[j], ours[j], 1e-9,
           "004 §2.3.1")

    # hidden-bias correction with +=
    net, xs, ys = _net("bce-4-3-2-1")
    _, _, grads, _ = passes.gradients(net, xs, ys)
    fd = {e.name: e.numeric for e in gradcheck.check(net.copy(), xs, ys)}
    L0 = gradcheck.batch_loss(net, xs, ys, "mean")
    eta_b = 0.5
    after = {}
    for sign in (-1.0, +1.0):
        t = net.copy()
        for l in range(1, len(t.layers) - 1):                 # hidden layers only (line 37)
            for j, n in enumerate(t.layers[l]):
                n.b += sign * eta_b * grads[l - 1]["biases"][j]
        after[sign] = gradcheck.batch_loss(t, xs, ys, "mean")
    s.item("§2.4.1 line 37", "bias of neuron at (layer,neuron) += eta_b * delta", "−= (∂L/∂b_j = δ_j, eq. 104; "
           "line 16 itself uses −= for the output layer)",
           [f"bce-4-3-2-1, hidden biases only, η_b = {eta_b}: loss {fixed(L0, 6)} → {fixed(after[-1.0], 6)} with −=, "
            f"→ {fixed(after[1.0], 6)} with +=",
            f"δ of hidden neuron 1 of layer 1 = {fixed(grads[0]['biases'][0], 6)}, finite differences "
            f"∂L/∂b = {fixed(fd['b[1][0]'], 6)}: the same sign, so += climbs"])
    s.slip("004 line 37: loss after a += hidden-bias step below the start (1 = yes)",
           1.0 if after[1.0] < L0 else 0.0, 1.0, 0.0, "004 §2.4.1 line 37")

    # §2.4 steps 3–4 order
    net, xs, ys = _net("switch-2-4-3-2")
    x, y = xs[1], ys[1]
    _, _, true, _ = passes.gradients(net, [x], [y])
    lines = []
    errs = {}
    for eta in (0.5, 0.05):
        text = text_order_gradients(net, x, y, eta)
        hidden = [_rel_err(text[l], true[l]["weights"]) for l in range(len(text) - 1)]
        errs[eta] = max(hidden)
        lines.append(f"002's network, a = (1, 0) → (0, 1), η = {fmt(eta, 6)}: hidden-layer ∂L/∂w off by up to "
                     f"{fixed(100 * (errs[eta]), 1)}% (W_c {fixed(100 * (hidden[1]), 1)}%, W_b {fixed(100 * (hidden[0]), 1)}%); the output layer's are exact")
    lines.append(f"the error shrinks with η (×{fixed(errs[0.5] / errs[0.05], 1)} for η ×10): it is the δ of the "
                 "*moved* weights, not the gradient")
    ex = text_order_gradients(net, x, y, 0.5)
    s.item("§2.4 steps 3–4 (and 6–7)", "correct w_jk (step 3), then compute δ_j = f'(z_j) Σ_k δ_k w_jk (step 4)",
           "compute every δ with the weights of the forward pass first, then correct (as §2.4.1's pseudo-code and "
           "eq. 77 do)", lines)
    s.slip("004 §2.4 order: ∂L/∂w_c1 (c1 from b1) with η = 0.5", ex[1][0][0], true[1]["weights"][0][0], 1e-9,
           "004 §2.4 steps 3–4")

    # eq. (100): w_jn dropped
    net, xs, ys = _net("switch-2-4-3-2")
    passes.forward(net, xs[1])
    passes.backward(net, ys[1])
    out = net.layers[3]
    eq103 = [n.a * (1 - n.a) * sum((o.a - t) * o.a * (1 - o.a) for o, t in zip(out, ys[1]))
             for n in net.layers[2]]
    deltas = [n.delta for n in net.layers[2]]
    fd = {e.name: e.numeric for e in gradcheck.check(net, xs[1:2], ys[1:2])}
    s.item("§4.3.1 eqs. (97) → (100)–(103)", "∂a_n/∂b_j = f'(z_n) f'(z_j), so ∂L_T/∂b_j = f'(z_j) Σ_k (a_k − y_k) f'(z_k)",
           "∂a_n/∂b_j = f'(z_n) w_jn f'(z_j) (eq. 97 has the w_jn), so ∂L_T/∂b_j = f'(z_j) Σ_k δ_k w_jk = δ_j",
           f"002's network, layer c: eq. (103) gives {vector(eq103, 6)}; δ_c (and finite differences "
           f"∂E/∂b_c = {vector([fd[f'b[2][{j}]'] for j in range(3)], 6)}) = {vector(deltas, 6)}")
    s.slip("004 eq. (103): ∂L/∂b_c1", eq103[0], fd["b[2][0]"], 1e-7, "004 §4.3.1 eq. (103)")

    # §2.5 z without the bias, eq. (11)
    net, xs, ys = _net("one-neuron-chain")
    fd = {e.name: e.numeric for e in gradcheck.check(net.copy(), xs, ys)}
    passes.forward(net, xs[0])
    j, k = net.layers[1][0], net.layers[2][0]
    z_k_text = j.w[0] * j.a
    d_text = sigmoid(z_k_text) * (1 - sigmoid(z_k_text)) * (k.a - ys[0][0])
    s.item("§2.5 eqs. (7), (9), (12)", "z_j = w_ij a_i and a_j = f(z_j + b_j): z excludes the bias, and "
           "δ_k = f'(z_k)(a_k − y_k) with that z_k", "z_j = w_ij a_i + b_j (eq. 1), a_j = f(z_j)",
           f"one-neuron-chain: f'(w_jk a_j)(a_k − y_k) = {fixed(d_text, 6)}; ∂L/∂b_k by finite differences = "
           f"{fixed(fd['b[2][0]'], 6)}")
    s.slip("004 §2.5: δ_k with z_k excluding b_k", d_text, fd["b[2][0]"], 1e-7, "004 §2.5 eq. (12)")
    i_ = net.layers[0][0]
    eq11 = sigmoid(j.w[0] * sigmoid(i_.w[0] * sigmoid(xs[0][0] + i_.b)))      # (11) as printed
    s.item("§2.5 eq. (11)", "a_k = f(w_jk f(w_ij f(z_i + b_i)))", "a_k = f(w_jk f(w_ij f(x + b_i) + b_j) + b_k)",
           f"one-neuron-chain (x = {fmt(xs[0][0])}, b_j = {fmt(j.b)}, b_k = {fmt(k.b)}): (11) as printed gives "
           f"a_k = {fixed(eq11, 6)}; eqs. (6)–(10), term by term (the engine's forward pass), give "
           f"a_k = {fixed(k.a, 6)} — (11) drops b_j and b_k")
    s.slip("004 eq. (11): a_k as printed", eq11, k.a, 1e-9, "004 §2.5 eq. (11)")
    s.item("§2.5 eqs. (14)–(15) vs eq. (39)", "Δw_jk = η δ_k a_j, and \"Δw_right-layer→left-layer = "
           "η(δ_left-layer)(a_right-layer)\"", "Δw_jk = −η δ_k a_j (eq. 39), with δ of the right (destination) "
           "layer and a of the left", "sign and layer roles: eq. (2) subtracts η δ_k a_j; with w + Δw, (14) climbs "
           "(the same as 000's sign — see gradient-paths)")
    s.item("§2.4.1 line 25", "weight connecting (neuron,hidden_layer) and (forward_neuron,hidden_layer)",
           "(forward_neuron,forward_layer)", "shape: no weight joins two neurons of one layer")
    s.not_slip("004", "§2.4.1 lines 28–29", "δ set inside the forward_neuron loop from a partial dsum",
               "harmless: the loop's last pass overwrites δ with the full sum, so the result is 004's eq. (77) "
               "(the engine sets δ once after the loop; its δ equals finite differences).  Wasted work, not a "
               "wrong number.")
    _text_004_more(s)
    s.item("§2.3.1 / §2.4.1 loops; §3.1.2 line 13", "\"for neuron = 0 to (number of input neurons)\" with "
           "loops \"inclusive of both their starting and ending values\"; lines 11, 36, 39 start at 1; "
           "\"for layer = 0 to layer_count-1\"", "0 to N − 1 throughout; layer = 0 to layer_count − 2",
           "shape: inclusive 0…N is N + 1 neurons; a network of layer_count layers has layer_count − 1 "
           "weight matrices, so the last pass asks for a matrix from the output layer onwards")


def _text_004_more(s: Sheet) -> None:
    """004's slips found on re-reading: (37)–(38)'s columns, the missing −η,
    "output z_j", the loss "(target − output) summed", and (87)–(90)'s Σ."""
    # (33)–(38): a 4×2 matrix has no 2nd or 3rd column
    net = spec.from_dict({"layers": [{"size": 3}, {"size": 2, "activation": "sigmoid"},
                                     {"size": 4, "activation": "sigmoid"}], "loss": "half_sse",
                          "init": {"seed": 1, "scheme": "uniform"}}, source="004 Figure 4's sizes")
    x, y = [0.5, -0.2, 0.1], [0.0, 1.0, 0.0, 1.0]
    passes.forward(net, x)
    passes.backward(net, y)
    hid, out = net.layers[1], net.layers[2]
    cols = [[n.w[k] for k in range(len(out))] for n in hid]           # column j of (33) = weights leaving j
    recomputed = [sigmoid(hid[j].z) * (1 - sigmoid(hid[j].z)) * sum(c * o.delta for c, o in zip(cols[j], out))
                  for j in range(len(hid))]
    worst = max(abs(r - n.delta) for r, n in zip(recomputed, hid))
    s.item("§3.2.2 eqs. (37)–(38)", "δ_2 = f'(z_2) w_2nd col·δ_output, δ_3 = f'(z_3) w_3rd col·δ_output",
           "only δ_0 and δ_1 (eqs. 35–36): the hidden layer of Figure 4 has 2 neurons",
           [f"shape: (33) is {len(out)}×{len(hid)} (Figure 4's 3-2-4 network) — columns 0th and 1st only; the "
            f"engine's hidden layer has {len(hid)} δ's",
            f"f'(z_j)·(column j · δ_output) for j = 0, 1 equals the engine's δ_j (largest difference {fmt(worst, 2)})"])

    # the missing −η: §4.1.1 in words, §3.2.3's np.multiply
    from .polynomial import points, randn4
    pxs, pys = points(2000)
    th = randn4(3)

    def poly_loss(t):
        return math.fsum((t[0] + t[1] * p[0] + t[2] * p[1] + t[3] * p[2] - q[0]) ** 2 for p, q in zip(pxs, pys))
    g = [0.0] * 4
    for p, q in zip(pxs, pys):
        e = 2.0 * (th[0] + th[1] * p[0] + th[2] * p[1] + th[3] * p[2] - q[0])
        for f, phi in enumerate((1.0, p[0], p[1], p[2])):
            g[f] += e * phi
    L0 = poly_loss(th)
    up = poly_loss([t + 1e-6 * gf for t, gf in zip(th, g)])
    down = poly_loss([t - 1e-6 * gf for t, gf in zip(th, g)])
    s.item("§4.1.1, last bullet", "\"Δcoeff = learning_rate × gradients\"",
           "Δcoeff = −learning_rate × gradients (the code's a -= learning_rate * grad_a)",
           f"polynomial-sin's start, one step of η = 1e-6: loss {fixed(L0, 1)} → {fixed(down, 1)} with −η·grad (the code), "
           f"→ {fixed(up, 1)} with +η·grad (the sentence)")
    s.slip("004 §4.1.1: loss after a +η·grad step below the start (1 = yes)", 1.0 if up < L0 else 0.0,
           1.0 if down < L0 else 0.0, 0.0, "004 §4.1.1")

    net, xs, ys = _net("switch-2-4-3-2")
    passes.forward(net, xs[1])
    passes.backward(net, ys[1])
    a_c = [n.a for n in net.layers[2]]
    d_d = [n.delta for n in net.layers[3]]
    product = [[a_c[j] * d_d[k] for j in range(3)] for k in range(2)]   # np.multiply(mat_activations, mat_deltas)
    _, _, grads, _ = passes.gradients(net, xs[1:2], ys[1:2])
    same = max(abs(product[k][j] - grads[2]["weights"][j][k]) for j in range(3) for k in range(2))
    E0 = gradcheck.batch_loss(net, xs[1:2], ys[1:2], "mean")
    E = {}
    for sign in (1.0, -1.0):
        t = net.copy()
        for j, n in enumerate(t.layers[2]):
            for k in range(2):
                n.w[k] += sign * 0.5 * product[k][j]
        E[sign] = gradcheck.batch_loss(t, xs[1:2], ys[1:2], "mean")
    s.item("§3.2.3, Numpy", "\"the Δw matrix can be found from np.multiply(mat_activations,mat_deltas)\", "
           "then added to the weights (eq. 42)", "Δw = −η·np.multiply(…) (eq. 39: Δw_jk = −η δ_k a_j)",
           [f"002's network, W_d: the elementwise product δ_k·a_j is ∂E/∂w_jk itself (largest difference from the "
            f"engine's gradient {fmt(same, 2)})",
            f"added with η = 0.5: E_total {fixed(E0, 6)} → {fixed(E[1.0], 6)} with +η (W + Δw as written), → {fixed(E[-1.0], 6)} "
            "with −η"])
    s.slip("004 §3.2.3: E_total after W + η·np.multiply(…) below the start (1 = yes)", 1.0 if E[1.0] < E0 else 0.0,
           1.0 if E[-1.0] < E0 else 0.0, 0.0, "004 §3.2.3")

    # "at its output level z_j": z_j is the neuron's input
    c1 = net.layers[2][0]
    s.item("§3.2.2 (and the pattern after eq. 38)", "evaluate the derivative of the activation function \"at its "
           "output level z_j\" / \"(evaluated at its output z_j)\"", "at its input z_j (§2.2: \"z_y … the input to "
           "neuron y\"; a_j = f(z_j) is the output)",
           f"002's network, neuron c1: f'(z) at the input z = {fixed(c1.z, 4)} is {fixed(sigmoid(c1.z) * (1 - sigmoid(c1.z)), 4)} "
           f"(002's 0.2148); at the output a = {fixed(c1.a, 4)} it would be {fixed(sigmoid(c1.a) * (1 - sigmoid(c1.a)), 4)}")

    # §3: "the loss function (target − output) summed across all output neurons"
    passes.forward(net, xs[1])
    outs = [n.a for n in net.layers[3]]
    signed = sum(t - o for t, o in zip(ys[1], outs))
    half = 0.5 * sum((t - o) ** 2 for t, o in zip(ys[1], outs))
    # re-examined with the engine: a network whose every output is wrong by ½ has signed sum 0
    flat = net.copy()
    for neuron in flat.layers[2]:
        neuron.w = [0.0] * len(neuron.w)                 # W_d = 0: every net_d = 0, out_d = σ(0) = ½
    passes.forward(flat, xs[1])
    flat_outs = [n.a for n in flat.layers[3]]
    flat_signed = sum(t - o for t, o in zip(ys[1], flat_outs))
    flat_half = 0.5 * sum((t - o) ** 2 for t, o in zip(ys[1], flat_outs))
    s.item("§3, first paragraph", "\"the loss function (target − output) summed across all output neurons will get "
           "arbitrarily small\"", "½ Σ (target − output)² (eq. 46); the signed sum is not a loss",
           [f"002's network, a = (1, 0) → (0, 1): Σ(target − out) = {fixed(signed, 4)} (already below 0; it falls further "
            f"as every output rises to 1, whatever the target), ½Σ(target − out)² = {fixed(half, 4)}",
            f"the same network with W_d = 0 (the engine's forward pass): out_d = ({fixed(flat_outs[0], 4)}, "
            f"{fixed(flat_outs[1], 4)}) against targets (0, 1): both wrong by ½, yet Σ(target − out) = "
            f"{fixed(flat_signed, 4)} — errors of opposite sign cancel; ½Σ(target − out)² = {fixed(flat_half, 4)}"])

    # (87)–(90): a Σ over one neuron
    net, xs, ys = _net("switch-2-4-3-2")
    fd = {e.name: e.numeric for e in gradcheck.check(net.copy(), xs[1:2], ys[1:2])}
    passes.forward(net, xs[1])
    passes.backward(net, ys[1])
    deltas = [n.delta for n in net.layers[3]]
    s.item("§4.3 eqs. (87)–(90)", "∂L_T/∂b_n = Σ (a_n − y_n) ∂a_n/∂b_n … ∂L_T/∂b_k = Σ (a_k − y_k) f'(z_k)",
           "no Σ: only a_k depends on b_k, so ∂L_T/∂b_k = (a_k − y_k) f'(z_k) = δ_k (eq. 91)",
           f"002's network, output layer: Σ_k (a_k − y_k) f'(z_k) = {fixed(sum(deltas), 6)}; ∂E/∂b_d1 by finite "
           f"differences = {fixed(fd['b[3][0]'], 6)} = δ_d1 = {fixed(deltas[0], 6)}")
    s.slip("004 eq. (90) read as a sum: Σ_k δ_k vs ∂L/∂b_d1", sum(deltas), fd["b[3][0]"], 1e-7, "004 §4.3 eq. (90)")
    # eq. (43): the Δw matrix of the 2 → 4 weights of eqs. (40)–(41), on Figure 4's 3-2-4 network
    fig4 = spec.from_dict({"loss": "half_sse", "init": {"seed": 4},
                           "layers": [{"size": 3}, {"size": 2}, {"size": 4}]})
    _, _, g4, _ = passes.gradients(fig4, [[1.0, 0.5, -0.5]], [[1.0, 0.0, 0.0, 1.0]])
    rows, cols = len(g4[1]["weights"][0]), len(g4[1]["weights"])     # to × from, as eq. (40) is laid out
    eta4 = 0.5
    dw = -eta4 * g4[1]["weights"][0][0]
    s.item("§3.2.3 eq. (43)", "the Δw matrix written 3×3, δ_0…δ_2 down and a_0…a_2 across, without the −η of "
           "eq. (39)", f"the {rows}×{cols} matrix of eq. (41) (δ_0…δ_3 of the output layer down, a_0, a_1 of the "
           "hidden layer across), each entry −η δ_k a_j",
           [f"Figure 4's 3-2-4 network: the hidden → output weight matrix (eq. 40) and its gradient are "
            f"{rows}×{cols} (the engine's ∂L/∂w for those weights has {rows * cols} entries), not 3×3",
            f"its entry (0, 0): δ_0 a_0 = {fixed(g4[1]['weights'][0][0], 6)}; the step the engine takes at "
            f"η = {eta4} is −η δ_0 a_0 = {fixed(dw, 6)}: eq. (43) lists δ a, the gradient, not Δw"])
    s.item("§2.4.1 line 19 (seed line 192)", "\"#compute deltas and correct biases for all hidden layer neurons\"",
           "#compute deltas for all hidden layer neurons (their biases are corrected at line 37)",
           "the loop it heads (lines 20–32) assigns only dsum and delta (lines 23, 27, 29); no line of it changes a "
           "bias — the hidden biases change only at line 37, in the correction pass")


def _text_002(s: Sheet) -> None:
    s.text("002_25d3dd3a4f2fa46e.txt (the worked 2-4-3-2 example; walkthrough switch-2-4-3-2)")
    net, xs, ys = _net("switch-2-4-3-2")
    net0 = net.copy()                                  # before the step
    from ...engine.events import Recorder
    rec = Recorder()
    passes.step(net, xs[1:2], ys[1:2], 0.5, 0.0, emit=rec, rnd=rounder(4))
    val = {(e.kind, e.layer, e.neuron, e.source): e.value for e in rec.events}
    # the two numbers 002 prints wrong, from the data beside its walkthrough
    printed = load_printed(walkthrough.find("switch-2-4-3-2").path("printed.toml"))
    text_net_d1 = printed[("z", 3, 0, None, None)][0]
    text_c3 = printed[("dsum", 2, 2, None, None)][0]
    # the hand calculation's own numbers (= 002's printed ones but the two slips)
    def g(x):
        return f"{fmt(x, 6)}".replace("-", "−")

    def h(x):
        return f"{fixed(x, 4)}".replace("-", "−")

    def wd(j, k):                                      # the weight from c_(j+1) to d_(k+1)
        return net0.layers[2][j].w[k]
    out_c = [val[("a", 2, j, None)] for j in range(3)]
    dd = [val[("delta_out", 3, k, None)] for k in range(2)]
    net_d1 = val[("z", 3, 0, None)]
    dot = " + ".join(f"{g(wd(j, 0))}·{h(out_c[j])}" for j in range(3))
    s.item("§4 net_d", f"net_d1 = {text_net_d1}",
           f"{fixed(net_d1, 4)} ({dot} = {fixed(sum(wd(j, 0) * out_c[j] for j in range(3)), 5)})",
           f"hand mode (--round 4): net_d1 = {fixed(net_d1, 4)}; out_d1 = {h(val[('a', 3, 0, None)])} either way")
    s.slip("002 §4: net_d1", float(text_net_d1), net_d1, 0.5e-4, "002 §4", kind="printed")
    c3 = val[("dsum", 2, 2, None)]
    d_c3 = val[("delta", 2, 2, None)]
    fp3 = val[("fprime", 2, 2, None)]
    c3_sum = f"{g(wd(2, 0))}·{h(dd[0])} + {g(wd(2, 1))}·({h(dd[1])})"
    s.item("§7 ∂E/∂out_c", f"∂E/∂out_c3 = {text_c3}", f"{fixed(c3, 4)} ({c3_sum})",
           [f"hand mode: ∂E/∂out_c3 = {c3_sum} = {fixed(c3, 4)}",
            f"the text's own next number uses {fixed(c3, 4)}: ∂E/∂net_c3 = {fixed(c3, 4)}·{h(fp3)} = {fixed(c3 * fp3, 5)} → "
            f"{fixed(d_c3, 4)}, as printed; from {text_c3} it would be {text_c3}·{h(fp3)} = "
            f"{fixed(float(text_c3) * fp3, 5)} → {fixed(round_half_up(float(text_c3) * fp3, 4), 4)}"])
    s.slip("002 §7: ∂E/∂out_c3", float(text_c3), c3, 0.5e-4, "002 §7", kind="printed")
    s.item("§7, after W_dg", "\"we have our gradient matrix W_c_g\" (the output layer's)", "W_d_g",
           "shape: the matrix is 2×3 like W_d; W_c is 3×4")
    s.item("§7, layer b", "\"W_c_g = ∂E/∂net_b * (out_a)^T\"", "W_b_g",
           "shape: the result is 4×2 like W_b")
    a = out_c[0]
    net_c = ", ".join(h(val[("z", 2, j, None)]) for j in range(3))
    s.item("§7 ∂E/∂net_c", f"… * sig'([{', '.join(h(v) for v in out_c)}]) (the outputs out_c)",
           f"sig'(net_c) = sig'([{net_c}]) — as its next line has it",
           f"sig'({h(a)}) = {fixed(sigmoid(a) * (1 - sigmoid(a)), 4)}, "
           f"sig'({h(val[('z', 2, 0, None)])}) = {h(val[('fprime', 2, 0, None)])} (the number the text uses)")
    s.slip("002 §7: sig'(out_c1) vs sig'(net_c1)", sigmoid(a) * (1 - sigmoid(a)), val[("fprime", 2, 0, None)],
           0.5e-4, "002 §7")
    with_d2 = wd(0, 0) * dd[0] + wd(1, 0) * dd[1]
    with_d4 = wd(0, 0) * dd[0] + wd(0, 1) * dd[1]
    s.item("§5.2 eq. (8)", "∂E_d2/∂out_c1 = (out_d2 − target_d2)·out_d2(1 − out_d2)·w_d2", "… ·w_d4 "
           "(w_d2 joins c2 to d1; w_d4 joins c1 to d2)",
           f"with w_d2: {g(wd(0, 0))}·{h(dd[0])} + {g(wd(1, 0))}·({h(dd[1])}) = {fixed(with_d2, 4)}; with w_d4: "
           f"{fixed(with_d4, 4)} = the {h(val[('dsum', 2, 0, None)])} §7 prints")
    s.slip("002 eq. (8): ∂E/∂out_c1 with w_d2", with_d2, val[("dsum", 2, 0, None)], 0.5e-4,
           "002 §5.2 eq. (8)")
    s.item("§5.1", "∂E_total/∂w_d1 = (out_d2 − target_d2)·(out_d2(1 − out_d2))·out_c1", "∂E_total/∂w_d4",
           f"hand mode: ∂E/∂w_d4 = {fixed(val[('grad_w', 3, 1, 0)], 4)} = that expression; ∂E/∂w_d1 = {fixed(val[('grad_w', 3, 0, 0)], 4)}")
    s.item("§5.2, W_dg template", "second row ∂E/∂net_d2 · ∂net_d1/∂w_d4, …", "∂net_d2/∂w_d4, …",
           "∂net_d1/∂w_d4 = 0: w_d4 does not feed d1")
    s.item("§5.2, W_cg template", "[∂E/∂net_c] * [out_c1 out_c2 out_c3] (a 3×3 matrix, garbled rows)",
           "[∂E/∂net_c] * [out_b1 out_b2 out_b3 out_b4], 3×4 like W_c", "shape: W_c is 3×4")
    s.item("§5.1 eq. (1) and E_d1", "E_total = Σ_{i=1}^{∞} ½(target − out)²; E_d1 = Σ_{i=1}^{n} ½(target_d1 − out_d1)",
           "E_total = Σ over the output neurons of ½(target − out)²; E_d1 = ½(target_d1 − out_d1)²",
           "without the square, ∂E/∂out would be −½, not eq. (2)'s (out − target)")
    s.item("§6", "W_n * ∂E_total/∂net_{n+1}", "(W_{n+1})ᵀ * ∂E_total/∂net_{n+1}",
           "shape: W_c (3×4) cannot multiply ∂E/∂net_d (2×1); (W_d)ᵀ (3×2) can — as §7 does")
    s.item("§7, learning rate", "\"you multiply the weight matrix (elementwise) by a learning rate\"",
           "the gradient matrix", "§7's own formula: W_c,new = W_c − W_cg·l")
    s.not_slip("002", "§7, layer c", "\"the row vector of the next layers output (layer b)\"",
               "002 says \"next\" in the backward direction throughout (§6: \"the previous layer's net value "
               "∂E/∂net_{n+1}\"; §7 goes on \"with the next layer\" from d to c), so layer b is the next layer "
               "back — consistent with its own usage.")
    # §5.2: the vector of sig' and the result — labels
    fp_c = [val[("fprime", 2, j, None)] for j in range(3)]
    d_c = [val[("delta", 2, j, None)] for j in range(3)]
    fd = {e.name: e.numeric for e in gradcheck.check(net0.copy(), xs[1:2], ys[1:2])}
    s.item("§5.2, ∂E/∂net_c as a vector", "the factor vectors [∂out_c1/∂net_c1, ∂out_c2/∂net_d2] and "
           "[…, ∂out_c3/∂net_d1]; the result's third entry ∂E_total/∂net_c2",
           "∂out_c2/∂net_c2, ∂out_c3/∂net_c3; the third entry ∂E_total/∂net_c3",
           [f"hand mode: sig'(net_c) = [{', '.join(f'{fixed(v, 4)}' for v in fp_c)}] (∂out_c3/∂net_c3 = {fixed(fp_c[2], 4)}); "
            "out_c2 does not depend on net_d2 or out_c3 on net_d1 (they are downstream): 0",
            f"∂E/∂net_c = [{', '.join(f'{fixed(v, 4)}' for v in d_c)}]: the third entry is net_c3's {fixed(d_c[2], 4)}, "
            f"not net_c2's {fixed(d_c[1], 4)} (finite differences ∂E/∂b_c3 = {fixed(fd['b[2][2]'], 6)})",
            "the middle line also drops the third row of the left vector (two rows times three)"])
    wd2 = val[("grad_w", 3, 0, 1)]
    s.item("§5.2, W_dg", "\"the output of the neuron that our connection (the weight we derive with respect to) "
           "leads to\"", "comes from (the neuron of the preceding layer)",
           f"hand mode: ∂E/∂w_d2 = ∂E/∂net_d1·out_c2 = {h(dd[0])}·{h(out_c[1])} = {fixed(wd2, 4)}: w_d2 leads to d1 but "
           "the factor is "
           "out_c2, the neuron it comes from — as the text's own W_dg (out_c1 … out_c3 in every row) has it")
    s.item("§3", "\"w_a3 the neurons a1 and a2\"; weights named w_a… while §4's matrices are W_b (w_b1 …)",
           "w_b3 joins a1 and b2 (§4's naming)", "§4: W_b = [[w_b1, w_b2], [w_b3, w_b4], …], net_b1 = w_b1·a1 + w_b2·a2")
    s.item("§5.2 line 158", "\"Earlier in section 3 we split the derivative into three separate factors\"",
           "in equation 3 (section 5.1)", "section 3 (line 22) is the network's description; the three factors "
           "∂E/∂out·∂out/∂net·∂net/∂w are equation (3), line 125, in §5.1")
    s.item("§5.2 line 168", "\"how could we use our output layer as a two column vector?\"",
           "a two-row column vector (a 2×1 matrix, as line 164 itself says)",
           f"∂E/∂net_d has one entry per output neuron: [{h(dd[0])}, {h(dd[1])}] (002 line 319), "
           "a 2×1 column; multiplied by the 1×3 row out_c it gives W_dg's 2×3")
    s.item("§5.2 eq. (8), line 215", "\"∂E_d2/∂out_c1 = … * w_d2 * (1 − out_d2) * (0 − ou\" — cut off mid-term, and "
           "no \"(8)\" is printed, though line 219 cites \"equations 7 and 8\"",
           "∂E_d2/∂out_c1 = (out_d2 − target_d2)·(out_d2(1 − out_d2))·w_d4   (8)",
           f"the equation as it must end gives the §7 number: with w_d4 the sum over d1, d2 is "
           f"{fixed(with_d4, 4)} = the {h(val[('dsum', 2, 0, None)])} 002 prints (line 333); the printed line "
           "ends inside a factor and carries no label")


def _text_003(s: Sheet) -> None:
    s.text("003_be212e6186c688dd.txt (softmax + cross-entropy, batches; walkthrough softmax-ce)")
    try:
        spec.from_dict(TEXT_SIZES, source="003 as printed")
        msg = "accepted (unexpected)"
    except SpecError as e:
        msg = e.format()
    s.item("Hidden layer 1 / Input layer", "W^1 2×3 and b^1 with 3 entries, but h^1 = [σ(z^1_1) σ(z^1_2)], "
           "σ'(z^1) with 2 entries and W^2 2×4", "one size for h^1 (softmax-ce uses 2, the majority)",
           f"the spec validator on the printed sizes: \"{msg}\"")
    net, xs, ys = _net("softmax-ce")
    passes.forward(net, xs[0])
    h2 = [n.a for n in net.layers[2]]
    text_11 = h2[0] * (1 - h2[1])
    s.item("Hidden layer 1, ∂h²/∂z²", "entry (1,1) = σ(z²₁)(1 − σ(z²₂))", "σ(z²₁)(1 − σ(z²₁))",
           f"softmax-ce, sample 1: {fixed(text_11, 6)} vs {fixed(h2[0] * (1 - h2[0]), 6)}; its own σ'(z²) row has the right form")
    s.slip("003: ∂h²₁/∂z²₁ as printed", text_11, h2[0] * (1 - h2[0]), 1e-9, "003 Hidden layer 1")
    s.item("Hidden layer 2, ∂z³₁/∂h²₁", "= ∂/∂h²₃(h²₁w³₁,₁ + …) = w²₁,₁ (and ∂z³₁/∂h²₂ = ∂/∂h²₁(…) = w²₂,₁)",
           "∂/∂h²₁(…) = w³₁,₁ — layer-3 weights, as its conclusion ∂z³/∂h² = (W³)ᵀ says",
           _eq37_evidence())
    # the batch (h²)ᵀ with repeated rows
    rows = []
    for x in xs:
        passes.forward(net, x)
        rows.append([n.a for n in net.layers[2]])
    _, _, grads, _ = passes.gradients(net, xs, ys, reduction="sum")
    from ...engine.events import Recorder
    rec = Recorder()
    passes.gradients(net, xs, ys, reduction="sum", emit=rec)
    d1 = [[0.0] * 3 for _ in xs]
    for e in rec.events:
        if e.kind == "delta_out":
            d1[e.sample][e.neuron] = e.value
    text_w21 = sum(rows[s_][0] * d1[s_][0] for s_ in range(3))     # row 2 printed as h²_{s,1}
    s.item("Extension to more than 1 sample, ∂H/∂W³", "(h²)ᵀ printed with every row [h²_{1,1} h²_{2,1} h²_{3,1}]",
           "row i = [h²_{1,i} h²_{2,i} h²_{3,i}]",
           f"softmax-ce batch: the printed matrix gives ∂H/∂w³_{{2,1}} = {fixed(text_w21, 6)}; the engine's summed "
           f"gradient is {fixed(grads[2]['weights'][1][0], 6)}")
    s.slip("003: ∂H/∂w³₂,₁ from the printed (h²)ᵀ", text_w21, grads[2]["weights"][1][0], 1e-9, "003 batches")
    s.item("Extension, ∂H/∂b³", "\"sum up the first column of δ³\"", "of δ¹ (the output layer's, in 003's numbering)",
           "softmax-ce: the column sums of δ¹ equal the engine's ∂H/∂b³")
    s.item("Hidden layer 2", "\"the gradients of h², W³, b²\"", "h², W³, b³", "b² belongs to layer 2")


def _text_000(s: Sheet) -> None:
    s.text("000_e7be51513e122931.txt (u, o; walkthrough gradient-paths)")
    net, xs, ys = _net("gradient-paths")
    passes.forward(net, xs[0])
    o3 = [n.a for n in net.layers[3]]
    s.item("Output Layer", "∂l/∂u³₁ \"ends up becoming y₁ − ŷ₁\"; δⁿ = (y − oₙ)", "o − y (softmax + cross-entropy)",
           [f"gradient-paths: o³ = ({fixed(o3[0], 4)}, {fixed(o3[1], 4)}), y = {tuple(ys[0])}: ∂l/∂u³₁ by the chain rule "
            f"(and finite differences) = {fixed(o3[0] - ys[0][0], 4, '+')}; the text's (y₁ − o³₁) = {fixed(ys[0][0] - o3[0], 4, '+')}",
            "with (y − o), \"adjust the weight in the opposite direction\" (w − η·grad) raises the loss; "
            "the walkthrough measures it"])
    fd = {e.name: e.numeric for e in gradcheck.check(net.copy(), xs, ys)}
    s.slip("000: ∂l/∂b³₁ as (y₁ − o³₁)", ys[0][0] - o3[0], fd["b[3][0]"], 1e-7, "000 Output Layer")
    # softmax treated as element-wise: ∂l/∂o³₁·∂o³₁/∂u³₁ and the two-path list
    from .paths import enumerate_paths
    x, y = xs[0], ys[0]
    o2 = [n.a for n in net.layers[2]]
    elementwise = (-y[0] / o3[0]) * o3[0] * (1 - o3[0]) * o2[0] + 0.0    # ∂l/∂o³₁·∂o³₁/∂u³₁·∂u³₁/∂w³₁,₁ (+0.0: no −0)
    paths_text = [f for nodes, f in enumerate_paths(net, x, y, from_loss=True) if nodes[1][-1] == nodes[2][-1]]
    two_paths = sum(math.prod(f) for f in paths_text)                    # only o³_n → u³_n, as 000 lists them
    s.item("Output Layer; Hidden Layer 2, the paths", "∂l/∂w³₁,₁ = ∂l/∂o³₁·∂o³₁/∂u³₁·∂u³₁/∂w³₁,₁, and the two "
           "paths l → o³₁ → u³₁ → … and l → o³₂ → u³₂ → … (softmax treated as element-wise)",
           "u³₁ reaches l through every o³_p (softmax mixes them): ∂l/∂u³₁ = Σ_p ∂l/∂o³_p·∂o³_p/∂u³₁ = o³₁ − y₁, "
           "and each u³_n has a path through each o³_p",
           [f"gradient-paths, y = ({fmt(y[0], 6)}, {fmt(y[1], 6)}): ∂l/∂o³₁ = −y₁/o³₁ = 0, so the text's chain gives "
            f"∂l/∂w³₁,₁ = {fixed(elementwise, 6)}; the engine (and finite differences) {fixed(fd['w[3][0][0]'], 6)} = "
            f"(o³₁ − y₁)·o²₁",
            f"w¹₁,₁ along only the paths o³_n → u³_n: {fixed(two_paths, 6)}; along all of them (the engine): "
            f"{fixed(fd['w[1][0][0]'], 6)}"])
    s.slip("000: ∂l/∂w³₁,₁ with softmax element-wise", elementwise, fd["w[3][0][0]"], 1e-7, "000 Output Layer")

    # ∂u_i/∂b_j "1 regardless of i or j"
    probe = net.copy()
    passes.forward(probe, x)
    u21 = probe.layers[2][0].z
    probe.layers[2][1].b += 1e-3
    passes.forward(probe, x)
    du = (probe.layers[2][0].z - u21) / 1e-3
    s.item("Hidden Layer 2 (and Output Layer)", "\"∂u_i²/∂b_j² becomes 1 regardless of i or j\"",
           "1 when i = j, 0 otherwise (eq. 5: u²₁ holds b²₁ only)",
           f"gradient-paths: moving b²₂ by 0.001 changes u²₁ by {fmt(du * 1e-3, 2)} (∂u²₁/∂b²₂ = {fmt(du, 6)}); "
           "that is why ∂l/∂B₂ is δ² itself and not a sum over the layer")

    # 2^(n−k) with "4 layered"
    n_paths = len(enumerate_paths(net, x, y))
    n_long = len(enumerate_paths(net, x, y, from_loss=True))
    s.not_slip("000", "Hidden Layer 1, the path count", "\"2^{n−k}, where n is the number of layers\" (of a "
               "\"4 layered\" network)",
               f"through the softmax every u³ reaches l by both o³: the real graph has {n_long} paths from l to "
               f"w¹₁,₁ = 2^(4−1) with n = 4 layers, as the text says; the {n_paths} = 2^(3−1) it lists start one "
               "node later, at ∂l/∂u³ (gradient-paths counts both, and both sums equal the engine's gradient)")

    z = net.layers[1][0].z
    s.item("Forward Pass", "\"Let u_j^k = σ(Σ_i w^k_{i,j} o^{k−1}_i + b^k_j)\" and then o = σ(u) (eq. 2)",
           "u_j^k = Σ_i w^k_{i,j} o^{k−1}_i + b^k_j (the table: input before activation)",
           f"gradient-paths, neuron 1 of layer 1: σ(u) = {fixed(sigmoid(z), 4)}; σ applied twice = {fixed(sigmoid(sigmoid(z)), 4)}")
    # the table's numbering, re-examined: which rows does the engine's own layer count agree with?
    # The engine counts the input as layer 0; its weights out of layer l feed layer l + 1.
    w3_into_u3 = sum(net.layers[2][i].w[0] * net.layers[2][i].a for i in range(len(net.layers[2]))) + net.layers[3][0].b
    s.item("terminology table, rows W_k, B_k, w^k_{i,j}, b^k_j", "W_k \"connecting layers k and k + 1\"; "
           "w^k_{i,j} \"connecting neuron i in layer k to neuron j in layer k + 1\"; b^k_j \"from layer k to neuron "
           "j in layer k + 1\" (and eq. 1's \"for all j in layer k + 1\")",
           "W_k connecting layers k − 1 and k; w^k_{i,j} from neuron i of layer k − 1 to neuron j of layer k; b^k_j "
           "the bias of neuron j of layer k — the input X being layer 0 (o^0 = x)",
           [f"gradient-paths, counted as the engine counts (input = layer 0): eq. (3)'s u³₁ = o²₁w³₁,₁ + o²₂w³₂,₁ + "
            f"b³₁ = {fixed(w3_into_u3, 6)} is the engine's z of layer 3, neuron 1 ({fixed(net.layers[3][0].z, 6)}), "
            f"with w³ the weights from layer 2 into layer 3 and o³ = ({fixed(o3[0], 4)}, {fixed(o3[1], 4)}) the "
            "network's output — as line 36 says (\"o_i^3 is the actual output\")",
            "the text's own prose counts so too: \"the output vector of layer 1\" is σ(W_1 X + B_1) (its Forward "
            "Pass), so W_1 joins layer 0 (X) to layer 1, not layers 1 and 2; the four rows u_k, o_k, u^k_i, o^k_i, "
            "line 36 and that sentence agree; "
            "only the four W/B/w/b rows and eq. (1)'s \"layer k + 1\" count one further"])
    s.not_slip("000", "terminology table, rows u_k and o_k", "u_k \"input vector to layer k\", o_k \"output vector "
               "of layer k\"",
               "re-examined: an earlier version of this sheet listed these rows as off by one from W_k; but they agree "
               "with every equation's superscripts (eq. 3: u³ = o²W³ + B³, o³ the output), with line 36 and with the "
               "text's \"output vector of layer 1\" = σ(W_1 X + B_1) — counting the input as layer 0, as the engine "
               "does; the rows that count one further are W_k, B_k, w^k, b^k (the item above).")


def _eq37_evidence() -> list[str]:
    """003's ∂z³₁/∂h²₁: the engine's ∂H/∂h²₁ uses W³ (the weights out of h²), not W²."""
    net, xs, ys = _net("softmax-ce")
    passes.forward(net, xs[0])
    passes.backward(net, ys[0])
    d3 = [n.delta for n in net.layers[3]]
    h1 = net.layers[2][0]
    with_w3 = sum(d * w for d, w in zip(d3, h1.w))                     # Σ_k δ³_k w³_{1,k}
    n2 = len(net.layers[1])                                           # w²_{i,1}: one per layer-1 neuron
    fd_dh = h1.delta / net.activations[2].fprime(h1.z, h1.a)            # ∂H/∂h²₁ = δ²₁ / σ'(z²₁)
    return [f"softmax-ce, sample 1: Σ_k δ³_k·w³_1,k = {fixed(with_w3, 6)} = ∂H/∂h²₁ (the backward pass: "
            f"δ²₁/σ'(z²₁) = {fixed(fd_dh, 6)})",
            f"shape: δ³ has {len(d3)} entries, one per output; h²₁ has {len(h1.w)} weights w³_1,k out of it, but "
            f"only {n2} weights w²_i,1 into it — the w² of the printed line cannot be the factor"]
