"""Each hostile input class is refused in one line within 1 GiB and 60 s.

Every input is generated in tmp_path and run in its own process under
``/usr/bin/time -v`` (a process is the point: its peak RSS is measured by
the kernel).  Marked slow: about a minute in all; ``-m 'not slow'`` skips it.
The refusal is the limit's own line (io/limits.py, io/files.py, spec.py,
fuzz.Scope, diagram.MAX_LAYERS) — not a MemoryError, not a kill.
"""
import gzip
import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, SWITCH

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not os.access("/usr/bin/time", os.X_OK), reason="needs GNU time (/usr/bin/time)")]

GIB_KB = 1024 * 1024
LIMIT_S = 60


def _measured(*args):
    env = dict(os.environ, PYTHONPATH=str(ROOT), COLUMNS="100")
    r = subprocess.run(["/usr/bin/time", "-v", sys.executable, "-m", "neuronet", *map(str, args)],
                       capture_output=True, text=True, env=env, timeout=LIMIT_S * 2)
    stats = r.stderr[r.stderr.rindex("\tCommand being timed"):]
    ours = [line for line in r.stderr[:r.stderr.rindex("\tCommand being timed")].strip().splitlines()
            if not line.startswith("Command exited with non-zero status")]      # time's own line
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", stats)[1])
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", stats)
    seconds = int(wall[1] or 0) * 3600 + int(wall[2]) * 60 + float(wall[3])
    return r.returncode, ours, rss_kb, seconds


def _refused(args, *needles, status=2):
    code, lines, rss_kb, seconds = _measured(*args)
    assert code == status, (code, lines)
    assert len(lines) == 1 and "Traceback" not in lines[0], lines
    for n in needles:
        assert n in lines[0], (n, lines[0])
    assert len(lines[0]) < 400                      # a line, whatever the value it quotes
    assert rss_kb <= GIB_KB, f"peak RSS {rss_kb / 1024:.0f} MiB"
    assert seconds <= LIMIT_S, f"{seconds:.1f} s"
    print(f"{args[0]}: peak RSS {rss_kb / 1024:.0f} MiB, {seconds:.1f} s: {lines[0][-100:]}")


def test_a_csv_gz_that_inflates_to_zero_rows(tmp_path):
    path = tmp_path / "bomb.csv.gz"
    path.write_bytes(gzip.compress(b"x1,y1\n" + b"0,0\n" * 16_000_000, 9))
    assert path.stat().st_size < 400_000
    _refused(["trace", ROOT / "walkthroughs" / "one-neuron-chain" / "network.toml", "--data", path], "cells")


def test_a_64_mb_csv(tmp_path):
    path = tmp_path / "big.csv"
    with open(path, "wb") as f:
        f.write(b"x1,y1\n")
        f.write(b"0,0\n" * 16_000_000)
    _refused(["trace", ROOT / "walkthroughs" / "one-neuron-chain" / "network.toml", "--data", path], "cells")


def test_one_200_mb_cell(tmp_path):
    path = tmp_path / "cell.csv"
    with open(path, "wb") as f:
        f.write(b"x1,y1\n")
        f.write(b"1" * 200_000_000 + b",0\n")
    _refused(["trace", ROOT / "walkthroughs" / "one-neuron-chain" / "network.toml", "--data", path],
             "line 2", "characters long")


def test_an_idx_gz_declaring_342k_images(tmp_path):
    import struct
    path = tmp_path / "images.idx3.gz"
    with gzip.open(path, "wb", 9) as f:
        f.write(bytes([0, 0, 8, 3]) + struct.pack(">3I", 342_000, 28, 28))
        block = bytes(28 * 28 * 1000)
        for _ in range(342):
            f.write(block)
    labels = tmp_path / "labels.idx1"
    labels.write_bytes(bytes([0, 0, 8, 1]) + struct.pack(">I", 342_000) + bytes(342_000))
    _refused(["walkthrough", "digits", "--data", path, "--labels", labels], "values")


def test_a_spec_with_20m_numbers_in_a_kept_key(tmp_path):
    spec = json.loads(json.dumps({"name": "n", "loss": "half_sse",
                                  "layers": [{"size": 1}, {"size": 1, "activation": "sigmoid", "weights": [[0.5]]}]}))
    text = json.dumps(spec)[:-1] + ', "notes": [' + "0," * 19_999_999 + "0]}"
    path = tmp_path / "kept.json"
    path.write_text(text)
    _refused(["trace", path, "--input", "1", "--target", "0"], "numbers")


def test_show_svg_of_500k_one_neuron_layers(tmp_path):
    layers = [{"size": 1}] + [{"size": 1, "activation": "identity", "weights": [[1]]}] * 499_999
    path = tmp_path / "deep.json"
    path.write_text(json.dumps({"name": "deep", "loss": "half_sse", "layers": layers}))
    _refused(["show", path, "--svg", tmp_path / "deep.svg"], "layers")
    assert not (tmp_path / "deep.svg").exists()


@pytest.mark.parametrize("extra, needle", [(["--max-width", "200000"], "--max-width"),
                                           (["--batch", "300000000"], "--batch")])
def test_verify_random_draws_are_bounded_before_drawing(extra, needle):
    _refused(["verify", "--random", "3", "--seed", "0", "--backend", "matrix", *extra], needle)


def test_a_toml_key_of_200k_parts(tmp_path):
    path = tmp_path / "keys.toml"
    path.write_text("a." * 200_000 + "b = 1\n")
    _refused(["trace", path, "--input", "1", "--target", "0"], "dotted key")


def test_softmax_over_8000_outputs(tmp_path):
    spec = {"name": "wide", "loss": "cross_entropy",
            "layers": [{"size": 1}, {"size": 8000, "activation": "softmax", "weights": [[0.0] * 8000]}]}
    path = tmp_path / "wide.json"
    path.write_text(json.dumps(spec))
    _refused(["trace", path, "--input", "1", "--target", ",".join(["1"] + ["0"] * 7999), "--format", "jsonl"],
             "softmax")
