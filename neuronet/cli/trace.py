"""neuronet trace: one training step, every chain-rule term printed."""
from __future__ import annotations

import argparse
import sys

from ..present import notation as _notation
from ..errors import DataError
from ..present.render import FORMATS, make
from ..present import tracing as _trace
from ..present.handcalc import load_printed
from ..io.finite import Watch, check_result
from ._common import add_one_step, load_net, load_samples, significant

NAME = "trace"
ORDER = 15
HELP = "run one training step and print every chain-rule term it computes"
DESCRIPTION = (HELP + ". Symbols follow --notation (one of the source texts); --round N makes it a "
               "hand calculation (N decimals, half-up); --printed FILE compares it with a text's "
               "printed numbers and reports where the text's own arithmetic differs.")


def _indices(n: int, name: str):
    def parse(text: str) -> tuple[int, ...]:
        parts = text.split(":")
        if len(parts) != n:
            raise argparse.ArgumentTypeError(f"{text!r} is not {name}")
        try:
            out = tuple(int(p) for p in parts)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {name} (whole numbers)") from None
        if any(v < 0 for v in out):
            raise argparse.ArgumentTypeError(f"{text!r}: indices must not be negative")
        return out
    return parse


def add_arguments(p) -> None:
    add_one_step(p, round_dest="decimals")
    p.add_argument("--format", choices=FORMATS, help="rich when stdout is a terminal, else text")
    p.add_argument("--digits", type=significant, default=4, metavar="D",
                   help="significant digits shown without --round (default 4)")
    p.add_argument("--printed", metavar="FILE",
                   help="a text's printed numbers (e.g. walkthroughs/switch-2-4-3-2/printed.toml): "
                        "compare them with this step (needs --round N, a hand calculation)")
    g = p.add_argument_group("filters (repeatable; different filters combine with 'and')")
    g.add_argument("--layer", type=int, action="append", metavar="L", help="terms of layer L")
    g.add_argument("--neuron", type=_indices(2, "L:N"), action="append", metavar="L:N",
                   help="neuron N of layer L (0-based), with the weights into it")
    g.add_argument("--weight", type=_indices(3, "L:I:J"), action="append", metavar="L:I:J",
                   help="the weight from neuron I of layer L−1 to neuron J of layer L")
    g.add_argument("--phase", choices=("forward", "loss", "delta", "gradient", "update"), action="append")
    g.add_argument("--sample", type=int, action="append", metavar="K", help="sample K of the batch (0-based)")


def _check_filters(args, sizes) -> None:
    last = len(sizes) - 1
    for L in args.layer or ():
        if not 0 <= L <= last:
            raise DataError(f"--layer {L}: the network has layers 0–{last}")
    for L, N in args.neuron or ():
        if not 0 <= L <= last or N >= sizes[L]:
            raise DataError(f"--neuron {L}:{N}: no such neuron (layer sizes {'-'.join(map(str, sizes))}, 0-based)")
    for L, I, J in args.weight or ():
        if not 1 <= L <= last or I >= sizes[L - 1] or J >= sizes[L]:
            raise DataError(f"--weight {L}:{I}:{J}: no such weight (layer sizes "
                            f"{'-'.join(map(str, sizes))}; L ≥ 1, I in layer L−1, J in layer L, 0-based)")


def run_command(args, stdout=None) -> int:
    out = stdout if stdout is not None else sys.stdout
    net = load_net(args)
    xs, ys = load_samples(args, net)
    _check_filters(args, net.sizes)
    if args.sample:
        bad = [k for k in args.sample if not 0 <= k < len(xs)]
        if bad:
            raise DataError(f"--sample {bad[0]}: the batch has samples 0–{len(xs) - 1}")
    printed = None
    if args.printed:
        printed = load_printed(args.printed)
        if args.decimals is None:
            raise DataError(f"--printed {args.printed}: its numbers were carried at {printed.decimals} decimals; "
                            f"add --round {printed.decimals} to compare them with a hand calculation")
    fmt = args.format or ("rich" if out.isatty() else "text")
    N = _notation.for_net(args.notation, net)
    digits = _notation.carried(args.decimals, otherwise=args.digits)
    sink = make(fmt, out, N, digits, title=f"neuronet trace: {net.name or args.spec}")
    filt = _trace.Filter(sink, args.layer, args.neuron, args.weight, args.phase, args.sample)
    result = _trace.run(net, xs, ys, args.lr, args.lr_bias, args.reduction,
                 Watch(filt if filt.active else sink), args.decimals, printed)
    check_result({"loss": result.loss}, "the batch (a sum over the batch overflowed)")
    if fmt != "jsonl":
        tail = [f"loss before the step ({args.reduction} over {len(xs)} sample{'s' if len(xs) != 1 else ''}): "
                f"{_notation.fmt(result.loss, digits)}"]
        tail += result.report()
        sink.write_lines([""] + tail if fmt == "text" else tail)
    sink.close()
    return 0


def run(args) -> int:
    return run_command(args)
