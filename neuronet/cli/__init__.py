"""The ``neuronet`` command: a thin argparse layer over the library.

Each subcommand lives in its own module in this package (``neuronet/cli/``) exposing
``NAME``, ``HELP``, ``add_arguments(parser)`` and ``run(args) -> int``; they
are discovered here, so adding a command touches no shared file.  Library
errors become one line on stderr and exit status 2 — never a traceback.

The standard streams, one policy for every command:

* stdout closed (``neuronet grads … >&-``): one line, exit 2 (like coreutils'
  "write error: Bad file descriptor").
* stdout that cannot take the output (``> /dev/full``: ENOSPC, EIO, …): one
  line naming the reason, exit 2.
* stdout whose reader went away (``| head -1``): quiet, exit 0 — the reader
  had all it wanted.  Nothing more is written, not even at interpreter exit.
* stdin closed (``<&-``): read as an empty stdin, i.e. end of input at once.
* A result that is not finite (:class:`~neuronet.errors.NonFiniteError`):
  one line naming where it first appeared, exit 1.
"""
from __future__ import annotations

import argparse
import errno
import importlib
import os
import pkgutil
import re
import sys

from ..errors import NeuronetError


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2 (argparse prints usage too)
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(2)


def _command_modules():
    mods = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        mod = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(mod, "run"):
            mods.append(mod)
    return sorted(mods, key=lambda m: (getattr(m, "ORDER", 50), m.NAME))


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="neuronet", description="Backpropagation you can watch, neuron by neuron.")
    from .. import __version__
    parser.add_argument("--version", action="version", version=f"neuronet {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for mod in _command_modules():
        p = sub.add_parser(mod.NAME, help=mod.HELP, description=getattr(mod, "DESCRIPTION", mod.HELP))
        mod.add_arguments(p)
        p.set_defaults(_run=mod.run)
    return parser


#: A value that starts with a minus but is a number or a list of numbers:
#: ``-1``, ``-0.5,0.3``, ``-.5``, ``-1e-3,2``, ``−1,0`` (typographic minus).
_NEGATIVE_VALUE = re.compile(r"^[-−](\d|\.\d)[\d.,eE+\-−\s]*$")


def join_negative_values(argv: list[str]) -> list[str]:
    """``--input -1,0`` → ``--input=-1,0``.

    argparse reads a token that starts with ``-`` as an option unless it
    looks like one plain negative number, so ``--input -0.5,0.3`` (a vector
    with a negative first entry) ends in "expected one argument".  Joining a
    number-like token to the option before it with ``=`` is what a user
    would have typed to get around it; ``--input=-0.5,0.3`` is left alone."""
    out: list[str] = []
    for tok in argv:
        prev = out[-1] if out else ""
        if (_NEGATIVE_VALUE.match(tok) and prev.startswith("--") and "=" not in prev
                and prev != "--"):
            out[-1] = f"{prev}={tok}"
        else:
            out.append(tok)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    argv = join_negative_values(list(sys.argv[1:] if argv is None else argv))
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help(sys.stderr)
        return 2
    return _run(args)


class _ClosedStream:
    """Stands in for a closed stdout: every write fails as it would on fd 1."""
    encoding = "utf-8"
    errors = "strict"

    def write(self, text):
        raise OSError(errno.EBADF, "standard output is closed")

    def flush(self):
        pass

    def isatty(self):
        return False

    def fileno(self):
        raise OSError(errno.EBADF, "standard output is closed")


def _open_missing_streams() -> None:
    if sys.stdout is None:
        sys.stdout = _ClosedStream()
    if sys.stdin is None:
        sys.stdin = open(os.devnull, encoding="utf-8")
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")


def _flush_quietly() -> None:
    """Flush what a failed command left in stdout's buffer; if stdout cannot
    take it either, drop it (the error line already said what went wrong)."""
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        _silence_stdout()


def _stdout_is_devnull() -> bool:
    try:
        return os.path.samestat(os.fstat(sys.__stdout__.fileno()), os.stat(os.devnull))
    except (OSError, ValueError, AttributeError):
        return False


def _silence_stdout() -> None:
    """After stdout failed: point fd 1 at /dev/null, so the interpreter's
    final flush of what is still buffered cannot fail (and print) again.
    Only for the real stdout of a ``neuronet`` process, never a test's."""
    if sys.stdout is not sys.__stdout__ or sys.stdout is None:
        return
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def _say(args, text: str) -> None:
    try:
        sys.stderr.write(f"neuronet {args.command}: {text}\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass


class Terminated(BaseException):
    """SIGTERM arrived: raised in the main thread so that every ``finally``
    runs (a half-written temp file is removed, like on Ctrl-C) before exit
    status 143 (128 + 15, what the shell reports for a TERM)."""


def _on_term(signum, frame):
    raise Terminated()


def _catch_term():
    """Install the SIGTERM handler for the command's run; the previous
    handler, to put back after (None when not in the main thread)."""
    import signal
    import threading
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, _on_term)


def _run(args) -> int:
    import signal
    _open_missing_streams()
    previous = _catch_term()
    try:
        return _run_command(args)
    except Terminated:
        _flush_quietly()
        _say(args, "terminated")
        return 143
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _run_command(args) -> int:
    try:
        status = int(args._run(args) or 0)
        sys.stdout.flush()
        return status
    except NeuronetError as e:
        _flush_quietly()
        _say(args, e.format())
        return e.exit_status
    except KeyboardInterrupt:
        _flush_quietly()
        _say(args, "interrupted")
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return 0
    except SystemExit as e:
        # rich's Console.on_broken_pipe points stdout at /dev/null and raises
        # SystemExit(1): a reader that went away — quiet, exit 0, like every
        # other command.
        if e.code == 1 and _stdout_is_devnull():
            return 0
        raise
    except OSError as e:
        if e.errno == errno.EPIPE:
            _silence_stdout()
            return 0
        why = e.strerror or str(e)
        _silence_stdout()
        _say(args, f"{e.filename}: {why}" if e.filename else f"cannot write the output ({why})")
        return 2
