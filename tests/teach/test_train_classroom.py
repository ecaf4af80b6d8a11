"""neuronet train for a class: accuracy beside the loss,
progress lines when piped, .csv.gz data, a labelled loss plot, and an epoch
table whose "change" is against the row above."""
import gzip
import io
import json
import re

import pytest
from rich.console import Console

import neuronet
from neuronet.teach.live import LiveView, plot

from conftest import ROOT

XOR = ROOT / "walkthroughs" / "xor"
IRIS = ROOT / "walkthroughs" / "iris"


def test_accuracy_is_reported_and_agrees_with_the_saved_network(cli, tmp_path):
    out = tmp_path / "t.json"
    r = cli("train", IRIS / "network.toml", "--data", IRIS / "samples.csv", "--targets", "3",
            "--lr", "0.1", "--epochs", "20", "--out", out)
    assert r.returncode == 0, r.stderr
    m = re.search(r"final loss: \S+ after 20 epochs; accuracy ([\d.]+)% \((\d+) of (\d+) samples\)", r.stdout)
    assert m, r.stdout
    # independent: classify every sample again from the written spec
    net = neuronet.load(out)
    rows = [l.split(",") for l in (IRIS / "samples.csv").read_text().splitlines()]
    rows = [r_ for r_ in rows if r_ and not r_[0].strip().isalpha() and r_[0][0] not in "#x"]
    right = 0
    for row in rows:
        v = [float(c) for c in row]
        x, y = v[:-3], v[-3:]
        a = net.predict(x)
        right += max(range(3), key=a.__getitem__) == y.index(1.0)
    assert int(m.group(2)) == right and int(m.group(3)) == len(rows)


def test_regression_targets_get_no_accuracy(cli, tmp_path):
    spec = tmp_path / "r.json"
    spec.write_text(json.dumps({"loss": "half_sse", "layers": [
        {"size": 1}, {"size": 1, "activation": "identity", "weights": [[0.5]]}]}))
    r = cli("train", spec, "--input", "1", "--target", "0.3", "--lr", "0.1", "--epochs", "3",
            "--out", tmp_path / "o.json")
    assert r.returncode == 0 and "accuracy" not in r.stdout


def test_piped_stdout_gets_a_line_every_tenth_of_the_epochs(cli, tmp_path):
    r = cli("train", XOR / "network.toml", "--data", XOR / "samples.csv", "--lr", "1", "--epochs", "50",
            "--out", tmp_path / "o.json")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    epochs = [int(re.match(r"epoch (\d+)/50  loss \S+  accuracy [\d.]+%$", l).group(1)) for l in lines[:-1]]
    assert epochs == list(range(5, 51, 5))
    assert lines[-1].startswith("final loss: ")
    # the last progress line's loss is the final loss
    last = re.search(r"loss (\S+)", lines[-2]).group(1)
    assert float(last) == pytest.approx(float(lines[-1].split()[2]), rel=1e-5)
    q = cli("train", XOR / "network.toml", "--data", XOR / "samples.csv", "--lr", "1", "--epochs", "50",
            "--out", tmp_path / "q.json", "--quiet")
    assert q.stdout.startswith("final loss")


def test_csv_gz_data_trains_like_the_csv(cli, tmp_path):
    gz = tmp_path / "xor.csv.gz"
    gz.write_bytes(gzip.compress((XOR / "samples.csv").read_bytes()))
    a = cli("train", XOR / "network.toml", "--data", XOR / "samples.csv", "--lr", "1", "--epochs", "5",
            "--out", tmp_path / "a.json", "--quiet")
    b = cli("train", XOR / "network.toml", "--data", gz, "--lr", "1", "--epochs", "5",
            "--out", tmp_path / "b.json", "--quiet")
    assert a.returncode == b.returncode == 0, b.stderr
    assert a.stdout == b.stdout
    bad = tmp_path / "bad.csv.gz"
    bad.write_bytes(b"not gzip")
    r = cli("train", XOR / "network.toml", "--data", bad, "--lr", "1", "--epochs", "5", "--out", tmp_path / "c.json")
    assert r.returncode == 2 and "is not a readable gzip file" in r.stderr and "Traceback" not in r.stderr


def test_loss_plot_has_labelled_axes():
    t = plot([0.5, 0.25, 0.125, 0.1], width=40)
    lines = t.plain.splitlines()
    assert lines[0].startswith(" 0.5 ┤") and lines[1].startswith("loss ┤")
    assert lines[3].startswith(" 0.1 ┤")
    assert lines[4].strip().startswith("└")
    assert lines[5].strip().startswith("epoch 1") and lines[5].rstrip().endswith("epoch 4")


def _net():
    return neuronet.from_dict({"loss": "half_sse", "layers": [
        {"size": 1}, {"size": 1, "activation": "identity", "weights": [[0.5]]}]})


def test_epoch_table_change_is_against_the_row_above():
    console = Console(file=io.StringIO(), width=100, color_system=None)
    view = LiveView(_net(), 30, 1, console)
    losses = [1.0 / k for k in range(1, 31)]
    for k, L in enumerate(losses, 1):
        view.on_epoch(k, L, accuracy=k / 30)
    console.print(view.table())
    rows = [l.split() for l in console.file.getvalue().splitlines() if re.match(r"^\s+\d+\s", l)]
    assert len(rows) < 30                       # a sampled table: rows skip epochs
    for above, row in zip(rows, rows[1:]):
        e0, e1 = int(above[0]), int(row[0])
        # change = loss(this row) − loss(row above), from the losses fed in
        assert float(row[2]) == pytest.approx(losses[e1 - 1] - losses[e0 - 1], rel=5e-3)  # shown to 3 digits
        assert row[3] == f"{100 * e1 / 30:.1f}%"
