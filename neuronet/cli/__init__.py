"""The ``neuronet`` command: a thin argparse layer over the library.

Each subcommand lives in its own module in this package (``neuronet/cli/``) exposing
``NAME``, ``HELP``, ``add_arguments(parser)`` and ``run(args) -> int``; they
are discovered here, so adding a command touches no shared file.  Library
errors become one line on stderr and exit status 2 — never a traceback.
"""
from __future__ import annotations

import argparse
import importlib
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
    try:
        return int(args._run(args) or 0)
    except NeuronetError as e:
        sys.stderr.write(f"neuronet {args.command}: {e.format()}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write(f"neuronet {args.command}: interrupted\n")
        return 130
    except BrokenPipeError:
        return 0
