"""docs/cli.md, generated from the argparse parsers themselves.

    python -m neuronet.cli._reference > docs/cli.md

(or ``pytest -m golden --regenerate-goldens``, which rewrites every golden the
code produces).  tests/project/test_docs.py fails when docs/cli.md differs
from what this prints, so the reference cannot drift from the options the
commands really take.
"""
from __future__ import annotations

import argparse
import sys

from . import build_parser

WIDTH = 100


def _formatter(prog):
    return argparse.RawDescriptionHelpFormatter(prog, width=WIDTH, max_help_position=32)


def reference() -> str:
    parser = build_parser()
    parser.formatter_class = _formatter
    out = ["# Command-line reference", "",
           "Generated from the argparse parsers by `python -m neuronet.cli._reference > docs/cli.md`",
           "(or `pytest -m golden --regenerate-goldens`, with every other golden);",
           "`tests/project/test_docs.py` fails when this file and the parsers disagree.", "",
           "```text", parser.format_help().rstrip(), "```", ""]
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, p in sub.choices.items():
        p.formatter_class = _formatter
        out += [f"## `neuronet {name}`", "", "```text", p.format_help().rstrip(), "```", ""]
    return "\n".join(out)


if __name__ == "__main__":
    sys.stdout.write(reference())
