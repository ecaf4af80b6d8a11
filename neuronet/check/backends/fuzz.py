"""Random networks and batches for ``neuronet verify --random N --seed S``.

:func:`case` draws one spec and batch from a ``random.Random``: 2–4 layers
of 1–5 neurons, every activation (the input layer's too, sometimes with
trainable input biases), every loss, batches of 1–4, both reductions.  Case
``k`` cycles through the losses and the output activations that suit them,
so a run of a few dozen cases covers every pairing.  A failing case is saved
as one JSON file that is both a spec and a data file (the spec keeps unknown
top-level keys), so ``neuronet verify CASE.json --backend B`` replays it.

A :class:`Scope` narrows the draws to what a backend implements
(``--activations``, ``--losses``, ``--max-layers``, ``--max-width``,
``--batch``).  With ``--activations`` the input layer stays plain (identity,
no trainable biases: 004 §2.5's input activation and biases are an extension
few backends implement).  The unscoped draws are exactly the ones a
:class:`Scope` with its defaults makes, so old seeds replay the same cases.

A backend may decline a case (raise ``NotImplementedError`` or return
``None``): :func:`run` counts it and goes on; declines are not failures.
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass, field

from ...engine.activations import ACTIVATIONS
from ...errors import DataError, NumericError
from ...engine.losses import LOSSES
from ...io.spec import atomic_write
from .contract import BackendError, BackendLoadError
from .compare import Outcome, Report, check

ACTS = sorted(ACTIVATIONS)
LOSS_NAMES = sorted(LOSSES)
# losses that take a logarithm of the outputs need outputs in (0, 1)
OUTPUTS_FOR = {name: (["sigmoid", "softmax"] if name in ("bce", "cross_entropy") else ACTS) for name in LOSS_NAMES}


def names(text: str, allowed, what: str) -> list[str]:
    """A comma-separated list of names, each one of ``allowed``."""
    got = [t.strip() for t in text.split(",") if t.strip()]
    bad = [t for t in got if t not in allowed]
    if bad or not got:
        raise DataError(f"{what} must be a comma-separated list of {', '.join(sorted(allowed))}; "
                        f"got {text!r}")
    return sorted(set(got))


#: the largest random case verify --random may draw (checked before drawing)
MAX_DRAWN_PARAMS = 1_000_000
MAX_DRAWN_VALUES = 1_000_000

@dataclass(frozen=True)
class Scope:
    """What the random cases may contain.  ``activations``/``losses`` None:
    every one; layers counts the input layer (2 … max_layers); widths
    1 … max_width (a softmax layer needs 2); batches 1 … batch samples."""
    activations: tuple | None = None
    losses: tuple | None = None
    max_layers: int = 4
    max_width: int = 5
    batch: int = 4

    def acts(self) -> list[str]:
        acts = list(self.activations) if self.activations is not None else ACTS
        return [a for a in acts if a != "softmax" or self.max_width >= 2]

    def pairs(self) -> list[tuple[str, list[str]]]:
        """(loss, output activations that suit it) for every loss in scope."""
        acts = self.acts()
        out = []
        for loss in (self.losses if self.losses is not None else LOSS_NAMES):
            outs = [a for a in OUTPUTS_FOR[loss] if a in acts]
            if outs:
                out.append((loss, outs))
        return out

    def validate(self) -> "Scope":
        if self.max_layers < 2:
            raise DataError(f"--max-layers must be at least 2 (an input and an output layer), got {self.max_layers}")
        if self.max_width < 1 or self.batch < 1:
            raise DataError("--max-width and --batch must be at least 1")
        # bound the draws before one is made: the biggest case this scope can draw
        params = (self.max_layers - 1) * self.max_width * (self.max_width + 1)
        if params > MAX_DRAWN_PARAMS:
            raise DataError(f"--max-layers {self.max_layers} × --max-width {self.max_width} can draw networks of "
                            f"{params:,} parameters, more than the {MAX_DRAWN_PARAMS:,} a random case may have")
        if self.batch * self.max_width > MAX_DRAWN_VALUES:
            raise DataError(f"--batch {self.batch} × --max-width {self.max_width} can draw "
                            f"{self.batch * self.max_width:,} sample values, more than the "
                            f"{MAX_DRAWN_VALUES:,} a random case may have")
        if not self.acts():
            raise DataError("no activation in --activations fits --max-width 1 (softmax needs 2 neurons)")
        if not self.pairs():
            raise DataError("no output activation in --activations suits any loss in --losses "
                            "(bce and cross_entropy need sigmoid or softmax outputs)")
        return self

    def describe(self) -> str:
        parts = []
        if self.activations is not None:
            parts.append("activations " + ", ".join(self.acts()) + " (input layer plain)")
        if self.losses is not None:
            parts.append("losses " + ", ".join(l for l, _ in self.pairs()))
        if self.max_layers != 4:
            parts.append(f"≤ {self.max_layers} layers")
        if self.max_width != 5:
            parts.append(f"≤ {self.max_width} neurons a layer")
        if self.batch != 4:
            parts.append(f"batches of ≤ {self.batch}")
        return "; ".join(parts)


DEFAULT = Scope()


def case(rng: random.Random, k: int = 0, scope: Scope = DEFAULT):
    """One random ``(spec, inputs, targets, reduction)``; ``k`` picks the loss
    and output activation in turn."""
    pairs = scope.pairs()
    loss, outs = pairs[k % len(pairs)]
    out_act = outs[(k // len(pairs)) % len(outs)]
    acts_in_scope = scope.acts()
    n_layers = rng.randint(2, scope.max_layers)
    sizes = [rng.randint(1, scope.max_width) for _ in range(n_layers)]
    plain_input = scope.activations is not None
    first = "identity" if plain_input else rng.choice(["identity", "identity"] + ACTS)
    acts = [first] + [rng.choice(acts_in_scope) for _ in range(n_layers - 2)] + [out_act]
    sizes = [max(n, 2) if a == "softmax" else n for n, a in zip(sizes, acts)]

    def u(lo, hi, n):
        return [rng.uniform(lo, hi) for _ in range(n)]

    layers = [{"size": sizes[0], "activation": acts[0]}]
    if not plain_input and rng.random() < 0.3:
        layers[0]["biases"] = u(-0.5, 0.5, sizes[0])
    for l in range(1, n_layers):
        layers.append({"size": sizes[l], "activation": acts[l],
                       "weights": [u(-1.5, 1.5, sizes[l]) for _ in range(sizes[l - 1])],
                       "biases": u(-0.5, 0.5, sizes[l])})
    n = rng.randint(1, scope.batch)
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


@dataclass
class Run:
    """What :func:`run` found: ``checked`` cases answered and compared,
    ``declined`` [(k, reason)], and the first ``failure``
    ``(k, spec, xs, ys, reduction, outcome)`` or None."""
    checked: int = 0
    declined: list = field(default_factory=list)
    failure: tuple | None = None
    margins: list = field(default_factory=list)    # [(k, worst margin of case k)] for the cases checked

    @property
    def margin(self) -> tuple | None:
        """(k, margin) of the case with the worst margin, or None."""
        return max(self.margins, key=lambda km: km[1]) if self.margins else None


def run(backend, n: int, seed: int, rtol: float, atol: float, scope: Scope = DEFAULT,
        dtype: str | None = None) -> Run:
    """Check ``n`` random cases, stopping at the first disagreement (a
    backend that raised, died or hung included).  Cases the reference itself
    cannot compute (a log of 0 in the loss) are drawn again; cases the
    backend declines are counted.  ``dtype``: the backend's number type
    (rounding budgets, :func:`.compare.check`)."""
    rng = random.Random(seed)
    result = Run()
    for k in range(n):
        for _ in range(20):
            spec, xs, ys, reduction = case(rng, k, scope)
            try:
                outcome: Outcome = check(spec, xs, ys, backend, reduction, rtol, atol, dtype=dtype)
            except NumericError:
                continue
            except BackendLoadError:
                raise
            except BackendError as e:   # an answer of the wrong shape fails this case
                outcome = Outcome(Report([], rtol, atol, error=e.format()), None, None, None, xs, ys, reduction)
            break
        else:
            continue
        if outcome.report.declined is not None:
            result.declined.append((k, outcome.report.declined))
            continue
        result.checked += 1
        if outcome.report.error is None:
            result.margins.append((k, outcome.report.margin))
        if not outcome.report.ok:
            result.failure = (k, spec, xs, ys, reduction, outcome)
            return result
    return result


def save_case(path: str, spec: dict, xs, ys, reduction: str, note: str) -> None:
    """One file that is a spec and a data file at once (atomic)."""
    doc = {"name": note, **spec, "inputs": xs, "targets": ys, "reduction": reduction}
    atomic_write(path, json.dumps(doc, indent=1, allow_nan=False) + "\n")
