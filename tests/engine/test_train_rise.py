"""`neuronet train` fails a run whose loss ends above the loss before
training: a learning rate too large can oscillate instead of blowing up.

The numbers are the issue's own run of iris at η = 50 (the loss before
training, 1.33, is the walkthrough network's ½-summed loss over
walkthroughs/iris/samples.csv; the losses after it are what SGD on it
gives).  The loss before training is recomputed here independently of the
engine's train(): with the forward pass alone."""
from conftest import ROOT
from inproc import one_line, run

import neuronet
from neuronet.engine import passes
from neuronet.io import data

IRIS = ROOT / "walkthroughs" / "iris"


def test_an_oscillating_divergence_exits_1_and_writes_nothing(tmp_path):
    out = tmp_path / "trained.toml"
    r = run("train", IRIS / "network.toml", "--data", IRIS / "samples.csv", "--lr", "50",
            "--epochs", "200", "--out", out, "--quiet")
    line = one_line(r, 1, "loss rose from 1.33 (before training) to 54.4; try a smaller --lr", "try a smaller --lr", "not written")
    assert not out.exists(), line
    assert "final loss" not in r.stdout


def test_the_comparison_is_with_the_loss_before_training():
    net = neuronet.load(IRIS / "network.toml")
    xs, ys = data.read(str(IRIS / "samples.csv"), len(net.layers[-1]))
    total = 0.0
    for x, y in zip(xs, ys):
        passes.forward(net, x)
        total += passes.loss(net, y)
    assert f"{total / len(xs):.3g}" == "1.33"


def test_an_existing_file_is_not_clobbered_and_a_good_run_still_writes(tmp_path):
    out = tmp_path / "trained.toml"
    out.write_text("keep me\n", encoding="utf-8")
    r = run("train", IRIS / "network.toml", "--data", IRIS / "samples.csv", "--lr", "50",
            "--epochs", "20", "--out", out, "--quiet")
    one_line(r, 1, "loss rose from 1.33 (before training) to")
    assert out.read_text(encoding="utf-8") == "keep me\n"
    r = run("train", IRIS / "network.toml", "--data", IRIS / "samples.csv", "--lr", "0.5",
            "--epochs", "20", "--out", out, "--quiet")
    assert r.returncode == 0, r.stderr
    assert out.read_text(encoding="utf-8") != "keep me\n"


def test_the_matrix_backend_fails_the_same_run(tmp_path):
    out = tmp_path / "trained.toml"
    r = run("train", IRIS / "network.toml", "--data", IRIS / "samples.csv", "--lr", "50",
            "--epochs", "200", "--out", out, "--quiet", "--backend", "matrix")
    one_line(r, 1, "loss rose from 1.33 (before training) to", "not written")
    assert not out.exists()
