"""IDX files: the format MNIST ships in (train-images-idx3-ubyte, …).

An IDX file is a 4-byte magic number — two zero bytes, a type code (0x08 =
unsigned byte) and the number of dimensions — then one big-endian 32-bit
size per dimension, then the data, row-major.  Images are idx3 (count × rows ×
columns), labels idx1 (count).  Files ending in ``.gz`` are read through gzip.

Every problem raises :class:`~neuronet.errors.DataError` naming the file and
the place.  Nothing is allocated on the header's word alone: the declared
data size (count × item size) is checked against the real file size (plain
files) or against the size cap of :mod:`neuronet.io.files` (gzip files,
whose body is then decompressed only up to the declared size — a gzip bomb
stops there).  A file must hold at least one item, and every dimension
after the first must be at least 1 (an image of 0 × 0 pixels is refused).  Pure Python: ``read_images`` returns lists of floats in [0, 1]
(pixel / 255), ``read_labels`` a list of ints.
"""
from __future__ import annotations

import gzip
import io
import struct
import zlib

from ..errors import DataError
from .files import MAX_BYTES_ENV, atomic_write, max_bytes, read_bytes

UBYTE = 0x08


def _stream(path: str):
    """A binary stream of the IDX bytes, decompressed lazily when gzipped."""
    raw = read_bytes(path, DataError, "an IDX file")
    if raw[:2] == b"\x1f\x8b":                       # gzip magic, whatever the name says
        return gzip.GzipFile(fileobj=io.BytesIO(raw), mode="rb"), None
    return io.BytesIO(raw), len(raw)


def _take(stream, n: int, path: str) -> bytes:
    try:
        return stream.read(n)
    except (OSError, EOFError, zlib.error) as e:
        raise DataError(f"is not a valid gzip file ({e})", source=path) from None


def read(path: str, dims: int | None = None, limit: int | None = None,
         max_values: int | None = None) -> tuple[list[int], bytes]:
    """(shape, data bytes) of an unsigned-byte IDX file; ``dims`` checks the
    number of dimensions; ``limit`` keeps only the first ``limit`` items;
    ``max_values`` refuses (on the header) more values than that kept."""
    stream, real = _stream(path)
    magic = _take(stream, 4, path)
    if len(magic) < 4:
        raise DataError(f"is {len(magic)} bytes long: too short for an IDX header", source=path)
    zero, dtype, ndim = magic[:2], magic[2], magic[3]
    if zero != b"\x00\x00":
        raise DataError(f"does not start with an IDX magic number (bytes 0–1 are {zero.hex()}, expected 0000)",
                        source=path)
    if dtype != UBYTE:
        raise DataError(f"byte 2: data type 0x{dtype:02x}; only unsigned bytes (0x08) are supported", source=path)
    if dims is not None and ndim != dims:
        kind = {1: "a label file (idx1)", 3: "an image file (idx3)"}.get(dims, f"idx{dims}")
        raise DataError(f"byte 3: {ndim} dimensions, expected {dims} — is this {kind}?", source=path)
    if ndim == 0:
        raise DataError("byte 3: 0 dimensions; an IDX file of items needs at least 1", source=path)
    head = 4 + 4 * ndim
    sizes = _take(stream, 4 * ndim, path)
    if len(sizes) < 4 * ndim:
        raise DataError(f"header is cut short ({4 + len(sizes)} bytes, expected {head})", source=path)
    shape = list(struct.unpack(f">{ndim}I", sizes))
    if shape[0] == 0:
        raise DataError("its header says it holds 0 items: nothing to read", source=path)
    if any(d == 0 for d in shape[1:]):
        raise DataError(f"its header gives a dimension of 0 (shape {' × '.join(map(str, shape))}): "
                        "every item would be empty", source=path)
    item = 1
    for d in shape[1:]:
        item *= d
    declared = item * shape[0]
    expected = head + declared
    if real is not None and real < expected:
        have = (real - head) // item
        raise DataError(f"holds {have} complete items, but its header says {shape[0]} "
                        f"(file is {real} bytes, expected {expected})", source=path)
    cap = max_bytes()
    if real is None and declared > cap:
        raise DataError(f"its header declares {declared:,} bytes of data, more than the "
                        f"{cap / 1048576:g} MiB limit (set {MAX_BYTES_ENV} to raise it)", source=path)
    n = shape[0] if limit is None else min(shape[0], limit)
    if max_values is not None and n * item > max_values:
        raise DataError(f"its header declares {n:,} items of {item:,} values ({n * item:,} values), more "
                        f"than the limit of {max_values:,} kept in memory", source=path)
    if real is None:                                   # gzip: decompress the declared size, no more
        body = _take(stream, declared, path)
        if len(body) < declared:
            raise DataError(f"holds {len(body) // item} complete items, but its header says {shape[0]} "
                            f"(unpacked it is {head + len(body)} bytes, expected {expected})", source=path)
        return [n] + shape[1:], body[:n * item]
    return [n] + shape[1:], _take(stream, n * item, path)


def read_images(path: str, limit: int | None = None) -> list[list[float]]:
    """Each image as one flat list of rows × columns floats, pixel/255 (the
    256 possible floats made once and shared: 8 bytes a pixel).  At most
    :data:`~.limits.MAX_PIXELS` values, checked on the header before a byte
    of the body is inflated."""
    from .limits import MAX_PIXELS
    shape, body = read(path, 3, limit, max_values=MAX_PIXELS)
    n, rows, cols = shape
    size = rows * cols
    table = [b / 255.0 for b in range(256)]
    return [[table[b] for b in body[k * size:(k + 1) * size]] for k in range(n)]


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
    atomic_write(path, data, DataError)          # like every file neuronet writes


def one_hot(labels: list[int], classes: int = 10, source: str | None = None) -> list[list[float]]:
    out = []
    for k, c in enumerate(labels):
        if not 0 <= c < classes:
            raise DataError(f"label {c} is not a class 0…{classes - 1}", source=source, where=f"item {k}:")
        row = [0.0] * classes
        row[c] = 1.0
        out.append(row)
    return out
