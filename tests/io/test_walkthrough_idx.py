"""The IDX reader (MNIST's file format), on small files written here."""
import json
import struct

import pytest

from neuronet.io import idx
from neuronet.errors import DataError


def images(n, rows=28, cols=28):
    # image k: pixel p holds (k + p) mod 256 — every value known in advance
    return [(k + p) % 256 for k in range(n) for p in range(rows * cols)]


@pytest.fixture
def mnist(tmp_path):
    img, lab = tmp_path / "imgs-idx3-ubyte", tmp_path / "labels-idx1-ubyte.gz"
    idx.write(img, [12, 28, 28], images(12))
    idx.write(lab, [12], [k % 10 for k in range(12)])
    return img, lab


def test_reads_images_and_labels_back(mnist):
    img, lab = mnist
    xs = idx.read_images(str(img))
    assert len(xs) == 12 and len(xs[0]) == 784
    assert xs[3][0] == 3 / 255 and xs[3][300] == ((3 + 300) % 256) / 255
    assert idx.read_labels(str(lab)) == [k % 10 for k in range(12)]      # a .gz file
    assert len(idx.read_images(str(img), limit=5)) == 5


def test_header_is_big_endian_as_the_format_says(tmp_path):
    p = tmp_path / "x"
    idx.write(p, [2, 3, 4], list(range(24)))
    raw = p.read_bytes()
    assert raw[:4] == b"\x00\x00\x08\x03" and struct.unpack(">3I", raw[4:16]) == (2, 3, 4)


@pytest.mark.parametrize("raw, message", [
    (b"\x01\x02\x08\x03", "magic number"),
    (b"\x00\x00\x0d\x03" + struct.pack(">3I", 1, 1, 1) + b"\x00", "data type"),
    (b"\x00\x00\x08\x03" + struct.pack(">3I", 3, 2, 2) + bytes(5), "holds 1 complete items"),
    (b"\x00\x00\x08", "too short"),
])
def test_bad_files_raise_one_data_error_naming_the_file(tmp_path, raw, message):
    p = tmp_path / "bad-idx3-ubyte"
    p.write_bytes(raw)
    with pytest.raises(DataError) as e:
        idx.read_images(str(p))
    assert message in str(e.value) and str(p) in str(e.value)


def test_labels_file_given_as_images_is_named(mnist):
    _, lab = mnist
    with pytest.raises(DataError, match="dimensions"):
        idx.read_images(str(lab))


def test_digits_walkthrough_runs_784_200_100_10_on_idx_files(cli, mnist):
    img, lab = mnist
    r = cli("walkthrough", "digits", "--data", img, "--labels", lab, "--epochs", "1", "--format", "json")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["numbers"]["sizes"] == [784, 200, 100, 10]     # 000's network exactly
    assert report["numbers"]["verify_max_abs_diff"] < 1e-9


def test_digits_walkthrough_bad_idx_is_one_line_exit_2(cli, tmp_path, mnist):
    img, _ = mnist
    r = cli("walkthrough", "digits", "--data", img, "--labels", tmp_path / "missing")
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1 and "missing" in r.stderr
    r = cli("walkthrough", "digits", "--data", img)
    assert r.returncode == 2 and "--labels" in r.stderr
