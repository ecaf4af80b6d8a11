"""Every kind of bad input: one line on stderr naming the file and the
place, exit status 2, no traceback — and an existing --out file untouched."""
import json

import pytest

GOOD = {"loss": "half_sse", "layers": [
    {"size": 2},
    {"size": 2, "activation": "sigmoid", "weights": [[0.1, 0.2], [0.3, 0.4]], "biases": [0.0, 0.0]},
    {"size": 1, "activation": "sigmoid", "weights": [[0.5], [0.6]]},
]}
OLD = '{"this file": "must survive a failed run"}\n'


def variant(**changes):
    spec = json.loads(json.dumps(GOOD))
    for path, value in changes.items():
        *head, last = path.split("__")
        node = spec
        for key in head:
            node = node[int(key)] if key.isdigit() else node[key]
        if value is DELETE:
            del node[int(last) if last.isdigit() else last]
        else:
            node[int(last) if last.isdigit() else last] = value
    return json.dumps(spec)


DELETE = object()

SPEC_CASES = {
    "not json": ("{layers: [", "is not valid JSON"),
    "missing layers": (variant(layers=DELETE), 'has no "layers" list'),
    "one layer": (json.dumps({"layers": [{"size": 2}]}), "layers has 1 layer, expected at least 2"),
    "wrong matrix shape": (variant(layers__1__weights=[[0.1, 0.2]]), "layers[1].weights has 1 rows, expected 2"),
    "ragged rows": (variant(layers__1__weights=[[0.1, 0.2], [0.3]]), "layers[1].weights[1] has 1 entries, expected 2"),
    "unknown activation": (variant(layers__1__activation="sigmoidal"), "layers[1].activation unknown activation 'sigmoidal'"),
    "unknown loss": (variant(loss="hinge"), "loss unknown loss 'hinge'"),
    "non-numeric weight": (variant(layers__2__weights=[[0.5], ["x"]]), 'layers[2].weights[1][0] must be a number, got "x"'),
    "NaN weight": (variant(layers__1__weights=[[0.1, float("nan")], [0.3, 0.4]]), "layers[1].weights[0][1] must be a finite number"),
    "inf weight": (variant(layers__1__weights=[[0.1, 0.2], [float("inf"), 0.4]]), "layers[1].weights[1][0] must be a finite number"),
    "wrong bias count": (variant(layers__1__biases=[0.0]), "layers[1].biases has 1 entries, expected 2"),
    "non-positive size": (variant(layers__1__size=0), "layers[1].size must be a positive integer, got 0"),
    "softmax on one neuron": (variant(layers__2__activation="softmax"), "layers[2].activation softmax needs at least 2 neurons"),
}


def _train(cli, tmp_path, spec_text=None, extra=(), spec_name="net.json", samples=("--input", "1,0", "--target", "1")):
    spec = tmp_path / spec_name
    if spec_text is not None:
        spec.write_text(spec_text)
    out = tmp_path / "trained.json"
    out.write_text(OLD)
    r = cli("train", spec, *samples, "--lr", "0.5", "--epochs", "3", "--out", out, *extra)
    return r, out


def _assert_one_clean_line(r, out, *needles):
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert "Traceback" not in r.stderr
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    assert out.read_text() == OLD


@pytest.mark.parametrize("case", sorted(SPEC_CASES))
def test_bad_spec(cli, tmp_path, case):
    text, message = SPEC_CASES[case]
    r, out = _train(cli, tmp_path, text)
    _assert_one_clean_line(r, out, "net.json:", message)


def test_bad_toml_names_line(cli, tmp_path):
    r, out = _train(cli, tmp_path, "[[layers]]\nsize = \n", spec_name="net.toml")
    _assert_one_clean_line(r, out, "net.toml:", "is not valid TOML", "line 2")


def test_missing_spec_file(cli, tmp_path):
    r, out = _train(cli, tmp_path, None, spec_name="absent.json")
    _assert_one_clean_line(r, out, "absent.json:", "no such file")


@pytest.mark.parametrize("samples, needles", [
    (("--input", "1,0,1", "--target", "1"), ["sample 0 input has 3 entries, expected 2"]),
    (("--input", "1,0", "--target", "1,0"), ["sample 0 target has 2 entries, expected 1"]),
    (("--input", "1,zero", "--target", "1"), ["--input #1, entry 1:", "'zero' is not a number"]),
    (("--input", "1,nan", "--target", "1"), ["--input #1, entry 1:", "'nan' is not a finite number"]),
    (("--input", "1,0", "--input", "0,1", "--target", "1"), ["2 --input but 1 --target"]),
])
def test_bad_samples(cli, tmp_path, samples, needles):
    r, out = _train(cli, tmp_path, json.dumps(GOOD), samples=samples)
    _assert_one_clean_line(r, out, *needles)


@pytest.mark.parametrize("content, needles", [
    ("x1,x2,y1\n1,0,1\n0,abc,0\n", ["data.csv:", "line 3, column x2:", "'abc' is not a number"]),
    ("x1,x2,y1\n1,0,1\n0,NaN,0\n", ["data.csv:", "line 3, column x2:", "not a finite number"]),
    ("x1,x2,y1\n1,0,1\n0,1\n", ["data.csv:", "line 3 has 2 columns, expected 3"]),
    ("x1,x2,x3,y1\n1,0,1,1\n", ["data.csv:", "sample 0 input has 3 entries, expected 2"]),
])
def test_bad_data_file(cli, tmp_path, content, needles):
    (tmp_path / "data.csv").write_text(content)
    r, out = _train(cli, tmp_path, json.dumps(GOOD), samples=("--data", tmp_path / "data.csv"))
    _assert_one_clean_line(r, out, *needles)


def test_missing_data_file(cli, tmp_path):
    r, out = _train(cli, tmp_path, json.dumps(GOOD), samples=("--data", tmp_path / "nope.csv"))
    _assert_one_clean_line(r, out, "nope.csv:", "no such file")


@pytest.mark.parametrize("extra, needle", [
    (("--lr", "fast"), "argument --lr: 'fast' is not a number"),
    (("--epochs", "-3"), "argument --epochs: '-3' must not be negative"),
])
def test_bad_arguments(cli, tmp_path, extra, needle):
    r, out = _train(cli, tmp_path, json.dumps(GOOD), extra=extra)
    _assert_one_clean_line(r, out, needle)


def test_log_of_zero_is_reported_not_nan(cli, tmp_path):
    # sigmoid(1000) is exactly 1.0 in floating point, so bce's log(1 − a) is log(0)
    spec = {"loss": "bce", "layers": [{"size": 1},
            {"size": 1, "activation": "sigmoid", "weights": [[1000.0]]}]}
    r, out = _train(cli, tmp_path, json.dumps(spec), samples=("--input", "1", "--target", "0"))
    _assert_one_clean_line(r, out, "sample 0:", "loss bce: log(1 − a) of 0.0 at output 0")
    r = cli("grads", tmp_path / "net.json", "--input", "1", "--target", "0")
    assert r.returncode == 2 and "nan" not in r.stdout.lower() and "log(1 − a)" in r.stderr


def test_a_good_run_replaces_out_atomically(cli, tmp_path):
    r, out = _train(cli, tmp_path, json.dumps(GOOD))
    assert r.returncode == 0, r.stderr
    trained = json.loads(out.read_text())
    assert trained["layers"][1]["weights"] != GOOD["layers"][1]["weights"]
    assert not list(tmp_path.glob(".trained.json.*"))      # no temp file left behind
