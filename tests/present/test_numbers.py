"""One display policy (neuronet/present/numbers.py): every displayed
calculation checks out on a calculator or carries the ≈ marker.

The acceptance check here is independent of numbers.checks_out: it parses
the *printed* text trace with its own small parser and recomputes each
two-operand line with Python's decimal module (half-up, as a person rounds).
"""
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from neuronet.present.numbers import APPROX, LEGEND, Carried, checks_out, evaluate, fmt

from conftest import ROOT

NUM = r"\(?−?\d+(?:\.\d+)?(?:e−?\d+)?\)?"
TWO = re.compile(rf"^({NUM})\s*([·+−/])\s*({NUM})$")


def _dec(s: str) -> Decimal:
    return Decimal(s.strip("()").replace("−", "-"))


def _calculator(a: str, op: str, b: str, result: str) -> bool:
    x, y, want = _dec(a), _dec(b), _dec(result)
    got = {"·": x * y, "+": x + y, "−": x - y, "/": x / y if y else None}[op]
    if got is None:
        return True
    return got.quantize(Decimal(1).scaleb(want.as_tuple().exponent), rounding=ROUND_HALF_UP) == want


def two_operand_claims(text: str):
    """(line, claim) for every 'A op B = R' (or ≈ R) a line of the trace makes."""
    for line in text.splitlines():
        # split into "= part" pieces, keeping which sign precedes each
        pieces = re.split(r" (=|≈|←) ", line.strip())
        for k in range(2, len(pieces) - 1, 2):
            expr, sign, res = pieces[k].strip(), pieces[k + 1], pieces[k + 2].strip() if k + 2 < len(pieces) else ""
            m = TWO.match(expr)
            if m and re.fullmatch(NUM, res) and res[0] != "(":
                yield line, sign, m.groups(), res


def _networks():
    for spec in sorted(ROOT.glob("walkthroughs/*/network*.toml")):
        yield pytest.param(spec, id=f"{spec.parent.name}/{spec.name}")


@pytest.mark.parametrize("spec", list(_networks()))
def test_default_text_trace_checks_out_on_a_calculator(spec, cli):
    import neuronet
    net = neuronet.load(spec)
    if net.sizes[0] > 100:
        pytest.skip("784 inputs: the same kinds of lines as digits/network.toml (64 inputs, checked here), "
                    "558k of them")
    n_in, n_out = net.sizes[0], net.sizes[-1]
    x = ",".join(str(v) for v in ([1, 0, 0.5, -0.25] * n_in)[:n_in])
    y = ",".join("1" if k == n_out - 1 else "0" for k in range(n_out))
    r = cli("trace", spec, "--input", x, "--target", y, "--format", "text")
    assert r.returncode == 0, r.stderr
    claims = list(two_operand_claims(r.stdout))
    assert len(claims) > 5, "the parser found no two-operand lines"
    bad = [line for line, sign, (a, op, b), res in claims if sign == "=" and not _calculator(a, op, b, res)]
    assert not bad, "\n".join(bad[:10])
    marked = [c for c in claims if c[1] == "≈"]
    # a marker only where the calculator really disagrees (no blanket ≈)
    assert all(not _calculator(a, op, b, res) for _, _, (a, op, b), res in marked
               if ":" not in res)
    # the legend once, iff some line is marked
    assert r.stdout.count(LEGEND) == (1 if "≈" in r.stdout else 0)


def test_the_policy_examples_are_marked(cli):
    # the display policy's example: "0.1452·0.6876 = 0.09981 (a calculator says 0.09984)"
    r = cli("trace", ROOT / "walkthroughs/switch-2-4-3-2/network.toml", "--input", "1,0", "--target", "0,1",
            "--format", "text")
    flat = [" ".join(l.split()) for l in r.stdout.splitlines()]
    assert any(l.endswith("0.1452·0.6876 ≈ 0.09981") for l in flat)
    assert any(l.endswith("0.75·0.6225 ≈ 0.4668") for l in flat)
    assert any(l.endswith("0.1452·0.3 ≈ 0.04355") for l in flat)


def test_hand_mode_lines_all_check_out(cli):
    r = cli("trace", ROOT / "walkthroughs/switch-2-4-3-2/network.toml", "--input", "1,0", "--target", "0,1",
            "--round", "4", "--format", "text", "--lr", "0.5")
    assert "≈" not in r.stdout
    claims = list(two_operand_claims(r.stdout))
    assert len(claims) > 50
    assert all(_calculator(a, op, b, res) for _, _, (a, op, b), res in claims)


@pytest.mark.parametrize("calc, result, ok", [
    ("0.1452·0.6876", "0.09981", False),        # the display policy's example: a calculator gives 0.09984
    ("0.1452·0.6876", "0.09984", True),
    ("(−0.1625)·0.1361", "−0.02212", True),      # −0.0221163 → −0.02212 (half-up on |x|)
    ("0.7199(1 − 0.7199)", "0.2016", True),      # implicit product, as 002 writes sig'
    ("½(0.7199 − 0)²", "0.2591", True),
    ("σ(0.1)", "0.525", True),
    ("0.3 − 0.0019", "0.2981", True),
    ("Σ_k δ_k", "0.1", True),                    # not arithmetic: cannot be checked
])
def test_checks_out(calc, result, ok):
    assert checks_out(calc, result) is ok


def test_evaluate_reads_the_displayed_forms():
    assert evaluate("0.5·(−0.2)") == pytest.approx(-0.1)
    assert evaluate("a·b") is None


def test_format_policy():
    assert fmt(-0.0221148, 3) == "−0.0221"       # U+2212
    assert fmt(4.0625, 4) == "4.063"             # half-up
    assert fmt(0.5, 4) == "0.5"
    assert fmt(1.234e-7, 4) == "1.234e−7"
    assert fmt(-1.5, 4, latex=True) == "-1.5"
    assert fmt(None) == "·"
    assert fmt(0.525, Carried(4)) == "0.5250"     # 002 §4 prints out_b1 = 0.5250


def test_one_formatter():
    """No other number formatting in the presentation and teaching views:
    every displayed float goes through numbers.fmt."""
    spec = re.compile(r"\{[^{}]*:[^{}]*\.\d+[fgeFGE%]\}|\{[^{}]*:g\}|\bround\(")
    geometry = re.compile(r'[\w-]+="\{[^{}]*\}(em)?"|"\{x:\.1f\},\{y:\.1f\}"')
    offenders = []
    for d in ("neuronet/present", "neuronet/teach/stepper.py", "neuronet/teach/quiz.py",
              "neuronet/teach/replay.py", "neuronet/cli/trace.py", "neuronet/teach/walkthroughs",
              "neuronet/cli/walkthrough.py"):
        p = ROOT / d
        for f in ([p] if p.is_file() else sorted(p.rglob("*.py"))):
            if f.name in ("numbers.py", "handcalc.py"):
                continue
            for k, line in enumerate(f.read_text().splitlines(), 1):
                # drawing geometry (SVG coordinates and sizes) is no number a person reads
                line = geometry.sub("", line)
                if spec.search(line):
                    offenders.append(f"{f.relative_to(ROOT)}:{k}: {line.strip()}")
    assert not offenders, "\n".join(offenders)
