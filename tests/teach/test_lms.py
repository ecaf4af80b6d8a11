"""neuronet exam --lms: the variants as a Moodle XML and a GIFT question bank.

Checked against the formats' own rules, as docs.moodle.org states them:

* Moodle XML: well-formed; a <quiz> of <question> elements, each of type
  category (with <category><text>) or numerical (with <name><text>,
  <questiontext format=…><text>, and an <answer fraction=…> holding <text>
  and <tolerance>).
* GIFT: a strict grammar written here from the GIFT format page (PyPI's
  pygiftparser 1.1 was tried: its numeric rule has no minus sign, so it
  cannot read a negative answer, and it needs markdown 3.0.1 with
  pkg_resources): ``$CATEGORY:`` lines, ``//`` comments, questions separated
  by blank lines, ``::title::[markup]text {#answer:tolerance}``, and every one
  of ``~ = # { } :`` in a title or text escaped with a backslash.

Golden values: each answer is the student's key answer (itself checked against
an independent hand calculation in test_exam.py); the tolerance is half a
unit in the 4th decimal, 0.00005."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from inproc import run

SPECIAL = "~=#{}:"
NUM = r"-?\d+(?:\.\d+)?"


class GiftError(ValueError):
    pass


def _unescape(text: str) -> str:
    out, k = [], 0
    while k < len(text):
        c = text[k]
        if c == "\\":
            if k + 1 >= len(text):
                raise GiftError("a lone backslash at the end")
            nxt = text[k + 1]
            if nxt not in SPECIAL + "\\n":
                raise GiftError(f"\\{nxt} is not a GIFT escape")
            out.append("\n" if nxt == "n" else nxt)
            k += 2
            continue
        if c in SPECIAL:
            raise GiftError(f"unescaped {c!r} in {text[max(0, k - 20):k + 20]!r}")
        out.append(c)
        k += 1
    return "".join(out)


def _split_unescaped(text: str, sep: str) -> tuple[str, str]:
    """text before the first unescaped ``sep``, and after it."""
    k = 0
    while k < len(text):
        if text[k] == "\\":
            k += 2
            continue
        if text.startswith(sep, k):
            return text[:k], text[k + len(sep):]
        k += 1
    raise GiftError(f"no {sep!r}")


def parse_gift(text: str) -> list[dict]:
    """The questions of a GIFT file (numerical ones: the only kind written)."""
    out, category = [], None
    blocks = re.split(r"\n[ \t]*\n", text)
    for block in blocks:
        lines = [ln for ln in block.split("\n") if ln.strip() and not ln.lstrip().startswith("//")]
        if not lines:
            continue
        if lines[0].startswith("$CATEGORY:"):
            if len(lines) != 1:
                raise GiftError("a $CATEGORY line shares its block with a question")
            category = lines[0][len("$CATEGORY:"):].strip()
            if not category:
                raise GiftError("an empty category")
            continue
        q = "\n".join(lines)
        if not q.startswith("::"):
            raise GiftError(f"a question without a ::title:: {q[:40]!r}")
        title, rest = _split_unescaped(q[2:], "::")
        m = re.match(r"\[(html|moodle|plain|markdown)\]", rest)
        if not m:
            raise GiftError("no [markup]")
        body, answer = _split_unescaped(rest[m.end():], "{")
        ans, tail = _split_unescaped(answer, "}")
        if tail.strip():
            raise GiftError(f"text after the answer: {tail!r}")
        a = re.fullmatch(rf"\s*#\s*({NUM}):({NUM})\s*", ans)
        if not a:
            raise GiftError(f"not a numerical answer: {{{ans}}}")
        out.append({"category": category, "title": _unescape(title), "markup": m.group(1),
                    "text": _unescape(body.rstrip()), "answer": a.group(1), "tolerance": a.group(2)})
    return out


def test_the_gift_grammar_refuses_what_it_should():
    """The check can fail: unescaped specials, a bad answer, a stray text."""
    good = "$CATEGORY: $course$/x\n\n::t::[html]a \\= b {#-0.5:0.00005}\n"
    assert parse_gift(good)[0] == {"category": "$course$/x", "title": "t", "markup": "html", "text": "a = b",
                                   "answer": "-0.5", "tolerance": "0.00005"}
    for bad in ("::t::[html]a = b {#1:0.1}", "::t::[html]a {#x:0.1}", "::t::[html]a {#1:0.1} more",
                "::t: :[html]a {#1:0.1}", "::t::a {#1:0.1}", "::a\\b::[html]x {#1:0.1}"):
        with pytest.raises(GiftError):
            parse_gift(bad)


@pytest.fixture(scope="module")
def bank(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("lms")
    (tmp / "roster.csv").write_text("id\nann\nbob\ncy\n", encoding="utf-8")
    r = run("exam", "switch-2-4-3-2", "--students", tmp / "roster.csv", "--out", tmp / "p",
            "--lms", "moodle", "--lms", "gift", "--ask", "delta", "--ask", "update")
    assert r.returncode == 0, r.stderr
    keys = {s: json.loads((tmp / "p" / "keys" / f"{s}.json").read_text(encoding="utf-8")) for s in ("ann", "bob", "cy")}
    return tmp / "p" / "lms", keys


def test_moodle_xml_has_every_required_element(bank):
    lms, keys = bank
    root = ET.parse(lms / "bank.xml").getroot()                  # well-formed, or this raises
    assert root.tag == "quiz"
    n_terms = len(keys["ann"]["questions"])
    assert {q["phase"] for q in keys["ann"]["questions"]} == {"delta", "update"}
    cats, numerical = [], []
    current = None
    for q in root:
        assert q.tag == "question" and q.get("type") in ("category", "numerical")
        if q.get("type") == "category":
            current = q.find("category/text").text
            assert current.startswith("$course$/top/neuronet/switch_2_4_3_2/")
            cats.append(current)
            continue
        assert current is not None                                  # every question is in a category
        name = q.find("name/text").text
        assert q.find("questiontext").get("format") == "html" and q.find("questiontext/text").text
        answers = q.findall("answer")
        assert len(answers) == 1 and answers[0].get("fraction") == "100"
        assert answers[0].find("tolerance").text == "0.00005"
        numerical.append((current, name, answers[0].find("text").text, q.find("questiontext/text").text))
    assert len(cats) == len(set(cats)) == n_terms                    # one category per term …
    assert len(numerical) == 3 * n_terms                              # … holding the three variants
    for sid, key in keys.items():
        mine = [(name, ans, text) for _, name, ans, text in numerical if name.startswith(f"switch-2-4-3-2 {sid}:")]
        assert [a for _, a, _ in mine] == [q["answer"] for q in key["questions"]]
        w = key["spec"]["layers"][1]["weights_to_from"][0][0]
        assert all(f"w_b1 = {w:g}" in text for _, _, text in mine)    # the variant's own numbers


def test_gift_passes_the_grammar_and_matches_the_xml(bank):
    lms, keys = bank
    qs = parse_gift((lms / "bank.gift").read_text(encoding="utf-8"))
    root = ET.parse(lms / "bank.xml").getroot()
    xml_qs = [q for q in root if q.get("type") == "numerical"]
    assert len(qs) == len(xml_qs) == 3 * len(keys["ann"]["questions"])
    assert any(q["answer"].startswith("-") for q in qs)              # negative answers are in the bank
    for g, x in zip(qs, xml_qs):
        assert g["title"] == x.find("name/text").text
        assert g["text"] == x.find("questiontext/text").text
        assert g["answer"] == x.find("answer/text").text and g["tolerance"] == "0.00005"
        assert g["markup"] == "html"
    assert len({g["category"] for g in qs}) == len(keys["ann"]["questions"])
