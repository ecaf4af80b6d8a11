"""The terminal stepper never cuts a number, from 60 to 240 columns.

A cut number is rich's ellipsis right after a digit, a point or a minus
("z −0.0…", "∂E/∂net 0.…").  Each screen must also show the value of the
term it is at — its line's result, as the one display policy writes it
(notation.describe) — so no panel loses its result line (softmax-ce's
update panel did).  The networks: 002's 2-4-3-2 (net-out notation) and
003's softmax-ce (z-h notation)."""
import io
import re

import pytest
from rich.console import Console

import neuronet
from neuronet.present import notation
from neuronet.present.view import View
from neuronet.teach import stepper
from neuronet.teach.replay import record_step

from conftest import ROOT, SWITCH

CUT = re.compile(r"[−\-0-9.][0-9.]*…")
CASES = {
    "switch": (SWITCH, [1.0, 0.0], [0.0, 1.0], 0.5, "net-out"),
    "softmax": (ROOT / "walkthroughs" / "softmax-ce" / "network.toml", [0.5, -1.0], [1.0, 0.0, 0.0], 0.1, "z-h"),
}


def screens(case, width, height, decimals=None):
    path, x, y, eta, name = CASES[case]
    events, before, _ = record_step(neuronet.load(path), [x], [y], eta, None, "mean", decimals)
    view = stepper.StepView(before, events, View.of(before, name, decimals=decimals))
    N = notation.for_net(name, before)
    for k, e in enumerate(events):
        view.next()
        # every third term and every update (the panel that lost its result): fast enough
        if k % 3 and not e.kind.startswith("update"):
            continue
        out = io.StringIO()
        Console(file=out, width=width, height=height, color_system=None).print(view.render(width, height))
        style = notation.Carried(decimals) if decimals is not None else 4
        result = re.split(r" [=≈] ", notation.describe(e, N, style).line())[-1]
        yield e, out.getvalue(), result


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("width, height", [(60, 24), (80, 24), (120, 40), (120, 24), (140, 30), (240, 50)])
def test_no_width_cuts_a_number_and_every_screen_shows_its_result(case, width, height):
    for e, screen, result in screens(case, width, height):
        assert not CUT.search(screen), (e, CUT.findall(screen), screen)
        assert result in screen, (e, result, screen)


@pytest.mark.parametrize("width, height", [(60, 24), (80, 24), (120, 40)])
def test_a_hand_calculation_is_never_cut_either(width, height):
    """002 by hand (--round 4, as 002 carries its numbers): the same, every
    number written with its 4 decimals."""
    for e, screen, result in screens("switch", width, height, decimals=4):
        assert not CUT.search(screen), (e, CUT.findall(screen), screen)
        assert result in screen, (e, result, screen)


def test_a_narrow_terminal_leaves_out_layers_rather_than_squeeze_them():
    # at 60 columns the four layers of 002 do not fit at three lines a neuron
    # (∂E/∂net and an 11-character number need 19 columns each): the picture
    # keeps the layer of the current term and says the rest are left out
    e, screen, _ = next(s for s in screens("switch", 60, 30) if s[0].kind == "delta_out")
    head = screen.splitlines()[:2]
    assert "layer d output" in " ".join(head) and "…" in " ".join(head), head
