"""Errors the library raises instead of printing.

The CLI turns every :class:`NeuronetError` into one line on stderr and exit
status 2; the library itself never prints (sqlite-utils style).
"""
from __future__ import annotations

import json


class NeuronetError(ValueError):
    """Base class: a message that names the file and the place, when known.

    A subclass of ``ValueError``: a library caller that catches bad values
    the usual way catches these too.  ``exit_status`` is the CLI's exit
    status for it: 2 (bad input) unless a subclass says otherwise.
    """

    exit_status = 2

    def __init__(self, message: str, *, source: str | None = None, where: str | None = None):
        self.message = message
        self.source = source
        self.where = where
        super().__init__(self.format())

    def format(self) -> str:
        """``source: where message`` on one line: a file name or message
        holding a line break or other control character is shown escaped."""
        head = ""
        if self.source:
            head = f"{_printable(_clipped(str(self.source)))}: "
        if self.where:
            head += f"{_printable(_clipped(str(self.where)))} "
        message = _printable(_clipped(str(self.message)))
        return f"{head}{message}" if head else message

    def located(self, source: str | None = None, where: str | None = None) -> "NeuronetError":
        """Return a copy of this error with a file name (and place) filled in."""
        return type(self)(self.message, source=source or self.source, where=where or self.where)


def printable(text: str) -> str:
    """``text`` with every character a terminal would act on (C0/C1 controls,
    DEL, bidi and other format characters, line separators) shown as its
    Python escape (``\\x1b``, ``\\x9b``, ``\\u202e``); printable text unchanged.
    The one rule for all output that came from a file or a backend
    (``neuronet.present.safe`` builds every other output's rule on it)."""
    text = str(text)
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


_printable = printable

#: the most characters of an error message written (a 200 MB cell quoted in
#: a message is cut: an error line stays a line)
MESSAGE_LIMIT = 300


def _clipped(text: str) -> str:
    if len(text) <= MESSAGE_LIMIT:
        return text
    return f"{text[:MESSAGE_LIMIT]}… ({len(text) - MESSAGE_LIMIT} more characters)"


class SpecError(NeuronetError):
    """A network spec file that is malformed or inconsistent."""


class DataError(NeuronetError):
    """Samples (inputs/targets) that are malformed or do not fit the network."""


class NumericError(NeuronetError):
    """A computation that left the real numbers: log(0), NaN, overflow."""


class NonFiniteError(NumericError):
    """A result that is not a finite number (inf or NaN), named by where it
    first appeared (layer, neuron, term).  The CLI exits 1 — the input was
    well-formed, the arithmetic left the floats — and never writes or prints
    the non-finite result."""

    exit_status = 1


class OutputError(NeuronetError):
    """A file neuronet was asked to write (``--out``, ``--svg``, …) that it
    cannot or will not write: a directory, a device, a missing folder, …"""


def place(where: str, key) -> str:
    """``where`` extended by one key: ``layers[1]``, ``layers.weights``, ``meta["a b"]``."""
    if isinstance(key, int):
        return f"{where}[{key}]"
    key = key if isinstance(key, str) else str(key)
    if key.isidentifier():
        return f"{where}.{key}" if where else key
    return f"{where}[{json.dumps(key, ensure_ascii=True)}]"
