"""One view value: every view of a step names a neuron the same way.

A notation is bound to a network once (present/view.py, ``View.of``) and the
View is what every view draws with.  The judge is the spec file itself:
Mazur's network labels its hidden neurons h1, h2 (walkthroughs/mazur-2-2-2/
network.toml), and 002's notation names a labelled neuron by its label
(net_h1, out_h1).  A view that bound the notation to the layer sizes alone
would write 002's own letters instead (net_b1: the quiz's worked lines and the
step's compact screen once did, beside a question that said net_h1)."""
import io
import re

import pytest

import neuronet
from neuronet.present import diagram, picture
from neuronet.present.view import View
from neuronet.teach import html_step, stepper
from neuronet.teach.replay import record_step

from conftest import ROOT

MAZUR = ROOT / "walkthroughs" / "mazur-2-2-2" / "network.toml"
SAMPLE = ("--input", "0.05,0.1", "--target", "0.01,0.99", "--notation", "net-out")
# the spec's labels, as 002's notation writes a labelled neuron (none of them is 002's own letter b)
LABELLED = re.compile(r"\b(?:net|out)_(?:h|o)[12]\b")
UNLABELLED = re.compile(r"\b(?:net|out)_[bc][12]\b")


def _names(text: str) -> tuple[set, set]:
    return set(LABELLED.findall(text)), set(UNLABELLED.findall(text))


def _step():
    net = neuronet.load(MAZUR)
    events, before, _ = record_step(net, [[0.05, 0.1]], [[0.01, 0.99]], 0.5, None, "mean", None)
    return events, before


def test_the_views_of_the_library_name_the_labelled_neurons_alike():
    events, before = _step()
    view = View.of(before, "net-out")
    shown = {
        "trace line": "\n".join(view.shown()(e).line() for e in events),
        "derivation": "\n".join(picture.derivation(e, view).plain for e in events),
        "step page": str(html_step.page_data(before, events, view)),
        # a label's subscript is a tspan of its own: out<sub>h1</sub> read back as out_h1
        "diagram": re.sub(r"<tspan>(\w+)</tspan><tspan [^>]*>(\w+)</tspan>", r"\1_\2",
                          diagram.svg(before, view=view)),
    }
    screen = stepper.StepView(before, events, view)
    lines = []
    for _ in events:                  # the compact screen (few rows): the current term and those before
        screen.next()
        lines.append(screen.render(80, 10))
    from rich.console import Console
    c = Console(width=80, record=True, color_system=None, file=io.StringIO())
    for r in lines:
        c.print(r)
    shown["compact step screen"] = c.export_text()
    for where, text in shown.items():
        labelled, unlabelled = _names(text)
        assert labelled and not unlabelled, (where, sorted(unlabelled))


@pytest.mark.parametrize("command", [
    ("trace", "--format", "text"),
    ("step", "--no-interactive"),
    ("quiz", "--questions", "5", "--seed", "1", "--phase", "forward"),
])
def test_every_command_names_the_labelled_neurons_alike(cli, tmp_path, command):
    answers = tmp_path / "answers.txt"
    answers.write_text("0\n" * 5, encoding="utf-8")       # all wrong: the quiz shows how, line by line
    extra = ("--answers", answers) if command[0] == "quiz" else ()
    r = cli(command[0], MAZUR, *SAMPLE, *command[1:], *extra)
    assert r.returncode in (0, 1), r.stderr
    labelled, unlabelled = _names(r.stdout)
    assert labelled and not unlabelled, sorted(unlabelled)
    if command[0] == "quiz":
        assert "here is how" in r.stdout
