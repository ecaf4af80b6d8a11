"""MathML drawn from the Latex style (present/mathml.py), judged by an independent converter.

The judge is pandoc (``pandoc --mathml``, a Haskell TeX-math reader of its
own, texmath): for every line of 002's trace and of the softmax-ce
walkthrough's (003's batch of 3), in every notation, the characters of our
MathML's token elements, in order, must be the characters of pandoc's.  Every
``<math>`` must also parse as XML in the MathML namespace.  In headless
Chromium a Trace's HTML form draws real <math> boxes, no literal ``$`` or
``\\frac``, and fetches nothing.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest

from browser import browser_fixture
from conftest import ROOT, SWITCH
from mathtext import token_text
from neuronet.present import notation
from neuronet.present.mathml import NS, latex_line, to_mathml
from neuronet.present.tracing import trace

SOFTMAX = ROOT / "walkthroughs" / "softmax-ce"


def _traces():
    s = json.loads((SOFTMAX / "samples.json").read_text(encoding="utf-8"))
    for name in notation.NOTATIONS:
        yield name, trace(str(SWITCH), [1, 0], [0, 1], eta=0.5, notation=name, decimals=4)
        yield name, trace(str(SOFTMAX / "network.toml"), s["inputs"], s["targets"], eta=0.1, notation=name)


def _latex_lines(t):
    """The LaTeX lines of a trace, as its Markdown form writes them between $…$."""
    shown = t.view.styled(latex=True).shown()
    return [latex_line(d) for d in map(shown, t.events) if not d.repeat]


LINES = sorted({line for _, t in _traces() for line in _latex_lines(t)})


def test_every_line_is_mathml_in_its_namespace():
    assert len(LINES) > 1000
    for line in LINES:
        root = ET.fromstring(to_mathml(line))          # well-formed XML, or ParseError
        assert root.tag == f"{{{NS}}}math", line
        assert all(el.tag.startswith(f"{{{NS}}}") for el in root.iter()), line


@pytest.mark.skipif(not shutil.which("pandoc"), reason="pandoc is not installed: no independent judge")
def test_mathml_says_what_pandoc_says():
    # one pandoc run for all lines: each a paragraph of inline math
    md = "\n\n".join(f"${line}$" for line in LINES)
    out = subprocess.run(["pandoc", "-f", "markdown", "-t", "html", "--mathml"], input=md,
                         capture_output=True, text=True, check=True, timeout=300).stdout
    theirs = re.findall(r"<math\b.*?</math>", out, re.S)
    assert len(theirs) == len(LINES), "pandoc could not read some line as math"
    for line, math in zip(LINES, theirs):
        root = ET.fromstring(math)
        for ann in root.iter(f"{{{NS}}}semantics"):      # pandoc keeps the TeX as an annotation
            for a in list(ann):
                if a.tag.endswith("annotation"):
                    ann.remove(a)
        assert token_text(to_mathml(line)) == token_text(root), line


def test_a_label_stays_text():
    hostile = notation.LATEX.label('</math><script>alert(1)</script>$\\input{x}')
    math = to_mathml(rf"\mathrm{{net}}_{{{hostile}}} = 1")
    root = ET.fromstring(math)                          # still one well-formed element
    assert "<script" not in math and root.find(f".//{{{NS}}}math") is None
    assert "<script>alert(1)</script>" in token_text(root)   # every character shown as what it is


def test_outside_the_subset_is_an_error():
    with pytest.raises(ValueError, match=r"\\sqrt"):
        to_mathml(r"\sqrt{2}")


browser = browser_fixture(logs=True)


def test_a_traces_html_draws_math_offline(browser, tmp_path):
    t = trace(str(SWITCH), [1, 0], [0, 1], eta=0.5, notation="net-out", decimals=4)
    page = tmp_path / "trace.html"
    page.write_text(f"<!DOCTYPE html><meta charset='utf-8'><body>{t._repr_html_()}</body>", encoding="utf-8")
    browser.get(page.as_uri())
    seen = browser.execute_script("""
      const m = [...document.querySelectorAll('math')];
      return {n: m.length, empty: m.filter(e => { const r = e.getBoundingClientRect();
                                                  return !(r.width > 0 && r.height > 0); }).length,
              fracs: document.querySelectorAll('mfrac').length, text: document.body.innerText};""")
    assert seen["n"] == len([d for d in _latex_lines(t)]) and seen["empty"] == 0
    assert seen["fracs"] > 0
    assert "$" not in seen["text"] and "\\frac" not in seen["text"] and "_{" not in seen["text"]
    requests = [json.loads(x["message"])["message"] for x in browser.get_log("performance")]
    urls = [r["params"]["request"]["url"] for r in requests if r["method"] == "Network.requestWillBeSent"]
    assert all(u.startswith("file:") for u in urls), urls


def test_the_step_page_draws_math_offline(browser, tmp_path):
    from inproc import run
    from selenium.webdriver.common.keys import Keys
    page = tmp_path / "step.html"
    r = run("step", SWITCH, "--input", "1,0", "--target", "0,1", "--notation", "net-out", "--html", page)
    assert r.returncode == 0, r.stderr
    browser.get_log("performance")                     # forget what came before
    browser.get(page.as_uri())
    body = browser.find_element("tag name", "body")
    n = int(browser.execute_script("return document.documentElement.dataset.termCount"))
    for k in range(n):                                 # every term's panel
        if k:
            body.send_keys(Keys.ARROW_RIGHT)
        seen = browser.execute_script("""
          const f = document.getElementById('term-formula'), m = f.querySelectorAll('math');
          const r = m.length ? m[0].getBoundingClientRect() : {width: 0, height: 0};
          return {n: m.length, w: r.width, h: r.height, text: f.innerText};""")
        assert seen["n"] == 1 and seen["w"] > 0 and seen["h"] > 0, (k, seen)
        assert "$" not in seen["text"] and "\\" not in seen["text"] and "_{" not in seen["text"], (k, seen)
    requests = [json.loads(x["message"])["message"] for x in browser.get_log("performance")]
    urls = [r["params"]["request"]["url"] for r in requests if r["method"] == "Network.requestWillBeSent"]
    assert all(u.startswith("file:") for u in urls), urls
