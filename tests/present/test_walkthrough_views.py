"""The views of a walkthrough report (neuronet.present.walkthrough): every
format ``neuronet walkthrough --format`` offers lays the same report out, and
each quotes the report's own numbers — its check count and the values of its
trace events — rather than computing any.  The reference side is the report
object itself (teach.walkthroughs.run), rendered by nothing else."""
from __future__ import annotations

import io
import json

import pytest

from inproc import run
from neuronet.present import walkthrough as view
from neuronet.teach import walkthroughs as wt

NAME = "one-neuron-chain"        # small, traced, with checks


@pytest.fixture(scope="module")
def walk_and_report():
    w = wt.find(NAME)
    return w, wt.run(w)


@pytest.mark.parametrize("fmt", view.FORMATS)
def test_every_offered_format_renders_the_report(fmt, walk_and_report):
    w, report = walk_and_report
    out = io.StringIO()
    view.render(fmt, w, report, out)
    text = out.getvalue()
    assert text.strip()
    if fmt == "json":
        assert json.loads(text) == json.loads(json.dumps(report.to_dict()))
    elif fmt == "jsonl":
        events = [e for s in report.sections if s.trace is not None for e in s.trace.events]
        assert [json.loads(line)["value"] for line in text.splitlines()] == [e.value for e in events]
    else:
        assert " ".join(report.summary.split()) in " ".join(text.split())     # rich wraps at 80


@pytest.mark.parametrize("fmt", view.FORMATS)
def test_the_command_writes_what_the_view_writes(fmt, walk_and_report):
    w, report = walk_and_report
    out = io.StringIO()
    view.render(fmt, w, report, out)
    r = run("walkthrough", NAME, "--format", fmt)
    assert r.returncode == (0 if report.ok else 1), r.stderr
    assert r.stdout == out.getvalue()


def test_a_format_without_a_view_is_refused(walk_and_report):
    w, report = walk_and_report
    with pytest.raises(ValueError, match="no walkthrough view"):
        view.render("html", w, report, io.StringIO())


def test_a_walkthroughs_trace_binds_the_notation_as_trace_does():
    """The walkthrough's trace and `neuronet trace` on the same spec name the
    same neurons (the spec's labels: Mazur's h1, o1) and write the same z line
    (002's layers have no biases, so no "+ b" term)."""
    from conftest import ROOT
    from inproc import run
    for lesson, x, y, line in (("mazur-2-2-2", "0.05,0.1", "0.01,0.99", "net_h1 = (W_b·a)_1 + b_h1"),
                               ("switch-2-4-3-2", "1,0", "0,1", "net_b1 = (W_b·a)_1 = ")):
        walk = run("walkthrough", lesson, "--format", "text")
        trace = run("trace", ROOT / "walkthroughs" / lesson / "network.toml", "--input", x, "--target", y,
                    "--notation", "net-out", "--format", "text")
        assert walk.returncode == 0 and trace.returncode == 0, walk.stderr + trace.stderr
        import re
        aligned = re.sub(r" +=", " =", trace.stdout)        # trace's text view pads the symbols
        assert line in walk.stdout and line in aligned, lesson


def test_every_view_binds_one_shape():
    """The Python API's Trace, a walkthrough's TraceView and a live network bind
    a notation from one value (notation.Shape): the same symbols for Mazur's
    labelled network (h1, o1 and its trained biases) and 002's (no biases)."""
    import neuronet
    from conftest import ROOT
    from neuronet.present import notation, tracing
    from neuronet.teach.walkthroughs import _common
    for lesson, x, y in (("mazur-2-2-2", [0.05, 0.1], [0.01, 0.99]), ("switch-2-4-3-2", [1, 0], [0, 1])):
        net = neuronet.load(ROOT / "walkthroughs" / lesson / "network.toml")
        t = tracing.trace(net.copy(), x, y, notation="net-out")
        assert t.shape == notation.Shape.of(net)
        view = _common.trace_of(t.events, type("W", (), {"notation": "net-out"}), net)
        live = notation.for_net("net-out", net)
        for N in (t.view.notation, view.view.notation):
            assert [N.z(l, j) for l in range(len(net.sizes)) for j in range(net.sizes[l])] == \
                   [live.z(l, j) for l in range(len(net.sizes)) for j in range(net.sizes[l])]
            assert (N.no_bias, N.input_bias) == (live.no_bias, live.input_bias)
