"""Overflow and non-finite results.

The rule: no command exits 0 with a number that is not finite in what it
prints or writes; it exits 1 with one line naming where the first such
number appeared (sample, layer, neuron, term).  And no overflow ends in a
traceback (float ** → OverflowError, Decimal past 28 digits)."""
import json
import math

import pytest

from inproc import one_line, run
from neuronet.engine.activations import softmax
from neuronet.errors import NonFiniteError
from neuronet.present.handcalc import round_half_up

GOOD = {"loss": "half_sse", "layers": [
    {"size": 2},
    {"size": 2, "activation": "sigmoid", "weights": [[0.1, 0.2], [0.3, 0.4]], "biases": [0.0, 0.0]},
    {"size": 1, "activation": "sigmoid", "weights": [[0.5], [0.6]]},
]}
# 1-1 identity: z = w·x exactly, so w = 1e308, x = 10 overflows at the product
CHAIN = {"loss": "half_sse", "layers": [{"size": 1}, {"size": 1, "activation": "identity", "weights": [[1e308]]}]}
# softmax whose z are ±inf (1e308·2 overflows): the limit is a = (1, 0)
SOFT = {"loss": "cross_entropy", "layers": [
    {"size": 2}, {"size": 2, "activation": "softmax", "weights": [[1e308, -1e308], [1e308, -1e308]]}]}


def _strict(text: str):
    """json.loads that refuses NaN/Infinity (they are not JSON)."""
    def no(token):
        raise ValueError(f"non-standard JSON token {token}")
    return json.loads(text, parse_constant=no)


def _write(tmp_path, spec, name="net.json"):
    f = tmp_path / name
    f.write_text(json.dumps(spec))
    return f


COMMANDS = {
    "grads": ["grads"],
    "grads text": ["grads", "--format", "text"],
    "trace text": ["trace", "--format", "text"],
    "trace jsonl": ["trace", "--format", "jsonl"],
    "trace --round 4": ["trace", "--format", "text", "--round", "4"],
    "step": ["step", "--no-interactive"],
    "quiz": ["quiz", "--answers", "{empty}", "--seed", "0"],
    "gradcheck": ["gradcheck"],
    "verify": ["verify", "--backend", "matrix"],
}

def _argv(tmp_path, command):
    empty = tmp_path / "answers.txt"
    empty.write_text("")
    return [a.replace("{empty}", str(empty)) for a in COMMANDS[command]]


# (spec, samples, where the first non-finite number appears)
OVERFLOWS = {
    "target 1e300 ((a − y)² overflows)": (GOOD, ["--input", "1,0", "--target", "1e300"],
                                          "sample 0, output 0: L_k (half_sse) is inf, from finite numbers"),
    "w·x overflows": (CHAIN, ["--input", "10", "--target", "1"],
                      "sample 0, layer 1, weight from neuron 0 to neuron 0: w_ij·a_i is inf, from finite numbers"),
    "inputs 1e308 + 1e308": ({"layers": [{"size": 2}, {"size": 1, "activation": "identity",
                                                     "weights": [[1.0], [1.0]]}]},
                             ["--input", "1e308,1e308", "--target", "1"],
                             "sample 0, layer 1, neuron 0: z_j = Σ_i w_ij·a_i + b_j is inf"),
    "a batch whose losses overflow only when summed": (
        CHAIN | {"layers": [{"size": 1}, {"size": 1, "activation": "identity", "weights": [[1.0]]}]},
        ["--input", "1", "--target=-1.3e154"] * 3 + ["--reduction", "sum"],
        None),
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("case", sorted(OVERFLOWS))
def test_overflow_stops_with_exit_1_naming_where(tmp_path, command, case):
    spec, samples, where = OVERFLOWS[case]
    f = _write(tmp_path, spec)
    argv = _argv(tmp_path, command)
    r = run(argv[0], f, *samples, *argv[1:])
    assert "Traceback" not in r.stderr, r.stderr
    if r.returncode == 0:
        # allowed only when every number it printed is finite (e.g. trace, whose
        # loss is per sample, on the batch that overflows only in the sum)
        assert where is None, r.stderr
        assert not any(t in r.stdout for t in ("nan", "inf", "NaN", "Infinity")), r.stdout[-400:]
        return
    line = one_line(r, 1, "finite")
    if where is not None:
        assert where in line, line
    if command == "trace jsonl":
        for record in r.stdout.splitlines():
            _strict(record)


def test_the_batch_sum_overflow_is_named_by_grads(tmp_path):
    spec, samples, _ = OVERFLOWS["a batch whose losses overflow only when summed"]
    f = _write(tmp_path, spec)
    # each loss is ½(1 + 1.3e154)² = 8.45e307, finite, and each ∂L/∂w = 1.3e154·1;
    # only the sum of the three losses is not finite
    one_line(run("grads", f, *samples), 1, "loss is not a finite number", "sum over the batch overflowed")


def test_gradcheck_with_a_huge_h_names_the_parameter(tmp_path):
    f = _write(tmp_path, {"layers": [{"size": 1}, {"size": 1, "activation": "identity", "weights": [[2.0]]}]})
    one_line(run("gradcheck", f, "--input", "1", "--target", "1", "--h", "1e300"), 1,
             "w[1][0][0]:", "h = 1e+300", "smaller --h")


@pytest.mark.filterwarnings("ignore::RuntimeWarning")     # numpy's, in verify's matrix backend
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_softmax_with_infinite_z_gives_its_limit(tmp_path, command):
    # z = (2e308, 2e308) overflow to (inf, −inf)... per neuron: z_0 = 1e308 + 1e308 = inf,
    # z_1 = −inf; softmax's limit is a = (1, 0), cross-entropy −log 1 = 0
    f = _write(tmp_path, SOFT)
    argv = _argv(tmp_path, command)
    r = run(argv[0], f, "--input", "1,1", "--target", "1,0", *argv[1:])
    assert "Traceback" not in r.stderr
    # z itself is inf: commands that show z (the traced ones) stop there; grads,
    # which shows only loss, outputs and gradients, gives the limit
    if command == "grads":
        assert r.returncode == 0, r.stderr
        out = _strict(r.stdout)
        assert out["loss"] == 0.0 and out["outputs"] == [[1.0, 0.0]]
    elif command == "verify":
        # the reference gives the limit; a backend that says NaN there disagrees: exit 1, report on stdout
        assert r.returncode in (0, 1) and "outputs" in r.stdout
    elif r.returncode != 0:
        one_line(r, 1, "layer 1", "not finite")


@pytest.mark.parametrize("zs, expected", [
    ([math.inf, 0.0], [1.0, 0.0]),
    ([math.inf, math.inf, 0.0], [0.5, 0.5, 0.0]),
    ([-math.inf, -math.inf], [0.5, 0.5]),
    ([-math.inf, 0.0], [0.0, 1.0]),
    ([1e308, -1e308], [1.0, 0.0]),
    ([1000.0, 1000.0], [0.5, 0.5]),          # e^1000 overflows unshifted
])
def test_softmax_limits(zs, expected):
    assert softmax(zs) == expected


def test_softmax_of_a_nan_is_all_nan():
    assert all(a != a for a in softmax([math.nan, 0.0]))


@pytest.mark.parametrize("zs", [[0.1, 0.2, 0.3], [-3.0, 0.0, 5.5], [20.0, -20.0]])
def test_softmax_shift_equals_the_textbook_formula(zs):
    # independent: e^z_k / Σ e^z_n unshifted, fine for moderate z
    es = [math.exp(z) for z in zs]
    assert softmax(zs) == pytest.approx([e / sum(es) for e in es], rel=1e-15)


def test_json_output_never_holds_nan_tokens(tmp_path):
    # grads / trace jsonl on an ordinary case: strictly standard JSON
    f = _write(tmp_path, GOOD)
    _strict(run("grads", f, "--input", "1,0", "--target", "1").stdout)
    for line in run("trace", f, "--input", "1,0", "--target", "1", "--format", "jsonl").stdout.splitlines():
        _strict(line)


def test_a_spec_is_never_written_with_a_non_finite_number(tmp_path):
    from neuronet.io import spec
    bad = {"layers": [{"size": 1}, {"size": 1, "weights": [[1.0]], "biases": [math.inf]}]}
    for fmt in ("json", "toml"):
        with pytest.raises(NonFiniteError, match=r"layers\[1\]\.biases\[0\] is not a finite number"):
            spec.dumps(bad, fmt)
    out = tmp_path / "x.json"
    with pytest.raises(NonFiniteError):
        spec.save(bad, out)
    assert not out.exists()


# ---------------------------------------------------------------------------
# hand mode: Decimal precision and the ranges of N
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("x, n", [(1e300, 4), (1.23456789012345e25, 4), (-7.5e24, 0), (1e300, 20),
                                  (5e-324, 20), (123.456, 20)])
def test_round_half_up_handles_any_finite_float(x, n):
    # independent: at these magnitudes the 12-digit reading has no digits past
    # the n-th decimal (or the number is below 10^-20), so rounding changes
    # nothing but the 12-digit reading itself — or rounds to 0
    got = round_half_up(x, n)
    twelve = float(format(x, ".12g"))
    assert got == (twelve if abs(x) >= 10 ** -n else 0.0)


@pytest.mark.parametrize("argv, ok", [
    (["--round", "20"], True), (["--round", "21"], False), (["--round", "30"], False),
    (["--digits", "17"], True), (["--digits", "18"], False), (["--digits", "29"], False),
    (["--digits", "0"], False),
])
def test_round_and_digits_ranges(tmp_path, argv, ok):
    f = _write(tmp_path, GOOD)
    r = run("trace", f, "--input", "1,0", "--target", "1", "--format", "text", *argv)
    if ok:
        assert r.returncode == 0, r.stderr
    else:
        one_line(r, 2, f"argument {argv[0]}")


@pytest.mark.parametrize("command", ["trace", "step", "quiz"])
@pytest.mark.parametrize("value", ["1e24", "1e30", "1e300"])
def test_hand_mode_on_huge_values(tmp_path, command, value):
    # a 1-1 identity network with w = 1: z = a = x, all finite and huge
    f = _write(tmp_path, {"layers": [{"size": 1}, {"size": 1, "activation": "identity", "weights": [[1.0]]}]})
    (tmp_path / "a.txt").write_text("")
    extra = {"trace": ["--format", "text"], "step": ["--no-interactive"], "quiz": ["--answers", tmp_path / "a.txt"]}
    r = run(command, f, "--input", value, "--target", value, "--round", "4", "--lr", "0", *extra[command])
    assert "Traceback" not in r.stderr
    assert r.returncode == 0, r.stderr
