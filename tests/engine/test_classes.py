"""The one accuracy rule (engine/classes.py), on cases worked by hand, and
the train command counting with it."""
import pytest

from neuronet.engine import classes


@pytest.mark.parametrize("a,y,right", [
    ([0.1, 0.7, 0.2], [0, 1, 0], True),
    ([0.7, 0.1, 0.2], [0, 1, 0], False),
    ([0.4, 0.4, 0.2], [1, 0, 0], True),      # equal largest: the first, as argmax
    ([0.4, 0.4, 0.2], [0, 1, 0], False),
    ([0.5], [1], True),                      # one output: the same side of 0.5
    ([0.49], [1], False),
    ([0.2], [0], True),
])
def test_correct_on_hand_worked_cases(a, y, right):
    assert classes.correct(a, y) is right


def test_is_classification():
    assert classes.is_classification([[0, 1], [1, 0]]) and classes.is_classification([[0], [1]])
    assert not classes.is_classification([[0.2, 0.8]]) and not classes.is_classification([[0.5]])
    assert not classes.is_classification([])


def test_train_reports_the_accuracy_of_the_spec_it_wrote(tmp_path):
    """`neuronet train`'s accuracy line and classes.accuracy on the trained spec
    it wrote: the same count of the same samples."""
    import re
    import neuronet
    from conftest import ROOT
    from inproc import run
    from neuronet.io import data
    spec = ROOT / "walkthroughs" / "iris" / "network.toml"
    samples = ROOT / "walkthroughs" / "iris" / "samples.csv"
    out = tmp_path / "trained.json"
    r = run("train", spec, "--data", samples, "--lr", "0.1", "--epochs", "3", "--out", out, "--quiet")
    assert r.returncode == 0, r.stderr
    right, n = map(int, re.search(r"\((\d+) of (\d+) samples\)", r.stdout + r.stderr).groups())
    net = neuronet.load(out)
    xs, ys = data.read(str(samples), len(net.layers[-1]))
    assert right == round(classes.accuracy(net, xs, ys) * len(xs)) and n == len(xs)
