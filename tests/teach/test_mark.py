"""neuronet mark: a student's hand calculation, line by line.

Golden source: the numbers printed in 002 §4/§7, typed into
walkthroughs/switch-2-4-3-2/student-work.txt in 002's own spelling.  002 has
exactly two slips (handcalc.compare finds them independently, see
test_trace.py): net_d1 = 0.9441 (0.3·0.6876 + 0.4·0.7802 + 0.5·0.8513 =
0.94401 → 0.9440) and ∂E_total/∂out_c3 = 0.0529 (0.5·0.1452 + 0.8·(−0.0221)
= 0.05492 → 0.0549)."""
import re

import pytest

import neuronet
from neuronet.present import handcalc
from neuronet.present.tracing import trace

from conftest import ROOT, SWITCH, run_cli

WORK = ROOT / "walkthroughs" / "switch-2-4-3-2" / "student-work.txt"
STEP = ["--input", "1,0", "--target", "0,1", "--lr", "0.5"]


def wrong_lines(stdout):
    return re.findall(r"line +(\d+) +(\S+) += (\S+) +WRONG", stdout)


def test_002s_printed_numbers_mark_exactly_its_two_slips_wrong():
    r = run_cli("mark", SWITCH, *STEP, "--notation", "net-out", WORK)
    assert r.returncode == 1, r.stderr
    assert wrong_lines(r.stdout) == [("18", "net_d1", "0.9441"), ("34", "∂E_total/∂out_c3", "0.0529")]
    assert "89 right, 2 wrong, 0 unknown (of 91 lines)" in r.stdout
    # the corrections are 002's own arithmetic redone (module docstring)
    assert "WRONG: net_d1 = 0.9440" in r.stdout
    assert "WRONG: ∂E_total/∂out_c3 = 0.0549" in r.stdout
    # the worked step of the first wrong line ends in the right number
    assert "net_d1 = (W_d·out_c)_1 = 0.94401 = 0.9440" in r.stdout
    # and names the text's slip: 0.3·0.6876 = 0.20628 → 0.2063, 0.4·0.7802 =
    # 0.31208 → 0.3121, 0.5·0.8513 = 0.42565 → 0.4257 (half-up); their sum is
    # the printed 0.9441
    assert ("likely mistake: a rounding slip: each product rounded before adding them "
            "(0.2063 + 0.3121 + 0.4257 = 0.9441)") in r.stdout


def test_the_two_slips_are_the_ones_handcalc_compare_finds():
    net = neuronet.load(SWITCH)
    t = trace(net, [1, 0], [0, 1], 0.5, decimals=4)
    printed = handcalc.load_printed(SWITCH.parent / "printed.toml")     # 002's numbers, as data
    _, diffs = handcalc.compare(list(t), printed, decimals=4)
    assert sorted(d.printed for d in diffs) == ["0.0529", "0.9441"]


def test_the_corrected_file_is_all_right_exit_0(tmp_path):
    fixed = WORK.read_text(encoding="utf-8").replace("net_d1 = 0.9441", "net_d1 = 0.9440") \
        .replace("∂E_total/∂out_c3 = 0.0529", "∂E_total/∂out_c3 = 0.0549")
    p = tmp_path / "fixed.txt"
    p.write_text(fixed, encoding="utf-8")
    r = run_cli("mark", SWITCH, *STEP, "--notation", "net-out", p)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "91 right, 0 wrong, 0 unknown" in r.stdout


# Each mistake recomputed by hand from 002's printed numbers:
#   wrong sign: δ_d1 = 0.1452 written −0.1452
#   f′ left out: δ_c2 = 0.1715·0.0426 = 0.0073; without f′ it is 0.0426
#   updated weight: ∂E/∂out_c1 with w_d1' = 0.3 − 0.5·0.0998 = 0.2501 and
#     w_d4' = 0.6 + 0.5·0.0152 = 0.6076: 0.1452·0.2501 − 0.0221·0.6076 = 0.0229
#   neighbour: δ_c2 written as δ_c1 = 0.0065
#   rounding slip: out_b1 = 0.5250 written 0.5249
#   copying slip: out_c2 = 0.7802 written 0.7302
@pytest.mark.parametrize("line, kind", [
    ("∂E_total/∂net_d1 = -0.1452", "a wrong sign"),
    ("∂E_total/∂net_c2 = 0.0426", "f′ left out"),
    ("∂E_total/∂out_c1 = 0.0229", "the updated instead of the old weight"),
    ("∂E_total/∂net_c2 = 0.0065", "a neighbouring term: ∂E_total/∂net_c1"),
    ("out_b1 = 0.5249", "a rounding slip"),
    ("out_c2 = 0.7302", "a copying slip"),
])
def test_the_likely_mistake_is_named(tmp_path, line, kind):
    p = tmp_path / "w.txt"
    p.write_text(line + "\n", encoding="utf-8")
    r = run_cli("mark", SWITCH, *STEP, "--notation", "net-out", p)
    assert r.returncode == 1
    assert f"likely mistake: {kind}" in r.stdout


def test_delta_notation_spellings_and_a_student_who_kept_more_digits(tmp_path):
    p = tmp_path / "w.txt"
    # 004's symbols (layers k, j, i, h); δ_k1 is 002's ∂E_total/∂net_d2 = −0.0221
    p.write_text("δ_k1 = -0.0221\nδ_{k0} = 0.1452\nw_j0k0' = 0.2501\n"
                 "z_i0 = 0.1\n", encoding="utf-8")
    r = run_cli("mark", SWITCH, *STEP, p)
    assert r.returncode == 0, r.stdout
    assert "4 right, 0 wrong, 0 unknown" in r.stdout


def test_unknown_symbols_are_reported_not_fatal(tmp_path):
    p = tmp_path / "w.txt"
    p.write_text("out_b1 = 0.5250\nnet_q7 = 1\n", encoding="utf-8")
    r = run_cli("mark", SWITCH, *STEP, "--notation", "net-out", p)
    assert r.returncode == 0
    assert "net_q7" in r.stdout and "unknown symbol" in r.stdout
    assert "1 right, 0 wrong, 1 unknown" in r.stdout


@pytest.mark.parametrize("content, message", [
    ("out_b1 0.5250\n", "line 1: expected 'symbol = value'"),
    ("out_b1 = abc\n", "line 1: 'abc' is not a number"),
    ("# nothing\n", "no 'symbol = value' lines"),
])
def test_bad_work_is_one_line_exit_2(tmp_path, content, message):
    p = tmp_path / "w.txt"
    p.write_text(content, encoding="utf-8")
    r = run_cli("mark", SWITCH, *STEP, p)
    assert r.returncode == 2
    assert r.stdout == "" and len(r.stderr.strip().splitlines()) == 1
    assert message in r.stderr and str(p) in r.stderr


def test_missing_work_file_and_negative_input(tmp_path):
    r = run_cli("mark", SWITCH, *STEP, tmp_path / "none.txt")
    assert r.returncode == 2 and "no such file" in r.stderr
    p = tmp_path / "w.txt"
    p.write_text("z_h0 = -1\n", encoding="utf-8")
    r = run_cli("mark", SWITCH, "--input", "-1,0", "--target", "0,1", p)
    assert r.returncode == 0, r.stderr


def test_lines_that_show_their_working(tmp_path):
    p = tmp_path / "w.txt"
    # 002 §4's own working for net_d1, and §7's update of w_c1 (0.25 − 0.0017)
    p.write_text("net_d1 = 0.2063 + 0.3121 + 0.4257 = 0.9441\nw_c1 ← 0.25 − 0.0017 = 0.2483\n"
                 "w_c2 ← 0.2981\n", encoding="utf-8")
    r = run_cli("mark", SWITCH, *STEP, "--notation", "net-out", p)
    assert r.returncode == 1
    assert re.search(r"line +1 +net_d1 += 0.9441 +WRONG", r.stdout)
    assert re.search(r"line +2 +w_c1' += 0.2483 +right", r.stdout)
    assert re.search(r"line +3 +w_c2' += 0.2981 +right", r.stdout)


def test_a_slip_carried_on_is_marked_carried_not_wrong(tmp_path):
    # net_d1 = 0.9500 is a slip (0.9440); then, by hand from it:
    #   out_d1 = σ(0.95) = 0.72111 → 0.7211
    #   ∂E/∂net_d1 = 0.7211·0.7211·(1 − 0.7211) = 0.14502 → 0.1450
    #   ∂E/∂w_d1 = 0.1450·0.6876 = 0.099702 → 0.0997
    # all right arithmetic on the student's own number: carried, not wrong
    p = tmp_path / "w.txt"
    p.write_text("net_d1 = 0.9500\nout_d1 = 0.7211\n∂E_total/∂net_d1 = 0.1450\n∂E_total/∂w_d1 = 0.0997\n"
                 "out_d2 = 0.8375\n∂E_total/∂net_d2 = -0.0300\n", encoding="utf-8")
    r = run_cli("mark", SWITCH, *STEP, "--notation", "net-out", p)
    assert r.returncode == 1
    assert wrong_lines(r.stdout) == [("1", "net_d1", "0.9500"), ("6", "∂E_total/∂net_d2", "-0.0300")]
    for n, right in ((2, "0.7199"), (3, "0.1452"), (4, "0.0998")):
        assert re.search(rf"line +{n} .* carried: carried on from the slip on line 1: right from the "
                         rf"numbers written there \(the right number is {right}\)", r.stdout), r.stdout
    assert "1 right, 2 wrong, 3 carried on from a slip, 0 unknown (of 6 lines)" in r.stdout


def test_a_loss_term_and_a_new_weight_carry_a_slip_too(tmp_path):
    # out_d1 = 0.7300 is a slip (0.7199); by hand from it (002 §5.1):
    #   E_d1 = ½·(0 − 0.7300)² = 0.26645 → 0.2665 (the loss is not a rounded step of the pass)
    # and l·∂E/∂w_c1 = 0.0027 is a slip (0.0017); from it:
    #   w_c1' = 0.25 − 0.0027 = 0.2473
    # the two later lines are right arithmetic on the student's numbers: carried
    p = tmp_path / "w.txt"
    p.write_text("out_d1 = 0.7300\nE_d1 = 0.2665\nl·∂E_total/∂w_c1 = 0.0027\nw_c1' = 0.2473\n", encoding="utf-8")
    r = run_cli("mark", SWITCH, *STEP, "--notation", "net-out", p)
    assert wrong_lines(r.stdout) == [("1", "out_d1", "0.7300"), ("3", "l·∂E_total/∂w_c1", "0.0027")], r.stdout
    assert re.search(r"line +2 .* carried: carried on from the slip on line 1", r.stdout), r.stdout
    assert re.search(r"line +4 .* carried: carried on from the slip on line 3", r.stdout), r.stdout


def test_default_decimals_are_the_texts_printed_precision_for_a_walkthroughs_network(tmp_path):
    from inproc import run
    mazur = ROOT / "walkthroughs" / "mazur-2-2-2"
    # Mazur prints out_h1 = 0.593269992 (9 decimals; his printed.toml says decimals = 9):
    # 4 of them are too few to mark on his network, all 9 are right; net_h1 = 0.3775 is exact
    # (0.15·0.05 + 0.2·0.1 + 0.35), so its 4 decimals are all there are
    work = tmp_path / "w.txt"
    work.write_text("out_h1 = 0.5933\nnet_h1 = 0.3775\n", encoding="utf-8")
    mazur_step = ["--input", "0.05,0.1", "--target", "0.01,0.99", "--lr", "0.5", "--notation", "net-out"]
    r = run("mark", mazur / "network.toml", *mazur_step, work)
    assert "9 asked" in r.stdout, r.stdout
    assert "too few decimals to mark" in r.stdout
    assert "1 right, 0 wrong, 1 with too few decimals" in r.stdout
    work.write_text("out_h1 = 0.593269992\n", encoding="utf-8")
    r = run("mark", mazur / "network.toml", *mazur_step, work)
    assert r.returncode == 0 and "1 right, 0 wrong" in r.stdout, r.stdout
    # the same network copied out of its walkthrough is any spec: the hand-mode 4
    copy = tmp_path / "network.toml"
    copy.write_text((mazur / "network.toml").read_text(encoding="utf-8"), encoding="utf-8")
    work.write_text("out_h1 = 0.5933\n", encoding="utf-8")
    r = run("mark", copy, *mazur_step, work)
    assert "4 asked" in r.stdout and "1 right, 0 wrong" in r.stdout, r.stdout
    # 002's walkthrough prints 4 decimals: its default is 4 (and --decimals still wins)
    r = run("mark", SWITCH, *STEP, "--notation", "net-out", work)
    assert "4 asked" in r.stdout
    r = run("mark", mazur / "network.toml", *mazur_step, "--decimals", "4", work)
    assert "4 asked" in r.stdout and "1 right, 0 wrong" in r.stdout
