"""`neuronet step` in class: a help key listing every key, `l`
by layers as a person counts them, redraw on resize, small terminals.

The expected sections of 002's 2-4-3-2 network are written out by hand from
its shape (layers a–d = 0–3): forward 0, 1, 2, 3; the loss; δ of 3, 2, 1;
gradients+updates of the weights of 3, 2, 1 — eleven stops (002 has no
biases, its line 11; a network with biases adds those of 3, 2, 1 after
the weights)."""
import io
import os
import re
import sys

import pytest
from rich.console import Console

import neuronet
from neuronet.teach import stepper
from neuronet.present.view import View
from neuronet.teach.replay import record_step

from conftest import SWITCH

ANSI = re.compile(r"\x1b(\[[0-9;?]*[ -/]*[@-~]|\][^\x07]*\x07|[()][0-9A-B]|[=>78])")


def view():
    net = neuronet.load(SWITCH)
    events, before, _ = record_step(net, [[1.0, 0.0]], [[0.0, 1.0]], 0.5)
    return stepper.StepView(before, events, View.of(before, "net-out"))


def test_l_walks_the_layers_a_person_counts():
    v = view()
    v.next()
    stops = []
    while True:
        e = v.replay.event
        stops.append((e.phase if e.phase != "update" else "gradient", e.layer)
                     + (("b",) if e.kind.endswith("_b") else ()))
        v.handle("l")
        if v.message:
            break
    assert stops == [("forward", 0), ("forward", 1), ("forward", 2), ("forward", 3), ("loss", 3),
                     ("delta", 3), ("delta", 2), ("delta", 1),
                     ("gradient", 3), ("gradient", 2), ("gradient", 1)]
    assert v.message == "no layer after this event"


def test_help_lists_every_key_and_any_key_closes_it():
    v = view()
    v.next()
    v.handle("?")
    out = io.StringIO()
    Console(file=out, width=100, height=30, color_system=None).print(v.render(100, 30))
    text = out.getvalue()
    for keys, _ in stepper.KEYS:
        assert keys in text
    for key in ("n", "p", "w", "l", "c", "b", "q"):     # every key handle() knows is listed
        assert any(key in k.split() for k, _ in stepper.KEYS), key
    pos = v.replay.pos
    assert v.handle("n") and not v.help and v.replay.pos == pos      # closing is not a move
    v.handle("h")
    assert v.help


@pytest.mark.parametrize("height", range(1, 14))
def test_every_height_renders_without_error(height):
    v = view()
    for k in range(40):
        v.next()
        out = io.StringIO()
        Console(file=out, width=80, height=height, color_system=None).print(v.render(80, height))
    text = out.getvalue()
    if height < stepper.MIN_ROWS:
        assert text.startswith("terminal too small (80×")
    else:
        assert "event 40 of 148" in text      # 40 presses of n from "before the step"


def _spawn(rows, cols):
    pexpect = pytest.importorskip("pexpect")
    env = dict(os.environ, TERM="xterm")
    env.pop("NO_COLOR", None)
    env.pop("COLUMNS", None)
    env.pop("LINES", None)
    child = pexpect.spawn(sys.executable, ["-m", "neuronet", "step", str(SWITCH), "--input", "1,0",
                                           "--target", "0,1", "--notation", "net-out"],
                          dimensions=(rows, cols), env=env, encoding="utf-8", timeout=20)
    return pexpect, child


def test_a_six_row_terminal_gets_the_compact_view_and_resizing_redraws():
    pexpect, child = _spawn(6, 80)
    child.expect(r"event 1 of 148")
    child.send("n")
    child.expect(r"event 2 of 148")
    child.send("?")
    child.expect("keys \\(any key closes this\\)")
    child.send("x")
    child.expect(r"event 2 of 148")
    # grow the terminal: the full view (the network picture's panel title)
    # is drawn at once, without a key
    child.setwinsize(30, 120)
    child.expect(r"layer a input")
    child.expect(r"event 2 of 148")
    # and shrink it to 2 rows: one clear line, no traceback
    child.setwinsize(2, 80)
    child.expect(r"terminal too small \(80×2\)")
    child.send("q")
    child.expect(pexpect.EOF)
    out = ANSI.sub("", child.before)
    child.close()
    assert child.exitstatus == 0
    assert "Traceback" not in out and "ValueError" not in out


@pytest.mark.parametrize("name", ["errata", "digits", "polynomial-sin"])
def test_walkthroughs_without_a_single_step_say_why_in_one_line(cli, name):
    r = cli("walkthrough", name, "--step")
    assert r.returncode == 2
    assert r.stdout == ""
    assert len(r.stderr.strip().splitlines()) == 1
    assert r.stderr.startswith(f"neuronet walkthrough: {name} has no single step to walk: ")
    assert "no such file" not in r.stderr


@pytest.mark.parametrize("name", ["xor", "iris"])
def test_jsonl_of_a_training_walkthrough_is_its_single_step(cli, name):
    # the events are the step `--step` walks: as many as a Recorder on the
    # library's own step of the first sample records
    from neuronet.engine import passes
    from neuronet.engine.events import Recorder
    from neuronet.teach import walkthroughs as wt
    from neuronet.teach.walkthroughs._common import network, samples
    r = cli("walkthrough", name, "--format", "jsonl", "--quick")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    w = wt.find(name)
    net = network(w)
    xs, ys = samples(w, net)
    rec = Recorder()
    passes.step(net, xs[:1], ys[:1], float(w.params["eta"]), emit=rec)
    assert len(lines) == len(rec.events) > 0
    import json
    assert [json.loads(l)["kind"] for l in lines] == [e.kind for e in rec.events]


@pytest.mark.parametrize("name", ["errata", "digits"])
def test_jsonl_without_events_is_one_line_exit_2(cli, name):
    r = cli("walkthrough", name, "--format", "jsonl", "--quick")
    assert r.returncode == 2 and r.stdout == ""
    assert len(r.stderr.strip().splitlines()) == 1
    assert r.stderr.startswith(f"neuronet walkthrough: {name} has no event stream: ")
