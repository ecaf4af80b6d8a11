"""The network diagram for a projector: read from the back row.

The same picture as :mod:`neuronet.present.diagram` — one circle a neuron,
one line a weight, z, a, δ beside each neuron (as the notation names them),
big layers summarised — with
the same element ids (so the step page lights and fills it alike), drawn
for a room:

* **large type, laid out for 1280×720**: every text is at least :data:`SMALL`
  (28) px in the drawing's own units, and the drawing aims at :data:`WIDTH`
  units across, so on a 1280-px screen it is drawn at least at its own size;
  the page scales it to fill its box (``preserveAspectRatio`` meet), so it
  grows with the window and the zoom.  Room is found, not shrunk: a card is
  as wide as the longest value it will hold, an input's value goes under its
  circle (its z is its a), a bias under the card, one caption line a layer;
  a layer with nothing under its neurons (002's, no biases) lends its rows
  that room;
* **the notation's names on the cards** (002's net, out, ∂E/∂net), beside
  their values; where that would make the drawing wider than :data:`WIDTH`
  (or taller than :data:`HEIGHT`) the widest name takes a line of its own,
  its ``= value`` under it (:func:`_layout`);
* **high contrast**: black on white, dark blue and dark orange weights;
* **the sign twice**: a negative weight is dashed as well as orange;
* **weight values on the edges** as in Mazur's figure, where a pair of layers
  has few enough drawn weights to label (:data:`EDGE_VALUES`) and the gap
  between them lets every label stand clear of the others (all or none),
  each on an opaque plate;
* **no line under a label**: weights run from the right edge of a neuron's
  card to the next neuron's circle; a bias starts at its circle's left (where
  the weights come in), an input's value ends at its circle's right (where
  they leave).

Nothing here computes: the numbers drawn are the network's weights and
biases, and the page fills in the values the engine recorded.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .safe import html as escape      # a file's labels and name: escaped, printable (valid XML)

from .view import View
from .diagram import MAX_ROWS, check_layers, drawn_neurons, parse_symbol, symbol_tspans
from .picture import draws_bias, layer_title

LABEL = 28          # neuron labels
CAPTION = 30        # the layers' captions (bold)
VALUE = 28          # z, a, δ
SMALL = 28          # the smallest text: biases, sub/superscripts, counts, edge values, legend
LINE = 1.05         # a card's line height, in em (numbers: no descenders to make room for)
JOIN = 0.9          # from a name on a line of its own to its "= value", in em: one statement
AIR = 10            # the least room between two rows' circles, cards and lines under them, px
LEGEND_H = SMALL * LINE * 2 + 8     # the legend's two lines
POSITIVE = "#08306b"
NEGATIVE = "#a63603"
#: label the weights between two layers when at most this many are drawn
EDGE_VALUES = 6
GAP = 52            # the least room between two layers for their weights, px
WIDTH = 1240        # the drawing aims at a 1280-px projector: wider only if it must be
HEIGHT = 590        # … and at the room the step page leaves it at 1280×720 (≈ 1268 × 594 px)
MARGIN = 12
PAD = 5             # a card's inner margin

STYLE = f"""
.neuron {{ fill: #ffffff; stroke: #000000; stroke-width: 3; }}
.bundle {{ fill: #eeeeee; stroke: #000000; stroke-width: 3; stroke-dasharray: 8 5; }}
.band {{ fill: #555555; fill-opacity: 0.18; stroke: none; }}
.label {{ font-size: {LABEL}px; fill: #000000; }}
.card {{ fill: #ffffff; stroke: #000000; stroke-width: 1.5; }}
.value {{ font-size: {VALUE}px; fill: #000000; }}
.bias, .input-value {{ font-size: {SMALL}px; fill: #000000; paint-order: stroke; stroke: #ffffff;
  stroke-width: 8px; stroke-linejoin: round; }}
.edge-value {{ font-size: {SMALL}px; font-weight: bold; paint-order: stroke; stroke: #ffffff;
  stroke-width: 8px; stroke-linejoin: round; }}
.plate {{ fill: #ffffff; stroke: none; }}
.caption {{ font-size: {CAPTION}px; font-weight: bold; fill: #000000; }}
.count, .legend {{ font-size: {SMALL}px; fill: #000000; }}
.hl-neuron {{ fill: #ffe066 !important; stroke: #000000 !important; stroke-width: 6 !important; }}
.hl-source {{ fill: #9be7ff !important; stroke: #000000 !important; stroke-width: 6 !important; }}
.hl-weight {{ stroke: #d4a000 !important; stroke-opacity: 1 !important; stroke-width: 12px !important; }}
.hl-path {{ stroke: #d4a000 !important; stroke-opacity: 1 !important; stroke-width: 8px !important; }}
.hl-value {{ fill: #b00020 !important; font-weight: bold; }}
"""

#: advance widths of DejaVu Sans (the drawing's font) in em, for the characters numbers are made of
#: and the letters of the cards' names (z, a, δ; 002's net, out, ∂E/∂net); any other character
#: counts as a wide letter
_EM = {**dict.fromkeys("0123456789", 0.636), ".": 0.318, ",": 0.318, " ": 0.318, "=": 0.838, "−": 0.838,
       "+": 0.838, "-": 0.361, "·": 0.318, "e": 0.615, "δ": 0.612, "z": 0.525, "a": 0.613, "b": 0.635,
       "i": 0.278, "l": 0.278, "t": 0.392, "r": 0.411, "f": 0.352, "j": 0.278, "(": 0.39, ")": 0.39,
       "n": 0.634, "o": 0.612, "u": 0.634, "∂": 0.517, "E": 0.632, "/": 0.337}


def text_width(text: str, size: float) -> float:
    """The width of ``text`` at ``size`` px in DejaVu Sans (a little generous: 0.68 em for a letter
    not in the table)."""
    return size * sum(_EM.get(c, 0.68) for c in text)


def _width(symbol: str) -> float:
    """The width of a label in px, its sub/superscripts at :data:`SMALL`."""
    return sum(text_width(run, SMALL if kind else LABEL) for run, kind in parse_symbol(symbol))


def svg(net, get=None, view: View | None = None, values: bool | None = None,
        rows: int = MAX_ROWS, title: str | None = None, widest: dict | None = None) -> str:
    """The projector diagram of ``net`` as an SVG document (see the module docstring).

    ``widest`` maps a layer to the longest value text its cards will show (the step page knows it
    from the recorded events); without it the cards are sized for the values ``get`` gives, or for
    an eight-character number such as ``−0.02212``.
    """
    values = bool(get) if values is None else values
    check_layers(net)
    view = View.of(net) if view is None else view
    N = view.notation
    L = len(net.layers)
    cols = [drawn_neurons(n, rows) for n in net.sizes]
    r = max(36.0, max(_width(N.a(l, j)) for l in range(L) for j in cols[l][0]) / 2 + 7)
    shown = [_shown(net, l) for l in range(L)] if values else [()] * L
    # the input layer has no bias to show (unless it is trained): its value goes under the circle
    under = [values and l == 0 and not net.input_bias for l in range(L)]
    longest = [_longest(view, get, widest, l, shown[l], cols[l][0]) for l in range(L)]
    # an input's value is written under its circle, ending at the circle's right (the weights
    # leave from there): what it needs beyond the circle's left is room before the column
    lead = [max(0.0, _width(N.pane(l)[1]) + text_width(" = ", SMALL) + longest[l]["a"] - 2 * r)
            if under[l] else 0.0 for l in range(L)]
    cards, (block, captions, span), v = _layout(net, N, r, cols, shown, under, longest, lead)
    card = [c.width for c in cards]
    labelled = [l for l in range(1, L) if len(cols[l - 1][0]) * len(cols[l][0]) <= EDGE_VALUES]
    plate = {l: max(text_width(view.fmt(net.layers[l - 1][i].w[j]), SMALL * 1.05) + 12
                    for i in cols[l - 1][0] for j in cols[l][0]) for l in labelled}
    # the blocks' own room and GAP between them; what is left of WIDTH goes first to the gaps
    # whose weights could be labelled (room to slide the labels apart), the rest shared out
    spare = max(0.0, WIDTH - 2 * MARGIN - sum(span) - GAP * (L - 1))
    want = {l: 2.4 * plate[l] - GAP for l in labelled}
    share = min(1.0, spare / sum(want.values())) if want else 0.0
    spare -= share * sum(want.values())
    gaps = [0.0] + [GAP + share * want.get(l, 0.0) + spare / max(1, L - 1) for l in range(1, L)]
    # xs: the circles' centres; a block is [lead][circle][card]
    xs, left = [], MARGIN + (span[0] - block[0]) / 2
    for l in range(L):
        if l:
            left += block[l - 1] + (span[l - 1] - block[l - 1]) / 2 + gaps[l] + (span[l] - block[l]) / 2
        xs.append(left + lead[l] + r)
    width = int(left + block[-1] + (span[-1] - block[-1]) / 2 + MARGIN)
    height, room, legend_h = v.height, v.room, LEGEND_H
    ys = []
    for l, (drawn, bundle) in enumerate(cols):
        y0, pitch = v.first(l), v.pitches[l]
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
        lines, labels = _weights(net, view, l, cols, xs, ys, r, card, l in labelled, plates)
        o.extend(lines)
        plates.extend(labels)
    o.append("</g>")
    if room:
        l = room[0]
        lx, ly = xs[l] - r - lead[l] + (block[l] - span[l]) / 2, height - legend_h + 4 - 6
    else:
        lx, ly = MARGIN, height - legend_h - 2
    o.append('<g class="edge-values">')
    o.extend(plates)
    o.append(_legend(lx, ly, legend_h))
    o.append("</g>")
    o.append('<g class="neurons">')
    for l in range(L):
        o.extend(_column(net, view, l, cols[l], xs[l], ys[l], r, get, cards[l], under[l], v.card_h, v.half[l]))
    o.append("</g>")
    for l in range(L):
        cx = xs[l] - r - lead[l] + block[l] / 2
        o.append(f'<text class="caption" x="{cx:.1f}" y="{CAPTION * 1.05:.0f}" text-anchor="middle">'
                 f'<title>{escape(layer_title(net, l, N).replace(chr(10), " · "))}</title>{escape(captions[l])}</text>')
    o.append("</svg>")
    return "\n".join(o) + "\n"


def _longest(view: View, get, widest, l, shown, drawn) -> dict[str, float]:
    """How wide each value of layer ``l``'s cards may be, in px, slot by slot: the step page
    knows the longest texts it will write in the layer (``widest``, every slot alike), ``get``
    gives each value; without either, an eight-character number such as ``−0.02212``."""
    common = [text_width(t, VALUE) for t in (widest or {}).get(l, ())]
    out = {}
    for slot, _ in shown:
        own = [text_width(view.fmt(get(slot, l, j)), VALUE) for j in drawn] if get is not None else []
        out[slot] = max(common + own, default=text_width("−0.02212", VALUE))
    return out


@dataclass
class Card:
    """The card beside each neuron of a layer: its rows (the value's slot, its element id letter,
    the notation's name for it, and whether the name has a line of its own, the value on the
    next) and the width of its text (the card is :data:`PAD` wider each side)."""
    rows: list = field(default_factory=list)
    text: float = 0.0

    @property
    def width(self) -> int:
        return int(self.text + 2 * PAD + 2) if self.rows else 0

    @property
    def height(self) -> float:
        """A line a row, and :data:`JOIN` more under each name that has a line of its own."""
        own = sum(1 for *_, alone in self.rows if alone)
        return len(self.rows) * VALUE * LINE + own * VALUE * JOIN + 2 * PAD if self.rows else 0.0


def _card(rows, longest) -> Card:
    """A card of ``rows``, each value up to ``longest[slot]`` px wide.

    A name beside its value reads ``net = 0.1000``.  A name on a line of its own is followed by
    ``= 0.0024`` on the next line, an em in at least and flush with the card's right, where the
    values beside their names end (numbers of as many decimals stand in one column)."""
    eq, cont = text_width(" = ", VALUE), VALUE + text_width("= ", VALUE)
    widths = [max(_width(name), cont + longest[slot]) if alone else _width(name) + eq + longest[slot]
              for slot, _, name, alone in rows]
    return Card(rows, max(widths))


def _spans(net, r, card, lead):
    """Each layer's block ([lead][circle][card]), caption, and span (the block, or the caption's
    reach where that is wider)."""
    L = len(net.layers)
    block = [lead[l] + 2 * r + (6 + card[l] if card[l] else 0) for l in range(L)]
    # a caption may reach 0.4 GAP over the gap at either side (two of them never meet)
    captions = [_caption(net, l, block[l] + 0.8 * GAP) for l in range(L)]
    span = [max(block[l], text_width(captions[l], CAPTION * 1.08) - 0.8 * GAP) for l in range(L)]
    return block, captions, span


@dataclass
class Rows:
    """The drawing from top to bottom: the captions' band (``top``), then the columns, centred
    one on another in the band of the tallest (``most`` rows at ``pitch``); a column's own rows
    ``pitches[l]`` apart (its bundle counted in ``slots[l]``), each neuron's circle or card
    reaching ``half[l]`` above and below its centre and the line under them (a bias, an input's
    value) ``below[l]`` more; the legend under the first short column in ``room``, else in a row
    of its own."""
    card_h: float
    half: list
    below: list
    pitch: float
    pitches: list
    top: float
    most: int
    slots: list
    room: list
    height: int

    def first(self, l) -> float:
        """The centre of column ``l``'s first row."""
        return self.top + (self.most * self.pitch - self.slots[l] * self.pitches[l]) / 2 + self.pitches[l] / 2


def _rows(net, r, cols, cards, under, span) -> Rows:
    """The vertical layout (:class:`Rows`) for these cards.

    A row needs its circle or card, the line under them if the layer has one (002's layers have
    no biases: none), and :data:`AIR`.  The band is as tall as the tallest column needs; a
    shorter column may need more a row (002's two inputs, each value under its circle) and takes
    it, within the band."""
    L = len(net.layers)
    card_h = max(c.height for c in cards)
    half = [max(r, card_h / 2) if cards[l].rows else r for l in range(L)]
    below = [SMALL * 0.85 + 4 if draws_bias(net, l) or under[l] else 0.0 for l in range(L)]
    need = [2 * half[l] + below[l] + AIR for l in range(L)]
    top = CAPTION * 1.35
    slots = [len(d) + (1 if b else 0) for d, b in cols]
    most = max(slots)
    pitch = max(need[l] * slots[l] / most for l in range(L))
    pitches = [max(pitch, need[l]) for l in range(L)]
    # the lowest circle, card or line under them ends the drawing
    last = [top + (most * pitch + (slots[l] - 1) * pitches[l]) / 2 for l in range(L)]
    bottom = max(top + most * pitch, *(last[l] + half[l] + below[l] for l in range(L)))
    room = [l for l in range(L) if (most * pitch - slots[l] * pitches[l]) / 2 >= LEGEND_H and span[l] >= 150]
    height = int(bottom + (0 if room else LEGEND_H + 8) + 6)
    return Rows(card_h, half, below, pitch, pitches, top, most, slots, room, height)


def _layout(net, N, r, cols, shown, under, longest, lead):
    """Every layer's :class:`Card` (an empty one where none is drawn), the blocks, captions and
    spans they make (:func:`_spans`), and the :class:`Rows`.

    The cards name the values as the notation does (:meth:`pane`: z, a, δ; 002's net, out,
    ∂E/∂net), each name beside its value while the drawing still fits :data:`WIDTH` ×
    :data:`HEIGHT`.  Where it does not, the widest name gets a line of its own (then the next
    widest …): a line more of height, for each of 002's four rows, rather than a drawing shrunk
    to the screen's width (∂E/∂net beside its value made each of 002's three columns of cards
    90 px wider, and its text 24.6 px at 1280×720).  If no way fits, the one drawn largest."""
    L = len(net.layers)
    names = [dict(zip(("z", "a", "delta"), N.pane(l))) for l in range(L)]
    drawn = [l for l in range(L) if shown[l] and not under[l]]
    slots = sorted({slot for l in drawn for slot, _ in shown[l]},
                   key=lambda slot: -max(_width(names[l][slot]) for l in drawn if slot in dict(shown[l])))
    best = None
    for k in range(len(slots) + 1):          # the k widest names on lines of their own
        cards = [Card() for _ in range(L)]
        for l in drawn:
            cards[l] = _card([(slot, short, names[l][slot], slot in slots[:k]) for slot, short in shown[l]],
                             longest[l])
        spans = _spans(net, r, [c.width for c in cards], lead)
        v = _rows(net, r, cols, cards, under, spans[2])
        need = sum(spans[2]) + GAP * (L - 1) + 2 * MARGIN
        scale = min(1.0, WIDTH / need, HEIGHT / v.height)     # 1: drawn at its own size, or larger
        if best is None or scale > best[0] + 1e-9:           # of two as large, fewer lines
            best = (scale, cards, spans, v)
        if scale >= 1.0:
            break
    return best[1:]


def _shown(net, l):
    """The values a neuron of layer ``l`` shows: (slot, element id letter)."""
    return (("z", "z"), ("a", "a"), ("delta", "d")) if l > 0 else (("z", "z"), ("a", "a"))


def _caption(net, l, room) -> str:
    """One line over a layer: its kind and activation ("hidden · sigmoid"), or its kind alone
    where that does not fit."""
    head, _, act = layer_title(net, l).partition("\n")
    kind = head.rsplit(" ", 1)[-1]
    both = f"{kind} · {act}" if act else kind
    return both if text_width(both, CAPTION * 1.08) <= room else kind


def _legend(x, y, h) -> str:
    """Two lines: the sign of a weight shown by colour and by line style."""
    step = SMALL * LINE
    a, b = y + step * 0.85, y + step * 1.85
    return (f'<rect class="plate" x="{x:.1f}" y="{y:.1f}" width="170" height="{h - 4:.0f}"/>'
            f'<line x1="{x + 4:.1f}" y1="{a - 9:.0f}" x2="{x + 54:.1f}" y2="{a - 9:.0f}" stroke="{POSITIVE}" '
            f'stroke-width="6"/><text class="legend" x="{x + 62:.1f}" y="{a:.0f}">w &gt; 0</text>'
            f'<line x1="{x + 4:.1f}" y1="{b - 9:.0f}" x2="{x + 54:.1f}" y2="{b - 9:.0f}" stroke="{NEGATIVE}" '
            f'stroke-width="6" stroke-dasharray="14 8"/><text class="legend" x="{x + 62:.1f}" y="{b:.0f}">'
            f'w &lt; 0</text>')


def _weights(net, view: View, l, cols, xs, ys, r, card, label_edges, placed) -> tuple[list[str], list[str]]:
    N = view.notation
    prev = net.layers[l - 1]
    a_drawn, b_drawn = cols[l - 1][0], cols[l][0]
    biggest = max((abs(w) for i in a_drawn for w in prev[i].w), default=0.0) or 1.0
    x1 = xs[l - 1] + r + ((6 + card[l - 1]) if card[l - 1] else 0)
    x2 = xs[l] - r
    out, labels, boxes = [], [], []
    fits = True
    for i in a_drawn:
        for j in b_drawn:
            w = prev[i].w[j]
            y1, y2 = ys[l - 1][0][i], ys[l][0][j]
            colour = POSITIVE if w >= 0 else NEGATIVE
            dash = ' stroke-dasharray="14 8"' if w < 0 else ""
            m = abs(w) / biggest
            out.append(f'<line id="w{l}-{i}-{j}" class="weight" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" '
                       f'y2="{y2:.1f}" stroke="{colour}" stroke-width="{2 + 6 * m:.2f}"{dash}>'
                       f'<title>{escape(N.w(l, i, j))} = {escape(view.fmt(w))}</title></line>')
            if label_edges:
                text = view.fmt(w)
                half = (text_width(text, SMALL * 1.05) + 12) / 2
                # near the source end, as Mazur labels his figure (the lines from one neuron fan
                # out, so their labels stand apart), but never over the cards at either end
                lo, hi = (half + 4) / (x2 - x1), 1 - (half + 4) / (x2 - x1)
                tries = sorted((lo + k * (hi - lo) / 20 for k in range(21)), key=lambda t: abs(t - 0.4))
                h = SMALL * 1.24 / 2
                for t in tries:          # slide along the line until clear of the labels placed
                    tx, ty = x1 + t * (x2 - x1), y1 + t * (y2 - y1)
                    if all(abs(tx - bx) >= half + bh + 2 or abs(ty - by) >= 2 * h + 2 for bx, by, bh in boxes):
                        break
                else:
                    fits = False
                if lo > hi:
                    fits = False
                boxes.append((tx, ty, half))
                # an opaque plate: no line runs through the number
                labels.append(f'<rect class="plate" x="{tx - half:.1f}" y="{ty - SMALL * 0.62:.1f}" '
                              f'width="{2 * half:.1f}" height="{SMALL * 1.24:.1f}" rx="4"/>'
                              f'<text class="edge-value" x="{tx:.1f}" y="{ty + SMALL * 0.35:.1f}" '
                              f'text-anchor="middle" fill="{colour}">{escape(text)}</text>')
    # weight values where they fit: all of a pair of layers' or none (a few would mislead)
    return out, labels if fits else []


def _column(net, view: View, l, col, x, y_of, r, get, card: Card, under, card_h, half) -> list[str]:
    N = view.notation
    drawn, bundle = col
    at, bundle_y = y_of
    out = []
    if bundle is not None:
        start, stop = bundle
        out.append(f'<g id="bundle{l}" data-layer="{l}" data-from="{start}" data-to="{stop}">'
                   f'<rect class="bundle" x="{x - r:.1f}" y="{bundle_y - SMALL:.1f}" width="{2 * r:.0f}" '
                   f'height="{2 * SMALL}" rx="14"/><text class="count" x="{x:.1f}" y="{bundle_y + SMALL * 0.35:.1f}" '
                   f'text-anchor="middle">… {stop - start:,} more</text></g>')
    show_bias = draws_bias(net, l)
    for j in drawn:
        y = at[j]
        neuron = net.layers[l][j]
        value = (lambda name: view.fmt(get(name, l, j) if get else None))
        out.append(f'<g class="unit" data-layer="{l}" data-neuron="{j}">')
        out.append(f'<circle id="n{l}-{j}" class="neuron" cx="{x:.1f}" cy="{y:.1f}" r="{r:.0f}">'
                   f'<title>{escape(neuron.desc or N.a(l, j))}</title></circle>')
        out.append(f'<text class="label" x="{x:.1f}" y="{y + LABEL * 0.35:.1f}" text-anchor="middle">'
                   f'{symbol_tspans(N.a(l, j), SMALL)}</text>')
        # under the circle and card, from the circle's left (the weights come in there) for a bias,
        # to the circle's right (they leave from there) for an input's value
        below = f'<text {{}} y="{y + half + SMALL * 0.9:.1f}"'
        if show_bias:
            out.append(below.format(f'id="b{l}-{j}" class="bias" x="{x - r:.1f}"') + '>'
                       f'b = {escape(view.fmt(neuron.b))}</text>')
        if under:
            # an input's z is its a (the identity): one line, a = x, under the circle, named as
            # the notation names an input (002's a, 000's x); the z is kept (not drawn) so the
            # page's script fills the same ids in every theme
            out.append(below.format(f'class="input-value" x="{x + r:.1f}"') + ' text-anchor="end">'
                       f'{symbol_tspans(N.pane(l)[1], SMALL)} = <tspan id="v-a-{l}-{j}">'
                       f'{escape(value("a"))}</tspan><tspan id="v-z-{l}-{j}" display="none">'
                       f'{escape(value("z"))}</tspan></text>')
        elif card.rows:
            out.extend(_card_svg(card, x + r + 6, y - card_h / 2, card_h, l, j, value))
        out.append("</g>")
    return out


def _card_svg(card: Card, tx, top, card_h, l, j, value) -> list[str]:
    """One neuron's card at (``tx``, ``top``): a row a value, named as the notation names it
    (``value(slot)`` gives the text); the value's ``<tspan>`` has the id the page fills in."""
    out = [f'<rect class="card" x="{tx:.1f}" y="{top:.1f}" width="{card.width}" height="{card_h:.0f}" rx="6"/>']
    ty = top + PAD + VALUE * LINE * 0.8
    for slot, short, name, own in card.rows:
        number = f'<tspan id="v-{short}-{l}-{j}">{escape(value(slot))}</tspan>'
        if own:
            # the name alone, then "= value" under it, ending where the card's text ends
            out.append(f'<text class="value" x="{tx + PAD:.1f}" y="{ty:.1f}">{symbol_tspans(name, SMALL)}</text>')
            ty += VALUE * JOIN
            out.append(f'<text class="value" x="{tx + PAD + card.text:.1f}" y="{ty:.1f}" text-anchor="end">'
                       f'= {number}</text>')
        else:
            out.append(f'<text class="value" x="{tx + PAD:.1f}" y="{ty:.1f}">{symbol_tspans(name, SMALL)} = '
                       f'{number}</text>')
        ty += VALUE * LINE
    return out
