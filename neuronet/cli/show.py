"""neuronet show: the network as a picture, in the terminal or for slides."""
from __future__ import annotations

import io
import sys

from rich.console import Console

from ..present import picture
from ..io import spec
from ._common import add_spec, load_net, positive_count

NAME = "show"
ORDER = 45
HELP = "draw the network (layers as columns, weights per layer); export SVG/HTML for slides"


#: widest picture: an SVG of 10⁸ columns would take rich minutes and gigabytes
MAX_WIDTH = 1000


def _columns(text: str) -> int:
    import argparse
    n = positive_count(text)
    if n > MAX_WIDTH:
        raise argparse.ArgumentTypeError(f"{text!r}: at most {MAX_WIDTH} columns")
    return n


def add_arguments(p) -> None:
    add_spec(p)
    out = p.add_mutually_exclusive_group()
    out.add_argument("--svg", metavar="FILE", help="write the picture as SVG (rich's export_svg)")
    out.add_argument("--html", metavar="FILE", help="write the picture as HTML (rich's export_html)")
    p.add_argument("--width", type=_columns, metavar="COLS",
                   help=f"picture width in columns, 1–{MAX_WIDTH} (default: the terminal's, 100 for files)")


def run(args) -> int:
    net = load_net(args)
    target = args.svg if args.svg is not None else args.html
    if target is None:
        console = Console(highlight=False, width=args.width)
        console.print(picture.show(net, console.size.width, max(console.size.height, 20)))
        return 0
    width = args.width or 100
    # record into a string buffer: the export is the picture, the terminal stays quiet
    console = Console(record=True, file=io.StringIO(), width=width, highlight=False,
                      force_terminal=True, color_system="truecolor")
    console.print(picture.show(net, width, 40))
    title = f"neuronet show {net.name}" if net.name else "neuronet show"
    text = console.export_svg(title=title) if args.svg is not None else console.export_html(inline_styles=True)
    spec.atomic_write(target, text)
    sys.stderr.write(f"wrote {target}\n")
    return 0
