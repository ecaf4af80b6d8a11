"""``--backend torch:pkg.mod:factory`` where PyTorch is not installed: one
line, exit 2, before any process is started.  Runs without torch (the lack
of it is simulated where torch is installed)."""
from inproc import one_line, run
from neuronet.check.backends import torch_backend
from conftest import SWITCH


def test_torch_scheme_without_torch_is_one_line_exit_2(monkeypatch):
    monkeypatch.setattr(torch_backend, "available", lambda: False)
    r = run("verify", SWITCH, "--backend", "torch:nets:model", "--input", "1,0", "--target", "0,1")
    one_line(r, 2, "--backend torch:nets:model: needs PyTorch, which is not installed")


def test_torch_scheme_must_name_a_module_and_a_factory():
    r = run("verify", SWITCH, "--backend", "torch:nets", "--input", "1,0", "--target", "0,1")
    one_line(r, 2, "must read torch:pkg.mod:factory, got torch:nets")
