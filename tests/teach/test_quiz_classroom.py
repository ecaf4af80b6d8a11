"""The quiz in class: every phase by default, a stable order per
seed, asking again on a non-number, Ctrl-C / Ctrl-D keep the true score, the
likely kind of a mistake, and one CSV row per student.

Right answers are never taken from the quiz's code: a z is recomputed here
from the givens it prints (Σ w·a + b), an a as σ(z); a new weight's old
value is the given w; a δ is 002's printed number (002 §7)."""
import csv
import io
import math
import os
import re
import sys

import pytest

from conftest import SWITCH, run_cli

STEP = ["quiz", SWITCH, "--input", "1,0", "--target", "0,1", "--lr", "0.5"]
HEAD = re.compile(r"Question (\d+) of (\d+) · (\w+) · ([\w ]+)\n  (\S+)")


def asked(stdout):
    return [(m.group(3), m.group(4), m.group(5)) for m in HEAD.finditer(stdout)]


def blank(tmp_path):
    p = tmp_path / "blank.txt"
    p.write_text("")
    return p


def test_default_quiz_draws_from_every_phase(tmp_path):
    r = run_cli(*STEP, "--round", "4", "--notation", "net-out", "--questions", "5", "--seed", "2026",
                "--answers", blank(tmp_path))
    assert r.returncode == 0, r.stderr
    assert [p for p, _, _ in asked(r.stdout)] == ["forward", "loss", "delta", "gradient", "update"]


@pytest.mark.parametrize("seed", [1, 2026])
def test_question_k_of_a_seed_does_not_depend_on_the_count(tmp_path, seed):
    four = asked(run_cli(*STEP, "--questions", "4", "--seed", seed, "--answers", blank(tmp_path)).stdout)
    seven = asked(run_cli(*STEP, "--questions", "7", "--seed", seed, "--answers", blank(tmp_path)).stdout)
    assert len(four) == 4 and len(seven) == 7
    assert seven[:4] == four


def answer_from_givens(block):
    """The right answer of a z or a (sigmoid) question, from its printed givens."""
    given = dict(re.findall(r"(\S+) = (−?[\d.e\-]+)", block.split("given: ", 1)[1].splitlines()[0]))
    vals = [float(v.replace("−", "-")) for v in given.values()]
    if " · z\n" in block:
        pairs, b = (vals[:-1], vals[-1]) if len(vals) % 2 else (vals, 0.0)    # w, a pairs, then b if any
        return sum(pairs[k] * pairs[k + 1] for k in range(0, len(pairs), 2)) + b
    return 1 / (1 + math.exp(-vals[0]))


def test_miss_names_a_wrong_sign_and_the_not_applied_update(tmp_path):
    # δ questions: answer 002's printed δ with the wrong sign
    d002 = {"∂E_total/∂net_d1": 0.1452, "∂E_total/∂net_d2": -0.0221, "∂E_total/∂net_c1": 0.0065,
            "∂E_total/∂net_c2": 0.0073, "∂E_total/∂net_c3": 0.0070, "∂E_total/∂net_b1": 0.0024,
            "∂E_total/∂net_b2": 0.0026, "∂E_total/∂net_b3": 0.0027, "∂E_total/∂net_b4": 0.0028}
    common = [*STEP, "--round", "4", "--notation", "net-out", "--phase", "delta", "--questions", "3", "--seed", "5"]
    qs = asked(run_cli(*common, "--answers", blank(tmp_path)).stdout)
    f = tmp_path / "a.txt"
    f.write_text("".join(f"{-d002[sym]:.4f}\n" for _, _, sym in qs))
    r = run_cli(*common, "--answers", f)
    assert r.stdout.count("wrong — likely a wrong sign; here is how:") == 3, r.stdout
    # new-weight questions: answer the old weight, which the question gives
    # (a weight whose gradient is 0 keeps its value: the old one is right)
    common = [*STEP, "--phase", "update", "--questions", "6", "--seed", "3"]
    first = run_cli(*common, "--answers", blank(tmp_path)).stdout
    givens = re.findall(r"given: \S+ = (\S+), \S+ = \S+, \S+ = (\S+)\n", first)
    assert len(givens) == 6
    f.write_text("\n".join(old.replace("−", "-") for old, _ in givens) + "\n")
    r = run_cli(*common, "--answers", f)
    # every weight the step changes (a gradient that is not 0) answered with its
    # old value is wrong, "not updated" — even when the step is smaller than the
    # 1 % tolerance (0.45 for 0.448083 is not the new weight)
    moved = sum(float(g.replace("−", "-")) != 0 for _, g in givens)
    assert r.stdout.count("\n  wrong") == moved >= 2
    assert r.stdout.count("wrong — not updated (the old value, the update not applied); here is how:") == moved


def test_many_answer_files_give_one_csv_row_each(tmp_path):
    common = [*STEP, "--phase", "forward", "--questions", "3", "--seed", "9"]
    qs_text = run_cli(*common, "--answers", blank(tmp_path)).stdout
    blocks = qs_text.split("\nQuestion ")[1:]
    right = [f"{answer_from_givens('Question ' + b):.6f}" for b in blocks]
    alice, bob = tmp_path / "alice.txt", tmp_path / "bob.txt"
    alice.write_text("\n".join(right) + "\n")                  # all right
    bob.write_text("\n".join([right[0], "7", "abc"]) + "\n")      # one right
    r = run_cli(*common, "--answers", alice, bob)
    assert r.returncode == 0, r.stderr
    rows = list(csv.reader(io.StringIO(r.stdout)))
    assert rows[0] == ["student", "file", "seed", "score", "questions", "q1", "q2", "q3"]
    assert rows[1] == ["alice", str(alice), "9", "3", "3", "1", "1", "1"]
    assert rows[2] == ["bob", str(bob), "9", "1", "3", "1", "0", "0"]
    # the single-file grading agrees
    assert "score: 1 of 3" in run_cli(*common, "--answers", bob).stdout


def _spawn(*extra):
    pexpect = pytest.importorskip("pexpect")
    env = dict(os.environ, TERM="xterm", COLUMNS="100")
    return pexpect, pexpect.spawn(sys.executable, ["-m", "neuronet", *map(str, STEP), "--phase", "forward",
                                                   "--questions", "3", "--seed", "9", *extra],
                                  env=env, encoding="utf-8", timeout=30, dimensions=(40, 120))


def _answer_first(child):
    child.expect("your answer: ")
    child.sendline(f"{answer_from_givens(child.before[child.before.index('Question 1'):]):.6f}")
    child.expect("right: ")


def test_ctrl_c_ends_with_the_true_score_so_far():
    pexpect, child = _spawn()
    _answer_first(child)
    child.expect("your answer: ")
    child.sendintr()
    child.expect(r"score: 1 of 1 answered \(the quiz ended at question 2 of 3\)")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130


def test_abc_asks_again_and_ctrl_d_ends_with_the_true_score():
    pexpect, child = _spawn()
    _answer_first(child)
    child.expect("your answer: ")
    child.sendline("abc")
    child.expect("'abc' is not a number")
    child.expect("your answer: ")
    child.sendeof()
    child.expect(r"score: 1 of 1 answered \(the quiz ended at question 2 of 3\)")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


MAZUR = SWITCH.parent.parent / "mazur-2-2-2" / "network.toml"


@pytest.mark.parametrize("seed", range(8))
def test_no_question_gives_its_own_answer(tmp_path, seed):
    """Hiding an input's a = x (or any identity a = z) asks nothing: its one
    given is the answer.  Mazur's inputs are a_1 = 0.05, a_2 = 0.1 (identity
    input layer, walkthroughs/mazur-2-2-2/network.toml); every forward
    question drawn must need a computation."""
    r = run_cli("quiz", MAZUR, "--input", "0.05,0.1", "--target", "0.01,0.99", "--notation", "net-out",
                "--phase", "forward", "--questions", "6", "--seed", seed, "--answers", blank(tmp_path))
    assert r.returncode == 0, r.stderr
    assert "activation identity" not in r.stdout
    for block in r.stdout.split("Question ")[1:]:
        sym = block.splitlines()[1].split()[0]
        givens = re.findall(r"(\S+) = ", block.split("given: ", 1)[1].splitlines()[0])
        assert givens != [sym], block
