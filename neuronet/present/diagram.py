"""The network drawn as a network: plain SVG text, written here.

One circle per drawn neuron, labelled with the chosen notation's symbol for
its activation (002: out_{b1}; 004: a_i1); one line per drawn weight,
blue when positive, orange when negative, thicker and darker the larger
|w| is (relative to the largest |w| of its layer, as TensorFlow Playground
draws its links); each neuron's bias written under it; a caption over each
layer with its activation.  Given the values of a sample (``get``), each
neuron shows z, a and δ beside it.

Big layers are summarised as the terminal picture summarises them
(picture.window): the first neurons and the last are drawn, the rest become
one *bundle* with a count ("… 774 more"), and the weights to and from the
bundle become a grey band.  Only the weights between drawn neurons are drawn
as lines, so a 784-200-100-10 network stays a picture, not a smear.

Every element the step-through page (teach/html_step.py) highlights has a
stable id: ``n{l}-{j}`` (neuron j of layer l), ``w{l}-{i}-{j}`` (the weight
w_ij into layer l), ``v-z-{l}-{j}``/``v-a-…``/``v-d-…`` (its z, a, δ text),
``bundle{l}`` (the summarised part of layer l).  Nothing here computes:
the numbers drawn are the network's own weights and the values ``get``
returns.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from .safe import html as escape

from .view import View
from .picture import draws_bias, layer_title

WIDTH = 1280            # the projector's width, px; every text is ≥ 14 px at this width
MAX_ROWS = 8            # rows a layer may take; bigger layers are summarised
MAX_LAYERS = 200        # columns a diagram may have (500,000 layers would be gigabytes of SVG)
RADIUS = 26
POSITIVE = "#2166ac"    # blue
NEGATIVE = "#e66101"    # orange

STYLE = """
.neuron { fill: #ffffff; stroke: #333333; stroke-width: 2; }
.bundle { fill: #eeeeee; stroke: #777777; stroke-width: 2; stroke-dasharray: 6 4; }
.band { fill: #999999; fill-opacity: 0.14; stroke: none; }
.label { font-size: 18px; fill: #111111; }
.card { fill: #ffffff; fill-opacity: 0.9; stroke: #dddddd; stroke-width: 1; }
.value, .bias { paint-order: stroke; stroke: #ffffff; stroke-width: 4px; stroke-linejoin: round; }
.value { font-size: 15px; fill: #222222; }
.bias { font-size: 14px; fill: #555555; }
.caption { font-size: 18px; font-weight: bold; fill: #111111; }
.subcaption { font-size: 15px; fill: #444444; }
.count { font-size: 15px; fill: #333333; }
.hl-neuron { fill: #ffe066 !important; stroke: #b8860b !important; stroke-width: 4 !important; }
.hl-source { fill: #9be7ff !important; stroke: #0077aa !important; stroke-width: 4 !important; }
.hl-weight { stroke: #d4a000 !important; stroke-opacity: 1 !important; stroke-width: 8px !important; }
.hl-path { stroke: #d4a000 !important; stroke-opacity: 0.9 !important; stroke-width: 5px !important; }
.hl-value { fill: #b00020 !important; font-weight: bold; }
"""


# ---------------------------------------------------------------------------
# symbols with sub- and superscripts
# ---------------------------------------------------------------------------

def parse_symbol(text: str) -> list[tuple[str, str]]:
    """Split a plain-notation string into runs ``(text, "" | "sub" | "sup")``.

    The plain notation writes ``out_b1``, ``a_i1``, ``W_2,1^[2]``,
    ``∂E_total/∂net_d1``, ``Σ_i``: ``_`` starts a subscript (the rest of the
    word, or a ``{…}`` group), ``^`` a superscript (the rest of the word, a
    ``{…}`` group, or a ``(…)`` / ``[…]`` group kept with its brackets).
    """
    runs: list[tuple[str, str]] = []
    buf = ""
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c in "_^" and i + 1 < n and text[i + 1] not in " ":
            kind = "sub" if c == "_" else "sup"
            nxt = text[i + 1]
            if nxt == "{":
                close = _matching(text, i + 1, "{", "}")
                group, i = text[i + 2:close], close + 1
            elif nxt in "([" and kind == "sup":
                close = _matching(text, i + 1, nxt, ")" if nxt == "(" else "]")
                group, i = text[i + 1:close + 1], close + 1
            else:
                # the plain notation's subscript runs to the end of the word:
                # out_b1, ∂E_total, w_2,1^2, Σ_i
                j = i + 1
                while j < n and (text[j].isalnum() or text[j] in ",′'"):
                    j += 1
                group, i = text[i + 1:j], j
                if not group:
                    buf += c
                    continue
            if buf:
                runs.append((buf, ""))
                buf = ""
            runs.append((group, kind))
            continue
        buf += c
        i += 1
    if buf:
        runs.append((buf, ""))
    return runs


def _matching(text: str, start: int, open_: str, close: str) -> int:
    depth = 0
    for k in range(start, len(text)):
        if text[k] == open_:
            depth += 1
        elif text[k] == close:
            depth -= 1
            if depth == 0:
                return k
    return len(text) - 1


def symbol_html(text: str) -> str:
    """``out_{b1}`` → ``out<sub>b1</sub>`` (escaped HTML)."""
    out = []
    for run, kind in parse_symbol(text):
        s = escape(run)
        out.append(f"<{kind}>{s}</{kind}>" if kind else s)
    return "".join(out)


def symbol_tspans(text: str, small: int = 14) -> str:
    """The same runs as SVG ``<tspan>``s, sub/superscripts shifted and at
    ``small`` px (never below 14 px: readable from the back of a room)."""
    out = []
    shift = 0.0
    for run, kind in parse_symbol(text):
        target = {"": 0.0, "sub": 0.35, "sup": -0.45}[kind]
        dy = target - shift
        shift = target
        attrs = f' dy="{dy:.2f}em"' if dy else ""
        if kind:
            attrs += f' font-size="{small}px"'
        out.append(f"<tspan{attrs}>{escape(run)}</tspan>")
    if shift:
        out.append(f'<tspan dy="{-shift:.2f}em"></tspan>')
    return "".join(out)


# ---------------------------------------------------------------------------
# layout
# ---------------------------------------------------------------------------

@dataclass
class Column:
    """One layer's column: which neurons are drawn and where."""
    l: int
    x: float
    size: int
    drawn: list[int]                      # neuron indices drawn, in order
    y: dict[int, float] = field(default_factory=dict)
    bundle: tuple[int, int] | None = None  # [start, stop) of the summarised neurons
    bundle_y: float | None = None
    r: float = 26                          # circle radius: wide enough for the longest label


def drawn_neurons(n: int, rows: int = MAX_ROWS) -> tuple[list[int], tuple[int, int] | None]:
    """The neurons a layer of ``n`` shows in ``rows`` rows: all of them, or
    the first ``rows − 3``, a bundle (one row) and the last 2."""
    if n <= rows:
        return list(range(n)), None
    head = rows - 3
    return list(range(head)) + [n - 2, n - 1], (head, n - 2)


def _text_width(symbol: str, size: int = 18, small: int = 14) -> float:
    """A generous estimate of a label's width in px (0.6 em a character)."""
    return sum(len(run) * 0.6 * (small if kind else size) for run, kind in parse_symbol(symbol))


def card_width(N, L: int) -> int:
    """The card under a neuron's z, a, δ: 124 px for one-letter names, wider
    for a notation's longer ones (002's net, out, ∂E/∂net)."""
    longest = max(len(name) for l in range(L) for name in N.pane(l))
    return 124 + 8 * (longest - 1)


def layout(net, width: int = WIDTH, values: bool = False, rows: int = MAX_ROWS, label=None,
           card: int = 124):
    """Columns and the picture's height (``card``: the width of the values'
    card beside the last column, which must stay inside ``width``)."""
    L = len(net.layers)
    left = 90
    right = width - (card + 66 if values else 90)
    top = 100
    columns = []
    for l, size in enumerate(net.sizes):
        x = left + (right - left) * (l / (L - 1) if L > 1 else 0.5)
        drawn, bundle = drawn_neurons(size, rows)
        c = Column(l, x, size, drawn, bundle=bundle)
        if label is not None:
            c.r = max(RADIUS, max(_text_width(label(l, j)) for j in drawn) / 2 + 6)
        columns.append(c)
    # a row holds a circle, the bias under it (and z, a, δ beside it)
    pitch = max(92 if values else 70, 2 * max(c.r for c in columns) + 26)
    most = min(max(net.sizes), rows)
    height = int(top + most * pitch + 80)
    for c in columns:
        slots = len(c.drawn) + (1 if c.bundle else 0)
        y0 = top + (most - slots) * pitch / 2 + pitch / 2
        row = 0
        for j in c.drawn:
            if c.bundle and j == c.bundle[1]:
                c.bundle_y = y0 + row * pitch
                row += 1
            c.y[j] = y0 + row * pitch
            row += 1
    return columns, height, pitch


# ---------------------------------------------------------------------------
# the drawing
# ---------------------------------------------------------------------------

def check_layers(net) -> None:
    """Refuse a network of more than :data:`MAX_LAYERS` layers before drawing."""
    if len(net.layers) > MAX_LAYERS:
        from ..errors import DataError
        raise DataError(f"the network has {len(net.layers):,} layers; the diagram draws at most {MAX_LAYERS} "
                        "(one column each)")


def svg(net, get=None, view: View | None = None, width: int = WIDTH,
        values: bool | None = None, rows: int = MAX_ROWS, title: str | None = None) -> str:
    """The diagram of ``net`` as an SVG document (a string).

    ``get(name, l, j)`` (name ``"z"``, ``"a"`` or ``"delta"``) gives the
    values to write beside each neuron — a
    :class:`~neuronet.teach.replay.Replay`'s ``get``; ``values=True``
    without ``get`` draws the places for them ("·"), for a page that fills
    them in.  ``view`` (:class:`~neuronet.present.view.View`, default 004's
    symbols bound to ``net``, 4 significant digits) names the neurons and
    writes the numbers.
    """
    values = bool(get) if values is None else values
    check_layers(net)
    view = View.of(net) if view is None else view
    N = view.notation
    columns, height, pitch = layout(net, width, values, rows, N.a, card_width(N, len(net.layers)))
    title = net.name if title is None else title
    o: list[str] = []
    o.append(f'<svg xmlns="http://www.w3.org/2000/svg" class="neuronet-diagram" '
             f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'font-family="DejaVu Sans, Verdana, sans-serif">')
    o.append(f"<title>{escape(title or 'network')}</title>")
    o.append(f"<style>{STYLE}</style>")
    o.append(f'<rect width="{width}" height="{height}" fill="#ffffff"/>')

    # weights first, so the neurons sit on top of them
    o.append('<g class="weights">')
    for l in range(1, len(columns)):
        o.extend(_weights(net, view, columns[l - 1], columns[l]))
    o.append("</g>")

    o.append('<g class="neurons">')
    for c in columns:
        o.extend(_column(net, view, c, get, values))
    o.append("</g>")

    # captions: layer over each column, weight counts between columns
    for c in columns:
        head, _, act = layer_title(net, c.l, N).partition("\n")      # "layer c hidden" in 002
        o.append(f'<text class="caption" x="{c.x:.1f}" y="40" text-anchor="middle">{escape(head)}</text>')
        count = f"{c.size:,} neuron" + ("s" if c.size != 1 else "")
        sub = f"{act or 'input'} · {count}"
        o.append(f'<text class="subcaption" x="{c.x:.1f}" y="64" text-anchor="middle">{escape(sub)}</text>')
    for l in range(1, len(columns)):
        a, b = columns[l - 1], columns[l]
        total = a.size * b.size
        drawn = len(a.drawn) * len(b.drawn)
        text = f"{total:,} weights" if drawn == total else f"{total:,} weights, {drawn} drawn"
        o.append(f'<text class="subcaption" x="{(a.x + b.x) / 2:.1f}" y="{height - 44}" '
                 f'text-anchor="middle">{escape(text)}</text>')
    y = height - 19
    o.append(f'<line x1="16" y1="{y}" x2="46" y2="{y}" stroke="{POSITIVE}" stroke-width="4"/>'
             f'<text class="bias" x="52" y="{y + 5}">w &gt; 0</text>'
             f'<line x1="112" y1="{y}" x2="142" y2="{y}" stroke="{NEGATIVE}" stroke-width="4"/>'
             f'<text class="bias" x="148" y="{y + 5}">w &lt; 0   line width ∝ |w| / largest |w| '
             f'between the two layers · b = bias</text>')
    o.append("</svg>")
    return "\n".join(o) + "\n"


def _weights(net, view: View, a: Column, b: Column) -> list[str]:
    N = view.notation
    l = b.l
    prev = net.layers[l - 1]
    biggest = max((abs(w) for i in a.drawn for w in prev[i].w), default=0.0) or 1.0
    out = []
    x1, x2 = a.x + a.r, b.x - b.r
    thick = 5.2 if len(a.drawn) * len(b.drawn) <= 40 else 2.6   # many lines: thinner
    # the summarised weights: a grey band from/to the bundle
    if a.bundle is not None:
        ys = [b.y[j] for j in b.drawn] + ([b.bundle_y] if b.bundle_y is not None else [])
        out.append(_band(f"band{l}-in", x1, a.bundle_y, x2, min(ys), max(ys), True))
    if b.bundle is not None:
        ys = [a.y[i] for i in a.drawn] + ([a.bundle_y] if a.bundle_y is not None else [])
        out.append(_band(f"band{l}-out", x1, b.bundle_y, x2, min(ys), max(ys), False))
    for i in a.drawn:
        for j in b.drawn:
            w = prev[i].w[j]
            m = abs(w) / biggest
            colour = POSITIVE if w >= 0 else NEGATIVE
            name = N.w(l, i, j)
            out.append(f'<line id="w{l}-{i}-{j}" class="weight" x1="{x1:.1f}" y1="{a.y[i]:.1f}" '
                       f'x2="{x2:.1f}" y2="{b.y[j]:.1f}" stroke="{colour}" '
                       f'stroke-width="{0.8 + thick * m:.2f}" stroke-opacity="{0.3 + 0.6 * m:.2f}">'
                       f'<title>{escape(name)} = {escape(view.fmt(w))}</title></line>')
    return out


def _band(id_, x1, y_one, x2, lo, hi, one_on_left: bool) -> str:
    if one_on_left:
        pts = [(x1, y_one - 8), (x2, lo), (x2, hi), (x1, y_one + 8)]
    else:
        pts = [(x1, lo), (x2, y_one - 8), (x2, y_one + 8), (x1, hi)]
    d = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
    return f'<polygon id="{id_}" class="band" points="{d}"/>'


def _column(net, view: View, c: Column, get, values) -> list[str]:
    N = view.notation
    out = []
    l = c.l
    show_bias = draws_bias(net, l)
    if c.bundle is not None:
        start, stop = c.bundle
        y = c.bundle_y
        out.append(f'<g id="bundle{l}" data-layer="{l}" data-from="{start}" data-to="{stop}">')
        out.append(f'<rect class="bundle" x="{c.x - 58:.1f}" y="{y - 22:.1f}" width="116" height="44" rx="14"/>')
        out.append(f'<text class="count" x="{c.x:.1f}" y="{y + 6:.1f}" text-anchor="middle">'
                   f'… {stop - start:,} more</text>')
        out.append("</g>")
    for j in c.drawn:
        y = c.y[j]
        neuron = net.layers[l][j]
        out.append(f'<g class="unit" data-layer="{l}" data-neuron="{j}">')
        out.append(f'<circle id="n{l}-{j}" class="neuron" cx="{c.x:.1f}" cy="{y:.1f}" r="{c.r:.0f}">'
                   f'<title>{escape(neuron.desc or N.a(l, j))}</title></circle>')
        out.append(f'<text class="label" x="{c.x:.1f}" y="{y + 6:.1f}" text-anchor="middle">'
                   f'{symbol_tspans(N.a(l, j))}</text>')
        if show_bias:
            out.append(f'<text id="b{l}-{j}" class="bias" x="{c.x:.1f}" y="{y + c.r + 17:.1f}" '
                       f'text-anchor="middle">b = {escape(view.fmt(neuron.b))}</text>')
        if values:
            tx = c.x + c.r + 8
            # an opaque card under the numbers: the weights pass beneath it
            names = dict(zip(("z", "a", "delta"), N.pane(l)))     # as the notation names them: net, out, ∂E/∂net
            shown = (("z", "z"), ("a", "a"), ("delta", "d")) if l > 0 else (("z", "z"), ("a", "a"))
            once = names["z"] == names["a"]     # the text writes this input once (002's a_1)
            if once:        # its z stays in the page (the step sets it), undrawn, after its a
                shown = (("a", "a"), ("z", "z"))
            out.append(f'<rect class="card" x="{tx - 4:.1f}" y="{y - 31:.1f}" width="{card_width(N, len(net.layers))}" '
                       f'height="{18 * (3 if l > 0 else 1 if once else 2) + 8}" rx="5"/>')
            for k, (name, short) in enumerate(shown):
                v = get(name, l, j) if get else None
                sym = names[name]
                hide = ' display="none"' if once and name == "z" else ""
                out.append(f'<text class="value" x="{tx:.1f}" y="{y - 16 + 18 * k:.1f}"{hide}>'
                           f'{symbol_tspans(sym)} = '
                           f'<tspan id="v-{short}-{l}-{j}">{escape(view.fmt(v))}</tspan></text>')
        out.append("</g>")
    return out
