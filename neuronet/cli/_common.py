"""Arguments and loading shared by the subcommands."""
from __future__ import annotations

import argparse
import math

from ..io import data, spec
from ..errors import DataError


def number(text: str) -> float:
    try:
        x = data.number(text)          # ASCII digits only (see io/data.py)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(x):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
    return x


def positive_number(text: str) -> float:
    x = number(text)
    if x <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be greater than 0")
    return x


def nonnegative_number(text: str) -> float:
    x = number(text)
    if x < 0:
        raise argparse.ArgumentTypeError(f"{text!r} must not be negative")
    return x


def count(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"{text!r} must not be negative")
    return n


def positive_count(text: str) -> int:
    n = count(text)
    if n == 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be at least 1")
    return n


def decimals(text: str) -> int:
    """--round N: 0 … handcalc.MAX_DECIMALS decimals."""
    from ..present.handcalc import MAX_DECIMALS
    n = count(text)
    if n > MAX_DECIMALS:
        raise argparse.ArgumentTypeError(f"{text!r}: at most {MAX_DECIMALS} decimals")
    return n


#: --digits D: significant digits shown; a float has at most 17.
MAX_SIGNIFICANT = 17


def significant(text: str) -> int:
    n = positive_count(text)
    if n > MAX_SIGNIFICANT:
        raise argparse.ArgumentTypeError(f"{text!r}: at most {MAX_SIGNIFICANT} significant digits "
                                         "(a float carries no more)")
    return n


def add_spec(parser) -> None:
    parser.add_argument("spec", metavar="SPEC", help="network spec file (.json or .toml)")
    add_max_params(parser)


def add_max_params(parser) -> None:
    parser.add_argument("--max-params", type=positive_count, metavar="N",
                        help=f"refuse a spec with more than N weights and biases (default "
                             f"{spec.DEFAULT_MAX_PARAMS:,}, or ${spec.MAX_PARAMS_ENV})")


def add_samples(parser) -> None:
    g = parser.add_argument_group("samples (repeat --input/--target for a batch)")
    g.add_argument("--input", action="append", default=[], metavar="X", help="input vector, e.g. 1,0")
    g.add_argument("--target", action="append", default=[], metavar="Y", help="target vector, e.g. 0,1")
    g.add_argument("--data", metavar="FILE", help="CSV (x…/y… columns) or JSON {inputs, targets}")
    g.add_argument("--targets", type=positive_count, metavar="K", help="CSV: the last K columns are targets")


def notations_help(default: str | None = None) -> str:
    """'delta (004, default), net-out (002), …': every notation of the
    registry (present/notation/, one module each) with the text it is from."""
    from ..present.notation import NOTATIONS, SOURCES
    return ", ".join(f"{n} ({SOURCES[n][:3]}{', default' if n == default else ''})" for n in NOTATIONS)


def phases() -> tuple[str, ...]:
    """The trace's phases in pass order, as engine/events.KINDS assigns them
    to the kinds (forward, loss, delta, gradient, update)."""
    from ..engine.events import KINDS
    return tuple(dict.fromkeys(phase for phase, _ in KINDS.values()))


def add_reduction(parser) -> None:
    from ..engine.passes import REDUCTIONS
    parser.add_argument("--reduction", choices=REDUCTIONS, default="mean",
                        help="batch gradient: mean (004 eq. 5, default) or sum (003)")


def add_one_step(parser, round_dest: str = "round_digits") -> None:
    """The options of the commands that run one SGD step and show it
    (trace, step, quiz): spec, samples, η, η_b, reduction, notation, --round."""
    from ..present.notation import NOTATIONS
    add_spec(parser)
    add_samples(parser)
    parser.add_argument("--lr", type=nonnegative_number, default=0.5, metavar="ETA",
                        help="learning rate η (default 0.5, 002's l)")
    parser.add_argument("--lr-bias", type=nonnegative_number, metavar="ETA_B",
                        help="bias learning rate η_b (default η)")
    add_reduction(parser)
    parser.add_argument("--notation", choices=NOTATIONS, default="delta",
                        help="symbols of which source text: " + notations_help("delta"))
    parser.add_argument("--round", type=decimals, metavar="N", dest=round_dest,
                        help="hand calculation: every named intermediate rounded half-up to N decimals")


def view_of(args, net, digits: int = 4):
    """The one view a command draws with (present/view.py): --notation bound to ``net``;
    ``digits`` significant digits, or with --round N every number exactly as carried."""
    from ..present.view import View
    return View.of(net, args.notation, digits, decimals=args.round_digits)


def load_net(args):
    return spec.load(args.spec, max_params=getattr(args, "max_params", None))


def load_samples(args, net):
    """(xs, ys) from --input/--target pairs or --data, checked against net."""
    if args.data is not None and (args.input or args.target):
        raise DataError("give either --data or --input/--target pairs, not both")
    if args.data is not None:
        xs, ys = data.read(args.data, args.targets)
        source = args.data
    else:
        if len(args.input) != len(args.target):
            raise DataError(f"{len(args.input)} --input but {len(args.target)} --target: give them in pairs")
        xs = [data.parse_vector(t, f"--input #{k + 1}") for k, t in enumerate(args.input)]
        ys = [data.parse_vector(t, f"--target #{k + 1}") for k, t in enumerate(args.target)]
        source = None
    data.check(xs, ys, net.sizes[0], net.sizes[-1], source=source)
    return xs, ys


class progress_bar:
    """A rich progress bar on stderr for work that can take more than a
    couple of seconds — only when stderr is a terminal; piped or redirected,
    nothing extra is written.  Use as a context manager; the value is a
    callback ``progress(done, total, what)`` (what the work is doing now)."""

    def __init__(self, label: str, stream=None) -> None:
        import sys
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.bar = None
        self.task = None

    def __enter__(self):
        try:
            tty = self.stream.isatty()
        except (AttributeError, ValueError):
            tty = False
        if not tty:
            return lambda done, total, what="": None
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
        self.bar = Progress(TextColumn(f"[bold]{self.label}[/] {{task.description}}"), BarColumn(),
                            MofNCompleteColumn(), TimeElapsedColumn(),
                            console=Console(file=self.stream), transient=True)
        self.bar.start()
        self.task = self.bar.add_task("", total=None)

        def update(done, total, what=""):
            self.bar.update(self.task, completed=done, total=total, description=what)
        return update

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()


# -- the trace filters (trace; step --html) -------------------------------------------

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


def add_filters(p, what: str = "") -> None:
    g = p.add_argument_group(f"filters{what} (repeatable; different filters combine with 'and')")
    g.add_argument("--layer", type=int, action="append", metavar="L", help="terms of layer L")
    g.add_argument("--neuron", type=_indices(2, "L:N"), action="append", metavar="L:N",
                   help="neuron N of layer L (0-based), with the weights into it")
    g.add_argument("--weight", type=_indices(3, "L:I:J"), action="append", metavar="L:I:J",
                   help="the weight from neuron I of layer L−1 to neuron J of layer L")
    g.add_argument("--phase", choices=phases(), action="append")
    g.add_argument("--sample", type=int, action="append", metavar="K", help="sample K of the batch (0-based)")


def check_filters(args, sizes, n_samples: int) -> None:
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
    bad = [k for k in args.sample or () if not 0 <= k < n_samples]
    if bad:
        raise DataError(f"--sample {bad[0]}: the batch has samples 0–{n_samples - 1}")
