"""Samples: --input/--target pairs, CSV and JSON data files.

Every problem raises :class:`DataError` naming the file (or argument) and the
place: ``data.csv: row 3, column y1: 'abc' is not a number``.

Numbers (decision): a number in a CSV cell, in ``--input``/``--target`` and
in the CLI's numeric options is written in ASCII, the way JSON, TOML and
every text write them: an optional sign, digits with an optional decimal
point, an optional exponent (``-1.5e-3``, ``.5``, ``2.``).  Python's
``float()`` is more lenient; that leniency is refused here, on purpose:
``1_000`` (digit grouping — is ``1_000`` 1000 or a typo for ``1.000``?),
Arabic-Indic ``١٢``, full-width ``１２`` and other non-ASCII digits.
``inf``/``nan`` are recognised only to be refused as "not a finite number".
A JSON data file follows JSON's own number syntax; an integer too large for
a float (beyond ±1.8e308) is refused as not finite.  CSV cells may be up to
1 MiB long (a line, :data:`MAX_LINE`; the csv module's 128 KiB field limit is
lifted to that), and a file at most 5·10⁶ cells (io/limits.py).
"""
from __future__ import annotations

import csv
import math
import re
from pathlib import Path

from ..errors import DataError
from .files import parse_json, read_text

_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)
_NONFINITE = re.compile(r"[+-]?(?:inf|infinity|nan)", re.ASCII | re.IGNORECASE)


def number(text: str) -> float:
    """An ASCII decimal number (see the module docstring); ValueError
    otherwise.  ``inf``/``nan`` come back as floats for the caller to refuse."""
    if isinstance(text, str):
        t = text.strip()
        if _NUMBER.fullmatch(t) or _NONFINITE.fullmatch(t):
            return float(t)
    raise ValueError(f"{text!r} is not a number")


def parse_vector(text: str, where: str) -> list[float]:
    """'1,0,0.5' → [1.0, 0.0, 0.5]."""
    parts = [p.strip() for p in text.split(",")]
    out = []
    for k, p in enumerate(parts):
        out.append(_num(p, f"{where}, entry {k}", None))
    return out


def _num(text, where: str, source: str | None) -> float:
    try:
        x = number(text)
    except ValueError:
        shown = repr(text) if len(text) <= 40 else repr(text[:37]) + "…"
        raise DataError(f"{shown} is not a number", source=source, where=where + ":") from None
    if not math.isfinite(x):
        shown = repr(text) if len(text) <= 40 else repr(text[:37]) + f"… ({len(text):,} characters)"
        raise DataError(f"{shown} is not a finite number", source=source, where=where + ":")
    return x


def check(xs, ys, n_in: int, n_out: int, source: str | None = None) -> None:
    """Every input has n_in entries and every target n_out."""
    if not xs:
        raise DataError("no samples: give --input/--target pairs or --data FILE", source=source)
    if len(xs) != len(ys):
        raise DataError(f"{len(xs)} inputs but {len(ys)} targets", source=source)
    for s, (x, y) in enumerate(zip(xs, ys)):
        if len(x) != n_in:
            raise DataError(f"has {len(x)} entries, expected {n_in} (the input layer's size)",
                            source=source, where=f"sample {s} input")
        if len(y) != n_out:
            raise DataError(f"has {len(y)} entries, expected {n_out} (the output layer's size)",
                            source=source, where=f"sample {s} target")


def read(path: str, targets: int | None = None) -> tuple[list[list[float]], list[list[float]]]:
    """Read a CSV or JSON data file into (inputs, targets); ``.gz`` files
    (``samples.csv.gz``) are decompressed first."""
    p = Path(path)
    if p.suffix.lower() == ".gz":
        text = _read_gzip_text(p)
        p = p.with_suffix("")       # samples.csv.gz reads as samples.csv
    else:
        text = read_text(path, DataError, "a CSV or JSON data file")
    from .limits import check_data
    is_json = p.suffix.lower() == ".json"
    check_data(text, DataError, str(path), json=is_json)     # before a cell is made
    if is_json:
        return _read_json(text, path)
    return _read_csv(text, path, targets)


def _read_gzip_text(p: Path) -> str:
    import zlib
    from .files import max_bytes, read_bytes
    raw = read_bytes(str(p), DataError, "a gzip-compressed CSV or JSON data file")
    cap = max_bytes()
    try:
        # at most the size cap of a plain file, however small the gzip (a "bomb")
        z = zlib.decompressobj(wbits=31)
        data = z.decompress(raw, cap + 1)
        if len(data) > cap or (z.unconsumed_tail and not z.eof):
            raise DataError(f"decompresses to more than {cap} bytes, the size cap of a data file "
                            "(NEURONET_MAX_FILE_MB raises it)", source=str(p))
        if not z.eof:
            raise EOFError("compressed file ended before the end-of-stream marker was reached")
    except (OSError, EOFError, zlib.error) as e:
        raise DataError(f"is not a readable gzip file ({e})", source=str(p)) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise DataError("is not UTF-8 text once decompressed (expected a CSV or JSON data file)",
                        source=str(p)) from None


def _read_json(text: str, path: str):
    data = parse_json(text, DataError, path)
    if not isinstance(data, dict) or "inputs" not in data or "targets" not in data:
        raise DataError('must be an object {"inputs": [[…]], "targets": [[…]]}', source=path)
    out = []
    for key in ("inputs", "targets"):
        rows = data[key]
        if not isinstance(rows, list):
            raise DataError("must be a list of lists of numbers", source=path, where=key)
        m = []
        for r, row in enumerate(rows):
            if not isinstance(row, list):
                raise DataError("must be a list of numbers", source=path, where=f"{key}[{r}]")
            m.append([_json_num(v, f"{key}[{r}][{c}]", path) for c, v in enumerate(row)])
        out.append(m)
    return out[0], out[1]


def _json_num(v, where, path):
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        shown = repr(v) if isinstance(v, (str, type(None))) and len(repr(v)) <= 40 else type(v).__name__
        raise DataError(f"{shown} is not a number", source=path, where=where + ":")
    try:
        x = float(v)
    except OverflowError:
        x = math.inf
    if not math.isfinite(x):
        shown = repr(v) if isinstance(v, float) else f"an integer of {len(str(abs(v)))} digits"
        raise DataError(f"{shown} is not a finite number", source=path, where=where + ":")
    return x


#: the longest line of a CSV data file: no row of numbers is longer, and the csv
#: module holds a field as 4 bytes a character (a 200 MB cell would take 800 MB)
MAX_LINE = 1 << 20


def _lines(text: str, path: str):
    """The lines of ``text`` one at a time (no list of them all, no copy of
    the text), each at most :data:`MAX_LINE` characters."""
    start, n = 0, 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end + 1
        n += 1
        if end - start > MAX_LINE:
            raise DataError(f"is {end - start:,} characters long, more than {MAX_LINE:,}: no row of numbers "
                            "is that long", source=path, where=f"line {n}")
        yield text[start:end]
        start = end


def _read_csv(text: str, path: str, targets: int | None):
    csv.field_size_limit(MAX_LINE)
    reader = csv.reader(_lines(text, path))
    try:
        rows = [r for r in reader if r and any(c.strip() for c in r)]
    except csv.Error as e:
        raise DataError(f"is not valid CSV: {e}", source=path, where=f"line {reader.line_num}:") from None
    if not rows:
        raise DataError("is empty", source=path)
    header = [h.strip() for h in rows[0]]
    has_header = any(_not_number(h) for h in header)
    body = rows[1:] if has_header else rows
    width = len(rows[0])
    if targets is not None:
        if not 0 < targets < width:
            raise DataError(f"--targets {targets} does not fit {width} columns", source=path)
        in_cols = list(range(width - targets))
        out_cols = list(range(width - targets, width))
    elif has_header and any(h.startswith("x") for h in header) and any(h.startswith("y") for h in header):
        in_cols = [c for c, h in enumerate(header) if h.startswith("x")]
        out_cols = [c for c, h in enumerate(header) if h.startswith("y")]
    else:
        raise DataError("needs a header naming columns x… (inputs) and y… (targets), "
                        "or --targets K for the last K columns", source=path)
    names = header if has_header else [f"column {c}" for c in range(width)]
    xs, ys = [], []
    for r, row in enumerate(body):
        line = r + (2 if has_header else 1)
        if len(row) != width:
            raise DataError(f"has {len(row)} columns, expected {width}", source=path, where=f"line {line}")
        xs.append([_num(row[c].strip(), f"line {line}, column {names[c]}", path) for c in in_cols])
        ys.append([_num(row[c].strip(), f"line {line}, column {names[c]}", path) for c in out_cols])
    return xs, ys


def _not_number(s: str) -> bool:
    try:
        number(s)
        return False
    except ValueError:
        return True
