"""The numpy matrix backend (neuronet.check.backends.matrix).

Golden numbers come from outside the backend: 002's printed gradient
matrices (rounded to 4 decimals with carried rounding, hence TOL = 1e-4),
and the per-neuron engine (neuronet.engine.passes) — an independent implementation
of the same math by explicit loops over neuron records, which is itself
checked against finite differences in test_gradients_property.py.
"""
import math
import os

import pytest

np = pytest.importorskip("numpy")

from hypothesis import HealthCheck, assume, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import neuronet  # noqa: E402
from neuronet.engine import passes  # noqa: E402
from neuronet.engine import train as per_neuron_train  # noqa: E402
from neuronet.engine.activations import ACTIVATIONS  # noqa: E402
from neuronet.check.backends import matrix  # noqa: E402
from neuronet.check.backends.contract import check as check_contract  # noqa: E402
from neuronet.errors import NumericError  # noqa: E402
from neuronet.engine.losses import LOSSES  # noqa: E402
from strategies import problems  # noqa: E402

ACTS = sorted(ACTIVATIONS)
LOSS_NAMES = sorted(LOSSES)
RTOL, ATOL = 1e-12, 1e-13    # the 1e-12 relative; a tiny atol for entries that cancel to ~0
KINK = 1e-9                  # relu/leaky_relu: summation order may flip the sign of a z that is ~0


def per_neuron(spec, xs, ys, reduction):
    """The per-neuron engine's answer in the contract's shape, and its network."""
    net = neuronet.from_dict(spec)
    L, outputs, grads, input_biases = passes.gradients(net, xs, ys, reduction)
    out = {"loss": L, "outputs": outputs, "gradients": grads}
    if input_biases is not None:
        out["input_biases"] = input_biases
    return out, net


def reference(spec, xs, ys, reduction):
    """per_neuron() inside a hypothesis test: skips examples the engine cannot
    compute, where a relu-like z sits on its kink, or that are ill-conditioned."""
    try:
        out, net = per_neuron(spec, xs, ys, reduction)
    except NumericError:
        assume(False)
    outputs = out["outputs"]
    for x in xs:
        passes.forward(net, x)
        for l, layer in enumerate(net.layers):
            if net.activations[l].name in ("relu", "leaky_relu"):
                assume(all(abs(n.z) > KINK for n in layer))
    # Conditioning, not correctness: bce's ∂L/∂a = −y/a + (1 − y)/(1 − a) and
    # cross-entropy's −y/a magnify a one-ulp difference in a (numpy's exp and
    # summation order vs math.exp and a Python loop) by 1/(1 − a) or 1/a.  Two
    # correct implementations then differ by more than 1e-12 relative (hypothesis
    # found a = 0.9994 → 2e-12), so outputs are kept 1e-3 away from those poles.
    if spec["loss"] in ("bce", "cross_entropy"):
        for out_vec, y_vec in zip(outputs, ys):
            for a, y in zip(out_vec, y_vec):
                assume(y == 0.0 or a > 1e-3)
                assume(spec["loss"] == "cross_entropy" or y == 1.0 or a < 1 - 1e-3)
    return out, net


def close(a, b):
    return abs(a - b) <= ATOL + RTOL * abs(a)


def assert_agree(ref, got):
    assert close(ref["loss"], got["loss"]), (ref["loss"], got["loss"])
    for ro, go in zip(ref["outputs"], got["outputs"]):
        for r, g in zip(ro, go):
            assert close(r, g), ("output", r, g)
    for l, (rg, gg) in enumerate(zip(ref["gradients"], got["gradients"]), 1):
        for i, (rrow, grow) in enumerate(zip(rg["weights"], gg["weights"])):
            for j, (r, g) in enumerate(zip(rrow, grow)):
                assert close(r, g), (f"w[{l}][{i}][{j}]", r, g)
        for j, (r, g) in enumerate(zip(rg["biases"], gg["biases"])):
            assert close(r, g), (f"b[{l}][{j}]", r, g)
    assert ("input_biases" in ref) == ("input_biases" in got)
    for r, g in zip(ref.get("input_biases", []), got.get("input_biases", [])):
        assert close(r, g), ("input bias", r, g)


# NEURONET_EXAMPLES=5000 for a deeper local run
@settings(max_examples=int(os.environ.get("NEURONET_EXAMPLES", 300)), deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(problems(max_batch=5), st.sampled_from(["column", "row"]), st.sampled_from(["mean", "sum"]))
def test_matrix_agrees_with_per_neuron_reference(problem, convention, reduction):
    spec, xs, ys = problem
    ref, net = reference(spec, xs, ys, reduction)
    got = matrix.gradients(spec, xs, ys, reduction, convention)
    # the answer has the contract's shape (check() raises if not)
    check_contract(got, net.sizes, len(xs), net.input_bias)
    assert_agree(ref, got)


# -- 002's printed numbers ----------------------------------------------------

@pytest.mark.parametrize("convention", ["column", "row"])
def test_002_gradient_matrices(switch_spec, convention):
    spec = neuronet.to_dict(neuronet.load(switch_spec))
    got = matrix.gradients(spec, [[1.0, 0.0]], [[0.0, 1.0]], "mean", convention)
    # 002 §7 prints W_dg, W_cg and W_bg with one row per destination neuron
    # ([to][from]); the contract is [from][to], so compare with the transpose.
    printed = {
        3: [[0.0998, 0.1133, 0.1236], [-0.0152, -0.0172, -0.0188]],
        2: [[0.0034, 0.0037, 0.0040, 0.0043], [0.0038, 0.0042, 0.0045, 0.0049], [0.0037, 0.0040, 0.0044, 0.0047]],
        1: [[0.0024, 0.0], [0.0026, 0.0], [0.0027, 0.0], [0.0028, 0.0]],
    }
    for l, rows in printed.items():
        w = got["gradients"][l - 1]["weights"]
        for j, row in enumerate(rows):
            for i, p in enumerate(row):
                assert abs(w[i][j] - p) <= 1e-4, (l, i, j, w[i][j], p)
    # 002 §4: out_d = [0.7199, 0.8375]
    assert [round(a, 4) for a in got["outputs"][0]] == [0.7199, 0.8375]


def test_softmax_delta_is_the_general_jacobian_not_the_a_minus_y_shortcut():
    # softmax with ½·SSE: δ = Jᵀ(a − y), which is not a − y (that is softmax
    # with cross-entropy only, 003/000).  The per-neuron engine sums every
    # path ∂L/∂a_n·∂a_n/∂z_k; the matrix backend must give the same.
    spec = {"loss": "half_sse", "layers": [
        {"size": 2}, {"size": 3, "activation": "softmax",
                      "weights": [[0.2, -0.4, 0.7], [0.5, 0.1, -0.3]], "biases": [0.1, 0.0, -0.1]}]}
    xs, ys = [[1.0, 2.0]], [[0.0, 1.0, 0.0]]
    ref, _ = per_neuron(spec, xs, ys, "sum")
    got = matrix.gradients(spec, xs, ys, "sum", "row")
    assert_agree(ref, got)
    a = got["outputs"][0]
    shortcut = [ak - yk for ak, yk in zip(a, ys[0])]
    assert max(abs(s - g) for s, g in zip(shortcut, got["gradients"][0]["biases"])) > 0.05


def test_unset_weights_are_initialised_like_the_per_neuron_engine():
    # no "weights": both sides draw them from init.seed; equal gradients prove equal draws
    spec = {"loss": "bce", "init": {"seed": 7, "scheme": "he"},
            "layers": [{"size": 3}, {"size": 4, "activation": "tanh"}, {"size": 2, "activation": "sigmoid"}]}
    xs, ys = [[0.1, -0.2, 0.3], [1.0, 0.5, -1.0]], [[0.0, 1.0], [1.0, 1.0]]
    ref, _ = per_neuron(spec, xs, ys, "mean")
    assert_agree(ref, matrix.gradients(spec, xs, ys, "mean", "column"))


def test_log_of_zero_raises_numeric_error_naming_the_place():
    spec = {"loss": "bce", "layers": [{"size": 1}, {"size": 2, "activation": "identity",
                                                    "weights": [[1.0, 0.5]], "biases": [0.0, 0.0]}]}
    # output 0 is exactly 1.0 with target 0: log(1 − a) = log 0
    with pytest.raises(NumericError, match="sample 0, output 0"):
        matrix.gradients(spec, [[1.0]], [[0.0, 1.0]])


# -- training -----------------------------------------------------------------

@pytest.mark.parametrize("reduction,convention", [("mean", "column"), ("sum", "row")])
def test_train_matches_per_neuron_training(reduction, convention):
    # the per-neuron trainer is the reference; same batches, same shuffled order
    spec = {"loss": "cross_entropy", "layers": [
        {"size": 3, "biases": [0.1, -0.1, 0.0]},
        {"size": 4, "activation": "tanh"},
        {"size": 3, "activation": "softmax"}], "init": {"seed": 3}}
    xs = [[0.5, -1.0, 0.2], [1.0, 0.3, -0.4], [-0.6, 0.8, 0.9], [0.0, 0.1, -0.2], [0.7, 0.7, 0.7]]
    ys = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]
    net = neuronet.from_dict(spec)
    hist_ref = per_neuron_train.train(net, xs, ys, 0.3, 6, eta_b=0.1, batch_size=2, shuffle=True, seed=5,
                                      reduction=reduction)
    seen = []
    trained, hist = matrix.train(spec, xs, ys, 0.3, 6, eta_b=0.1, batch_size=2, reduction=reduction,
                                 shuffle=True, seed=5, on_epoch=lambda e, L: seen.append(e), convention=convention)
    assert seen == [1, 2, 3, 4, 5, 6]
    assert all(math.isclose(a, b, rel_tol=1e-10) for a, b in zip(hist_ref, hist))
    want = neuronet.to_dict(net)
    for lw, lt in zip(want["layers"], trained["layers"]):
        for key in ("weights", "biases"):
            if key in lw:
                a = np.array(lw[key], dtype=float)
                b = np.array(lt[key], dtype=float)
                assert np.allclose(a, b, rtol=1e-10, atol=1e-13), key


def test_train_keeps_the_spec_layout(switch_spec):
    spec = neuronet.to_dict(neuronet.load(switch_spec))
    trained, hist = matrix.train(spec, [[1.0, 0.0]], [[0.0, 1.0]], 0.5, 3)
    assert all("weights_to_from" in layer for layer in trained["layers"][1:])
    assert trained["name"] == spec["name"] and len(hist) == 3
    assert hist[2] < hist[0]
    neuronet.from_dict(trained)     # still a valid spec


def test_train_divergence_raises():
    spec = {"loss": "sse", "layers": [{"size": 1}, {"size": 1, "activation": "identity",
                                                    "weights": [[1.0]], "biases": [0.0]}]}
    with pytest.raises(NumericError, match="diverged"):
        matrix.train(spec, [[10.0]], [[0.0]], 10.0, 400)


def test_train_command_backend_matrix_matches_neuron(switch_spec, tmp_path, capsys):
    from neuronet import cli
    samples = switch_spec.parent / "samples.csv"
    finals = {}
    for backend in ("neuron", "matrix"):
        out = tmp_path / f"{backend}.json"
        code = cli.main(["train", str(switch_spec), "--data", str(samples), "--lr", "0.5", "--epochs", "30",
                         "--batch-size", "3", "--shuffle", "--seed", "4", "--backend", backend, "--out", str(out),
                         "--quiet"])
        assert code == 0
        finals[backend] = capsys.readouterr().out
        trained = neuronet.load(out)
        finals[backend + "-w"] = [w for l in range(1, 4) for row in trained.weights(l) for w in row]
    assert finals["neuron"] == finals["matrix"]          # "final loss: … after 30 epochs", to 10 digits
    assert np.allclose(finals["neuron-w"], finals["matrix-w"], rtol=1e-10, atol=1e-14)


def test_accepts_validate_output(switch_spec):
    # spec.validate() notes a converted weights_to_from as "layout": "to_from"
    from neuronet.io import spec as spec_mod
    raw = spec_mod.read(switch_spec)
    validated = spec_mod.validate(raw)
    assert matrix.gradients(validated, [[1.0, 0.0]], [[0.0, 1.0]]) == matrix.gradients(raw, [[1.0, 0.0]], [[0.0, 1.0]])
    trained, _ = matrix.train(validated, [[1.0, 0.0]], [[0.0, 1.0]], 0.5, 2)
    assert "weights_to_from" in trained["layers"][1] and "layout" not in trained["layers"][1]
    neuronet.from_dict(trained)
