"""`neuronet train`'s live view and its divergence stop.

The diagnostics are checked on a network built so that the answer is known
by construction: hidden ReLU h2 has bias −100 and weights ≤ 0.2 on inputs in
{0, 1}, so z_h2 < 0 on every sample (dead); the sigmoid output has bias 10
and non-negative inputs times 0.5, so z_out > 6 always (saturated).
"""
import json
import os
import sys

import pytest

XOR = ["--input", "0,0", "--target", "0", "--input", "1,0", "--target", "1",
       "--input", "0,1", "--target", "1", "--input", "1,1", "--target", "0"]


@pytest.fixture
def dead_spec(tmp_path):
    p = tmp_path / "dead.json"
    p.write_text(json.dumps({
        "name": "dead-relu", "loss": "half_sse",
        "layers": [{"size": 2},
                   {"size": 3, "activation": "relu", "labels": ["h1", "h2", "h3"],
                    "weights": [[0.5, 0.1, -0.4], [0.3, 0.2, 0.6]], "biases": [0.1, -100, 0.1]},
                   {"size": 1, "activation": "sigmoid", "labels": ["out"],
                    "weights": [[0.5], [0.5], [0.5]], "biases": [10]}]}))
    return p


def test_diverging_network_stops_with_a_nan_message(cli, tmp_path):
    # identity hidden layer, softmax + cross-entropy, η = 1e300: the first
    # update throws the weights to ~1e300, the next forward pass multiplies
    # two of them (z = ±inf; softmax takes that as its limit, a = (1, 0)),
    # and the next update's inf·0 leaves a NaN weight behind
    spec = tmp_path / "nan.json"
    spec.write_text(json.dumps({
        "name": "diverge", "loss": "cross_entropy",
        "layers": [{"size": 1},
                   {"size": 2, "activation": "identity", "labels": ["h1", "h2"], "weights": [[0.5, -0.5]]},
                   {"size": 2, "activation": "softmax", "labels": ["o1", "o2"],
                    "weights": [[1.0, -1.0], [-1.0, 1.0]]}]}))
    out = tmp_path / "t.json"
    # --max-param 1e308: let the weights reach ~1e300 so the NaN itself is met
    r = cli("train", spec, "--input", "1", "--target", "1,0", "--lr", "1e300", "--epochs", "50", "--out", out,
            "--max-param", "1e308")
    assert r.returncode == 1
    msg = r.stderr.strip().splitlines()[-1]
    # (softmax takes z = ±inf as its limit, so what first leaves the floats is
    # a weight out of h1, thrown past ±1e308 by the second update)
    assert msg.startswith("neuronet train: diverged at epoch 2, step 1: the weight from neuron h1 (layer 1, neuron 0)")
    assert "try a smaller --lr" in msg
    assert "not written" in msg and not out.exists()
    # a non-terminal run keeps plain output: no live view, no epoch table
    assert "loss per epoch" not in r.stderr and "training:" not in r.stderr


def test_a_loss_that_grows_by_orders_of_magnitude_stops_with_one_line(cli, tmp_path):
    # 1-1-1 identity chain, ½SSE, x = 1, y = 3, η = 100, all w = 1, b = 0.
    # By hand: a = 1, every gradient is (a − y)·1 = −2, so each w and b
    # becomes 1 + 200 = 201 and 0 + 200 = 200: h = 401, a = 201·401 + 200 =
    # 80801, epoch 1's loss ½(80798)² = 3.26e9; epoch 2 is 5.5e37, > 10× it.
    spec = tmp_path / "chain.json"
    spec.write_text(json.dumps({
        "loss": "half_sse",
        "layers": [{"size": 1}, {"size": 1, "activation": "identity", "weights": [[1.0]]},
                   {"size": 1, "activation": "identity", "labels": ["out"], "weights": [[1.0]]}]}))
    out = tmp_path / "t.json"
    r = cli("train", spec, "--input", "1", "--target", "3", "--lr", "100", "--epochs", "50", "--out", out)
    assert r.returncode == 1
    assert r.stderr.startswith("neuronet train: diverged at epoch 2: loss 3.26e+09 → ")
    assert r.stderr.count("\n") == 1 and "try a smaller --lr" in r.stderr
    assert not out.exists() and "final loss" not in r.stdout


@pytest.mark.parametrize("suffix", [".json", ".toml"])
def test_lr_1e308_never_writes_a_non_finite_or_blown_up_spec(cli, tmp_path, suffix):
    # with η = 1e308 the first update throws the bias of neuron i
    # to ~1e305 (finite, but far past ±1e100): stop there, exit 1, name it
    root = __import__("pathlib").Path(__file__).resolve().parents[2]
    d = root / "walkthroughs" / "one-neuron-chain"
    out = tmp_path / f"x{suffix}"
    out.write_text("keep me")
    r = cli("train", d / "network.toml", "--data", d / "samples.json", "--lr", "1e308", "--reduction", "sum",
            "--epochs", "3", "--out", out)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "final loss" not in r.stdout
    line = r.stderr.strip()
    assert "\n" not in line and "Traceback" not in r.stderr
    assert "diverged at epoch 1, step 1: the bias b of neuron i (layer 0, neuron 0)" in line
    assert out.read_text() == "keep me"


def test_forced_live_view_reports_dead_relu_and_saturated_sigmoid(cli, dead_spec, tmp_path):
    r = cli("train", dead_spec, *XOR, "--lr", "0.5", "--epochs", "20", "--out", tmp_path / "t.json", "--live")
    assert r.returncode == 0, r.stderr
    assert "final loss" in r.stdout
    err = r.stderr
    assert "loss per epoch" in err
    assert "dead ReLUs (z ≤ 0 on every sample): 1 — h2" in err
    assert "saturated sigmoids" in err and "1 — out" in err
    assert "training: 20 epochs" in err                     # the epoch table on exit
    # --quiet turns it off
    q = cli("train", dead_spec, *XOR, "--lr", "0.5", "--epochs", "20", "--out", tmp_path / "q.json",
            "--live", "--quiet")
    assert q.returncode == 0 and "loss per epoch" not in q.stderr


def test_live_view_on_a_terminal(dead_spec, tmp_path):
    pexpect = pytest.importorskip("pexpect")
    env = dict(os.environ, TERM="xterm")
    env.pop("NO_COLOR", None)
    child = pexpect.spawn(sys.executable, ["-m", "neuronet", "train", str(dead_spec), *XOR, "--lr", "0.5",
                                           "--epochs", "200", "--out", str(tmp_path / "t.json")],
                          dimensions=(24, 80), env=env, encoding="utf-8", timeout=30)
    child.expect("training: 200 epochs")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_curve_plots_a_falling_loss_falling():
    from neuronet.teach.live import curve
    lines, log = curve([8.0, 4.0, 2.0, 1.0], width=40, rows=2)
    assert not log and len(lines) == 2
    # the first (largest) value fills both rows, the last (smallest) the least
    assert lines[0][0] == "█" and lines[1][0] == "█"
    assert lines[0][-1] == " " and lines[1][-1] != "█"
    lines, log = curve([1000.0, 1.0], width=10)
    assert log
