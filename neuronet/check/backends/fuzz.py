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
:class:`Scope` with its defaults makes, so old seeds replay the same cases
(tests/check/test_fuzz_draws.py holds a frozen copy of the draw to prove it).

A :class:`Scope` also shapes the draws like real backends' workloads
(``--hidden-activation``, ``--tie-output``, ``--hard-labels``, ``--init``,
``--min-width`` … ``--max-width`` up to 1,024, ``--input-width``,
``--output-width``, ``--min-batch`` …
``--batch`` up to 256); each such option changes the draws.

:func:`run` keeps every answered case's worst margin
(:attr:`.report.Report.worst_margin`) in ``Run.margins``.

A backend may decline a case (raise ``NotImplementedError`` or return
``None``): :func:`run` counts it and goes on; declines are not failures.
"""
from __future__ import annotations

import json
import math
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
# --tie-output: the pairings real classifiers use
TIED = {"cross_entropy": ["softmax"], "bce": ["sigmoid"]}


def names(text: str, allowed, what: str) -> list[str]:
    """A comma-separated list of names, each one of ``allowed``."""
    got = [t.strip() for t in text.split(",") if t.strip()]
    bad = [t for t in got if t not in allowed]
    if bad or not got:
        raise DataError(f"{what} must be a comma-separated list of {', '.join(sorted(allowed))}; "
                        f"got {text!r}")
    return sorted(set(got))


#: the largest random case verify --random may draw (checked before drawing)
MAX_DRAWN_PARAMS = 4_000_000     # four 1,024-wide layers fit
MAX_DRAWN_VALUES = 1_000_000
INITS = ("uniform", "xavier", "he", "torch")
MAX_WIDTH, MAX_BATCH = 1024, 256      # the per-neuron reference's pure Python sets the bounds


@dataclass(frozen=True)
class Scope:
    """What the random cases may contain.  ``activations``/``losses`` None:
    every one; layers counts the input layer (2 … max_layers); widths
    min_width … max_width (a softmax layer needs 2); batches min_batch …
    batch samples.

    Shaped like real backends: ``hidden`` fixes the hidden layers'
    activations (drawn from these only); ``tie`` ties the output activation
    to the loss (softmax with cross_entropy, sigmoid with bce); ``hard``
    gives every loss one-hot targets (one class per sample); ``init``
    draws weights as "uniform" U(−1.5, 1.5) and biases U(−0.5, 0.5) (the
    original draws), "xavier" U(±√(6/(fan_in + fan_out))), "he"
    N(0, 2/fan_in), or "torch" U(±1/√fan_in) (nn.Linear's default); with
    the last three, biases are U(±1/√fan_in).  ``activations`` or
    ``hidden`` keep the input layer plain."""
    activations: tuple | None = None
    losses: tuple | None = None
    max_layers: int = 4
    max_width: int = 5
    batch: int = 4
    hidden: tuple | None = None
    tie: bool = False
    hard: bool = False
    init: str = "uniform"
    min_width: int = 1
    min_batch: int = 1
    input_width: int | None = None      # fixes layer 0's width (784: an MNIST image)
    output_width: int | None = None     # fixes the output layer's width (10 classes)

    def acts(self) -> list[str]:
        acts = list(self.activations) if self.activations is not None else ACTS
        return [a for a in acts if a != "softmax" or self.max_width >= 2]

    def hidden_acts(self) -> list[str]:
        return [a for a in self.hidden if a != "softmax" or self.max_width >= 2] if self.hidden else self.acts()

    def plain_input(self) -> bool:
        return self.activations is not None or self.hidden is not None

    def pairs(self) -> list[tuple[str, list[str]]]:
        """(loss, output activations that suit it) for every loss in scope."""
        acts = self.acts()
        out = []
        for loss in (self.losses if self.losses is not None else LOSS_NAMES):
            suits = TIED.get(loss, OUTPUTS_FOR[loss]) if self.tie else OUTPUTS_FOR[loss]
            outs = [a for a in suits if a in acts]
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
        if self.max_width > MAX_WIDTH or self.batch > MAX_BATCH:
            raise DataError(f"--max-width goes up to {MAX_WIDTH} and --batch up to {MAX_BATCH} "
                            f"(the per-neuron reference is pure Python); got {self.max_width} and {self.batch}")
        if not 1 <= self.min_width <= self.max_width:
            raise DataError(f"--min-width must be 1 … --max-width ({self.max_width}), got {self.min_width}")
        if not 1 <= self.min_batch <= self.batch:
            raise DataError(f"--min-batch must be 1 … --batch ({self.batch}), got {self.min_batch}")
        for flag, w in (("--input-width", self.input_width), ("--output-width", self.output_width)):
            if w is not None and not 1 <= w <= MAX_WIDTH:
                raise DataError(f"{flag} must be 1 … {MAX_WIDTH}, got {w}")
        if self.init not in INITS:
            raise DataError(f"--init must be one of {', '.join(INITS)}, got {self.init!r}")
        if not self.acts():
            raise DataError("no activation in --activations fits --max-width 1 (softmax needs 2 neurons)")
        if self.hidden is not None and not self.hidden_acts():
            raise DataError("no activation in --hidden-activation fits --max-width 1 (softmax needs 2 neurons)")
        if not self.pairs():
            raise DataError("no output activation in --activations suits any loss in --losses "
                            "(bce and cross_entropy need sigmoid or softmax outputs"
                            + ("; --tie-output: softmax with cross_entropy, sigmoid with bce)" if self.tie else ")"))
        return self

    def describe(self) -> str:
        parts = []
        if self.activations is not None:
            parts.append("activations " + ", ".join(self.acts()) + " (input layer plain)")
        if self.hidden is not None:
            parts.append("hidden " + ", ".join(self.hidden_acts())
                         + (" (input layer plain)" if self.activations is None else ""))
        if self.losses is not None:
            parts.append("losses " + ", ".join(l for l, _ in self.pairs()))
        if self.tie:
            parts.append("output tied to the loss")
        if self.hard:
            parts.append("one-hot targets")
        if self.init != "uniform":
            parts.append(f"{self.init} init")
        if self.max_layers != 4:
            parts.append(f"≤ {self.max_layers} layers")
        if self.min_width != 1:
            parts.append(f"≥ {self.min_width} neurons a layer")
        if self.max_width != 5:
            parts.append(f"≤ {self.max_width} neurons a layer")
        if self.input_width is not None:
            parts.append(f"{self.input_width} inputs")
        if self.output_width is not None:
            parts.append(f"{self.output_width} outputs")
        if self.min_batch != 1:
            parts.append(f"batches of ≥ {self.min_batch}")
        if self.batch != 4:
            parts.append(f"batches of ≤ {self.batch}")
        return "; ".join(parts)


DEFAULT = Scope()


def _layer(rng: random.Random, init: str, n_from: int, n_to: int):
    """One layer's weights [from][to] and biases, drawn as ``init`` says."""
    if init == "uniform":           # the original draws, in their original order
        weights = [[rng.uniform(-1.5, 1.5) for _ in range(n_to)] for _ in range(n_from)]
        return weights, [rng.uniform(-0.5, 0.5) for _ in range(n_to)]
    if init == "he":
        sd = math.sqrt(2.0 / n_from)
        weights = [[rng.gauss(0.0, sd) for _ in range(n_to)] for _ in range(n_from)]
    else:
        bound = math.sqrt(6.0 / (n_from + n_to)) if init == "xavier" else 1.0 / math.sqrt(n_from)
        weights = [[rng.uniform(-bound, bound) for _ in range(n_to)] for _ in range(n_from)]
    b = 1.0 / math.sqrt(n_from)
    return weights, [rng.uniform(-b, b) for _ in range(n_to)]


def case(rng: random.Random, k: int = 0, scope: Scope = DEFAULT):
    """One random ``(spec, inputs, targets, reduction)``; ``k`` picks the loss
    and output activation in turn."""
    pairs = scope.pairs()
    loss, outs = pairs[k % len(pairs)]
    out_act = outs[(k // len(pairs)) % len(outs)]
    hidden = scope.hidden_acts()
    n_layers = rng.randint(2, scope.max_layers)
    sizes = [rng.randint(scope.min_width, scope.max_width) for _ in range(n_layers)]
    if scope.input_width is not None:
        sizes[0] = scope.input_width
    if scope.output_width is not None:
        sizes[-1] = scope.output_width
    plain_input = scope.plain_input()
    first = "identity" if plain_input else rng.choice(["identity", "identity"] + ACTS)
    acts = [first] + [rng.choice(hidden) for _ in range(n_layers - 2)] + [out_act]
    sizes = [max(n, 2) if a == "softmax" else n for n, a in zip(sizes, acts)]

    def u(lo, hi, n):
        return [rng.uniform(lo, hi) for _ in range(n)]

    layers = [{"size": sizes[0], "activation": acts[0]}]
    if not plain_input and rng.random() < 0.3:
        layers[0]["biases"] = u(-0.5, 0.5, sizes[0])
    for l in range(1, n_layers):
        weights, biases = _layer(rng, scope.init, sizes[l - 1], sizes[l])
        layers.append({"size": sizes[l], "activation": acts[l], "weights": weights, "biases": biases})
    n = rng.randint(scope.min_batch, scope.batch)
    xs = [u(-2.0, 2.0, sizes[0]) for _ in range(n)]
    K = sizes[-1]
    if loss == "cross_entropy" or scope.hard:     # one-hot targets (000, 003)
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
    ``declined`` [(k, reason)], the first ``failure``
    ``(k, spec, xs, ys, reduction, outcome)`` or None, and ``margins``
    [(k, :attr:`Report.worst_margin <.report.Report.worst_margin>`)] of every
    case answered (the failing one too), in case order; ``inconclusive``
    [(k, how many numbers)] the cases where nothing was beyond rounding but
    some numbers could not be judged (no finite budget in the type): like a
    declined case, not verified, and said."""
    checked: int = 0
    declined: list = field(default_factory=list)
    inconclusive: list = field(default_factory=list)
    failure: tuple | None = None
    margins: list = field(default_factory=list)

    @property
    def worst(self) -> tuple | None:
        """``(k, margin)`` of the case that came closest to disagreeing
        (the first of equals); None when no case was answered."""
        best = None
        for k, m in self.margins:
            if best is None or m > best[1]:
                best = (k, m)
        return best


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
        if outcome.report.inconclusive:
            result.inconclusive.append((k, outcome.report.unjudged))
            continue
        result.checked += 1
        result.margins.append((k, outcome.report.worst_margin))
        if not outcome.report.ok:
            result.failure = (k, spec, xs, ys, reduction, outcome)
            return result
    return result


def save_case(path: str, spec: dict, xs, ys, reduction: str, note: str) -> None:
    """One file that is a spec and a data file at once (atomic)."""
    doc = {"name": note, **spec, "inputs": xs, "targets": ys, "reduction": reduction}
    atomic_write(path, json.dumps(doc, indent=1, allow_nan=False) + "\n")
