"""`neuronet show`: the picture in the terminal and exported for slides.

The weights looked for are the ones printed in 002_25d3dd3a4f2fa46e.txt §4
(W_b, W_c, W_d), which the walkthrough spec copies.
"""
import re
import xml.etree.ElementTree as ET


def _svg_text(root) -> str:
    # rich writes each styled run as its own <text>; spaces as no-break spaces
    return "".join("".join(el.itertext()) for el in root.iter() if el.tag.endswith("text")).replace("\xa0", " ")


def test_svg_of_the_2_4_3_2_network_is_xml(cli, switch_spec, tmp_path):
    out = tmp_path / "net.svg"
    r = cli("show", switch_spec, "--svg", out, "--tables")   # the terminal picture (the graph: test_diagram.py)
    assert r.returncode == 0, r.stderr
    root = ET.parse(out).getroot()
    assert root.tag.endswith("svg")
    text = _svg_text(root)
    for name in ("a1", "a2", "b1", "b4", "c3", "d1", "d2"):
        assert name in text
    # W_b[0][0], W_c[0][0], W_c[2][3], W_d[1][0] as 002 §4 prints them (numbers.py: no padding zeros)
    for w in ("0.1", "0.25", "0.8", "0.6"):
        assert re.search(rf"(?<![\d.]){re.escape(w)}(?![\d])", text), w
    assert "weights into layer 3" in text


def test_html_export_and_terminal_picture(cli, switch_spec, tmp_path):
    out = tmp_path / "net.html"
    r = cli("show", switch_spec, "--html", out, "--tables")
    assert r.returncode == 0, r.stderr
    html = out.read_text(encoding="utf-8")
    assert "<pre" in html and re.search(r"(?<![\d.])0\.7(?!\d)", html) and "layer 2 hidden" in html
    r = cli("show", switch_spec)
    assert r.returncode == 0 and "layer 3 output" in r.stdout and re.search(r"(?<![\d.])0\.4(?!\d)", r.stdout)


def test_big_network_is_summarised(cli, tmp_path):
    spec = tmp_path / "big.json"
    spec.write_text('{"layers": [{"size": 784}, {"size": 200, "activation": "relu"}, '
                    '{"size": 100, "activation": "relu"}, {"size": 10, "activation": "softmax"}], '
                    '"loss": "cross_entropy", "init": {"seed": 1, "scheme": "he"}}')
    r = cli("show", spec, "--width", "80")
    assert r.returncode == 0, r.stderr
    assert "more …" in r.stdout
    assert len(r.stdout.splitlines()) < 150           # summarised, never dumped
    assert max(len(line) for line in r.stdout.splitlines()) <= 80


def test_missing_spec_is_one_line_exit_2(cli, tmp_path):
    r = cli("show", tmp_path / "nope.toml", "--svg", tmp_path / "x.svg")
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1 and "nope.toml" in r.stderr
    assert not (tmp_path / "x.svg").exists()


def test_tables_show_biases_only_where_the_network_has_them(cli, switch_spec):
    """002's network has no biases (its spec: biases = false; 002 line 11), so no
    b_j row of zeros is drawn under its weights; Mazur's has b1 = 0.35 and
    b2 = 0.60 (his text; walkthroughs/mazur-2-2-2/network.toml)."""
    r = cli("show", switch_spec)
    assert r.returncode == 0 and "weights into layer 3" in r.stdout
    assert "b_j" not in r.stdout and " b 0" not in r.stdout
    mazur = switch_spec.parent.parent / "mazur-2-2-2" / "network.toml"
    r = cli("show", mazur)
    rows = [ln.split() for ln in r.stdout.splitlines() if ln.strip().startswith("b_j")]
    assert rows == [["b_j", "0.35", "0.35"], ["b_j", "0.6", "0.6"]]
