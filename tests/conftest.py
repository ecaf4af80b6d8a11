import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

# CI (CI=true) runs every property test on the same examples each time, so a
# submission's result does not depend on the draw; a developer's run explores.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
SWITCH = ROOT / "walkthroughs" / "switch-2-4-3-2" / "network.toml"


CLI_ENV = {"COLUMNS": "100", "NO_COLOR": "1"}


def run_cli(*args, cwd=None, input=None):
    """``neuronet ARGS`` as a user types it, run in this process (tests/inproc.py:
    ``main(argv)`` as the console script calls it, stdout/stderr captured, a
    traceback failing the test at once), at 100 columns
    without colour.  Returns an object with returncode, stdout, stderr."""
    from inproc import run
    return run(*args, env=CLI_ENV, cwd=cwd, input=input)


def run_cli_process(*args, cwd=None, input=None):
    """The same in a child process (`python -m neuronet ARGS`), for tests where a
    real process is the point: its exit, its signals, its pipes."""
    env = dict(os.environ, **CLI_ENV)
    return subprocess.run([sys.executable, "-m", "neuronet", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, input=input, env=env, timeout=300)


def pytest_addoption(parser):
    parser.addoption("--regenerate-goldens", action="store_true", default=False,
                     help="write the goldens the code produces (docs/cli.md, the README picture, the "
                          "trace texts under tests/present/golden/) instead of comparing with them; "
                          "run as `pytest -m golden --regenerate-goldens`, then review `git diff`")


class Golden:
    """A golden file the code produces: ``golden.check(path, text)`` asserts
    that the file holds ``text`` — or, under ``--regenerate-goldens``, writes
    ``text`` to it.  Only for output of the code; numbers a source text prints
    are hand-kept data (walkthroughs/*/printed.toml) and never pass through here."""

    def __init__(self, regenerate: bool):
        self.regenerate = regenerate

    def check(self, path: Path, text: str) -> None:
        if self.regenerate:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
            return
        assert path.is_file(), f"{path.relative_to(ROOT)} is missing: pytest -m golden --regenerate-goldens"
        have = path.read_text(encoding="utf-8")
        assert have == text, (f"{path.relative_to(ROOT)} differs from what the code produces; if the change "
                              "is meant: pytest -m golden --regenerate-goldens, then review git diff")


@pytest.fixture
def golden(request):
    return Golden(request.config.getoption("--regenerate-goldens"))


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture
def switch_spec():
    return SWITCH


# Tests that need a real tool (Chromium, pandoc, graphviz, nbclient) skip with a
# reason when it is missing; CI installs them.  Say at the end, one line per
# tool, how many of its tests really ran — so a CI log shows that the browser
# tests ran, not just that nothing failed.
_CHROMIUM = "headless Chromium (selenium)"
_REAL_TOOLS = {"test_html_step.py": _CHROMIUM, "test_projector.py": _CHROMIUM, "test_spoken_steps.py": _CHROMIUM,
               "test_hostile_pages.py": _CHROMIUM + " / pandoc", "test_handouts.py": "pandoc",
               "test_diagram.py": "graphviz / SVG", "test_notebook.py": "nbclient notebook"}


def pytest_terminal_summary(terminalreporter):
    counts = {}
    for outcome in ("passed", "failed", "skipped"):
        for rep in terminalreporter.stats.get(outcome, []):
            name = Path(str(rep.fspath)).name
            if name in _REAL_TOOLS and rep.when in ("call", "setup") and (outcome != "passed" or rep.when == "call"):
                counts.setdefault(name, {}).setdefault(outcome, 0)
                counts[name][outcome] += 1
    for name, c in sorted(counts.items()):
        ran = c.get("passed", 0) + c.get("failed", 0)
        total = ran + c.get("skipped", 0)
        terminalreporter.write_line(f"{name} ({_REAL_TOOLS[name]}): ran {ran} of {total} tests "
                                    f"(failing: {c.get('failed', 0)}; skipped for a missing tool: {c.get('skipped', 0)})")
