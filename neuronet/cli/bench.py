"""neuronet bench: seconds per SGD step, the engine beside its floor and rivals.

The measuring lives in neuronet/bench/; this module parses the options,
shows progress on stderr, prints the table and writes the JSON.
"""
from __future__ import annotations

import json
import sys

from .. import bench
from ..io.files import check_target
from ..io.spec import atomic_write
from ._common import positive_count

NAME = "bench"
ORDER = 90
HELP = "time one SGD step per contender (engine, traced, floor, matrix, micrograd)"
DESCRIPTION = ("Time one SGD step (forward + backward + update, one sample, sigmoid, ½SSE) on "
               "2-4-3-2, 64-32-10 and 784-200-100-10 for every contender, interleaved round-robin, "
               "and print the medians with their ratios to the floor and to the untraced engine.")


def add_arguments(p) -> None:
    p.add_argument("--quick", action="store_true", help="fewer rounds (under 2 minutes)")
    p.add_argument("--json", metavar="FILE", help="also write {machine, rows, memory, targets} as JSON (atomically)")
    p.add_argument("--arch", action="append", choices=list(bench.ARCHS), metavar="ARCH",
                   help=f"only this architecture (repeatable; one of {', '.join(bench.ARCHS)})")
    p.add_argument("--contender", action="append", choices=bench.NAMES, metavar="NAME",
                   help=f"only this contender (repeatable; of {', '.join(bench.NAMES)})")
    p.add_argument("--runs", type=positive_count, metavar="N", help="rounds per architecture (overrides the plan)")
    p.add_argument("--no-memory", action="store_true", help="skip the peak-RSS probe")


def _fmt_time(s: float) -> str:
    if s >= 1.0:
        return f"{s:.3g} s"
    if s >= 1e-3:
        return f"{s * 1e3:.3g} ms"
    return f"{s * 1e6:.3g} µs"


def _fmt_ratio(r: float | None) -> str:
    if r is None:
        return "–"
    return f"{r:.3g}×" if r >= 0.01 else f"1/{1 / r:.3g}"


def run(args) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    # piped output gets room for the whole table (rich would assume 80 columns)
    out = Console() if sys.stdout.isatty() else Console(width=110)
    if args.json is not None:
        check_target(args.json)          # say so now, not after minutes of timing
    err = Console(stderr=True)
    names = args.contender
    if names and "neuronet" not in names:
        names = ["neuronet", *names]       # the ratios are taken against it
    contenders, skipped = bench.available(names)
    p = bench.plan(args.quick, args.arch, args.runs)
    info = bench.machine()
    info["quick"] = bool(args.quick)

    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), console=err, transient=True,
                  disable=not err.is_terminal) as prog:     # piped: nothing extra
        task = prog.add_task("bench", total=1)

        def progress(arch, contender, done, total):
            prog.update(task, total=total, completed=done, description=f"{arch} {contender}")

        rounds: dict = {}
        rows = bench.measure(p, contenders, progress, rounds_out=rounds)
        memory = None
        if not args.no_memory:
            arch = max(p.archs, key=lambda a: sum(bench.ARCHS[a]))
            prog.update(task, description=f"peak RSS of {arch}")
            memory = bench.memory_probe(arch, jsonl="neuronet-jsonl" in [c.name for c in contenders])
    try:
        import os
        info["loadavg_end"] = list(os.getloadavg())
    except OSError:
        pass

    for arch in p.archs:
        t = Table(title=f"{arch}: seconds per SGD step (one sample); ratios are medians of per-round ratios",
                  title_justify="left")
        t.add_column("contender", no_wrap=True)
        t.add_column("median", justify="right")
        t.add_column("min", justify="right")
        t.add_column("max", justify="right")
        t.add_column("runs", justify="right")
        t.add_column("vs floor", justify="right")
        t.add_column("vs neuronet", justify="right")
        for r in rows:
            if r["arch"] != arch:
                continue
            t.add_row(r["contender"], _fmt_time(r["median_s"]), _fmt_time(r["min_s"]), _fmt_time(r["max_s"]),
                      str(r["runs"]), _fmt_ratio(bench.ratio(rows, arch, r["contender"], "floor", rounds)),
                      _fmt_ratio(bench.ratio(rows, arch, r["contender"], "neuronet", rounds)))
        out.print(t)
    if skipped:
        out.print("not measured: " + "; ".join(f"{k}: {v}" for k, v in skipped.items()))
    if any(c.name == "micrograd" for c in contenders) and "784-200-100-10" in p.archs:
        n = bench.runs_of(p, "784-200-100-10", "micrograd")
        out.print(f"micrograd on 784-200-100-10: {n} step{'s' if n != 1 else ''} timed "
                  "(a step takes seconds: it builds ~360,000 Values, ~0.4 GB, and the cyclic GC collects them).")
    if memory:
        line = (f"peak RSS holding {memory['arch']} (after one step): {memory['peak_rss_mb']:.1f} MB"
                f" (a fresh interpreter with neuronet imported: {memory['baseline_rss_mb']:.1f} MB)")
        if "peak_rss_after_jsonl_step_mb" in memory:
            line += f"; after one step traced to JSONL: {memory['peak_rss_after_jsonl_step_mb']:.1f} MB"
        out.print(line)
    tg = bench.targets(rows, memory, rounds)
    t = Table(title="targets", title_justify="left")
    t.add_column("target")
    t.add_column("measured", justify="right")
    t.add_column("", justify="center")
    for g in tg:
        if g["ratio"] is None:
            t.add_row(g["target"], "–", "not measured")
        else:
            measured = f"{g['ratio']:.1f} MB" if "MB" in g["target"] else _fmt_ratio(g["ratio"])
            t.add_row(g["target"], measured, "[green]met[/]" if g["met"] else "[red]missed[/]")
    out.print(t)
    json_by = f"orjson {info['orjson']}" if "orjson" in info else "the stdlib (no orjson: pip install 'neuronet[fast]')"
    out.print(f"[dim]{info['cpu']}, {info['cores']} cores, {info['python']}, {info['platform']}; "
              f"load average {', '.join(f'{v:.2f}' for v in info.get('loadavg', []))} at start; "
              f"JSON Lines written by {json_by}[/]")

    if args.json is not None:
        doc = {"machine": info, "rows": rows, "memory": memory, "targets": tg,
               "skipped": skipped}
        atomic_write(args.json, json.dumps(doc, indent=1, allow_nan=False) + "\n")
    return 0
