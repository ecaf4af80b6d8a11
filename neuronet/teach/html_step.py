"""The step-through as one self-contained HTML page, for the projector.

``neuronet step SPEC --input … --target … --html lesson.html`` records one
real training step (replay.py) and writes a page that replays it: the
network diagram (present/diagram.py), the current chain-rule term in the
chosen notation with its numbers, and the z, a, δ of each neuron filled in
as the pass reaches them.  → / Space next term, ← back, Home first, End
last; w next weight update, l next layer, b next breakpoint; the same as
on-screen buttons.

The page needs nothing from the network: the diagram is inline SVG, the
script and style (html_step.js, html_step.css beside this module) are
inlined, no font or library is fetched.  Its root element carries
``data-term-index`` (0-based index of the term shown) and
``data-term-count`` so a test, or another tool, can read where it is.

Nothing is recomputed: every number on the page is a recorded event's,
written by notation.describe / notation.fmt exactly as the terminal step
writes it.
"""
from __future__ import annotations

from importlib import resources

from ..errors import DataError
from ..present import diagram
from ..present import mathml
from ..present.view import View
from ..present import safe
from ..present.safe import html as escape
from ..present import spoken
from ..present.picture import neuron_title
from .replay import slot

MAX_EVENTS = 60_000     # ~25 MB of page; a 784-200-100-10 step has 558,149 terms

# what a value-setting event writes, and where: slot name → (element id prefix, shown as)
_SHOWN = {"z": "v-z", "a": "v-a", "delta": "v-d"}


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def _formula_html(d, tex) -> str:
    """The formula panel: the term drawn as MathML (``tex``, the same event
    described in the Latex style, through present/mathml.py) and its value,
    the engine's number as the terminal writes it (``d``), in its own span."""
    parts, tparts = d.parts(), tex.parts()
    if len(tparts) == 1:
        return f'<span class="term-value">{mathml.to_mathml(tparts[0])}</span>'
    seps = tex.seps()
    # the line without its value, in LaTeX (the sign before the value is written outside the math)
    head = tparts[0] + "".join(f" {mathml.TEX_SIGN.get(s, s)} {p}" for s, p in zip(seps[:-1], tparts[1:-1]))
    return (f"{mathml.to_mathml(head)} {escape(seps[-1])} "
            f'<span class="term-value">{escape(parts[-1])}</span>')


class _Ids:
    """Element ids of the diagram, for neurons that may be summarised."""

    def __init__(self, net, rows: int = diagram.MAX_ROWS):
        self.drawn = [set(diagram.drawn_neurons(n, rows)[0]) for n in net.sizes]

    def neuron(self, l, j):
        if l < 0 or l >= len(self.drawn) or j is None or j < 0:
            return None
        return f"n{l}-{j}" if j in self.drawn[l] else f"bundle{l}"

    def weight(self, l, i, j):
        if i in self.drawn[l - 1] and j in self.drawn[l]:
            return f"w{l}-{i}-{j}"
        return None

    def into(self, l, j):
        if l < 1:
            return []
        return [x for i in sorted(self.drawn[l - 1]) if (x := self.weight(l, i, j))]

    def out_of(self, l, j):
        if l + 1 >= len(self.drawn):
            return []
        return [x for k in sorted(self.drawn[l + 1]) if (x := self.weight(l + 1, j, k))]


def _highlight(e, ids: _Ids, sizes):
    """(neuron id, source id, weight id, path ids) lit for event ``e``."""
    w = e.weight
    if w is not None:
        wid = ids.weight(*w)
        (at, frm) = e.along
        return ids.neuron(*at), ids.neuron(*frm), wid, [wid] if wid else []
    if e.kind == "loss":
        last = len(sizes) - 1
        return None, None, None, [x for j in range(sizes[last]) if (x := ids.neuron(last, j))]
    n = ids.neuron(e.layer, e.neuron)
    if e.kind == "z":
        return n, None, None, ids.into(e.layer, e.neuron)
    if e.kind in ("dsum", "delta"):
        return n, None, None, ids.out_of(e.layer, e.neuron)
    return n, None, None, []


def page_data(net, events, view: View | None = None, breaks=(), break_layers=()):
    """The JSON the page's script reads: one record per event, drawn with
    ``view`` (default: 004's symbols bound to ``net``, 4 significant digits)."""
    view = View.of(net) if view is None else view
    N = view.notation
    ids = _Ids(net)
    breaks = {tuple(b) for b in breaks}
    break_layers = set(break_layers)
    batch = len({e.sample for e in events if e.sample >= 0}) > 1
    out = []
    shown = view.shown()                        # Σ lines checked against the terms above them
    shown_tex = view.styled(latex=True).shown()     # the same, drawn for MathML
    for e in events:
        d = shown(e)
        tex = shown_tex(e)
        neuron, source, weight, path = _highlight(e, ids, net.sizes)
        where = N.layer_name(e.layer)                # as the notation names it: "layer c" in 002
        if e.neuron >= 0:
            where += f", {neuron_title(net, e.layer, e.neuron, N)}"
        rec = {"k": e.kind, "p": e.phase, "l": e.layer, "j": e.neuron, "s": e.source,
               "f": _formula_html(d, tex), "r": d.remark, "t": f"{d.lhs} · {where}",
               "sp": spoken.say(e, d, net, N),           # read out by the aria-live region
               "n": neuron, "src": source, "w": weight, "path": path}
        s = slot(e)
        if s is not None and s[0] in _SHOWN and len(s) == 3 and s[2] in ids.drawn[s[1]]:
            rec["set"] = [f"{_SHOWN[s[0]]}-{s[1]}-{s[2]}", view.fmt(e.value)]
        elif s is not None and s[0] == "b" and s[2] in ids.drawn[s[1]]:
            rec["set"] = [f"b{s[1]}-{s[2]}", "b = " + view.fmt(e.value)]
        wt = e.weight
        if (wt is not None and wt in breaks) or (e.layer in break_layers):
            rec["bp"] = 1
        if batch:
            rec["sm"] = e.sample            # −1: the batch's mean or sum
        out.append(rec)
    return out


#: the page's themes: the default, and one for a projector (present/projector.py's diagram,
#: type that scales with the window and the zoom, high contrast)
THEMES = ("default", "projector")

PROJECTOR_CSS = """
/* --theme projector: every text at least 28 px and growing with the window; the diagram fills
   what is left of the screen at any zoom (it scales, it never scrolls) */
html.projector, html.projector body { font-size: max(28px, min(3.89vh, 2.18vw)); color: #000000;
  background: #ffffff; }   /* 28 px at 1280×720, and as much more as the window is bigger */
html.projector header, html.projector footer { background: #ffffff; border-color: #000000; padding: 0.2em 0.6em; }
html.projector .notation, html.projector .keys, html.projector .history, html.projector #first,
html.projector #last, html.projector #next-weight, html.projector #next-layer,
html.projector #next-break { display: none; }
html.projector .where { color: #000000; }
html.projector main { overflow: hidden; padding: 0.15em 0.2em; }
html.projector #diagram { max-width: none; height: 100%; }
html.projector #diagram svg { width: 100%; height: 100%; }
html.projector #term { max-width: none; width: calc(100% - 1.2em); }
html.projector .formula { font-size: 1em; padding: 0 0.4em; border-left-width: 8px; }
html.projector .formula math, html.projector .formula math * { font-size: 1em; }   /* scripts and
   fractions at 28 px too, set off by their shift and rule */
html.projector .remark { color: #000000; }
html.projector .remark:empty { display: none; }
html.projector button { font-size: 1em; border: 2px solid #000000; color: #000000; }
/* the two buttons sit at the right of the header: the diagram gets the footer's room */
html.projector body { position: relative; }
html.projector footer { position: absolute; top: 0; right: 0; border: none; background: transparent;
  padding: 0.12em 0.4em; }
html.projector footer .message:empty { display: none; }
html.projector header { padding-right: 7.5em; }
"""


def page(net, events, view: View | None = None, breaks=(), break_layers=(),
         title: str = "", theme: str = "default") -> str:
    """The whole page, as a string (``view``: as :func:`page_data`)."""
    view = View.of(net) if view is None else view
    if len(events) > MAX_EVENTS:
        raise DataError(f"this step has {len(events):,} terms; an HTML page holds at most "
                        f"{MAX_EVENTS:,}: choose some with --layer/--neuron/--weight/--phase, "
                        "or step in the terminal")
    data = page_data(net, events, view, breaks, break_layers)
    if theme not in THEMES:
        raise DataError(f"unknown theme {theme!r} (one of: {', '.join(THEMES)})")
    if theme == "projector":
        from ..present import projector
        # the cards are as wide as the longest value the step writes in them, no wider
        widest: dict[int, list[str]] = {}
        for rec in data:
            target, text = rec.get("set", ("", ""))
            if target.startswith("v-"):
                widest.setdefault(int(target.split("-")[2]), []).append(text)
        svg = projector.svg(net, None, view, values=True, widest=widest)
    else:
        svg = diagram.svg(net, None, view, values=True)
    title = title or f"one training step of {net.name or 'a network'}"
    src = view.notation.source
    payload = safe.script_json({"events": data, "notation": view.name})
    bp = ""
    if breaks or break_layers:
        names = [f"w {L}:{I}:{J}" for L, I, J in sorted(breaks)] + [f"layer {L}" for L in sorted(break_layers)]
        bp = "breakpoints: " + ", ".join(names)
    return f"""<!DOCTYPE html>
<html lang="en"{' class="projector"' if theme == "projector" else ""} data-term-index="0" data-term-count="{len(events)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<style>
{_asset("html_step.css")}{PROJECTOR_CSS if theme == "projector" else ""}
</style>
</head>
<body>
<header>
  <span id="phase" class="phase">forward</span>
  <span id="counter" class="counter">term 1 of {len(events)}</span>
  <span id="where" class="where"></span>
  <span class="notation">notation {escape(view.name)}: {escape(src)}</span>
</header>
<main id="diagram-wrap">
  <div id="diagram">
{svg}  </div>
</main>
<section id="term">
  <div id="term-formula" class="formula"></div>
  <div id="term-remark" class="remark"></div>
  <div id="spoken" class="sr-only" role="status" aria-live="polite" aria-atomic="true"></div>
  <ol id="history" class="history"></ol>
</section>
<footer>
  <button id="first" title="Home">|◀ first</button>
  <button id="prev" title="←">◀ back</button>
  <button id="next" title="→ or Space">next ▶</button>
  <button id="last" title="End">last ▶|</button>
  <button id="next-weight" title="w">next weight update</button>
  <button id="next-layer" title="l">next layer</button>
  <button id="next-break" title="b">next breakpoint</button>
  <span class="keys">keys: → Space ← Home End · w l b</span>
  <span id="message" class="message">{escape(bp)}</span>
</footer>
<script id="step-data" type="application/json">{payload}</script>
<script>
{_asset("html_step.js")}
</script>
</body>
</html>
"""
