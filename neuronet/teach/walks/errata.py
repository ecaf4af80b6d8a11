"""The errata sheet: every slip found in the five source texts, each with the
engine's evidence — a numeric difference, a finite-difference (gradcheck)
disagreement, or a shape contradiction.

Where a slip is an algorithm (004's §2.4 order of steps, its forward
pseudo-code's bias, its `+=`), the slipped version is implemented *here*,
never in the engine, and run beside the engine on a real network.
"""
from __future__ import annotations

import math

from ...present.handcalc import rounder
from ...check import gradcheck
from ...engine import losses, passes
from ...io import spec
from .. import walkthrough
from ...engine.activations import sigmoid
from ...errors import NeuronetError, SpecError
from .softmax import TEXT_SIZES


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

    def text(self, heading: str) -> None:
        self.sec = self.report.section(heading)

    def item(self, where: str, says: str, should: str, evidence: list[str] | str) -> None:
        self.count += 1
        self.sec.lines.append(f"{self.count:>2}. [{where}] the text: {says}")
        self.sec.lines.append(f"    should read: {should}")
        for k, line in enumerate([evidence] if isinstance(evidence, str) else evidence):
            self.sec.lines.append(("    evidence: " if k == 0 else "              ") + line)

    def slip(self, what, text_value, engine_value, tol, where, kind: str = "formula") -> None:
        """The engine's number ("ours") against the text's: a number it prints
        (``kind="printed"``) or its formula evaluated here (``"formula"``).
        A slip: the check is ok when they differ."""
        self.report.check(what, engine_value, text_value, tol, where, expect_agree=False, kind=kind)


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
    report.numbers["slips"] = s.count


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
           [f"at z = {z}: the printed g gives a = {printed:.4f} (outside (0, 1); a pole at z = 0), "
            f"the logistic {true:.4f}",
            f"binary cross-entropy of a = {printed:.4f} with y = 0: \"{bce_msg}\"",
            f"the derivation's middle line e^(−z)/(1 − e^(−z))² = {text_line:.4f}, but the printed g's "
            f"slope (finite differences) is {fd_printed:.4f}: d/dz(1 − e^(−z)) = +e^(−z), not −e^(−z)",
            f"its last line a(1 − a) = {printed * (1 - printed):.4f} does match that slope — a second sign "
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
           f"bce-4-3-2-1: the text's weights give {text:.6f}, the engine's Σ_k g_k^[2z]·W_(2,k)^[2] = {right:.6f}")
    s.slip("001: ∂𝓛/∂a_2^[1] with W_{3,·}", text, right, 1e-9, "001 hidden layer 1")
    s.item("second layer", "\"Since a^[1] has the shape 1×3, b^[1] has the shape 1×2\"", "b^[2] has the shape 1×2",
           "shape: b^[1] has 3 entries (one per neuron of layer 1)")
    s.item("\"Now, let's consider the input layer z^[1]|a^[1]\"", "the input layer", "the first hidden layer",
           "shape: a^[0] = x is the input; z^[1]|a^[1] has weights W^[1] feeding it")


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
           f"softmax-ce, layer 2, sample 1: literal z = {[round(v, 6) for v in literal]}, eq. (1) z = "
           f"{[round(v, 6) for v in ours]} (they meet only where b_j happens to equal Σ_i b_i)")
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
           [f"bce-4-3-2-1, hidden biases only, η_b = {eta_b}: loss {L0:.6f} → {after[-1.0]:.6f} with −=, "
            f"→ {after[1.0]:.6f} with +=",
            f"δ of hidden neuron 1 of layer 1 = {grads[0]['biases'][0]:.6f}, finite differences "
            f"∂L/∂b = {fd['b[1][0]']:.6f}: the same sign, so += climbs"])
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
        lines.append(f"002's network, a = (1, 0) → (0, 1), η = {eta:g}: hidden-layer ∂L/∂w off by up to "
                     f"{errs[eta]:.1%} (W_c {hidden[1]:.1%}, W_b {hidden[0]:.1%}); the output layer's are exact")
    lines.append(f"the error shrinks with η (×{errs[0.5] / errs[0.05]:.1f} for η ×10): it is the δ of the "
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
           f"002's network, layer c: eq. (103) gives {[round(v, 6) for v in eq103]}; δ_c (and finite differences "
           f"∂E/∂b_c = {[round(fd[f'b[2][{j}]'], 6) for j in range(3)]}) = {[round(v, 6) for v in deltas]}")
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
           f"one-neuron-chain: f'(w_jk a_j)(a_k − y_k) = {d_text:.6f}; ∂L/∂b_k by finite differences = "
           f"{fd['b[2][0]']:.6f}")
    s.slip("004 §2.5: δ_k with z_k excluding b_k", d_text, fd["b[2][0]"], 1e-7, "004 §2.5 eq. (12)")
    s.item("§2.5 eq. (11)", "a_k = f(w_jk f(w_ij f(z_i + b_i)))", "a_k = f(w_jk f(w_ij f(x + b_i) + b_j) + b_k)",
           "one-neuron-chain: the printed form differs from eqs. (6)–(10) (see that walkthrough's numbers)")
    s.item("§2.5 eqs. (14)–(15) vs eq. (39)", "Δw_jk = η δ_k a_j, and \"Δw_right-layer→left-layer = "
           "η(δ_left-layer)(a_right-layer)\"", "Δw_jk = −η δ_k a_j (eq. 39), with δ of the right (destination) "
           "layer and a of the left", "sign and layer roles: eq. (2) subtracts η δ_k a_j; with w + Δw, (14) climbs "
           "(the same as 000's sign — see gradient-paths)")
    s.item("§2.4.1 line 25", "weight connecting (neuron,hidden_layer) and (forward_neuron,hidden_layer)",
           "(forward_neuron,forward_layer)", "shape: no weight joins two neurons of one layer")
    s.item("§2.4.1 lines 28–29", "δ set inside the forward_neuron loop from a partial dsum",
           "set once after the loop (harmless: the last pass overwrites it with the full sum)",
           "the engine's δ equals finite differences (gradcheck) with δ set after the loop")
    s.item("§2.3.1 / §2.4.1 loops; §3.1.2 line 13", "\"for neuron = 0 to (number of input neurons)\" with "
           "loops \"inclusive of both their starting and ending values\"; lines 11, 36, 39 start at 1; "
           "\"for layer = 0 to layer_count-1\"", "0 to N − 1 throughout; layer = 0 to layer_count − 2",
           "shape: inclusive 0…N is N + 1 neurons; a network of layer_count layers has layer_count − 1 "
           "weight matrices, so the last pass asks for a matrix from the output layer onwards")


def _text_002(s: Sheet) -> None:
    s.text("002_25d3dd3a4f2fa46e.txt (the worked 2-4-3-2 example; walkthrough switch-2-4-3-2)")
    net, xs, ys = _net("switch-2-4-3-2")
    from ...engine.events import Recorder
    rec = Recorder()
    passes.step(net, xs[1:2], ys[1:2], 0.5, 0.0, emit=rec, rnd=rounder(4))
    val = {(e.kind, e.layer, e.neuron, e.source): e.value for e in rec.events}
    net_d1 = val[("z", 3, 0, None)]
    s.item("§4 net_d", "net_d1 = 0.9441", f"{net_d1:.4f} (0.3·0.6876 + 0.4·0.7802 + 0.5·0.8513 = 0.94401)",
           f"hand mode (--round 4): net_d1 = {net_d1:.4f}; out_d1 = 0.7199 either way")
    s.slip("002 §4: net_d1", 0.9441, net_d1, 0.5e-4, "002 §4", kind="printed")
    c3 = val[("dsum", 2, 2, None)]
    s.item("§7 ∂E/∂out_c", "∂E/∂out_c3 = 0.0529", f"{c3:.4f} (0.5·0.1452 + 0.8·(−0.0221))",
           [f"hand mode: {c3:.4f}; the text's own next line, 0.0070 = 0.0549·0.1266, uses 0.0549 "
            f"0.0529·0.1266 = {0.0529 * 0.1266:.4f})"])
    s.slip("002 §7: ∂E/∂out_c3", 0.0529, c3, 0.5e-4, "002 §7", kind="printed")
    s.item("§7, after W_dg", "\"we have our gradient matrix W_c_g\" (the output layer's)", "W_d_g",
           "shape: the matrix is 2×3 like W_d; W_c is 3×4")
    s.item("§7, layer b", "\"W_c_g = ∂E/∂net_b * (out_a)^T\"", "W_b_g",
           "shape: the result is 4×2 like W_b")
    a = 0.6876
    s.item("§7 ∂E/∂net_c", "… * sig'([0.6876, 0.7802, 0.8513]) (the outputs out_c)", "sig'(net_c) = "
           "sig'([0.7887, 1.2667, 1.7448]) — as its next line has it", f"sig'(0.6876) = {sigmoid(a) * (1 - sigmoid(a)):.4f}, "
           f"sig'(0.7887) = {val[('fprime', 2, 0, None)]} (the 0.2148 the text uses)")
    s.slip("002 §7: sig'(out_c1) vs sig'(net_c1)", sigmoid(a) * (1 - sigmoid(a)), val[("fprime", 2, 0, None)],
           0.5e-4, "002 §7")
    s.item("§5.2 eq. (8)", "∂E_d2/∂out_c1 = (out_d2 − target_d2)·out_d2(1 − out_d2)·w_d2", "… ·w_d4 "
           "(w_d2 joins c2 to d1; w_d4 joins c1 to d2)",
           f"with w_d2: 0.3·0.1452 + 0.4·(−0.0221) = {0.3 * 0.1452 + 0.4 * -0.0221:.4f}; with w_d4: "
           f"{0.3 * 0.1452 + 0.6 * -0.0221:.4f} = the 0.0303 §7 prints")
    s.slip("002 eq. (8): ∂E/∂out_c1 with w_d2", 0.3 * 0.1452 + 0.4 * -0.0221, val[("dsum", 2, 0, None)], 0.5e-4,
           "002 §5.2 eq. (8)")
    s.item("§5.1", "∂E_total/∂w_d1 = (out_d2 − target_d2)·(out_d2(1 − out_d2))·out_c1", "∂E_total/∂w_d4",
           f"hand mode: ∂E/∂w_d4 = {val[('grad_w', 3, 1, 0)]} = that expression; ∂E/∂w_d1 = {val[('grad_w', 3, 0, 0)]}")
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
    s.item("§7, layer c", "\"the row vector of the next layers output (layer b)\"", "the previous layer's",
           "layer b feeds layer c")
    s.item("§3", "\"w_a3 the neurons a1 and a2\"; weights named w_a… while §4's matrices are W_b (w_b1 …)",
           "w_b3 joins a1 and b2 (§4's naming)", "§4: W_b = [[w_b1, w_b2], [w_b3, w_b4], …], net_b1 = w_b1·a1 + w_b2·a2")


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
           f"softmax-ce, sample 1: {text_11:.6f} vs {h2[0] * (1 - h2[0]):.6f}; its own σ'(z²) row has the right form")
    s.slip("003: ∂h²₁/∂z²₁ as printed", text_11, h2[0] * (1 - h2[0]), 1e-9, "003 Hidden layer 1")
    s.item("Hidden layer 2, ∂z³₁/∂h²₁", "= ∂/∂h²₃(h²₁w³₁,₁ + …) = w²₁,₁ (and ∂z³₁/∂h²₂ = ∂/∂h²₁(…) = w²₂,₁)",
           "∂/∂h²₁(…) = w³₁,₁ — layer-3 weights, as its conclusion ∂z³/∂h² = (W³)ᵀ says",
           "the engine's backprop terms for h² use W³ (trace of softmax-ce)")
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
           f"softmax-ce batch: the printed matrix gives ∂H/∂w³_{{2,1}} = {text_w21:.6f}; the engine's summed "
           f"gradient is {grads[2]['weights'][1][0]:.6f}")
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
           [f"gradient-paths: o³ = ({o3[0]:.4f}, {o3[1]:.4f}), y = {tuple(ys[0])}: ∂l/∂u³₁ by the chain rule "
            f"(and finite differences) = {o3[0] - ys[0][0]:+.4f}; the text's (y₁ − o³₁) = {ys[0][0] - o3[0]:+.4f}",
            "with (y − o), \"adjust the weight in the opposite direction\" (w − η·grad) raises the loss; "
            "the walkthrough measures it"])
    fd = {e.name: e.numeric for e in gradcheck.check(net.copy(), xs, ys)}
    s.slip("000: ∂l/∂b³₁ as (y₁ − o³₁)", ys[0][0] - o3[0], fd["b[3][0]"], 1e-7, "000 Output Layer")
    z = net.layers[1][0].z
    s.item("Forward Pass", "\"Let u_j^k = σ(Σ_i w^k_{i,j} o^{k−1}_i + b^k_j)\" and then o = σ(u) (eq. 2)",
           "u_j^k = Σ_i w^k_{i,j} o^{k−1}_i + b^k_j (the table: input before activation)",
           f"gradient-paths, neuron 1 of layer 1: σ(u) = {sigmoid(z):.4f}; σ applied twice = {sigmoid(sigmoid(z)):.4f}")
    s.item("terminology table", "W_k \"connecting layers k and k + 1\", w^k_{i,j} from layer k to k + 1",
           "layers k − 1 and k (eq. 1 uses w^k_{i,j} with o^{k−1}_i; W_1 multiplies X)",
           "shape: W_1 × X is the first product, so W_1 leaves layer 0")
