"""quiz --choices: multiple choice, the distractors made from the mistake
catalogue that marking uses.  Golden values: 002 §7's printed numbers —
∂E_total/∂net_d1 = 0.1452 from out_d1 = 0.7199, target 0 — so leaving f′ out
gives out_d1 − target = 0.7199, and a wrong sign −0.1452."""
import re

from conftest import SWITCH
from inproc import one_line, run

STEP = ["--input", "1,0", "--target", "0,1", "--round", "4", "--notation", "net-out"]


def blocks(stdout):
    """{symbol: (options {letter: shown}, the verdict line)} of a quiz run."""
    out = {}
    for b in stdout.split("\nQuestion ")[1:]:
        lines = b.splitlines()
        symbol = lines[1].split()[0]
        opts = dict(re.findall(r"\((\w)\) (\S+)", next(l for l in lines if l.startswith("  (a) "))))
        verdict = next(l for l in lines if l.startswith(("  right", "  wrong")))
        out[symbol] = (opts, verdict)
    return out


def quiz(tmp_path, answers):
    p = tmp_path / "answers.txt"
    p.write_text("\n".join(answers) + "\n", encoding="utf-8")
    return run("quiz", SWITCH, *STEP, "--phase", "delta", "--questions", "9", "--seed", "11",
               "--choices", "4", "--answers", p)


def test_choices_hold_the_right_number_and_the_catalogues_mistakes(tmp_path):
    r = quiz(tmp_path, ["a"] * 9)
    assert r.returncode == 0, r.stderr
    qs = blocks(r.stdout)
    assert len(qs) == 9
    opts, _ = qs["∂E_total/∂net_d1"]
    assert sorted(opts.values()) == sorted(["0.1452", "0.7199", "−0.1452", "−0.0221"])   # right, f′ out, sign, neighbour
    for o, _ in qs.values():
        assert len(set(o.values())) == len(o) >= 2              # no two choices print the same


def test_the_right_letter_scores_and_a_distractor_is_named(tmp_path):
    first = blocks(quiz(tmp_path, ["a"] * 9).stdout)
    order = list(first)
    letter = {v: k for k, v in first["∂E_total/∂net_d1"][0].items()}
    answers = [letter["0.7199"] if s == "∂E_total/∂net_d1" else "zz" for s in order]
    r = quiz(tmp_path, answers)
    assert "(" + letter["0.7199"] + ") is f′ left out" in blocks(r.stdout)["∂E_total/∂net_d1"][1]
    answers = [letter["0.1452"] if s == "∂E_total/∂net_d1" else "zz" for s in order]
    r = quiz(tmp_path, answers)
    assert blocks(r.stdout)["∂E_total/∂net_d1"][1] == "  right: ∂E_total/∂net_d1 = 0.1452"
    assert "score: 1 of 9" in r.stdout


def test_choices_needs_two_options():
    one_line(run("quiz", SWITCH, *STEP, "--choices", "1"), 2, "--choices")


def test_graded_answer_files_read_the_letters(tmp_path):
    """--answers for a class (CSV rows) marks letters against the same choices."""
    first = blocks(quiz(tmp_path, ["a"] * 9).stdout)
    letter = {v: k for k, v in first["∂E_total/∂net_d1"][0].items()}
    order = list(first)
    files = []
    for name, pick in (("ann", "0.1452"), ("bob", "0.7199")):
        p = tmp_path / f"{name}.txt"
        p.write_text("\n".join(letter[pick] if s == "∂E_total/∂net_d1" else "zz" for s in order) + "\n")
        files.append(p)
    r = run("quiz", SWITCH, *STEP, "--phase", "delta", "--questions", "9", "--seed", "11",
            "--choices", "4", "--answers", *files)
    rows = [line.split(",") for line in r.stdout.strip().splitlines()[1:]]
    k = order.index("∂E_total/∂net_d1")
    assert [(row[0], row[3], row[5 + k]) for row in rows] == [("ann", "1", "1"), ("bob", "0", "0")]
