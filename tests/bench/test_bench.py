"""The bench machinery, run tiny: JSON shape, and every contender computes the
same SGD step as passes.step.

No timing is asserted anywhere.  The reference for "the same step" is the
engine (passes.step); the floor, the traced runs, torch and micrograd are
independent implementations of the step checked against it.
"""
from __future__ import annotations

import json
import math

import pytest

from neuronet import bench
from neuronet.engine import passes
from neuronet.cli import main
from neuronet.io.spec import from_dict


def _flat(weights):
    return [v for W, b in weights for row in W for v in row] + [v for W, b in weights for v in b]


@pytest.fixture(scope="module")
def contenders():
    found, _ = bench.available()
    return found


def test_json_shape(tmp_path, capsys):
    out = tmp_path / "bench.json"
    rc = main(["bench", "--arch", "2-4-3-2", "--runs", "3", "--no-memory", "--json", str(out)])
    assert rc == 0
    doc = json.loads(out.read_text())
    assert set(doc) >= {"machine", "rows"}
    assert {"cpu", "python", "platform", "cores"} <= set(doc["machine"])
    names = {r["contender"] for r in doc["rows"]}
    # always present (pure Python); matrix/torch/micrograd only when installed
    assert {"neuronet", "neuronet-null-sink", "neuronet-jsonl", "floor"} <= names
    assert names <= set(bench.NAMES)
    for r in doc["rows"]:
        assert set(r) == {"arch", "contender", "median_s", "min_s", "max_s", "runs"}
        assert r["arch"] == "2-4-3-2"
        assert r["runs"] == 3
        assert 0 < r["min_s"] <= r["median_s"] <= r["max_s"]
    table = capsys.readouterr().out
    assert "vs floor" in table and "floor" in table


@pytest.mark.parametrize("arch", ["2-4-3-2", "64-32-10"])
def test_every_contender_takes_the_engines_step(arch, contenders):
    # micrograd on 64-32-10 builds ~5000 graph nodes: fine; 784-… is left to the bench.
    sizes = bench.ARCHS[arch]
    got = bench.check(sizes, contenders)
    L0, w0 = got["neuronet"]
    start = _flat(bench.start_weights(sizes))
    flat0 = _flat(w0)
    assert flat0 != start                      # the step did move the weights
    for name, (L, w) in got.items():
        # float64 everywhere; the floor hoists η·a and torch/micrograd sum in
        # their own order, so agreement is to rounding, not to the bit.  The
        # float32 replay agrees to float32 rounding (u = 6e-8, a few roundings).
        rel, abs_ = (1e-5, 1e-7) if name in bench.LOW_PRECISION else (1e-12, 1e-14)
        assert L == pytest.approx(L0, rel=rel), name
        flat = _flat(w)
        assert len(flat) == len(flat0), name
        for v, v0 in zip(flat, flat0):
            assert math.isclose(v, v0, rel_tol=rel * 10, abs_tol=abs_), name


def test_the_step_is_the_chain_rule():
    # Independent of every implementation above: finite differences of the
    # ½SSE loss on 2-4-3-2 give the gradient; one step must move each weight
    # by −η·(that gradient).
    sizes = bench.ARCHS["2-4-3-2"]
    x, y = bench.sample_for(sizes)
    spec = bench.spec_for(sizes)
    before = bench.start_weights(sizes)
    net = from_dict(spec)
    bench.floor_step(net, x, y, bench.ETA)
    after = bench.weights_of(net)

    def loss_with(l, i, j, h):
        n = from_dict(spec)
        n.layers[l - 1][i].w[j] += h
        passes.forward(n, x)
        return passes.loss(n, y)

    h = 1e-6
    for l in range(1, len(sizes)):
        for i in range(sizes[l - 1]):
            for j in range(sizes[l]):
                g = (loss_with(l, i, j, h) - loss_with(l, i, j, -h)) / (2 * h)
                moved = after[l - 1][0][i][j] - before[l - 1][0][i][j]
                assert moved == pytest.approx(-bench.ETA * g, rel=1e-5, abs=1e-10)


def test_plan_times_micrograd_once_on_the_big_net():
    for quick in (True, False):
        p = bench.plan(quick=quick)
        assert set(p.archs) == set(bench.ARCHS)
        assert bench.runs_of(p, "784-200-100-10", "micrograd") == 1
        assert bench.runs_of(p, "784-200-100-10", "neuronet") == p.rounds["784-200-100-10"] >= 3


def test_memory_probe_reports_megabytes():
    m = bench.memory_probe("2-4-3-2", jsonl=True)
    assert m["arch"] == "2-4-3-2"
    assert 0 < m["baseline_rss_mb"] <= m["peak_rss_mb"] <= m["peak_rss_after_jsonl_step_mb"]


def test_unwritable_json_fails_at_once_with_one_line(tmp_path, capsys):
    bad = tmp_path / "no-such-dir" / "bench.json"
    assert main(["bench", "--arch", "2-4-3-2", "--runs", "3", "--json", str(bad)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(bad) in err[0] and "Traceback" not in err[0]
    assert not bad.parent.exists()


def test_ratios_pair_rounds_and_targets_read_them():
    # Synthetic numbers, no clock: in round 2 the machine was 10× slower for
    # both; the per-round ratio is still 2, the ratio of medians is not.
    arch = "784-200-100-10"
    rounds = {(arch, "neuronet"): {0: 2.0, 1: 2.0, 2: 20.0, 3: 2.0},
              (arch, "floor"): {0: 1.0, 1: 1.0, 2: 10.0, 3: 1.0},
              (arch, "micrograd"): {2: 9000.0}}
    rows = [{"arch": arch, "contender": name, "median_s": sorted(t.values())[len(t) // 2],
             "min_s": min(t.values()), "max_s": max(t.values()), "runs": len(t)}
            for (_, name), t in rounds.items()]
    assert bench.ratio(rows, arch, "neuronet", "floor", rounds) == 2.0
    # one run: compared with the other's measurement in that same round
    assert bench.ratio(rows, arch, "micrograd", "neuronet", rounds) == 450.0
    assert bench.ratio(rows, arch, "matrix", "neuronet", rounds) is None
    tg = {t["target"]: t for t in bench.targets(rows, {"arch": arch, "peak_rss_mb": 61.0}, rounds)}
    assert tg["untraced engine ≤ 1.15× floor"]["met"] is False
    assert tg["≥ 200× faster than micrograd"]["met"] is True
    assert tg["matrix ≤ torch float64"]["met"] is None
    assert tg["784-200-100-10 held in < 60 MB RSS"]["met"] is False
