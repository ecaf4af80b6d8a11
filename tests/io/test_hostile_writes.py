"""Writes and readers under hostile conditions: SIGTERM mid-write, root
writing over a user's file, deeply nested and long-keyed TOML, and library
calls with things that are not file names."""
import os
import signal
import subprocess
import sys
import time

import pytest

import neuronet
from conftest import ROOT, SWITCH
from inproc import one_line, run


def _leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_sigterm_during_the_write_removes_the_temp_file(tmp_path, monkeypatch):
    """A real SIGTERM, delivered to this process while atomic_write holds its
    temp file (inside fsync): the temp file goes, the target is untouched."""
    out = tmp_path / "trained.json"
    out.write_text("the old file", encoding="utf-8")
    real_fsync = os.fsync

    def fsync_then_term(fd):
        real_fsync(fd)
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(1)                          # the handler runs here, in the main thread
    monkeypatch.setattr(os, "fsync", fsync_then_term)
    r = run("train", SWITCH, "--input", "1,0", "--target", "0,1", "--lr", "0.5", "--epochs", "2", "--out", out,
            "--quiet")
    monkeypatch.setattr(os, "fsync", real_fsync)
    one_line(r, 143, "terminated")
    assert _leftovers(tmp_path) == []
    assert out.read_text(encoding="utf-8") == "the old file"
    assert signal.getsignal(signal.SIGTERM) is not None    # the previous handler is back


def test_sigterm_during_training_is_one_line_exit_143(tmp_path):
    """A process is the point: the signal comes from outside, mid-training."""
    out = tmp_path / "trained.json"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    p = subprocess.Popen([sys.executable, "-m", "neuronet", "train", str(SWITCH), "--input", "1,0",
                          "--target", "0,1", "--lr", "0.5", "--epochs", "100000000", "--out", str(out), "--quiet"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    time.sleep(1.5)
    p.send_signal(signal.SIGTERM)
    stdout, stderr = p.communicate(timeout=30)
    assert p.returncode == 143, (p.returncode, stderr)
    assert "Traceback" not in stderr and stderr.strip().splitlines() == ["neuronet train: terminated"]
    assert not out.exists() and _leftovers(tmp_path) == []


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root (to write over another user's file)")
def test_root_writing_over_a_users_file_keeps_its_owner(tmp_path):
    out = tmp_path / "trained.json"
    out.write_text("{}", encoding="utf-8")
    os.chmod(out, 0o600)
    os.chown(out, 65534, 65534)                # nobody:nogroup
    r = run("train", SWITCH, "--input", "1,0", "--target", "0,1", "--lr", "0.5", "--epochs", "1", "--out", out,
            "--quiet")
    assert r.returncode == 0, r.stderr
    st = os.stat(out)
    assert (st.st_uid, st.st_gid, st.st_mode & 0o777) == (65534, 65534, 0o600)
    assert "layers" in out.read_text(encoding="utf-8")


def _deep_toml(path, depth=5000):
    path.write_text("x = " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    return path


def test_every_toml_reader_has_the_recursion_guard(tmp_path):
    deep = _deep_toml(tmp_path / "deep.toml")
    one_line(run("trace", SWITCH, "--input", "1,0", "--target", "0,1", "--printed", deep), 2,
             "deep.toml", "nested too deeply")
    one_line(run("trace", deep, "--input", "1,0", "--target", "0,1"), 2, "deep.toml", "nested too deeply")


def test_a_key_of_200k_parts_is_refused_before_parsing(tmp_path):
    """tomllib takes O(n²) for a key of n parts (20,000 parts: ~5 s here)."""
    path = tmp_path / "keys.toml"
    path.write_text("a." * 200_000 + "b = 1\n", encoding="utf-8")
    t0 = time.monotonic()
    one_line(run("trace", path, "--input", "1,0", "--target", "0,1"), 2, "keys.toml", "dotted key")
    assert time.monotonic() - t0 < 5
    printed = tmp_path / "printed.toml"
    printed.write_text("a." * 200_000 + "b = 1\n", encoding="utf-8")
    one_line(run("trace", SWITCH, "--input", "1,0", "--target", "0,1", "--printed", printed), 2, "dotted key")


def test_the_walkthrough_specs_are_not_refused_by_the_key_bound():
    for toml in sorted((ROOT / "walkthroughs").glob("*/*.toml")):
        from neuronet.io.files import _LONG_KEY
        assert not _LONG_KEY.search(toml.read_text(encoding="utf-8")), toml


@pytest.mark.parametrize("bad", [None, 5, b"net.json", ["net.json"]])
def test_load_of_something_not_a_file_name_raises_the_librarys_error(bad):
    with pytest.raises(neuronet.SpecError, match="needs the name of a spec file"):
        neuronet.load(bad)
