"""The three adapter examples of docs/examples/: each
adapter is at most 20 lines, and each verifies against the per-neuron
reference — on 002's switch network through the CLI (a child process, as a
user runs it) and on random cases scoped to what it implements."""
import json
import subprocess
import sys

import pytest

from conftest import ROOT, SWITCH

EXAMPLES = ROOT / "docs" / "examples"
X = ["--input", "1,0", "--target", "0,1", "--input", "0,1", "--target", "1,0", "--input", "1,1", "--target", "1,1"]


def adapter_lines(name):
    text = (EXAMPLES / f"{name}.py").read_text()
    return text.split("# --- adapter ---\n")[1].split("# --- end ---")[0].rstrip("\n").split("\n")


def verify(*args):
    return subprocess.run([sys.executable, "-m", "neuronet", "verify", *map(str, args), "--format", "json",
                           "--timeout", "30"], cwd=EXAMPLES, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("name", ["numpy_network", "scalar_autograd", "torch_module"])
def test_adapter_is_at_most_20_lines(name):
    assert 5 <= len(adapter_lines(name)) <= 20


@pytest.mark.parametrize("name,count", [
    ("numpy_network", 42 + 3 * (2 + 4 + 3 + 2)),   # 3×2 outputs + loss + 26 w + 9 b, and every activation
    ("scalar_autograd", 42),
    ("torch_module", 42),
])
def test_example_verifies_on_the_switch_network(name, count):
    if name != "scalar_autograd":
        pytest.importorskip("numpy" if name == "numpy_network" else "torch")
    r = verify(SWITCH, "--backend", f"module:{name}:grads", *X)
    doc = json.loads(r.stdout)
    assert r.returncode == 0 and doc["ok"] and doc["count"] == count, r.stdout + r.stderr


@pytest.mark.parametrize("name,scope", [
    ("numpy_network", ["--activations", "sigmoid", "--losses", "half_sse"]),
    ("scalar_autograd", ["--activations", "identity,sigmoid,tanh,relu", "--losses", "half_sse,sse,mse"]),
    ("torch_module", ["--activations", "identity,sigmoid,tanh,relu", "--losses", "half_sse,sse"]),
])
def test_example_agrees_on_random_cases_in_its_scope(name, scope):
    if name != "scalar_autograd":
        pytest.importorskip("numpy" if name == "numpy_network" else "torch")
    r = verify("--random", 30, "--seed", 2, "--backend", f"module:{name}:grads", *scope)
    doc = json.loads(r.stdout)
    assert r.returncode == 0 and doc["ok"] and doc["checked"] == 30 and doc["declined"] == 0, r.stdout


def test_examples_decline_what_they_do_not_implement():
    r = verify("--random", 12, "--seed", 2, "--backend", "module:scalar_autograd:grads")
    doc = json.loads(r.stdout)
    assert doc["declined"] > 0 and doc["ok"] and doc["checked"] + doc["declined"] == 12
