"""CSV for spreadsheets: no cell from a file is read as a formula.

A spreadsheet (Excel, LibreOffice, Google Sheets) opening a CSV runs a cell
beginning with ``=``, ``+``, ``-`` or ``@`` as a formula —
``=HYPERLINK("http://…?"&A1, "click")`` sends the sheet away, ``=cmd|…``
once ran programs.  The OWASP rule (CSV Injection): a text cell beginning
with one of ``= + - @``, a tab or a carriage return is written with a ``'``
in front, which the spreadsheet shows as text and does not display.

Numbers (``int``/``float``, or text that is one) are written as they are;
every text cell goes through :func:`cell`.  Every CSV writer of the project
(quiz's grading CSV, mark --class's gradebook) writes through :func:`writer`
or :func:`cell`.
"""
from __future__ import annotations

import csv

from ..errors import printable

#: first characters a spreadsheet reads as the start of a formula (OWASP)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value):
    """One CSV cell: a number as it is (also a number written as text,
    ``"-1.5"``: a spreadsheet reads it as that number, not a formula); other
    text, when it begins like a formula, behind a ``'``."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = str(value)
    if text.startswith(FORMULA_START):
        try:
            float(text)
        except ValueError:
            text = "'" + text
    return text


class _Writer:
    """:func:`csv.writer` with every cell through :func:`cell` (and made
    printable too, for a CSV written to a terminal)."""

    def __init__(self, stream, terminal: bool = False, **kwargs) -> None:
        self._w = csv.writer(stream, **kwargs)
        self._terminal = terminal

    def writerow(self, row):
        cells = [cell(v) for v in row]
        if self._terminal:
            cells = [printable(c) if isinstance(c, str) else c for c in cells]
        return self._w.writerow(cells)

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def writer(stream, terminal: bool = False, **kwargs) -> _Writer:
    """A CSV writer (``csv.writer`` arguments) that never writes a formula;
    ``terminal=True`` (stdout): no control character either."""
    return _Writer(stream, terminal, **kwargs)
