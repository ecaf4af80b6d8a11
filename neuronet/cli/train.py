"""neuronet train: plain SGD, writing the trained spec atomically."""
from __future__ import annotations

import sys
import time

from ..io import spec
from ..engine import train
from ..errors import NumericError
from ._common import (add_reduction, add_samples, add_spec, count, load_net, load_samples,
    nonnegative_number, positive_count)

NAME = "train"
ORDER = 20
HELP = "train with plain SGD and write the trained spec"


def add_arguments(p) -> None:
    add_spec(p)
    add_samples(p)
    p.add_argument("--lr", type=nonnegative_number, required=True, metavar="ETA", help="learning rate η")
    p.add_argument("--lr-bias", type=nonnegative_number, metavar="ETA_B",
                   help="bias learning rate η_b (default η; 0 freezes biases)")
    p.add_argument("--epochs", type=count, required=True, metavar="N")
    p.add_argument("--batch-size", type=positive_count, metavar="B", help="samples per step (default: all)")
    p.add_argument("--shuffle", action="store_true", help="shuffle the samples every epoch")
    p.add_argument("--seed", type=int, default=0, help="seed for --shuffle")
    add_reduction(p)
    p.add_argument("--out", required=True, metavar="TRAINED", help="where to write the trained spec (.json/.toml)")
    p.add_argument("--quiet", action="store_true", help="no progress bar, no live view")
    p.add_argument("--live", action="store_true",
                   help="force the live view (loss curve, dead ReLUs, saturated sigmoids) on stderr "
                        "even when it is not a terminal")
    p.add_argument("--backend", choices=("neuron", "matrix"), default="neuron",
                   help="neuron: the per-neuron passes (default); matrix: the same SGD on numpy "
                        "matrices for real-size data (needs neuronet[matrix])")


class _Progress:
    """A rich progress bar on stderr, shown only once a run passes a second."""

    def __init__(self, total: int, quiet: bool) -> None:
        self.total = total
        self.quiet = quiet
        self.start = time.monotonic()
        self.bar = None
        self.task = None

    def __call__(self, epoch: int, loss: float) -> None:
        if self.quiet:
            return
        if self.bar is None:
            if time.monotonic() - self.start < 1.0:
                return
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
            self.bar = Progress(TextColumn("training"), BarColumn(), MofNCompleteColumn(),
                                TextColumn("loss {task.fields[loss]:.6g}"), TimeRemainingColumn(),
                                console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task("train", total=self.total, loss=loss)
        self.bar.update(self.task, completed=epoch, loss=loss)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def _matrix_train(args, net, xs, ys, progress):
    """--backend matrix: the same batches, order and updates on numpy matrices."""
    try:
        from ..check.backends import matrix
    except ImportError:
        from ..check.backends import BackendError
        raise BackendError("needs numpy: pip install 'neuronet[matrix]'", source="--backend matrix") from None
    return matrix.train(spec.to_dict(net), xs, ys, args.lr, args.epochs, eta_b=args.lr_bias,
                        batch_size=args.batch_size, reduction=args.reduction, shuffle=args.shuffle,
                        seed=args.seed, on_epoch=progress)


def _live_view(args, net, xs):
    """The live view (neuronet/live.py) on a terminal's stderr, or when
    forced with --live; None for --quiet and for plain (non-terminal) runs."""
    if args.quiet or not (args.live or sys.stderr.isatty()):
        return None
    from rich.console import Console
    from ..teach.live import LiveView
    steps = -(-len(xs) // args.batch_size) if args.batch_size else 1
    console = Console(stderr=True, force_terminal=True if args.live else None)
    # the matrix backend reports epochs only: no per-neuron diagnostics
    return LiveView(net, args.epochs, steps, console, diagnostics=args.backend != "matrix").start()


def _close(progress, view) -> None:
    if view is not None:
        view.close()
    else:
        progress.close()


def run(args) -> int:
    net = load_net(args)
    xs, ys = load_samples(args, net)
    view = _live_view(args, net, xs)
    progress = view.on_epoch if view is not None else _Progress(args.epochs, args.quiet)
    try:
        if args.backend == "matrix":
            trained, history = _matrix_train(args, net, xs, ys, progress)
        else:
            history = train.train(net, xs, ys, args.lr, args.epochs, eta_b=args.lr_bias,
                                  batch_size=args.batch_size, shuffle=args.shuffle, seed=args.seed,
                                  reduction=args.reduction, on_epoch=progress,
                                  on_step=view.on_step if view is not None else None,
                                  observe=view.observe if view is not None else None)
    except NumericError as e:
        _close(progress, view)
        sys.stderr.write(f"neuronet train: {e.format()}; {args.out} not written\n")
        return 2
    except BaseException:
        _close(progress, view)
        raise
    _close(progress, view)
    spec.save(trained if args.backend == "matrix" else net, args.out)
    final = history[-1] if history else train.epoch_loss(net, xs, ys, args.reduction)
    sys.stdout.write(f"final loss: {final:.10g} after {args.epochs} epochs\n")
    sys.stderr.write(f"wrote {args.out}\n")
    return 0
