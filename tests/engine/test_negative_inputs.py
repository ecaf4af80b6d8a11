"""A vector whose first entry is negative, typed as a user types it.

argparse alone rejects ``--input -1,0`` ("expected one argument"); every
command that takes vectors must accept it, ``--input=-0.5,0.3`` must keep
working, and both spellings must mean the same numbers."""
import json

import pytest

from neuronet.cli import join_negative_values

from conftest import SWITCH, run_cli

COMMANDS = {
    "grads": [],
    "trace": ["--format", "text"],
    "step": ["--no-interactive"],
    "quiz": ["--questions", "1", "--seed", "1"],
    "gradcheck": [],
    "verify": ["--backend", "matrix"],
    "train": ["--lr", "0.1", "--epochs", "1", "--quiet"],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("vector", [["--input", "-1,0"], ["--input", "-0.5,0.3"], ["--input=-0.5,0.3"]])
def test_every_vector_command_takes_a_negative_first_entry(command, vector, tmp_path):
    extra = ["--out", tmp_path / "t.json"] if command == "train" else []
    r = run_cli(command, SWITCH, *vector, "--target", "-1,1", *COMMANDS[command], *extra, input="0\n")
    assert r.returncode == 0, r.stderr
    assert "expected one argument" not in r.stderr


def test_both_spellings_give_the_same_numbers():
    a = run_cli("grads", SWITCH, "--input", "-0.5,0.3", "--target", "0,1")
    b = run_cli("grads", SWITCH, "--input=-0.5,0.3", "--target", "0,1")
    assert a.returncode == b.returncode == 0
    assert json.loads(a.stdout) == json.loads(b.stdout)
    # and the input really was −0.5 (not 0.5): the first z of layer 0 is x_0
    c = run_cli("trace", SWITCH, "--input", "-0.5,0.3", "--target", "0,1", "--format", "jsonl")
    first = json.loads(c.stdout.splitlines()[0])
    assert first["kind"] == "input" and first["value"] == -0.5


def test_the_pre_pass_only_joins_number_values_to_options():
    assert join_negative_values(["grads", "s.toml", "--input", "-1,0", "--target", "0,1"]) == \
        ["grads", "s.toml", "--input=-1,0", "--target", "0,1"]
    assert join_negative_values(["--input=-1,0"]) == ["--input=-1,0"]
    assert join_negative_values(["--lr", "-.5"]) == ["--lr=-.5"]
    # an option after an option is not a value; "--" ends the options
    assert join_negative_values(["--no-interactive", "-h"]) == ["--no-interactive", "-h"]
    assert join_negative_values(["--", "-1"]) == ["--", "-1"]


def test_a_negative_learning_rate_is_still_refused_with_one_line():
    r = run_cli("trace", SWITCH, "--input", "1,0", "--target", "0,1", "--lr", "-0.5")
    assert r.returncode == 2
    assert r.stderr.strip().endswith("must not be negative")
    assert "Traceback" not in r.stderr
