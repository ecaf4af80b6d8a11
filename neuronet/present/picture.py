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

from . import safe
from .view import DEFAULT, View

FOCUS = "bold black on yellow"     # the neuron the current event belongs to
SOURCE = "bold black on cyan"      # the other end of the weight in play
CHANGED = "bold yellow"            # the value the current event sets


def label(net, l: int, j: int, notation=None) -> str:
    """The neuron's ``desc`` from the spec, made printable (a file's string:
    pass it to rich as :class:`~rich.text.Text`, never as markup), else —
    with a bound ``notation`` — its number as that text counts (1-based in
    002, 001, 000, 003), else ``n<l>,<j>`` (0-based, as the spec and the
    event indices count)."""
    desc = net.layers[l][j].desc
    if desc:
        return safe.printable(desc)
    return notation.n(j) if notation is not None else f"n{l},{j}"


def neuron_title(net, l: int, j: int, notation) -> str:
    """The neuron in a title: its (printable) spec label, else the
    notation's "neuron 1" (the layer is named beside it)."""
    desc = net.layers[l][j].desc
    return safe.printable(desc) if desc else notation.neuron_name(l, j)


def layer_title(net, l: int, notation=None) -> str:
    """Two short lines: "layer 1 hidden" / its activation (the layer named
    as ``notation`` names it: "layer b hidden" in 002's)."""
    if l == 0:
        kind = "input"
    elif l == len(net.layers) - 1:
        kind = "output"
    else:
        kind = "hidden"
    f = net.activations[l].name
    name = notation.layer_name(l) if notation is not None else f"layer {l}"
    if kind in name:            # the notation names the layer by its role already (003's "hidden layer 1")
        return name if l == 0 and f == "identity" else f"{name}\n{f}"
    return f"{name} {kind}" if l == 0 and f == "identity" else f"{name} {kind}\n{f}"


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


def _parts(net, l: int, names) -> list[str]:
    zn, an, dn = names
    return [zn, an] + ([dn] if l > 0 or net.input_bias else [])


def cell_widths(net, l: int, view: View = DEFAULT) -> tuple[int, int, int]:
    """Columns a neuron cell of layer l needs at 1, 2 and 3 lines a neuron,
    every value at most ``view.width`` characters wide — so a layout that
    gives a column this much never cuts a number."""
    N = view.notation
    lab = max(len(label(net, l, j, N)) for j in range(len(net.layers[l])))
    items = [len(sym) + 1 + view.width for sym in _parts(net, l, N.pane(l))]
    one = lab + sum(1 + it for it in items)
    first = lab + 1 + items[0]
    two = max(first, 1 + sum(items[1:]) + len(items[2:]))
    three = max([first] + [1 + it for it in items[1:]])
    return one, two, three


def layout(net, width: int, view: View = DEFAULT,
           focus_layers: tuple[int, ...] = ()) -> tuple[int, list[int], list[int]]:
    """How :func:`neurons` fits ``width``: ``(lines a neuron, [column width
    per layer shown], [the layers shown])``.  The fewest lines a neuron with
    which every layer's column is wide enough for its numbers; when even
    three lines do not fit every layer, as many layers as fit around the
    ``focus_layers`` (the rest become a "…" column) — a number is never cut."""
    L = len(net.layers)
    need = [cell_widths(net, l, view) for l in range(L)]
    for per in (1, 2, 3):
        cols = [n[per - 1] for n in need]
        if sum(c + 2 for c in cols) + 1 <= width:
            return per, cols, list(range(L))
    cols = [n[2] for n in need]
    anchor = [l for l in focus_layers if l is not None and 0 <= l < L] or [0]
    lo = hi = min(anchor)
    used = cols[lo] + 2 + 1 + 4                     # + a "…" column
    while True:
        grown = False
        for cand in (hi + 1, lo - 1):
            if 0 <= cand < L and not lo <= cand <= hi and used + cols[cand] + 2 + 4 <= width:
                used += cols[cand] + 2
                lo, hi = min(lo, cand), max(hi, cand)
                grown = True
        if not grown:
            break
    shown = list(range(lo, hi + 1))
    return 3, [cols[l] for l in shown], shown


def neurons_width(net, view: View = DEFAULT) -> int:
    """The fewest columns :func:`neurons` needs to show every layer (three
    lines a neuron)."""
    return 1 + sum(cell_widths(net, l, view)[2] + 2 for l in range(len(net.layers)))


def neurons_height(net, width: int = 80, view: View = DEFAULT) -> int:
    """Screen lines :func:`neurons` needs to show every neuron."""
    per, _, _ = layout(net, width, view)
    return 3 + per * max(len(layer) for layer in net.layers)


def neurons(net, get, view: View = DEFAULT, width: int = 80, height: int = 14,
            focus: tuple[int, int] | None = None, source: tuple[int, int] | None = None,
            changed: str | None = None) -> Table:
    """The network as columns of neurons with their z, a and δ.

    ``get(name, l, j)`` gives a value or None; ``focus``/``source`` are
    (layer, neuron) to highlight; ``changed`` is the name (``"z"``, ``"a"``,
    ``"delta"``) of the focus neuron's value the current event sets;
    ``view`` names z, a and δ as its text does and writes the numbers.
    Every column is as wide as its numbers need (:func:`layout`); layers
    that do not fit ``width`` are left out, as a "…" column, never squeezed.
    """
    N = view.notation
    L = len(net.layers)
    lines_per, widths, shown = layout(net, width, view,
                                      (focus[0] if focus else None, source[0] if source else None))
    lines = max(height - 3, 3)          # two header lines and the rule
    t = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1), expand=False)
    columns = []
    if shown[0] > 0:
        t.add_column(Text("…", style="dim"), no_wrap=True, width=1)
        columns.append([Text("…", style="dim")])
    for l, col in zip(shown, widths):
        t.add_column(Text(layer_title(net, l, N), style="bold"), no_wrap=True, overflow="ellipsis",
                     min_width=col, max_width=col)
        f = focus[1] if focus and focus[0] == l else (source[1] if source and source[0] == l else None)
        n = len(net.layers[l])
        start, stop = window(n, lines, f, lines_per)
        cells: list[Text] = []
        if start:
            cells.append(_more(start))
        for j in range(start, stop):
            cells.append(_cell(net, get, l, j, view, lines_per, focus, source, changed))
        if stop < n:
            cells.append(_more(n - stop))
        columns.append(cells)
    if shown[-1] < L - 1:
        t.add_column(Text("…", style="dim"), no_wrap=True, width=1)
        columns.append([Text("…", style="dim")])
    for r in range(max(len(c) for c in columns)):
        t.add_row(*[(c[r] if r < len(c) else Text("")) for c in columns])
    return t


def _cell(net, get, l, j, view: View, lines_per, focus, source, changed) -> Text:
    name = label(net, l, j, view.notation)
    here = focus == (l, j)
    style = FOCUS if here else (SOURCE if source == (l, j) else "bold")
    zn, an, dn = view.notation.pane(l)
    parts = [(zn, "z", get("z", l, j)), (an, "a", get("a", l, j))]
    if zn == an:            # the text writes this input once (002's a_1): one line, not two
        parts = parts[1:]
    if l > 0 or net.input_bias:
        parts.append((dn, "delta", get("delta", l, j)))
    text = Text()
    text.append(name, style=style)
    sep = [" "] * len(parts)
    if lines_per == 2:
        sep = [" ", "\n ", " "]
    elif lines_per == 3:
        sep = [" ", "\n ", "\n "]
    for k, (sym, key, v) in enumerate(parts):
        text.append(sep[k])
        vstyle = CHANGED if (here and changed == key) else ("dim" if v is None else "")
        text.append(f"{sym} {view.fmt(v)}", style=vstyle)
    return text


def draws_bias(net, l: int) -> bool:
    """Does layer ``l`` show a bias under its neurons?  Not the input layer
    (unless 004 §2.5's input biases are trained), not a layer without biases
    (002 has none: none drawn).  The one rule of every picture."""
    return (l > 0 or net.input_bias) and l not in net.no_bias


def network(net, width: int = 80, height: int = 20, view: View = DEFAULT) -> Table:
    """The static picture for ``neuronet show``: each neuron's label and
    bias under its layer's name and activation; numbers as ``view`` writes
    them.  The layers and neurons are counted as the spec counts them
    (0-based, "layer 2", "n2,0"), as the weight tables under it are, whatever
    the notation: these are the indices the CLI's options take."""
    L = len(net.layers)
    col = max((width - 1) // L - 2, 8)
    t = Table(box=box.ROUNDED, title=safe.text(net.name) if net.name else None, padding=(0, 1))
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
            if draws_bias(net, l):
                cell.append(f"  b {view.fmt(layer[j].b)}")
            cells.append(cell)
        if stop < len(layer):
            cells.append(_more(len(layer) - stop))
        columns.append(cells)
    for r in range(max(len(c) for c in columns)):
        t.add_row(*[(c[r] if r < len(c) else Text("")) for c in columns])
    return t


def weights(net, l: int, view: View = DEFAULT, max_rows: int = 8, max_cols: int = 6) -> Table:
    """Layer l's weight matrix: rows i = neurons of layer l − 1 (from),
    columns j = neurons of layer l (to), as the spec's ``weights[i][j]``."""
    src, dst = net.layers[l - 1], net.layers[l]
    t = Table(box=box.SIMPLE_HEAVY, padding=(0, 1))
    ncols = min(len(dst), max_cols)
    t.add_column("i \\ j", style="bold", no_wrap=True)
    for j in range(ncols):
        t.add_column(Text(label(net, l, j)), justify="right", no_wrap=True,
                     min_width=view.width - 4)
    if ncols < len(dst):
        t.add_column(f"… {len(dst) - ncols} more", style="dim italic", no_wrap=True)
    nrows = min(len(src), max_rows)
    for i in range(nrows):
        row = [Text(label(net, l - 1, i))] + [view.fmt(src[i].w[j]) for j in range(ncols)]
        if ncols < len(dst):
            row.append("…")
        t.add_row(*row)
    if nrows < len(src):
        t.add_row(Text(f"… {len(src) - nrows} more", style="dim italic"))
    if draws_bias(net, l):          # not under a layer without biases (002's: no row of zeros)
        t.add_row(Text("b_j", style="bold"), *[view.fmt(dst[j].b) for j in range(ncols)],
                  *(["…"] if ncols < len(dst) else []))
    return t


def show(net, width: int = 80, height: int = 20, view: View = DEFAULT) -> Group:
    """Everything ``neuronet show`` draws: the columns, then each layer's weights."""
    parts = [network(net, width, height, view)]
    for l in range(1, len(net.layers)):
        parts.append(Text(f"\nweights into layer {l}: w_ij, rows i = layer {l - 1}, columns j = layer {l}",
                          style="bold"))
        parts.append(weights(net, l, view, max_cols=max((width - 24) // 10, 2)))
    return Group(*parts)


class Derivation:
    """The current event's chain-rule step, one part per line, each under
    the sign that introduces it::

        δ_k0 = ∂L_T/∂a_k0·f'(z_k0)
                = 0.7199·0.2016
                ≈ 0.1452

    Laid out when rich draws it: a part wider than the panel is broken at a
    space or after a ``·`` and continued further in than the signs, so a
    continuation never reads as a result.  Nothing is truncated."""

    def __init__(self, d) -> None:
        self.d = d

    def lines(self, width: int) -> list[Text]:
        from .render.console import _SIGNS, CONT, _chunks
        d = self.d
        parts = d.parts()
        pad = len(parts[0]) + 1 if len(parts[0]) < min(24, width // 3) else 4
        out: list[Text] = [Text(parts[0], style="bold")]
        pieces = []
        for k, (sign, p) in enumerate(zip(d.seps(), parts[1:])):
            bits = _SIGNS.split(p)           # an update's "old − η·g = old − step": one sign per line
            pieces.append((sign, bits[0], k))
            pieces += [(bits[m], bits[m + 1], k) for m in range(1, len(bits) - 1, 2)]
        for n, (sign, p, k) in enumerate(pieces):
            lead = f"{sign} "
            style = "bold yellow" if k == len(parts) - 2 and k > 0 else ""
            inline = n == 0 and len(parts[0]) + 1 + len(lead) + min(len(p), 12) <= width
            start = len(parts[0]) + 1 if inline else pad
            deeper = start + len(lead) + CONT
            if deeper > width - 12:
                deeper = pad + CONT
            chunks = _chunks(p, max(width - start - len(lead), 8), max(width - deeper, 8))
            if inline:
                out[0].append(" " + lead + chunks[0], style=style)
            else:
                out.append(Text(" " * start + lead + chunks[0], style=style))
            for c in chunks[1:]:
                out.append(Text(" " * deeper + c, style=style))
        if d.remark:
            from .render.console import _wrap
            out += [Text(x, style="italic") for x in _wrap(d.remark, width, 0)]
        for t in out:
            t.no_wrap = True
            t.overflow = "ignore"
        return out

    def __rich_console__(self, console, options):
        yield from self.lines(options.max_width)

    @property
    def plain(self) -> str:
        return "\n".join(t.plain for t in self.lines(80))


def derivation(event, view: View = DEFAULT) -> Derivation:
    """The current event's chain-rule step (see :class:`Derivation`), as
    ``view`` describes it."""
    return Derivation(view.describe(event))


def summary(event, view: View = DEFAULT) -> str:
    """``symbol = value`` (``←`` for an update): an earlier term, in short."""
    return summary_of(view.describe(event))


def summary_of(d) -> str:
    """:func:`summary` of an event already described."""
    return f"{d.lhs} {d.op if d.op != '=' or d.value != d.lhs else '='} {d.value}"


def line(event, view: View = DEFAULT) -> str:
    """One plain line for an event (the non-interactive step output)."""
    return view.describe(event).line()
