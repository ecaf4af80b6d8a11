"""Notebooks: Network's short repr and SVG, a trace as MathML HTML and Markdown + LaTeX (an
nbconvert export showing its math offline), and the 002 walkthrough notebook executed by nbclient.

The numbers checked in the notebook's output are the ones
002_25d3dd3a4f2fa46e.txt prints: §4 out_d = (0.7199, 0.8375); §7 ∂E/∂net_d =
(0.1452, −0.0221), ∂E/∂net_c = (0.0065, 0.0073, 0.0070), W_d_g =
[[0.0998, 0.1133, 0.1236], [−0.0152, −0.0172, −0.0188]], and the new W_c,
whose first row is 0.2483 0.2981 0.3480 0.3978.
"""
import subprocess
import sys
from pathlib import Path

import pytest

import neuronet
from browser import browser_fixture
from neuronet.present.tracing import trace

ROOT = Path(__file__).resolve().parents[2]
WALK = ROOT / "walkthroughs" / "switch-2-4-3-2"
NOTEBOOK = WALK / "switch-2-4-3-2.ipynb"


def test_network_repr_is_one_short_line(switch_spec):
    net = neuronet.load(switch_spec)
    assert repr(net) == ("Network('switch-2-4-3-2', sizes 2-4-3-2, sigmoid/sigmoid/sigmoid, "
                         "loss half_sse, 26 parameters)")      # 26 weights (002 §4), no biases (002 line 11)


def test_network_repr_svg_is_the_diagram(switch_spec):
    svg = neuronet.load(switch_spec)._repr_svg_()
    assert svg.startswith("<svg") and svg.count("<circle") == 11 and svg.count('class="weight"') == 26


def test_engine_does_not_import_a_renderer():
    code = ("import sys, neuronet.engine.network; "
            "print(sorted(m for m in sys.modules if m.startswith(('neuronet.present.diagram', 'rich'))))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and "neuronet.present.diagram" not in r.stdout, r.stdout + r.stderr


def test_trace_renders_as_markdown_with_latex(switch_spec):
    t = trace(str(switch_spec), [1, 0], [0, 1], notation="net-out", decimals=4)
    md = t._repr_markdown_()
    # 002 §7: ∂E_total/∂w_d1 = 0.1452 · 0.6876 = 0.0998, written as LaTeX math, not literal braces in HTML
    lines = [ln for ln in md.splitlines() if ln.startswith("- $")]
    assert len(t) == 148                        # 002's step: no bias terms
    # 002 writes each input once (a_1 = 1): the input event and its activation are one line
    assert len(lines) == 146 and sum(ln.startswith("- $a_{1} = ") for ln in lines) == 1
    assert any(r"\partial w_{d1}} =" in ln and ln.endswith("= 0.0998$") for ln in lines)


def _run_notebook():
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbclient.NotebookClient(nb, timeout=180, kernel_name="python3",
                            resources={"metadata": {"path": str(WALK)}}).execute()
    return nb


def test_walkthrough_notebook_executes_and_shows_002s_numbers():
    nb = _run_notebook()
    code = [c for c in nb.cells if c.cell_type == "code"]
    for c in code:
        assert not [o for o in c.outputs if o.output_type == "error"], c.source
    # cell 1: the network as a diagram, with a short text repr
    out = code[0].outputs[0]["data"]
    assert out["text/plain"].startswith("Network('switch-2-4-3-2', sizes 2-4-3-2")
    assert out["image/svg+xml"].count("<circle") == 11
    # cell 2: the trace as HTML with MathML formulas (drawn offline, by the front end and an
    # nbconvert export alike), beside the Markdown + LaTeX form
    data = code[1].outputs[0]["data"]
    assert data["text/html"].count("<math ") == 146 and "$" not in data["text/html"]
    assert r"\mathrm{out}_{d1}" in data["text/markdown"]
    # cell 3: the numbers 002 prints
    text = "".join(o.get("text", "") for o in code[2].outputs)
    assert "out_d       [0.7199, 0.8375]" in text
    assert "δ_d         [0.1452, -0.0221]" in text
    assert "δ_c         [0.0065, 0.0073, 0.007]" in text
    assert "W_d_g       [[0.0998, 0.1133, 0.1236], [-0.0152, -0.0172, -0.0188]]" in text
    assert "W_c new     [[0.2483, 0.2981, 0.348, 0.3978], [0.4481, 0.4979, 0.5477, 0.5975], " \
           "[0.6481, 0.698, 0.7478, 0.7976]]" in text
    # cell 5: the diagram with the sample's values (002 §4: out_b1 = 0.5250)
    svg = code[4].outputs[0]["data"]["image/svg+xml"]
    assert 'id="v-a-1-0">0.5250<' in svg and 'id="v-d-3-1">−0.0221<' in svg


browser = browser_fixture(logs=True)


def test_an_nbconvert_export_shows_the_traces_math_offline(browser, tmp_path):
    """nbconvert's HTML template loads MathJax from a CDN; offline that fails, and the
    trace's formulas must still be math: its HTML form's MathML, drawn by the browser."""
    import json
    nbconvert = pytest.importorskip("nbconvert")
    html, _ = nbconvert.HTMLExporter().from_notebook_node(_run_notebook())
    page = tmp_path / "export.html"
    page.write_text(html, encoding="utf-8")
    browser.get_log("performance")
    browser.get(page.as_uri())
    seen = browser.execute_script("""
      const m = [...document.querySelectorAll('.neuronet-trace math')];
      return {n: m.length, empty: m.filter(e => { const r = e.getBoundingClientRect();
                                                  return !(r.width > 0 && r.height > 0); }).length,
              text: [...document.querySelectorAll('.neuronet-trace')].map(e => e.innerText).join('')};""")
    assert seen["n"] == 146 and seen["empty"] == 0
    assert "$" not in seen["text"] and "\\frac" not in seen["text"] and "_{" not in seen["text"]
    # whatever the template asks for (MathJax, require.js) goes to the dead proxy and fails
    sent = [json.loads(x["message"])["message"] for x in browser.get_log("performance")]
    failed = {r["params"]["requestId"] for r in sent if r["method"] == "Network.loadingFailed"}
    remote = [r for r in sent if r["method"] == "Network.requestWillBeSent"
              and not r["params"]["request"]["url"].startswith(("file:", "data:"))]
    assert all(r["params"]["requestId"] in failed for r in remote)
