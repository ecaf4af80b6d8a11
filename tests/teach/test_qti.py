"""neuronet exam --lms qti: the variants as a QTI 2.1 content package.

No QTI 2.1 schema or validator is on PyPI (the QTI packages there —
citolab-qti-convert, qti-package-maker — ship none), so the package is
checked by a strict structural check written here from the IMS QTI 2.1
information model and IMS Content Packaging 1.1:

* assessmentItem: in the imsqti_v2p1 namespace, with identifier, title,
  adaptive and timeDependent; its children in the model's order
  (responseDeclaration*, outcomeDeclaration*, templateDeclaration*,
  templateProcessing?, stylesheet*, itemBody?, responseProcessing?,
  modalFeedback*); each declaration with identifier, cardinality and
  baseType, its values of that type; an itemBody of block content with each
  interaction inline and bound to a declared single-cardinality response;
  response rules that name only declared variables, and every ``equal`` with
  a toleranceMode and, for absolute/relative, one or two tolerances.
  The body may use only the XHTML elements these items need (p, br, code …):
  stricter than the model, on purpose.
* imsmanifest.xml: a manifest with identifier, then metadata?, organizations,
  resources; every resource with identifier and type (imsqti_item_xmlv2p1),
  its href a file of the zip listed as its <file>; every item in the zip
  named by one resource.

A test shows the check rejects broken items and manifests.  The items'
scoring is run by a small interpreter of the rules they use (variable,
correct, baseValue, equal, setOutcomeValue): the key's answer scores 1,
off by 0.00004 still 1, off by 0.00006 0 — tolerance = half a unit in the
4th decimal.  Golden values: each answer is the student's key answer (the
keys are checked against an independent hand calculation in test_exam.py)."""
from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
import zipfile

import pytest

from inproc import run

QTI = "http://www.imsglobal.org/xsd/imsqti_v2p1"
CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
ITEM_ORDER = ["responseDeclaration", "outcomeDeclaration", "templateDeclaration", "templateProcessing",
              "stylesheet", "itemBody", "responseProcessing", "modalFeedback"]
ONCE = {"templateProcessing", "itemBody", "responseProcessing"}
CARDINALITY = {"single", "multiple", "ordered", "record"}
BASE_TYPES = {"identifier", "boolean", "integer", "float", "string", "point", "pair", "directedPair",
              "duration", "file", "uri", "intOrIdentifier"}
BLOCK = {"p", "div"}
INLINE = {"br", "code", "span", "em", "strong", "sub", "sup"}
INTERACTIONS = {"textEntryInteraction"}
NCNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*\Z")
FLOAT = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\Z")


class QtiError(ValueError):
    pass


def _local(el, ns) -> str:
    if not el.tag.startswith(f"{{{ns}}}"):
        raise QtiError(f"{el.tag} is not in the namespace {ns}")
    return el.tag[len(ns) + 2:]


def _need(el, *names):
    for n in names:
        if not el.get(n):
            raise QtiError(f"<{el.tag.rsplit('}', 1)[-1]}> without {n}")


def _typed(text, base_type, where):
    if base_type == "float" and not FLOAT.match(text or ""):
        raise QtiError(f"{where}: {text!r} is not a float")
    if base_type == "boolean" and text not in ("true", "false"):
        raise QtiError(f"{where}: {text!r} is not a boolean")


def _values(el, base_type, where):
    vals = [v for v in el if _local(v, QTI) == "value"]
    if not vals or len(vals) != len(el):
        raise QtiError(f"{where}: needs <value> children only")
    for v in vals:
        _typed(v.text, base_type, where)
    return vals


def check_item(text: str) -> dict:
    """The strict check of one assessmentItem; returns its declarations."""
    root = ET.fromstring(text)
    if _local(root, QTI) != "assessmentItem":
        raise QtiError("the root is not an assessmentItem")
    _need(root, "identifier", "title", "adaptive", "timeDependent")
    if not NCNAME.match(root.get("identifier")):
        raise QtiError(f"identifier {root.get('identifier')!r} is not an NCName")
    for a in ("adaptive", "timeDependent"):
        if root.get(a) not in ("true", "false"):
            raise QtiError(f"{a} is not a boolean")
    rank, seen = -1, set()
    for child in root:
        name = _local(child, QTI)
        if name not in ITEM_ORDER:
            raise QtiError(f"<{name}> is not a child of assessmentItem")
        if ITEM_ORDER.index(name) < rank:
            raise QtiError(f"<{name}> is out of order")
        if name in ONCE and name in seen:
            raise QtiError(f"two <{name}>")
        rank = ITEM_ORDER.index(name)
        seen.add(name)
    decl = {}
    for d in root:
        kind = _local(d, QTI)
        if kind not in ("responseDeclaration", "outcomeDeclaration"):
            continue
        _need(d, "identifier", "cardinality", "baseType")
        ident = d.get("identifier")
        if ident in decl:
            raise QtiError(f"{ident} declared twice")
        if d.get("cardinality") not in CARDINALITY or d.get("baseType") not in BASE_TYPES:
            raise QtiError(f"{ident}: bad cardinality or baseType")
        order = (["defaultValue", "correctResponse", "mapping", "areaMapping"] if kind == "responseDeclaration"
                 else ["defaultValue", "lookupTable"])
        at = -1
        for part in d:
            name = _local(part, QTI)
            if name not in order or order.index(name) <= at:
                raise QtiError(f"{ident}: <{name}> not allowed here")
            at = order.index(name)
            if name in ("defaultValue", "correctResponse"):
                vals = _values(part, d.get("baseType"), f"{ident} {name}")
                if d.get("cardinality") == "single" and len(vals) != 1:
                    raise QtiError(f"{ident}: one value for a single cardinality")
        decl[ident] = (kind, d.get("cardinality"), d.get("baseType"), d)
    bodies = [c for c in root if _local(c, QTI) == "itemBody"]
    if not bodies:
        raise QtiError("no itemBody")
    interactions = []

    def walk(el, inline_ok):
        for c in el:
            name = _local(c, QTI)
            if name in BLOCK:
                walk(c, True)
            elif name in INLINE:
                if not inline_ok:
                    raise QtiError(f"<{name}> directly in the itemBody")
                walk(c, True)
            elif name in INTERACTIONS:
                if not inline_ok:
                    raise QtiError(f"<{name}> is inline: it must sit in a block")
                interactions.append(c)
            else:
                raise QtiError(f"<{name}> is not allowed in the itemBody")
    walk(bodies[0], False)
    if not interactions:
        raise QtiError("no interaction")
    for it in interactions:
        _need(it, "responseIdentifier")
        d = decl.get(it.get("responseIdentifier"))
        if d is None or d[0] != "responseDeclaration":
            raise QtiError(f"interaction bound to an undeclared response {it.get('responseIdentifier')!r}")
        if d[1] != "single" or d[2] not in ("string", "integer", "float"):
            raise QtiError("a textEntryInteraction needs a single string, integer or float response")

    def expression(e):
        name = _local(e, QTI)
        if name == "variable":
            _need(e, "identifier")
            if e.get("identifier") not in decl:
                raise QtiError(f"variable {e.get('identifier')!r} is not declared")
        elif name == "correct":
            _need(e, "identifier")
            d = decl.get(e.get("identifier"))
            if d is None or d[0] != "responseDeclaration" or d[3].find(f"{{{QTI}}}correctResponse") is None:
                raise QtiError("correct names a response without a correctResponse")
        elif name == "baseValue":
            _need(e, "baseType")
            _typed(e.text, e.get("baseType"), "baseValue")
        elif name == "equal":
            mode = e.get("toleranceMode")
            if mode not in ("exact", "absolute", "relative"):
                raise QtiError(f"equal: toleranceMode {mode!r}")
            if mode != "exact":
                tol = (e.get("tolerance") or "").split()
                if not 1 <= len(tol) <= 2 or not all(FLOAT.match(t) and float(t) >= 0 for t in tol):
                    raise QtiError(f"equal: tolerance {e.get('tolerance')!r}")
            for b in ("includeLowerBound", "includeUpperBound"):
                if e.get(b) not in (None, "true", "false"):
                    raise QtiError(f"equal: {b} is not a boolean")
            if len(e) != 2:
                raise QtiError("equal takes two expressions")
            for sub in e:
                expression(sub)
        else:
            raise QtiError(f"<{name}> is not an expression these items use")

    def rules(parent):
        for r in parent:
            name = _local(r, QTI)
            if name == "setOutcomeValue":
                _need(r, "identifier")
                if decl.get(r.get("identifier"), ("",))[0] != "outcomeDeclaration":
                    raise QtiError(f"setOutcomeValue of an undeclared outcome {r.get('identifier')!r}")
                if len(r) != 1:
                    raise QtiError("setOutcomeValue takes one expression")
                expression(r[0])
            elif name == "responseCondition":
                parts = [_local(p, QTI) for p in r]
                if not parts or parts[0] != "responseIf" or parts.count("responseElse") > 1 or \
                        ("responseElse" in parts and parts[-1] != "responseElse") or \
                        any(p not in ("responseIf", "responseElseIf", "responseElse") for p in parts) or \
                        parts.count("responseIf") != 1:
                    raise QtiError(f"responseCondition: {parts}")
                for p in r:
                    if _local(p, QTI) == "responseElse":
                        rules(p)
                    else:
                        if len(p) < 1:
                            raise QtiError("responseIf without its condition")
                        expression(p[0])
                        rules(list(p)[1:])
            else:
                raise QtiError(f"<{name}> is not a response rule")
    for rp in (c for c in root if _local(c, QTI) == "responseProcessing"):
        if rp.get("template") is None and not len(rp):
            raise QtiError("an empty responseProcessing")
        rules(rp)
    return decl


def score(text: str, response: str) -> float:
    """Run the item's response processing on ``response``: its SCORE."""
    root = ET.fromstring(text)
    q = lambda t: f"{{{QTI}}}{t}"                       # noqa: E731
    outcomes = {d.get("identifier"): float(d.find(q("defaultValue"))[0].text)
                for d in root.findall(q("outcomeDeclaration"))}
    correct = {d.get("identifier"): float(d.find(q("correctResponse"))[0].text)
               for d in root.findall(q("responseDeclaration"))}

    def value(e):
        name = _local(e, QTI)
        if name == "variable":
            return float(response) if e.get("identifier") in correct else outcomes[e.get("identifier")]
        if name == "correct":
            return correct[e.get("identifier")]
        if name == "baseValue":
            return float(e.text)
        assert name == "equal"
        x, y = (value(s) for s in e)
        tol = [float(t) for t in (e.get("tolerance") or "0").split()]
        lo, hi = y - tol[0], y + tol[-1]
        low_in = e.get("includeLowerBound", "true") == "true"
        high_in = e.get("includeUpperBound", "true") == "true"
        return (x > lo or (low_in and x == lo)) and (x < hi or (high_in and x == hi))

    def run_rules(parent):
        for r in parent:
            if _local(r, QTI) == "setOutcomeValue":
                outcomes[r.get("identifier")] = value(r[0])
            else:
                for p in r:
                    if _local(p, QTI) == "responseElse":
                        run_rules(p)
                        break
                    if value(p[0]):
                        run_rules(list(p)[1:])
                        break
    run_rules(root.find(q("responseProcessing")))
    return outcomes["SCORE"]


def check_package(data: bytes) -> dict[str, str]:
    """The strict check of the zip and its manifest; returns the items' texts by file name."""
    z = zipfile.ZipFile(io.BytesIO(data))
    names = set(z.namelist())
    if "imsmanifest.xml" not in names:
        raise QtiError("no imsmanifest.xml at the package's root")
    m = ET.fromstring(z.read("imsmanifest.xml"))
    if _local(m, CP) != "manifest":
        raise QtiError("the manifest's root is not <manifest>")
    _need(m, "identifier")
    parts = [_local(c, CP) for c in m]
    order = ["metadata", "organizations", "resources", "manifest"]
    if [p for p in parts if p not in order] or parts != sorted(parts, key=order.index) or \
            parts.count("organizations") != 1 or parts.count("resources") != 1 or parts.count("metadata") > 1:
        raise QtiError(f"the manifest's children: {parts}")
    items, idents = {}, set()
    for r in m.find(f"{{{CP}}}resources"):
        if _local(r, CP) != "resource":
            raise QtiError("<resources> holds only <resource>")
        _need(r, "identifier", "type")
        if r.get("identifier") in idents:
            raise QtiError(f"two resources {r.get('identifier')}")
        idents.add(r.get("identifier"))
        if r.get("type") != "imsqti_item_xmlv2p1":
            raise QtiError(f"resource type {r.get('type')!r}")
        href = r.get("href")
        listed = [f.get("href") for f in r if _local(f, CP) == "file"]
        if not href or href not in names or href not in listed:
            raise QtiError(f"resource {r.get('identifier')}: href {href!r} is not a file listed and packaged")
        items[href] = z.read(href).decode("utf-8")
    loose = {n for n in names if n.endswith(".xml")} - set(items) - {"imsmanifest.xml"}
    if loose:
        raise QtiError(f"items no resource names: {sorted(loose)}")
    return items


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("qti")
    (tmp / "roster.csv").write_text("id\nann\nbob\ncy\n", encoding="utf-8")
    r = run("exam", "switch-2-4-3-2", "--students", tmp / "roster.csv", "--out", tmp / "p",
            "--lms", "qti", "--ask", "delta", "--ask", "update")
    assert r.returncode == 0, r.stderr
    assert "bank-qti.zip" in r.stdout
    keys = {s: json.loads((tmp / "p" / "keys" / f"{s}.json").read_text(encoding="utf-8")) for s in ("ann", "bob", "cy")}
    return tmp, (tmp / "p" / "lms" / "bank-qti.zip").read_bytes(), keys


def test_the_package_passes_the_check_and_holds_every_students_answers(package):
    tmp, data, keys = package
    items = check_package(data)
    n_terms = len(keys["ann"]["questions"])
    assert len(items) == 3 * n_terms                                # one item a question of a variant
    ids = set()
    answers = {s: [] for s in keys}
    for href, text in items.items():
        decl = check_item(text)
        root = ET.fromstring(text)
        ids.add(root.get("identifier"))
        assert href == f"items/{root.get('identifier')}.xml"
        sid = root.get("title").split(" ")[1].rstrip(":")
        ans = decl["RESPONSE"][3].find(f"{{{QTI}}}correctResponse")[0].text
        answers[sid].append((root.get("identifier"), ans))
        eq = root.find(f".//{{{QTI}}}equal")
        assert (eq.get("toleranceMode"), eq.get("tolerance")) == ("absolute", "0.00005")
        w = keys[sid]["spec"]["layers"][1]["weights_to_from"][0][0]
        assert f"w_b1 = {w:g}" in "".join(root.itertext())            # the variant's own numbers
    assert len(ids) == len(items)
    for sid, key in keys.items():                                      # the items come term by term
        got = [a for _, a in sorted(answers[sid])]
        assert sorted(got) == sorted(q["answer"] for q in key["questions"])
    assert any(a.startswith("-") for s in answers.values() for _, a in s)


def test_each_item_scores_within_half_a_unit_of_the_fourth_decimal(package):
    _, data, _ = package
    items = check_package(data)
    for text in items.values():
        root = ET.fromstring(text)
        key = float(root.find(f".//{{{QTI}}}correctResponse")[0].text)
        assert score(text, repr(key)) == 1.0
        assert score(text, repr(key + 0.00004)) == score(text, repr(key - 0.00004)) == 1.0
        assert score(text, repr(key + 0.00006)) == score(text, repr(key - 0.00006)) == 0.0


def test_the_same_exam_gives_the_same_package(package, tmp_path):
    tmp, data, _ = package
    r = run("exam", "switch-2-4-3-2", "--students", tmp / "roster.csv", "--out", tmp_path / "again",
            "--lms", "qti", "--ask", "delta", "--ask", "update")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "again" / "lms" / "bank-qti.zip").read_bytes() == data


def _broken(text, old, new):
    assert old in text, old
    return text.replace(old, new)


def test_the_check_rejects_a_broken_item_or_manifest(package):
    _, data, _ = package
    items = check_package(data)
    href, good = sorted(items.items())[0]
    check_item(good)
    breaks = [
        ('adaptive="false" ', ""),                                       # a required attribute left out
        ('timeDependent="false"', 'timeDependent="no"'),
        ('cardinality="single" baseType="float">\n  <correctResponse>', 'cardinality="one" baseType="float">\n  <correctResponse>'),
        ("<value>0</value>", "<value>zero</value>"),
        ('toleranceMode="absolute"', 'toleranceMode="loose"'),
        ('tolerance="0.00005"', 'tolerance="-0.1"'),
        ('responseIdentifier="RESPONSE"', 'responseIdentifier="ANSWER"'),
        ('<setOutcomeValue identifier="SCORE">', '<setOutcomeValue identifier="POINTS">'),
        ("code>", "table>"),                                             # outside the allowed body
        (f'xmlns="{QTI}"', 'xmlns="http://www.imsglobal.org/xsd/imsqti_v2p0"'),
    ]
    for old, new in breaks:
        with pytest.raises(QtiError):
            check_item(_broken(good, old, new))
    # order: the outcome before the response declaration
    root = ET.fromstring(good)
    first, second = root[0], root[1]
    root.remove(first)
    root.insert(1, first)
    assert _local(second, QTI) == "outcomeDeclaration"
    with pytest.raises(QtiError):
        check_item(ET.tostring(root, encoding="unicode"))
    # an interaction straight in the itemBody, not in a paragraph
    root = ET.fromstring(good)
    body = root.find(f"{{{QTI}}}itemBody")
    ask = body[-1]
    entry = ask.find(f"{{{QTI}}}textEntryInteraction")
    ask.remove(entry)
    body.append(entry)
    with pytest.raises(QtiError):
        check_item(ET.tostring(root, encoding="unicode"))

    def repack(change):
        z = zipfile.ZipFile(io.BytesIO(data))
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as out:
            for name in z.namelist():
                text = z.read(name).decode("utf-8")
                for n, t in change(name, text):
                    out.writestr(n, t)
        return buf.getvalue()
    manifest_breaks = [
        lambda n, t: [(n, t.replace("<organizations />", "") if n == "imsmanifest.xml" else t)],
        lambda n, t: [(n, t.replace('type="imsqti_item_xmlv2p1" ', "", 1) if n == "imsmanifest.xml" else t)],
        lambda n, t: [] if n == href else [(n, t)],                     # a resource's file missing
        lambda n, t: [(n, t), ("items/stray.xml", t)] if n == href else [(n, t)],   # an item no resource names
        lambda n, t: [("manifest.xml" if n == "imsmanifest.xml" else n, t)],
    ]
    assert "<organizations />" in zipfile.ZipFile(io.BytesIO(data)).read("imsmanifest.xml").decode()
    for change in manifest_breaks:
        with pytest.raises(QtiError):
            check_package(repack(change))
    check_package(repack(lambda n, t: [(n, t)]))                        # a faithful repack still passes
