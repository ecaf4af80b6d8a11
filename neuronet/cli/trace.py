"""neuronet trace: one training step, every chain-rule term printed."""
from __future__ import annotations

import sys
from pathlib import Path

from ..present.view import View
from ..present import numbers as _numbers
from ..errors import DataError
from ..present.render import FORMATS, make
from ..present import tracing as _trace
from ..present.handcalc import load_printed
from ..engine.finite import Watch, check_result
from ._common import add_filters, add_one_step, check_filters, load_net, load_samples, significant

NAME = "trace"
ORDER = 15
HELP = "run one training step and print every chain-rule term it computes"
DESCRIPTION = (HELP + ". Symbols follow --notation (one of the source texts); --round N makes it a "
               "hand calculation (N decimals, half-up); --printed FILE compares it with a text's "
               "printed numbers and reports where the text's own arithmetic differs.")


def add_arguments(p) -> None:
    add_one_step(p, round_dest="decimals")
    p.add_argument("--format", choices=FORMATS, help="rich when stdout is a terminal, else text")
    p.add_argument("--digits", type=significant, default=4, metavar="D",
                   help="significant digits shown without --round (default 4)")
    p.add_argument("--printed", metavar="FILE",
                   help="a text's printed numbers (e.g. walkthroughs/switch-2-4-3-2/printed.toml): "
                        "compare them with this step (needs --round N, a hand calculation)")
    add_filters(p)


def run_command(args, stdout=None) -> int:
    out = stdout if stdout is not None else sys.stdout
    net = load_net(args)
    xs, ys = load_samples(args, net)
    check_filters(args, net.sizes, len(xs))
    printed = None
    if args.printed:
        printed = load_printed(args.printed)
        if args.decimals is None:
            raise DataError(f"--printed {args.printed}: its numbers were carried at {printed.decimals} decimals; "
                            f"add --round {printed.decimals} to compare them with a hand calculation")
    fmt = args.format or ("rich" if out.isatty() else "text")
    view = View.of(net, args.notation, args.digits, decimals=args.decimals)
    # closed even when the step stops on a non-finite term: what was traced before it stays written
    with make(fmt, out, view, title=f"neuronet trace: {net.name or Path(args.spec).name}") as sink:
        filt = _trace.Filter(sink, args.layer, args.neuron, args.weight, args.phase, args.sample)
        result = _trace.run(net, xs, ys, args.lr, args.lr_bias, args.reduction,
                            Watch(filt if filt.active else sink), args.decimals, printed)
        check_result({"loss": result.loss}, "the batch (a sum over the batch overflowed)")
        if fmt != "jsonl":
            tail = [f"loss before the step ({args.reduction} over {len(xs)} "
                    f"sample{'s' if len(xs) != 1 else ''}): {_numbers.result(result.loss, view.digits)}"]
            tail += result.report()
            sink.write_lines([""] + tail if fmt == "text" else tail)
    return 0


def run(args) -> int:
    return run_command(args)
