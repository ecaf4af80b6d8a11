"""Long commands show progress on a terminal and nothing extra when piped:
walkthrough digits (per-neuron engine: numpy hidden by a
stand-in module that refuses to import) and bench."""
import os
import re
import sys

import pytest

from conftest import run_cli

ANSI = re.compile(r"\x1b(\[[0-9;?]*[ -/]*[@-~]|\][^\x07]*\x07|[()][0-9A-B]|[=>78])")


@pytest.fixture
def no_numpy(tmp_path):
    d = tmp_path / "hide"
    d.mkdir()
    (d / "numpy.py").write_text('raise ImportError("numpy hidden for this test")\n')
    return str(d)


def test_digits_shows_a_progress_bar_on_a_terminal(no_numpy):
    pexpect = pytest.importorskip("pexpect")
    env = dict(os.environ, TERM="xterm", PYTHONPATH=no_numpy)
    child = pexpect.spawn(sys.executable, ["-m", "neuronet", "walkthrough", "digits", "--quick"],
                          env=env, encoding="utf-8", timeout=120, dimensions=(24, 100))
    # the bar: "digits epoch 1/2 ━━━ 16/90 0:00:01" (steps done of epochs × batches)
    child.expect(r"epoch 1/2.*?(\d+)/90")
    child.expect(pexpect.EOF)
    out = ANSI.sub("", child.before)
    child.close()
    assert child.exitstatus == 0
    assert "in the per-neuron engine" in out


def test_digits_piped_writes_nothing_extra(no_numpy):
    env_run = dict(os.environ, PYTHONPATH=no_numpy)
    import subprocess
    r = subprocess.run([sys.executable, "-m", "neuronet", "walkthrough", "digits", "--quick"],
                       capture_output=True, text=True, env=env_run, timeout=300)
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    assert "per-neuron engine" in r.stdout


def test_bench_piped_writes_nothing_to_stderr():
    r = run_cli("bench", "--quick", "--arch", "2-4-3-2", "--runs", "2", "--no-memory")
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""


def test_bench_shows_a_progress_bar_on_a_terminal():
    pexpect = pytest.importorskip("pexpect")
    env = dict(os.environ, TERM="xterm")
    child = pexpect.spawn(sys.executable, ["-m", "neuronet", "bench", "--quick", "--arch", "2-4-3-2",
                                           "--runs", "3", "--no-memory"],
                          env=env, encoding="utf-8", timeout=120, dimensions=(24, 100))
    child.expect(r"2-4-3-2 \S+ .*?\d+/\d+")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
