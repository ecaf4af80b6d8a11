"""Zero-adapter PyTorch (``--backend torch:pkg.mod:factory`` and a live
``nn.Module`` through the Python API): neuronet copies the spec's weights
into the module, runs it, captures z, a, δ with hooks and reads ``.grad``.

The golden side is the per-neuron reference; the module side is PyTorch's
own ``nn.Linear`` and activation modules and its autograd (an independent
implementation).  Planted bugs are written into the user's module, never into
neuronet, and each test asserts the layer and term where the report says the
disagreement starts.  Skipped cleanly when torch is not installed."""
import json
import textwrap

import pytest

torch = pytest.importorskip("torch")

from torch import nn  # noqa: E402

from conftest import ROOT, SWITCH  # noqa: E402
from inproc import one_line, run  # noqa: E402
from neuronet.check import testing  # noqa: E402
from neuronet.check.backends import resolve, fuzz  # noqa: E402
from neuronet.check.backends.torch_capture import FactoryError, build, torch_module  # noqa: E402

# The user's file: factories written the way a PyTorch user writes them, with
# nn.Sequential, not with neuronet's build().
USER = textwrap.dedent('''
    import torch
    from torch import nn

    ACT = {"identity": nn.Identity, "sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "relu": nn.ReLU,
           "leaky_relu": lambda: nn.LeakyReLU(0.01), "softmax": lambda: nn.Softmax(dim=1)}

    def sequential(spec, dtype=torch.float64, act=None):
        layers = spec["layers"]
        mods = []
        for before, layer in zip(layers, layers[1:]):
            mods += [nn.Linear(before["size"], layer["size"]), (act or ACT)[layer["activation"]]()]
        return nn.Sequential(*mods).to(dtype)

    def good(spec):
        return sequential(spec)

    def good32(spec):
        return sequential(spec, torch.float32)

    def wrong_activation(spec):          # layer 1: tanh whatever the spec says
        return sequential(spec, act={**ACT, "sigmoid": nn.Tanh})

    def softmax_wrong_axis(spec):        # softmax over the samples, not the neurons
        return sequential(spec, act={**ACT, "softmax": lambda: nn.Softmax(dim=0)})

    class NoTranspose(nn.Linear):        # z = a·W + b with W as stored [out][in]: right only if W is symmetric
        def forward(self, a):
            return a @ self.weight + self.bias

    def transposed(spec):                # the square layer 2 of a 4-3-3-2 network forgets its transpose
        m = sequential(spec)
        lin = m[2]
        m[2] = NoTranspose(lin.in_features, lin.out_features).double()
        return m

    def raises(spec):
        raise ValueError("no GPU here")

    def not_a_module(spec):
        return {"layers": 3}

    def too_few(spec):
        return nn.Sequential(nn.Linear(spec["layers"][0]["size"], spec["layers"][-1]["size"])).double()

    fixed = nn.Sequential(nn.Linear(2, 4), nn.Sigmoid(), nn.Linear(4, 3), nn.Sigmoid(),
                          nn.Linear(3, 2), nn.Sigmoid()).double()
''')

EXAMPLES = ROOT / "docs" / "examples"
SQUARE = {"loss": "half_sse", "layers": [
    {"size": 4},
    {"size": 3, "activation": "sigmoid", "weights": [[0.1, -0.2, 0.3], [0.4, 0.5, -0.6], [0.7, 0.8, 0.9],
                                                      [-0.1, 0.2, 0.3]], "biases": [0.1, 0.2, -0.3]},
    {"size": 3, "activation": "tanh", "weights": [[0.5, -0.4, 0.3], [0.2, 0.9, -0.8], [-0.7, 0.6, 0.1]],
     "biases": [0.0, 0.1, 0.2]},
    {"size": 2, "activation": "identity", "weights": [[0.3, 0.1], [-0.2, 0.4], [0.5, -0.6]], "biases": [0.1, -0.1]}]}
SQUARE_X = [[1.0, 0.5, -0.5, 2.0], [0.0, -1.0, 1.5, 0.5]]
SQUARE_Y = [[0.2, -0.1], [1.0, 0.5]]


@pytest.fixture
def user(tmp_path, monkeypatch):
    """A directory holding the user's factories as ./nets.py, the current directory."""
    (tmp_path / "nets.py").write_text(USER)
    (tmp_path / "square.json").write_text(json.dumps({**SQUARE, "inputs": SQUARE_X, "targets": SQUARE_Y}))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def verify(*args):
    return run("verify", *args, "--timeout", "60")


SCOPE = ["--activations", "identity,sigmoid,tanh,relu,leaky_relu,softmax"]


def test_correct_float64_sequential_passes_50_random_cases(monkeypatch):
    # the zero-adapter example of docs/examples/, as its docstring runs it
    monkeypatch.chdir(EXAMPLES)
    r = verify("--random", "50", "--backend", "torch:torch_sequential:model", *SCOPE, "--format", "json")
    doc = json.loads(r.stdout)
    assert r.returncode == 0 and doc["ok"], r.stdout + r.stderr
    assert doc["checked"] == 50 and doc["declined"] == 0
    assert doc["worst_margin"] <= 1.0 and len(doc["cases"]) == 50


def test_unscoped_draws_decline_only_trainable_input_biases():
    # neuronet's own factory puts the input layer's activation module before the first nn.Linear
    result = fuzz.run(torch_module(build), 20, 0, 1e-9, 1e-12)
    assert result.failure is None and result.declined and result.checked + len(result.declined) == 20
    assert {why for _, why in result.declined} == {
        "NotImplementedError: trainable input-layer biases (004 §2.5) have no place in an nn.Module "
        "of nn.Linear layers"}


def test_a_factory_that_ignores_the_input_activation_is_caught_at_layer_0():
    def plain_input(spec):
        return build({**spec, "layers": [{**spec["layers"][0], "activation": "identity"}] + spec["layers"][1:]})
    result = fuzz.run(torch_module(plain_input), 20, 0, 1e-9, 1e-12)
    assert result.failure is not None
    assert result.failure[-1].report.first.name == "layer 0 activations"


def test_wrong_activation_module_is_located_at_its_layer(user):
    r = verify(str(SWITCH), "--backend", "torch:nets:wrong_activation", "--input", "1,0", "--target", "0,1")
    assert r.returncode == 1, r.stdout + r.stderr
    assert "it starts at layer 1 activations: a[1][0] of sample 0" in r.stdout


def test_transposed_weight_is_located_at_its_layer_z(user):
    r = verify("square.json", "--backend", "torch:nets:transposed")
    assert r.returncode == 1, r.stdout + r.stderr
    assert "it starts at layer 2 z: z[2][0] of sample 0" in r.stdout


def test_softmax_over_the_wrong_axis_is_located_at_the_output_layer():
    spec = build_spec_softmax()
    m = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 3), nn.Softmax(dim=0)).double()
    result = testing.check(m, spec, [[1.0, -0.5, 0.2], [0.3, 0.8, -1.0]], [[0, 1, 0], [1, 0, 0]])
    assert not result.ok
    assert result.report.first.name == "layer 2 activations"
    assert result.focus.name == "a[2][0] of sample 0"


def build_spec_softmax():
    return {"loss": "cross_entropy", "layers": [
        {"size": 3},
        {"size": 4, "activation": "tanh", "weights": [[0.1, 0.2, -0.3, 0.4], [0.5, -0.6, 0.7, 0.8],
                                                      [-0.9, 1.0, 0.1, 0.2]], "biases": [0.0, 0.1, 0.2, 0.3]},
        {"size": 3, "activation": "softmax", "weights": [[0.3, -0.1, 0.2], [0.4, 0.5, -0.6], [0.7, -0.8, 0.9],
                                                         [0.1, 0.2, 0.3]], "biases": [0.1, -0.2, 0.0]}]}


def test_live_module_through_the_python_api_agrees_and_its_weights_are_the_specs():
    spec = build_spec_softmax()
    m = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 3), nn.Softmax(dim=1)).double()
    result = testing.check(m, spec, [[1.0, -0.5, 0.2], [0.3, 0.8, -1.0]], [[0, 1, 0], [1, 0, 0]], reduction="sum")
    assert result.ok, result.text
    # [from][to] went into nn.Linear's [out][in] transposed
    assert m[2].weight[0].tolist() == [row[0] for row in spec["layers"][2]["weights"]]
    names = [b.name for b in result.report.blocks]
    assert "layer 1 z" in names and "layer 2 deltas" in names and "layer 0 activations" in names


def test_float32_module_is_run_in_float32():
    spec = build_spec_softmax()
    m = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 3), nn.Softmax(dim=1)).float()
    xs, ys = [[1.0, -0.5, 0.2], [0.3, 0.8, -1.0]], [[0, 1, 0], [1, 0, 0]]
    assert not testing.check(m, spec, xs, ys).ok                  # float64 tolerances: float32 rounding shows
    assert testing.check(m, spec, xs, ys, rtol=1e-4, atol=1e-6).ok


def test_float32_module_passes_random_cases_under_explicit_tolerances(user):
    r = verify("--random", "30", "--backend", "torch:nets:good32", *SCOPE, "--rtol", "1e-3", "--atol", "1e-5")
    assert r.returncode == 0, r.stdout + r.stderr       # (test_float32_module_is_run_in_float32: it fails at the defaults)


def test_float32_module_passes_dtype_float32_without_tolerances(user):
    r = verify("--random", "100", "--backend", "torch:nets:good32", *SCOPE, "--dtype", "float32")
    assert r.returncode == 0, r.stdout + r.stderr
    # shaped like MNIST: 784 inputs, He-scaled ReLU hidden layers, softmax tied to
    # cross-entropy, one-hot labels, batches of 64
    r = verify("--random", "2", "--backend", "torch:nets:good32", "--dtype", "float32", "--input-width", "784",
               "--max-width", "32", "--max-layers", "3", "--min-batch", "64", "--batch", "64", "--init", "he",
               "--hidden-activation", "relu", "--tie-output", "--hard-labels", "--losses", "cross_entropy",
               "--format", "json")
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr
    doc = json.loads(r.stdout)
    assert doc["ok"] and doc["checked"] == 2 and 0 < doc["worst_margin"] <= 1


def test_a_factory_that_raises_is_one_line_exit_2(user):
    r = verify(str(SWITCH), "--backend", "torch:nets:raises", "--input", "1,0", "--target", "0,1")
    one_line(r, 2, "torch:nets:raises: the factory raised ValueError: no GPU here")


def user_module(name):
    import importlib
    return getattr(importlib.import_module("nets"), name)


@pytest.mark.parametrize("factory, needle", [
    ("not_a_module", "torch:nets:not_a_module: the factory returned dict, not an nn.Module"),
    ("too_few", "torch:nets:too_few: the module has 1 nn.Linear layer; the spec (2-4-3-2) needs 3"),
])
def test_a_factory_that_cannot_answer_is_bad_input(user, monkeypatch, factory, needle):
    monkeypatch.syspath_prepend(str(user))
    monkeypatch.delitem(__import__("sys").modules, "nets", raising=False)
    backend = torch_module(user_module(factory), f"torch:nets:{factory}")
    with pytest.raises(FactoryError) as e:
        testing.check(backend, str(SWITCH), [[1, 0]], [[0, 1]])
    assert needle in e.value.format()


def test_a_fixed_module_of_another_shape_is_one_line_exit_2_when_fuzzing(user):
    r = verify("--random", "3", "--backend", "torch:nets:fixed", *SCOPE)
    one_line(r, 2, "torch:nets:fixed: the module has 3 nn.Linear layers; the spec (4-2-3) needs 2")
    assert not list(user.glob("verify-case-*"))


def test_a_fixed_module_of_the_specs_shape_verifies(user, monkeypatch):
    monkeypatch.syspath_prepend(str(user))
    monkeypatch.delitem(__import__("sys").modules, "nets", raising=False)
    result = testing.check(user_module("fixed"), str(SWITCH), [[1, 0], [0, 1]], [[0, 1], [1, 0]])
    assert result.ok, result.text


def test_sys_exit_in_the_module_is_a_failure_not_an_answer(user):
    (user / "quits.py").write_text(USER + textwrap.dedent('''
        class Quits(nn.Module):
            def __init__(self, spec):
                super().__init__()
                self.m = sequential(spec)
            def forward(self, x):
                raise SystemExit(3)
    '''))
    r = verify(str(SWITCH), "--backend", "torch:quits:Quits", "--input", "1,0", "--target", "0,1")
    assert r.returncode == 1 and "sys.exit(3)" in r.stdout, r.stdout + r.stderr


def test_in_process_and_child_process_give_the_same_report(user):
    spec, xs, ys, red = fuzz.case(__import__("random").Random(5), 0,
                                  fuzz.Scope(activations=("sigmoid", "tanh", "softmax")))
    child = resolve("torch:nets:good")
    here = resolve("torch:nets:good", isolate=False)
    try:
        a = testing.check(child, spec, xs, ys, reduction=red)
        b = testing.check(here, spec, xs, ys, reduction=red)
    finally:
        child.close()
    assert a.ok and b.ok
    assert a.report.to_dict()["blocks"] == b.report.to_dict()["blocks"]


def test_fuzzing_in_process_through_the_python_api():
    ok = testing.fuzz(testing.torch_module(build), 25, seed=2,
                      scope=fuzz.Scope(activations=("tanh", "softmax"), tie=True, hard=True, init="torch"))
    assert ok.failure is None and ok.checked == 25 and 0 < ok.worst[1] <= 1
    # a live module of fixed sizes does not fit draws of other sizes: bad input, not a silent pass
    m = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 3), nn.Softmax(dim=1)).double()
    with pytest.raises(FactoryError, match="nn.Linear"):
        testing.fuzz(m, 30, seed=1, scope=fuzz.Scope(activations=("tanh", "softmax"), max_layers=3))


def test_torch_module_helper_with_a_factory_and_neuronets_build():
    backend = torch_module(build)
    run_ = fuzz.run(backend, 40, 3, 1e-9, 1e-12, fuzz.Scope(activations=("relu", "sigmoid", "softmax")))
    assert run_.failure is None and run_.checked == 40


def test_factory_error_is_bad_input_in_process_too():
    with pytest.raises(FactoryError, match="the factory returned int"):
        torch_module(lambda spec: 3, "f")(build_spec_softmax(), [[0, 0, 0]], [[1, 0, 0]], "mean")


def test_a_frozen_linear_is_bad_input_and_dropout_is_off_while_checked():
    spec = build_spec_softmax()
    xs, ys = [[1.0, -0.5, 0.2], [0.3, 0.8, -1.0]], [[0, 1, 0], [1, 0, 0]]
    m = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Dropout(0.5), nn.Linear(4, 3), nn.Softmax(dim=1)).double()
    assert testing.check(m, spec, xs, ys).ok and m.training          # eval mode while checked, then restored
    m[0].weight.requires_grad_(False)
    with pytest.raises(FactoryError, match="nn.Linear number 1 is frozen"):
        testing.check(m, spec, xs, ys)


def test_an_exception_in_forward_is_a_failure_with_the_users_frame():
    class Broken(nn.Module):
        def __init__(self):
            super().__init__()
            self.a, self.b = nn.Linear(3, 4).double(), nn.Linear(4, 3).double()

        def forward(self, x):
            return torch.softmax(self.b(torch.tanh(self.a(x))) / 0 if x.shape[0] > 99 else undefined_name, 1)  # noqa: F821

    result = testing.check(Broken(), build_spec_softmax(), [[1.0, 0.0, 0.0]], [[0, 1, 0]])
    assert result.report.error == "NameError: name 'undefined_name' is not defined"
    assert "in forward" in result.report.frames[-1]
    assert not any("backends/torch_capture.py" in f for f in result.report.frames), result.report.frames
