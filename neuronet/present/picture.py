"""Pictures of a network with rich: layers as columns, neurons labelled.

Nothing here computes: the values drawn come from a ``get(name, l, j)``
function (a :class:`~neuronet.teach.replay.Replay` mid-step, or the network's own
records for ``neuronet show``).  Big layers are summarised around the
neuron in focus ("… 190 more neurons …") so a 784-200-100-10 network still
fits in 80×24.
"""
from __future__ import annotations

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from . import notation as _notation
from . import numbers as _numbers

FOCUS = "bold black on yellow"     # the neuron the current event belongs to
SOURCE = "bold black on cyan"      # the other end of the weight in play
CHANGED = "bold yellow"            # the value the current event sets


def fmt(v, digits=4) -> str:
    """A number as the one display policy writes it (:func:`neuronet.present.numbers.fmt`:
    ``digits`` significant, half-up, U+2212); ``·`` for not yet computed."""
    return _numbers.fmt(v, digits)


def label(net, l: int, j: int) -> str:
    """The neuron's ``desc`` from the spec, else ``n<l>,<j>`` (0-based, as
    the spec and the event indices count)."""
    desc = net.layers[l][j].desc
    return desc if desc else f"n{l},{j}"


def layer_title(net, l: int) -> str:
    """Two short lines: "layer 1 hidden" / its activation."""
    if l == 0:
        kind = "input"
    elif l == len(net.layers) - 1:
        kind = "output"
    else:
        kind = "hidden"
    f = net.activations[l].name
    return f"layer {l} {kind}" if l == 0 and f == "identity" else f"layer {l} {kind}\n{f}"


def window(n: int, lines: int, focus: int | None, per: int = 1) -> tuple[int, int]:
    """[start, stop) of the neurons of a layer of ``n`` that fit in ``lines``
    screen lines at ``per`` lines a neuron, keeping ``focus`` inside; a
    summary line ("… 190 more neurons …") above and below takes one line."""
    if n * per <= lines:
        return 0, n
    shown = max((lines - 2) // per, 1)
    if focus is None:
        return 0, shown
    start = max(0, min(focus - shown // 2, n - shown))
    return start, start + shown


def _more(count: int) -> Text:
    return Text(f"… {count} more …", style="dim italic")


def neurons_height(net, width: int = 80) -> int:
    """Screen lines :func:`neurons` needs to show every neuron."""
    per = _lines_per(net, width, 4)
    return 3 + per * max(len(layer) for layer in net.layers)


def _lines_per(net, width: int, digits: int) -> int:
    col = max((width - 1) // len(net.layers) - 2, 8)
    if col >= 8 + 3 * (digits + 5):
        return 1
    return 2 if col >= 2 * (digits + 5) + 1 else 3


def neurons(net, get, digits: int = 4, width: int = 80, height: int = 14,
            focus: tuple[int, int] | None = None, source: tuple[int, int] | None = None,
            changed: str | None = None) -> Table:
    """The network as columns of neurons with their z, a and δ.

    ``get(name, l, j)`` gives a value or None; ``focus``/``source`` are
    (layer, neuron) to highlight; ``changed`` is the name (``"z"``, ``"a"``,
    ``"delta"``) of the focus neuron's value the current event sets.
    """
    L = len(net.layers)
    col = max((width - 1) // L - 2, 8)
    # lay each neuron out on as few lines as its column allows
    lines_per = _lines_per(net, width, digits)
    lines = max(height - 3, 3)          # two header lines and the rule
    t = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1), expand=False)
    columns = []
    for l in range(L):
        t.add_column(Text(layer_title(net, l), style="bold"), no_wrap=True, overflow="ellipsis",
                     max_width=col)  # noqa: E501
        f = focus[1] if focus and focus[0] == l else (source[1] if source and source[0] == l else None)
        n = len(net.layers[l])
        start, stop = window(n, lines, f, lines_per)
        cells: list[Text] = []
        if start:
            cells.append(_more(start))
        for j in range(start, stop):
            cells.append(_cell(net, get, l, j, digits, lines_per, focus, source, changed))
        if stop < n:
            cells.append(_more(n - stop))
        columns.append(cells)
    for r in range(max(len(c) for c in columns)):
        t.add_row(*[(c[r] if r < len(c) else Text("")) for c in columns])
    return t


def _cell(net, get, l, j, digits, lines_per, focus, source, changed) -> Text:
    name = label(net, l, j)
    here = focus == (l, j)
    style = FOCUS if here else (SOURCE if source == (l, j) else "bold")
    parts = [("z", get("z", l, j)), ("a", get("a", l, j))]
    if l > 0 or net.input_bias:
        parts.append(("δ", get("delta", l, j)))
    text = Text()
    text.append(name, style=style)
    sep = [" "] * len(parts)
    if lines_per == 2:
        sep = [" ", "\n ", " "]
    elif lines_per == 3:
        sep = [" ", "\n ", "\n "]
    for k, (sym, v) in enumerate(parts):
        text.append(sep[k])
        key = {"δ": "delta"}.get(sym, sym)
        vstyle = CHANGED if (here and changed == key) else ("dim" if v is None else "")
        text.append(f"{sym} {fmt(v, digits)}", style=vstyle)
    return text


def network(net, width: int = 80, height: int = 20) -> Table:
    """The static picture for ``neuronet show``: each neuron's label and
    bias under its layer's name and activation."""
    L = len(net.layers)
    col = max((width - 1) // L - 2, 8)
    t = Table(box=box.ROUNDED, title=net.name or None, padding=(0, 1))
    rows = max(height - 6, 3)
    columns = []
    for l, layer in enumerate(net.layers):
        t.add_column(Text(f"{layer_title(net, l)}\n{len(layer)} neuron{'s' if len(layer) != 1 else ''}",
                          style="bold"),
                     no_wrap=True, overflow="ellipsis", max_width=col)
        start, stop = window(len(layer), rows, None)
        cells = []
        for j in range(start, stop):
            cell = Text(label(net, l, j), style="bold")
            if l > 0 or net.input_bias:
                cell.append(f"  b {fmt(layer[j].b)}")
            cells.append(cell)
        if stop < len(layer):
            cells.append(_more(len(layer) - stop))
        columns.append(cells)
    for r in range(max(len(c) for c in columns)):
        t.add_row(*[(c[r] if r < len(c) else Text("")) for c in columns])
    return t


def weights(net, l: int, digits: int = 4, max_rows: int = 8, max_cols: int = 6) -> Table:
    """Layer l's weight matrix: rows i = neurons of layer l − 1 (from),
    columns j = neurons of layer l (to), as the spec's ``weights[i][j]``."""
    src, dst = net.layers[l - 1], net.layers[l]
    t = Table(box=box.SIMPLE_HEAVY, padding=(0, 1))
    ncols = min(len(dst), max_cols)
    t.add_column("i \\ j", style="bold", no_wrap=True)
    for j in range(ncols):
        t.add_column(label(net, l, j), justify="right", no_wrap=True, min_width=digits + 3)
    if ncols < len(dst):
        t.add_column(f"… {len(dst) - ncols} more", style="dim italic", no_wrap=True)
    nrows = min(len(src), max_rows)
    for i in range(nrows):
        row = [label(net, l - 1, i)] + [fmt(src[i].w[j], digits) for j in range(ncols)]
        if ncols < len(dst):
            row.append("…")
        t.add_row(*row)
    if nrows < len(src):
        t.add_row(Text(f"… {len(src) - nrows} more", style="dim italic"))
    t.add_row(Text("b_j", style="bold"), *[fmt(dst[j].b, digits) for j in range(ncols)],
              *(["…"] if ncols < len(dst) else []))
    return t


def show(net, width: int = 80, height: int = 20) -> Group:
    """Everything ``neuronet show`` draws: the columns, then each layer's weights."""
    parts = [network(net, width, height)]
    for l in range(1, len(net.layers)):
        parts.append(Text(f"\nweights into layer {l}: w_ij, rows i = layer {l - 1}, columns j = layer {l}",
                          style="bold"))
        parts.append(weights(net, l, max_cols=max((width - 24) // 10, 2)))
    return Group(*parts)


def derivation(event, notation: str = "delta", digits: int | None = 4, sizes=None) -> Text:
    """The current event's chain-rule step: the symbol, the formula in
    symbols, the same with the event's numbers, the value — one per line.

    Formatted by ``neuronet.present.notation.describe`` (``digits`` significant
    digits; None = exactly as carried).
    """
    d = _notation.describe(event, notation, digits, sizes)
    parts = d.parts()
    t = Text()
    t.append(parts[0], style="bold")
    pad = " " * (len(parts[0]) + 1 if len(parts[0]) < 24 else 4)
    for k, p in enumerate(parts[1:]):
        op = d.op if k == 0 else "="
        if k == 0:
            t.append(f" {op} {p}")
        else:
            t.append(f"\n{pad}{op} ")
            t.append(p, style="bold yellow" if k == len(parts) - 2 else "")
    if getattr(d, "remark", ""):
        t.append(f"\n{d.remark}", style="italic")
    return t


def line(event, notation: str = "delta", digits: int | None = 4, sizes=None) -> str:
    """One plain line for an event (the non-interactive step output)."""
    return _notation.line(event, notation, digits, sizes)
