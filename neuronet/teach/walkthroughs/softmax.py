"""003_be212e6186c688dd.txt: softmax + cross-entropy, one sample then a batch.

One sample: the output δ is computed the long way, through every entry of
the softmax Jacobian (∂ŷ_n/∂z_k = ŷ_n(1[n = k] − ŷ_k)), summed over n — the
matrix product ∂H/∂ŷ · ∂ŷ/∂z^3 of 003 — and checked against 003's shortcut
δ^1 = ŷ − y.  A batch of three: 003 stacks the samples as rows of δ^1 and
*sums* over them, so ∂H/∂b^3 is the column sums of δ^1 and ∂H/∂W^3 =
(h^2)ᵀ δ^1.  Both are checked against the engine's batch gradient.
"""
from __future__ import annotations

from ...engine import passes
from ...io import spec
from ...errors import SpecError
from ...engine.events import Recorder
from ._common import network, samples, trace_of, traced_step
from ...present.numbers import fixed, fmt

# 003's layer sizes as printed: x (2), W^1 2×3 → h^1 (3?), W^2 2×4, W^3 4×3
TEXT_SIZES = {"layers": [{"size": 2},
                         {"size": 3, "weights": [[0.0] * 3] * 2},
                         {"size": 4, "weights": [[0.0] * 4] * 2},
                         {"size": 3, "activation": "softmax", "weights": [[0.0] * 3] * 4}],
              "loss": "cross_entropy"}


def run(w, options, report) -> None:
    eta = float(w.params.get("eta", 0.1))
    net = network(w)
    xs, ys = samples(w, net)
    out = len(net.layers) - 1

    sizes = report.section("Which network?  003's sizes contradict each other")
    try:
        spec.from_dict(TEXT_SIZES, source="003 as printed")
        sizes.lines.append("  (the printed sizes were accepted — unexpected)")
        report.numbers["text_sizes_error"] = None
    except SpecError as e:
        sizes.lines.append(f"  neuronet on 003's printed sizes: {e.format()}")
        report.numbers["text_sizes_error"] = e.format()
    sizes.lines += [
        "  W^1 is printed 2×3 (and b^1 has 3 entries), but h^1 = [σ(z^1_1) σ(z^1_2)] and W^2 is 2×4.",
        f"  We use {'-'.join(map(str, net.sizes))}: h^1 has the 2 neurons that three of 003's statements agree on.",
    ]

    # -- one sample ------------------------------------------------------------
    L, rec = traced_step(net.copy(), xs[:1], ys[:1], eta)
    ev = rec.events
    report.section("Forward, sample 1: z^l = h^(l−1) W^l + b^l, ŷ = softmax(z^3)").trace = \
        trace_of(ev, w, net, phases=("forward", "loss"))
    report.section("∂H/∂z^3 = ∂H/∂ŷ · ∂ŷ/∂z^3: every Jacobian entry, every path, summed").trace = \
        trace_of([e for e in ev if e.layer == out and e.phase == "delta"], w, net)
    a = [e.value for e in ev if e.kind == "a" and e.layer == out]
    d = [e.value for e in ev if e.kind == "delta_out" and e.layer == out]
    short = [ak - yk for ak, yk in zip(a, ys[0])]
    sec = report.section("003's shortcut: δ^1 = ŷ − y")
    for k in range(len(a)):
        sec.lines.append(f"  δ^1_{k + 1}: Jacobian product {fixed(d[k], 8, ' ')}   ŷ_{k + 1} − y_{k + 1} = "
                         f"{fixed(a[k], 8)} − {fmt(ys[0][k], 6)} = {fixed(short[k], 8, ' ')}")
        report.check(f"δ^1_{k + 1} (Jacobian) = ŷ_{k + 1} − y_{k + 1}", d[k], short[k], 1e-12,
                     "003, ∂H/∂z^3 = ŷ − y", kind="formula")
    report.section("Hidden layers: δ^2 = δ^1 (W^3)ᵀ ∘ σ'(z^2), δ^3 = δ^2 (W^2)ᵀ ∘ σ'(z^1)").trace = \
        trace_of([e for e in ev if e.layer < out and e.phase == "delta"], w, net)

    # -- a batch of three, summed ----------------------------------------------
    rec = Recorder()
    loss, _outputs, grads, _ = passes.gradients(net, xs, ys, reduction="sum", emit=rec)
    n_out = net.sizes[out]
    delta1 = [[0.0] * n_out for _ in xs]
    h2 = [[0.0] * net.sizes[out - 1] for _ in xs]
    for e in rec.events:
        if e.kind == "delta_out" and e.layer == out:
            delta1[e.sample][e.neuron] = e.value
        elif e.kind == "a" and e.layer == out - 1:
            h2[e.sample][e.neuron] = e.value
    sec = report.section(f"A batch of {len(xs)} (003 \"Extension to using more than 1 sample\"): rows are samples")
    sec.lines.append("  δ^1 =")
    for row in delta1:
        sec.lines.append("    [" + "  ".join(f"{fixed(v, 6, ' ')}" for v in row) + "]")
    col = [sum(row[k] for row in delta1) for k in range(n_out)]
    sec.lines.append("  column sums      [" + "  ".join(f"{fixed(v, 6, ' ')}" for v in col) + "]")
    sec.lines.append("  engine ∂H/∂b^3   [" + "  ".join(f"{fixed(v, 6, ' ')}" for v in grads[out - 1]["biases"]) + "]")
    for k in range(n_out):
        report.check(f"∂H/∂b^3_{k + 1} = Σ_s δ^1_(s,{k + 1})", grads[out - 1]["biases"][k], col[k], 1e-12,
                     "003, ∂H/∂b^3 = column sums of δ^1", kind="formula")
    worst = 0.0
    for i in range(net.sizes[out - 1]):
        for k in range(n_out):
            hd = sum(h2[s][i] * delta1[s][k] for s in range(len(xs)))      # ((h^2)ᵀ δ^1)_ik
            worst = max(worst, abs(hd - grads[out - 1]["weights"][i][k]))
    sec.lines.append(f"  ∂H/∂W^3 = (h^2)ᵀ δ^1: largest difference from the engine's batch gradient {fmt(worst, 3)}")
    report.difference("∂H/∂W^3 = (h^2)ᵀ δ^1, every entry", worst, 1e-12, "003, ∂H/∂W^3 = (h^2)ᵀ δ^1",
                      kind="formula")
    report.numbers.update({"loss_sample_1": L, "batch_loss_sum": loss, "delta1": delta1,
                           "bias_grad_3": grads[out - 1]["biases"]})
