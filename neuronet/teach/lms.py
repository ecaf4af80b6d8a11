"""An exercise pack as an LMS question bank: Moodle XML, GIFT and QTI 2.1.

Every asked term of every student's variant becomes one *numerical*
question: its text gives that variant's numbers (the handout's givens) and
asks for the term; the answer is the key's, with a tolerance of half a unit
in the asked decimal (0.00005 at 4 decimals) — what "right at 4 decimals"
means in ``neuronet mark``.  The questions of one term are filed in one
category (``$course$/top/neuronet/LESSON/TERM``) holding all the variants,
so a Moodle quiz's "random question from this category" gives each student
a variant of each term.

Moodle XML follows docs.moodle.org's "Moodle XML format" (a ``<quiz>`` of
``<question>`` elements; a category is a question of type ``category``; a
numerical question has ``name``, ``questiontext``, ``answer`` with
``fraction``, ``text`` and ``tolerance``).  GIFT follows its "GIFT format"
page: ``$CATEGORY:`` lines, ``::title::[html]text {#answer:tolerance}``, a
blank line between questions, and ``~ = # { } :`` escaped with a backslash.

QTI 2.1 (IMS Question and Test Interoperability 2.1) is an IMS content
package: a zip holding ``imsmanifest.xml`` (IMS Content Packaging 1.1: a
``<manifest>`` with ``<metadata>``, ``<organizations/>`` and one
``<resource type="imsqti_item_xmlv2p1">`` for each item, naming its file) and
one ``assessmentItem`` a question: a float ``responseDeclaration`` holding the
key's answer as its ``correctResponse``, a SCORE outcome, an ``itemBody`` with
the question and a ``textEntryInteraction``, and ``responseProcessing`` that
scores 1 when the answer ``equal``s the key within the tolerance
(``toleranceMode="absolute"``, both bounds included), else 0.
"""
from __future__ import annotations

import html
import io
import re
import xml.etree.ElementTree as ET
import zipfile

from ..present import notation as _notation


def tolerance(decimals: int) -> str:
    """Half a unit in the last asked decimal, written out: 4 → "0.00005"."""
    return format(0.5 * 10.0 ** -decimals, f".{decimals + 1}f")


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]+", "_", text).strip("_") or "lesson"


def category(lesson, q) -> str:
    """The question-bank category of a term: one per term, all variants in it."""
    src = "" if q.source is None else f"_{q.source}"
    return f"$course$/top/neuronet/{_slug(lesson.name)}/{q.kind}_{q.layer}_{q.neuron}{src}"


def _givens(lesson, v) -> list[str]:
    """The variant's numbers, one ``symbol = value`` each (as the handout gives them)."""
    net = v.net
    N = _notation.for_net(lesson.notation, net)
    num = lambda x: _notation.fmt(x, None)   # noqa: E731
    out = [f"{N.a(0, j)} = {num(x)}" for j, x in enumerate(v.x)]
    out += [f"{N.y(j)} = {num(y)}" for j, y in enumerate(v.y)]
    for l in range(1, len(net.layers)):
        for j in range(len(net.layers[l])):
            out += [f"{N.w(l, i, j)} = {num(net.weight(l, i, j))}" for i in range(len(net.layers[l - 1]))]
    if lesson.eta_b != 0.0 or any(n.b for layer in net.layers[1:] for n in layer):
        for l in range(1, len(net.layers)):
            out += [f"{N.b(l, j)} = {num(n.b)}" for j, n in enumerate(net.layers[l])]
    out.append(f"{N.eta()} = {num(lesson.eta)}")
    return out


def _intro(lesson, v) -> str:
    net = v.net
    acts = ", ".join(sorted({net.activations[l].name for l in range(1, len(net.layers))}))
    return (f"A {'-'.join(map(str, net.sizes))} network ({acts}; loss {net.loss.name}); one step of gradient "
            "descent on one sample" + ("; the biases are not trained" if lesson.eta_b == 0.0 else "") + ".")


def question_html(lesson, v, q) -> str:
    """The question's text as HTML (escaped here; the formats escape it again)."""
    e = html.escape
    return (f"<p>{e(_intro(lesson, v))}</p><p>{'<br>'.join(e(g) for g in _givens(lesson, v))}</p>"
            f"<p>Carry every number rounded half-up to {lesson.decimals} decimals. "
            f"What is <code>{e(q.symbol)}</code>? Answer with {lesson.decimals} decimals.</p>")


def _title(lesson, v, q) -> str:
    return f"{lesson.name} {v.student}: {q.symbol}"


def _by_term(variants):
    """(category key, [(variant, question)]) in the step's order."""
    groups: dict = {}
    for v in variants:
        for q in v.questions:
            groups.setdefault((q.kind, q.layer, q.neuron, q.source), []).append((v, q))
    return list(groups.values())


def moodle_xml(lesson, variants) -> str:
    """The bank as Moodle XML (UTF-8 text)."""
    quiz = ET.Element("quiz")
    tol = tolerance(lesson.decimals)
    for group in _by_term(variants):
        cat = ET.SubElement(quiz, "question", type="category")
        ET.SubElement(ET.SubElement(cat, "category"), "text").text = category(lesson, group[0][1])
        for v, q in group:
            qe = ET.SubElement(quiz, "question", type="numerical")
            ET.SubElement(ET.SubElement(qe, "name"), "text").text = _title(lesson, v, q)
            qt = ET.SubElement(qe, "questiontext", format="html")
            ET.SubElement(qt, "text").text = question_html(lesson, v, q)
            gf = ET.SubElement(qe, "generalfeedback", format="html")
            ET.SubElement(gf, "text").text = ""
            ET.SubElement(qe, "defaultgrade").text = "1"
            ET.SubElement(qe, "penalty").text = "0"
            ET.SubElement(qe, "hidden").text = "0"
            ET.SubElement(qe, "idnumber").text = f"{_slug(lesson.name)}-{v.student}-{_slug(category(lesson, q).rsplit('/', 1)[1])}"
            a = ET.SubElement(qe, "answer", fraction="100", format="moodle_auto_format")
            ET.SubElement(a, "text").text = q.answer
            ET.SubElement(a, "tolerance").text = tol
            fb = ET.SubElement(a, "feedback", format="html")
            ET.SubElement(fb, "text").text = ""
            ET.SubElement(qe, "unitgradingtype").text = "0"
            ET.SubElement(qe, "unitpenalty").text = "0"
            ET.SubElement(qe, "showunits").text = "3"
            ET.SubElement(qe, "unitsleft").text = "0"
    ET.indent(quiz, space=" ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="unicode") + "\n"


_GIFT_SPECIAL = re.compile(r"([\\~=#{}:])")


def gift_escape(text: str) -> str:
    """GIFT's escapes: a backslash before each of ~ = # { } : and \\ itself;
    a line break becomes the escape ``\\n`` (a blank line would end the question)."""
    return _GIFT_SPECIAL.sub(r"\\\1", text).replace("\r", "").replace("\n", r"\n")


def gift(lesson, variants) -> str:
    """The bank as GIFT text."""
    tol = tolerance(lesson.decimals)
    out = [f"// neuronet exam: {gift_escape(lesson.name)}, {len(variants)} variants", ""]
    for group in _by_term(variants):
        out += [f"$CATEGORY: {category(lesson, group[0][1])}", ""]
        for v, q in group:
            out.append(f"::{gift_escape(_title(lesson, v, q))}::[html]{gift_escape(question_html(lesson, v, q))}"
                       f" {{#{q.answer}:{tol}}}")
            out.append("")
    return "\n".join(out)


# -- QTI 2.1 ------------------------------------------------------------------------------------

QTI = "http://www.imsglobal.org/xsd/imsqti_v2p1"
QTI_XSD = "http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"
CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
CP_XSD = "http://www.imsglobal.org/xsd/imscp_v1p1.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
ITEM_TYPE = "imsqti_item_xmlv2p1"
#: the zip's one date: the same exam gives the same bytes
STAMP = (2000, 1, 1, 0, 0, 0)


def qti_identifier(n: int, lesson, v, q) -> str:
    """An item's identifier: a letter first, then letters, digits, ``_ - .`` only (QTI's
    identifier is an XML NCName), numbered so two students whose IDs slug alike stay apart."""
    term = _slug(category(lesson, q).rsplit("/", 1)[1])
    return f"item{n:04d}-{_slug(lesson.name)}-{_slug(v.student)}-{term}"


def _q(tag: str) -> str:
    return f"{{{QTI}}}{tag}"


def _p(parent, lines) -> None:
    """A paragraph of ``lines`` separated by ``<br/>``."""
    p = ET.SubElement(parent, _q("p"))
    for k, line in enumerate(lines):
        if k == 0:
            p.text = line
        else:
            ET.SubElement(p, _q("br")).tail = line


def qti_item(identifier: str, lesson, v, q) -> str:
    """One question as a QTI 2.1 ``assessmentItem`` (UTF-8 XML text)."""
    ET.register_namespace("", QTI)
    ET.register_namespace("xsi", XSI)
    tol = tolerance(lesson.decimals)
    item = ET.Element(_q("assessmentItem"), {
        f"{{{XSI}}}schemaLocation": f"{QTI} {QTI_XSD}", "identifier": identifier,
        "title": _title(lesson, v, q), "adaptive": "false", "timeDependent": "false"})
    rd = ET.SubElement(item, _q("responseDeclaration"), identifier="RESPONSE", cardinality="single",
                       baseType="float")
    ET.SubElement(ET.SubElement(rd, _q("correctResponse")), _q("value")).text = q.answer
    od = ET.SubElement(item, _q("outcomeDeclaration"), identifier="SCORE", cardinality="single",
                       baseType="float")
    ET.SubElement(ET.SubElement(od, _q("defaultValue")), _q("value")).text = "0"
    body = ET.SubElement(item, _q("itemBody"))
    _p(body, [_intro(lesson, v)])
    _p(body, _givens(lesson, v))
    _p(body, [f"Carry every number rounded half-up to {lesson.decimals} decimals."])
    ask = ET.SubElement(body, _q("p"))
    ask.text = "What is "
    code = ET.SubElement(ask, _q("code"))
    code.text = q.symbol
    code.tail = f"? Answer with {lesson.decimals} decimals: "
    ET.SubElement(ask, _q("textEntryInteraction"), responseIdentifier="RESPONSE",
                  expectedLength=str(lesson.decimals + 4))
    # SCORE = 1 when the answer is within the tolerance of the key (the correctResponse), else 0
    cond = ET.SubElement(ET.SubElement(item, _q("responseProcessing")), _q("responseCondition"))
    right = ET.SubElement(cond, _q("responseIf"))
    eq = ET.SubElement(right, _q("equal"), toleranceMode="absolute", tolerance=tol,
                       includeLowerBound="true", includeUpperBound="true")
    ET.SubElement(eq, _q("variable"), identifier="RESPONSE")
    ET.SubElement(eq, _q("correct"), identifier="RESPONSE")
    for parent, points in ((right, "1"), (ET.SubElement(cond, _q("responseElse")), "0")):
        so = ET.SubElement(parent, _q("setOutcomeValue"), identifier="SCORE")
        ET.SubElement(so, _q("baseValue"), baseType="float").text = points
    ET.indent(item, space=" ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(item, encoding="unicode") + "\n"


def qti_manifest(identifier: str, items: list[tuple[str, str]]) -> str:
    """The package's ``imsmanifest.xml``: one resource an item, ``items`` = (identifier, file)."""
    ET.register_namespace("", CP)
    ET.register_namespace("xsi", XSI)
    c = lambda tag: f"{{{CP}}}{tag}"        # noqa: E731
    m = ET.Element(c("manifest"), {"identifier": identifier, f"{{{XSI}}}schemaLocation": f"{CP} {CP_XSD}"})
    meta = ET.SubElement(m, c("metadata"))
    ET.SubElement(meta, c("schema")).text = "QTIv2.1 Package"
    ET.SubElement(meta, c("schemaversion")).text = "1.0.0"
    ET.SubElement(m, c("organizations"))
    res = ET.SubElement(m, c("resources"))
    for ident, href in items:
        r = ET.SubElement(res, c("resource"), identifier=f"res-{ident}", type=ITEM_TYPE, href=href)
        ET.SubElement(r, c("file"), href=href)
    ET.indent(m, space=" ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(m, encoding="unicode") + "\n"


def qti_package(lesson, variants) -> bytes:
    """The bank as a QTI 2.1 content package (a zip): the manifest and one item a question,
    term by term as in the other formats."""
    files, items, n = {}, [], 0
    for group in _by_term(variants):
        for v, q in group:
            n += 1
            ident = qti_identifier(n, lesson, v, q)
            href = f"items/{ident}.xml"
            files[href] = qti_item(ident, lesson, v, q)
            items.append((ident, href))
    manifest = qti_manifest(f"MANIFEST-{_slug(lesson.name)}", items)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in [("imsmanifest.xml", manifest)] + sorted(files.items()):
            z.writestr(zipfile.ZipInfo(name, STAMP), text.encode("utf-8"), zipfile.ZIP_DEFLATED)
    return buf.getvalue()


#: The question-bank formats ``neuronet exam --lms`` writes:
#: name → (the file in the pack's lms/ folder, its writer(lesson, variants), what it is).
BANKS = {
    "moodle": ("bank.xml", moodle_xml, "Moodle XML"),
    "gift": ("bank.gift", gift, "GIFT"),
    "qti": ("bank-qti.zip", qti_package, "a QTI 2.1 content package"),
}
