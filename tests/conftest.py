import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SWITCH = ROOT / "walkthroughs" / "switch-2-4-3-2" / "network.toml"


def run_cli(*args, cwd=None, input=None):
    """Run `python -m neuronet ARGS` in a subprocess; return CompletedProcess."""
    env = dict(os.environ, COLUMNS="100", NO_COLOR="1")
    return subprocess.run([sys.executable, "-m", "neuronet", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, input=input, env=env, timeout=300)


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture
def switch_spec():
    return SWITCH
