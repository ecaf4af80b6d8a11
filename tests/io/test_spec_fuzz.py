"""A spec fuzzer.  Whatever a spec file holds, every
command ends in one of

* exit 0 — and then nothing it printed is NaN/inf;
* exit 2 — one line on stderr (the file and the place), no traceback;
* exit 1 — one line naming where a number stopped being finite (a valid
  spec whose arithmetic overflows, e.g. a mutated weight of 1e308);

never a traceback, never a hang, never a clobbered --out.

Three sources of specs, 1,400 examples in all (in-process via
``neuronet.cli.main``, so they take seconds, not minutes): random JSON
trees; mutations of valid specs (a node replaced by a random value, a key
deleted or added, a number made huge/NaN/a string, …); and character-level
mutations of valid JSON and TOML texts.  Runs derandomized so CI is
reproducible; ``pytest -m slow --hypothesis-seed=N`` with
``NEURONET_FUZZ_RANDOM=1`` explores new cases.
"""
import json
import math
import os
import re

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from inproc import run

pytestmark = pytest.mark.slow

SETTINGS = dict(deadline=None, derandomize=not os.environ.get("NEURONET_FUZZ_RANDOM"),
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])

VALID = [
    {"loss": "half_sse", "layers": [
        {"size": 2},
        {"size": 2, "activation": "sigmoid", "weights": [[0.1, 0.2], [0.3, 0.4]], "biases": [0.0, 0.0]},
        {"size": 1, "activation": "sigmoid", "weights": [[0.5], [0.6]]}]},
    {"name": "soft", "loss": "cross_entropy", "layers": [
        {"size": 2, "biases": [0.1, -0.1]},
        {"size": 3, "activation": "tanh", "labels": ["a", "b", "c"],
         "weights_to_from": [[1, 2], [3, 4], [5, 6]]},
        {"size": 2, "activation": "softmax"}], "init": {"seed": 3, "scheme": "he"}},
    {"loss": "bce", "layers": [{"size": 1}, {"size": 1, "activation": "sigmoid", "weights": [[2.0]]}],
     "comment": "kept"},
]

ODD_STRINGS = ["", "\ud800", "a\udfffb", "sigmoid", "softmax", "relu", "layers", "size", "weights",
               "NaN", "1e999", "\u0661", "\uff11", "1_000", "\x00", "\ufeff"]
NUMBERS = st.one_of(st.integers(min_value=-(10 ** 30), max_value=10 ** 30),
                    st.sampled_from([0, 1, -1, 2 ** 63, 2 ** 64 + 1, 10 ** 400, -(10 ** 400), 10 ** 9]),
                    st.floats(allow_nan=True, allow_infinity=True),
                    st.sampled_from([1e308, -1e308, 5e-324, 1e154, 1e300]))
LEAVES = st.one_of(st.none(), st.booleans(), NUMBERS, st.text(max_size=8), st.sampled_from(ODD_STRINGS))
TREES = st.recursive(LEAVES, lambda inner: st.one_of(
    st.lists(inner, max_size=5),
    st.dictionaries(st.one_of(st.text(max_size=6), st.sampled_from(ODD_STRINGS)), inner, max_size=5)),
    max_leaves=30)
SPEC_LIKE = st.fixed_dictionaries({"layers": st.lists(
    st.dictionaries(st.sampled_from(["size", "activation", "weights", "weights_to_from", "biases", "labels",
                                     "extra"]), TREES, max_size=5), max_size=4)},
    optional={"loss": TREES, "name": TREES, "init": TREES, "x": TREES})

COMMANDS = ["grads", "show", "trace", "train-toml", "train-json", "gradcheck"]


def _dump(tree) -> str:
    try:
        return json.dumps(tree, allow_nan=True)
    except (ValueError, TypeError, RecursionError):
        return json.dumps(str(tree))


def _sizes(tree):
    """Input/output sizes for --input/--target, when the tree says (small ones only)."""
    try:
        n_in, n_out = tree["layers"][0]["size"], tree["layers"][-1]["size"]
        if all(isinstance(n, int) and not isinstance(n, bool) and 1 <= n <= 8 for n in (n_in, n_out)):
            return n_in, n_out
    except (TypeError, KeyError, IndexError, AttributeError):
        pass
    return 2, 1


def _target(n_out):
    return ",".join("1" if k == 0 else "0" for k in range(n_out))


def _check(tmp_path, text: str, command: str, sizes, suffix=".json"):
    spec = tmp_path / f"net{suffix}"
    spec.write_text(text, encoding="utf-8", errors="surrogatepass")
    n_in, n_out = sizes
    samples = ["--input", ",".join(["0.5"] * n_in), "--target", _target(n_out)]
    out = tmp_path / ("out.toml" if command == "train-toml" else "out.json")
    out.write_text("old\n")
    argv = {"grads": ["grads", spec, *samples],
            "show": ["show", spec, "--width", "80"],
            "trace": ["trace", spec, *samples, "--format", "jsonl"],
            "gradcheck": ["gradcheck", spec, *samples, "--order", "2"],
            "train-toml": ["train", spec, *samples, "--lr", "0.5", "--epochs", "1", "--out", out],
            "train-json": ["train", spec, *samples, "--lr", "0.5", "--epochs", "1", "--out", out],
            }[command] + ["--max-params", "5000"]
    r = run(*argv)
    event(f"exit {r.returncode}")
    assert "Traceback" not in r.stderr, r.stderr
    if r.returncode == 0:
        assert not re.search(r"\b(nan|NaN|-?inf|-?Infinity)\b", r.stdout), r.stdout[-300:]
        if command.startswith("train"):
            written = out.read_text()
            assert "nan" not in written.lower() and "inf" not in written.lower().replace("init", "")
            assert run("grads", out, *samples, "--max-params", "5000").returncode in (0, 1)
        return
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert r.returncode in (1, 2), (r.returncode, r.stderr)
    if r.returncode == 1 and command != "gradcheck":       # gradcheck's 1 is also "they disagree"
        # exit 1: a number left the floats, or (train) the run diverged
        assert "finite" in lines[0] or "diverged at epoch" in lines[0], lines[0]
    assert out.read_text() == "old\n"


@settings(max_examples=400, **SETTINGS)
@given(tree=st.one_of(TREES, SPEC_LIKE), command=st.sampled_from(COMMANDS))
def test_random_json_trees(tmp_path_factory, tree, command):
    _check(tmp_path_factory.mktemp("t"), _dump(tree), command, _sizes(tree))


# --- mutations of valid specs -------------------------------------------------

def _paths(node, path=()):
    yield path
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, path + (i,))


def _set(root, path, value):
    if not path:
        return value
    node = root
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return root


def _delete(root, path):
    if not path:
        return root
    node = root
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]
    return root


@st.composite
def mutated(draw):
    spec = json.loads(json.dumps(draw(st.sampled_from(VALID))))
    for _ in range(draw(st.integers(1, 3))):
        paths = list(_paths(spec))
        path = draw(st.sampled_from(paths))
        how = draw(st.sampled_from(["replace", "number", "delete", "add", "wrap", "duplicate"]))
        if how == "replace":
            spec = _set(spec, path, draw(TREES))
        elif how == "number":
            spec = _set(spec, path, draw(NUMBERS))
        elif how == "delete" and path:
            spec = _delete(spec, path)
        elif how == "add":
            node = spec
            for key in path:
                node = node[key]
            if isinstance(node, dict):
                node[draw(st.one_of(st.text(max_size=6), st.sampled_from(ODD_STRINGS)))] = draw(TREES)
            elif isinstance(node, list):
                node.append(draw(TREES))
        elif how == "wrap":
            node = spec
            for key in path:
                node = node[key]
            spec = _set(spec, path, [node])
        elif how == "duplicate":
            node = spec
            for key in path:
                node = node[key]
            if isinstance(node, list) and node:
                node.append(json.loads(json.dumps(node[0], allow_nan=True)))
    return spec


@settings(max_examples=700, **SETTINGS)
@given(spec=mutated(), command=st.sampled_from(COMMANDS))
def test_mutated_valid_specs(tmp_path_factory, spec, command):
    _check(tmp_path_factory.mktemp("m"), _dump(spec), command, _sizes(spec))


# --- character-level mutations of JSON and TOML texts ---------------------------

TOML_TEXT = """name = "toml"
loss = "half_sse"

[[layers]]
size = 2

[[layers]]
size = 2
activation = "sigmoid"
weights = [[0.1, 0.2], [0.3, 0.4]]
biases = [0.0, 0.0]

[[layers]]
size = 1
weights = [[0.5], [0.6]]
"""


@st.composite
def garbled(draw):
    fmt = draw(st.sampled_from([".json", ".toml"]))
    text = json.dumps(VALID[0], indent=1) if fmt == ".json" else TOML_TEXT
    chars = list(text)
    for _ in range(draw(st.integers(1, 4))):
        k = draw(st.integers(0, len(chars)))
        how = draw(st.sampled_from(["insert", "delete", "replace"]))
        piece = draw(st.one_of(st.sampled_from(list('[]{}",=.-+eE0123456789\n\ufeff\u0661') + ["[" * 200, "1" * 500, "1" * 5000, "1e400", "nan", "inf", "1979-05-27"]),
                               st.text(max_size=3)))
        if how == "insert":
            chars[k:k] = [piece]
        elif how == "delete":
            del chars[k:k + draw(st.integers(1, 5))]
        else:
            chars[k:k + 1] = [piece]
    return fmt, "".join(chars)


@settings(max_examples=300, **SETTINGS)
@given(case=garbled(), command=st.sampled_from(COMMANDS))
def test_garbled_texts(tmp_path_factory, case, command):
    fmt, text = case
    _check(tmp_path_factory.mktemp("g"), text, command, (2, 1), suffix=fmt)
