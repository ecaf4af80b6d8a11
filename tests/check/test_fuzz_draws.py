"""``verify --random``'s draws: old seeds replay the same cases, the
options that shape draws like real backends do what they say, and every run
reports the worst margin per case and overall.

The replay golden is an independent implementation: the draw function as it
was before these options existed, copied below verbatim (frozen_case)."""
import json
import math
import random
import statistics

import pytest

from inproc import one_line, run
from neuronet.check.backends import fuzz
from neuronet.check.backends.compare import compare
from neuronet.check.backends.fuzz import ACTS, Scope

# --- the draws before --hidden-activation/--tie-output/--hard-labels/--init/--min-* (copied, not imported) ---
def frozen_case(rng, k, scope):
    pairs = scope.pairs()
    loss, outs = pairs[k % len(pairs)]
    out_act = outs[(k // len(pairs)) % len(outs)]
    acts_in_scope = scope.acts()
    n_layers = rng.randint(2, scope.max_layers)
    sizes = [rng.randint(1, scope.max_width) for _ in range(n_layers)]
    plain_input = scope.activations is not None
    first = "identity" if plain_input else rng.choice(["identity", "identity"] + ACTS)
    acts = [first] + [rng.choice(acts_in_scope) for _ in range(n_layers - 2)] + [out_act]
    sizes = [max(n, 2) if a == "softmax" else n for n, a in zip(sizes, acts)]

    def u(lo, hi, n):
        return [rng.uniform(lo, hi) for _ in range(n)]

    layers = [{"size": sizes[0], "activation": acts[0]}]
    if not plain_input and rng.random() < 0.3:
        layers[0]["biases"] = u(-0.5, 0.5, sizes[0])
    for l in range(1, n_layers):
        layers.append({"size": sizes[l], "activation": acts[l],
                       "weights": [u(-1.5, 1.5, sizes[l]) for _ in range(sizes[l - 1])],
                       "biases": u(-0.5, 0.5, sizes[l])})
    n = rng.randint(1, scope.batch)
    xs = [u(-2.0, 2.0, sizes[0]) for _ in range(n)]
    K = sizes[-1]
    if loss == "cross_entropy":     # one-hot targets (000, 003)
        hots = [rng.randrange(K) for _ in range(n)]
        ys = [[1.0 if c == hot else 0.0 for c in range(K)] for hot in hots]
    elif loss == "bce":             # 0/1 labels and soft targets
        ys = [[rng.choice([0.0, 1.0, rng.random()]) for _ in range(K)] for _ in range(n)]
    else:
        ys = [u(-1.0, 1.0, K) for _ in range(n)]
    reduction = rng.choice(["mean", "sum"])
    return {"loss": loss, "layers": layers}, xs, ys, reduction
# --- end of the copy ---


@pytest.mark.parametrize("scope", [Scope(), Scope(activations=("relu", "sigmoid")), Scope(losses=("bce",)),
                                   Scope(max_layers=3, max_width=9, batch=7)])
def test_old_seeds_replay_the_same_cases(scope):
    for seed in range(40):
        a, b = random.Random(seed), random.Random(seed)
        for k in range(6):
            assert fuzz.case(a, k, scope) == frozen_case(b, k, scope), (seed, k)


def draws(n=60, **kw):
    rng, scope = random.Random(1), Scope(**kw).validate()
    return [fuzz.case(rng, k, scope) for k in range(n)]


def test_hidden_activation_fixes_every_hidden_layer_and_keeps_the_input_plain():
    for spec, *_ in draws(hidden=("relu",)):
        layers = spec["layers"]
        assert layers[0] == {"size": layers[0]["size"], "activation": "identity"}
        assert all(l["activation"] == "relu" for l in layers[1:-1])


def test_tie_output_pairs_softmax_with_cross_entropy_and_sigmoid_with_bce():
    seen = set()
    for spec, *_ in draws(tie=True):
        out = spec["layers"][-1]["activation"]
        if spec["loss"] in ("cross_entropy", "bce"):
            assert out == {"cross_entropy": "softmax", "bce": "sigmoid"}[spec["loss"]]
            seen.add(spec["loss"])
    assert seen == {"cross_entropy", "bce"}


def test_hard_labels_are_one_hot_for_every_loss():
    losses = set()
    for spec, xs, ys, _ in draws(hard=True):
        losses.add(spec["loss"])
        for y in ys:
            assert sorted(y) == [0.0] * (len(y) - 1) + [1.0]
    assert losses == set(fuzz.LOSS_NAMES)


def test_widths_and_batches_stay_in_their_bounds():
    for spec, xs, *_ in draws(30, min_width=30, max_width=40, min_batch=5, batch=9, max_layers=3):
        assert all(30 <= l["size"] <= 40 for l in spec["layers"])
        assert 5 <= len(xs) <= 9


def test_input_and_output_widths_are_fixed():
    for spec, xs, ys, _ in draws(20, input_width=784, output_width=10, max_width=8, tie=True):
        sizes = [l["size"] for l in spec["layers"]]
        assert sizes[0] == 784 and sizes[-1] == 10 and all(1 <= n <= 8 for n in sizes[1:-1])
        assert all(len(x) == 784 for x in xs) and all(len(y) == 10 for y in ys)


def weights_of(init, n_from=400, n_to=300):
    rng = random.Random(2)
    return fuzz._layer(rng, init, n_from, n_to)


@pytest.mark.parametrize("init, sd", [("xavier", math.sqrt(6 / 700) / math.sqrt(3)), ("he", math.sqrt(2 / 400)),
                                      ("torch", 1 / math.sqrt(400) / math.sqrt(3)),
                                      ("uniform", 1.5 / math.sqrt(3))])
def test_init_scales_the_weights(init, sd):
    # the standard deviation of U(-c, c) is c/sqrt(3); of N(0, s^2), s: 120 000 draws land within 2 %
    w, b = weights_of(init)
    flat = [x for row in w for x in row]
    assert len(w) == 400 and len(w[0]) == 300
    assert statistics.pstdev(flat) == pytest.approx(sd, rel=0.02)
    bound = 0.5 if init == "uniform" else 1 / math.sqrt(400)
    assert max(abs(x) for x in b) <= bound


def test_bounds_on_the_options_are_one_line_exit_2():
    one_line(run("verify", "--random", "2", "--backend", "matrix", "--max-width", "1025"), 2, "up to 1024")
    one_line(run("verify", "--random", "2", "--backend", "matrix", "--batch", "257"), 2, "up to 256")
    one_line(run("verify", "--random", "2", "--backend", "matrix", "--min-width", "9"), 2, "--min-width")
    one_line(run("verify", "--random", "2", "--backend", "matrix", "--hidden-activation", "gelu"), 2,
             "--hidden-activation")


def test_shaping_options_need_random():
    from conftest import SWITCH
    one_line(run("verify", SWITCH, "--backend", "matrix", "--input", "1,0", "--target", "0,1", "--tie-output"),
             2, "--tie-output")


def test_shaped_run_through_the_cli():
    r = run("verify", "--random", "4", "--backend", "matrix", "--hidden-activation", "relu", "--tie-output",
            "--hard-labels", "--init", "he", "--min-width", "20", "--max-width", "30", "--max-layers", "3",
            "--batch", "8", "--format", "json")
    doc = json.loads(r.stdout)
    assert r.returncode == 0 and doc["ok"] and doc["checked"] == 4, r.stdout + r.stderr
    assert doc["scope"].startswith("hidden relu (input layer plain); output tied to the loss; one-hot targets; he init")


# --- the worst margin ---

def test_worst_margin_is_the_largest_diff_over_tolerance():
    ref = {"loss": 1.0, "outputs": [[2.0]], "gradients": [{"weights": [[4.0]], "biases": [0.5]}]}
    got = {"loss": 1.0 + 3e-9, "outputs": [[2.0]], "gradients": [{"weights": [[4.0 + 2e-9]], "biases": [0.5]}]}
    # loss: 3e-9 / (0 + 1e-9·1) = 3; weight: 2e-9 / (1e-9·4) = 0.5
    assert compare(ref, got, 1e-9, 0.0).worst_margin == pytest.approx(3.0)
    assert compare(ref, ref, 1e-9, 0.0).worst_margin == 0.0


def margins(*extra):
    r = run("verify", "--random", "8", "--backend", "matrix", "--atol", "0", "--format", "json", *extra)
    return r, json.loads(r.stdout)


def test_margins_per_case_and_overall_in_json_scale_with_the_tolerance():
    r1, a = margins("--rtol", "1e-6")
    r2, b = margins("--rtol", "1e-7")
    assert r1.returncode == r2.returncode == 0
    assert [c["case"] for c in a["cases"]] == list(range(8))
    worst = max(a["cases"], key=lambda c: c["worst_margin"])
    assert (a["worst_margin"], a["worst_case"]) == (worst["worst_margin"], worst["case"])
    for x, y in zip(a["cases"], b["cases"]):      # the same diffs over a tolerance ten times smaller
        assert y["worst_margin"] == pytest.approx(10 * x["worst_margin"], rel=1e-9)
    assert 0 < a["worst_margin"] < 1


def test_margins_in_text_name_the_worst_case_and_every_case():
    r = run("verify", "--random", "3", "--backend", "matrix")
    _, doc = margins("--atol", "1e-12")
    line = r.stdout.strip().splitlines()[-1]
    assert r.returncode == 0 and line.startswith("worst margin |diff| / (atol + rtol·|ref|) (≤ 1 agrees): overall ")
    assert "per case 0: " in line and ", 2: " in line


def test_declined_cases_say_declined_in_text_and_in_json(tmp_path, monkeypatch):
    (tmp_path / "picky.py").write_text(
        "from neuronet.check.backends import matrix\n"
        "def grads(spec, xs, ys, reduction):\n"
        "    if spec['loss'] != 'mse':\n"
        "        raise NotImplementedError('mse only')\n"
        "    return matrix.gradients(spec, xs, ys, reduction)\n")
    monkeypatch.chdir(tmp_path)
    from neuronet.check.backends import resolve
    backend = resolve("module:picky:grads", isolate=False)
    result = fuzz.run(backend, 10, 0, 1e-9, 1e-12)
    from neuronet.cli.verify import _margins_json, _margins_text
    text, doc = _margins_text(result), _margins_json(result)
    declined = {k for k, _ in result.declined}
    assert declined and result.checked
    for c in doc["cases"]:
        assert ("declined" in c) == (c["case"] in declined)
        assert (f"{c['case']}: declined" in text) == (c["case"] in declined)


def test_a_single_case_reports_its_worst_margin_in_text_and_json():
    from conftest import SWITCH
    # a float32 backend under loose tolerances: nonzero differences, all inside
    args = ["verify", SWITCH, "--backend", "matrix:float32", "--input", "1,0", "--target", "0,1",
            "--rtol", "1e-4", "--atol", "1e-6"]
    doc = json.loads(run(*args, "--format", "json").stdout)
    text = run(*args).stdout
    assert doc["ok"] and 0 < doc["worst_margin"] <= 1
    assert doc["worst_margin"] == max(b["margin"] for b in doc["blocks"])
    assert f"worst margin {doc['worst_margin']:.3g} of the tolerance" in text
