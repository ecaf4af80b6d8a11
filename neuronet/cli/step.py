"""neuronet step: walk through one training step, event by event."""
from __future__ import annotations

import sys

from ..teach import stepper
from ..teach.replay import record_step
from ..present import notation as _notation
from ..present.notation import carried
from ._common import add_one_step, load_net, load_samples

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


def digits(args) -> int:
    return args.round_digits if args.round_digits is not None else 4


def run(args) -> int:
    net = load_net(args)
    xs, ys = load_samples(args, net)
    events, before, _after = record_step(net, xs, ys, args.lr, args.lr_bias, args.reduction,
                                         args.round_digits)
    from rich.console import Console
    if args.no_interactive or not stepper.interactive():
        exact = carried(args.round_digits, otherwise=4)
        stepper.print_events(events, _notation.for_net(args.notation, net), exact, sys.stdout.write)
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
