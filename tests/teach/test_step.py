"""`neuronet step`: the plain (non-terminal) path and the interactive view
driven in a pseudo-terminal.

Independent checks:
* the number of printed events is counted against a Recorder attached to
  the library's own step (the passes, not the step command);
* the new weights in the closing table must equal what `neuronet train
  … --epochs 1` writes (a separate command, a separate code path through
  train.py, compared through its output file);
* numbers on screen are compared with the numbers printed in
  002_25d3dd3a4f2fa46e.txt §4/§7 (out_b2 = 0.5744, ∂E/∂net_c1 = 0.0065), within
  their 4-decimal rounding.
"""
import os
import re
import sys

import pytest

import neuronet
from neuronet.engine import passes
from neuronet.engine.events import Recorder

pexpect = pytest.importorskip("pexpect")

X, Y, ETA = "1,0", "0,1", "0.5"          # 002 §7: inputs a1 = 1, a2 = 0, targets 0, 1, l = 0.5
ANSI = re.compile(r"\x1b(\[[0-9;?]*[ -/]*[@-~]|\][^\x07]*\x07|[()][0-9A-B]|[=>78])")


def plain(text: str) -> str:
    return ANSI.sub("", text)


def recorded(spec, xs, ys, eta):
    net = neuronet.load(spec)
    rec = Recorder()
    passes.step(net, xs, ys, eta, emit=rec)
    return rec.events


def test_plain_path_prints_every_event_and_exits_0(cli, switch_spec):
    # stdin/stdout are pipes here, so no --no-interactive is needed
    r = cli("step", switch_spec, "--input", X, "--target", Y, "--lr", ETA, input="")
    assert r.returncode == 0, r.stderr
    events = recorded(switch_spec, [[1.0, 0.0]], [[0.0, 1.0]], 0.5)
    lines = [ln for ln in r.stdout.splitlines() if re.match(r"^\d+/\d+ ", ln)]
    assert len(lines) == len(events)
    for k, (ln, e) in enumerate(zip(lines, events), 1):
        assert ln.startswith(f"{k}/{len(events)} {e.phase}: ")
    assert "every weight and bias" in r.stdout


def test_plain_path_batch_and_flag(cli, switch_spec):
    # a batch of two samples: every per-sample and batch event is printed
    r = cli("step", switch_spec, "--input", "1,0", "--target", "0,1", "--input", "0,1",
            "--target", "1,0", "--no-interactive")
    assert r.returncode == 0, r.stderr
    events = recorded(switch_spec, [[1.0, 0.0], [0.0, 1.0]], [[0.0, 1.0], [1.0, 0.0]], 0.5)
    assert sum(1 for ln in r.stdout.splitlines() if re.match(r"^\d+/\d+ ", ln)) == len(events)


def test_bad_breakpoint_text_is_rejected():
    from neuronet.teach.stepper import parse_weight
    sizes = [2, 4, 3, 2]
    assert parse_weight("2:1:0", sizes) == (2, 1, 0)
    for bad in ("0:0:0", "2:4:0", "2:1:3", "2:1", "x"):
        with pytest.raises(ValueError):
            parse_weight(bad, sizes)


def _table(text: str) -> dict:
    """{('w', L, I, J) or ('b', L, J): new} from the closing table."""
    out = {}
    for m in re.finditer(r"│ ([wb]) ([\d:]+) \S+\s*│\s*(\S+)\s*│\s*(\S+)\s*│\s*(\S+)\s*│", text):
        kind, idx, _old, _grad, new = m.groups()
        out[(kind, *map(int, idx.split(":")))] = float(new.replace("−", "-"))    # numbers.py writes U+2212
    return out


def test_interactive_step_in_a_pty(tmp_path, cli, switch_spec):
    env = dict(os.environ, TERM="xterm", COLUMNS="100", LINES="24")
    env.pop("NO_COLOR", None)
    child = pexpect.spawn(sys.executable, ["-m", "neuronet", "step", str(switch_spec), "--input", X,
                                           "--target", Y, "--lr", ETA],
                          dimensions=(24, 100), env=env, encoding="utf-8", timeout=20)
    n_events = len(recorded(switch_spec, [[1.0, 0.0]], [[0.0, 1.0]], 0.5))

    def press(key):
        child.send(key)
        child.expect(r"event (\d+) of (\d+)")
        return int(child.match.group(1)), int(child.match.group(2)), plain(child.before)

    child.expect(r"event (\d+) of (\d+)")
    assert (int(child.match.group(1)), int(child.match.group(2))) == (1, n_events)
    for k in (2, 3, 4):
        assert press("n")[0] == k
    assert press("p")[0] == 3
    assert press("\x1b[C")[0] == 4          # → is "next" too

    # breakpoint on w 2:1:0 (b2 → c1): the first event using it is the
    # forward product w·a with a = out_b2, printed 0.5744 in 002 §4
    for ch in "b2:1:0":                     # every key redraws the screen
        press(ch)
    pos, _, screen = press("\r")
    # the weight in the notation's symbol (004: w_i1j0, layers lettered k, j, i, h), the footer keeps the key's L:I:J
    assert "w_i1j0 (b2 → c1)" in screen, screen
    assert "0.3·0.5744" in screen
    # Enter on an empty breakpoint prompt continues to the next use: δ_c1·w in
    # the backward pass; 002 §7 prints ∂E/∂net_c1 = 0.0065 (4 decimals)
    press("b")
    pos2, _, screen = press("\r")
    assert pos2 > pos
    m = re.search(r"= (−?[0-9.]+)·0\.3\b", screen)
    assert m, screen
    assert abs(float(m.group(1).replace("−", "-")) - 0.0065) <= 0.5e-4

    pos3, total, _ = press("c")
    assert pos3 == total == n_events
    child.send("q")
    child.expect(pexpect.EOF)
    out = plain(child.before)
    child.close()
    assert child.exitstatus == 0
    table = _table(out)

    # the independent check: train one epoch (one full-batch step) and compare
    t = tmp_path / "t.json"
    r = cli("train", switch_spec, "--input", X, "--target", Y, "--lr", ETA, "--epochs", "1", "--out", t)
    assert r.returncode == 0, r.stderr
    trained = neuronet.load(t)
    expected = {}
    for L in range(1, len(trained.layers)):
        for I, src in enumerate(trained.layers[L - 1]):
            for J, w in enumerate(src.w):
                expected[("w", L, I, J)] = w
        for J, dst in enumerate(trained.layers[L]):
            if L not in trained.no_bias:            # 002 has no biases: none in the table
                expected[("b", L, J)] = dst.b
    assert trained.no_bias == {1, 2, 3}             # the trained spec keeps "biases = false"
    assert set(table) == set(expected)
    for key, new in table.items():
        assert new == pytest.approx(expected[key], rel=1e-9, abs=1e-12), key


def test_replay_shows_values_as_of_each_event(switch_spec):
    """Forwards to the end gives the stepped network the passes left behind;
    back to the start gives the untouched one; a value appears exactly at
    the event that computes it."""
    from neuronet.teach.replay import Replay, record_step
    net = neuronet.load(switch_spec)
    events, before, after = record_step(net, [[1.0, 0.0]], [[0.0, 1.0]], 0.5)
    r = Replay(before, events)
    first_z = next(k for k, e in enumerate(events) if e.kind == "z")
    r.seek(first_z - 1)
    assert r.get("z", 1, 0) is None
    r.seek(first_z)
    assert r.get("z", 1, 0) == events[first_z].value
    r.seek(len(events) - 1)
    for l in range(1, len(after.layers)):
        for i, src in enumerate(after.layers[l - 1]):
            for j, w in enumerate(src.w):
                assert r.get("w", l, i, j) == w
        for j, dst in enumerate(after.layers[l]):
            assert r.get("b", l, j) == dst.b
            assert r.get("delta", l, j) == dst.delta
    r.seek(-1)
    assert r.values == Replay(before, events).values
