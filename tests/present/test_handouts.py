"""Markdown handouts render: pandoc --mathml converts every formula of every
walkthrough's handout (and of a trace) without a warning, updates are written
with ←, headings nest one level per level of structure with no empty
sections, and no path of the machine that made the handout leaks into it."""
import re
import shutil
import subprocess

import pytest

from conftest import ROOT, SWITCH

WALKS = sorted(p.name for p in (ROOT / "walkthroughs").iterdir() if (p / "walkthrough.toml").exists())

needs_pandoc = pytest.mark.skipif(shutil.which("pandoc") is None,
                                  reason="pandoc is not installed (Debian: apt-get install pandoc)")


def _pandoc_warnings(md: str) -> str:
    r = subprocess.run(["pandoc", "--mathml", "-f", "markdown", "-t", "html", "-o", "/dev/null"],
                       input=md, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return r.stderr.strip()


def check_structure(md: str) -> None:
    headings = [(k, len(m.group(1))) for k, line in enumerate(md.splitlines())
                if (m := re.match(r"^(#+) ", line))]
    assert headings and headings[0][1] == 1, "one title first"
    for (k0, l0), (k1, l1) in zip(headings, headings[1:]):
        assert l1 <= l0 + 1, f"heading level jumps from {l0} to {l1} (line {k1 + 1})"
        body = md.splitlines()[k0 + 1:k1]
        assert l1 > l0 or any(s.strip() for s in body), f"empty section before line {k1 + 1}"
    # an update is w ← w − η·…, never w = w − …
    assert not re.search(r"^- \$(\S+) = \1 (-|−)", md, re.M)
    for bad in (str(ROOT), "/home/", "/tmp/", "/root/"):
        assert bad not in md


@pytest.mark.parametrize("name", WALKS)
def test_walkthrough_handout_structure(cli, name):
    r = cli("walkthrough", name, "--format", "markdown")
    assert r.returncode in (0, 1), r.stderr
    check_structure(r.stdout)


@needs_pandoc
@pytest.mark.parametrize("name", WALKS)
def test_walkthrough_handout_renders_with_pandoc(cli, name):
    r = cli("walkthrough", name, "--format", "markdown")
    assert r.returncode in (0, 1), r.stderr
    assert _pandoc_warnings(r.stdout) == ""


@needs_pandoc
@pytest.mark.parametrize("notation", ["delta", "net-out", "dl-dz", "u-o", "z-h"])
def test_trace_handout_renders_with_pandoc(cli, notation):
    r = cli("trace", SWITCH, "--input", "1,0", "--target", "0,1", "--format", "markdown", "--notation", notation)
    assert r.returncode == 0, r.stderr
    check_structure(r.stdout)
    assert "\\leftarrow" in r.stdout and "\\approx" in r.stdout
    assert _pandoc_warnings(r.stdout) == ""


@needs_pandoc
def test_pandoc_does_warn_on_bad_tex():
    """The check above can fail: pandoc reports TeX it cannot convert."""
    assert "Could not convert TeX math" in _pandoc_warnings("- $\\frac{a}{$\n")
