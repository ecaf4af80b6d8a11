"""The docs cannot drift: docs/cli.md is the argparse parsers' own help, and
every shell example in README.md and docs/*.md runs as written.

Runnable examples are the lines of ```console blocks that start with
``$ neuronet``.  A line may end in ``# exit N`` (the status it should end
with; 0 otherwise) or ``# not run: <why>`` (interactive, or minutes long).
When a block shows output under a command, each shown line that is not
``…`` must appear in what the command prints.
"""
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from neuronet.cli._reference import reference

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


@pytest.mark.golden
def test_cli_reference_is_generated_from_the_parsers(golden):
    golden.check(ROOT / "docs" / "cli.md", reference())


def examples():
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for block in re.findall(r"```console\n(.*?)```", text, re.S):
            lines = block.replace("\\\n", " ").splitlines()      # join continued lines
            for i, line in enumerate(lines):
                if not line.startswith("$ neuronet"):
                    continue
                shown = []
                for out in lines[i + 1:]:
                    if out.startswith("$ "):
                        break
                    shown.append(out)
                yield pytest.param(line[2:], shown, id=f"{doc.name}: {line[2:60]}")


EXAMPLES = list(examples())


def test_the_docs_have_examples():
    assert len(EXAMPLES) >= 8


@pytest.mark.parametrize("command, shown", EXAMPLES)
def test_shell_example_runs_as_written(command, shown, tmp_path):
    command, _, comment = command.partition("  #")
    comment = comment.strip()
    if comment.startswith("not run"):
        pytest.skip(comment)
    if comment == "needs torch":          # runs wherever torch imports (CI installs it)
        pytest.importorskip("torch")
        comment = ""
    status = int(comment.split()[1]) if comment.startswith("exit") else 0
    argv = shlex.split(command)
    env = dict(os.environ, COLUMNS="100", NO_COLOR="1")
    env.pop("NEURONET_WALKTHROUGHS", None)
    # paths in the docs are relative to the repository's top level; files the
    # example writes land there too, so give them a scratch copy of nothing:
    # examples write only under /tmp or to stdout.
    done = subprocess.run([sys.executable, "-m", "neuronet", *argv[1:]], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    assert done.returncode == status, done.stderr[-2000:]
    printed = done.stdout + done.stderr
    for line in shown:
        line = line.strip()
        if line and line != "…":
            assert line in printed, f"{line!r} not in the output of {command}"


@pytest.mark.golden
def test_the_readme_picture_is_what_show_draws(tmp_path, golden):
    from conftest import run_cli
    out = tmp_path / "switch.svg"
    done = run_cli("show", ROOT / "walkthroughs/switch-2-4-3-2/network.toml", "--svg", out, "--input", "1,0",
                   "--target", "0,1", "--notation", "net-out", "--round", "4")
    assert done.returncode == 0, done.stderr
    golden.check(ROOT / "docs" / "img" / "switch-2-4-3-2.svg", out.read_text(encoding="utf-8"))


def test_every_relative_link_in_the_docs_exists():
    for doc in DOCS:
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", doc.read_text(encoding="utf-8")):
            assert (doc.parent / target).exists(), f"{doc.name}: broken link {target}"
