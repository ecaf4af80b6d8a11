"""neuronet show: the network as a picture, in the terminal or for slides.

    neuronet show SPEC                          # rich picture in the terminal
    neuronet show SPEC --svg net.svg            # the network as a graph (plain SVG)
    neuronet show SPEC --svg net.svg --input 1,0 --target 0,1   # with z, a, δ
    neuronet show SPEC --svg net.svg --tables   # the terminal's weight tables, as SVG
    neuronet show SPEC --dot --input 1,0 --target 0,1 --neuron 1:0   # graphviz DOT
"""
from __future__ import annotations

import io
import sys

from rich.console import Console

from ..errors import DataError
from ..io import spec
from ..present import diagram, dot, picture
from ._common import (add_samples, decimals, load_net, load_samples, nonnegative_number, notations_help,
                      positive_count, view_of)

NAME = "show"
ORDER = 45
HELP = "draw the network (a graph as SVG, tables in the terminal); DOT of one neuron's chain of terms"


#: widest picture: an SVG of 10⁸ columns would take rich minutes and gigabytes
MAX_WIDTH = 1000


def _columns(text: str) -> int:
    import argparse
    n = positive_count(text)
    if n > MAX_WIDTH:
        raise argparse.ArgumentTypeError(f"{text!r}: at most {MAX_WIDTH} columns")
    return n


def add_arguments(p) -> None:
    from ..present.notation import NOTATIONS
    p.add_argument("spec", metavar="SPEC", help="network spec file (.json or .toml)")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--svg", metavar="FILE", help="write the network as an SVG graph (circles and weights)")
    out.add_argument("--html", metavar="FILE", help="write an HTML page with the SVG graph")
    out.add_argument("--dot", metavar="FILE", nargs="?", const="-",
                     help="write graphviz DOT of one neuron's chain of terms (to FILE, or stdout); "
                          "needs --input/--target")
    from ..teach.html_step import THEMES
    p.add_argument("--theme", choices=THEMES, default="default",
                   help="with --svg/--html: projector = large type (≥ 28 px), high contrast, dashed negative "
                        "weights, weight values on the edges of small layers; the --html page fills the window")
    p.add_argument("--tables", action="store_true",
                   help="with --svg/--html: the terminal picture with its weight tables instead of the graph")
    p.add_argument("--neuron", metavar="L:J",
                   help="--dot: neuron J of layer L, 0-based (default: the first of the last hidden layer)")
    p.add_argument("--lr", type=nonnegative_number, default=0.5, metavar="ETA",
                   help="--dot: learning rate η of the updates drawn (default 0.5, 002's l)")
    p.add_argument("--notation", choices=NOTATIONS, default="delta",
                   help="symbols of which source text label the neurons: " + notations_help("delta"))
    p.add_argument("--round", type=decimals, metavar="N", dest="round_digits",
                   help="hand calculation: every intermediate rounded half-up to N decimals")
    add_samples(p)
    p.add_argument("--width", type=_columns, metavar="COLS",
                   help=f"terminal picture width in columns, 1–{MAX_WIDTH} (default: the terminal's, 100 for files)")


def sample_values(net, xs, ys, round_digits=None):
    """``get(name, l, j)`` giving z, a, δ for the first sample: one real step
    on a copy with η = 0, replayed to its end (the numbers the trace shows).
    A number that is not finite stops here, named (engine/finite.py): never drawn as ∞."""
    from ..engine.finite import check_events
    from ..teach.replay import Replay, record_step
    events, before, _ = record_step(net, xs[:1], ys[:1], 0.0, 0.0, "mean", round_digits)
    check_events(events)
    r = Replay(before, events)
    r.seek(len(events) - 1)
    return lambda name, l, j: r.get(name, l, j)


def parse_neuron(text: str, sizes) -> tuple[int, int]:
    parts = text.split(":")
    if len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
        raise DataError(f"--neuron {text!r} is not L:J (e.g. 1:0)")
    l, j = int(parts[0]), int(parts[1])
    if not 0 <= l < len(sizes) or not 0 <= j < sizes[l]:
        raise DataError(f"--neuron {text}: the network has no neuron {j} in layer {l} (sizes {sizes})")
    return l, j


def run(args) -> int:
    net = load_net(args)
    has_sample = bool(args.input or args.target or args.data)
    if args.dot is not None:
        return _dot(net, args)
    target = args.svg if args.svg is not None else args.html      # '' is a name (and refused)
    if target is None or args.tables:
        return _tables(net, args, target)
    get = None
    if has_sample:
        xs, ys = load_samples(args, net)
        get = sample_values(net, xs, ys, args.round_digits)
    view = view_of(args, net)
    if args.theme == "projector":
        from ..present import projector
        svg = projector.svg(net, get, view)
    else:
        svg = diagram.svg(net, get, view)
    if args.html is not None:
        from ..present import safe
        title = safe.html(net.name or "network")
        # the projector page: the drawing fills the window at any size or zoom (it scales, never scrolls)
        fill = ("<style>html,body{height:100%;margin:0;overflow:hidden}svg{width:100%;height:100%;display:block}"
                "</style>" if args.theme == "projector" else "")
        text = (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                f"<title>{title}</title>{fill}</head><body style=\"margin:0\">\n{svg}</body></html>\n")
    else:
        text = '<?xml version="1.0" encoding="UTF-8"?>\n' + svg
    spec.atomic_write(target, text)
    sys.stderr.write(f"wrote {target}\n")
    return 0


def _dot(net, args) -> int:
    if not (args.input or args.data):
        raise DataError("--dot draws the chain of terms of one sample: give --input X --target Y")
    xs, ys = load_samples(args, net)
    if args.neuron:
        l, j = parse_neuron(args.neuron, net.sizes)
    else:
        l, j = dot.default_neuron(net.sizes)
    text = dot.chain(net, xs[:1], ys[:1], l, j, view_of(args, net), args.round_digits, args.lr)
    if args.dot == "-":
        sys.stdout.write(text)
    else:
        spec.atomic_write(args.dot, text)
        sys.stderr.write(f"wrote {args.dot}\n")
    return 0


def _tables(net, args, target) -> int:
    if target is None:
        console = Console(highlight=False, width=args.width)
        console.print(picture.show(net, console.size.width, max(console.size.height, 20), view_of(args, net)))
        return 0
    width = args.width or 100
    # record into a string buffer: the export is the picture, the terminal stays quiet
    console = Console(record=True, file=io.StringIO(), width=width, highlight=False,
                      force_terminal=True, color_system="truecolor")
    console.print(picture.show(net, width, 40, view_of(args, net)))
    from ..present import safe
    title = f"neuronet show {safe.printable(net.name)}" if net.name else "neuronet show"
    text = console.export_svg(title=title) if args.svg is not None else console.export_html(inline_styles=True)
    spec.atomic_write(target, text)
    sys.stderr.write(f"wrote {target}\n")
    return 0
