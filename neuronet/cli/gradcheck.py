"""neuronet gradcheck: backprop against central finite differences."""
from __future__ import annotations

import math

from rich.console import Console
from rich.table import Table

from ..check import gradcheck
from ..errors import NonFiniteError
from ..engine import finite
from ._common import (add_reduction, add_samples, add_spec, load_net, load_samples, nonnegative_number,
    positive_count, positive_number)

NAME = "gradcheck"
ORDER = 30
HELP = "check every gradient against central finite differences (exit 1 if any disagree)"


def add_arguments(p) -> None:
    add_spec(p)
    add_samples(p)
    add_reduction(p)
    p.add_argument("--h", type=positive_number, default=1e-4, help="finite-difference step (default 1e-4)")
    p.add_argument("--order", type=int, choices=(2, 4), default=4,
                   help="central differences of order 2 (3-point) or 4 (5-point, default)")
    p.add_argument("--rtol", type=nonnegative_number, default=1e-5, help="relative tolerance (default 1e-5)")
    p.add_argument("--atol", type=nonnegative_number, default=1e-8, help="absolute tolerance (default 1e-8)")
    p.add_argument("--show", type=positive_count, default=10, help="rows of the worst entries to show")


def run(args) -> int:
    net = load_net(args)
    xs, ys = load_samples(args, net)
    finite.check_gradients(net, xs, ys, args.reduction)      # backprop itself is finite
    entries = gradcheck.check(net, xs, ys, args.reduction, args.h, order=args.order)
    for e in entries:
        if not math.isfinite(e.numeric):
            raise NonFiniteError(f"the finite difference with h = {args.h:g} is {e.numeric!r}: the loss at "
                                 "θ ± h is not finite; choose a smaller --h", where=e.name + ":")
    bad = [e for e in entries if not e.ok(args.rtol, args.atol)]
    worst = sorted(entries, key=lambda e: (e.ok(args.rtol, args.atol), -e.rel_err))[: args.show]
    table = Table(title=f"gradcheck: {len(entries)} parameters, order-{args.order} central differences, h = {args.h:g}, "
                        f"rtol = {args.rtol:g}, atol = {args.atol:g}")
    for col in ("parameter", "backprop", "finite diff", "abs err", "rel err", ""):
        table.add_column(col, justify="right" if col not in ("parameter", "") else "left")
    for e in worst:
        table.add_row(e.name, f"{e.backprop:.10g}", f"{e.numeric:.10g}", f"{e.abs_err:.2e}",
                      f"{e.rel_err:.2e}", "ok" if e.ok(args.rtol, args.atol) else "FAIL")
    console = Console(highlight=False)
    console.print(table)
    if bad:
        console.print(f"{len(bad)} of {len(entries)} gradients disagree with finite differences")
        return 1
    console.print(f"all {len(entries)} gradients agree with finite differences")
    return 0
