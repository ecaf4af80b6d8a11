"""The stepper's titles and the HTML page's term titles name a term as the
notation writes it, not by the engine's kind (update_w, dL_da, loss_term),
and a neuron without a spec label by its text's own count (003 counts from
1: "layer 3, neuron 2"), never the engine's 0-based "n3,1"."""
import json
import re

import neuronet
from neuronet.teach import html_step, stepper
from neuronet.present.view import View
from neuronet.teach.replay import record_step

from conftest import ROOT, SWITCH

SOFTMAX = ROOT / "walkthroughs" / "softmax-ce" / "network.toml"
KINDS = re.compile(r"\b(update_w|update_b|dL_da|loss_term|grad_w|delta_out|dsum|fprime|product|backprop)\b")


def test_terminal_titles_are_the_notations_symbols():
    events, before, _ = record_step(neuronet.load(SOFTMAX), [[0.5, -1.0]], [[1.0, 0.0, 0.0]], 0.1)
    v = stepper.StepView(before, events, View.of(before, "z-h"))
    titles = []
    for _ in events:
        v.next()
        titles.append(v._title(v.replay.event))
    assert not any(KINDS.search(t) for t in titles), [t for t in titles if KINDS.search(t)][:3]
    assert not any(re.search(r"\bn\d,\d\b", t) for t in titles)
    # 003's ∂H/∂ŷ_1 (the engine's dL_da of output neuron 0) in 003's output layer, its neuron 1
    assert "loss · ∂H/∂ŷ_1 · output layer, neuron 1" in titles or "delta · ∂H/∂ŷ_1 · output layer, neuron 1" in titles


def test_html_term_titles_follow_the_notation():
    events, before, _ = record_step(neuronet.load(SWITCH), [[1.0, 0.0]], [[0.0, 1.0]], 0.5)
    data = html_step.page_data(before, events, View.of(before, "net-out"))
    titles = [rec["t"] for rec in data]
    assert not any(KINDS.search(t) for t in titles)
    assert "w_c1 · layer c, c1" in titles          # 002's w_c1 ← … (its update), layer c, neuron c1
    assert all(t.split(" · ")[1].startswith("layer ") and not re.match(r"layer \d", t.split(" · ")[1])
               for t in titles)                    # 002 letters its layers a … d


def test_a_breakpoint_may_name_the_weight_as_the_text_does(tmp_path):
    # 002 numbers W_c row by row (line 46): w_c2 is row 1, column 2 — from b2 into c1, the
    # engine's 2:1:0; the same page comes out either way
    from inproc import run
    pages = []
    for brk in ("2:1:0", "w_c2", "w_{c2}"):
        out = tmp_path / f"{len(pages)}.html"
        r = run("step", SWITCH, "--input", "1,0", "--target", "0,1", "--notation", "net-out",
                "--html", out, "--break", brk)
        assert r.returncode == 0, r.stderr
        pages.append(json.loads(re.search(r'<script id="step-data" type="application/json">(.*?)</script>',
                                          out.read_text(encoding="utf-8"), re.S)[1]))
    assert pages[0] == pages[1] == pages[2]
    r = run("step", SWITCH, "--input", "1,0", "--target", "0,1", "--notation", "net-out",
            "--html", tmp_path / "x.html", "--break", "w_c13")
    assert r.returncode == 2 and "or a weight's name (e.g. w_b1)" in r.stderr


def test_the_terminal_breakpoint_prompt_takes_a_name_too():
    events, before, _ = record_step(neuronet.load(SWITCH), [[1.0, 0.0]], [[0.0, 1.0]], 0.5)
    v = stepper.StepView(before, events, View.of(before, "net-out"))
    v.next()
    v.handle("b")
    for ch in "w_c2":
        v.handle(ch)
    v.handle("enter")
    assert v.breakpoint == (2, 1, 0), v.message
