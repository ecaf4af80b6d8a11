"""The network diagram for a projector: read from the back row.

The same picture as :mod:`neuronet.present.diagram` — one circle a neuron,
one line a weight, z, a, δ beside each neuron, big layers summarised — with
the same element ids (so the step page lights and fills it alike), drawn
for a room:

* **large type**: every text is at least :data:`SMALL` (28) px in the
  drawing's own units, and the page scales the drawing to fill its box
  (``preserveAspectRatio`` meet), so at 1920×1080 no number is under 28 px;
* **high contrast**: black on white, dark blue and dark orange weights;
* **the sign twice**: a negative weight is dashed as well as orange;
* **weight values on the edges** as in Mazur's figure, where a pair of layers
  has few enough drawn weights to label (:data:`EDGE_VALUES`), each on a
  white halo so no line runs through a number;
* **no line under a label**: weights run from the right edge of a neuron's
  value card to the next neuron's circle, and the cards are opaque.

Nothing here computes: the numbers drawn are the network's weights and
biases, and the page fills in the values the engine recorded.
"""
from __future__ import annotations

from .safe import html as escape      # a file's labels and name: escaped, printable (valid XML)

from . import notation as _notation
from .diagram import MAX_ROWS, check_layers, drawn_neurons, parse_symbol, symbol_tspans
from .picture import layer_title

LABEL = 32          # neuron labels, captions (px in the drawing)
VALUE = 30          # z, a, δ
SMALL = 28          # the smallest text: biases, sub/superscripts, counts, edge values
POSITIVE = "#08306b"
NEGATIVE = "#a63603"
#: label the weights between two layers when at most this many are drawn
EDGE_VALUES = 6
CARD = 228          # width of a neuron's value card (δ = −0.03810 at 30 px)
MARGIN = 24

STYLE = f"""
.neuron {{ fill: #ffffff; stroke: #000000; stroke-width: 3; }}
.bundle {{ fill: #eeeeee; stroke: #000000; stroke-width: 3; stroke-dasharray: 8 5; }}
.band {{ fill: #555555; fill-opacity: 0.18; stroke: none; }}
.label {{ font-size: {LABEL}px; fill: #000000; }}
.card {{ fill: #ffffff; stroke: #000000; stroke-width: 1.5; }}
.value {{ font-size: {VALUE}px; fill: #000000; }}
.bias {{ font-size: {SMALL}px; fill: #000000; paint-order: stroke; stroke: #ffffff; stroke-width: 8px;
  stroke-linejoin: round; }}
.edge-value {{ font-size: {SMALL}px; font-weight: bold; paint-order: stroke; stroke: #ffffff;
  stroke-width: 8px; stroke-linejoin: round; }}
.plate {{ fill: #ffffff; stroke: none; }}
.caption {{ font-size: {LABEL}px; font-weight: bold; fill: #000000; }}
.subcaption, .count, .legend {{ font-size: {SMALL}px; fill: #000000; }}
.hl-neuron {{ fill: #ffe066 !important; stroke: #000000 !important; stroke-width: 6 !important; }}
.hl-source {{ fill: #9be7ff !important; stroke: #000000 !important; stroke-width: 6 !important; }}
.hl-weight {{ stroke: #d4a000 !important; stroke-opacity: 1 !important; stroke-width: 12px !important; }}
.hl-path {{ stroke: #d4a000 !important; stroke-opacity: 1 !important; stroke-width: 8px !important; }}
.hl-value {{ fill: #b00020 !important; font-weight: bold; }}
"""


def _width(symbol: str) -> float:
    """A generous estimate of a label's width in px (0.62 em a character)."""
    return sum(len(run) * 0.62 * (SMALL if kind else LABEL) for run, kind in parse_symbol(symbol))


def _num(v, digits) -> str:
    return "·" if v is None else _notation.fmt(v, digits)


def svg(net, get=None, notation: str = "delta", digits: int = 4, values: bool | None = None,
        rows: int = MAX_ROWS, title: str | None = None) -> str:
    """The projector diagram of ``net`` as an SVG document (see the module docstring)."""
    values = bool(get) if values is None else values
    check_layers(net)
    N = _notation.for_net(notation, net)
    L = len(net.layers)
    cols = [drawn_neurons(n, rows) for n in net.sizes]
    r = max(40.0, max(_width(N.a(l, j)) for l in range(L) for j in cols[l][0]) / 2 + 10)
    block = 2 * r + (12 + CARD if values else 0)
    labelled = [l for l in range(1, L) if len(cols[l - 1][0]) * len(cols[l][0]) <= EDGE_VALUES]
    gaps = [180 if l in labelled else 110 for l in range(1, L)]
    xs, x = [], MARGIN + r
    for l in range(L):
        xs.append(x)
        if l < L - 1:
            x += block + gaps[l]
    width = int(xs[-1] - r + block + MARGIN)
    pitch = max(2 * r + SMALL * 1.3 + 14, (3 * VALUE * 1.25 + 16 + 14) if values else 0)
    most = min(max(net.sizes), rows)
    top = LABEL * 1.3 + SMALL * 1.3 + 34
    height = int(top + most * pitch + SMALL * 2.2 + 20)
    ys = []
    for l, (drawn, bundle) in enumerate(cols):
        slots = len(drawn) + (1 if bundle else 0)
        y0 = top + (most - slots) * pitch / 2 + pitch / 2
        at, row, bundle_y = {}, 0, None
        for j in drawn:
            if bundle and j == bundle[1]:
                bundle_y = y0 + row * pitch
                row += 1
            at[j] = y0 + row * pitch
            row += 1
        ys.append((at, bundle_y))
    title = net.name if title is None else title
    o = [f'<svg xmlns="http://www.w3.org/2000/svg" class="neuronet-diagram projector" '
         f'viewBox="0 0 {width} {height}" preserveAspectRatio="xMidYMid meet" '
         f'font-family="DejaVu Sans, Verdana, sans-serif">',
         f"<title>{escape(title or 'network')}</title>", f"<style>{STYLE}</style>",
         f'<rect width="{width}" height="{height}" fill="#ffffff"/>', '<g class="weights">']
    plates = []                       # the edge values after every line: no line is drawn over one
    for l in range(1, L):
        lines, labels = _weights(net, N, l, cols, xs, ys, r, values, digits, l in labelled)
        o.extend(lines)
        plates.extend(labels)
    o.append("</g>")
    o.append('<g class="edge-values">')
    o.extend(plates)
    o.append("</g>")
    o.append('<g class="neurons">')
    for l in range(L):
        o.extend(_column(net, N, l, cols[l], xs[l], ys[l], r, get, values, digits))
    o.append("</g>")
    for l in range(L):
        head, _, act = layer_title(net, l).partition("\n")
        cx = xs[l] - r + block / 2
        o.append(f'<text class="caption" x="{cx:.1f}" y="{LABEL * 1.1:.0f}" text-anchor="middle">'
                 f'{escape(head)}</text>')
        count = f"{net.sizes[l]:,} neuron" + ("s" if net.sizes[l] != 1 else "")
        sub = f"{act or 'input'} · {count}"
        o.append(f'<text class="subcaption" x="{cx:.1f}" y="{LABEL * 1.1 + SMALL * 1.3:.0f}" '
                 f'text-anchor="middle">{escape(sub)}</text>')
    y = height - SMALL * 0.9
    o.append(f'<line x1="{MARGIN}" y1="{y - 9:.0f}" x2="{MARGIN + 50}" y2="{y - 9:.0f}" stroke="{POSITIVE}" '
             f'stroke-width="6"/><text class="legend" x="{MARGIN + 60}" y="{y:.0f}">w &gt; 0</text>'
             f'<line x1="{MARGIN + 200}" y1="{y - 9:.0f}" x2="{MARGIN + 250}" y2="{y - 9:.0f}" '
             f'stroke="{NEGATIVE}" stroke-width="6" stroke-dasharray="14 8"/>'
             f'<text class="legend" x="{MARGIN + 260}" y="{y:.0f}">w &lt; 0 (dashed) · b = bias</text>')
    o.append("</svg>")
    return "\n".join(o) + "\n"


def _weights(net, N, l, cols, xs, ys, r, values, digits, label_edges) -> list[str]:
    prev = net.layers[l - 1]
    a_drawn, b_drawn = cols[l - 1][0], cols[l][0]
    biggest = max((abs(w) for i in a_drawn for w in prev[i].w), default=0.0) or 1.0
    x1 = xs[l - 1] + r + ((12 + CARD) if values else 0)
    x2 = xs[l] - r
    out, labels = [], []
    for i in a_drawn:
        for n_j, j in enumerate(b_drawn):
            w = prev[i].w[j]
            y1, y2 = ys[l - 1][0][i], ys[l][0][j]
            colour = POSITIVE if w >= 0 else NEGATIVE
            dash = ' stroke-dasharray="14 8"' if w < 0 else ""
            m = abs(w) / biggest
            out.append(f'<line id="w{l}-{i}-{j}" class="weight" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" '
                       f'y2="{y2:.1f}" stroke="{colour}" stroke-width="{2 + 6 * m:.2f}"{dash}>'
                       f'<title>{escape(N.w(l, i, j))} = {escape(_num(w, digits))}</title></line>')
            if label_edges:
                # near the source end, as Mazur labels his figure: the lines from one neuron
                # fan out, so their labels stand apart
                t = 0.4
                tx, ty = x1 + t * (x2 - x1), y1 + t * (y2 - y1)
                text = _num(w, digits)
                half = (len(text) * 0.62 * SMALL + 10) / 2
                # an opaque plate: no line runs through the number
                labels.append(f'<rect class="plate" x="{tx - half:.1f}" y="{ty - SMALL * 0.62:.1f}" '
                              f'width="{2 * half:.1f}" height="{SMALL * 1.24:.1f}" rx="4"/>'
                              f'<text class="edge-value" x="{tx:.1f}" y="{ty + SMALL * 0.35:.1f}" '
                              f'text-anchor="middle" fill="{colour}">{escape(text)}</text>')
    return out, labels


def _column(net, N, l, col, x, y_of, r, get, values, digits) -> list[str]:
    drawn, bundle = col
    at, bundle_y = y_of
    out = []
    if bundle is not None:
        start, stop = bundle
        out.append(f'<g id="bundle{l}" data-layer="{l}" data-from="{start}" data-to="{stop}">'
                   f'<rect class="bundle" x="{x - r:.1f}" y="{bundle_y - SMALL:.1f}" width="{2 * r:.0f}" '
                   f'height="{2 * SMALL}" rx="14"/><text class="count" x="{x:.1f}" y="{bundle_y + SMALL * 0.35:.1f}" '
                   f'text-anchor="middle">… {stop - start:,} more</text></g>')
    show_bias = l > 0 or net.input_bias
    for j in drawn:
        y = at[j]
        neuron = net.layers[l][j]
        out.append(f'<g class="unit" data-layer="{l}" data-neuron="{j}">')
        out.append(f'<circle id="n{l}-{j}" class="neuron" cx="{x:.1f}" cy="{y:.1f}" r="{r:.0f}">'
                   f'<title>{escape(neuron.desc or N.a(l, j))}</title></circle>')
        out.append(f'<text class="label" x="{x:.1f}" y="{y + LABEL * 0.35:.1f}" text-anchor="middle">'
                   f'{symbol_tspans(N.a(l, j), SMALL)}</text>')
        if show_bias:
            out.append(f'<text id="b{l}-{j}" class="bias" x="{x:.1f}" y="{y + r + SMALL * 1.05:.1f}" '
                       f'text-anchor="middle">b = {escape(_num(neuron.b, digits))}</text>')
        if values:
            shown = (("z", "z"), ("a", "a"), ("delta", "d")) if l > 0 else (("z", "z"), ("a", "a"))
            line = VALUE * 1.25
            h = line * len(shown) + 16
            tx = x + r + 12
            out.append(f'<rect class="card" x="{tx:.1f}" y="{y - h / 2:.1f}" width="{CARD}" height="{h:.0f}" rx="6"/>')
            for k, (name, short) in enumerate(shown):
                v = get(name, l, j) if get else None
                sym = {"z": "z", "a": "a", "delta": "δ"}[name]
                ty = y - h / 2 + 8 + line * (k + 0.8)
                out.append(f'<text class="value" x="{tx + 10:.1f}" y="{ty:.1f}">{sym} = '
                           f'<tspan id="v-{short}-{l}-{j}">{escape(_num(v, digits))}</tspan></text>')
        out.append("</g>")
    return out
