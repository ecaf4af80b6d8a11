"""neuronet verify --dtype: a float32 (bfloat16) backend is verified without
tolerance flags, and a bug in it is caught *beyond rounding* at the right
term.

The backends are the bundled ``matrix:float32`` / ``matrix:bfloat16`` and the
independent float32 numpy backend of ``planted32.py`` (here, run as a user
types ``--backend module:planted32:NAME``), with one planted bug each.
Where each bug must be named follows from 004's pass order, not from the
code under test: a forward bug first shows in its layer's z or a, a δ bug in
that layer's δ, a bias-gradient bug in that layer's biases.
"""
import json
import os
from pathlib import Path

import pytest

pytest.importorskip("numpy")

from inproc import run  # noqa: E402

HERE = Path(__file__).resolve().parent

# 3-3-3-2: tanh hidden layers (their W are square), softmax + cross-entropy
CASE = {"loss": "cross_entropy", "reduction": "mean", "layers": [
    {"size": 3, "activation": "identity"},
    {"size": 3, "activation": "tanh", "weights": [[0.2, -0.5, 0.9], [0.4, 0.3, -0.7], [-0.8, 0.6, 0.1]],
     "biases": [0.1, -0.2, 0.05]},
    {"size": 3, "activation": "tanh", "weights": [[0.5, -0.3, 0.8], [-0.6, 0.2, 0.1], [0.3, 0.9, -0.4]],
     "biases": [0.0, 0.1, -0.1]},
    {"size": 2, "activation": "softmax", "weights": [[0.7, -0.2], [0.1, 0.6], [-0.5, 0.4]], "biases": [0.2, -0.3]}],
    "inputs": [[1.0, 0.3, -0.7], [0.2, -1.1, 0.5], [-0.4, 0.9, 1.3], [0.8, 0.8, -0.2]],
    "targets": [[1.0, 0.0], [0.0, 1.0], [0.0, 1.0], [1.0, 0.0]]}


@pytest.fixture
def case(tmp_path, monkeypatch):
    """The case file, and the current directory where module:planted32 is found."""
    path = tmp_path / "case.json"
    path.write_text(json.dumps(CASE))
    monkeypatch.chdir(HERE)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(HERE.parent.parent), os.environ.get("PYTHONPATH", "")]))
    return path


def test_float32_matrix_backend_passes_100_random_cases_without_tolerances(tmp_path):
    r = run("verify", "--backend", "matrix:float32", "--dtype", "float32", "--random", "100",
            "--save", tmp_path / "failed.json")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "agrees with the reference on all of them" in r.stdout
    assert "worst margin |diff| / max(float32 budget, (atol + rtol·|ref|)) (≤ 1 agrees): overall " in r.stdout


def test_float32_backends_pass_784_wide_layers_and_batches_of_64(tmp_path):
    """The big draws: a 784-wide layer and a batch of 64 (one fixed case,
    random weights and inputs), then random 1–64-sample batches up to 32 wide."""
    import random
    rng = random.Random(5)
    sizes = [784, 16, 10]
    layers = [{"size": 784}] + [
        {"size": n, "activation": act, "weights": [[rng.uniform(-0.05, 0.05) for _ in range(n)] for _ in range(m)],
         "biases": [rng.uniform(-0.1, 0.1) for _ in range(n)]}
        for m, n, act in zip(sizes, sizes[1:], ["tanh", "softmax"])]
    xs = [[rng.random() for _ in range(784)] for _ in range(64)]
    ys = [[1.0 if k == s % 10 else 0.0 for k in range(10)] for s in range(64)]
    path = tmp_path / "mnist-like.json"
    path.write_text(json.dumps({"loss": "cross_entropy", "layers": layers, "inputs": xs, "targets": ys}))
    r = run("verify", path, "--backend", "matrix:float32", "--dtype", "float32", "--format", "json")
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr
    doc = json.loads(r.stdout)
    assert doc["ok"] and doc["samples"] == 64 and doc["within"] > 0 and 0 < doc["worst_margin"] <= 1
    r = run("verify", "--backend", "matrix:float32", "--dtype", "float32", "--random", "10",
            "--max-width", "32", "--batch", "64", "--format", "json", "--save", tmp_path / "failed.json")
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr
    doc = json.loads(r.stdout)
    assert doc["ok"] and doc["checked"] == 10 and 0 < doc["worst_margin"] <= 1
    assert [m["case"] for m in doc["cases"]] == list(range(10))


def test_independent_float32_backend_passes_100_random_cases(case):
    r = run("verify", "--backend", "module:planted32:correct", "--dtype", "float32", "--random", "100",
            "--activations", "identity,relu,sigmoid,tanh,softmax", "--losses", "half_sse,mse,cross_entropy", "--save", case.parent / "failed.json")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "agrees with the reference on all 84 cases it answered" in r.stdout   # hidden softmax: declined


def test_without_dtype_the_float32_backend_fails_the_float64_tolerance(case):
    r = run("verify", str(case), "--backend", "module:planted32:correct")
    assert r.returncode == 1
    assert "numbers disagree" in r.stdout


@pytest.mark.parametrize("bug, block, entry", [
    ("no_fprime", "layer 1 deltas", "delta[1][0] of sample 0"),
    ("bias_sum", "layer 3 biases", "b[3][0]"),
    ("transposed", "layer 1 z", "z[1][0] of sample 0"),
    ("softmax_axis", "layer 3 activations", "a[3][0] of sample 0"),
    ("delta_off", "layer 1 deltas", "delta[1][0] of sample 0"),
])
def test_each_planted_bug_is_beyond_float32_rounding_at_its_term(case, bug, block, entry):
    r = run("verify", str(case), "--backend", f"module:planted32:{bug}", "--dtype", "float32")
    assert r.returncode == 1, r.stdout + r.stderr
    assert "beyond float32 rounding" in r.stdout
    assert f"it starts at {block}: {entry} (the first beyond" in r.stdout, r.stdout
    assert "— beyond float32 rounding" in r.stdout


def test_the_correct_case_is_within_float32_rounding(case):
    r = run("verify", str(case), "--backend", "module:planted32:correct", "--dtype", "float32")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "within float32 rounding" in r.stdout and "worst margin" in r.stdout


def test_float32_backend_under_float64_is_beyond_with_a_one_line_hint(case):
    r = run("verify", str(case), "--backend", "matrix:float32", "--dtype", "float64")
    assert r.returncode == 1
    assert "beyond float64 rounding" in r.stdout
    hints = [line for line in r.stdout.splitlines() if line.startswith("hint:")]
    assert hints == ["hint: every difference fits float32 rounding: if the backend computes in float32, "
                     "verify it with --dtype float32"]
    doc = json.loads(run("verify", str(case), "--backend", "matrix:float32", "--dtype", "float64",
                         "--format", "json").stdout)
    assert doc["ok"] is False and doc["dtype"] == "float64" and "--dtype float32" in doc["hint"]


def test_a_real_bug_gets_no_dtype_hint(case):
    r = run("verify", str(case), "--backend", "module:planted32:delta_off", "--dtype", "float64")
    assert r.returncode == 1 and "hint:" not in r.stdout


def test_bfloat16_backends_pass_bfloat16(case):
    r = run("verify", "--backend", "module:planted32:bf16", "--dtype", "bfloat16", "--random", "60",
            "--activations", "identity,relu,sigmoid,tanh,softmax", "--losses", "half_sse,mse", "--save", case.parent / "failed.json")
    assert r.returncode == 0, r.stdout + r.stderr
    r = run("verify", "--backend", "matrix:bfloat16", "--dtype", "bfloat16", "--random", "60",
            "--losses", "half_sse,mse,sse", "--save", case.parent / "failed.json")
    assert r.returncode == 0, r.stdout + r.stderr
    # and bfloat16 is not float32: the same backend is beyond float32 rounding
    r = run("verify", str(case), "--backend", "module:planted32:bf16", "--dtype", "float32")
    assert r.returncode == 1 and "beyond float32 rounding" in r.stdout


#: 300 inputs: a dot product of 301 terms, where bfloat16's worst-case bound ends (n·u ≥ 1 from n = 256)
WIDE = ("--random", "12", "--input-width", "300", "--min-width", "3", "--activations", "sigmoid,tanh",
        "--losses", "half_sse,mse", "--init", "torch")


def test_a_wide_bfloat16_bug_is_never_excused_by_an_unbounded_budget(case):
    """In bfloat16 alone a layer of 300 inputs has no rounding budget (γ_301 is
    infinite); such numbers used to count as within rounding, so a backend
    that forgets a hidden neuron's f′ passed.  Now they are not judged: every
    case is inconclusive, nothing is verified (exit 1), and the report says why
    and what to try."""
    r = run("verify", "--backend", "module:planted32:bf16_no_fprime", "--dtype", "bfloat16", *WIDE,
            "--save", case.parent / "failed.json")
    assert r.returncode == 1
    assert "nothing was verified" in r.stdout and "12 of 12 inconclusive" in r.stdout
    assert "in bfloat16 from n = 256" in r.stdout and "--dtype bfloat16:float32" in r.stdout


def test_bfloat16_with_float32_accumulation_tells_rounding_from_a_bug_on_wide_layers(case):
    """Stored in bfloat16, summed in float32 (how bf16 matrix products run, and how
    planted32's bf16 backend computes): finite budgets at 300 inputs; the correct
    backend passes, the forgotten f′ is beyond rounding at the δ of layer 1."""
    r = run("verify", "--backend", "module:planted32:bf16", "--dtype", "bfloat16:float32", *WIDE,
            "--save", case.parent / "failed.json")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "inconclusive" not in r.stdout + r.stderr
    saved = case.parent / "bug.json"
    r = run("verify", "--backend", "module:planted32:bf16_no_fprime", "--dtype", "bfloat16:float32", *WIDE,
            "--save", saved)
    assert r.returncode == 1 and "not judged" not in r.stdout
    assert "beyond bfloat16:float32 rounding" in r.stdout and "it starts at layer 1 deltas" in r.stdout


def test_json_reports_verdict_counts_and_margins(case):
    doc = json.loads(run("verify", str(case), "--backend", "module:planted32:correct", "--dtype", "float32",
                         "--format", "json").stdout)
    assert doc["ok"] and doc["dtype"] == "float32" and doc["beyond"] == 0
    assert doc["within"] > 0 and 0 < doc["worst_margin"] <= 1
    assert all("margin" in b and "within" in b for b in doc["blocks"])
    assert doc["focus"]["budget"] > 0


def test_pytest_api_takes_a_dtype(case):
    from neuronet.check.testing import assert_matches_reference, check
    from neuronet.check.backends.matrix import gradients
    spec = {k: v for k, v in CASE.items() if k not in ("inputs", "targets", "reduction")}

    def f32(spec, xs, ys, reduction):
        return gradients(spec, xs, ys, reduction, dtype="float32")

    assert not check(f32, spec, CASE["inputs"], CASE["targets"]).ok
    result = assert_matches_reference(f32, spec, CASE["inputs"], CASE["targets"], dtype="float32")
    assert result.report.within > 0 and result.report.margin <= 1


def test_a_bad_dtype_is_one_line(case):
    r = run("verify", str(case), "--backend", "matrix", "--dtype", "float8")
    assert r.returncode == 2 and "Traceback" not in r.stderr and "--dtype" in r.stderr


def test_planted_bugs_are_caught_in_a_784_wide_network(case, tmp_path):
    """At MNIST width the budgets grow with n (γ_785): a forward bug and a
    missing f′ are still far beyond them and named at their term."""
    import random
    rng = random.Random(5)
    sizes = [784, 16, 16, 10]
    layers = [{"size": 784}] + [
        {"size": n, "activation": act, "weights": [[rng.uniform(-0.05, 0.05) for _ in range(n)] for _ in range(m)],
         "biases": [rng.uniform(-0.1, 0.1) for _ in range(n)]}
        for m, n, act in zip(sizes, sizes[1:], ["tanh", "tanh", "softmax"])]
    xs = [[rng.random() for _ in range(784)] for _ in range(16)]
    ys = [[1.0 if k == s % 10 else 0.0 for k in range(10)] for s in range(16)]
    path = tmp_path / "wide.json"
    path.write_text(json.dumps({"loss": "cross_entropy", "layers": layers, "inputs": xs, "targets": ys}))
    for bug, where in (("transposed", "layer 2 z: z[2][0] of sample 0"),
                       ("no_fprime", "layer 1 deltas: delta[1][0] of sample 0")):
        r = run("verify", path, "--backend", f"module:planted32:{bug}", "--dtype", "float32")
        assert r.returncode == 1 and f"it starts at {where}" in r.stdout, r.stdout[-3000:]


def test_a_float32_backend_at_the_default_tolerances_gets_the_dtype_hint(case):
    """No --dtype: the float64 tolerances fail a float32 backend, and the one
    line says it is float32 rounding; a real bug under the same flags gets none."""
    r = run("verify", str(case), "--backend", "matrix:float32")
    hints = [l for l in r.stdout.splitlines() if l.startswith("hint: ")]
    assert r.returncode == 1 and hints == [
        "hint: every difference fits float32 rounding: if the backend computes in float32, "
        "verify it with --dtype float32"]
    r = run("verify", str(case), "--backend", "module:planted32:no_fprime")
    assert r.returncode == 1 and "hint: " not in r.stdout


def test_a_number_bfloat16_cannot_tell_is_inconclusive_not_a_pass(tmp_path):
    """A saturated sigmoid under binary cross-entropy: a = σ(6) = 0.997527,
    1 − a = 0.00247, less than bfloat16's spacing below 1 (2⁻⁸ = 0.0039), so
    log(1 − a) has no bound in bfloat16 (the budget is infinite).  The bundled
    bf16 backend's loss, −log(1 − 0.99609375) = 5.545 against the exact 6.002,
    is neither within rounding nor beyond it: the case is inconclusive (exit 1,
    said), and a --random run counts such cases apart instead of passing them."""
    spec = {"loss": "bce", "layers": [{"size": 1}, {"size": 1, "activation": "sigmoid",
                                                   "weights": [[6.0]], "biases": [0.0]}]}
    path = tmp_path / "saturated.json"
    path.write_text(json.dumps({**spec, "inputs": [[1.0]], "targets": [[0.0]], "reduction": "mean"}))
    r = run("verify", path, "--backend", "matrix:bfloat16", "--dtype", "bfloat16")
    assert r.returncode == 1, r.stdout
    assert "inconclusive: nothing beyond bfloat16 rounding among the 1 number" in r.stdout and "numbers are beyond" not in r.stdout
    assert "not judged (no finite bfloat16 budget): loss 1" in r.stdout
    doc = json.loads(run("verify", path, "--backend", "matrix:bfloat16", "--dtype", "bfloat16",
                         "--format", "json").stdout)
    assert doc["ok"] is False and doc["beyond"] == 0 and doc["unjudged"] > 0
    assert doc["first_unjudged"]["block"] == "loss"
    doc = json.loads(run("verify", "--backend", "matrix:bfloat16", "--dtype", "bfloat16", "--random", "100",
                         "--format", "json").stdout)
    assert doc["ok"] and doc["inconclusive"] and doc["checked"] + len(doc["inconclusive"]) == 100
