"""neuronet verify for the backends people really write.

Reference numbers come from
the per-neuron engine; where a test says *where* a bug must be found, the
place follows from the chain rule or from the planted bug itself (a wrong
activation in layer l changes a_l first), not from the code under test.
"""
import json
import math
import subprocess
import sys

import pytest

import neuronet
from neuronet import cli
from neuronet.check.backends.contract import BackendError, check as check_contract, plain
from neuronet.check.backends import fuzz
from neuronet.check.backends.params import canonical
from neuronet.check.backends.compare import trace
from neuronet.check.testing import assert_matches_reference, check

from conftest import ROOT, SWITCH

X2 = [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]          # 002's switch task
Y2 = [[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]


def switch():
    return neuronet.to_dict(neuronet.load(SWITCH))


def sigmoid(z):
    return 1 / (1 + math.exp(-z))


def plain_backprop(spec, xs, ys, reduction, hidden=sigmoid, with_activations=True, square_bug=False):
    """Sigmoid layers, ½·SSE, pure Python (an implementation independent of
    the engine's loops); ``hidden`` is layer 1's activation — pass another
    function to plant a forward bug there."""
    layers = spec["layers"]
    W = [l["weights"] for l in layers[1:]]
    B = [l["biases"] for l in layers[1:]]
    scale = 1 / len(xs) if reduction == "mean" else 1
    gW = [[[0.0] * len(w[0]) for _ in w] for w in W]
    gB = [[0.0] * len(b) for b in B]
    loss, outputs, acts = 0.0, [], [[] for _ in layers]
    for x, y in zip(xs, ys):
        a = [list(x)]
        for l, (w, b) in enumerate(zip(W, B)):
            f = hidden if l == 0 else sigmoid
            a.append([f(sum(a[-1][i] * w[i][j] for i in range(len(w))) + b[j]) for j in range(len(b))])
        for l, v in enumerate(a):
            acts[l].append(v)
        outputs.append(a[-1])
        loss += 0.5 * sum((o - t) ** 2 for o, t in zip(a[-1], y)) * scale
        d = [(o - t) * o * (1 - o) for o, t in zip(a[-1], y)]
        for l in range(len(W) - 1, -1, -1):
            for i in range(len(W[l])):
                for j in range(len(d)):
                    gW[l][i][j] += d[j] * a[l][i] * scale
            for j in range(len(d)):
                gB[l][j] += d[j] * scale
            d = [sum(d[k] * W[l][i][k] for k in range(len(d))) * a[l][i] * (1 - a[l][i]) for i in range(len(W[l]))]
    if square_bug:   # one square layer returned [to][from] without saying so
        for l, g in enumerate(gW):
            if len(g) == len(g[0]):
                gW[l] = [list(r) for r in zip(*g)]
    out = {"loss": loss, "outputs": outputs, "gradients": [{"weights": w, "biases": b} for w, b in zip(gW, gB)]}
    if with_activations:
        out["activations"] = acts
    return out


# -- 1. array answers ------------------------------------------------------------

def test_numpy_arrays_and_scalars_are_accepted():
    np = pytest.importorskip("numpy")
    spec = switch()

    def numpy_answer(spec, xs, ys, reduction):
        got = plain_backprop(spec, xs, ys, reduction)
        return {"loss": np.float64(got["loss"]), "outputs": np.array(got["outputs"]),
                "activations": [np.array(a) for a in got["activations"]],
                "gradients": [{"weights": np.array(g["weights"]), "biases": np.array(g["biases"])}
                              for g in got["gradients"]]}
    assert check(numpy_answer, spec, X2, Y2).ok

    def column_shaped(spec, xs, ys, reduction):   # a 1-element loss array, (n, 1) bias columns, some layers left out
        got = numpy_answer(spec, xs, ys, reduction)
        return {**got, "loss": np.array([got["loss"]]),
                "activations": [None, got["activations"][1], None, None],
                "gradients": [{**g, "biases": g["biases"].reshape(-1, 1)} for g in got["gradients"]]}
    r = check(column_shaped, spec, X2, Y2)
    assert r.ok and [b.name for b in r.report.blocks][:2] == ["layer 1 activations", "outputs"]

    def float32_answer(spec, xs, ys, reduction):    # float32 numbers: within float32 tolerances
        got = numpy_answer(spec, xs, ys, reduction)
        return {**got, "loss": np.float32(got["loss"]), "outputs": got["outputs"].astype(np.float32)}
    assert not check(float32_answer, spec, X2, Y2).ok                 # numbers, so they disagree at 1e-9 …
    assert check(float32_answer, spec, X2, Y2, rtol=1e-5, atol=1e-7).ok   # … and agree at float32's


def test_sequence_protocol_and_tolist_without_numpy():
    class Seq:                                  # the sequence protocol only
        def __init__(self, items):
            self.items = list(items)

        def __len__(self):
            return len(self.items)

        def __getitem__(self, k):
            return self.items[k]

    class ToList:                               # anything with tolist()
        def __init__(self, v):
            self.v = v

        def tolist(self):
            return self.v
    assert plain({"a": Seq([ToList([1, 2]), (3, 4)]), "b": ToList(2.5)}) == {"a": [[1, 2], [3, 4]], "b": 2.5}
    # importing the contract imports neither numpy nor torch
    code = "import sys, neuronet.check.backends.contract; print(sorted({'numpy', 'torch'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_wrong_shapes_name_expected_and_received_shape():
    got = plain_backprop(canonical(switch()), X2, Y2, "mean")
    sizes = [2, 4, 3, 2]
    bad = {**got, "outputs": [list(r) for r in zip(*got["outputs"])]}    # (2, 3) for (3, 2)
    with pytest.raises(BackendError, match=r"outputs has shape \(2, 3\), expected \(3, 2\).*looks transposed"):
        check_contract(bad, sizes, 3, False)
    bad = {**got, "activations": got["activations"][:2]}
    with pytest.raises(BackendError, match=r"activations must hold one entry per layer \(4, input layer first\) "
                                           r"or per non-input layer \(3\), got 2 entries"):
        check_contract(bad, sizes, 3, False)
    bad = {**got, "gradients": [{"weights": got["gradients"][0]["weights"][:1], "biases": [0] * 4}]
           + got["gradients"][1:]}
    with pytest.raises(BackendError, match=r"gradients\[0\].weights has shape \(1, 4\), expected \(2, 4\)"):
        check_contract(bad, sizes, 3, False)
    bad = {**got, "gradients": [{"weights": got["gradients"][0]["weights"], "biases": [[0, 0]] * 4}]
           + got["gradients"][1:]}
    with pytest.raises(BackendError, match=r"gradients\[0\].biases has shape \(4, 2\), expected \(4,\)"):
        check_contract(bad, sizes, 3, False)


def test_torch_tensors_are_accepted():
    torch = pytest.importorskip("torch")
    got = plain_backprop(canonical(switch()), X2, Y2, "mean")
    t = {"loss": torch.tensor(got["loss"], dtype=torch.float64, requires_grad=True),
         "outputs": torch.tensor(got["outputs"], dtype=torch.float64),
         "gradients": [{"weights": torch.tensor(g["weights"], dtype=torch.float64),
                        "biases": torch.tensor(g["biases"], dtype=torch.float64)} for g in got["gradients"]]}
    assert check_contract(t, [2, 4, 3, 2], 3, False)["loss"] == got["loss"]


# -- 2. a forward bug is located at its layer ------------------------------------------

def test_wrong_hidden_activation_is_located_at_that_layer():
    spec = switch()

    def tanh_layer1(spec, xs, ys, reduction, **kw):   # layer 1 should be sigmoid
        return plain_backprop(spec, xs, ys, reduction, hidden=math.tanh, **kw)
    r = check(tanh_layer1, spec, X2, Y2)
    assert r.report.first.name == "layer 1 activations"
    # layer 0 (the inputs) agree; tanh(z) ≠ σ(z) for every z, so the first in
    # pass order is sample 0, neuron 0, and all 4 × 3 values of layer 1 differ
    assert [b.over for b in r.report.blocks][:2] == [0, 12]
    assert (r.focus.kind, r.focus.layer, r.focus.i, r.focus.j) == ("a", 1, 0, 0)
    assert "a[1][0] of sample 0 (the first in 004's pass order; 11 others in layer 1 activations differ)" in r.text
    assert "σ(" in r.text or "sigmoid" in r.text      # the reference's trace of that neuron: its z and a
    # without the optional field, only "outputs" can be named
    r = check(lambda *a: tanh_layer1(*a, with_activations=False), spec, X2, Y2)
    assert r.report.first.name == "outputs"


def test_deltas_and_z_locate_a_backward_and_a_forward_bug():
    np = pytest.importorskip("numpy")
    spec = switch()
    layers = canonical(spec)["layers"]
    W = [np.array(l["weights"]) for l in layers[1:]]          # W[l - 1] is layer l's
    B = [np.array(l["biases"]) for l in layers[1:]]

    def answer(spec, xs, ys, reduction, bug):
        got = plain_backprop(spec, xs, ys, reduction)
        A = [np.array(a) for a in got["activations"]]
        Y = np.array(ys)
        D = [None] * 4
        D[3] = (A[3] - Y) * A[3] * (1 - A[3])
        for l in (2, 1):
            D[l] = D[l + 1] @ W[l].T * (1 if bug == "no_fprime" and l == 2 else A[l] * (1 - A[l]))
        Z = [A[0]] + [A[l - 1] @ W[l - 1] + B[l - 1] for l in (1, 2, 3)]
        if bug == "z":
            Z[2] = Z[2] + 0.5
        if bug == "deltas_mean":
            D = [None] + [d / len(xs) for d in D[1:]]
        return {**got, "z": Z, "deltas": D[1:]}
    r = check(lambda *a: answer(*a, "no_fprime"), spec, X2, Y2)
    assert r.report.first.name == "layer 2 deltas" and r.focus.kind == "delta"
    assert any(e.kind == "fprime" for e in trace(r.outcome, r.focus)[0])    # the f' the bug dropped
    r = check(lambda *a: answer(*a, "z"), spec, X2, Y2)
    assert r.report.first.name == "layer 2 z" and r.report.first.over == 9
    r = check(lambda *a: answer(*a, "deltas_mean"), spec, X2, Y2)
    assert "divided by the batch size 3" in r.report.first.note
    assert check(lambda *a: answer(*a, None), spec, X2, Y2).ok


# -- 3. scoped fuzzing and declines ------------------------------------------------

def test_scoped_draws_stay_in_scope():
    import random
    scope = fuzz.Scope(("sigmoid", "tanh"), ("half_sse", "bce"), max_layers=3, max_width=2, batch=1).validate()
    rng = random.Random(5)
    seen = set()
    for k in range(60):
        spec, xs, ys, _ = fuzz.case(rng, k, scope)
        layers = spec["layers"]
        assert 2 <= len(layers) <= 3 and len(xs) == 1
        assert all(1 <= l["size"] <= 2 for l in layers)
        assert layers[0]["activation"] == "identity" and "biases" not in layers[0]
        assert all(l["activation"] in ("sigmoid", "tanh") for l in layers[1:])
        seen.add((spec["loss"], layers[-1]["activation"]))
    # bce needs outputs in (0, 1): never tanh
    assert seen == {("half_sse", "sigmoid"), ("half_sse", "tanh"), ("bce", "sigmoid")}


def test_module_that_cannot_be_imported_is_bad_input_when_fuzzing(cli, tmp_path):
    (tmp_path / "user_broken.py").write_text("raise RuntimeError('no GPU here')\n")
    r = cli("verify", "--random", "3", "--backend", "module:user_broken:grads", cwd=tmp_path)
    assert r.returncode == 2 and r.stderr.count("\n") == 1
    assert "module 'user_broken' raised RuntimeError on import: no GPU here" in r.stderr
    assert not list(tmp_path.glob("verify-case-*"))          # no "failing case" saved


def test_scope_that_leaves_nothing_is_bad_input(cli):
    r = cli("verify", "--random", "3", "--backend", "matrix", "--activations", "relu", "--losses", "bce")
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "suits any loss" in r.stderr
    r = cli("verify", "--random", "3", "--backend", "matrix", "--activations", "sigmoid,swish")
    assert r.returncode == 2 and "--activations must be a comma-separated list" in r.stderr


MODULE = '''
import math, os, sys, time

def sigmoid(z):
    return 1 / (1 + math.exp(-z))

def student(spec, xs, ys, reduction):
    """Sigmoid + ½SSE only, no input activation or biases; declines the rest."""
    L = spec["layers"]
    if spec["loss"] != "half_sse" or any(l["activation"] != "sigmoid" for l in L[1:]):
        raise NotImplementedError("sigmoid + half_sse only")
    if L[0]["activation"] != "identity" or "biases" in L[0]:
        return None
    import user_helper                    # a sibling module, imported inside the function
    return user_helper.backprop(spec, xs, ys, reduction)

def chatty(spec, xs, ys, reduction):
    print("computing", len(xs), "samples")
    print("to stderr", file=sys.stderr)
    return student(spec, xs, ys, reduction)

def crash(spec, xs, ys, reduction):
    scale = 0
    return 1 / scale

def hang(spec, xs, ys, reduction):
    print("about to hang")
    while True:
        time.sleep(1)

def exits(spec, xs, ys, reduction):
    sys.exit(0)

def dies(spec, xs, ys, reduction):
    os._exit(0)
'''

HELPER = '''
import math

def backprop(spec, xs, ys, reduction):
    layers = spec["layers"]
    W = [l["weights"] for l in layers[1:]]; B = [l["biases"] for l in layers[1:]]
    s = 1 / len(xs) if reduction == "mean" else 1
    gW = [[[0.0] * len(w[0]) for _ in w] for w in W]; gB = [[0.0] * len(b) for b in B]
    loss, outs = 0.0, []
    for x, y in zip(xs, ys):
        a = [list(x)]
        for w, b in zip(W, B):
            a.append([1 / (1 + math.exp(-(sum(a[-1][i] * w[i][j] for i in range(len(w))) + b[j]))) for j in range(len(b))])
        outs.append(a[-1]); loss += 0.5 * sum((o - t) ** 2 for o, t in zip(a[-1], y)) * s
        d = [(o - t) * o * (1 - o) for o, t in zip(a[-1], y)]
        for l in range(len(W) - 1, -1, -1):
            for i in range(len(W[l])):
                for j in range(len(d)):
                    gW[l][i][j] += d[j] * a[l][i] * s
            for j in range(len(d)):
                gB[l][j] += d[j] * s
            d = [sum(d[k] * W[l][i][k] for k in range(len(d))) * a[l][i] * (1 - a[l][i]) for i in range(len(W[l]))]
    return {"loss": loss, "outputs": outs, "gradients": [{"weights": w, "biases": b} for w, b in zip(gW, gB)]}
'''


@pytest.fixture
def user_dir(tmp_path):
    (tmp_path / "user_backend.py").write_text(MODULE)
    (tmp_path / "user_helper.py").write_text(HELPER)
    return tmp_path


def run(user_dir, *args, timeout=60):
    """`neuronet verify ARGS` in a subprocess in ``user_dir``; the ceiling
    only stops a broken test from hanging the suite."""
    return subprocess.run([sys.executable, "-m", "neuronet", "verify", *map(str, args)], cwd=user_dir,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def main(user_dir, monkeypatch, capsys):
    """`neuronet verify ARGS` in this process (the backend still runs in its
    child process) in ``user_dir`` → (exit status, stdout)."""
    monkeypatch.chdir(user_dir)

    def call(*args):
        code = cli.main(["verify", *map(str, args)])
        return code, capsys.readouterr().out
    return call


def test_declining_backend_is_counted_not_failed(user_dir, main):
    code, out = main("--random", 12, "--backend", "module:user_backend:student")
    assert code == 1                      # every case declined: nothing was verified
    assert "declined every one — nothing was verified" in out
    assert "NotImplementedError: sigmoid + half_sse only" in out
    code, out = main("--random", 12, "--backend", "module:user_backend:student", "--losses", "half_sse",
                     "--activations", "sigmoid,tanh", "--max-layers", 2, "--format", "json")
    doc = json.loads(out)
    # one layer of weights; case k's output activation cycles through the
    # scope (fuzz.case): sigmoid for k even (answered), tanh for k odd (declined)
    assert code == 0 and doc["ok"] and (doc["checked"], doc["declined"]) == (6, 6)
    assert [d["case"] for d in doc["declines"]] == [1, 3, 5, 7, 9, 11]
    # in scope, every case is answered (student() imports its sibling module inside the function)
    code, out = main("--random", 12, "--backend", "module:user_backend:student",
                     "--activations", "sigmoid", "--losses", "half_sse", "--max-layers", 3, "--batch", 2)
    assert code == 0 and "agrees with the reference on all of them" in out
    # a single case declined: exit 1, said so
    spec = dict(switch(), loss="sse")
    (user_dir / "sse.json").write_text(json.dumps(spec))
    code, out = main("sse.json", "--backend", "module:user_backend:student", "--input", "1,0", "--target", "0,1")
    assert code == 1 and "the backend declined this case: NotImplementedError: sigmoid + half_sse only" in out


# -- 4. the backend's own traceback -------------------------------------------------

def test_backend_traceback_shows_its_file_and_line(main):
    code, out = main(SWITCH, "--backend", "module:user_backend:crash", "--input", "1,0", "--target", "0,1")
    line = MODULE.splitlines().index("    return 1 / scale") + 1
    assert code == 1
    assert "the backend failed: ZeroDivisionError: division by zero" in out
    assert f"the backend's traceback (most recent call last):\n  user_backend.py:{line} in crash: return 1 / scale" \
        in out


def test_in_process_traceback_frames():
    def broken(spec, xs, ys, reduction):
        return {}["loss"]
    r = check(broken, switch(), X2, Y2)
    assert r.report.error == "KeyError: 'loss'"
    here = broken.__code__.co_firstlineno + 1
    assert len(r.report.frames) == 1           # the harness's own frames are left out
    assert r.report.frames[0].endswith(f"test_verify_real_backends.py:{here} in broken: return {{}}[\"loss\"]")


# -- 5. isolation ---------------------------------------------------------------------

def test_hung_backend_is_stopped_at_the_timeout(user_dir):
    r = run(user_dir, SWITCH, "--backend", "module:user_backend:hang", "--input", "1,0", "--target", "0,1",
            "--timeout", "2")          # long enough for the child to start on a loaded machine
    assert r.returncode == 1
    first = r.stdout.splitlines()[0]
    assert first == ("verify: module:user_backend:hang: the backend did not answer within 2 s "
                     "(--timeout; during the call): its process was stopped")
    assert "  | about to hang" in r.stdout


def test_printing_backend_leaves_json_parseable(user_dir, main):
    r = run(user_dir, SWITCH, "--backend", "module:user_backend:chatty", "--input", "1,0", "--target", "0,1",
            "--format", "json")
    doc = json.loads(r.stdout)            # the prints did not land in verify's stdout
    assert r.returncode == 0 and doc["ok"]
    assert doc["backend_output"] == "computing 1 samples\nto stderr\n"
    code, out = main(SWITCH, "--backend", "module:user_backend:chatty", "--input", "1,0", "--target", "0,1")
    assert "the backend printed (2 lines):\n  | computing 1 samples\n  | to stderr" in out


@pytest.mark.parametrize("fn,message", [
    ("exits", "the backend failed: SystemExit: the backend called sys.exit(0)"),
    ("dies", "the backend's process ended with exit status 0 during the call, before answering"),
])
def test_exit_inside_the_backend_is_not_a_pass(main, fn, message):
    code, out = main(SWITCH, "--backend", f"module:user_backend:{fn}", "--input", "1,0", "--target", "0,1",
                     "--format", "json")
    doc = json.loads(out)
    assert code == 1 and doc["ok"] is False and message.split(": ", 1)[-1] in doc["error"]
    code, out = main(SWITCH, "--backend", f"module:user_backend:{fn}", "--input", "1,0", "--target", "0,1")
    assert code == 1 and message in out


# -- 6. square layers ------------------------------------------------------------------

def test_square_layer_returned_transposed_is_named_so():
    from test_verify import SQUARE
    spec = dict(SQUARE, layers=[dict(l, activation="sigmoid") if i else l for i, l in enumerate(SQUARE["layers"])])
    r = check(lambda *a: plain_backprop(*a, square_bug=True), spec, X2, Y2)
    assert r.report.first.name == "layer 2 weights"
    assert "agree with the reference when transposed" in r.report.first.note
    assert "note: layer 2 weights agree with the reference when transposed: this square matrix is [to][from]" \
        in r.text

    def to_from_but_one(*a):   # declares "to_from", transposes every layer but the square one
        got = plain_backprop(*a)
        for g in got["gradients"]:
            w = g["weights"]
            if len(w) != len(w[0]):
                g["weights"] = [list(r) for r in zip(*w)]
        return dict(got, layout="to_from")
    r = check(to_from_but_one, spec, X2, Y2)
    assert r.report.first.name == "layer 2 weights" and r.report.over == r.report.first.over
    assert "[from][to] although the answer declares \"layout\": \"to_from\"" in r.report.first.note


# -- 7. security posture, stated ---------------------------------------------------------

def test_help_and_docs_state_that_module_runs_arbitrary_code(cli):
    r = cli("verify", "--help")
    text = " ".join(r.stdout.split())
    assert "imports and runs arbitrary Python code" in text and "current directory first on sys.path" in text
    assert "never point verify at code you would not run" in text
    docs = " ".join((ROOT / "docs" / "backends.md").read_text().split())
    assert "runs arbitrary code" in docs and "current directory first on `sys.path`" in docs
    readme = " ".join((ROOT / "README.md").read_text().split())
    assert "never point verify at code you would not run" in readme


def test_docs_list_every_spec_key_an_adapter_reads():
    """Point 9: the keys the canonical spec always has — `loss` among them —
    are each documented (the spec handed to a backend is params.canonical's)."""
    docs = (ROOT / "docs" / "backends.md").read_text()
    given = canonical(switch())
    assert set(given) == {"loss", "layers"}
    keys = {f'spec["{k}"]' for k in given} | {f'layer["{k}"]' for layer in given["layers"] for k in layer}
    for key in keys:
        assert f"| `{key}` |" in docs, key
    assert "The spec your backend receives is the canonical one: `loss`, and `layers`" in " ".join(docs.split())


# -- 10. the pytest-friendly API --------------------------------------------------------

def test_assert_matches_reference_is_one_line():
    assert_matches_reference(plain_backprop, SWITCH, X2, Y2)                     # spec file
    assert_matches_reference(plain_backprop, switch(), {"inputs": X2, "targets": Y2}, reduction="sum")
    with pytest.raises(AssertionError) as e:
        assert_matches_reference(lambda *a: plain_backprop(*a, hidden=math.tanh), switch(), X2, Y2)
    text = str(e.value)
    assert text.startswith("<lambda> does not match the per-neuron reference:")
    assert "it starts at layer 1 activations: a[1][0] of sample 0" in text
    with pytest.raises(AssertionError, match="declined this case: NotImplementedError: no"):
        assert_matches_reference(lambda *a: (_ for _ in ()).throw(NotImplementedError("no")), switch(), X2, Y2)


def test_api_result_object():
    r = check(plain_backprop, switch(), X2, Y2)
    assert r.ok and r.report.over == 0 and r.text.startswith("all 75 numbers agree")
    # 3 samples × 2 outputs + loss + weights 8 + 12 + 6 + biases 4 + 3 + 2 + activations 3 × (2+4+3+2)
    doc = r.to_dict()
    assert doc["ok"] and doc["backend"] == "plain_backprop" and doc["samples"] == 3


def test_a_dead_backend_fails_a_random_run(main, user_dir):
    code, out = main("--random", 3, "--backend", "module:user_backend:dies", "--format", "json",
                     "--save", user_dir / "case.json")
    doc = json.loads(out)
    assert code == 1 and doc["ok"] is False and doc["died"] is True and doc["declined"] == 0
    assert doc["case"] == 0 and (user_dir / "case.json").exists()


def test_api_takes_a_backend_name_too(user_dir, monkeypatch):
    monkeypatch.chdir(user_dir)
    r = assert_matches_reference("module:user_backend:student", SWITCH, X2, Y2, timeout=30)
    assert r.name == "module:user_backend:student" and r.report.count == 42
    r = check("module:user_backend:chatty", SWITCH, X2, Y2)
    assert r.ok and r.report.output == "computing 3 samples\nto stderr\n"
