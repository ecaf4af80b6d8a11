"""Accessible lessons: the step page announces each term in words in an
aria-live region.  No axe-core is used (it would come from npm, a second
toolchain for CI); instead: every term of the page has its spoken text, the
text names no raw symbol a screen reader would spell out, and in headless
Chromium the live region says the current term as the keys move.  Golden
text: the issue's own example for 002's δ of d1 (0.7199·0.2016 ≈ 0.1452,
the numbers 002 §7 prints)."""
import json
import re

import pytest
from browser import browser_fixture

from conftest import SWITCH

import neuronet
from neuronet.present import notation, spoken
from neuronet.teach import html_step
from neuronet.teach.replay import record_step
from neuronet.present.view import View

RAW = re.compile(r"[·∂δΣ^_]|\\\\")          # symbols a screen reader would spell out


def _step(digits=4):
    net = neuronet.load(SWITCH)
    events, before, _ = record_step(net, [[1.0, 0.0]], [[0.0, 1.0]], 0.5, None, "mean", digits)
    return events, before


def test_the_issues_example_in_words():
    """At 4 significant digits (the page's default) in every notation; in
    hand mode the page shows f′ unrounded (002 carries it so), and says so."""
    events, before = _step(None)
    e = next(e for e in events if e.kind == "delta_out" and e.neuron == 0)
    for name in ("delta", "net-out", "dl-dz", "u-o", "z-h"):
        d = notation.describe(e, notation.for_net(name, before), 4)
        assert spoken.say(e, d, before) == "delta of d1 equals 0.7199 times 0.2016, about 0.1452", name
    events, before = _step(4)
    e = next(e for e in events if e.kind == "delta_out" and e.neuron == 0)
    d = notation.describe(e, notation.for_net("net-out", before), notation.Carried(4))
    assert spoken.say(e, d, before) == "delta of d1 equals 0.7199 times 0.20164399, 0.1452"


@pytest.mark.parametrize("name", ["delta", "net-out", "dl-dz", "u-o", "z-h"])
def test_every_term_of_the_page_has_its_spoken_text(name):
    events, before = _step()
    data = html_step.page_data(before, events, View.of(before, name, decimals=4))
    assert len(data) == len(events) == 148          # 002's step: no biases, so no bias terms
    for rec, e in zip(data, events):
        assert rec["sp"] and not RAW.search(rec["sp"]), (e.kind, rec["sp"])
        assert re.search(r"\d", rec["sp"]), rec["sp"]                    # it says the number


@pytest.mark.parametrize("name, hidden", [("z-h", "neuron 1 of hidden layer 1"), ("delta", "neuron 0 of layer j"),
                                          ("net-out", "neuron 1 of layer b")])
def test_an_unlabelled_neuron_is_said_as_the_notation_counts_it(name, hidden):
    """softmax-ce's hidden neurons have no spec label (walkthroughs/softmax-ce/
    network.toml): the page says them as the notation names them on the
    screen (003's "hidden layer 1", 1-based; 004's layer j, 0-based), never
    as the spec's 0-based "n1,0", which a screen reader spells out."""
    from conftest import ROOT
    net = neuronet.load(ROOT / "walkthroughs" / "softmax-ce" / "network.toml")
    assert not net.layers[1][0].desc
    events, before, _ = record_step(net, [[0.5, -1.0]], [[1.0, 0.0, 0.0]], 0.1)
    said = [rec["sp"] for rec in html_step.page_data(before, events, View.of(before, name))]
    assert any(hidden in s for s in said)
    assert not any(re.search(r"\bn\d+,\d+", s) for s in said)


def test_the_live_region_is_in_the_page():
    events, before = _step()
    page = html_step.page(before, events, View.of(before, "net-out", decimals=4))
    assert re.search(r'<div id="spoken"[^>]* role="status" aria-live="polite"', page)


browser = browser_fixture("--window-size=1280,720")


def test_the_live_region_says_each_term_as_the_keys_move(browser, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys
    events, before = _step(None)
    page = tmp_path / "lesson.html"
    page.write_text(html_step.page(before, events, View.of(before, "net-out")), encoding="utf-8")
    browser.get(page.as_uri())
    said = json.loads(browser.execute_script("return document.getElementById('step-data').textContent"))
    said = [r["sp"] for r in said["events"]]
    target = next(k for k, e in enumerate(events) if e.kind == "delta_out" and e.neuron == 0)
    heard = [browser.find_element("id", "spoken").text or
             browser.execute_script("return document.getElementById('spoken').textContent")]
    chain = ActionChains(browser)
    for _ in range(target):
        chain.send_keys(Keys.ARROW_RIGHT)
    chain.perform()
    text = browser.execute_script("return document.getElementById('spoken').textContent")
    assert heard[0] == said[0]
    assert text == said[target] == "delta of d1 equals 0.7199 times 0.2016, about 0.1452"
