"""--theme projector: the diagram and the step page read from the back row.

Measured in headless Chromium (Debian's chromium + chromium-driver through
selenium), the viewport set exactly with the DevTools protocol: the computed
font size of every visible text, times the SVG's screen scale for text in
the drawing.  Golden numbers: Mazur's weights (0.15 … 0.55) as the edge
values of his 2-2-2 figure.

The pages are measured at 1280×720 (the smallest projector) and at
1920×1080, the step page at every one of its terms (a long formula that
wraps would take room from the drawing)."""
from __future__ import annotations

import re

import pytest
from browser import browser_fixture

from conftest import ROOT, SWITCH
from inproc import run

import neuronet
from neuronet.present import diagram, projector

MAZUR = ROOT / "walkthroughs" / "mazur-2-2-2" / "network.toml"


def ids(svg: str) -> set[str]:
    return set(re.findall(r'id="([^"]+)"', svg))


def test_every_text_is_at_least_28px_in_the_drawing():
    svg = projector.svg(neuronet.load(SWITCH), values=True)
    sizes = [int(x) for x in re.findall(r"font-size:\s*(\d+)px", svg)]
    sizes += [int(x) for x in re.findall(r'font-size="(\d+)px"', svg)]
    assert sizes and min(sizes) >= 28
    assert 'preserveAspectRatio="xMidYMid meet"' in svg and ' width="' not in svg.split(">", 1)[0]


def test_the_same_ids_as_the_plain_diagram():
    """The step page lights and fills the projector drawing with the same script."""
    for path in (SWITCH, MAZUR, ROOT / "walkthroughs" / "iris" / "network.toml"):
        net = neuronet.load(path)
        plain = {i for i in ids(diagram.svg(net, values=True)) if not i.startswith("band")}
        assert plain <= ids(projector.svg(net, values=True)), path


def test_a_negative_weight_is_dashed_and_orange():
    net = neuronet.load(MAZUR)
    net.layers[1][0].w[1] = -0.5                     # w7: h1 → o2
    svg = projector.svg(net)
    line = re.search(r'<line id="w2-0-1"[^>]*>', svg).group(0)
    assert 'stroke-dasharray="14 8"' in line and projector.NEGATIVE in line
    other = re.search(r'<line id="w2-0-0"[^>]*>', svg).group(0)
    assert "dasharray" not in other and projector.POSITIVE in other


def test_mazurs_weights_are_written_on_his_edges():
    svg = projector.svg(neuronet.load(MAZUR))
    shown = re.findall(r'class="edge-value"[^>]*>([^<]+)<', svg)
    assert sorted(shown) == ["0.15", "0.2", "0.25", "0.3", "0.4", "0.45", "0.5", "0.55"]
    # 002's 2-4-3-2: a → b has 8 drawn weights and b → c 12, too many to label; c → d has 6
    shown = re.findall(r'class="edge-value"[^>]*>([^<]+)<', projector.svg(neuronet.load(SWITCH)))
    assert sorted(shown) == ["0.3", "0.4", "0.5", "0.6", "0.7", "0.8"]


def test_labels_are_drawn_after_every_line():
    """No weight line is drawn over a number: each edge value and its plate come after all lines."""
    svg = projector.svg(neuronet.load(MAZUR), values=True)
    last_line = max(m.start() for m in re.finditer(r"<line id=", svg))
    assert all(m.start() > last_line for m in re.finditer(r'class="plate"', svg))
    assert svg.index('class="neurons"') > last_line             # circles and cards over the lines


def test_show_writes_the_projector_drawing(tmp_path):
    r = run("show", MAZUR, "--svg", tmp_path / "m.svg", "--theme", "projector")
    assert r.returncode == 0, r.stderr
    assert 'class="neuronet-diagram projector"' in (tmp_path / "m.svg").read_text(encoding="utf-8")
    r = run("show", MAZUR, "--html", tmp_path / "m.html", "--theme", "projector")
    assert "height:100%" in (tmp_path / "m.html").read_text(encoding="utf-8")


# -- in the browser ----------------------------------------------------------------------------

MEASURE = """
const svg = [], page = [];
for (const t of document.querySelectorAll('text, tspan, #header *, header *, .formula, .formula *, footer button')) {
  if (!t.textContent.trim()) continue;
  const cs = getComputedStyle(t);
  if (cs.display === 'none' || cs.visibility === 'hidden' || t.getClientRects().length === 0) continue;
  const px = parseFloat(cs.fontSize);
  if (t.ownerSVGElement) svg.push(px * t.ownerSVGElement.getScreenCTM().a); else page.push(px);
}
// the step page's drawing lives in <main>; show's page, or an SVG opened alone, fills the window
const m = document.querySelector('main') || document.scrollingElement || document.documentElement;
const s = document.querySelector('svg').getBoundingClientRect();
const box = document.querySelector('main') ? m.getBoundingClientRect()
  : {top: 0, left: 0, bottom: window.innerHeight, right: window.innerWidth};
return {svg: Math.min(...svg), page: Math.min(...page),
        scrolls: m.scrollHeight > m.clientHeight + 1 || m.scrollWidth > m.clientWidth + 1,
        inside: s.top >= box.top - 1 && s.bottom <= box.bottom + 1 && s.left >= box.left - 1 && s.right <= box.right + 1};
"""


browser = browser_fixture("--hide-scrollbars")


def _page(tmp_path, spec, *args):
    out = tmp_path / f"{spec.parent.name}.html"
    r = run("step", spec, *args, "--notation", "net-out", "--html", out, "--theme", "projector")
    assert r.returncode == 0, r.stderr
    return out


def _measure(browser, page, width, height, scale=1.0, shot=None):
    from selenium.webdriver.common.keys import Keys
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": width, "height": height, "deviceScaleFactor": scale, "mobile": False})
    browser.get(page.as_uri())
    if page.suffix == ".html":
        browser.find_element("tag name", "body").send_keys(Keys.END)     # every value filled in
    if shot:
        browser.save_screenshot(str(shot))
    return browser.execute_script(MEASURE)


#: MEASURE at every term of the step page, from the first: the smallest of each, and how many
#: terms scrolled or spilled out of the main box
EVERY_TERM = """
const measure = new Function(arguments[0]), n = +document.documentElement.dataset.termCount;
let svg = Infinity, page = Infinity, bad = 0;
for (let i = 0; i < n; i++) {
  const m = measure();
  svg = Math.min(svg, m.svg); page = Math.min(page, m.page);
  if (m.scrolls || !m.inside) bad++;
  document.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowRight'}));
}
return {svg, page, bad, terms: n, last: +document.documentElement.dataset.termIndex};
"""

LESSONS = ((SWITCH, ["--input", "1,0", "--target", "0,1", "--round", "4"]),
           (MAZUR, ["--input", "0.05,0.1", "--target", "0.01,0.99", "--lr-bias", "0"]))


@pytest.mark.parametrize("width,height", [(1280, 720), (1920, 1080)])
def test_the_step_page_has_no_text_under_28px_at_any_term(browser, tmp_path, width, height):
    for spec, args in LESSONS:
        shot = tmp_path / f"{spec.parent.name}-{width}x{height}.png"
        page = _page(tmp_path, spec, *args)
        m = _measure(browser, page, width, height, shot=shot)            # at the last term, all filled in
        assert m["svg"] >= 28 and m["page"] >= 28, (spec.parent.name, m)
        assert not m["scrolls"] and m["inside"], m
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        browser.get(page.as_uri())
        every = browser.execute_script(EVERY_TERM, MEASURE)
        assert every["last"] == every["terms"] - 1                         # the loop did walk every term
        assert every["svg"] >= 28 and every["page"] >= 28 and every["bad"] == 0, (spec.parent.name, every)


@pytest.mark.parametrize("width,height", [(1280, 720), (1920, 1080)])
def test_show_svg_and_html_have_no_text_under_28px(browser, tmp_path, width, height):
    """002's network with its z, a, δ cards (4 significant digits: the widest values), as a
    standalone SVG and as show's page; and in 002's notation, the widest names (∂E/∂net)."""
    for spec, args in ((SWITCH, ["--input", "1,0", "--target", "0,1"]), (MAZUR, ["--input", "0.05,0.1",
                                                                                 "--target", "0.01,0.99"])):
        for notation in ((), ("--notation", "net-out")):
            for kind in ("svg", "html"):
                out = tmp_path / f"{spec.parent.name}{len(notation)}.{kind}"
                r = run("show", spec, *args, *notation, f"--{kind}", out, "--theme", "projector")
                assert r.returncode == 0, r.stderr
                assert "v-d-1-0" in out.read_text(encoding="utf-8")             # the cards are drawn
                m = _measure(browser, out, width, height, shot=tmp_path / f"{out.name}-{width}.png")
                assert m["svg"] >= 28 and m["inside"] and not m["scrolls"], (out.name, m)


#: every card as the browser shows it: its lines' text, the ids of its values in order, and
#: whether each line lies inside the card's box
CARDS = """
const box = e => e.getBBox();
return [...document.querySelectorAll('svg g.unit')].filter(u => u.querySelector('rect.card')).map(u => {
  const c = box(u.querySelector('rect.card'));
  const lines = [...u.querySelectorAll('text.value')].filter(t => getComputedStyle(t).display !== 'none');
  return {lines: lines.map(t => t.textContent), ids: [...u.querySelectorAll('text.value tspan[id]')].map(t => t.id),
          layer: +u.dataset.layer, neuron: +u.dataset.neuron,
          inside: lines.every(t => { const b = box(t);
            return b.x >= c.x && b.x + b.width <= c.x + c.width && b.y >= c.y && b.y + b.height <= c.y + c.height; })};
});
"""


def test_the_cards_name_the_values_as_002_does(browser, tmp_path):
    """002's step page in its notation (one of LESSONS, measured at 28 px above): every card of
    layers b, c, d reads net, out, ∂E/∂net (002 §4–5), not z, a, δ — read back from the page the
    browser shows, with every value filled in — and each of its lines stays inside the card."""
    page = _page(tmp_path, SWITCH, "--input", "1,0", "--target", "0,1", "--round", "4")
    _measure(browser, page, 1280, 720, shot=tmp_path / "cards.png")     # at the last term
    cards = browser.execute_script(CARDS)
    assert sorted((c["layer"], c["neuron"]) for c in cards) == [(l, j) for l, n in ((1, 4), (2, 3), (3, 2))
                                                                for j in range(n)]
    for c in cards:
        where = f'{c["layer"]}-{c["neuron"]}'
        # ∂E/∂net beside its value or on a line of its own, its "= value" under it
        assert re.fullmatch(r"net = \d\.\d{4} out = \d\.\d{4} ∂E/∂net ?= −?\d\.\d{4}",
                            " ".join(c["lines"])), c
        assert c["ids"] == [f"v-z-{where}", f"v-a-{where}", f"v-d-{where}"], c
        assert c["inside"], c
    # the inputs as 002 writes them: a_1 = 1, a_2 = 0 (its "a" under each circle)
    inputs = browser.execute_script("return [...document.querySelectorAll('text.input-value')].map(t => "
                                    "[...t.childNodes].filter(n => getComputedStyle(n.nodeType === 1 ? n : "
                                    "t).display !== 'none').map(n => n.textContent).join(''))")
    assert inputs == ["a = 1", "a = 0"], inputs


def test_at_150_percent_zoom_the_diagram_scales_and_never_scrolls(browser, tmp_path):
    """A 1920×1080 screen at 150% zoom is a 1280×720 CSS viewport at 1.5 device pixels a px."""
    page = _page(tmp_path, SWITCH, "--input", "1,0", "--target", "0,1", "--round", "4")
    m = _measure(browser, page, 1280, 720, 1.5, shot=tmp_path / "switch-zoom150.png")
    assert not m["scrolls"] and m["inside"], m
    assert m["page"] >= 28 and m["svg"] >= 28   # the type does not shrink with the zoom
    # the checks can fail: a drawing taller than its box is caught …
    browser.execute_script("document.querySelector('#diagram svg').style.height = '3000px';")
    m = browser.execute_script(MEASURE)
    assert m["scrolls"] or not m["inside"]
    # … and so is the default theme's small type
    plain = tmp_path / "plain.html"
    r = run("step", SWITCH, "--input", "1,0", "--target", "0,1", "--notation", "net-out", "--html", plain)
    assert r.returncode == 0
    assert _measure(browser, plain, 1920, 1080)["svg"] < 28


#: every weight line against every text's box (in the drawing's units, as the browser lays the
#: text out), and the edge-value plates against each other and every neuron, card and text
CROSSINGS = """
const svg = document.querySelector('svg');
const rect = b => ({x0: b.x + 1, y0: b.y + 1, x1: b.x + b.width - 1, y1: b.y + b.height - 1});
const hits = (p, q, r) => {            // Liang–Barsky: does segment p→q enter rectangle r?
  let t0 = 0, t1 = 1; const dx = q[0] - p[0], dy = q[1] - p[1];
  for (const [a, b] of [[-dx, p[0] - r.x0], [dx, r.x1 - p[0]], [-dy, p[1] - r.y0], [dy, r.y1 - p[1]]]) {
    if (a === 0) { if (b < 0) return false; continue; }
    const t = b / a;
    if (a < 0) { if (t > t1) return false; if (t > t0) t0 = t; } else { if (t < t0) return false; if (t < t1) t1 = t; }
  }
  return true;
};
const meet = (a, b) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
const lines = [...svg.querySelectorAll('line.weight')].map(l =>
  [l.id, [l.x1.baseVal.value, l.y1.baseVal.value], [l.x2.baseVal.value, l.y2.baseVal.value]]);
const texts = [...svg.querySelectorAll('text')].filter(t => !t.classList.contains('edge-value') && t.getBBox().width > 0);
const out = [];
for (const t of texts) for (const [id, p, q] of lines) if (hits(p, q, rect(t.getBBox()))) out.push(id + ' under ' + t.textContent);
const plates = [...svg.querySelectorAll('rect.plate')].filter(p => p.nextElementSibling &&
  p.nextElementSibling.classList.contains('edge-value')).map(p => [p.nextElementSibling.textContent, rect(p.getBBox())]);
const solid = [...svg.querySelectorAll('circle.neuron, rect.card')].concat(texts);
plates.forEach(([a, ra], i) => {
  plates.slice(i + 1).forEach(([b, rb]) => { if (meet(ra, rb)) out.push(a + ' on ' + b); });
  for (const s of solid) if (meet(ra, rect(s.getBBox()))) out.push(a + ' on ' + (s.textContent || s.id));
});
return {crossings: out, lines: lines.length, texts: texts.length, plates: plates.length};
"""


def test_no_weight_runs_under_a_label_and_no_edge_value_covers_another(browser, tmp_path):
    """Measured, not assumed: the browser's own text boxes against the drawn lines."""
    pages = [(_page(tmp_path, spec, *args), spec) for spec, args in LESSONS]
    for spec in (SWITCH, MAZUR):
        out = tmp_path / f"{spec.parent.name}-bare.svg"            # no cards: room for 002's c → d values
        assert run("show", spec, "--svg", out, "--theme", "projector").returncode == 0
        pages.append((out, spec))
    plated = 0
    for page, spec in pages:
        _measure(browser, page, 1280, 720)
        m = browser.execute_script(CROSSINGS)
        assert m["lines"] > 0 and m["texts"] > 0, m
        assert m["crossings"] == [], (page.name, m["crossings"])
        plated += m["plates"]
    assert plated >= 8 + 8 + 6          # Mazur's 8 values on his step page and bare; 002's c → d bare
    # the check can fail: a bias centred under its circle sits on the weights coming in
    # (on Mazur's page: 002's layers have no biases to draw)
    _measure(browser, next(page for page, spec in pages if spec == MAZUR), 1280, 720)
    browser.execute_script("for (const b of document.querySelectorAll('text.bias')) {"
                           "b.setAttribute('text-anchor', 'middle'); b.setAttribute('y', b.getAttribute('y') - 30); }")
    assert browser.execute_script(CROSSINGS)["crossings"]


def test_a_layer_without_biases_draws_none_in_every_theme(tmp_path):
    """002's layers have no biases (`biases = false`): neither theme writes a b
    under them; Mazur's trained b1, b2 are drawn in both."""
    for spec, want in ((SWITCH, 0), (MAZUR, 4)):
        for theme in ("projector", None):
            out = tmp_path / f"{spec.parent.name}-{theme}.svg"
            args = ("--theme", theme) if theme else ()
            assert run("show", spec, "--svg", out, *args).returncode == 0
            assert len(re.findall(r'id="b\d+-\d+" class="bias"', out.read_text())) == want, \
                (spec.parent.name, theme)
