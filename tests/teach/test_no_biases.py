"""A layer without biases (spec ``biases = false``): 002 has none (its line
11, "I will not include biases in this example"), so its walkthrough's
trace, step and step --html show no bias step — 002 §7 updates weights only.

Counts by hand from 002's 2-4-3-2 shape: 9 non-input neurons, so a network
with biases has 9 grad_b and 9 update_b events more than one without."""
import json
import re

import neuronet
from neuronet.io import spec

from conftest import SWITCH
from inproc import run

STEP = ["--input", "1,0", "--target", "0,1", "--lr", "0.5"]


def with_biases(tmp_path):
    """002's network with the default zero biases instead of none."""
    p = tmp_path / "biased.toml"
    p.write_text(SWITCH.read_text(encoding="utf-8").replace("biases = false\n", ""), encoding="utf-8")
    return p


def kinds(spec_path):
    r = run("trace", spec_path, *STEP, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    return [json.loads(line).get("kind") for line in r.stdout.splitlines() if line.strip()]


def test_trace_of_002_has_no_bias_step_and_a_biased_copy_has_nine(tmp_path):
    none, some = kinds(SWITCH), kinds(with_biases(tmp_path))
    assert none.count("grad_b") == none.count("update_b") == 0
    assert some.count("grad_b") == some.count("update_b") == 9
    assert len(some) - len(none) == 18


def test_plain_trace_never_names_a_bias_update():
    r = run("trace", SWITCH, *STEP, "--notation", "net-out", "--round", "4")
    assert r.returncode == 0
    assert not re.search(r"b_[bcd]\d+'|b_[bcd]\d+ ←|∂E_total/∂b", r.stdout), r.stdout


def test_step_html_steps_weights_only(tmp_path):
    out = tmp_path / "s.html"
    r = run("step", SWITCH, *STEP, "--html", out)
    assert r.returncode == 0, r.stderr
    page = out.read_text(encoding="utf-8")
    assert "update_b" not in page and "grad_b" not in page
    assert "update_w" in page
    assert "(148 terms)" in r.stderr                # 166 with biases, less 9 + 9


def test_the_weights_train_the_biases_stay_zero_and_the_spec_round_trips(tmp_path):
    for suffix in (".toml", ".json"):
        out = tmp_path / f"trained{suffix}"
        r = run("train", SWITCH, *STEP, "--epochs", "3", "--out", out, "--quiet")
        assert r.returncode == 0, r.stderr
        t = neuronet.load(out)
        assert t.no_bias == {1, 2, 3}
        assert all(n.b == 0.0 for layer in t.layers for n in layer)
        assert t.weight(3, 0, 0) != 0.3                  # w_d1 did train
        d = spec.to_dict(t)
        assert [layer.get("biases") for layer in d["layers"]] == [None, False, False, False]
        assert spec.to_dict(spec.from_dict(d)) == d


def test_the_matrix_backend_leaves_them_too(tmp_path):
    out = tmp_path / "m.toml"
    r = run("train", SWITCH, *STEP, "--input", "0,1", "--target", "1,0", "--epochs", "3", "--out", out,
            "--quiet", "--backend", "matrix")
    assert r.returncode == 0, r.stderr
    t = neuronet.load(out)
    assert t.no_bias == {1, 2, 3} and all(n.b == 0.0 for layer in t.layers for n in layer)


def test_the_gradient_of_a_missing_bias_is_still_reported_and_agrees(tmp_path):
    # ∂L/∂b_j = δ_j: grads reports it for both; the numbers are the same
    a = json.loads(run("grads", SWITCH, *STEP[:4]).stdout)
    b = json.loads(run("grads", with_biases(tmp_path), *STEP[:4]).stdout)
    assert a["gradients"] == b["gradients"]


def test_biases_true_is_refused_in_one_line(tmp_path):
    p = tmp_path / "bad.toml"
    p.write_text(SWITCH.read_text(encoding="utf-8").replace("\nbiases = false", "\nbiases = true", 1),
                 encoding="utf-8")
    r = run("show", p)
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1
    assert "or false (the layer has no biases)" in r.stderr and "layers[1].biases" in r.stderr
