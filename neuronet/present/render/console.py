"""Rich console renderer: colour by phase, aligned columns (a rich Table per
section).  Works in a terminal and in Jupyter (rich renders there too).

It keeps the rows of the current section only, to align their columns; a
section is one (sample, phase, layer).
"""
from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .. import notation as _notation
from . import heading, section_of

PHASE_STYLE = {"forward": "cyan", "loss": "magenta", "delta": "yellow",
               "gradient": "green", "update": "bold blue"}


class RichRenderer:
    def __init__(self, console: Console | None = None, stream=None, notation=None, digits=4,
                 collect: list | None = None) -> None:
        self.collect = collect          # a list: keep the tables instead of printing them
        if console is None and collect is None:
            console = Console(file=stream) if stream is not None else Console()
        self.console = console
        self.notation = notation if notation is not None else _notation.get("delta")
        self.digits = digits
        self._section = None
        self._title = ""
        self._rows: list = []
        self.count = 0

    def __call__(self, event) -> None:
        sec = section_of(event)
        if sec != self._section:
            self._flush()
            self._section = sec
            self._title = heading(event, self.notation)
            self._phase = event.phase
        self._rows.append(_notation.describe(event, self.notation, self.digits))
        self.count += 1

    def _flush(self) -> None:
        if not self._rows:
            return
        style = PHASE_STYLE.get(self._phase, "")
        table = Table(title=Text(self._title, style=style), title_justify="left", box=None,
                      show_header=False, pad_edge=False, padding=(0, 1))
        table.add_column("symbol", style=style, no_wrap=True)
        table.add_column("op", no_wrap=True)
        table.add_column("formula")
        table.add_column("substitution", style="dim")
        table.add_column("value", justify="right", style="bold", no_wrap=True)
        for d in self._rows:
            # "lhs op first = second = value", the repeats already dropped
            rest = d.parts()[1:]
            op = d.op if rest else ""
            first = rest[0] if len(rest) > 1 else ""
            middle = f"= {rest[1]}" if len(rest) > 2 else ""
            value = (f"= {rest[-1]}" if len(rest) > 1 else rest[-1]) if rest else ""
            table.add_row(d.lhs, op, first, middle, value)
            if d.remark:
                table.add_row("", "", Text(d.remark, style="italic red"), "", "")
        if self.collect is not None:
            self.collect.append(table)
        else:
            self.console.print(table)
            self.console.print()
        self._rows = []

    def write_lines(self, lines) -> None:
        self._flush()
        for line in lines:
            if self.collect is not None:
                self.collect.append(Text(line))
            else:
                self.console.print(Text(line))

    def close(self) -> None:
        self._flush()
