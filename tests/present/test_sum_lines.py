"""Σ lines are checked like every other displayed calculation (numbers.py
rule 3): a z or a Σ_k δ_k·w_jk whose displayed value is not what the terms
printed above it add up to — exactly, in decimal, rounded half-up to the
value's decimals — is written with ≈.  Softmax is written with its numbers.

The check here is an independent one: it reads the plain trace, adds up the
term lines' displayed numbers with Decimal, and compares."""
import json
import math
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest

from conftest import ROOT
from inproc import run

SOFTMAX = ROOT / "walkthroughs" / "softmax-ce" / "network.toml"


def dec(s: str) -> Decimal:
    return Decimal(s.strip("()").replace("−", "-"))


def lines_and_events(spec, x, y, notation):
    text = run("trace", spec, "--input", x, "--target", y, "--notation", notation, "--format", "text")
    js = run("trace", spec, "--input", x, "--target", y, "--format", "jsonl")
    assert text.returncode == js.returncode == 0, text.stderr + js.stderr
    rows = [ln for ln in text.stdout.splitlines() if ln.startswith("  ") and not ln.startswith("    ")]
    events = [json.loads(ln) for ln in js.stdout.splitlines() if ln.strip()]
    events = [e for e in events if "kind" in e]
    if len(rows) < len(events):     # a text that writes its inputs once (002's a_1) has no line for their a
        events = [e for e in events if not (e["kind"] == "a" and e["layer"] == 0)]
    assert len(rows) == len(events)
    return list(zip(rows, events))


def last_number(line: str) -> str:
    return re.split(r" [=≈←] ", line)[-1].strip()


def sigma_lines(pairs):
    """(line, terms as displayed, bias as displayed or None) of each Σ line."""
    seen: dict = {}
    for line, e in pairs:
        key = (e["layer"], e["neuron"], e.get("sample", 0))
        if e["kind"] in ("product", "backprop"):
            seen.setdefault((e["kind"], key), []).append(last_number(line))
        elif e["kind"] in ("z", "dsum"):
            terms = seen.pop(("product" if e["kind"] == "z" else "backprop", key), [])
            bias = None
            if e["kind"] == "z":
                numeric = re.split(r" [=≈] ", line)[-2]
                bias = numeric.rsplit(" + ", 1)[1] if " + " in numeric else None     # no biases: none
            yield line, terms, bias


CASES = [
    (SOFTMAX, "0.5,-1", "1,0,0", "z-h"),
    (ROOT / "walkthroughs" / "bce-4-3-2-1" / "network.toml", "1,0,0.5,-0.25", "1", "delta"),
    (ROOT / "walkthroughs" / "switch-2-4-3-2" / "network.toml", "1,0", "0,1", "net-out"),
]


@pytest.mark.parametrize("spec, x, y, notation", CASES, ids=[c[0].parent.name for c in CASES])
def test_a_sigma_line_the_terms_above_do_not_give_is_marked(spec, x, y, notation):
    checked = differ = 0
    for line, terms, bias in sigma_lines(lines_and_events(spec, x, y, notation)):
        if not terms:
            continue
        value = last_number(line)
        total = sum((dec(t) for t in terms + ([bias] if bias else [])), Decimal(0))
        want = dec(value)
        agrees = total.quantize(Decimal(1).scaleb(want.as_tuple().exponent), rounding=ROUND_HALF_UP) == want
        checked += 1
        if not agrees:
            differ += 1
            assert "≈" in line, line
    assert checked >= 9


def test_softmax_ce_dH_dh_is_the_issue_s_example():
    # −0.1966 + (−0.0355) + 0.06007 = −0.17203 → −0.1720 at 4 decimals, not the displayed −0.1721
    pairs = lines_and_events(SOFTMAX, "0.5,-1", "1,0,0", "z-h")
    line = next(l for l, e in pairs if l.strip().startswith("∂H/∂h_1^2 "))
    assert line.split() [-2:] == ["≈", "−0.1721"], line


def test_softmax_is_shown_with_its_numbers_and_they_check_out():
    pairs = lines_and_events(SOFTMAX, "0.5,-1", "1,0,0", "z-h")
    zs = [last_number(l) for l, e in pairs if e["kind"] == "z" and e["layer"] == 3]
    for l, e in pairs:
        if e["kind"] == "a" and e["layer"] == 3:
            j = e["neuron"]
            assert (f"= exp({zs[j]}) / (" + " + ".join(f"exp({z})" for z in zs) + ") = ") in l, l
            # a calculator on the numbers shown gives the value shown
            got = math.exp(float(dec(zs[j]))) / sum(math.exp(float(dec(z))) for z in zs)
            want = dec(last_number(l))
            assert Decimal(repr(got)).quantize(Decimal(1).scaleb(want.as_tuple().exponent),
                                               rounding=ROUND_HALF_UP) == want
