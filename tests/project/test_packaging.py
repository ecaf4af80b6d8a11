"""The package as a newcomer installs it: a built wheel (not editable),
run from another directory, finds every walkthrough."""
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_every_subpackage_is_listed_in_pyproject():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "neuronet").rglob("__init__.py")}
    assert found <= listed, f"add to pyproject.toml's packages: {sorted(found - listed)}"
    assert "neuronet._walkthroughs" in listed


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh venv holding neuronet from a wheel built from this checkout;
    rich comes from the test's own environment through a .pth line."""
    tmp = tmp_path_factory.mktemp("wheel")
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", str(ROOT), "-w", str(tmp)],
                           capture_output=True, text=True)
    if build.returncode != 0:
        pytest.skip(f"cannot build a wheel here (no package index for setuptools?): {build.stderr.strip()[-200:]}")
    wheel = next(tmp.glob("neuronet-*.whl"))
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    # rich (and only the directories it lives in) from this environment
    import rich
    (Path(site) / "outer.pth").write_text(str(Path(rich.__file__).parent.parent) + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
                    str(wheel)], check=True, capture_output=True)
    return python


def run(python, *args, cwd):
    env = {k: v for k, v in os.environ.items() if k not in ("NEURONET_WALKTHROUGHS", "PYTHONPATH")}
    return subprocess.run([str(python), "-m", "neuronet", *args], capture_output=True, text=True,
                          cwd=cwd, env=env)


def test_a_wheel_install_finds_every_walkthrough(installed, tmp_path):
    where = subprocess.run([str(installed), "-c", "import neuronet; print(neuronet.__file__)"],
                           capture_output=True, text=True, cwd=tmp_path, check=True).stdout
    assert str(ROOT) not in where                      # the wheel's copy, not this checkout
    listing = run(installed, "walkthrough", cwd=tmp_path)
    assert listing.returncode == 0, listing.stderr
    names = sorted(p.name for p in (ROOT / "walkthroughs").iterdir() if (p / "walkthrough.toml").is_file())
    for name in names:
        assert name in listing.stdout
    one = run(installed, "walkthrough", "one-neuron-chain", "--format", "text", cwd=tmp_path)
    assert one.returncode == 0, one.stderr
    assert "004" in one.stdout
