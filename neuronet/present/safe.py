"""Strings from files are data: the escaping rules, one function per kind of output.

A spec's ``name`` and neuron ``labels``, a lesson pack's ``title``, an answers
file's name, a student's work, a backend's output — all were written by
somebody else.  Whatever they hold, they must reach the reader as the
characters they are, never as something the output format acts on:

==============  ==========================================================
output          what a string from a file could otherwise do
==============  ==========================================================
terminal        ESC/CSI/OSC sequences (clear the screen, write the
                clipboard, retitle the window), C1 controls (U+009B is an
                8-bit CSI), CR (overwrite the line), bidi overrides
                (U+202E reverses what follows)        → :func:`printable`
rich            ``[bold]``/``[link=…]`` markup, a stray ``[/]`` raising
                ``MarkupError``                        → :func:`text`
HTML, SVG       ``<script>``, ``onerror=``; a control character makes XML
                no viewer parses                       → :func:`html`
``<script>``    ``</script>`` or ``<!--`` inside the page's JSON ends or
JSON            breaks the script element              → :func:`script_json`
Markdown        ``<script>`` (raw HTML passes through pandoc), ``[x](…)``,
                ``$`` starting math                    → :func:`markdown`
TeX math        ``$`` ending the math, ``}\\input{…}``, ``\\write18``
(``$…$``)                                              → :func:`tex`
==============  ==========================================================

Every rule starts from :func:`printable`, so no output carries a control
character from a file.  Numbers and the notation's own symbols never pass
through here: they are written by this program.
"""
from __future__ import annotations

import html as _html
import json
import re

from rich.text import Text

from ..errors import printable  # noqa: F401  (the terminal rule: errors.py holds it for error lines)

#: the most characters of one value an error line quotes (a 200 MB cell is not echoed)
QUOTE_LIMIT = 80



def lines(text) -> str:
    """Every line of ``text`` made :func:`printable`, the line breaks kept:
    for plain text written to a terminal."""
    text = str(text)
    if text.isprintable():
        return text
    return "\n".join(printable(line) for line in text.split("\n"))


class PrintableStream:
    """A text stream whose every write goes through :func:`lines`: for a
    command that echoes a file's lines (mark echoes a student's work)."""

    def __init__(self, stream) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        return self.stream.write(lines(text))

    def __getattr__(self, name):               # flush, isatty, encoding, …
        return getattr(self.stream, name)


def clip(text, limit: int = QUOTE_LIMIT) -> str:
    """:func:`printable`, cut to about ``limit`` characters with the count of
    the rest: what an error line may quote of a value."""
    text = str(text)
    if len(text) > limit:
        text = f"{text[:limit]}… ({len(text) - limit} more characters)"
    return printable(text)


def text(s, style: str = "") -> Text:
    """A rich :class:`~rich.text.Text` of ``s`` made printable: rich draws its
    characters and never reads them as markup."""
    return Text(printable(s), style=style)


def html(s) -> str:
    """``s`` for HTML or SVG/XML text and attribute values: printable, with
    ``& < > " '`` as entities."""
    return _html.escape(printable(s), quote=True)


def script_json(obj) -> str:
    """``obj`` as JSON to put inside ``<script type="application/json">``:
    every ``<``, ``>``, ``&`` and U+2028/U+2029 written as a ``\\u`` escape,
    so no ``</script>``, ``<!--`` or ``<script`` can appear in the page's
    source (JSON.parse reads the same data back)."""
    s = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return (s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _json_escape(ch: str) -> str:
    code = ord(ch)
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def json_text(text: str) -> str:
    """JSON text (``json.dumps(…, ensure_ascii=False)``) with every character
    that is not printable — C1 controls, bidi overrides; json itself escapes
    C0 — written as its ``\\u`` escape: the same data, safe on a terminal.
    (Outside strings JSON has no such characters, so only strings change.)"""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() or ch in "\n\t" else _json_escape(ch) for ch in text)


#: characters that start markup anywhere in a line: code, emphasis, links and
#: images, raw HTML and entities, math, strike-out, super/subscript, citations, tables
_MD_ACTIVE = re.compile(r"([\\`*_{}\[\]<>#$!|~&^@])")
#: what starts a list item at the start of a line ("- x", "+ x", "3. x", "3) x")
_MD_LEAD = re.compile(r"^(\s*)([-+]|\d+(?=[.)]))")


def markdown(s) -> str:
    """``s`` as literal inline Markdown text (a heading, a list item):
    printable, every character that starts markup backslash-escaped
    (CommonMark and pandoc read ``\\<`` as ``<``, ``\\$`` as ``$``, ``\\[`` as
    ``[``), and a leading list marker too — so no HTML, link, emphasis or math
    can start in it.  Ordinary prose (``004's 1-1-1 chain (6)``) is unchanged."""
    text = _MD_ACTIVE.sub(r"\\\1", printable(s))
    return _MD_LEAD.sub(lambda m: m[1] + "\\" + m[2] if m[2] in "-+" else m[1] + m[2] + "\\", text)


_TEX = {"\\": r"\backslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "#": r"\#", "%": r"\%",
        "&": r"\&", "_": r"\_", "^": r"\hat{}", "~": r"\sim{}"}


def tex(s) -> str:
    """``s`` for TeX math inside ``$…$``: printable, every TeX-active
    character written as the command that draws it (``\\{``, ``\\backslash{}``,
    ``\\$``), so no ``$`` ends the math and no ``\\input``/``\\write18``
    survives as a command (a ``<`` inside math is math: pandoc and MathJax
    never read it as a tag)."""
    return "".join(_TEX.get(ch, ch) for ch in printable(s))
