"""The rich renderer streams: rows are written as events
arrive, never a whole section at once, and its fast paths (plain text to a
file, escape codes written directly) write exactly what rich's own printing
of the same rows writes.  (Memory and time on 784-200-100-10 are measured
with /usr/bin/time -v outside the suite.)"""
import io
import re

import pytest
from rich.console import Console

import neuronet
from neuronet.bench.harness import sample_for, spec_for
from neuronet.present import notation
from neuronet.present.view import View
from neuronet.present.render import console as C
from neuronet.present.tracing import trace

from conftest import SWITCH

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _render(console, fast: bool, name="u-o"):
    t = trace(neuronet.load(SWITCH), [1, 0], [0, 1], notation=name)
    r = C.RichRenderer(console=console, view=t.view)
    if not fast:                       # rich's own printing of the same rows
        r._plain = r._ansi = False
    for e in t.events:
        r(e)
    r.write_lines(t.result.report())
    r.close()
    return console.file.getvalue()


@pytest.mark.parametrize("colour", [None, "standard", "truecolor"])
@pytest.mark.parametrize("name", notation.NOTATIONS)
def test_fast_paths_write_what_rich_writes(colour, name):
    make = lambda: Console(file=io.StringIO(), width=80, color_system=colour,  # noqa: E731
                           force_terminal=colour is not None)
    fast, slow = _render(make(), True, name), _render(make(), False, name)
    assert fast == slow
    assert ("\x1b[" in fast) == (colour is not None)


def test_rows_are_written_as_they_arrive():
    sizes = [64, 30, 10]
    net = neuronet.from_dict(spec_for(sizes))
    x, y = sample_for(sizes)
    N = notation.for_net("delta", net)
    for colour in (None, "truecolor"):
        out = io.StringIO()
        r = C.RichRenderer(console=Console(file=out, width=80, color_system=colour, force_terminal=bool(colour)),
                           view=View(N))
        seen = []

        def sink(e):
            r(e)
            seen.append(len(out.getvalue()))
        net.copy().step([x], [y], 0.5, emit=sink)
        # layer 1 alone is 64·30 products in one section: output grows during it, not after it
        assert seen[100] > 0 and seen[1000] > seen[100]
        assert not r._pending


def test_rich_printing_keeps_a_bounded_batch():
    out = io.StringIO()
    c = Console(file=out, width=80, record=True)        # recording: rich's own printing path
    sizes = [32, 20, 4]
    net = neuronet.from_dict(spec_for(sizes))
    x, y = sample_for(sizes)
    r = C.RichRenderer(console=c, view=View.of(net))
    most = 0

    def sink(e):
        nonlocal most
        r(e)
        most = max(most, len(r._pending))
    net.step([x], [y], 0.5, emit=sink)
    r.close()
    assert most <= C.BATCH + 10 and "sample 0" in c.export_text()
