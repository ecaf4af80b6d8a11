"""What a <math> element shows: the characters of its token elements, in order.

Shared by the tests that compare MathML (ours, pandoc's, a browser's
serialisation of a page's) by what a reader sees, not by markup.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET

NS = "http://www.w3.org/1998/Math/MathML"
TOKENS = {f"{{{NS}}}{t}" for t in ("mi", "mn", "mo", "mtext", "ms")}


def token_text(math) -> str:
    """The characters of a <math> element's (string or parsed) token elements, in document order."""
    root = ET.fromstring(math) if isinstance(math, str) else math
    return "".join("".join(el.itertext()) for el in root.iter() if el.tag in TOKENS)
