"""`neuronet show --svg`: the network drawn as a graph; `--dot`: one neuron's chain.

Golden numbers come from 002_25d3dd3a4f2fa46e.txt: its weights (§4, W_b, W_c,
W_d, which the walkthrough spec copies) and its printed values of the sample
a1 = 1, a2 = 0 → (0, 1) (§4 out_b, net_c, out_c, out_d; §7 the δ of layers d,
c and b), all to the 4 decimals the text carries.  net_d1 is 0.9440 here
where 002 prints 0.9441 (a slip in the text: 0.3·0.6876 + 0.4·0.7802 +
0.5·0.8513 = 0.94401, see walkthroughs/errata).
"""
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest

import neuronet
from neuronet.bench.harness import spec_for
from neuronet.present import diagram, dot
from neuronet.present.view import View

SVG = "{http://www.w3.org/2000/svg}"
IRIS = "walkthroughs/iris/network.toml"


def _tree(text):
    return ET.fromstring(text.split("?>", 1)[-1] if text.startswith("<?xml") else text)


def _all_text(el) -> str:
    return "".join(el.itertext())


def test_one_circle_per_neuron_one_line_per_weight(switch_spec):
    net = neuronet.load(switch_spec)
    root = _tree(diagram.svg(net, view=View.of(net, "net-out")))
    circles = root.findall(f".//{SVG}circle")
    lines = root.findall(f".//{SVG}line[@class='weight']")
    assert len(circles) == 2 + 4 + 3 + 2
    assert len(lines) == 2 * 4 + 4 * 3 + 3 * 2
    # every weight line carries its own weight (002 §4: W_c row 1 is 0.25 0.30 0.35 0.40)
    w = {ln.get("id"): _all_text(ln) for ln in lines}
    assert w["w2-0-0"] == "w_c1 = 0.25" and w["w2-3-0"] == "w_c4 = 0.4"
    assert w["w3-2-1"] == "w_d6 = 0.8"


def test_labels_are_the_notation_symbols_and_layers_are_captioned(switch_spec):
    net = neuronet.load(switch_spec)
    root = _tree(diagram.svg(net, view=View.of(net, "net-out")))
    labels = [_all_text(t) for t in root.iter(f"{SVG}text") if t.get("class") == "label"]
    # 002's inputs are a_1, a_2 (its line 38), the rest out_{b1} … (drawn with a subscript tspan)
    assert labels == ["a1", "a2", "outb1", "outb2", "outb3", "outb4", "outc1", "outc2", "outc3",
                      "outd1", "outd2"]
    captions = [_all_text(t) for t in root.iter(f"{SVG}text") if t.get("class") in ("caption", "subcaption")]
    # the layers as 002 letters them (layer d the output), in 004's notation numbered
    assert "layer d output" in captions and "sigmoid · 3 neurons" in captions
    # 004's notation (§2.2 line 78): layers lettered k (output), j, i, h; a_i0 is neuron 0 of layer i
    root = _tree(diagram.svg(net, view=View.of(net, "delta")))
    labels = [_all_text(t) for t in root.iter(f"{SVG}text") if t.get("class") == "label"]
    assert labels[2] == "ai0"
    captions = [_all_text(t) for t in root.iter(f"{SVG}text") if t.get("class") == "caption"]
    assert "layer k output" in captions


def test_colour_by_sign_width_by_magnitude():
    spec = {"loss": "half_sse", "layers": [{"size": 2}, {"size": 1, "activation": "sigmoid",
                                                          "weights": [[0.5], [-2.0]]}]}
    root = _tree(diagram.svg(neuronet.from_dict(spec)))
    pos, neg = root.find(f".//{SVG}line[@id='w1-0-0']"), root.find(f".//{SVG}line[@id='w1-1-0']")
    assert pos.get("stroke") == diagram.POSITIVE and neg.get("stroke") == diagram.NEGATIVE
    assert float(neg.get("stroke-width")) > float(pos.get("stroke-width"))
    assert float(neg.get("stroke-opacity")) > float(pos.get("stroke-opacity"))


def test_values_of_002s_sample_beside_each_neuron(cli, switch_spec, tmp_path):
    out = tmp_path / "net.svg"
    r = cli("show", switch_spec, "--svg", out, "--input", "1,0", "--target", "0,1",
            "--notation", "net-out", "--round", "4")
    assert r.returncode == 0, r.stderr
    root = _tree(out.read_text(encoding="utf-8"))
    v = {t.get("id"): t.text for t in root.iter(f"{SVG}tspan") if t.get("id", "").startswith("v-")}
    # 002 §4: out_b, net_c, out_c, out_d; §7: δ_d, δ_c, δ_b
    assert [v[f"v-a-1-{j}"] for j in range(4)] == ["0.5250", "0.5744", "0.6225", "0.6682"]
    assert [v[f"v-z-2-{j}"] for j in range(3)] == ["0.7887", "1.2667", "1.7448"]
    assert [v[f"v-a-2-{j}"] for j in range(3)] == ["0.6876", "0.7802", "0.8513"]
    assert [v[f"v-a-3-{j}"] for j in range(2)] == ["0.7199", "0.8375"]
    assert [v[f"v-d-3-{j}"] for j in range(2)] == ["0.1452", "−0.0221"]
    assert [v[f"v-d-2-{j}"] for j in range(3)] == ["0.0065", "0.0073", "0.0070"]
    assert [v[f"v-d-1-{j}"] for j in range(4)] == ["0.0024", "0.0026", "0.0027", "0.0028"]
    assert "v-d-0-0" not in v                   # the input layer has no δ
    # 002 has no biases (its line 11; the spec says biases = false): none is drawn
    biases = [t for t in root.iter(f"{SVG}text") if t.get("id", "").startswith("b")]
    assert biases == []
    # z, a and δ named as 002 names them
    names = {_all_text(t).split(" = ")[0] for t in root.iter(f"{SVG}text") if t.get("class") == "value"}
    assert names == {"a", "net", "out", "∂E/∂net"}     # the inputs a_1, a_2 (line 38), once each
    # and their wider cards stay inside the picture
    width = float(root.get("width"))
    cards = [t for t in root.iter(f"{SVG}rect") if t.get("class") == "card"]
    assert cards and all(float(c.get("x")) + float(c.get("width")) <= width for c in cards)


def test_every_text_is_at_least_14px(switch_spec):
    net = neuronet.load(switch_spec)
    text = diagram.svg(net, view=View.of(net, "net-out"), values=True)
    sizes = [int(s) for s in re.findall(r"font-size:\s*(\d+)px", text)]
    sizes += [int(s) for s in re.findall(r'font-size="(\d+)px"', text)]
    assert sizes and min(sizes) >= 14
    assert 'viewBox="0 0 1280 ' in text        # drawn at the projector's 1280 px


def test_big_network_is_summarised_into_bundles(tmp_path):
    net = neuronet.from_dict(spec_for([784, 200, 100, 10]))
    text = diagram.svg(net)
    root = _tree(text)
    circles = root.findall(f".//{SVG}circle")
    lines = root.findall(f".//{SVG}line[@class='weight']")
    per = diagram.MAX_ROWS - 1                 # rows minus the bundle's
    assert len(circles) == 4 * per            # every layer is over 8: 5 + a bundle + 2
    bundles = {g.get("id"): _all_text(g).strip() for g in root.iter(f"{SVG}g") if g.get("id", "").startswith("bundle")}
    assert bundles == {"bundle0": "… 777 more", "bundle1": "… 193 more", "bundle2": "… 93 more",
                       "bundle3": "… 3 more"}
    assert len(lines) == 3 * per * per
    assert len(root.findall(f".//{SVG}polygon")) == 6      # a band to and from each bundle
    assert "156,800 weights, 49 drawn" in text
    assert len(text) < 100_000


def test_iris_4_8_3_is_drawn_whole():
    net = neuronet.load(IRIS)
    root = _tree(diagram.svg(net))
    assert len(root.findall(f".//{SVG}circle")) == sum(net.sizes)
    assert len(root.findall(f".//{SVG}line[@class='weight']")) == 4 * 8 + 8 * 3


def test_parse_symbol_sub_and_superscripts():
    assert diagram.parse_symbol("out_{b1}") == [("out", ""), ("b1", "sub")]
    assert diagram.parse_symbol("a_1^(2)") == [("a", ""), ("1", "sub"), ("(2)", "sup")]
    assert diagram.parse_symbol("W_{i,j}^[2] + x") == [("W", ""), ("i,j", "sub"), ("[2]", "sup"), (" + x", "")]
    assert diagram.symbol_html("∂E_{total}/∂w_{d1}") == "∂E<sub>total</sub>/∂w<sub>d1</sub>"
    assert diagram.symbol_html("a<b") == "a&lt;b"


def test_tables_option_keeps_the_terminal_picture(cli, switch_spec, tmp_path):
    out = tmp_path / "t.svg"
    r = cli("show", switch_spec, "--svg", out, "--tables")
    assert r.returncode == 0, r.stderr
    text = out.read_text(encoding="utf-8")
    assert "weights into layer 3" in text.replace("\xa0", " ").replace("&#160;", " ")
    assert 'class="weight"' not in text and 'class="neuron"' not in text   # rich's export, not the graph


def test_html_page_holds_the_diagram(cli, switch_spec, tmp_path):
    out = tmp_path / "net.html"
    r = cli("show", switch_spec, "--html", out)
    assert r.returncode == 0, r.stderr
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and html.count("<circle") == 11


def test_bad_sample_is_one_line_and_never_clobbers(cli, switch_spec, tmp_path):
    out = tmp_path / "net.svg"
    out.write_text("keep")
    r = cli("show", switch_spec, "--svg", out, "--input", "1,0,1", "--target", "0,1")
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1
    assert out.read_text() == "keep"
    r = cli("show", switch_spec, "--dot", "--neuron", "7:0", "--input", "1,0", "--target", "0,1")
    assert r.returncode == 2 and "no neuron 0 in layer 7" in r.stderr
    r = cli("show", switch_spec, "--dot")
    assert r.returncode == 2 and "--input" in r.stderr


# ---------------------------------------------------------------------------
# DOT
# ---------------------------------------------------------------------------

def _b1_dot(switch_spec):
    net = neuronet.load(switch_spec)
    return dot.chain(net, [[1.0, 0.0]], [[0.0, 1.0]], 1, 0, View.of(net, "net-out", decimals=4), 4)


def test_dot_chain_of_b1_has_every_term_and_its_numbers(switch_spec):
    text = _b1_dot(switch_spec)
    events = dot.events_of(neuronet.load(switch_spec), [[1.0, 0.0]], [[0.0, 1.0]], 1, 0, 0.5, 4)
    # b1's own terms: 2 products, z, a, 3 δ·w, Σ, f′, δ, and its 2 weights' gradient and update
    # — 14; no bias gradient or update (002 has no biases: its spec says biases = false)
    assert text.count("style=rounded") == len(events) == 14
    # 002 §4: out_b1 = 0.5250; §7: ∂E/∂net_b1 = 0.0024 (δ of b1)
    assert "label=<out<SUB>b1</SUB><BR/><B>0.5250</B>>" in text
    assert "label=<∂E<SUB>total</SUB>/∂net<SUB>b1</SUB><BR/><B>0.0024</B>>" in text
    # the three δ·w terms come back from c1, c2, c3 (002: w_{c1}, w_{c5}, w_{c9} leave b1)
    for w in ("w_c1", "w_c5", "w_c9"):
        assert f"label=<{diagram.symbol_html(w).replace('sub>', 'SUB>')}<BR/>" in text
    # every edge joins nodes that exist
    nodes = set(re.findall(r"^  (\w+) \[", text, re.M)) - {"graph", "node"}
    for a, b in re.findall(r"^  (\w+) -> (\w+);", text, re.M):
        assert a in nodes and b in nodes


@pytest.mark.skipif(shutil.which("dot") is None, reason="graphviz's dot is not installed (Debian: graphviz)")
def test_graphviz_accepts_the_dot(cli, switch_spec, tmp_path):
    out = tmp_path / "b1.dot"
    r = cli("show", switch_spec, "--dot", out, "--input", "1,0", "--target", "0,1", "--notation", "net-out")
    assert r.returncode == 0, r.stderr
    svg = subprocess.run(["dot", "-Tsvg", str(out)], capture_output=True, text=True, timeout=60)
    assert svg.returncode == 0, svg.stderr
    nodes = set(re.findall(r"^  (\w+) \[", out.read_text(), re.M)) - {"graph", "node"}
    assert svg.stdout.count('class="node"') == len(nodes)


def test_dot_to_stdout_for_the_output_neuron(cli, switch_spec):
    r = cli("show", switch_spec, "--dot", "--input", "1,0", "--target", "0,1", "--neuron", "3:0",
            "--notation", "net-out", "--round", "4")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith('digraph "chain of out_d1"')
    # 002 §7: ∂E/∂net_d1 = (0.7199 − 0)·0.7199·(1 − 0.7199) = 0.1452
    assert "label=<∂E<SUB>total</SUB>/∂net<SUB>d1</SUB><BR/><B>0.1452</B>>" in r.stdout
