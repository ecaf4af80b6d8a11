"""verify against backends that misbehave on purpose: nothing of theirs survives.

Each ``module:`` backend below runs in verify's child process.  The ones
that start processes record, in a file, the process group they ran in and
the pid of what they started.  After verify returns, a scan of /proc finds
no live process in that group (zombies waiting for init are not running),
and the group was not verify's own.  The right answers come from
``neuronet grads``'s own contract function (the reference), so a backend
that answers is one that agrees.
"""
import os
import sys
import time

import pytest

from conftest import SWITCH
from inproc import one_line, run

BACKEND = r'''
import os, subprocess, sys, time
from neuronet import from_dict
from neuronet.cli.grads import result


def _note(pid):
    with open(os.environ["NN_RECORD"], "a") as f:
        f.write(f"{os.getpgid(0)} {pid}\n")


def right(spec, xs, ys, reduction):
    return result(from_dict(spec), xs, ys, reduction)


def daemon(spec, xs, ys, reduction):            # answers, and leaves a process running
    _note(subprocess.Popen(["sleep", "300"]).pid)
    return right(spec, xs, ys, reduction)


def hang_with_child(spec, xs, ys, reduction):   # starts a process, then never answers
    _note(subprocess.Popen(["sleep", "300"]).pid)
    time.sleep(300)


def grandchild_holds_pipe(spec, xs, ys, reduction):   # a grandchild keeps the answer pipe open
    _note(subprocess.Popen(["sleep", "300"], close_fds=False).pid)
    os._exit(3)


def flood(spec, xs, ys, reduction):             # prints without end
    line = "x" * 65535 + "\n"
    while True:
        sys.stdout.write(line)


def bad_frames(spec, xs, ys, reduction):        # writes its own message to the answer pipe
    os.write(int(sys.argv[3]), b'{"error": "x", "frames": 7}\n')
    time.sleep(300)


def not_json(spec, xs, ys, reduction):
    os.write(int(sys.argv[3]), b'{"result": [1, 2\n')
    time.sleep(300)


def noisy(spec, xs, ys, reduction):             # prints terminal escapes, then fails with them
    print("\x1b]52;c;aGk=\x07\x1b[2J\u009b31m\r\u202eevil")
    raise ValueError("\x1b]0;pwn\x07 \u202e")


def huge_loss(spec, xs, ys, reduction):
    out = right(spec, xs, ys, reduction)
    out["loss"] = 10 ** 400
    return out
'''


def _alive_in_group(pgid: int) -> list[int]:
    """Pids of running (not zombie) processes whose process group is ``pgid``."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        state, pgrp = fields[0], int(fields[2])
        if pgrp == pgid and state not in ("Z", "X"):
            found.append(int(entry))
    return found


@pytest.fixture
def backend(tmp_path, monkeypatch):
    (tmp_path / "nn_hostile_backend.py").write_text(BACKEND)
    record = tmp_path / "record.txt"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NN_RECORD", str(record))
    yield record
    sys.modules.pop("nn_hostile_backend", None)
    # after every verify: nothing of the backend's process tree is running
    if record.exists():
        for line in record.read_text().split("\n"):
            if line:
                pgid, pid = map(int, line.split())
                assert pgid != os.getpgid(0), "the backend ran in verify's own process group"
                deadline = time.monotonic() + 2
                while _alive_in_group(pgid) and time.monotonic() < deadline:
                    time.sleep(0.05)
                assert _alive_in_group(pgid) == [], f"left running in group {pgid}"


def verify(name, *extra):
    return run("verify", SWITCH, "--backend", f"module:nn_hostile_backend:{name}",
               "--input", "1,0", "--target", "0,1", *extra)


def test_an_honest_backend_agrees(backend):
    r = verify("right")
    assert r.returncode == 0, r.stdout + r.stderr


def test_a_daemon_left_by_an_answering_backend_is_killed(backend):
    r = verify("daemon")
    assert r.returncode == 0, r.stdout + r.stderr
    assert backend.exists()


def test_timeout_kills_the_whole_group(backend):
    t0 = time.monotonic()
    r = verify("hang_with_child", "--timeout", "1")
    assert r.returncode == 1 and "did not answer within 1 s" in r.stdout, r.stdout + r.stderr
    assert time.monotonic() - t0 < 10
    assert backend.exists()


def test_a_grandchild_holding_the_pipe_is_not_a_timeout(backend):
    t0 = time.monotonic()
    r = verify("grandchild_holds_pipe", "--timeout", "20")
    assert r.returncode == 1, r.stdout + r.stderr
    assert "ended with exit status 3" in r.stdout and "did not answer" not in r.stdout
    assert time.monotonic() - t0 < 10                 # noticed, not waited out


def test_endless_output_is_capped_and_says_so(backend):
    from neuronet.check.backends.loaders import LOG_LIMIT
    r = verify("flood", "--timeout", "1.5")
    assert r.returncode == 1
    assert "did not answer within" in r.stdout
    assert "output was cut" in r.stdout
    assert len(r.stdout) < LOG_LIMIT + 10_000


@pytest.mark.parametrize("name, needle", [("bad_frames", "'frames' is int"),
                                          ("not_json", "not an answer")])
def test_every_field_of_the_childs_message_is_checked(backend, name, needle):
    r = verify(name, "--timeout", "20")
    assert "Traceback" not in r.stderr, r.stderr
    assert r.returncode == 1 and needle in r.stdout, r.stdout + r.stderr


def test_a_backends_output_reaches_the_terminal_printable(backend):
    import hostile_payloads as hp
    r = verify("noisy")
    assert r.returncode == 1, r.stdout + r.stderr
    assert not hp.FORBIDDEN.search(r.stdout + r.stderr), repr(r.stdout)
    assert "\\x1b]52" in r.stdout and "\\u202e" in r.stdout          # shown, escaped


def test_huge_integer_loss_is_one_line_not_a_traceback(backend, tmp_path):
    r = verify("huge_loss")
    assert "Traceback" not in r.stderr and "OverflowError" not in r.stdout + r.stderr
    assert r.returncode in (1, 2) and "a float can hold" in r.stdout + r.stderr, r.stdout + r.stderr


def test_huge_integer_loss_from_a_file_backend(tmp_path):
    import json
    from neuronet.cli.grads import result
    import neuronet
    doc = result(neuronet.load(SWITCH), [[1.0, 0.0]], [[0.0, 1.0]], "mean")
    text = json.dumps(doc).replace(json.dumps(doc["loss"]), "1" + "0" * 400, 1)
    (tmp_path / "g.json").write_text(text)
    r = run("verify", SWITCH, "--backend", f"file:{tmp_path / 'g.json'}", "--input", "1,0", "--target", "0,1")
    one_line(r, 2, "loss", "a float can hold")


@pytest.mark.parametrize("value", ["1e300", "inf", "86401"])
def test_absurd_timeouts_are_refused(value):
    r = run("verify", SWITCH, "--backend", "module:x:y", "--timeout", value, "--input", "1,0", "--target", "0,1")
    one_line(r, 2, "--timeout")
