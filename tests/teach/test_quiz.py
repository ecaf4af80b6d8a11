"""`neuronet quiz` driven with right and wrong answers.

The right answers never come from the quiz's own code:
* z, a and δ: the numbers printed in 002_25d3dd3a4f2fa46e.txt §4 and §7
  (4 decimals, intermediates carried rounded — hence --round 4).  The text's
  net_d1 = 0.9441 sums products it rounded first (0.2063 + 0.3121 + 0.4257);
  hand-calculation mode rounds the sum, 0.94401 → 0.9440, so net_d1 is left
  out of the table; its ∂E/∂out_c3 = 0.0529 is a typo
  that the text does not carry on (its δ_c3 = 0.0070 is 0.0549·0.1266), so
  the δ values are all in;
* gradients: central finite differences of the loss, computed here with the
  forward pass only.
"""
import re

import neuronet
from neuronet.engine import passes

# (category, layer, neuron) -> value printed in 002 (layers a, b, c, d = 0 … 3)
P002 = {
    ("a", 0, 0): 1.0, ("a", 0, 1): 0.0,                                  # a1 = 1, a2 = 0
    ("z", 1, 0): 0.1, ("z", 1, 1): 0.3, ("z", 1, 2): 0.5, ("z", 1, 3): 0.7,   # net_b
    ("a", 1, 0): 0.5250, ("a", 1, 1): 0.5744, ("a", 1, 2): 0.6225, ("a", 1, 3): 0.6682,
    ("z", 2, 0): 0.7887, ("z", 2, 1): 1.2667, ("z", 2, 2): 1.7448,          # net_c
    ("a", 2, 0): 0.6876, ("a", 2, 1): 0.7802, ("a", 2, 2): 0.8513,
    ("z", 3, 1): 1.6397,                                                    # net_d2
    ("a", 3, 0): 0.7199, ("a", 3, 1): 0.8375,
    ("delta", 3, 0): 0.1452, ("delta", 3, 1): -0.0221,                      # ∂E/∂net_d
    ("delta", 2, 0): 0.0065, ("delta", 2, 1): 0.0073, ("delta", 2, 2): 0.0070,   # ∂E/∂net_c
    ("delta", 1, 0): 0.0024, ("delta", 1, 1): 0.0026, ("delta", 1, 2): 0.0027,   # ∂E/∂net_b
    ("delta", 1, 3): 0.0028,
}
X, Y = [1.0, 0.0], [0.0, 1.0]
Q = re.compile(r"Question (\d+) of (\d+) · (\w+) · ([\w ]+)\n  (\S+)  \((.*)\)\n")


def questions(text):
    out = []
    for m in Q.finditer(text):
        cat, what = m.group(4), m.group(6)
        # the CLI's 0-based addresses (--weight L:I:J, --neuron L:N), beside the text's 1-based labels
        w = re.search(r"--weight (\d+):(\d+):(\d+)", what)
        if w:
            out.append((cat, "w", *map(int, w.groups())))
        else:
            l, j = map(int, re.search(r"--neuron (\d+):(\d+)", what).groups())
            out.append((cat, "n", l, j))
    return out


def verdicts(text):
    return re.findall(r"\n  (right|wrong|not a number|no answer)", text)


def test_quiz_marks_002_numbers_right_and_others_wrong(cli, switch_spec, tmp_path):
    common = ["quiz", switch_spec, "--input", "1,0", "--target", "0,1", "--lr", "0.5", "--round", "4",
              "--phase", "forward", "--phase", "delta", "--questions", "12", "--seed", "7"]
    empty = tmp_path / "none.txt"
    empty.write_text("")
    first = cli(*common, "--answers", empty)
    assert first.returncode == 0, first.stderr
    asked = questions(first.stdout)
    assert len(asked) == 12 and verdicts(first.stdout) == ["no answer"] * 12

    answers, expect = [], []
    for cat, _, l, j in asked:
        known = P002.get((cat, l, j))
        if known is None:
            answers.append("999")
            expect.append("wrong")
        else:
            answers.append(f"{known:.4f}")
            expect.append("right")
    assert expect.count("right") >= 4
    k = expect.index("right")                  # one answer off in the 3rd decimal: wrong
    answers[k] = f"{P002[(asked[k][0], asked[k][2], asked[k][3])] + 0.002:.4f}"
    expect[k] = "wrong"
    f = tmp_path / "answers.txt"
    f.write_text("\n".join(answers) + "\n")
    r = cli(*common, "--answers", f)
    assert r.returncode == 0, r.stderr
    assert verdicts(r.stdout) == expect
    assert f"score: {expect.count('right')} of 12" in r.stdout
    # a wrong answer is followed by the derivation of that term
    assert r.stdout.count("here is how:") == expect.count("wrong")


def _loss(net):
    passes.forward(net, X)
    return passes.loss(net, Y)


def finite_difference(spec, kind, l, i, j, h=1e-6):
    net = neuronet.load(spec)

    def bump(d):
        if kind == "w":
            net.layers[l - 1][i].w[j] += d
        else:
            net.layers[l][j].b += d
    bump(h)
    up = _loss(net)
    bump(-2 * h)
    down = _loss(net)
    return (up - down) / (2 * h)


def test_quiz_gradients_against_finite_differences(cli, switch_spec, tmp_path):
    common = ["quiz", switch_spec, "--input", "1,0", "--target", "0,1", "--phase", "gradient",
              "--questions", "5", "--seed", "11"]
    empty = tmp_path / "none.txt"
    empty.write_text("")
    asked = questions(cli(*common, "--answers", empty).stdout)
    assert len(asked) == 5
    answers = []
    for cat, what, l, *idx in asked:
        assert cat == "gradient"
        if what == "w":
            g = finite_difference(switch_spec, "w", l, *idx)
        else:
            g = finite_difference(switch_spec, "b", l, None, idx[0])
        answers.append(f"{g:.8g}")
    answers[-1] = f"{float(answers[-1]) * 1.5 + 0.01:.8g}"     # clearly wrong
    f = tmp_path / "answers.txt"
    f.write_text("\n".join(answers) + "\n")
    r = cli(*common, "--answers", f)
    assert r.returncode == 0, r.stderr
    assert verdicts(r.stdout) == ["right"] * 4 + ["wrong"]
    assert "score: 4 of 5" in r.stdout


def test_quiz_reads_piped_answers_asks_again_and_stops_at_end_of_input(cli, switch_spec):
    # "abc" is not an answer: asked again; end of input ends the quiz with
    # the score of what was answered (none here), not a made-up count
    r = cli("quiz", switch_spec, "--input", "1,0", "--target", "0,1", "--phase", "forward",
            "--questions", "3", "--seed", "1", input="abc\n")
    assert r.returncode == 0, r.stderr
    assert "'abc' is not a number" in r.stdout
    assert verdicts(r.stdout) == []
    assert "score: 0 of 0 answered (the quiz ended at question 1 of 3)" in r.stdout
