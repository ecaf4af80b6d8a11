"""neuronet step: walk through one training step, event by event."""
from __future__ import annotations

import sys

from .. import stepper
from ..replay import record_step
from ._common import (add_reduction, add_samples, add_spec, count, load_net, load_samples,
                      nonnegative_number)

NAME = "step"
ORDER = 40
HELP = "step through one training step, one chain-rule term per key press"
DESCRIPTION = (HELP + ".  Keys: n/Enter/→ next, p/← back, w next weight update, l next layer, "
               "c to the end, b breakpoint on a weight L:I:J (w_IJ into layer L, 0-based), q quit.  "
               "Without a terminal (or with --no-interactive) every event is printed as text.")

NOTATIONS = ("delta", "net-out", "dl-dz", "u-o", "z-h")


def notations() -> tuple[str, ...]:
    try:
        from .. import notation  # the tracer's notations, when present
        names = getattr(notation, "NOTATIONS", None)
        if names:
            return tuple(names)
    except ImportError:
        pass
    return NOTATIONS


def add_step_arguments(p) -> None:
    """The options step and quiz share: one SGD step and how to show it."""
    add_spec(p)
    add_samples(p)
    p.add_argument("--lr", type=nonnegative_number, default=0.5, metavar="ETA",
                   help="learning rate η (default 0.5, as in 002)")
    p.add_argument("--lr-bias", type=nonnegative_number, metavar="ETA_B",
                   help="bias learning rate η_b (default η)")
    add_reduction(p)
    p.add_argument("--notation", choices=notations(), default="delta",
                   help="symbols of which source text (default delta, as in 004)")
    p.add_argument("--round", type=count, metavar="N", dest="round_digits",
                   help="hand-calculation mode: carry every intermediate rounded to N decimals")


def add_arguments(p) -> None:
    add_step_arguments(p)
    p.add_argument("--no-interactive", action="store_true",
                   help="print every event as text instead of waiting for keys")


def digits(args) -> int:
    return args.round_digits if args.round_digits is not None else 4


def run(args) -> int:
    net = load_net(args)
    xs, ys = load_samples(args, net)
    events, before, _after = record_step(net, xs, ys, args.lr, args.lr_bias, args.reduction,
                                         args.round_digits)
    from rich.console import Console
    if args.no_interactive or not stepper.interactive():
        exact = None if args.round_digits is not None else 4
        stepper.print_events(events, args.notation, exact, sys.stdout.write, net.sizes)
        Console(highlight=False, no_color=True, width=100).print(stepper.table(before, events))
        return 0
    console = Console(highlight=False)
    view = stepper.StepView(before, events, args.notation, digits(args), samples=len(xs),
                            exact=args.round_digits is not None)
    pos = stepper.run_interactive(view, console)
    if pos < len(events) - 1:
        console.print(f"(stopped at event {pos + 1} of {len(events)}; the table is the whole step)")
    console.print(stepper.table(before, events))
    return 0
