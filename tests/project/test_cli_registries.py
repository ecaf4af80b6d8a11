"""The CLI's lists of notations, phases and formats are the registries'.

Each ``choices`` (and each help text that names the choices) is read off the
parser ``neuronet`` really builds and compared with the registry it must come
from — so a notation module added to present/notation/, a kind of a new phase
in engine/events.KINDS, or a renderer added to present/render/ shows up in
the CLI without editing it.  The golden side is the registry itself, not a
list written here."""
from __future__ import annotations

import pytest

from neuronet import cli
from neuronet.check.backends import params
from neuronet.check.precision import dtypes
from neuronet.engine.events import KINDS
from neuronet.present import notation
from neuronet.present import render
from neuronet.teach import exam, lms, quiz


def _options(argv0: str) -> dict:
    """option string → argparse action of the subcommand ``argv0``."""
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return {s: a for a in sub.choices[argv0]._actions for s in a.option_strings}


def _phases_of_kinds() -> list[str]:
    seen = []
    for phase, _ in KINDS.values():
        if phase not in seen:
            seen.append(phase)
    return seen


@pytest.mark.parametrize("command", ["trace", "step", "quiz", "mark", "show", "exam"])
def test_notation_choices_are_the_registry(command):
    opt = _options(command).get("--notation")
    if opt is None:
        pytest.skip(f"{command} has no --notation")
    assert tuple(opt.choices) == notation.NOTATIONS
    for name in notation.NOTATIONS:            # the help names every notation and its text
        assert f"{name} ({notation.SOURCES[name][:3]}" in opt.help


def test_a_new_notation_shows_up_without_editing_the_cli(monkeypatch):
    monkeypatch.setattr(notation, "NOTATIONS", notation.NOTATIONS + ("w-x",))
    monkeypatch.setattr(notation, "SOURCES", {**notation.SOURCES, "w-x": "009_new.txt"})
    opt = _options("trace")["--notation"]
    assert "w-x" in opt.choices and "w-x (009)" in opt.help


@pytest.mark.parametrize("command", ["trace", "step"])
def test_phase_filter_is_the_phases_of_the_kinds(command):
    opt = _options(command)["--phase"]
    assert list(opt.choices) == _phases_of_kinds()


def test_a_new_phase_shows_up_in_the_filter(monkeypatch):
    import neuronet.engine.events as events
    monkeypatch.setattr(events, "KINDS", {**events.KINDS, "extra": ("afterwards", "x")})
    assert "afterwards" in _options("trace")["--phase"].choices


def test_quiz_and_exam_phases_are_their_registries():
    q = _options("quiz")["--phase"]
    assert tuple(q.choices) == tuple(quiz.PHASE_CATEGORIES)
    assert all(p in q.help for p in quiz.PHASE_CATEGORIES)
    a = _options("exam")["--ask"]
    assert tuple(a.choices) == exam.PHASES and ", ".join(exam.PHASES) in a.help


def test_trace_formats_are_the_renderers():
    assert tuple(_options("trace")["--format"].choices) == render.FORMATS


def test_walkthrough_formats_are_the_renderers_and_json():
    opt = _options("walkthrough")["--format"]
    assert set(opt.choices) == set(render.FORMATS) | {"json"} and opt.default == "text"
    for f in render.FORMATS:
        assert f"{f} (" in opt.help and render.WHAT[f] in opt.help


def test_lms_banks_dtypes_and_conventions_are_their_registries():
    opt = _options("exam")["--lms"]
    assert tuple(opt.choices) == tuple(lms.BANKS)
    assert all(file in opt.help for file, _, _ in lms.BANKS.values())
    assert tuple(_options("verify")["--dtype"].choices) == tuple(dtypes.DTYPES)
    assert tuple(_options("verify")["--convention"].choices) == params.CONVENTIONS


@pytest.mark.parametrize("command", ["trace", "step", "quiz", "grads", "gradcheck", "verify"])
def test_reduction_choices_are_the_engines(command):
    from neuronet.engine.passes import REDUCTIONS
    opt = _options(command).get("--reduction")
    if opt is None:
        pytest.skip(f"{command} has no --reduction")
    assert tuple(opt.choices) == REDUCTIONS


@pytest.mark.parametrize("command", ["step", "show"])
def test_theme_choices_are_the_pages(command):
    from neuronet.teach.html_step import THEMES
    assert tuple(_options(command)["--theme"].choices) == THEMES


def test_train_backends_are_the_trainers():
    from neuronet.cli._trainers import TRAINERS
    opt = _options("train")["--backend"]
    assert tuple(opt.choices) == tuple(TRAINERS) and opt.default == "neuron"
    assert all(f"{t.name}: {t.help}" in opt.help for t in TRAINERS.values())
