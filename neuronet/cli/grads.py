"""neuronet grads: the batch loss, outputs and every ∂L/∂w, ∂L/∂b as JSON."""
from __future__ import annotations

import json
import sys

from ..engine import finite
from ._common import add_reduction, add_samples, add_spec, load_net, load_samples

NAME = "grads"
ORDER = 10
HELP = "print the loss, outputs and all gradients of a batch (JSON)"


def add_arguments(p) -> None:
    add_spec(p)
    add_samples(p)
    add_reduction(p)
    p.add_argument("--format", choices=("json", "text"), default="json")


def result(net, xs, ys, reduction: str) -> dict:
    """The machine contract shared with `verify`'s file: backends.
    :class:`~neuronet.errors.NonFiniteError` if any number is not finite."""
    L, outputs, grads, input_biases = finite.check_gradients(net, xs, ys, reduction)
    out = {"loss": L, "outputs": outputs, "gradients": grads}
    if input_biases is not None:
        out["input_biases"] = input_biases
    return out


def run(args) -> int:
    net = load_net(args)
    xs, ys = load_samples(args, net)
    r = result(net, xs, ys, args.reduction)
    if args.format == "json":
        sys.stdout.write(json.dumps(r, indent=1, allow_nan=False) + "\n")
        return 0
    w = sys.stdout.write
    w(f"loss ({args.reduction} over {len(xs)} sample{'s' if len(xs) != 1 else ''}): {r['loss']:.10g}\n")
    for s, o in enumerate(r["outputs"]):
        w(f"outputs[{s}]: " + ", ".join(f"{v:.10g}" for v in o) + "\n")
    for l, g in enumerate(r["gradients"], 1):
        w(f"\nlayer {l}  ∂L/∂w[i][j] (rows i = layer {l - 1}, columns j = layer {l})\n")
        for row in g["weights"]:
            w("  " + "  ".join(f"{v:>14.8g}" for v in row) + "\n")
        w(f"layer {l}  ∂L/∂b[j]\n  " + "  ".join(f"{v:>14.8g}" for v in g["biases"]) + "\n")
    if "input_biases" in r:
        w("\nlayer 0  ∂L/∂b[i]\n  " + "  ".join(f"{v:>14.8g}" for v in r["input_biases"]) + "\n")
    return 0
