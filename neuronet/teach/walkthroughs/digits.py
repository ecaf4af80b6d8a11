"""Handwritten digits with 000_e7be51513e122931.txt's 784-200-100-10 idea.

Bundled: UCI optdigits (1,797 8×8 images, CC BY 4.0) as 64-200-100-10.  With
``--data``/``--labels``: MNIST IDX files as 784-200-100-10 exactly.  A quarter
of the images is held out and never trained on.

Training runs in the numpy matrix backend when it is installed (seconds) and
in the per-neuron engine otherwise (the same 6 epochs: about a minute of CPU for optdigits, 61 s measured;
more on the clock of a busy machine).
Either way the walkthrough then takes one SGD step of the *trained* network
on a few samples with both the backend and the per-neuron reference and
reports the largest difference between the two resulting weight sets.
"""
from __future__ import annotations

import csv
import gzip
import random

from ...io import idx, spec
from ...engine import passes, train
from ...errors import DataError
from ...engine.classes import accuracy
from ._common import matrix_backend, max_abs_diff, network
from ...present.numbers import fixed, fmt


def read_optdigits(path: str):
    """(inputs scaled to [0, 1], one-hot targets) from scikit-learn's digits.csv.gz."""
    try:
        with gzip.open(path, "rt", encoding="ascii") as fh:
            rows = list(csv.reader(fh))
    except FileNotFoundError:
        raise DataError("no such file", source=path) from None
    except (OSError, EOFError, UnicodeDecodeError) as e:
        raise DataError(f"is not a gzip'd CSV ({e})", source=path) from None
    xs, labels = [], []
    for r, row in enumerate(rows, 1):
        if len(row) != 65:
            raise DataError(f"has {len(row)} columns, expected 65 (64 pixels and the digit)",
                            source=path, where=f"line {r}:")
        try:
            values = [int(v) for v in row]
        except ValueError:
            raise DataError("holds a value that is not a whole number", source=path, where=f"line {r}:") from None
        xs.append([v / 16.0 for v in values[:64]])
        labels.append(values[64])
    return xs, idx.one_hot(labels, 10, source=path)


def split(xs, ys, holdout: float, seed: int):
    order = list(range(len(xs)))
    random.Random(seed).shuffle(order)
    n_test = int(len(xs) * holdout + 0.5)          # the nearest count
    test, tr = order[:n_test], order[n_test:]
    return [xs[i] for i in tr], [ys[i] for i in tr], [xs[i] for i in test], [ys[i] for i in test]


def run(w, options, report) -> None:
    p = w.params
    if bool(options.data) != bool(options.labels):
        raise DataError("give both --data (IDX images) and --labels (IDX labels)")
    if options.data:
        limit = 2000 if options.quick else None
        xs = idx.read_images(options.data, limit)
        ys = idx.one_hot(idx.read_labels(options.labels, limit), 10, source=options.labels)
        if len(xs) != len(ys):
            raise DataError(f"{len(xs)} images but {len(ys)} labels", source=options.labels)
        net = network(w, "network-mnist.toml")
        if len(xs[0]) != net.sizes[0]:
            raise DataError(f"images have {len(xs[0])} pixels; the 784-200-100-10 network needs 784 (28×28)",
                            source=options.data)
        what = f"MNIST IDX ({len(xs)} images)"
        epochs = int(p.get("mnist_epochs", 3))
    else:
        xs, ys = read_optdigits(str(w.path(p.get("data", "digits.csv.gz"))))
        net = network(w)
        what = f"UCI optdigits ({len(xs)} images, 8×8)"
        epochs = int(p.get("epochs", 6))
    if options.quick:                      # tests: a small slice, a couple of epochs
        xs, ys = xs[:240], ys[:240]
        epochs = 2
    if options.epochs:
        epochs = options.epochs
    x_tr, y_tr, x_te, y_te = split(xs, ys, float(p.get("holdout", 0.25)), int(p.get("split_seed", 0)))
    if not x_tr or not x_te:
        raise DataError(f"{len(xs)} image{'s' if len(xs) != 1 else ''}: too few to train on some and hold "
                        f"some out ({len(x_tr)} to train, {len(x_te)} held out)", source=options.data or None)
    eta, batch = float(p.get("eta", 1.0)), int(p.get("batch_size", 4))
    backend = matrix_backend()
    how = "the numpy matrix backend" if backend is not None else "the per-neuron engine"
    sec = report.section(f"{'-'.join(map(str, net.sizes))} on {what}: {len(x_tr)} to train, "
                         f"{len(x_te)} held out")
    sec.lines.append(f"  SGD, η = {fmt(eta, 6)}, batches of {batch}, {epochs} epochs, in {how}")
    report.notes.append(f"training ran in {how}")
    start = spec.to_dict(net)

    steps = -(-len(x_tr) // batch)
    progress = options.progress or (lambda done, total, what: None)

    def on_epoch(epoch, loss):
        sec.lines.append(f"  epoch {epoch:>3}: training loss {fixed(loss, 4)}")
        progress(epoch * steps, epochs * steps, f"epoch {epoch}/{epochs}, loss {fixed(loss, 4)}")

    def on_step(epoch, step, loss):
        if step % 16 == 0:
            progress((epoch - 1) * steps + step, epochs * steps, f"epoch {epoch}/{epochs}")
    progress(0, epochs * steps, f"training {'-'.join(map(str, net.sizes))}")
    if backend is not None:
        trained, history = backend.train(start, x_tr, y_tr, eta, epochs, batch_size=batch, shuffle=True,
                                         seed=0, on_epoch=on_epoch)
        net = spec.from_dict(trained)
    else:
        history = train.train(net, x_tr, y_tr, eta, epochs, batch_size=batch, shuffle=True, seed=0,
                              on_epoch=on_epoch, on_step=on_step)
        trained = spec.to_dict(net)
    acc_tr, acc_te = accuracy(net, x_tr, y_tr), accuracy(net, x_te, y_te)
    sec.lines.append(f"  accuracy: {fixed(100 * (acc_tr), 1)}% on the training images, {fixed(100 * (acc_te), 1)}% on the held-out quarter")
    report.numbers.update({"accuracy_train": acc_tr, "accuracy_heldout": acc_te, "epochs": epochs,
                           "final_loss": history[-1] if history else None, "sizes": net.sizes, "how": how})

    # one step of the trained network, backend vs per-neuron reference
    k = int(p.get("verify_batch", 4))
    bx, by = x_te[:k], y_te[:k]
    ref = spec.from_dict(trained)
    passes.step(ref, bx, by, eta)
    ref_spec = spec.to_dict(ref)
    ver = report.section(f"One more step of the trained network on {k} held-out images, checked by the "
                         "per-neuron reference")
    if backend is not None:
        stepped, _ = backend.train(trained, bx, by, eta, 1)
        diff = max(max_abs_diff(a["weights"], b["weights"]) + 0.0 for a, b in
                   zip(stepped["layers"][1:], ref_spec["layers"][1:]))
        diff = max(diff, max(max_abs_diff(a["biases"], b["biases"]) for a, b in
                             zip(stepped["layers"][1:], ref_spec["layers"][1:])))
        n_par = ref.parameter_count()
        ver.lines.append(f"  {n_par} weights and biases after the step: largest |matrix − per-neuron| = {fmt(diff, 3)}")
        report.numbers["verify_max_abs_diff"] = diff
        report.difference("one step: matrix backend = per-neuron reference", diff, 1e-9,
                     "the per-neuron engine (004's loops) as reference", kind="engine")
    else:
        moved = max(max_abs_diff(a["weights"], b["weights"]) for a, b in
                    zip(trained["layers"][1:], ref_spec["layers"][1:]))
        ver.lines.append(f"  trained with the per-neuron engine itself; the step moved weights by up to {fmt(moved, 3)}")
        report.numbers["verify_max_abs_diff"] = 0.0
    target = float(p.get("accuracy", 0.9))
    if not options.quick and not options.epochs and not options.data:
        report.target("held-out accuracy", acc_te, target, "a quarter of the data the training never saw")
