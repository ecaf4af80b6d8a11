"""neuronet train: plain SGD, writing the trained spec atomically."""
from __future__ import annotations

import sys
import time

from ..io import spec
from ..engine import train
from ..engine.classes import Accuracy, accuracy as accuracy_of, is_classification
from ..errors import NumericError
from ._trainers import TRAINERS
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
    p.add_argument("--backend", choices=tuple(TRAINERS), default="neuron",
                   help="; ".join(f"{t.name}: {t.help}" for t in TRAINERS.values()))


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


def _live_view(args, net, xs):
    """The live view (neuronet/live.py) on a terminal's stderr, or when
    forced with --live; None for --quiet and for plain (non-terminal) runs."""
    if args.quiet or not (args.live or sys.stderr.isatty()):
        return None
    from rich.console import Console
    from ..teach.live import LiveView
    steps = -(-len(xs) // args.batch_size) if args.batch_size else 1
    console = Console(stderr=True, force_terminal=True if args.live else None)
    # a backend that reports epochs only (matrix) has no per-neuron diagnostics
    return LiveView(net, args.epochs, steps, console, diagnostics=TRAINERS[args.backend].diagnostics).start()


def _close(progress, view) -> None:
    if view is not None:
        view.close()
    else:
        progress.close()


def run(args) -> int:
    net = load_net(args)
    xs, ys = load_samples(args, net)
    trainer = TRAINERS[args.backend]
    view = _live_view(args, net, xs)
    progress = view.on_epoch if view is not None else _Progress(args.epochs, args.quiet)
    acc = Accuracy(ys) if is_classification(ys) else None
    lines = None
    if not args.quiet and not sys.stdout.isatty():
        lines = _Lines(args.epochs, lambda t: (sys.stdout.write(t), sys.stdout.flush()))

    def on_epoch(epoch, loss):
        a = acc.take() if acc is not None and trainer.diagnostics else None
        if view is not None:
            view.on_epoch(epoch, loss, a)
        else:
            progress(epoch, loss)
        if lines is not None:
            lines(epoch, loss, a)

    watchers = [w for w in (acc, view) if w is not None]     # each sample's network, as it is trained

    def observe(n):
        for w in watchers:
            w.observe(n)
    try:
        trained = trainer.train(args, net, xs, ys, on_epoch,
                                on_step=view.on_step if view is not None else None,
                                observe=observe if watchers else None)
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
    spec.save(trained.saved, args.out)
    history = trained.history
    final = history[-1] if history else train.epoch_loss(net, xs, ys, args.reduction)
    tail = ""
    if acc is not None:
        a = acc.last if acc.last is not None and trainer.diagnostics else \
            accuracy_of(trained.network(), xs, ys)
        tail = f"; accuracy {100 * a:.1f}% ({round(a * len(xs))} of {len(xs)} samples)"
    sys.stdout.write(f"final loss: {final:.10g} after {args.epochs} epochs{tail}\n")
    sys.stderr.write(f"wrote {args.out}\n")
    return 0
