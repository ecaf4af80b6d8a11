"""IDX files: the format MNIST ships in (train-images-idx3-ubyte, …).

An IDX file is a 4-byte magic number — two zero bytes, a type code (0x08 =
unsigned byte) and the number of dimensions — then one big-endian 32-bit
size per dimension, then the data, row-major.  Images are idx3 (count × rows ×
columns), labels idx1 (count).  Files ending in ``.gz`` are read through gzip.

Every problem raises :class:`~neuronet.errors.DataError` naming the file and
the place.  Pure Python: ``read_images`` returns lists of floats in [0, 1]
(pixel / 255), ``read_labels`` a list of ints.
"""
from __future__ import annotations

import gzip
import os
import struct
from pathlib import Path

from ..errors import DataError
from .files import read_bytes

UBYTE = 0x08


def _open_bytes(path: str) -> bytes:
    raw = read_bytes(path, DataError, "an IDX file")
    if raw[:2] == b"\x1f\x8b":                       # gzip magic, whatever the name says
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as e:
            raise DataError(f"is not a valid gzip file ({e})", source=path) from None
    return raw


def read(path: str, dims: int | None = None, limit: int | None = None) -> tuple[list[int], bytes]:
    """(shape, data bytes) of an unsigned-byte IDX file; ``dims`` checks the
    number of dimensions; ``limit`` keeps only the first ``limit`` items."""
    raw = _open_bytes(path)
    if len(raw) < 4:
        raise DataError(f"is {len(raw)} bytes long: too short for an IDX header", source=path)
    zero, dtype, ndim = raw[:2], raw[2], raw[3]
    if zero != b"\x00\x00":
        raise DataError(f"does not start with an IDX magic number (bytes 0–1 are {zero.hex()}, expected 0000)",
                        source=path)
    if dtype != UBYTE:
        raise DataError(f"byte 2: data type 0x{dtype:02x}; only unsigned bytes (0x08) are supported", source=path)
    if dims is not None and ndim != dims:
        kind = {1: "a label file (idx1)", 3: "an image file (idx3)"}.get(dims, f"idx{dims}")
        raise DataError(f"byte 3: {ndim} dimensions, expected {dims} — is this {kind}?", source=path)
    head = 4 + 4 * ndim
    if len(raw) < head:
        raise DataError(f"header is cut short ({len(raw)} bytes, expected {head})", source=path)
    shape = list(struct.unpack(f">{ndim}I", raw[4:head]))
    item = 1
    for d in shape[1:]:
        item *= d
    expected = head + item * (shape[0] if shape else 0)
    if len(raw) < expected:
        have = (len(raw) - head) // item if item else 0
        raise DataError(f"holds {have} complete items, but its header says {shape[0]} "
                        f"(file is {len(raw)} bytes, expected {expected})", source=path)
    n = shape[0] if limit is None else min(shape[0], limit)
    return [n] + shape[1:], raw[head:head + n * item]


def read_images(path: str, limit: int | None = None) -> list[list[float]]:
    """Each image as one flat list of rows × columns floats, pixel/255."""
    shape, body = read(path, 3, limit)
    n, rows, cols = shape
    size = rows * cols
    scale = 1.0 / 255.0
    return [[b * scale for b in body[k * size:(k + 1) * size]] for k in range(n)]


def read_labels(path: str, limit: int | None = None) -> list[int]:
    _, body = read(path, 1, limit)
    return list(body)


def write(path: str, shape: list[int], values) -> None:
    """Write an unsigned-byte IDX file (for tests and small examples)."""
    flat = bytes(values)
    header = bytes([0, 0, UBYTE, len(shape)]) + struct.pack(f">{len(shape)}I", *shape)
    data = header + flat
    if str(path).endswith(".gz"):
        data = gzip.compress(data)
    # atomically, like every file neuronet writes: a temp file, then rename
    target = Path(path)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, target)


def one_hot(labels: list[int], classes: int = 10, source: str | None = None) -> list[list[float]]:
    out = []
    for k, c in enumerate(labels):
        if not 0 <= c < classes:
            raise DataError(f"label {c} is not a class 0…{classes - 1}", source=source, where=f"item {k}:")
        row = [0.0] * classes
        row[c] = 1.0
        out.append(row)
    return out
