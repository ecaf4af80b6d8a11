"""Real data: train a small classifier with the per-neuron engine and report
its accuracy (xor, iris).  The same run is one ``neuronet train`` command,
printed at the end, so a class can watch it with the live view."""
from __future__ import annotations

import os

from ...engine import passes, train
from ...engine.classes import accuracy, argmax
from ._common import network, samples
from ...present.numbers import fixed, fmt


def _rel(path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def train_command(w, p, epochs) -> str:
    cmd = [f"neuronet train {_rel(w.path('network.toml'))}", f"--data {_rel(w.path(p.get('samples', 'samples.csv')))}",
           f"--lr {fmt(p['eta'], 6)}", f"--epochs {epochs}"]
    if p.get("batch_size"):
        cmd.append(f"--batch-size {p['batch_size']}")
    if p.get("shuffle"):
        cmd.append(f"--shuffle --seed {p.get('seed', 0)}")
    cmd.append(f"--out {w.name}-trained.json")
    return " ".join(cmd)


def run(w, options, report) -> None:
    p = w.params
    net = network(w)
    xs, ys = samples(w, net)
    epochs = options.epochs or int(p["epochs"])
    marks = {1, epochs} | {e for e in (10, 50, 100, 500, 1000, 2000) if e < epochs}
    sec = report.section(f"Training {'-'.join(map(str, net.sizes))} on {len(xs)} samples: η = {fmt(p['eta'], 6)}, "
                         f"{epochs} epochs, batches of {p.get('batch_size') or len(xs)}"
                         f"{', shuffled' if p.get('shuffle') else ''} ({net.loss.name} loss)")
    before = accuracy(net, xs, ys)

    def on_epoch(epoch, loss):
        if epoch in marks:
            sec.lines.append(f"  epoch {epoch:>5}: loss {fixed(loss, 6)}   accuracy {fixed(100 * (accuracy(net, xs, ys)), 1)}%")
    history = train.train(net, xs, ys, float(p["eta"]), epochs, batch_size=p.get("batch_size"),
                          shuffle=bool(p.get("shuffle")), seed=int(p.get("seed", 0)), on_epoch=on_epoch)
    acc = accuracy(net, xs, ys)
    sec.lines.append(f"  training accuracy {fixed(100 * (before), 1)}% → {fixed(100 * (acc), 1)}%")
    res = report.section("What it learnt")
    n_out = net.sizes[-1]
    if n_out == 1:
        for x, y in zip(xs, ys):
            res.lines.append(f"  {tuple(x)} → {fixed(passes.forward(net, x)[0], 4)}   (target {fmt(y[0], 6)})")
    else:
        names = [n.desc or str(k) for k, n in enumerate(net.layers[-1])]
        confusion = [[0] * n_out for _ in range(n_out)]
        for x, y in zip(xs, ys):
            confusion[argmax(y)][argmax(passes.forward(net, x))] += 1
        width = max(len(s) for s in names)
        res.lines.append("  rows: true class, columns: predicted")
        res.lines.append("  " + " " * width + "  " + "  ".join(f"{s[:10]:>10}" for s in names))
        for k, row in enumerate(confusion):
            res.lines.append(f"  {names[k]:>{width}}  " + "  ".join(f"{v:>10}" for v in row))
    res.lines.append("")
    res.lines.append("  The same run with the live view:")
    res.lines.append("  " + train_command(w, p, epochs))
    report.numbers.update({"accuracy": acc, "accuracy_before": before, "final_loss": history[-1],
                           "epochs": epochs})
    target = float(p.get("accuracy", 1.0))
    if options.epochs is None:
        what = "every sample right (training accuracy)" if target >= 1.0 else "training accuracy"
        report.target(what, acc, target, p.get("claim", "the walkthrough's promise"))
