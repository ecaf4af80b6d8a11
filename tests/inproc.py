"""Run the ``neuronet`` command in this process: ``main(argv)`` exactly as the
console script calls it, with stdout/stderr captured.  Fast enough for
hundreds of cases (no interpreter start per case).  A traceback — any
exception ``main`` lets escape, which a user would see as exit status 1 and
a traceback — fails the test there and then (AssertionError with the
traceback), even in a test that accepts exit 1 (a failing check)."""
from __future__ import annotations

import contextlib
import io
import os
import sys
import traceback
from dataclasses import dataclass

from neuronet.cli import main


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


def run(*args, env: dict | None = None, cwd=None, input: str | None = None) -> Result:
    """``neuronet ARGS`` in this process: ``env`` set for the call, ``cwd``
    the working directory, ``input`` the text on stdin (empty when None, as
    from /dev/null)."""
    out, err = io.StringIO(), io.StringIO()
    saved = {k: os.environ.get(k) for k in (env or {})}
    os.environ.update(env or {})
    here = os.getcwd()
    stdin, sys.stdin = sys.stdin, io.StringIO(input or "")
    try:
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main([str(a) for a in args])
            except SystemExit as e:                  # argparse
                code = e.code if isinstance(e.code, int) else 2
            except BaseException:                     # a traceback: what these tests forbid
                err.write(traceback.format_exc())
                code = None
    finally:
        sys.stdin = stdin
        os.chdir(here)
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    if code is None:
        raise AssertionError(f"neuronet {' '.join(map(str, args))} ended in a traceback:\n{err.getvalue()}")
    return Result(code, out.getvalue(), err.getvalue())


def one_line(r: Result, status: int = 2, *needles: str) -> str:
    """Assert: exit ``status``, exactly one line on stderr, no traceback,
    and every needle in that line.  Returns the line."""
    assert "Traceback" not in r.stderr, r.stderr
    assert r.returncode == status, (r.returncode, r.stdout[-500:], r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    for n in needles:
        assert n in lines[0], (n, lines[0])
    return lines[0]
