"""show --svg/--html/--dot keep the engine/finite.py rule: a number that is not
finite is exit 1 naming the term where it first appeared, never an ∞ drawn.

Golden: 1e308·1 + 1e308·1 overflows to inf in z of layer 1's neuron 0 (IEEE
arithmetic; trace names the same term on the same step)."""
import pytest

from conftest import SWITCH
from inproc import one_line, run


@pytest.fixture
def overflowing(tmp_path):
    text = SWITCH.read_text(encoding="utf-8").replace("[0.1, 0.2]", "[1e308, 1e308]", 1)
    path = tmp_path / "inf.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("flag", ["--svg", "--html", "--dot"])
def test_show_refuses_infinity_naming_the_term(overflowing, tmp_path, flag):
    out = tmp_path / "out"
    out.write_text("kept", encoding="utf-8")                 # an existing file is never clobbered
    r = run("show", overflowing, flag, out, "--input", "1,1", "--target", "0,1")
    line = one_line(r, 1, "sample 0, layer 1, neuron 0", "z_j", "is inf")
    assert "∞" not in r.stdout + line
    assert out.read_text(encoding="utf-8") == "kept"


def test_trace_names_the_same_term(overflowing):
    r = run("trace", overflowing, "--input", "1,1", "--target", "0,1")
    one_line(r, 1, "sample 0, layer 1, neuron 0", "z_j", "is inf")


def test_dot_watches_the_whole_step_not_only_its_neuron(overflowing):
    # the neuron drawn (layer 3) only sees the inf downstream: the line names where it began
    r = run("show", overflowing, "--dot", "--input", "1,1", "--target", "0,1", "--neuron", "3:1")
    one_line(r, 1, "layer 1, neuron 0")
