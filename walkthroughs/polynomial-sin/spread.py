"""The spread of 004 §4.1.1's result over seeds (004's own code is unseeded).

Runs the text's numpy loop *literally* (004_69dfc149af69048d.txt §4.1.1, lines
1–31: a, b, c, d = np.random.randn() four times, 2000 steps of η = 1e-6 on
loss = Σ (y_pred − y)²) once per seed, with np.random.seed(seed) first, and
prints the mean ± sd of a, b, c, d and where the text's printed result falls.
It needs numpy; it is not part of the test suite (1–3 minutes for 200 seeds):

    python walkthroughs/polynomial-sin/spread.py            # seeds 0–199
    python walkthroughs/polynomial-sin/spread.py 1000       # seeds 0–999

The walkthrough's narrative (README.md) quotes this script's output.
"""
import math
import statistics
import sys
import tomllib
from pathlib import Path

import numpy as np

# 004 §4.1.1's printed result, from the data file beside this script
_DOC = tomllib.loads((Path(__file__).with_name("printed.toml")).read_text(encoding="utf-8"))
PRINTED = {k: float(v) for k, v in _DOC["result"].items()}


def text_loop(seed: int) -> dict:
    """004 §4.1.1's code, line for line, after np.random.seed(seed)."""
    np.random.seed(seed)
    x = np.linspace(-math.pi, math.pi, 2000)
    y = np.sin(x)
    a = np.random.randn()
    b = np.random.randn()
    c = np.random.randn()
    d = np.random.randn()
    start = {"a": a, "b": b, "c": c, "d": d}
    learning_rate = 1e-6
    for t in range(2000):
        y_pred = a + b * x + c * x ** 2 + d * x ** 3
        grad_y_pred = 2.0 * (y_pred - y)
        grad_a = grad_y_pred.sum()
        grad_b = (grad_y_pred * x).sum()
        grad_c = (grad_y_pred * x ** 2).sum()
        grad_d = (grad_y_pred * x ** 3).sum()
        a -= learning_rate * grad_a
        b -= learning_rate * grad_b
        c -= learning_rate * grad_c
        d -= learning_rate * grad_d
    return {"a": float(a), "b": float(b), "c": float(c), "d": float(d), "start": start}


def main(n: int = 200) -> None:
    runs = [text_loop(s) for s in range(n)]
    print(f"004 §4.1.1's loop, seeds 0–{n - 1} (np.random.seed), numpy {np.__version__}:")
    for k in "abcd":
        v = [r[k] for r in runs]
        m, sd = statistics.fmean(v), statistics.stdev(v)
        z = (PRINTED[k] - m) / sd
        print(f"  {k}: mean {m:+.4f}, sd {sd:.4f}, range [{min(v):+.4f}, {max(v):+.4f}];  "
              f"the text's {PRINTED[k]:+.4f} is {z:+.2f} sd from the mean")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
