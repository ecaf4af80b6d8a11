"""Specs, data files, IDX files and walkthrough
folders that used to end in a traceback — each now one line, exit 2."""
import gzip
import json
import struct

import pytest

from inproc import one_line, run

GOOD = {"loss": "half_sse", "layers": [
    {"size": 2},
    {"size": 2, "activation": "sigmoid", "weights": [[0.1, 0.2], [0.3, 0.4]], "biases": [0.0, 0.0]},
    {"size": 1, "activation": "sigmoid", "weights": [[0.5], [0.6]]},
]}
SAMPLE = ("--input", "1,0", "--target", "1")


def with_(**top):
    spec = json.loads(json.dumps(GOOD))
    spec.update(top)
    return json.dumps(spec)


def layer1(**keys):
    spec = json.loads(json.dumps(GOOD))
    spec["layers"][1].update(keys)
    return json.dumps(spec)


BIG = "1" + "0" * 400                          # a 401-digit integer
HUGE = "1" + "0" * 5000                        # past Python's 4300-digit int conversion limit

SPEC_CASES = {
    "loss is a list": (with_(loss=["x"]), "loss unknown loss list"),
    "loss is a table": (with_(loss={"a": 1}), "loss unknown loss dict"),
    "activation is a table": (layer1(activation={}), "layers[1].activation unknown activation dict"),
    "activation is a list": (layer1(activation=["relu"]), "layers[1].activation unknown activation list"),
    "init scheme is a list": (with_(init={"scheme": []}), "init.scheme unknown scheme list"),
    "401-digit weight": (layer1(weights="W").replace('"W"', f"[[{BIG}, 0.2], [0.3, 0.4]]"),
                         "layers[1].weights[0][0] is too large: an integer of 401 digits"),
    "5001-digit weight": (layer1(weights="W").replace('"W"', f"[[{HUGE}, 0.2], [0.3, 0.4]]"),
                          "layers[1].weights[0][0] must be a finite number"),
    "1e400 weight": (layer1(weights="W").replace('"W"', "[[1e400, 0.2], [0.3, 0.4]]"),
                     "layers[1].weights[0][0] must be a finite number"),
    "100k nested [": ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    "deep but parseable": (with_(note="N").replace('"N"', "[" * 150 + "]" * 150), "nested more than 100 deep"),
    "size 2**63": (layer1(size=2 ** 63), "layers[1].size makes the network larger than the parameter budget"),
    "size 10**9": (layer1(size=10 ** 9), "parameter budget"),
    "100000 x 100000": (json.dumps({"layers": [{"size": 100_000}, {"size": 100_000}]}),
                        "layers[1].size makes the network larger than the parameter budget"),
    "a million layers": (json.dumps({"layers": [{"size": 1}] * 1_000_001}), "parameter budget"),
    "lone surrogate in name": (with_(name="N").replace('"N"', '"a\\ud800b"'), "name holds a lone surrogate"),
    "lone surrogate in a label": (layer1(labels=["a", "L"]).replace('"L"', '"\\udfff"'),
                                  "layers[1].labels[1] holds a lone surrogate"),
    "lone surrogate in a key": (with_(K=1).replace('"K"', '"\\ud800"'), "holds a lone surrogate"),
    "null extra key": (with_(comment=None), "comment is null"),
    "NaN extra key": (with_(comment=float("nan")), "comment must be a finite number"),
    "null inside init": (with_(init={"seed": None}), "init.seed is null"),
}


TOML_CASES = {
    "5000-digit integer": ("[[layers]]\nsize = 1\n[[layers]]\nsize = 1\nweights = [[" + HUGE + "]]\n",
                           "is not valid TOML: Exceeds the limit (4300 digits)"),
    "401-digit integer": ("[[layers]]\nsize = 1\n[[layers]]\nsize = 1\nweights = [[" + BIG + "]]\n",
                          "layers[1].weights[0][0] is too large"),
    "a date kept as an extra key": ("when = 1979-05-27\n[[layers]]\nsize = 1\n[[layers]]\nsize = 1\n",
                                    "when is a date"),
    "deep arrays": ("x = " + "[" * 100_000 + "]" * 100_000 + "\n", "nested too deeply"),
}


@pytest.mark.parametrize("case", sorted(TOML_CASES))
def test_toml_spec_holes_are_one_line(tmp_path, case):
    text, needle = TOML_CASES[case]
    f = tmp_path / "net.toml"
    f.write_text(text)
    one_line(run("grads", f, "--input", "1", "--target", "1"), 2, "net.toml:", needle)


@pytest.mark.parametrize("case", sorted(SPEC_CASES))
@pytest.mark.parametrize("command", ["grads", "show", "train"])
def test_spec_holes_are_one_line(tmp_path, case, command):
    text, needle = SPEC_CASES[case]
    f = tmp_path / "net.json"
    f.write_text(text)
    out = tmp_path / "t.toml"
    out.write_text("old\n")
    argv = {"grads": ["grads", f, *SAMPLE], "show": ["show", f],
            "train": ["train", f, *SAMPLE, "--lr", "0.5", "--epochs", "1", "--out", out]}[command]
    one_line(run(*argv), 2, "net.json:", needle)
    assert out.read_text() == "old\n"


def test_the_parameter_budget_is_an_option(tmp_path):
    # 2-300-300-1: 2 + 300 + 300 + 1 biases, 600 + 90000 + 300 weights = 91,503 parameters
    spec = {"layers": [{"size": 2}, {"size": 300}, {"size": 300}, {"size": 1}]}
    f = tmp_path / "net.json"
    f.write_text(json.dumps(spec))
    line = one_line(run("grads", f, *SAMPLE, "--max-params", "91502"), 2, "layers[3].size", "91,503",
                    "91,502", "--max-params")
    assert run("grads", f, *SAMPLE, "--max-params", "91503").returncode == 0, line
    one_line(run("grads", f, *SAMPLE, env={"NEURONET_MAX_PARAMS": "1000"}), 2, "limit is 1,000")
    one_line(run("grads", f, *SAMPLE, env={"NEURONET_MAX_PARAMS": "many"}), 2, "NEURONET_MAX_PARAMS")
    one_line(run("grads", f, *SAMPLE, "--max-params", "0"), 2, "--max-params")


def test_a_valid_spec_with_extra_keys_saves_as_toml_and_reads_back(tmp_path):
    f = tmp_path / "net.json"
    f.write_text(with_(comment="keep me", tags=["a", "b"], meta={"n": 1}))
    out = tmp_path / "t.toml"
    r = run("train", f, *SAMPLE, "--lr", "0.5", "--epochs", "1", "--out", out)
    assert r.returncode == 0, r.stderr
    assert run("grads", out, *SAMPLE).returncode == 0
    import tomllib
    back = tomllib.loads(out.read_text())
    assert back["comment"] == "keep me" and back["tags"] == ["a", "b"] and back["meta"] == {"n": 1}


# ---------------------------------------------------------------------------
# data files and numbers
# ---------------------------------------------------------------------------

DATA_CASES = {
    "401-digit integer (json)": ("d.json", '{"inputs": [[%s, 0]], "targets": [[1]]}' % BIG,
                                 "inputs[0][0]: an integer of 401 digits is not a finite number"),
    "5000-digit integer (json)": ("d.json", '{"inputs": [[%s, 0]], "targets": [[1]]}' % HUGE,
                                  "inputs[0][0]: inf is not a finite number"),
    "deep nesting (json)": ("d.json", '{"inputs": ' + "[" * 100_000 + "]" * 100_000 + "}",
                            "nested too deeply"),
    "a 200k-character cell": ("d.csv", "x1,x2,y1\n" + "1" * 200_000 + ",0,1\n",
                              "line 2, column x1: '1111111111"),
    "401-digit cell": ("d.csv", f"x1,x2,y1\n{BIG},0,1\n", None),
    "an unterminated quote": ("d.csv", 'x1,x2,y1\n"1,0,1\n', None),
    "digit grouping 1_000": ("d.csv", "x1,x2,y1\n1_000,0,1\n", "line 2, column x1: '1_000' is not a number"),
    "Arabic-Indic digits": ("d.csv", "x1,x2,y1\n١,0,1\n", "line 2, column x1: '١' is not a number"),
    "full-width digits": ("d.csv", "x1,x2,y1\n１,0,1\n", "line 2, column x1: '１' is not a number"),
    "BOM, header x/y": ("d.csv", "\ufeffx1,x2,y1\n1,zero,1\n", "line 2, column x2: 'zero' is not a number"),
}


@pytest.mark.parametrize("case", sorted(DATA_CASES))
def test_data_file_holes_are_one_line(tmp_path, case):
    name, text, needle = DATA_CASES[case]
    (tmp_path / "net.json").write_text(json.dumps(GOOD))
    (tmp_path / name).write_text(text, encoding="utf-8")
    r = run("grads", tmp_path / "net.json", "--data", tmp_path / name)
    if needle is None:      # valid after all (a 401-digit cell is a float: 1e400 → inf → refused)
        assert r.returncode in (0, 2) and "Traceback" not in r.stderr
        if r.returncode == 2:
            one_line(r, 2, name)
    else:
        one_line(r, 2, name, needle)


@pytest.mark.parametrize("text", ["1_000", "١٢", "１２", "1e", "--1", "0x10", " ", "1,,0", "½"])
def test_lenient_float_syntax_is_refused_in_arguments(tmp_path, text):
    (tmp_path / "net.json").write_text(json.dumps(GOOD))
    r = run("grads", tmp_path / "net.json", f"--input={text},0", "--target", "1")
    one_line(r, 2, "is not a number")
    one_line(run("trace", tmp_path / "net.json", *SAMPLE, f"--lr={text}"), 2, "--lr")


@pytest.mark.parametrize("text, value", [("1", 1.0), ("-1.5e-3", -1.5e-3), (".5", 0.5), ("2.", 2.0),
                                         ("+3E2", 300.0), (" 4 ", 4.0)])
def test_plain_ascii_numbers_are_accepted(text, value):
    from neuronet.io.data import number
    assert number(text) == value


# ---------------------------------------------------------------------------
# IDX files
# ---------------------------------------------------------------------------

def idx(shape, body: bytes, gz: bool = False) -> bytes:
    data = bytes([0, 0, 8, len(shape)]) + struct.pack(f">{len(shape)}I", *shape) + body
    return gzip.compress(data) if gz else data


def _digits(tmp_path, images: bytes, labels: bytes):
    (tmp_path / "img.idx").write_bytes(images)
    (tmp_path / "lab.idx").write_bytes(labels)
    return run("walkthrough", "digits", "--quick", "--data", tmp_path / "img.idx", "--labels", tmp_path / "lab.idx")


IDX_CASES = {
    "corrupt gzip body": (gzip.compress(idx([2, 28, 28], bytes(2 * 784)))[:30] + b"garbage" * 10,
                          "is not a valid gzip file"),
    "0 images": (idx([0, 28, 28], b""), "holds 0 items"),
    "0 x 0 pixels, 2**32-1 images": (idx([2 ** 32 - 1, 0, 0], b""), "a dimension of 0"),
    "header bigger than the file": (idx([60000, 28, 28], bytes(784)), "holds 1 complete items, but its header says 60000"),
    "gzip bomb": (gzip.compress(idx([2 ** 31, 2 ** 16, 2 ** 16], bytes(4 << 20))),
                  "more than the"),
    "gzip body shorter than declared": (idx([10, 28, 28], bytes(784), gz=True), "unpacked it is"),
    "1 image": (idx([1, 28, 28], bytes(784)), "too few to train on some and hold some out"),
}


@pytest.mark.parametrize("case", sorted(IDX_CASES))
def test_idx_holes_are_one_line(tmp_path, case):
    images, needle = IDX_CASES[case]
    labels = idx([1], b"\x03")
    if case == "1 image":
        labels = idx([1], b"\x03")
    one_line(_digits(tmp_path, images, labels), 2, needle)


def test_idx_reads_only_the_declared_bytes_of_a_gzip(tmp_path):
    # a gzip holding a valid 2-image file followed by 4 MB more: the extra is never unpacked
    from neuronet.io import idx as idxmod
    f = tmp_path / "x.idx.gz"
    f.write_bytes(gzip.compress(idx([2, 2, 2], bytes(range(8))) + bytes(4 << 20)))
    assert idxmod.read_images(str(f)) == [[0, 1 / 255, 2 / 255, 3 / 255], [4 / 255, 5 / 255, 6 / 255, 7 / 255]]


# ---------------------------------------------------------------------------
# a bad NEURONET_WALKTHROUGHS folder
# ---------------------------------------------------------------------------

GOOD_META = 'title = "t"\nsource = "s"\nrunner = "chain"\n'


@pytest.mark.parametrize("meta, needle", [
    (GOOD_META + 'order = "first"\n', "walkthrough.toml: order must be a whole number"),
    (GOOD_META + "order = 1.5\n", "order must be a whole number"),
    ('title = "t"\nsource = "s"\nrunner = "nope"\n', "runner unknown runner 'nope'"),
    ('title = "t"\nsource = "s"\nrunner = "../../os"\n', "unknown runner"),
    (GOOD_META + 'notation = "mine"\n', "notation unknown notation 'mine'"),
    (GOOD_META + 'params = 3\n', "params must be a table"),
    ('title = "t"\n', "needs a string 'source'"),
    ("title = \n", "is not valid TOML"),
    (b"\xff\xfe", "is not UTF-8 text"),
])
@pytest.mark.parametrize("argv", [["walkthrough"], ["walkthrough", "w"]])
def test_a_bad_walkthroughs_folder_is_one_line(tmp_path, meta, needle, argv):
    (tmp_path / "w").mkdir()
    f = tmp_path / "w" / "walkthrough.toml"
    f.write_bytes(meta if isinstance(meta, bytes) else meta.encode())
    one_line(run(*argv, env={"NEURONET_WALKTHROUGHS": str(tmp_path)}), 2, needle)
