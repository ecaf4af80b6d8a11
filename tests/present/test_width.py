"""Terminal views fit the width: nothing truncated (no …), no line wider
than the console, and a broken formula never puts part of itself where a
result goes — continuation lines start with =, ≈ or ← under the first sign,
or are indented further than the signs.  Rendered to a captured rich Console
(colour off, fixed width), as a student's terminal would show them."""
import io
import re

import pytest
from rich.console import Console

import neuronet
from neuronet.present import notation, picture
from neuronet.present.view import View
from neuronet.present.render.console import layout
from neuronet.present.tracing import trace

from conftest import ROOT, SWITCH
from test_trace import SOFTMAX_SPEC
from test_trace_golden import SPEC as ONE_ONE_ONE


def _console(width):
    return Console(file=io.StringIO(), width=width, color_system=None, force_terminal=False)


def check_lines(text: str, width: int) -> None:
    lines = text.splitlines()
    assert "…" not in text, "a formula or number was truncated"
    for k, line in enumerate(lines):
        assert len(line) <= width, f"line {k + 1} is {len(line)} wide: {line!r}"
    # a row: "  lhs" then its signs; a continuation: a sign first, or deeper in than the signs
    in_remark = False
    for prev, line in zip(lines, lines[1:]):
        body = line.lstrip(" ")
        if body.startswith("("):
            in_remark = True
        if in_remark:                    # a remark in parentheses, word-wrapped
            in_remark = not body.endswith(")")
            continue
        if not line.startswith("  ") or not body:
            continue
        indent = len(line) - len(body)
        if body[0] in "=≈←":
            continue
        if indent == 2:          # a new row (lhs)
            continue
        # a broken expression: must begin with an operator or a factor after "·" and sit deeper
        assert indent >= 6, f"continuation not indented: {line!r}"
        assert not re.fullmatch(r"−?[\d.]+", body), f"a lone number on a continuation line: {line!r}"


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("name", notation.NOTATIONS)
def test_rich_trace_fits(width, name):
    for spec, x, y in ((None, [1, 0], [0, 1]), (SOFTMAX_SPEC, [1, 2], [0, 0, 1])):
        net = neuronet.load(SWITCH) if spec is None else neuronet.from_dict(spec)
        t = trace(net, x, y, eta=0.5, notation=name)
        c = _console(width)
        t.render("rich", console=c)
        check_lines(c.file.getvalue(), width)


def test_rich_trace_exact_text_at_80_and_120():
    """The 1-1-1 network's update rows (golden numbers: test_trace_golden's
    docstring, checked by hand against 004 §2.5): one line at 120, broken
    before an = at 80 with the = under the ←."""
    t = trace(neuronet.from_dict(ONE_ONE_ONE), [1.0], [1.0], eta=1.0, notation="net-out",
              phase=["update"], layer=[2])
    c = _console(120)
    t.render("rich", console=c)
    assert c.file.getvalue() == (
        "sample 0 · gradient · update · layer c\n"
        "  w_c1               ← w_c1 − l·∂E_total/∂w_c1 = 4 − 1·(−0.0625) = 4 − (−0.0625) = 4.063\n"
        "  b_c1               ← b_c1 − l_b·∂E_total/∂b_c1 = −2 − 1·(−0.125) = −2 − (−0.125) = −1.875\n"
        "\n")
    c = _console(80)
    t.render("rich", console=c)
    assert c.file.getvalue() == (
        "sample 0 · gradient · update · layer c\n"
        "  w_c1               ← w_c1 − l·∂E_total/∂w_c1 = 4 − 1·(−0.0625) = 4 − (−0.0625)\n"
        "                     = 4.063\n"
        "  b_c1               ← b_c1 − l_b·∂E_total/∂b_c1 = −2 − 1·(−0.125)\n"
        "                     = −2 − (−0.125) = −1.875\n"
        "\n")


def test_layout_breaks_a_long_part_before_an_operator():
    lines = layout("z", [("=", "0.1111 + 0.2222 + 0.3333 + 0.4444", "")], width=44)
    text = ["".join(s for s, _ in spans) for spans in lines]
    assert text == ["  z                  = 0.1111 + 0.2222",
                    "                           + 0.3333 + 0.4444"]


@pytest.mark.parametrize("width", [80, 120])
def test_step_view_fits(width):
    from neuronet.teach import stepper
    from neuronet.teach.replay import record_step
    net = neuronet.load(SWITCH)
    events, before, _ = record_step(net, [[1, 0]], [[0, 1]], 0.5, None, "mean", None)
    for name in notation.NOTATIONS:
        v = stepper.StepView(before, events, View.of(before, name))
        for _ in range(3):
            v.next_weight()          # a weight update: the longest formulas of the step
        c = Console(file=io.StringIO(), width=width, height=30, color_system=None)
        c.print(v.render(width, 30))
        out = c.file.getvalue()
        assert "…" not in out.replace("… ", "")     # "… N more …" summaries of big layers are not truncation
        assert all(len(line) <= width for line in out.splitlines())
        # the panel speaks the notation: its weight symbol and its ∂L/∂w
        N = notation.for_net(name, net)
        assert N.grad_w(*v.replay.event.weight) in out


def test_derivation_panel_breaks_before_signs():
    net = neuronet.load(SWITCH)
    t = trace(net, [1, 0], [0, 1], eta=0.5, notation="net-out", phase=["update"], layer=[1])
    c = _console(34)
    c.print(picture.derivation(t.events[0], View.of(neuronet.load(SWITCH), "net-out")))
    lines = c.file.getvalue().splitlines()
    assert lines[0].startswith("w_b1 ← ") and all(len(x) <= 34 for x in lines)
    assert [x.lstrip()[0] for x in lines[1:]] == ["=", "=", "="]


def test_walkthrough_rich_output_fits_80(cli):
    import os
    import subprocess
    import sys
    env = dict(os.environ, COLUMNS="80", NO_COLOR="1")
    r = subprocess.run([sys.executable, "-m", "neuronet", "walkthrough", "one-neuron-chain", "--format", "rich"],
                       capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode in (0, 1), r.stderr
    trace_part = r.stdout
    assert all(len(line) <= 80 for line in trace_part.splitlines()), \
        [line for line in trace_part.splitlines() if len(line) > 80][:3]
