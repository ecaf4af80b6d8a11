"""neuronet step: walk through one training step, event by event."""
from __future__ import annotations

import sys

from ..teach import stepper
from ..teach.replay import record_step
from ._common import add_filters, add_one_step, check_filters, load_net, load_samples, view_of
from ..engine.finite import check_events
from ..errors import DataError

NAME = "step"
ORDER = 40
HELP = "step through one training step, one chain-rule term per key press"
DESCRIPTION = (HELP + ".  Keys: n/Enter/→ next, p/← back, w next weight update, l next layer, "
               "c to the end, b breakpoint on a weight L:I:J (w_IJ into layer L, 0-based), q quit.  "
               "Without a terminal (or with --no-interactive) every event is printed as text.")

def add_arguments(p) -> None:
    add_one_step(p)
    p.add_argument("--no-interactive", action="store_true",
                   help="print every event as text instead of waiting for keys")
    p.add_argument("--html", metavar="FILE",
                   help="write the step-through as one self-contained HTML page (for a projector)")
    p.add_argument("--break", dest="breaks", action="append", default=[], metavar="L:I:J",
                   help="--html: a breakpoint on weight w_IJ into layer L (0-based), or the weight "
                        "as --notation names it (w_c2 in net-out); repeat for more")
    p.add_argument("--break-layer", dest="break_layers", action="append", default=[], type=int,
                   metavar="L", help="--html: a breakpoint on every term of layer L (repeat for more)")
    add_filters(p, " for --html: the page steps through only these terms, as trace's filters choose them")
    from ..teach.html_step import THEMES
    p.add_argument("--theme", choices=THEMES, default="default",
                   help="--html: projector = type of at least 28 px that grows with the window and the zoom, "
                        "the diagram filling the screen, high contrast, dashed negative weights, weight "
                        "values on the edges of small layers")


def run(args) -> int:
    net = load_net(args)
    xs, ys = load_samples(args, net)
    events, before, _after = record_step(net, xs, ys, args.lr, args.lr_bias, args.reduction,
                                         args.round_digits)
    check_events(events)                       # exit 1 at the first number that is not finite
    filtered = any((args.layer, args.neuron, args.weight, args.phase, args.sample))
    if filtered and args.html is None:
        raise DataError("--layer/--neuron/--weight/--phase/--sample choose the terms of an --html page; "
                        "in the terminal, use the keys (b: a breakpoint on a weight, l: the next layer)")
    if args.html is not None:
        check_filters(args, net.sizes, len(xs))
        return write_html(args, net, events)
    from rich.console import Console
    view = view_of(args, net)
    if args.no_interactive or not stepper.interactive():
        stepper.print_events(events, view, sys.stdout.write)
        Console(highlight=False, no_color=True, width=100).print(stepper.table(before, events))
        return 0
    console = Console(highlight=False)
    screen = stepper.StepView(before, events, view, samples=len(xs))
    pos = stepper.run_interactive(screen, console)
    if pos < len(events) - 1:
        console.print(f"(stopped at event {pos + 1} of {len(events)}; the table is the whole step)")
    console.print(stepper.table(before, events))
    return 0


def write_html(args, net, events) -> int:
    """The step as one offline page (teach/html_step.py), written atomically."""
    from ..errors import DataError
    from ..io.spec import atomic_write
    from ..teach import html_step
    view = view_of(args, net)
    breaks = []
    for text in args.breaks:
        try:
            breaks.append(stepper.parse_weight(text, net.sizes, view.notation))
        except ValueError as e:
            raise DataError(f"--break {text}: {e}") from None
    for L in args.break_layers:
        if not 0 <= L < len(net.sizes):
            raise DataError(f"--break-layer {L}: the network has layers 0 … {len(net.sizes) - 1}")
    # a big network's step has far more terms than a page can hold: the
    # trace's filters choose the ones to step through (the same Filter)
    from ..engine.events import Recorder
    from ..present.tracing import Filter
    kept = Recorder()
    only = Filter(kept, args.layer, args.neuron, args.weight, args.phase, args.sample)
    if only.active:
        for e in events:
            only(e)
        if not kept.events:
            raise DataError("the filters keep no term of this step")
        events = kept.events
    text = html_step.page(net, events, view, breaks, args.break_layers,
                          theme=getattr(args, "theme", "default"))
    atomic_write(args.html, text)
    sys.stderr.write(f"wrote {args.html} ({len(events)} terms)\n")
    return 0
