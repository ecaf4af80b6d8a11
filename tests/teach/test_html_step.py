"""`neuronet step --html`: the offline step-through page, driven in a real browser.

The page is opened from file:// in headless Chromium (Debian's `chromium` and
`chromium-driver`, through selenium) with every network request routed to a
dead proxy.  Keys are pressed as a lecturer would; what is asserted is what
a person sees: the counter, the highlighted element, the numbers.  The
numbers expected are the engine's own events for that term (a second path
to them: neuronet.teach.replay.record_step + notation.fmt), and the ones
printed by 002_25d3dd3a4f2fa46e.txt where it prints them.
"""
import json
import re
from pathlib import Path

import pytest
from browser import browser_fixture

from neuronet.present import numbers

import neuronet
from neuronet.present import diagram, notation
from neuronet.teach import html_step
from neuronet.teach.replay import Replay, record_step
from neuronet.present.view import View

ROOT = Path(__file__).resolve().parents[2]
SWITCH = ROOT / "walkthroughs" / "switch-2-4-3-2" / "network.toml"


def _events():
    net = neuronet.load(SWITCH)
    events, before, _ = record_step(net, [[1.0, 0.0]], [[0.0, 1.0]], 0.5, None, "mean", 4)
    return events, before


# ---------------------------------------------------------------------------
# without a browser
# ---------------------------------------------------------------------------

def test_page_is_self_contained_and_holds_all_148_terms(cli, tmp_path):
    out = tmp_path / "lesson.html"
    r = cli("step", SWITCH, "--input", "1,0", "--target", "0,1", "--notation", "net-out", "--round", "4",
            "--html", out)
    assert r.returncode == 0, r.stderr
    html = out.read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script id="step-data" type="application/json">(.*?)</script>', html, re.S)[1])
    assert len(data["events"]) == 148          # 002's step, every chain-rule term (no biases: 166 − 9·2)
    assert 'data-term-index="0"' in html and 'data-term-count="148"' in html
    # nothing fetched: no src/href attributes, no URL but the SVG namespace
    assert not re.search(r"\b(src|href)\s*=", html)
    # (namespace names, never fetched: the SVG's, and the formulas' MathML one inside the JSON)
    assert set(re.findall(r"https?://[^\s\"'<>)\\]+", html)) == {"http://www.w3.org/2000/svg",
                                                               "http://www.w3.org/1998/Math/MathML"}
    assert "@import" not in html and "url(" not in html


def test_walkthrough_step_writes_the_page(cli, tmp_path):
    out = tmp_path / "w.html"
    r = cli("walkthrough", "switch-2-4-3-2", "--step", "--html", out)
    assert r.returncode == 0, r.stderr
    assert 'data-term-count="148"' in out.read_text(encoding="utf-8")


def test_bad_breakpoint_is_one_line_and_writes_nothing(cli, tmp_path):
    out = tmp_path / "x.html"
    r = cli("step", SWITCH, "--input", "1,0", "--target", "0,1", "--html", out, "--break", "9:0:0")
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and "--break 9:0:0" in r.stderr
    assert not out.exists()


def test_too_many_terms_is_refused(monkeypatch):
    events, before = _events()
    monkeypatch.setattr(html_step, "MAX_EVENTS", 100)
    with pytest.raises(neuronet.DataError, match="148 terms"):
        html_step.page(before, events)


# ---------------------------------------------------------------------------
# in Chromium
# ---------------------------------------------------------------------------

browser = browser_fixture("--window-size=1280,900", "--hide-scrollbars", logs=True)


@pytest.fixture(scope="module")
def lesson(tmp_path_factory):
    out = tmp_path_factory.mktemp("html") / "lesson.html"
    events, before = _events()
    text = html_step.page(before, events, View.of(before, "net-out", decimals=4), breaks=[(2, 0, 1)])
    out.write_text(text, encoding="utf-8")
    return out


def _open(driver, path):
    driver.get(path.as_uri())
    driver.get_log("browser")                  # start each test with empty logs
    driver.get_log("performance")
    driver.get(path.as_uri())


def _index(driver) -> int:
    return int(driver.execute_script("return document.documentElement.getAttribute('data-term-index')"))


def _press(driver, key, times=1):
    from selenium.webdriver.common.action_chains import ActionChains
    chain = ActionChains(driver)
    for _ in range(times):
        chain.send_keys(key)
    chain.perform()


def _text(driver, css) -> str:
    return driver.find_element("css selector", css).text


def _lit(driver, cls):
    return driver.execute_script(
        f"return Array.from(document.getElementsByClassName('{cls}')).map(e => e.id || e.parentNode.id)")


def test_keys_move_the_counter_and_the_highlight(browser, lesson):
    from selenium.webdriver.common.keys import Keys
    events, _ = _events()
    _open(browser, lesson)
    assert _index(browser) == 0 and _text(browser, "#counter") == "term 1 of 148"
    assert _text(browser, "#phase").lower() == "forward"
    _press(browser, Keys.ARROW_RIGHT, 4)       # term 5: w_b1·a_1 (002 §4: 0.1·1)
    assert _index(browser) == 4 and _text(browser, "#counter") == "term 5 of 148"
    assert events[4].weight == (1, 0, 0) and _lit(browser, "hl-weight") == ["w1-0-0"]
    assert _lit(browser, "hl-neuron") == ["n1-0"] and _lit(browser, "hl-source") == ["n0-0"]
    _press(browser, Keys.SPACE)
    assert _index(browser) == 5 and _lit(browser, "hl-weight") == ["w1-1-0"]
    _press(browser, Keys.ARROW_LEFT)
    assert _index(browser) == 4 and _lit(browser, "hl-weight") == ["w1-0-0"]
    _press(browser, Keys.END)
    assert _index(browser) == 147 and _text(browser, "#counter") == "term 148 of 148"
    assert _text(browser, "#phase").lower() == "update"
    _press(browser, Keys.ARROW_RIGHT)          # past the end: stays
    assert _index(browser) == 147
    _press(browser, Keys.HOME)
    assert _index(browser) == 0
    _press(browser, Keys.ARROW_LEFT)           # before the start: stays
    assert _index(browser) == 0


def test_every_term_shows_the_engines_number(browser, lesson):
    """Step through all 148 terms with → and read each one off the page."""
    from selenium.webdriver.common.keys import Keys
    events, before = _events()
    digits = notation.Carried(4)
    N = notation.for_net("net-out", before)
    _open(browser, lesson)
    phases = set()
    for k, e in enumerate(events):
        if k:
            _press(browser, Keys.ARROW_RIGHT)
        seen = browser.execute_script(
            "return [document.documentElement.getAttribute('data-term-index'),"
            " document.querySelector('#term-formula .term-value').textContent,"
            " document.getElementById('phase').textContent,"
            " document.getElementById('term-formula').textContent]")
        assert int(seen[0]) == k
        d = notation.describe(e, N, digits)       # the terminal's line, sub/superscripts flattened
        # the engine's number, as the display policy writes it (a loss term in
        # hand mode is written down at N decimals: numbers.result)
        want = numbers.result(e.value, digits) if e.kind in ("loss", "loss_term") else notation.fmt(e.value, digits)
        assert seen[1] == want == d.value, (k, e.kind)
        assert seen[2] == e.phase
        # the formula drawn as MathML (present/mathml.py, judged against pandoc in
        # tests/present/test_mathml.py), then the sign and the value as text
        assert seen[3] == _mathml_text(browser, k, d), k
        phases.add(seen[2])
    assert phases == {"forward", "loss", "delta", "gradient", "update"}


def _mathml_text(browser, k, d):
    """What the panel's <math> shows, read from its token elements, + sign + value."""
    math = browser.execute_script(
        "const m = document.querySelector('#term-formula math'); return m ? m.outerHTML : ''")
    from mathtext import token_text
    return (token_text(math) if math else "") + f" {d.seps()[-1]} " + d.value if len(d.parts()) > 1 else d.value


def test_neuron_values_fill_in_as_the_pass_reaches_them(browser, lesson):
    from selenium.webdriver.common.keys import Keys
    events, before = _events()
    _open(browser, lesson)
    assert _text(browser, "#v-a-1-0") == "·"   # out_b1 not yet computed at term 1
    first_a = next(k for k, e in enumerate(events) if e.kind == "a" and (e.layer, e.neuron) == (1, 0))
    _press(browser, Keys.ARROW_RIGHT, first_a)
    assert _index(browser) == first_a
    assert _text(browser, "#v-a-1-0") == "0.5250"        # 002 §4: out_b1 = 0.5250
    assert "hl-value" in browser.find_element("id", "v-a-1-0").get_attribute("class")
    _press(browser, Keys.ARROW_LEFT)
    assert _text(browser, "#v-a-1-0") == "·"   # going back undoes it
    _press(browser, Keys.END)
    r = Replay(before, events)
    r.seek(len(events) - 1)
    for l, n in enumerate(before.sizes):
        for j in range(n):
            for name, short in (("z", "z"), ("a", "a"), ("delta", "d")):
                if l == 0 and name in ("delta", "z"):     # 002 writes its inputs once (a_1, line 38)
                    continue
                want = notation.fmt(r.get(name, l, j), notation.Carried(4))
                assert _text(browser, f"#v-{short}-{l}-{j}") == want
    # 002 §7: δ of layer c
    assert [_text(browser, f"#v-d-2-{j}") for j in range(3)] == ["0.0065", "0.0073", "0.0070"]


def test_buttons_and_jumps(browser, lesson):
    events, _ = _events()
    _open(browser, lesson)
    browser.find_element("id", "next").click()
    browser.find_element("id", "next").click()
    assert _index(browser) == 2
    browser.find_element("id", "prev").click()
    assert _index(browser) == 1
    browser.find_element("id", "last").click()
    assert _index(browser) == 147
    browser.find_element("id", "first").click()
    assert _index(browser) == 0
    browser.find_element("id", "next-weight").click()
    assert _index(browser) == next(k for k, e in enumerate(events) if e.kind == "update_w")
    browser.find_element("id", "first").click()
    browser.find_element("id", "next-break").click()     # --break 2:0:1: w_{c5} (b1 → c2)
    k = next(k for k, e in enumerate(events) if e.weight == (2, 0, 1))
    assert _index(browser) == k and _lit(browser, "hl-weight") == ["w2-0-1"]
    browser.find_element("id", "first").click()
    browser.find_element("id", "next-layer").click()
    assert _index(browser) == next(k for k, e in enumerate(events) if e.layer != events[0].layer)


def test_no_console_error_and_no_network_request(browser, lesson):
    from selenium.webdriver.common.keys import Keys
    _open(browser, lesson)
    _press(browser, Keys.ARROW_RIGHT, 30)
    _press(browser, Keys.END)
    logs = browser.get_log("browser")
    assert [m for m in logs if m["level"] in ("SEVERE", "WARNING")] == []
    resources = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert resources == []
    requests = []
    for entry in browser.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg.get("method") == "Network.requestWillBeSent":
            requests.append(msg["params"]["request"]["url"])
    assert all(u.startswith("file://") for u in requests), requests


def test_diagram_text_is_at_least_14px_at_1280(browser, tmp_path):
    from neuronet.bench.harness import spec_for
    for net in (neuronet.load(SWITCH), neuronet.load(ROOT / "walkthroughs/iris/network.toml"),
                neuronet.from_dict(spec_for([784, 200, 100, 10]))):
        path = tmp_path / "d.svg"
        path.write_text(diagram.svg(net, values=True), encoding="utf-8")
        browser.get(path.as_uri())
        smallest = browser.execute_script(
            "const svg = document.documentElement;"
            "const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;"
            "return Math.min(...Array.from(document.querySelectorAll('text, tspan'))"
            " .filter(t => t.textContent.trim())"
            " .map(t => parseFloat(getComputedStyle(t).fontSize) * scale));")
        assert smallest >= 14, net.sizes


def test_a_batch_names_each_terms_sample():
    net = neuronet.load(ROOT / "walkthroughs/xor/network.toml")
    xs, ys = [[0.0, 0.0], [1.0, 0.0]], [[0.0], [1.0]]
    events, before, _ = record_step(net, xs, ys, 0.5)
    data = html_step.page_data(before, events)
    assert [r["sm"] for r in data] == [e.sample for e in events]
    assert {r["sm"] for r in data} == {0, 1, -1}          # −1: the batch mean of the gradients
