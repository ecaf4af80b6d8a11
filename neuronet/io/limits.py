"""Memory and time are bounded by objects, not only by bytes.

The 256 MiB size cap of :mod:`.files` bounds what is *read*; it does not
bound what is *made* of it.  A 260 KB ``.csv.gz`` inflates to rows of
``0,0`` — 16 million cells, each a Python float in a list of its own row
(~70 bytes a cell): gigabytes.  An IDX header may declare 342,000 images.
A spec may carry 20 million numbers in a key neuronet keeps.  So each
reader counts the objects it is about to make — cheaply, on the text or the
header, *before* making them — and refuses past these limits with one line:

==================  ==========================  =============================
limit               what                        worst case in memory
==================  ==========================  =============================
``MAX_CELLS``       cells of a CSV/JSON data    ~5·10⁶ × ~80 B ≈ 400 MB
                    file (rows × columns)
``MAX_PIXELS``      values of an IDX image set  5·10⁷ × 8 B (shared floats)
                    (items × rows × columns)    ≈ 400 MB; MNIST's 60,000
                                                training images are 4.7·10⁷
``MAX_SPEC_VALUES`` numbers (separators) in a   4·10⁶ (the default
                    spec file                   ``--max-params`` is 10⁶)
==================  ==========================  =============================

``NEURONET_MAX_CELLS`` raises the first (a machine with memory to spare).
Draws (``verify --random``) and drawings (``show --svg``) have their own
bounds beside the code that makes them (fuzz.Scope, diagram.MAX_LAYERS).
"""
from __future__ import annotations

import os

from ..errors import NeuronetError

MAX_CELLS = 5_000_000
MAX_CELLS_ENV = "NEURONET_MAX_CELLS"
MAX_PIXELS = 50_000_000
MAX_SPEC_VALUES = 4_000_000


def max_cells() -> int:
    text = os.environ.get(MAX_CELLS_ENV)
    if text is None or not text.strip():
        return MAX_CELLS
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise NeuronetError(f"{MAX_CELLS_ENV}={text[:80]!r} is not a positive whole number")
    return n


def data_cells(text: str, json: bool = False) -> int:
    """An upper bound on the cells of a CSV (or JSON) data text, counted
    without parsing: one per separator and line."""
    if json:
        return text.count(",") + text.count("[")
    return text.count(",") + text.count("\n") + 1


def check_data(text: str, error: type, source: str, json: bool = False) -> None:
    cap = max_cells()
    n = data_cells(text, json)
    if n > cap:
        raise error(f"holds up to {n:,} cells (rows × columns), more than the limit of {cap:,} "
                    f"(set {MAX_CELLS_ENV} to raise it; an IDX file holds images more compactly)",
                    source=source)


def check_spec(text: str, error: type, source: str) -> None:
    n = text.count(",")
    if n > MAX_SPEC_VALUES:
        raise error(f"holds more than {MAX_SPEC_VALUES:,} numbers ({n:,} separators): refused before "
                    "parsing (the largest network neuronet steps has 10⁶ parameters by default)",
                    source=source)
