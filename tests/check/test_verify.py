"""neuronet verify: deliberately buggy backends are caught at the right
layer and weight; bad input exits 2 with one line; fuzzing saves a
replayable case.

The buggy backends below are the matrix formulas with one classic mistake
each — the slips the source texts make or invite:

* ``stale``: 004 §2.4 steps 3–4 correct w_jk *before* computing δ_j from it,
  so hidden deltas use already-updated weights;
* ``transposed``: 002 §6's summary writes "W_n * ∂E/∂net_{n+1}" — W where Wᵀ
  is needed — which only runs at all when W is square;
* ``layout``: the gradient of one layer returned [to][from] (as 002 prints
  W_g) while the contract says [from][to];
* ``no_fprime``: hidden δ = Wᵀδ without the f'(z) factor.

Where each must be caught follows from the chain rule, not from the code
under test: the output layer's gradients do not depend on any hidden δ, so a
bug in δ_l first shows in layer l's gradients.  The reference numbers are
the per-neuron engine's.
"""
import json
import sys

import pytest

np = pytest.importorskip("numpy")

import neuronet  # noqa: E402
from neuronet import cli
from neuronet.engine import passes  # noqa: E402
from neuronet.check.backends import Backend  # noqa: E402
from neuronet.check.backends.matrix import activate, delta, loss_grad, loss_terms  # noqa: E402
from neuronet.check.backends.params import canonical  # noqa: E402
from neuronet.check.backends.compare import check, trace  # noqa: E402

RTOL, ATOL = 1e-9, 1e-12
X2 = [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]          # 002's switch task
Y2 = [[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]

SQUARE = {"loss": "half_sse", "layers": [        # 2-3-3-2: layer 2's W is square
    {"size": 2},
    {"size": 3, "activation": "tanh", "weights": [[0.2, -0.5, 0.9], [0.4, 0.3, -0.7]], "biases": [0.1, -0.2, 0.05]},
    {"size": 3, "activation": "sigmoid", "weights": [[0.5, -0.3, 0.8], [-0.6, 0.2, 0.1], [0.3, 0.9, -0.4]],
     "biases": [0.0, 0.1, -0.1]},
    {"size": 2, "activation": "sigmoid", "weights": [[0.7, -0.2], [0.1, 0.6], [-0.5, 0.4]], "biases": [0.2, -0.3]}]}


def buggy(spec, xs, ys, reduction, bug=None, eta=0.5):
    """Row-convention matrix backprop (001/003) with one deliberate bug."""
    layers = spec["layers"]
    acts = [layer["activation"] for layer in layers]
    W = [None] + [np.array(layer["weights"]) for layer in layers[1:]]
    b = [None] + [np.array(layer["biases"]) for layer in layers[1:]]
    X, Y = np.array(xs), np.array(ys)
    Zs, As = [X], [activate(acts[0], X, 1)]
    for l in range(1, len(layers)):
        Zs.append(As[-1] @ W[l] + b[l])
        As.append(activate(acts[l], Zs[-1], 1))
    scale = 1.0 / len(xs) if reduction == "mean" else 1.0
    D = delta(acts[-1], Zs[-1], As[-1], loss_grad(spec["loss"], As[-1], Y, 1), 1)
    grads = [None] * len(layers)
    for l in range(len(layers) - 1, 0, -1):
        gW, gb = As[l - 1].T @ D * scale, D.sum(axis=0) * scale
        grads[l] = {"weights": (gW.T if bug == "layout" and l == 2 else gW).tolist(), "biases": gb.tolist()}
        if bug == "stale":
            W[l] = W[l] - eta * gW                       # corrected before δ_{l−1} is formed
        if l > 1:
            square = W[l].shape[0] == W[l].shape[1]
            back = D @ (W[l] if bug == "transposed" and square else W[l].T)
            D = back if bug == "no_fprime" else delta(acts[l - 1], Zs[l - 1], As[l - 1], back, 1)
    return {"loss": float(loss_terms(spec["loss"], As[-1], Y, 1).sum() * scale),
            "outputs": As[-1].tolist(), "gradients": grads[1:]}


def backend(bug):
    return Backend(f"buggy-{bug}", lambda spec, xs, ys, reduction: buggy(spec, xs, ys, reduction, bug))


def switch(switch_spec):
    return neuronet.to_dict(neuronet.load(switch_spec))


def outside_in_layer(spec, xs, ys, got, l):
    """The (i, j) of the layer-l weight gradient outside tolerance, in 004's
    loop order (source i, then destination j: row-major), from the reference
    engine and the buggy answer directly."""
    ref = np.array(passes.gradients(neuronet.from_dict(spec), xs, ys, "mean")[2][l - 1]["weights"])
    bad = np.array(got["gradients"][l - 1]["weights"])
    excess = np.abs(bad - ref) / (ATOL + RTOL * np.abs(ref))
    return [tuple(int(k) for k in ij) for ij in np.argwhere(excess > 1)]


def test_correct_backend_agrees(switch_spec):
    outcome = check(switch(switch_spec), X2, Y2, backend(None), "mean", RTOL, ATOL)
    assert outcome.report.ok and outcome.report.first is None


@pytest.mark.parametrize("bug,spec_name,layer", [
    ("stale", "switch", 2),        # W_3 corrected first: δ_2, hence layer 2's gradients, are wrong
    ("no_fprime", "switch", 2),    # δ_2 lacks f'(z_2)
    ("transposed", "square", 1),   # W_2 (square) used untransposed: δ_1 is wrong
    ("layout", "square", 2),       # layer 2's gradient returned [to][from]
])
def test_buggy_backend_is_caught_at_the_right_layer_and_weight(switch_spec, bug, spec_name, layer):
    spec = switch(switch_spec) if spec_name == "switch" else SQUARE
    outcome = check(spec, X2, Y2, backend(bug), "mean", RTOL, ATOL)
    report = outcome.report
    assert not report.ok
    # everything above the bug agrees: outputs, loss, the layers nearer the output
    for block in report.blocks:
        if block.name in ("outputs", "loss") or block.layer > layer:
            assert block.over == 0, block.name
    assert report.first.name == f"layer {layer} weights"
    focus = report.focus
    assert focus.kind == "w" and focus.layer == layer
    got = buggy(canonical(spec), X2, Y2, "mean", bug)   # the spec as backends receive it
    outside = outside_in_layer(spec, X2, Y2, got, layer)
    assert (focus.i, focus.j) == outside[0]               # the first in pass order is named …
    assert report.first.over == len(outside)              # … and the others in the layer counted
    if bug == "layout":   # the named entry holds its mirror image's value; the report says so
        assert focus.i != focus.j
        assert "when transposed" in report.first.note
        ref = passes.gradients(neuronet.from_dict(spec), X2, Y2, "mean")[2][layer - 1]["weights"]
        assert focus.backend == pytest.approx(ref[focus.j][focus.i], rel=1e-12)


def test_trace_of_the_named_weight_shows_its_chain_rule_terms(switch_spec):
    outcome = check(switch(switch_spec), X2, Y2, backend("no_fprime"), "mean", RTOL, ATOL)
    focus = outcome.report.focus
    events, samples = trace(outcome, focus, max_samples=2)
    assert samples == [0, 1]
    kinds = {(e.kind, e.sample) for e in events}
    for s in samples:   # the f'(z_j) the buggy backend dropped, its δ_j, and ∂L/∂w_ij = δ_j·a_i
        assert {("fprime", s), ("delta", s), ("dsum", s), ("grad_w", s)} <= kinds
    grad_w = [e for e in events if e.kind == "grad_w"]
    assert all((e.layer, e.neuron, e.source) == (focus.layer, focus.j, focus.i) for e in grad_w)
    # the reference's batch value is the mean of the traced per-sample terms when all are traced
    events, samples = trace(outcome, focus, max_samples=10)
    terms = [e.value for e in events if e.kind == "grad_w"]
    assert len(terms) == 3 and sum(terms) / 3 == pytest.approx(focus.reference, rel=1e-12)


# -- the command ---------------------------------------------------------------

MODULE = '''
import numpy as np
from neuronet.check.backends.matrix import activate, delta, loss_grad, loss_terms

def no_fprime(spec, xs, ys, reduction):
    layers = spec["layers"]
    acts = [layer["activation"] for layer in layers]
    W = [None] + [np.array(layer["weights"]) for layer in layers[1:]]
    b = [None] + [np.array(layer["biases"]) for layer in layers[1:]]
    X, Y = np.array(xs), np.array(ys)
    if "biases" in layers[0]:
        X = X + np.array(layers[0]["biases"])
    Zs, As = [X], [activate(acts[0], X, 1)]
    for l in range(1, len(layers)):
        Zs.append(As[-1] @ W[l] + b[l])
        As.append(activate(acts[l], Zs[-1], 1))
    scale = 1.0 / len(xs) if reduction == "mean" else 1.0
    D = delta(acts[-1], Zs[-1], As[-1], loss_grad(spec["loss"], As[-1], Y, 1), 1)
    grads = []
    for l in range(len(layers) - 1, 0, -1):
        grads.insert(0, {"weights": (As[l - 1].T @ D * scale).tolist(), "biases": (D.sum(axis=0) * scale).tolist()})
        D = D @ W[l].T                       # the bug: no f'(z)
    out = {"loss": float(loss_terms(spec["loss"], As[-1], Y, 1).sum() * scale),
           "outputs": As[-1].tolist(), "gradients": grads}
    if "biases" in layers[0]:
        out["input_biases"] = (delta(acts[0], Zs[0], As[0], D, 1).sum(axis=0) * scale).tolist()
    return out

def crash(spec, xs, ys, reduction):
    raise ZeroDivisionError("oops")
'''


@pytest.fixture
def user_module(tmp_path, monkeypatch):
    (tmp_path / "nn_user_backend.py").write_text(MODULE)
    monkeypatch.chdir(tmp_path)
    yield "nn_user_backend"
    sys.modules.pop("nn_user_backend", None)


def verify(*args):
    return cli.main(["verify", *map(str, args)])


def test_cli_module_backend_names_layer_and_weight(switch_spec, user_module, capsys):
    code = verify(switch_spec, "--backend", f"module:{user_module}:no_fprime",
                  "--input", "1,0", "--target", "0,1", "--input", "0,1", "--target", "1,0")
    out = capsys.readouterr().out
    assert code == 1
    assert "it starts at layer 2 weights: w[2][" in out
    assert "reference chain-rule trace" in out


def test_cli_json_report(switch_spec, user_module, capsys):
    code = verify(switch_spec, "--backend", f"module:{user_module}:no_fprime", "--format", "json",
                  "--input", "1,0", "--target", "0,1")
    doc = json.loads(capsys.readouterr().out)
    assert code == 1 and doc["ok"] is False
    assert doc["first"]["block"] == "layer 2 weights" and doc["first"]["layer"] == 2
    layer3 = [b for b in doc["blocks"] if b["name"].startswith("layer 3")]
    assert all(b["over"] == 0 for b in layer3)
    assert any(e["kind"] == "fprime" for e in doc["focus"]["trace"])


def test_cli_backend_that_raises_is_a_disagreement(switch_spec, user_module, capsys):
    code = verify(switch_spec, "--backend", f"module:{user_module}:crash", "--input", "1,0", "--target", "0,1")
    assert code == 1
    assert "the backend failed: ZeroDivisionError: oops" in capsys.readouterr().out


def test_cli_file_backend_round_trip(switch_spec, tmp_path, capsys):
    # `neuronet grads --format json` writes exactly what a file: backend must hold
    assert cli.main(["grads", str(switch_spec), "--input", "1,0", "--target", "0,1"]) == 0
    doc = json.loads(capsys.readouterr().out)
    good = tmp_path / "grads.json"
    good.write_text(json.dumps(doc))
    assert verify(switch_spec, "--backend", f"file:{good}", "--input", "1,0", "--target", "0,1") == 0
    # a declared [to][from] layout is converted
    doc2 = dict(doc, layout="to_from",
                gradients=[{"weights": [list(r) for r in zip(*g["weights"])], "biases": g["biases"]}
                           for g in doc["gradients"]])
    good.write_text(json.dumps(doc2))
    assert verify(switch_spec, "--backend", f"file:{good}", "--input", "1,0", "--target", "0,1") == 0
    # one number off in the 9th digit → exit 1, named
    doc["gradients"][1]["weights"][3][2] *= 1 + 1e-8
    good.write_text(json.dumps(doc))
    capsys.readouterr()
    assert verify(switch_spec, "--backend", f"file:{good}", "--input", "1,0", "--target", "0,1") == 1
    assert "it starts at layer 2 weights: w[2][3][2]" in capsys.readouterr().out
    # NaN is a number that disagrees, not malformed input
    doc["gradients"][1]["weights"][3][2] = float("nan")
    good.write_text(json.dumps(doc))
    assert verify(switch_spec, "--backend", f"file:{good}", "--input", "1,0", "--target", "0,1") == 1


@pytest.mark.parametrize("backend_arg,content,message", [
    ("file:{d}/missing.json", None, "missing.json: no such file"),
    ("file:{d}/g.json", '{"loss": 1,\n "outputs": [', "g.json: is not valid JSON"),
    ("file:{d}/g.json", '{"loss": 0.1, "outputs": [[0.5, 0.5]], "gradients": ['
                        '{"weights": [[0,0,0,0],[0,0,0,0]], "biases": [0,0,0,0]},'
                        '{"weights": [[0,0,0],[0,0,0],[0,0,0],[0,0]], "biases": [0,0,0]},'
                        '{"weights": [[0,0],[0,0],[0,0]], "biases": [0,0]}]}',
     "g.json: gradients[1].weights[3] has 2 entries, expected 3"),
    ("file:{d}/g.json", '{"loss": 0.1, "outputs": [[0.5, 0.5]], "gradients": ['
                        '{"weights": [[0,0],[0,0],[0,0],[0,0]], "biases": [0,0,0,0]}, {}, {}]}',
     "looks transposed"),
    ("nope", None, "unknown backend 'nope'"),
    ("module:nn_no_such_module_here:f", None, "cannot be imported"),
])
def test_bad_input_exits_2_with_one_line(cli, switch_spec, tmp_path, backend_arg, content, message):
    if content is not None:
        (tmp_path / "g.json").write_text(content)
    r = cli("verify", switch_spec, "--backend", backend_arg.format(d=tmp_path), "--input", "1,0", "--target", "0,1")
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and message in r.stderr and "Traceback" not in r.stderr


def test_784_200_100_10_completes(tmp_path, capsys):
    # the size; the time is measured outside the tests (no timed tests)
    spec = {"loss": "cross_entropy", "init": {"seed": 1}, "layers": [
        {"size": 784}, {"size": 200, "activation": "sigmoid"}, {"size": 100, "activation": "sigmoid"},
        {"size": 10, "activation": "softmax"}]}
    (tmp_path / "big.json").write_text(json.dumps(spec))
    rng = np.random.default_rng(0)
    data = {"inputs": rng.random((2, 784)).tolist(), "targets": np.eye(10)[[3, 7]].tolist()}
    (tmp_path / "data.json").write_text(json.dumps(data))
    code = verify(tmp_path / "big.json", "--backend", "matrix", "--data", tmp_path / "data.json",
                  "--format", "json", "--trace-samples", "1")
    doc = json.loads(capsys.readouterr().out)
    assert code == 0 and doc["ok"]
    assert doc["count"] == 2 * 10 + 1 + 784 * 200 + 200 + 200 * 100 + 100 + 100 * 10 + 10


# -- fuzzing ---------------------------------------------------------------------

def test_random_cases_agree_for_the_matrix_backend(capsys):
    for convention in ("column", "row"):
        assert verify("--random", 40, "--seed", 3, "--backend", "matrix", "--convention", convention) == 0
        assert "40 random cases (seed 3)" in capsys.readouterr().out


def test_random_finds_a_bug_and_saves_a_replayable_case(user_module, tmp_path, capsys):
    saved = tmp_path / "case.json"
    code = verify("--random", 50, "--seed", 0, "--backend", f"module:{user_module}:no_fprime", "--save", saved)
    captured = capsys.readouterr()
    assert code == 1
    assert f"wrote {saved}" in captured.err and "replay: neuronet verify" in captured.err
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []   # no temp file left
    case = json.loads(saved.read_text())
    assert len(case["layers"]) >= 3          # a bug in hidden deltas needs a hidden layer
    assert verify(saved, "--backend", f"module:{user_module}:no_fprime") == 1
    assert verify(saved, "--backend", "matrix") == 0


def test_random_refuses_a_file_backend(cli, tmp_path):
    r = cli("verify", "--random", "3", "--backend", f"file:{tmp_path}/g.json")
    assert r.returncode == 2 and "--random needs" in r.stderr


# -- an external program as a file: backend (README "Verify your backend", verbatim) --

EXTERNAL = '''
import json, sys, numpy as np                  # sigmoid layers, ½·SSE, mean over the batch
case = json.load(open(sys.argv[1]))            # written by: neuronet verify SPEC --data D --export case.json
W = [np.array(l["weights"]) for l in case["layers"][1:]]; b = [np.array(l["biases"]) for l in case["layers"][1:]]
A = [np.array(case["inputs"])]; Y = np.array(case["targets"]); n = len(Y)
for Wl, bl in zip(W, b): A.append(1 / (1 + np.exp(-(A[-1] @ Wl + bl))))   # z = aW + b (001, 003)
D, grads = (A[-1] - Y) * A[-1] * (1 - A[-1]) / n, []                         # δ = (a − y)·σ'(z)
for l in range(len(W), 0, -1):
    grads.insert(0, {"weights": (A[l - 1].T @ D).tolist(), "biases": D.sum(0).tolist()})   # ∇W = aᵀδ
    D = (D @ W[l - 1].T) * A[l - 1] * (1 - A[l - 1])                                        # δ Wᵀ ∘ σ'
json.dump({"loss": float(((A[-1] - Y) ** 2).sum() / 2 / n), "outputs": A[-1].tolist(), "gradients": grads}, open(sys.argv[2], "w"))
'''


def test_docs_show_exactly_this_external_program():
    from conftest import ROOT
    assert EXTERNAL.strip() in (ROOT / "docs" / "backends.md").read_text()


def test_export_then_external_program_then_file_backend(cli, switch_spec, tmp_path):
    import subprocess
    samples = switch_spec.parent / "samples.csv"
    r = cli("verify", switch_spec, "--data", samples, "--export", "case.json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    case = json.loads((tmp_path / "case.json").read_text())
    # weights as backends receive them: [from][to], although the spec writes weights_to_from
    assert case["layers"][1]["weights"] == [[0.1, 0.3, 0.5, 0.7], [0.2, 0.4, 0.6, 0.8]]
    (tmp_path / "mygrads.py").write_text(EXTERNAL)
    subprocess.run([sys.executable, "mygrads.py", "case.json", "grads.json"], cwd=tmp_path, check=True)
    r = cli("verify", "case.json", "--backend", "file:grads.json", cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "all 44 numbers agree" in r.stdout       # 4×2 outputs + loss + 8+4 + 12+3 + 6+2


def test_the_reference_trace_is_written_as_trace_writes_it():
    """verify's reference chain-rule trace binds 004's notation to the network
    as `neuronet trace` does: every trace line verify shows is a line of trace."""
    import re
    from conftest import SWITCH
    from inproc import run
    args = ("--input", "1,0", "--target", "0,1")
    v = run("verify", SWITCH, "--backend", "matrix", *args)
    t = run("trace", SWITCH, *args, "--format", "text")
    assert v.returncode == 0 and t.returncode == 0, v.stderr + t.stderr
    traced = {re.sub(r" +=", " =", ln.strip()) for ln in t.stdout.splitlines()}
    shown = v.stdout.split("reference chain-rule trace", 1)[1].splitlines()[2:]
    shown = [ln.strip() for ln in shown if ln.startswith("    ") and " = " in ln]
    # verify replays with passes.gradients, which sums a batch's ∂L/∂w (∇w_i1j2 = ∇w_i1j2 + ∂L_T/∂w_i1j2);
    # trace's one-sample step has no such line, but it names the same weight in the same letters
    sums = [ln for ln in shown if ln.startswith("∇")]
    assert shown and all(ln in traced for ln in shown if ln not in sums), \
        [ln for ln in shown if ln not in traced and ln not in sums][:3]
    for ln in sums:
        weight = ln[1:].split(" = ", 1)[0]
        assert any(t.startswith(weight + " ") for t in traced), ln
