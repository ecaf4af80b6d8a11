"""One source for every count, errata that hold up, printed numbers as data.

Golden numbers: the count of numbers 002 prints in §4 and §7 is counted from
the text here (group by group); the two slips are 002's 0.9441 and 0.0529
(worked by hand in test_handcalc.py); 004 §3.2.3's printouts are the text's.
"""
import json
import re

import pytest

from neuronet.present import handcalc
from neuronet.teach import walkthroughs as wt

from conftest import ROOT, SWITCH

PRINTED = ROOT / "walkthroughs" / "switch-2-4-3-2" / "printed.toml"
# 002 §4: net_b 4, out_b 4, net_c 3, out_c 3, net_d 2, out_d 2;  §7: ∂E/∂net_d 2, W_dg 6,
# ∂E/∂out_c 3, sig'(net_c) 3, ∂E/∂net_c 3, W_cg 12, ∂E/∂out_b 4, sig'(net_b) 4, ∂E/∂net_b 4,
# W_bg 8, W_cg·l 12, W_c_new 12 — counted in the text
PRINTED_IN_002 = 4 + 4 + 3 + 3 + 2 + 2 + 2 + 6 + 3 + 3 + 3 + 12 + 4 + 4 + 4 + 8 + 12 + 12


def run(name, **options):
    return wt.run(wt.find(name), wt.Options(**options))


# -- the check summary ---------------------------------------------------------------

def test_switch_summary_is_computed_once_from_the_checks():
    r = run("switch-2-4-3-2")
    assert PRINTED_IN_002 == 91
    assert r.summary == (f"91 numbers the text prints: 89 agree with the text, 2 differ (slips in the text); "
                         "1 formula or claim of the text, evaluated: 1 agrees with ours")
    counts = wt.summarize(r.checks)
    assert counts["printed"] == {"checks": 91, "agree": 89, "slips": 2, "not_ok": 0}


def test_every_view_quotes_the_reports_summary(cli):
    r = cli("walkthrough", "switch-2-4-3-2")
    j = json.loads(cli("walkthrough", "switch-2-4-3-2", "--format", "json").stdout)
    assert j["summary"] in r.stdout.splitlines()
    assert j["counts"]["printed"]["checks"] == 91
    md = cli("walkthrough", "switch-2-4-3-2", "--format", "markdown").stdout
    assert j["summary"] in md


def test_readme_quotes_the_count_the_tracer_computes(cli):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    quoted = re.findall(r"hand calculation: (\d+) printed numbers checked, (\d+) differ", text)
    assert quoted                                     # README shows the report …
    r = cli("trace", SWITCH, "--input", "1,0", "--target", "0,1", "--lr", "0.5", "--round", "4",
            "--printed", PRINTED)
    got = re.search(r"hand calculation: (\d+) printed numbers checked, (\d+) differ", r.stdout).groups()
    assert set(quoted) == {got} == {("91", "2")}       # … with the numbers it prints


def test_narratives_quote_no_check_counts():
    for w in wt.registry():
        text = w.readme.read_text(encoding="utf-8")
        assert not re.search(r"\d+ (of \d+ )?(printed )?numbers?\W+(agree|differ|checked)", text), w.name
        assert not re.search(r"\d+ agree", text), w.name


def test_finite_differences_are_not_called_agreement_with_the_text():
    r = run("one-neuron-chain")
    assert "agree with the text" not in r.summary        # 004 §2.5 prints no numbers
    assert "5 numbers against finite differences: 5 agree" in r.summary
    assert {c.kind for c in r.checks} == {"fd", "formula"}


def test_ours_is_always_neuronets_number():
    """errata and switch put the same number on the same side: ours = the engine's
    hand calculation (0.9440), the text's = 0.9441 (002 §4 as printed)."""
    sw = {c.what: c for c in run("switch-2-4-3-2").checks}["net_d[1]"]
    er = {c.what: c for c in run("errata").checks}["002 §4: net_d1"]
    assert (round(sw.ours, 4), sw.reference) == (round(er.ours, 4), er.reference) == (0.944, 0.9441)


def test_no_internal_wording_in_any_walkthrough_output():
    for w in wt.registry():
        if w.name in ("digits", "iris"):
            r = run(w.name, quick=True) if w.name == "digits" else None
            if r is None:
                continue
        else:
            r = run(w.name)
        words = json.dumps(r.to_dict(), ensure_ascii=False)
        assert "issue" not in words.lower(), w.name
        assert "≥ 100%" not in words, w.name
    for path in (ROOT / "walkthroughs").glob("*/walkthrough.toml"):
        assert "issue" not in path.read_text(encoding="utf-8").lower(), path


# -- the errata sheet -------------------------------------------------------------------------

def test_errata_sheet_does_not_say_nothing_agrees_above_lines_marked_ok(cli):
    r = cli("walkthrough", "errata")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert not re.search(r"\b0 of \d+ numbers agree", out)
    summary = out[out.index("── checks"):].splitlines()[1]
    marked = len(re.findall(r"^ok .* differs: a slip in the text", out, re.M))
    assert sum(int(n) for n in re.findall(r"(\d+) differ", summary)) == marked
    report = run("errata")
    assert {c.kind for c in report.checks} == {"printed", "formula"}


def test_errata_reexamined_entries_are_kept_off_with_their_reason():
    r = run("errata")
    kept = next(s for s in r.sections if s.heading.startswith("Re-examined"))
    text = "\n".join(kept.lines)
    for where in ("001 \"Now, let's consider the input layer", "004 §2.4.1 lines 28–29",
                  "002 §7, layer c", "000 terminology table, rows u_k and o_k"):
        assert where in text, where
    assert text.count("not a slip:") == 5 == r.numbers["kept_off"]
    numbered = "\n".join(line for s in r.sections if s is not kept for line in s.lines)
    assert "the next layers output (layer b)" not in numbered
    assert "input layer z^[1]|a^[1]\"] the text" not in numbered


def test_errata_has_the_slips_the_review_found_missing():
    r = run("errata")
    out = "\n".join(line for s in r.sections for line in s.lines)
    for phrase in ("softmax treated as element-wise",            # 000 ∂l/∂w³ chain and the two paths
                   "∂E_total/∂net_c3",                            # 002 §5.2's vector
                   "comes from",                                  # 002 "leads to"
                   "eqs. (37)–(38)",                              # 004 columns of (33)
                   "Δcoeff = −learning_rate × gradients",         # 004 §4.1.1
                   "np.multiply(mat_activations,mat_deltas)",     # 004 §3.2.3
                   "at its input z_j",                            # 004 "at its output z_j"
                   "regardless of i or j",                        # 000 ∂u_i/∂b_j
                   "z^[3] = W_1^[3]T a^[2]"):                     # 001 shapes
        assert phrase in out, phrase
    # every numbered item carries evidence
    items = [line for line in out.splitlines() if re.match(r" ?\d+\. \[", line)]
    assert len(items) == r.numbers["slips"] and r.numbers["slips"] >= 40
    assert out.count("evidence: ") == len(items)
    assert "uses 0.0549 0.0529" not in out                        # the old garbled line
    assert "0.0549·0.1266 = 0.00695 → 0.0070, as printed; from 0.0529 it would be 0.0529·0.1266 = 0.00670 → 0.0067" in out


def test_errata_000_softmax_evidence_is_the_engines():
    """With y₁ = 0 the text's ∂l/∂o³₁·∂o³₁/∂u³₁ is 0 but ∂l/∂u³₁ = o³₁ (finite differences)."""
    c = {c.what: c for c in run("errata").checks}["000: ∂l/∂w³₁,₁ with softmax element-wise"]
    assert c.reference == 0.0 and c.ours > 0.1 and c.ok


# -- printed numbers are data, the tracer recognises no network --------------------------------

def test_no_fingerprint_of_002_left():
    assert not hasattr(handcalc, "matches_002") and not hasattr(handcalc, "WALKTHROUGH_002")


def test_round_4_alone_compares_nothing(cli):
    r = cli("trace", SWITCH, "--input", "1,0", "--target", "0,1", "--lr", "0.5", "--round", "4")
    assert r.returncode == 0 and "hand calculation:" not in r.stdout


def test_printed_file_holds_the_texts_91_numbers_as_strings():
    p = handcalc.load_printed(PRINTED)
    assert len(p) == PRINTED_IN_002 and p.decimals == 4
    assert p[("a", 1, 0, None, None)] == ("0.5250", "§4", "out_b[1]")        # 002 §4 prints 0.5250
    assert p[("update_w", 2, 0, 1, "step")] == ("0.0019", "§7", "W_cg·l[1][2]")


@pytest.mark.parametrize("content, message", [
    ("x = 1", "needs [[printed]] groups"),
    ("[[printed]]\nsection = \"§4\"\nsymbol = \"s\"\nevent = \"z\"\nlayer = 1\nvalues = [0.1]",
     "write the number as printed, in quotes"),
    ("[[printed]]\nsection = \"§4\"\nsymbol = \"s\"\nevent = \"z\"\nlayer = 1\nvalues = [\"x\"]", "is not a number"),
    ("[[printed]]\nsection = \"§4\"\nsymbol = \"s\"\nlayer = 1\nvalues = [\"1\"]", "needs event"),
    ("[[printed]\n", "is not valid TOML"),
])
def test_bad_printed_file_is_one_line_exit_2(cli, tmp_path, content, message):
    bad = tmp_path / "printed.toml"
    bad.write_text(content, encoding="utf-8")
    r = cli("trace", SWITCH, "--input", "1,0", "--target", "0,1", "--round", "4", "--printed", bad)
    assert r.returncode == 2 and r.stdout == ""
    assert len(r.stderr.strip().splitlines()) == 1 and str(bad) in r.stderr and message in r.stderr


def test_printed_without_round_says_which_round(cli):
    r = cli("trace", SWITCH, "--input", "1,0", "--target", "0,1", "--printed", PRINTED)
    assert r.returncode == 2 and "add --round 4" in r.stderr and r.stdout == ""


# -- 004 §3.2.3, §2.1; 000's n ----------------------------------------------------------------

def test_broadcast_rebuilds_the_texts_printouts_and_the_real_layer():
    r = run("broadcast-delta-w")
    assert r.ok
    assert wt.summarize(r.checks)["printed"] == {"checks": 40, "agree": 40, "slips": 0, "not_ok": 0}
    # 002 §7 prints W_dg = [[0.0998, 0.1133, 0.1236], [−0.0152, −0.0172, −0.0188]] (hand mode,
    # 4 decimals); the broadcast product is the same matrix in full precision
    text = [[0.0998, 0.1133, 0.1236], [-0.0152, -0.0172, -0.0188]]
    for row, trow in zip(r.numbers["product"], text):
        assert all(abs(v - t) < 1.5e-4 for v, t in zip(row, trow))


def test_xor_starts_its_biases_at_004s_0_01():
    import neuronet
    net = neuronet.load(wt.find("xor").path("network.toml"))
    assert [n.b for layer in net.layers[1:] for n in layer] == [0.01] * 4     # 004 §2.1: "b": 0.01
    assert run("xor").numbers["accuracy"] == 1.0


def test_gradient_paths_says_which_n_and_why():
    r = run("gradient-paths")
    sec = next(s for s in r.sections if s.heading.startswith("The 4 paths"))
    text = "\n".join(sec.lines)
    assert "n = 3" in text and "4 layered" in text and "2^3 = 8" in text


def test_broadcast_without_numpy_builds_the_same_arrays(monkeypatch):
    from neuronet.teach.walkthroughs import broadcast
    monkeypatch.setattr(broadcast, "_np", lambda: None)
    r = run("broadcast-delta-w")
    assert r.ok and not r.numbers["numpy"]
    assert wt.summarize(r.checks)["printed"]["agree"] == 40


def test_polynomial_without_numpy_runs_the_moments(monkeypatch):
    from neuronet.teach.walkthroughs import polynomial
    monkeypatch.setattr(polynomial, "matrix_backend", lambda: None)
    r = run("polynomial-sin")
    assert r.ok and r.numbers["how"].startswith("the data moments")
    with_numpy = run("polynomial-sin").numbers
    assert all(abs(r.numbers[k] - with_numpy[k]) < 1e-9 for k in "abcd")


def test_broadcast_step_opens_on_its_real_layer(cli):
    r = cli("walkthrough", "broadcast-delta-w", "--step")    # its spec is 002's, named in params
    assert r.returncode == 0, r.stderr
    assert "0.1·1" in r.stdout                                  # 002 §4: w_b1·a1 = 0.1·1


def test_python_trace_compares_with_the_printed_file_it_is_given():
    from neuronet.present.tracing import trace
    t = trace(str(SWITCH), [1, 0], [0, 1], eta=0.5, decimals=4, printed=PRINTED)
    assert t.result.checked == 91
    # 002 §4 prints net_d1 = 0.9441 and §7 ∂E/∂out_c3 = 0.0529 (worked by hand in test_handcalc.py)
    assert [(d.what, d.printed) for d in t.differences] == [("net_d[1]", "0.9441"), ("∂E_total/∂out_c[3]", "0.0529")]
    assert trace(str(SWITCH), [1, 0], [0, 1], eta=0.5, decimals=4).differences == []   # no file, no comparison


def test_errata_has_the_slips_a_lecturer_found_missing():
    # each read off the seed text by line (004: /work/shared/seeds/004_*.txt line 192, eq. 43 at
    # line 511; 002: lines 158, 168, 215/219), each with its evidence
    r = run("errata")
    out = "\n".join(line for s in r.sections for line in s.lines)
    for phrase in ("[§3.2.3 eq. (43)]", "are 4×2", "−η δ_0 a_0",
                   "[§2.4.1 line 19 (seed line 192)]", "no line of it changes a bias",
                   "[§5.2 line 158]", "[§5.2 line 168]", "a 2×1 column",
                   "[§5.2 eq. (8), line 215]", "line 219 cites",
                   # re-examined evidence: 004 eq. (11) in numbers (a calculator on the chain's
                   # x = 0.5, b_i = 0.1, w_ij = 0.4, w_jk = 0.7: σ(0.7·σ(0.4·σ(0.6))) = 0.597473),
                   # 003's ∂z³₁/∂h²₁ by shape
                   "(11) as printed gives a_k = 0.597473", "only 2 weights w²_i,1 into it"):
        assert phrase in out, phrase


def test_errata_000_path_count_is_re_examined_kept_off():
    # gradient-paths counts 8 paths from l (through the softmax) and 4 from ∂l/∂u³:
    # 2^(n−k) with n = 4, k = 1 is the real graph's count
    r = run("errata")
    kept = "\n".join(line for s in r.sections for line in s.lines if "path count" in line or "paths from l" in line)
    assert "[000 Hidden Layer 1, the path count]" in kept and "8 paths from l" in kept
    g = run("gradient-paths")
    assert (g.numbers["paths"], g.numbers["paths_from_l"]) == (4, 8)


def test_errata_reexamined_004_signed_loss_and_000_layer_numbering():
    r = run("errata")
    out = "\n".join(line for s in r.sections for line in s.lines)
    # 004 §3: the engine's forward pass with W_d = 0 gives out_d = ½, ½ against targets (0, 1):
    # both outputs wrong, the signed sum 0 (errors cancel), ½Σ(target − out)² = 0.25 (by hand)
    item = out[out.index("[§3, first paragraph]"):]
    item = item[:item.index("\n18.")] if "\n18." in item else item
    assert "Σ(target − out) = 0 —" in item and "½Σ(target − out)² = 0.2500" in item
    # 000's table: the W/B/w/b rows are the slip (line 36 "o_i^3 is the actual output", eq. (3)
    # u³ = o²W³ + B³); the u_k / o_k rows are kept off with the reason
    assert "[terminology table, rows W_k, B_k, w^k_{i,j}, b^k_j]" in out
    assert "W_k connecting layers k − 1 and k" in out
    kept = next(s for s in r.sections if s.heading.startswith("Re-examined"))
    assert any("terminology table, rows u_k and o_k" in line for line in kept.lines)
    m = re.search(r"b³₁ = (−?[\d.]+) is the engine's z of layer 3, neuron 1 \((−?[\d.]+)\)", out)
    assert m and m.group(1) == m.group(2)
