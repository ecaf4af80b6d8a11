"""Timing for ``neuronet bench``: interleaved rounds, paired ratios, targets,
peak memory and the machine's description.  The contenders themselves are in
:mod:`.contenders`.  Never prints; imports neither rich nor numpy.
"""
from __future__ import annotations

import gc
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import Callable

from ..io.spec import from_dict
from .contenders import ARCHS, ETA, SEED, Contender, Runner, SHARES_NET, sample_for, spec_for


# ---------------------------------------------------------------------------
# timing
# ---------------------------------------------------------------------------

@dataclass
class Plan:
    """How many interleaved rounds per architecture, how long one timed
    measurement should last at least (small steps are repeated inside it),
    and per-contender caps on rounds (for contenders that take seconds)."""
    archs: list[str]
    rounds: dict[str, int]
    min_time: float = 0.005
    caps: dict[tuple[str, str], int] = field(default_factory=dict)


def plan(quick: bool, archs: list[str] | None = None, runs: int | None = None) -> Plan:
    archs = archs or list(ARCHS)
    if quick:
        rounds = {"2-4-3-2": 15, "64-32-10": 11, "784-200-100-10": 15}
        caps = {("784-200-100-10", "neuronet-jsonl"): 3, ("784-200-100-10", "neuronet-null-sink"): 3,
                ("784-200-100-10", "micrograd"): 1}
        min_time = 0.05
    else:
        rounds = {"2-4-3-2": 41, "64-32-10": 31, "784-200-100-10": 31}
        caps = {("784-200-100-10", "neuronet-jsonl"): 5, ("784-200-100-10", "neuronet-null-sink"): 7,
                ("784-200-100-10", "micrograd"): 1}
        min_time = 0.05
    if runs is not None:
        rounds = {a: runs for a in archs}
        caps = {k: min(v, runs) for k, v in caps.items()}
    return Plan(archs, {a: rounds.get(a, 9) for a in archs}, min_time, caps)


WARM_BELOW = 0.2   # seconds: below this a contender gets an untimed warm-up step per measurement


def runs_of(p: Plan, arch: str, name: str) -> int:
    return min(p.rounds[arch], p.caps.get((arch, name), p.rounds[arch]))


def _timed(runner: Runner, inner: int, warm: bool) -> float:
    """Seconds per step over ``inner`` steps.

    Before the clock starts: a full garbage collection, so no contender pays
    for another's cyclic garbage (the collector stays on while timing: the
    collections a contender's own garbage triggers are part of its cost —
    micrograd's graph is cyclic, and collecting it is most of its step), and,
    with ``warm``, one untimed step, so the measurement does not include the
    cache misses left by whichever contender ran before.
    """
    step = runner.step
    gc.collect()
    if warm:
        step()
    t0 = time.perf_counter()
    for _ in range(inner):
        step()
    return (time.perf_counter() - t0) / inner


def measure(p: Plan, contenders: list[Contender], progress: Callable | None = None,
            eta: float = ETA, rounds_out: dict | None = None) -> list[dict]:
    """Time every contender on every architecture of the plan.

    Per architecture: build every runner, time one step of each (which sets
    how many steps one measurement repeats so it lasts at least
    ``p.min_time``), then run rounds; every round runs the contenders in a
    fresh random order (seeded), so none always follows the same neighbour —
    a numpy step, say, that leaves the cache cold.  Contenders faster than
    ``WARM_BELOW`` take one untimed step before each measurement.  ``progress(arch, contender, done, total)`` is called after
    each measurement.  ``rounds_out``, when given, receives
    ``{(arch, contender): {round: seconds}}`` for :func:`ratio`.
    """
    rows = []
    total = sum(runs_of(p, a, c.name) + 1 for a in p.archs for c in contenders)   # + 1: the warm-up
    done = 0
    for arch in p.archs:
        sizes = ARCHS[arch]
        x, y = sample_for(sizes)
        runs = {c.name: runs_of(p, arch, c.name) for c in contenders}
        # a capped contender runs in rounds spread evenly over the run
        when = {name: {(i * p.rounds[arch]) // n for i in range(n)} for name, n in runs.items()}
        active = [c for c in contenders if runs[c.name] > 0]
        runners, inner, warm, times = {}, {}, {}, {}
        shared = from_dict(spec_for(sizes))
        for c in active:
            if progress:
                progress(arch, c.name, done, total)
            if c.name in SHARES_NET:
                r = runners[c.name] = c.make(sizes, x, y, eta, net=shared)
            else:
                r = runners[c.name] = c.make(sizes, x, y, eta)
            t = _timed(r, 1, False) if runs[c.name] > 1 else 0.0   # first step (skipped for a single run)
            inner[c.name] = max(1, min(10_000, int(p.min_time / t) if t > 0 else 1))
            warm[c.name] = 0.0 < t < WARM_BELOW
            times[c.name] = []
            done += 1
        # Everything built so far (runners, networks, imported modules) is
        # long-lived: freeze it out of the collector's sight, so the full
        # collection before each measurement stays cheap and a contender's
        # own collections scan only its own new objects.
        gc.collect()
        gc.freeze()
        shuffle = random.Random(SEED).shuffle
        for rnd in range(p.rounds[arch]):
            order = list(active)
            shuffle(order)
            for c in order:
                if rnd not in when[c.name]:
                    continue
                if progress:
                    progress(arch, c.name, done, total)
                t = _timed(runners[c.name], inner[c.name], warm[c.name])
                times[c.name].append(t)
                if rounds_out is not None:
                    rounds_out.setdefault((arch, c.name), {})[rnd] = t
                done += 1
        gc.unfreeze()
        for c in active:
            runners[c.name].close()
            ts = times[c.name]
            rows.append({"arch": arch, "contender": c.name, "median_s": statistics.median(ts),
                         "min_s": min(ts), "max_s": max(ts), "runs": len(ts)})
        if progress:
            progress(arch, "", done, total)
    return rows


# ---------------------------------------------------------------------------
# ratios and targets
# ---------------------------------------------------------------------------

def median(rows, arch, contender) -> float | None:
    for r in rows:
        if r["arch"] == arch and r["contender"] == contender:
            return r["median_s"]
    return None


def ratio(rows, arch, a, b, rounds: dict | None = None) -> float | None:
    """How many times slower ``a`` is than ``b`` on ``arch``.

    With ``rounds`` (from :func:`measure`): the median of the per-round
    ratios over the rounds in which both ran — each round runs the two back
    to back, so drift of a shared machine cancels pairwise (a contender timed
    once is compared with what the other did in that same round).  Without,
    the ratio of the medians.
    """
    if rounds is not None:
        ra, rb = rounds.get((arch, a), {}), rounds.get((arch, b), {})
        both = sorted(set(ra) & set(rb))
        if both:
            return statistics.median(ra[k] / rb[k] for k in both)
    ta, tb = median(rows, arch, a), median(rows, arch, b)
    return ta / tb if ta is not None and tb else None


TARGETS = [
    # (what, arch, numerator, denominator, limit): ratio(num, den) ≤ limit
    ("untraced engine ≤ 1.15× floor", "784-200-100-10", "neuronet", "floor", 1.15),
    ("null sink ≤ 10× untraced", "784-200-100-10", "neuronet-null-sink", "neuronet", 10.0),
    ("JSONL ≤ 40× untraced", "784-200-100-10", "neuronet-jsonl", "neuronet", 40.0),
    ("matrix ≤ torch float64", "784-200-100-10", "matrix", "torch-float64", 1.0),
    ("float32 replay ≤ 3× float64", "784-200-100-10", "replay-float32", "replay-float64", 3.0),
]
# (what, arch, numerator, denominator, limit): ratio(num, den) ≥ limit
TARGETS_AT_LEAST = [
    ("≥ 200× faster than micrograd", "784-200-100-10", "micrograd", "neuronet", 200.0),
]


def targets(rows, memory: dict | None = None, rounds: dict | None = None) -> list[dict]:
    """Each target with its measured ratio (None when a contender is missing)."""
    out = []
    for what, arch, a, b, limit in TARGETS:
        r = ratio(rows, arch, a, b, rounds)
        out.append({"target": what, "arch": arch, "ratio": r, "limit": limit,
                    "met": None if r is None else r <= limit})
    for what, arch, a, b, limit in TARGETS_AT_LEAST:
        r = ratio(rows, arch, a, b, rounds)
        out.append({"target": what, "arch": arch, "ratio": r, "limit": limit,
                    "met": None if r is None else r >= limit})
    if memory and memory.get("arch") == "784-200-100-10":
        mb = memory["peak_rss_mb"]
        out.append({"target": "784-200-100-10 held in < 60 MB RSS", "arch": memory["arch"],
                    "ratio": mb, "limit": 60.0, "met": mb < 60.0})
    return out


# ---------------------------------------------------------------------------
# memory and machine
# ---------------------------------------------------------------------------

_PROBE = r"""
import json, os, resource, sys
def rss():
    # VmHWM: this process's peak RSS.  (getrusage's ru_maxrss is kept across
    # exec on Linux, so a child would report its parent's peak.)
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024   # KiB on Linux
from neuronet import bench
from neuronet.engine import passes
from neuronet.io.spec import from_dict
sizes = bench.ARCHS[sys.argv[1]]
x, y = bench.sample_for(sizes)
base = rss()
net = from_dict(bench.spec_for(sizes))
passes.step(net, [x], [y], bench.ETA)          # every weight now its own float object
held = rss()
out = {"arch": sys.argv[1], "baseline_rss_mb": base, "peak_rss_mb": held}
if sys.argv[2] == "1":
    with open(os.devnull, "w", encoding="utf-8") as stream, bench.jsonl_sink(stream) as sink:
        passes.step(net, [x], [y], bench.ETA, emit=sink)
    out["peak_rss_after_jsonl_step_mb"] = rss()
print(json.dumps(out))
"""


def memory_probe(arch: str = "784-200-100-10", jsonl: bool = True) -> dict:
    """Peak RSS (MB) of a fresh interpreter holding the network (after one
    step), measured in a subprocess from /proc/self/status VmHWM; with ``jsonl`` also
    after one step traced to JSON Lines (flat memory: it should not grow)."""
    out = subprocess.run([sys.executable, "-c", _PROBE, arch, "1" if jsonl else "0"],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def machine() -> dict:
    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    info = {"cpu": cpu, "cores": os.cpu_count(),
            "python": f"{platform.python_implementation()} {platform.python_version()}",
            "platform": platform.platform(),
            "time_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    try:
        info["loadavg"] = list(os.getloadavg())
    except OSError:
        pass
    # orjson: the JSON Lines row is ~37× with it, ~105× without (the `fast` extra)
    for mod in ("numpy", "torch", "micrograd", "orjson"):
        try:
            from importlib.metadata import version
            info[mod] = version(mod)
        except Exception:
            pass
    return info
