"""`neuronet quiz` marks by the rules of `neuronet mark`: an answer with
fewer decimals than asked is "too few decimals to mark" unless it is exact,
an old weight given for a new one is "not updated".

Right values: 002_25d3dd3a4f2fa46e.txt's printed numbers, as typed in
walkthroughs/switch-2-4-3-2/student-work.txt (its two slips, net_d1 and
∂E_total/∂out_c3, left out)."""
import re

from conftest import ROOT, SWITCH
from inproc import run

STEP = ["--input", "1,0", "--target", "0,1", "--lr", "0.5", "--notation", "net-out"]
WORK = ROOT / "walkthroughs" / "switch-2-4-3-2" / "student-work.txt"


def printed_002() -> dict[str, float]:
    out = {}
    for line in WORK.read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.startswith("#"):
            sym, val = (s.strip() for s in line.split("="))
            out[sym] = float(val)
    del out["net_d1"], out["∂E_total/∂out_c3"]           # the text's slips
    return out


def blocks(stdout: str) -> list[tuple[str, str]]:
    """(symbol asked, the verdict line) of each question."""
    out = []
    for b in stdout.split("\nQuestion ")[1:]:
        lines = b.splitlines()
        verdict = next(x for x in lines if x.startswith(("  right", "  wrong", "  no answer")))
        out.append((lines[1].split()[0], verdict))
    return out


def quiz(tmp_path, answers, *extra):
    f = tmp_path / "answers.txt"
    f.write_text("".join(a + "\n" for a in answers), encoding="utf-8")
    return run("quiz", SWITCH, *STEP, *extra, "--answers", f)


def test_answers_short_of_the_decimals_asked_are_not_right(tmp_path):
    common = ["--round", "4", "--phase", "forward", "--questions", "14", "--seed", "2"]
    asked = [s for s, _ in blocks(quiz(tmp_path, [], *common).stdout)]
    p = printed_002()
    # each answer: 002's number at 2 decimals (0.8513 → "0.85")
    answers = [f"{p[s]:.2f}" if s in p else "" for s in asked]
    got = blocks(quiz(tmp_path, answers, *common).stdout)
    short = [(s, v) for s, v in got if s in p and round(p[s], 2) != p[s]]
    exact = [(s, v) for s, v in got if s in p and round(p[s], 2) == p[s]]
    assert len(short) >= 5, got
    for s, v in short:
        assert v.startswith("  wrong — too few decimals to mark (4 asked)"), (s, v)
    for s, v in exact:              # net_b2 = 0.3 written 0.30: exact, right
        assert v.startswith("  right"), (s, v)


def test_the_old_weight_is_not_the_new_one(tmp_path):
    common = ["--round", "4", "--phase", "update", "--questions", "8", "--seed", "4"]
    first = quiz(tmp_path, [], *common).stdout
    olds = re.findall(r"given: \S+ = (\S+), \S+ = \S+, \S+ = (\S+)\n", first)
    assert len(olds) == 8
    r = quiz(tmp_path, [f"{float(o.replace('−', '-')):.4f}" for o, _ in olds], *common)
    got = blocks(r.stdout)
    for (o, g), (s, v) in zip(olds, got):
        # 0.5·gradient shows at 4 decimals unless the gradient is (nearly) 0
        moved = abs(0.5 * float(g.replace("−", "-"))) >= 0.00005
        assert v.startswith("  wrong — not updated") if moved else v.startswith("  right"), (s, g, v)
    assert any(v.startswith("  wrong — not updated") for _, v in got)


def test_decimals_without_round_asks_for_them_too(tmp_path):
    # net_b2 = w_b3·a_1 + w_b4·a_2 = 0.3·1 + 0.4·0 = 0.3 (002 §4, exact): "0.3" is right;
    # out_b2 = σ(0.3) = 0.574443 (by hand): "0.57" is short of 4 decimals, "0.5744" right
    common = ["--decimals", "4", "--phase", "forward", "--questions", "3", "--seed", "1"]
    asked = [s for s, _ in blocks(quiz(tmp_path, [], *common).stdout)]
    assert asked[:2] == ["net_b2", "out_b2"]
    got = blocks(quiz(tmp_path, ["0.3", "0.57"], *common).stdout)
    assert got[0][1].startswith("  right")                                          # exact: 0.3
    assert got[1][1].startswith("  wrong — too few decimals to mark (4 asked)")
    assert blocks(quiz(tmp_path, ["0.3", "0.5744"], *common).stdout)[1][1].startswith("  right")
