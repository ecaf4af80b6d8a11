"""--round N: a hand calculation that reproduces 002_25d3dd3a4f2fa46e.txt §4 and §7.

The golden numbers are the text's printed ones (walkthroughs/switch-2-4-3-2/printed.toml,
copied from the text, with section and symbol); the two slips are checked by
hand below.
"""
import neuronet
from neuronet.engine import events, passes
from neuronet.present import handcalc

from conftest import ROOT, SWITCH

PRINTED = ROOT / "walkthroughs" / "switch-2-4-3-2" / "printed.toml"


def test_half_up_as_a_person_rounds():
    r = handcalc.rounder(4)
    assert r("eta_grad", 0.0037 * 0.5) == 0.0019      # 0.00185 → 0.0019 (002 §7's halved W_cg)
    assert r("eta_grad", 0.00185) == 0.0019
    assert handcalc.rounder(3)("grad", 0.0625) == 0.063   # half-up, where Python's
    assert round(0.0625, 3) == 0.062                       # round() goes half-even
    assert r("grad", 0.003675) == 0.0037                 # 0.0070·0.5250 (002 §7 W_cg[3][1])
    assert r("delta", -0.02211484375) == -0.0221
    assert r("w", 0.3 - 0.0019) == 0.2981
    assert r("fprime_out", 0.20164399) == 0.20164399     # carried unrounded (see handcalc policy)
    assert handcalc.rounder(2, exact=())("fprime_out", 0.125) == 0.13


def _hand_step(rnd):
    net = neuronet.load(SWITCH)
    rec = events.Recorder()
    passes.step(net, [[1.0, 0.0]], [[0.0, 1.0]], 0.5, emit=rec, rnd=rnd)
    return net, rec


def test_round_4_reproduces_002_digit_for_digit_but_two_slips():
    net, rec = _hand_step(handcalc.rounder(4))
    printed = handcalc.load_printed(PRINTED)
    checked, diffs = handcalc.compare(rec.events, printed)
    # every number printed in §4 and §7 that the step computes: 6 + 4 + 3 + 3 + 2 + 2 (§4)
    # + 2 + 6 + 3 + 3 + 3 + 12 + 4 + 4 + 4 + 8 + 12 + 12 (§7)
    assert checked == len(printed) == 91
    assert [(d.section, d.what, d.printed, d.correct) for d in diffs] == [
        # §4 net_d1 = 0.3·0.6876 + 0.4·0.7802 + 0.5·0.8513 = 0.20628 + 0.31208 + 0.42565
        #           = 0.94401 → 0.9440 by hand; the text prints 0.9441
        ("§4", "net_d[1]", "0.9441", "0.9440"),
        # §7 ∂E/∂out_c3 = 0.5·0.1452 + 0.8·(−0.0221) = 0.0726 − 0.01768 = 0.05492 → 0.0549;
        # the text prints 0.0529
        ("§7", "∂E_total/∂out_c[3]", "0.0529", "0.0549"),
    ]
    # and its next number, ∂E/∂net_c3 = 0.0070, is 0.0549·0.1266 = 0.00695 → 0.0070
    # (0.0529·0.1266 = 0.00670 → 0.0067): the text computed on from the right value
    assert "computed from the correct 0.0549" in diffs[1].consequence
    assert "0.0067" in diffs[1].consequence
    # the numbers of 002's hand calculation: the halved gradient 0.0037·0.5 → 0.0019 and W_c[0][1] → 0.2981
    upd = {(e.layer, e.source, e.neuron): e for e in rec.of("update_w")}
    assert upd[(2, 1, 0)].term("grad") == 0.0037 and upd[(2, 1, 0)].term("step") == 0.0019
    assert upd[(2, 1, 0)].value == 0.2981
    assert net.weight(2, 1, 0) == 0.2981


def test_rounding_the_output_fprime_would_not_reproduce_002():
    """Why f'(z) of an output neuron is carried unrounded: 0.7199·0.2016 = 0.1451,
    but 002 §7 prints δ_d1 = (0.7199 − 0)·0.7199·(1 − 0.7199) = 0.14516 → 0.1452."""
    _, rec = _hand_step(handcalc.rounder(4, exact=()))
    _, diffs = handcalc.compare(rec.events, handcalc.load_printed(PRINTED))
    assert ("delta_out", 3, 0) in {(d.kind, d.layer, d.neuron) for d in diffs}
    assert len(diffs) > 2


def test_cli_round_4_reports_exactly_the_two_differences(cli):
    r = cli("trace", SWITCH, "--input", "1,0", "--target", "0,1", "--lr", "0.5", "--round", "4",
            "--notation", "net-out", "--printed", PRINTED)
    assert r.returncode == 0, r.stderr
    tail = r.stdout[r.stdout.index("hand calculation:"):].splitlines()
    assert tail[0] == ("hand calculation: 91 printed numbers checked, "
                       "2 differ from a correct hand calculation")
    assert len(tail) == 3
    assert tail[1].strip().startswith("§4 net_d[1]: the text prints 0.9441, a correct hand calculation gives 0.9440")
    assert tail[2].strip().startswith("§7 ∂E_total/∂out_c[3]: the text prints 0.0529")
    # the hand-rounded numbers are shown as carried: 002 §7 W_c_new[1][2] = 0.2981
    assert "w_c2 ← w_c2 − l·∂E_total/∂w_c2 = 0.3 − 0.5·0.0037 = 0.3 − 0.0019 = 0.2981" in \
        [" ".join(line.split()) for line in r.stdout.splitlines()]


def test_other_networks_compare_nothing(cli):
    # the same network with another target is not 002's computation: no report
    r = cli("trace", SWITCH, "--input", "1,0", "--target", "1,0", "--round", "4")
    assert r.returncode == 0 and "hand calculation" not in r.stdout
    r = cli("trace", SWITCH, "--input", "1,0", "--target", "0,1", "--round", "3")
    assert r.returncode == 0 and "hand calculation" not in r.stdout


def test_round_4_writes_results_with_four_decimals_as_002_prints_them(cli):
    # 002 §4 prints out_b = 0.5250 … and §7 W_c,new = 0.2483 …: a result carried at 4
    # decimals is written with 4, an unrounded product (0.3·0.5744 = 0.17232) as it is
    r = cli("trace", SWITCH, "--input", "1,0", "--target", "0,1", "--round", "4", "--notation", "net-out",
            "--format", "text")
    lines = [" ".join(line.split()) for line in r.stdout.splitlines()]
    assert "out_b1 = sig(net_b1) = sig(0.1) = 0.5250" in lines
    assert "net_d1 = (W_d·out_c)_1 = 0.94401 = 0.9440" in lines          # no biases in 002
    assert "w_c6·out_b2 = 0.5·0.5744 = 0.2872" in lines


def test_carried_pads_only_numbers_that_fit_the_decimals():
    from neuronet.present.notation import Carried, fmt
    c = Carried(4)
    assert [fmt(x, c) for x in (0.525, 0.944, 0.13125, 1.0, -0.0221)] == ["0.5250", "0.9440", "0.13125", "1", "−0.0221"]
