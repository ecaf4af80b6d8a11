"""`neuronet mark` never passes a wrong answer: the decimals rule, "too few
decimals to mark", "not updated", and values that overflowed.

Every right value below is 002_25d3dd3a4f2fa46e.txt's printed number (§4,
§7) for its 2-4-3-2 network, input (1, 0), target (0, 1), l = 0.5 — or
redone from those numbers by hand where the text does not print it:
  w_d1' = 0.3 − 0.5·0.0998 = 0.2501     w_d4' = 0.6 − 0.5·(−0.0152) = 0.6076
  w_b1' = 0.1 − 0.5·0.0024 = 0.0988     w_c1' = 0.2483 (002 line 389)
The exercise asks for 4 decimals (the hand-mode policy; 002 line 62)."""
import re

import pytest

from conftest import SWITCH
from inproc import run

STEP = ["--input", "1,0", "--target", "0,1", "--lr", "0.5", "--notation", "net-out"]
SHORT = "too few decimals to mark"
NOT_UPDATED = "not updated"


def mark(tmp_path, text, *extra, spec=SWITCH, step=STEP):
    p = tmp_path / "work.txt"
    p.write_text(text, encoding="utf-8")
    return run("mark", spec, *step, *extra, p)


# (a student's line, what it must be marked, the true value by 002)
WRONG_ANSWERS = [
    ("out_d1 = 1", SHORT),                       # 0.7199: only agrees at 0 decimals
    ("out_d1 = 0.7", SHORT),                     # 0.7199
    ("out_d1 = 0.72", SHORT),                    # 0.7199
    ("out_d1 = 0.8", "WRONG"),                   # 0.7199 is 0.7 at one decimal
    ("net_d2 = 1.64", SHORT),                    # 1.6397
    ("out_c3 = 0.85", SHORT),                    # 0.8513
    ("∂E_total/∂w_b1 = 0", SHORT),               # 0.0024
    ("∂E_total/∂w_d1 = 0.1", SHORT),             # 0.0998
    ("∂E_total/∂net_d1 = -0.1452", "WRONG"),     # 0.1452: a wrong sign
    ("w_d1' = 0.3", NOT_UPDATED),                # 0.2501: the old weight
    ("w_d4' = 0.6", NOT_UPDATED),                # 0.6076
    ("w_c1' = 0.25", NOT_UPDATED),               # 0.2483
    ("w_c1' = 0.2500", NOT_UPDATED),             # 0.2483, old weight with 4 decimals
    ("w_b1' = 0.1", NOT_UPDATED),                # 0.0988
    ("w_d1' = 0.25", SHORT),                     # 0.2501: not the old 0.3, but only 2 decimals
    ("net_c1 = 0.789", SHORT),                   # 0.7887
]


@pytest.mark.parametrize("line, verdict", WRONG_ANSWERS)
def test_a_wrong_or_short_answer_is_never_right(tmp_path, line, verdict):
    r = mark(tmp_path, line + "\n")
    assert r.returncode == 1, r.stdout + r.stderr
    row = r.stdout.splitlines()[1]
    assert "right" not in row.split("=", 1)[1].split()[1:2], row   # the verdict word is not "right"
    assert verdict in row, row
    assert "0 right" in r.stdout


def test_the_table_has_every_kind_and_at_least_twelve_answers():
    kinds = {v for _, v in WRONG_ANSWERS}
    assert len(WRONG_ANSWERS) >= 12 and kinds == {SHORT, NOT_UPDATED, "WRONG"}


@pytest.mark.parametrize("line", [
    "net_b1 = 0.1",                 # 002 line 52 writes it so: exactly 0.1000
    "∂E_total/∂w_b2 = 0",           # 002 line 367: 0.0024·0 is exactly 0
    "out_b1 = 0.525",               # 0.5250 (002 line 60) written without its last zero
    "w_b2' = 0.2",                  # ∂E/∂w_b2 = 0: the update leaves 0.2, which is right
    "out_b1 = 0.52498",             # more decimals than asked: σ(0.1) = 0.5249792 (a calculator)
])
def test_a_short_number_that_is_exact_is_right(tmp_path, line):
    r = mark(tmp_path, line + "\n")
    assert r.returncode == 0, r.stdout
    assert "1 right, 0 wrong" in r.stdout


def test_decimals_sets_the_precision_asked(tmp_path):
    # at 2 decimals 0.72 is the value 0.7199; at 6 the text's own 0.7199 is too short
    assert mark(tmp_path, "out_d1 = 0.72\n", "--decimals", "2").returncode == 0
    r = mark(tmp_path, "out_d1 = 0.7199\n", "--decimals", "6")
    assert r.returncode == 1 and SHORT in r.stdout and "6 asked" in r.stdout


def test_the_report_counts_the_short_lines(tmp_path):
    r = mark(tmp_path, "out_d1 = 0.72\nout_d2 = 0.8375\nw_d1' = 0.3\n")
    assert "1 right, 1 wrong, 1 with too few decimals, 0 unknown (of 3 lines)" in r.stdout
    assert re.search(r"WRONG: w_d1' = 0\.2501 \(not updated", r.stdout), r.stdout


def test_a_value_that_overflowed_is_never_right(tmp_path):
    # 1-1 identity, w = 1e308, x = 10: z = 1e309 overflows to ∞ (IEEE 754 double
    # max ≈ 1.8e308); no number a student writes is within half a unit of ∞
    spec = tmp_path / "big.json"
    spec.write_text('{"loss": "half_sse", "layers": [{"size": 1}, '
                    '{"size": 1, "activation": "identity", "weights": [[1e308]]}]}', encoding="utf-8")
    # a 1-1 chain: 004 §2.5's letters, input j, output k
    r = mark(tmp_path, "z_k = 99\na_k = 1e308\n", spec=spec, step=["--input", "10", "--target", "0"])
    assert r.returncode == 1, r.stdout + r.stderr
    assert "0 right" in r.stdout and "2 overflowed" in r.stdout
    assert r.stdout.count("cannot be marked") == 2


def test_002s_printed_numbers_still_mark_exactly_its_two_slips(tmp_path):
    from conftest import ROOT
    work = ROOT / "walkthroughs" / "switch-2-4-3-2" / "student-work.txt"
    r = run("mark", SWITCH, *STEP, work)
    assert r.returncode == 1
    assert re.findall(r"line +(\d+) +(\S+) += (\S+) +WRONG", r.stdout) == [
        ("18", "net_d1", "0.9441"), ("34", "∂E_total/∂out_c3", "0.0529")]
    assert "89 right, 2 wrong, 0 unknown (of 91 lines)" in r.stdout
