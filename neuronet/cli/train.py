"""neuronet train: plain SGD, writing the trained spec atomically."""
from __future__ import annotations

import math
import sys
import time

from ..io import spec
from ..engine import train
from ..engine.classes import Accuracy, accuracy as accuracy_of, is_classification
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
    p.add_argument("--max-param", type=_positive, default=train.MAX_PARAM, metavar="M",
                   help=f"stop as diverged when a weight or bias leaves ±M (default {train.MAX_PARAM:g}); "
                        f"also stops when an epoch's loss is over {train.GROWTH:g}× the best so far "
                        "and over twice the first epoch's, and fails when the last epoch's "
                        "loss is above the loss before training (exit 1, nothing written)")
    p.add_argument("--backend", choices=("neuron", "matrix"), default="neuron",
                   help="neuron: the per-neuron passes (default); matrix: the same SGD on numpy "
                        "matrices for real-size data (needs neuronet[matrix])")


def _positive(text: str) -> float:
    from ._common import positive_number
    return positive_number(text)


def pct(acc: float | None) -> str:
    return "" if acc is None else f"  accuracy {100 * acc:.1f}%"


class _Lines:
    """Progress as plain lines on a piped stdout: every 10 % of the epochs
    (every epoch when there are ≤ 10), and at least every 2 s when epochs
    are slow — so a log shows the run moving at a steady pace."""

    EVERY_S = 2.0

    def __init__(self, total: int, write) -> None:
        self.total = total
        self.every = max(1, total // 10)
        self.write = write
        self.last = time.monotonic()

    def __call__(self, epoch: int, loss: float, acc: float | None) -> None:
        now = time.monotonic()
        if epoch % self.every == 0 or epoch == self.total or now - self.last >= self.EVERY_S:
            self.last = now
            self.write(f"epoch {epoch}/{self.total}  loss {loss:.6g}{pct(acc)}\n")


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


def _check_finite(d, where="spec"):
    """The first non-finite number in a spec dict (the matrix backend's
    result), as 'layer 1 weights[0][1] = inf'; None if all are finite."""
    if isinstance(d, float):
        return None if math.isfinite(d) else f"{where} = {d}"
    if isinstance(d, dict):
        items = d.items()
    elif isinstance(d, list):
        items = enumerate(d)
    else:
        return None
    for k, v in items:
        bad = _check_finite(v, f"{where}[{k}]" if isinstance(k, int) else f"{where}.{k}")
        if bad:
            return bad
    return None


def run(args) -> int:
    net = load_net(args)
    xs, ys = load_samples(args, net)
    view = _live_view(args, net, xs)
    progress = view.on_epoch if view is not None else _Progress(args.epochs, args.quiet)
    acc = Accuracy(ys) if is_classification(ys) else None
    lines = None
    if not args.quiet and not sys.stdout.isatty():
        lines = _Lines(args.epochs, lambda t: (sys.stdout.write(t), sys.stdout.flush()))

    def on_epoch(epoch, loss):
        a = acc.take() if acc is not None and args.backend != "matrix" else None
        if view is not None:
            view.on_epoch(epoch, loss, a)
        else:
            progress(epoch, loss)
        if lines is not None:
            lines(epoch, loss, a)

    observe = None
    if acc is not None or view is not None:
        def observe(n):
            if acc is not None:
                acc.observe(n)
            if view is not None:
                view.observe(n)
    try:
        if args.backend == "matrix":
            before = train.epoch_loss(net, xs, ys, args.reduction) if args.epochs else float("nan")
            trained, history = _matrix_train(args, net, xs, ys, on_epoch)
            bad = _check_finite(trained)
            if bad or not all(math.isfinite(L) for L in history):
                raise train.Diverged(f"diverged: {bad or 'a loss became non-finite'}; try a smaller --lr")
            train.check_rise(before, history)
        else:
            history = train.train(net, xs, ys, args.lr, args.epochs, eta_b=args.lr_bias,
                                  batch_size=args.batch_size, shuffle=args.shuffle, seed=args.seed,
                                  reduction=args.reduction, on_epoch=on_epoch,
                                  on_step=view.on_step if view is not None else None,
                                  observe=observe, max_param=args.max_param)
    except train.Diverged as e:
        _close(progress, view)
        sys.stderr.write(f"neuronet train: {e.format()}; {args.out} not written\n")
        return 1
    except NumericError as e:
        _close(progress, view)
        sys.stderr.write(f"neuronet train: {e.format()}; {args.out} not written\n")
        return 2
    except BaseException:
        _close(progress, view)
        raise
    _close(progress, view)
    result = trained if args.backend == "matrix" else net
    spec.save(result, args.out)
    final = history[-1] if history else train.epoch_loss(net, xs, ys, args.reduction)
    tail = ""
    if acc is not None:
        a = acc.last if acc.last is not None and args.backend != "matrix" else \
            accuracy_of(spec.from_dict(trained) if args.backend == "matrix" else net, xs, ys)
        tail = f"; accuracy {100 * a:.1f}% ({round(a * len(xs))} of {len(xs)} samples)"
    sys.stdout.write(f"final loss: {final:.10g} after {args.epochs} epochs{tail}\n")
    sys.stderr.write(f"wrote {args.out}\n")
    return 0
