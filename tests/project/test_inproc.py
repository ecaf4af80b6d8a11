"""The in-process CLI runner (tests/inproc.py) never lets a traceback pass as exit 1."""
import pytest

import neuronet.cli.show
from inproc import run

from conftest import SWITCH


def test_a_traceback_fails_the_test_even_where_exit_1_is_allowed(monkeypatch):
    def broken(args):
        raise RuntimeError("a bug")
    monkeypatch.setattr(neuronet.cli.show, "run", broken)
    with pytest.raises(AssertionError, match="ended in a traceback(.|\n)*RuntimeError: a bug"):
        run("show", SWITCH)
    monkeypatch.undo()
    assert run("show", SWITCH).returncode == 0
