"""The live view of ``neuronet train``: progress, loss, a loss curve, and
what a teacher would point at — dead ReLUs and saturated sigmoids.

Fed by train.py's callbacks: ``on_step(epoch, step, loss)``,
``on_epoch(epoch, loss)`` and ``observe(net)``, which runs after each forward
pass of the end-of-epoch evaluation and only *reads* the neurons' z (nothing
is recomputed here).  Drawn with rich on stderr; an epoch table is printed
when training ends, however it ends.
"""
from __future__ import annotations

import math

from rich import box
from rich.console import Console, Group
from rich.live import Live
from rich.panel import Panel
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from ..errors import printable

SATURATED_Z = 6.0          # |z| beyond which σ'(z) = a(1 − a) < 0.0025
BLOCKS = " ▁▂▃▄▅▆▇█"


def curve(values: list[float], width: int, rows: int = 4) -> tuple[list[str], bool]:
    """A block-character plot of ``values`` squeezed into ``width`` columns
    (the last value of each bin); log scale when the values span more than
    50×.  Returns the lines (top first) and whether the scale is log."""
    vals = [v for v in values if math.isfinite(v)]
    if not vals:
        return [""] * rows, False
    if len(vals) > width:       # keep the last value of each of `width` bins
        vals = [vals[min(len(vals) - 1, int((k + 1) * len(vals) / width) - 1)] for k in range(width)]
    log = min(vals) > 0 and max(vals) / min(vals) > 50
    ys = [math.log10(v) for v in vals] if log else vals
    lo, hi = min(ys), max(ys)
    span = (hi - lo) or 1.0
    levels = [round((y - lo) / span * (rows * 8 - 1)) + 1 for y in ys]
    lines = []
    for r in range(rows - 1, -1, -1):
        lines.append("".join(BLOCKS[max(0, min(8, lv - r * 8))] for lv in levels))
    return lines, log


def plot(values: list[float], width: int, rows: int = 4) -> Text:
    """The loss curve with labelled axes: the loss (y, its largest and
    smallest value, log scale said when used) on the left, the epochs (x,
    first and last) underneath."""
    finite = [v for v in values if math.isfinite(v)]
    if not finite:
        return Text("(no finite loss yet)")
    hi, lo = f"{max(finite):.4g}", f"{min(finite):.4g}"
    pad = max(len(hi), len(lo), len("loss"))
    lines, log = curve(values, max(width - pad - 3, 8), rows)
    labels = [hi] + [""] * (rows - 2) + [lo] if rows >= 2 else [hi]
    if rows >= 3:
        labels[1] = "loss"
    if log and rows >= 4:
        labels[2] = "(log)"
    t = Text()
    for lab, line in zip(labels, lines):
        t.append(f"{lab:>{pad}} ┤", style="dim")
        t.append(line + "\n", style="cyan")
    n = len(values)
    span = len(lines[0]) if lines else 0
    t.append(" " * pad + " └" + "─" * span + "\n", style="dim")
    left, right = "epoch 1", f"epoch {n}"
    gap = max(1, span - len(left) - len(right) + 2)
    t.append(" " * (pad + 1) + left + (" " * gap + right if n > 1 else ""), style="dim")
    return t


def names(net, cells: list[tuple[int, int]], most: int = 6) -> str:
    shown = []
    for l, j in cells[:most]:
        d = net.layers[l][j].desc
        shown.append(printable(d) if d else f"n{l},{j}")      # a spec's label: no control character
    more = len(cells) - len(shown)
    return ", ".join(shown) + (f", … {more} more" if more > 0 else "")


class LiveView:
    def __init__(self, net, epochs: int, steps_per_epoch: int, console: Console | None = None,
                 diagnostics: bool = True) -> None:
        self.net = net
        self.epochs = epochs
        self.steps = steps_per_epoch
        self.console = console or Console(stderr=True)
        self.diagnostics = diagnostics
        self.epoch = 0
        self.step = 0
        self.loss: float | None = None
        self.history: list[float] = []
        self.rows: list[tuple[int, float, int, int]] = []     # epoch, loss, dead, saturated
        self.accuracy: dict[int, float] = {}                    # epoch → accuracy (classification)
        self.dead: list[tuple[int, int]] = []
        self.saturated: list[tuple[int, int]] = []
        self._relu = [l for l, f in enumerate(net.activations) if f.name in ("relu",) and l > 0]
        self._sigmoid = [l for l, f in enumerate(net.activations) if f.name == "sigmoid" and l > 0]
        self._reset()
        self.live: Live | None = None

    # -- callbacks ------------------------------------------------------------
    def _reset(self) -> None:
        self._seen = 0
        self._active = {l: [False] * len(self.net.layers[l]) for l in self._relu}
        self._sat = {l: [0] * len(self.net.layers[l]) for l in self._sigmoid}

    def observe(self, net) -> None:
        """After each evaluation forward pass: which ReLUs fired, which
        sigmoids sat in their flat tails."""
        self._seen += 1
        for l, active in self._active.items():
            for j, n in enumerate(net.layers[l]):
                if n.z > 0.0:
                    active[j] = True
        for l, sat in self._sat.items():
            for j, n in enumerate(net.layers[l]):
                if abs(n.z) > SATURATED_Z:
                    sat[j] += 1

    def on_step(self, epoch: int, step: int, loss: float) -> None:
        self.epoch, self.step, self.loss = epoch, step, loss

    def on_epoch(self, epoch: int, loss: float, accuracy: float | None = None) -> None:
        self.epoch, self.step, self.loss = epoch, self.steps, loss
        if accuracy is not None:
            self.accuracy[epoch] = accuracy
        self.history.append(loss)
        if self._seen:
            self.dead = [(l, j) for l, act in self._active.items() for j, a in enumerate(act) if not a]
            # saturated on most of the samples of the epoch's evaluation
            self.saturated = [(l, j) for l, sat in self._sat.items() for j, c in enumerate(sat)
                              if c * 2 > self._seen]
        self.rows.append((epoch, loss, len(self.dead), len(self.saturated)))
        self._reset()

    # -- drawing --------------------------------------------------------------
    def render(self):
        width = self.console.size.width
        head = Table.grid(padding=(0, 1))
        head.add_column(no_wrap=True)
        head.add_column(ratio=1)
        head.add_column(no_wrap=True)
        head.add_row(Text("training", style="bold"),
                     ProgressBar(total=max(self.epochs, 1), completed=self.epoch),
                     f"epoch {self.epoch}/{self.epochs}  step {self.step}/{self.steps}")
        loss = "·" if self.loss is None else f"{self.loss:.6g}"
        acc = self.accuracy.get(self.epoch)
        parts = [head, Text(f"loss {loss}" + ("" if acc is None else f"   accuracy {100 * acc:.1f}%"),
                            style="bold")]
        if self.history:
            parts.append(Panel(plot(self.history, max(width - 4, 24)), title="loss per epoch",
                               title_align="left", box=box.ROUNDED, padding=(0, 1)))
        if self.diagnostics:
            parts.append(self._diagnostics())
        return Group(*parts)

    def _diagnostics(self) -> Text:
        t = Text()
        if self._relu:
            if self.dead:
                t.append(f"dead ReLUs (z ≤ 0 on every sample): {len(self.dead)} — "
                         f"{names(self.net, self.dead)}\n", style="bold red")
            else:
                t.append("dead ReLUs: none\n", style="green")
        if self._sigmoid:
            if self.saturated:
                t.append(f"saturated sigmoids (|z| > {SATURATED_Z:g}, σ' < 0.0025, on most samples): "
                         f"{len(self.saturated)} — {names(self.net, self.saturated)}\n", style="bold yellow")
            else:
                t.append("saturated sigmoids: none\n", style="green")
        return t

    def table(self, most: int = 12) -> Table:
        """One row per epoch — or, for long runs, the first, some evenly
        spaced and the last ones."""
        rows = self.rows
        if len(rows) > most:
            idx = sorted(set([0, 1, 2] + [round(k * (len(rows) - 1) / (most - 4)) for k in range(most - 4)]
                             + [len(rows) - 2, len(rows) - 1]))
            rows = [self.rows[k] for k in idx]
        title = f"training: {len(self.rows)} epoch{'s' if len(self.rows) != 1 else ''}"
        if len(rows) < len(self.rows):
            title += f" ({len(rows)} shown)"
        t = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD)
        t.add_column("epoch", justify="right")
        t.add_column("loss", justify="right")
        t.add_column("change", justify="right")
        if self.accuracy:
            t.add_column("accuracy", justify="right")
        if self._relu:
            t.add_column("dead ReLUs", justify="right")
        if self._sigmoid:
            t.add_column("saturated σ", justify="right")
        before = None
        for epoch, loss, dead, sat in rows:
            # the change from the row above (which, in a long run's sampled
            # table, is not always the epoch before)
            change = "" if before is None else f"{loss - before:+.3g}"
            before = loss
            cells = [str(epoch), f"{loss:.6g}", change]
            if self.accuracy:
                a = self.accuracy.get(epoch)
                cells.append("" if a is None else f"{100 * a:.1f}%")
            if self._relu:
                cells.append(str(dead))
            if self._sigmoid:
                cells.append(str(sat))
            t.add_row(*cells)
        return t

    # -- lifetime -------------------------------------------------------------
    def start(self) -> "LiveView":
        self.live = Live(get_renderable=self.render, console=self.console, refresh_per_second=8,
                         transient=True, redirect_stdout=False, redirect_stderr=False)
        self.live.start()
        return self

    def close(self) -> None:
        if self.live is not None:
            self.live.stop()
            self.live = None
            self.console.print(self.render())
            if self.rows:
                self.console.print(self.table())
