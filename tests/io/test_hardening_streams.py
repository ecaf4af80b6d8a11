"""The standard streams, one policy for every command (see the
docstring of neuronet/cli/__init__.py).  These need a real process: the
streams are the process's own file descriptors."""
import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SWITCH = os.path.join(ROOT, "walkthroughs", "switch-2-4-3-2", "network.toml")
SAMPLE = ["--input", "1,0", "--target", "0,1"]

COMMANDS = {
    "grads": ["grads", SWITCH, *SAMPLE],
    "trace rich": ["trace", SWITCH, *SAMPLE, "--format", "rich"],
    "trace text": ["trace", SWITCH, *SAMPLE, "--format", "text"],
    "trace jsonl": ["trace", SWITCH, *SAMPLE, "--format", "jsonl"],
    "show": ["show", SWITCH],
    "gradcheck": ["gradcheck", SWITCH, *SAMPLE],
    "step": ["step", SWITCH, *SAMPLE, "--no-interactive"],
    "walkthrough": ["walkthrough", "switch-2-4-3-2"],
}


def _run(argv, shell_redirect: str = "", stdin=subprocess.DEVNULL):
    """`python -m neuronet ARGV REDIRECT` in a shell (for >&- and <&-)."""
    cmd = " ".join([sys.executable, "-m", "neuronet", *(f"'{a}'" for a in argv), shell_redirect])
    env = dict(os.environ, COLUMNS="100", NO_COLOR="1")
    return subprocess.run(["sh", "-c", cmd], text=True, env=env, stdin=stdin,
                          stdout=None if ">" in shell_redirect else subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=120)


def _one_line(r, status, *needles):
    assert "Traceback" not in r.stderr and "Exception ignored" not in r.stderr, r.stderr
    assert r.returncode == status, (r.returncode, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    for n in needles:
        assert n in lines[0], (n, lines[0])


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_stdout_to_dev_full(command):
    r = _run(COMMANDS[command], "> /dev/full")
    _one_line(r, 2, f"neuronet {COMMANDS[command][0]}:", "No space left on device")


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_stdout_closed(command):
    r = _run(COMMANDS[command], ">&-")
    _one_line(r, 2, f"neuronet {COMMANDS[command][0]}:", "standard output is closed")


def _big_spec(tmp_path):
    # 2-40-40-2: a trace of some 10,000 lines, far more than a pipe buffer holds
    import random
    rng = random.Random(0)
    sizes = [2, 40, 40, 2]
    layers = [{"size": 2}] + [{"size": n, "weights": [[rng.uniform(-1, 1) for _ in range(n)] for _ in range(m)]}
                              for m, n in zip(sizes, sizes[1:])]
    f = tmp_path / "big.json"
    f.write_text(json.dumps({"layers": layers}))
    return str(f)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_reader_that_goes_away_is_quiet_and_exit_0(tmp_path, command):
    argv = [str(tmp_path / "big.json") if a == SWITCH else a for a in COMMANDS[command]]
    if command != "walkthrough":
        _big_spec(tmp_path)
    env = dict(os.environ, COLUMNS="100", NO_COLOR="1")
    p = subprocess.Popen([sys.executable, "-m", "neuronet", *argv], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env)
    p.stdout.read(1)                 # like `| head -c 1`
    p.stdout.close()
    err = p.stderr.read().decode()
    status = p.wait(timeout=120)
    assert "Traceback" not in err and "Exception ignored" not in err, err
    assert status == 0 and err == "", (status, err)


def test_quiz_with_stdin_closed_ends_as_at_end_of_input():
    r = _run(["quiz", SWITCH, *SAMPLE, "--seed", "0"], "<&-", stdin=None)
    assert "Traceback" not in r.stderr and r.returncode == 0, r.stderr
    assert "(end of input)" in r.stdout and "score: 0 of 0 answered (the quiz ended at question 1 of 5)" in r.stdout
