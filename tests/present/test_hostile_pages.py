"""HTML, SVG and Markdown handouts built from a hostile spec run no script.

The spec's name and labels (tests/hostile_payloads.py) would set
``document.title`` to "PWNED" if any reached a page as markup.  Every page
is opened in headless Chromium (Markdown after ``pandoc --mathml -s``, as a
lecturer publishes a handout) and its title must not be "PWNED".  The control
test opens pages with the same payloads written raw and sees them run: the
payloads work in this browser, so a clean page is the escaping's doing.
LaTeX: the TeX payloads must not survive ``pandoc -t latex`` as commands.
"""
import json
import re
import shutil
import subprocess

import pytest
from browser import browser_fixture

import hostile_payloads as hp
from inproc import run

import neuronet

needs_pandoc = pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
TARGET = "0,1,0,0,1"
#: a script element or an event-handler attribute in a tag (escaped text never has a raw "<")
LIVE = re.compile(r"<script\b|<[^>]*[\s/]on[a-z]+\s*=", re.I)


browser = browser_fixture()


@pytest.fixture
def spec(tmp_path):
    return hp.write_spec(tmp_path / "hostile.json")


def _pandoc_html(md: str, out):
    r = subprocess.run(["pandoc", "--mathml", "-s", "-f", "markdown", "-t", "html",
                        "--metadata", "title=handout", "-o", str(out)],
                       input=md, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return out


@needs_pandoc
def test_the_payloads_run_when_written_raw(browser, tmp_path):
    """The control: each payload kind, unescaped, does set the title."""
    raw_html = tmp_path / "raw.html"
    raw_html.write_text(f"<!DOCTYPE html><title>t</title><body>{hp.SCRIPT[1]}</body>", encoding="utf-8")
    assert hp.title_after_load(browser, raw_html) == "PWNED"
    raw_svg = tmp_path / "raw.svg"
    raw_svg.write_text(f'<svg xmlns="http://www.w3.org/2000/svg"><title>{hp.SCRIPT[0]}</title>'
                       f'<script>document.title="PWNED"</script></svg>', encoding="utf-8")
    assert hp.title_after_load(browser, raw_svg) == "PWNED"
    # a label written raw inside $…$: its "$" ends the math and the <img> is raw HTML for pandoc
    md = f"# t\n\n- $\\mathrm{{net}}_{{{hp.SCRIPT[1]}}} = 1$\n"
    assert hp.title_after_load(browser, _pandoc_html(md, tmp_path / "raw-md.html")) == "PWNED"
    # a name written raw into a heading
    md = f"# {hp.SCRIPT[0]}\n\ntext\n"
    assert hp.title_after_load(browser, _pandoc_html(md, tmp_path / "raw-heading.html")) == "PWNED"
    # rich's HTML export of a [link=…] markup label (what show --tables --html passed it)
    from rich.console import Console
    import io
    c = Console(record=True, file=io.StringIO(), width=80)
    c.print(hp.MARKUP[4])
    raw_rich = tmp_path / "raw-rich.html"
    raw_rich.write_text(c.export_html(inline_styles=True), encoding="utf-8")
    assert hp.title_after_load(browser, raw_rich) == "PWNED"


@pytest.mark.parametrize("args", [["--svg"], ["--html"], ["--tables", "--svg"], ["--tables", "--html"],
                                  ["--svg", "--input", "1,0", "--target", TARGET, "--notation", "net-out"],
                                  ["--svg", "--theme", "projector", "--notation", "net-out"],
                                  ["--html", "--theme", "projector"]],
                         ids=["svg", "html", "tables-svg", "tables-html", "svg-values-net-out", "projector-svg",
                              "projector-html"])
def test_show_pages_run_no_script(browser, spec, tmp_path, args):
    out = tmp_path / ("page.svg" if "--svg" in args else "page.html")
    flag = args.index("--svg") if "--svg" in args else args.index("--html")
    argv = args[:flag + 1] + [out] + args[flag + 1:]
    r = run("show", spec, *argv)
    assert r.returncode == 0, r.stderr
    text = out.read_text(encoding="utf-8")
    assert not LIVE.search(text)
    assert not hp.FORBIDDEN.search(text)          # no control character: XML a viewer parses
    assert hp.title_after_load(browser, out) != "PWNED"


def test_show_svg_is_well_formed_xml(spec, tmp_path):
    from xml.etree import ElementTree
    for args in ([], ["--tables"], ["--theme", "projector", "--notation", "net-out"]):
        out = tmp_path / "x.svg"
        out.unlink(missing_ok=True)
        assert run("show", spec, *args, "--svg", out).returncode == 0
        ElementTree.parse(out)                     # raises on a control character or a stray tag


@pytest.mark.parametrize("theme", [[], ["--theme", "projector"]], ids=["plain", "projector"])
def test_step_page_runs_no_script(browser, spec, tmp_path, theme):
    out = tmp_path / "step.html"
    r = run("step", spec, "--input", "1,0", "--target", TARGET, "--notation", "net-out", "--html", out, *theme)
    assert r.returncode == 0, r.stderr
    html = out.read_text(encoding="utf-8")
    data = re.search(r'<script id="step-data" type="application/json">(.*?)</script>', html, re.S)[1]
    assert "<" not in data                          # "<!--<script>" in a label would break the page
    labels = json.dumps(json.loads(data))
    assert "\\u003c" not in labels and "<!--" in labels   # the label is still there, as data
    assert hp.title_after_load(browser, out) != "PWNED"
    # the page's own script ran on the data (the counter is set): the JSON parsed
    assert browser.execute_script("return document.documentElement.getAttribute('data-term-count')")


@needs_pandoc
@pytest.mark.parametrize("notation", ["net-out", "delta"])
def test_trace_handout_runs_no_script(browser, spec, tmp_path, notation):
    r = run("trace", spec, "--input", "1,0", "--target", TARGET, "--notation", notation, "--format", "markdown")
    assert r.returncode == 0, r.stderr
    page = _pandoc_html(r.stdout, tmp_path / "handout.html")
    assert not LIVE.search(page.read_text(encoding="utf-8"))
    assert hp.title_after_load(browser, page) != "PWNED"


@needs_pandoc
def test_trace_repr_markdown_runs_no_script(browser, spec, tmp_path):
    from neuronet.present.tracing import trace
    t = trace(neuronet.load(spec), [1, 0], [0, 1, 0, 0, 1], notation="net-out")
    assert "onerror" in t._repr_markdown_()
    page = _pandoc_html(t._repr_markdown_(), tmp_path / "notebook.html")
    assert hp.title_after_load(browser, page) != "PWNED"


def _lesson_pack(tmp_path):
    """A copy of one-neuron-chain whose title, name and label are payloads."""
    src = hp.ROOT / "walkthroughs" / "one-neuron-chain"
    base = tmp_path / "packs"
    dst = base / "one-neuron-chain"
    shutil.copytree(src, dst)
    meta = (dst / "walkthrough.toml").read_text(encoding="utf-8")
    title = "<img src=x onerror=document.title=/PWNED/.source> [/bold] \\u001b[2J"
    meta = re.sub(r'^title = .*$', lambda m: f'title = "{title}"', meta, count=1, flags=re.M)
    (dst / "walkthrough.toml").write_text(meta, encoding="utf-8")
    return base


@needs_pandoc
def test_lesson_pack_title_runs_no_script(browser, tmp_path):
    base = _lesson_pack(tmp_path)
    r = run("walkthrough", "one-neuron-chain", "--format", "markdown", env={"NEURONET_WALKTHROUGHS": str(base)})
    assert r.returncode == 0, r.stderr
    assert "onerror" in r.stdout                    # the title is there, as text
    page = _pandoc_html(r.stdout, tmp_path / "pack.html")
    assert hp.title_after_load(browser, page) != "PWNED"


@needs_pandoc
def test_tex_payloads_do_not_survive_pandoc_latex(spec, tmp_path):
    # the control: written raw in math, pandoc keeps \input as a live command
    raw = subprocess.run(["pandoc", "-f", "markdown", "-t", "latex"], text=True, capture_output=True,
                         input=f"- $\\mathrm{{net}}_{{{hp.TEX[0]}}} = 1$\n", timeout=60).stdout
    assert "\\input{/etc/passwd}" in raw
    r = run("trace", spec, "--input", "1,0", "--target", TARGET, "--notation", "net-out", "--format", "markdown")
    tex = subprocess.run(["pandoc", "-f", "markdown", "-t", "latex"], text=True, capture_output=True,
                         input=r.stdout, timeout=60)
    assert tex.returncode == 0, tex.stderr
    assert "/etc/passwd" in tex.stdout              # the label is drawn …
    for command in ("\\input", "\\write18", "\\immediate"):
        assert command not in tex.stdout            # … but never as a command


@needs_pandoc
def test_exam_handouts_and_lms_banks_stay_inert(browser, tmp_path):
    """A hostile spec as an exam's lesson: the HTML handout runs no script,
    the Moodle XML bank parses (no control character from the file)."""
    from xml.etree import ElementTree
    spec = hp.write_spec(tmp_path / "lesson.json", (2, 3, 2))
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name\ns001,x\n", encoding="utf-8")
    r = run("exam", spec, "--input", "1,0", "--target", "0,1", "--students", roster, "--out", tmp_path / "pack",
            "--notation", "net-out", "--format", "html")
    assert r.returncode == 0, r.stderr
    page = tmp_path / "pack" / "handouts" / "s001.html"
    assert not LIVE.search(page.read_text(encoding="utf-8"))
    assert hp.title_after_load(browser, page) != "PWNED"
    r = run("exam", spec, "--input", "1,0", "--target", "0,1", "--students", roster, "--out", tmp_path / "pack2",
            "--notation", "net-out", "--lms", "moodle")
    assert r.returncode == 0, r.stderr
    ElementTree.parse(tmp_path / "pack2" / "lms" / "bank.xml")
