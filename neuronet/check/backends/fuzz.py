"""Random networks and batches for ``neuronet verify --random N --seed S``.

:func:`case` draws one spec and batch from a ``random.Random``: 2–4 layers
of 1–5 neurons, every activation (the input layer's too, sometimes with
trainable input biases), every loss, batches of 1–4, both reductions.  Case
``k`` cycles through the losses and the output activations that suit them,
so a run of a few dozen cases covers every pairing.  A failing case is saved
as one JSON file that is both a spec and a data file (the spec keeps unknown
top-level keys), so ``neuronet verify CASE.json --backend B`` replays it.
"""
from __future__ import annotations

import json
import random

from ...engine.activations import ACTIVATIONS
from ...errors import NumericError
from ...engine.losses import LOSSES
from ...io.spec import atomic_write
from . import Backend
from .contract import BackendError
from .verify import Outcome, Report, check

ACTS = sorted(ACTIVATIONS)
LOSS_NAMES = sorted(LOSSES)
# losses that take a logarithm of the outputs need outputs in (0, 1)
OUTPUTS_FOR = {name: (["sigmoid", "softmax"] if name in ("bce", "cross_entropy") else ACTS) for name in LOSS_NAMES}


def case(rng: random.Random, k: int = 0):
    """One random ``(spec, inputs, targets, reduction)``; ``k`` picks the loss
    and output activation in turn."""
    loss = LOSS_NAMES[k % len(LOSS_NAMES)]
    outs = OUTPUTS_FOR[loss]
    out_act = outs[(k // len(LOSS_NAMES)) % len(outs)]
    n_layers = rng.randint(2, 4)
    sizes = [rng.randint(1, 5) for _ in range(n_layers)]
    acts = [rng.choice(["identity", "identity"] + ACTS)] + [rng.choice(ACTS) for _ in range(n_layers - 2)] + [out_act]
    sizes = [max(n, 2) if a == "softmax" else n for n, a in zip(sizes, acts)]

    def u(lo, hi, n):
        return [rng.uniform(lo, hi) for _ in range(n)]

    layers = [{"size": sizes[0], "activation": acts[0]}]
    if rng.random() < 0.3:
        layers[0]["biases"] = u(-0.5, 0.5, sizes[0])
    for l in range(1, n_layers):
        layers.append({"size": sizes[l], "activation": acts[l],
                       "weights": [u(-1.5, 1.5, sizes[l]) for _ in range(sizes[l - 1])],
                       "biases": u(-0.5, 0.5, sizes[l])})
    n = rng.randint(1, 4)
    xs = [u(-2.0, 2.0, sizes[0]) for _ in range(n)]
    K = sizes[-1]
    if loss == "cross_entropy":     # one-hot targets (000, 003)
        hots = [rng.randrange(K) for _ in range(n)]
        ys = [[1.0 if c == hot else 0.0 for c in range(K)] for hot in hots]
    elif loss == "bce":             # 0/1 labels and soft targets
        ys = [[rng.choice([0.0, 1.0, rng.random()]) for _ in range(K)] for _ in range(n)]
    else:
        ys = [u(-1.0, 1.0, K) for _ in range(n)]
    reduction = rng.choice(["mean", "sum"])
    return {"loss": loss, "layers": layers}, xs, ys, reduction


def run(backend: Backend, n: int, seed: int, rtol: float, atol: float):
    """Check ``n`` random cases; return ``(checked, failure)`` where
    ``failure`` is ``(k, spec, xs, ys, reduction, outcome)`` of the first
    disagreement, or None.  Cases the reference itself cannot compute
    (a log of 0 in the loss) are drawn again."""
    rng = random.Random(seed)
    checked = 0
    for k in range(n):
        for _ in range(20):
            spec, xs, ys, reduction = case(rng, k)
            try:
                outcome: Outcome = check(spec, xs, ys, backend, reduction, rtol, atol)
            except NumericError:
                continue
            except BackendError as e:   # an answer of the wrong shape fails this case
                outcome = Outcome(Report([], rtol, atol, error=e.format()), None, None, None, xs, ys, reduction)
            break
        else:
            continue
        checked += 1
        if not outcome.report.ok:
            return checked, (k, spec, xs, ys, reduction, outcome)
    return checked, None


def save_case(path: str, spec: dict, xs, ys, reduction: str, note: str) -> None:
    """One file that is a spec and a data file at once (atomic)."""
    doc = {"name": note, **spec, "inputs": xs, "targets": ys, "reduction": reduction}
    atomic_write(path, json.dumps(doc, indent=1, allow_nan=False) + "\n")
