"""004_69dfc149af69048d.txt §3.2.3: the Δw matrix built by broadcasting.

004 builds Δw without loops: the activations a_j broadcast into rows
(eq. 45), the δ_k reshaped into a column and broadcast into columns
(eq. 44), and their elementwise product (eq. 43).  Part 1 rebuilds the
three arrays the text prints (walkthroughs/broadcast-delta-w/printed.toml
holds the printouts verbatim) and compares every number.  Part 2 does the
same on a real layer — 002's W_d after its worked forward and backward pass —
and compares the product with the engine's ∂E/∂w and the step with the
engine's step; the text's `np.multiply(...)` is δ_k·a_j, so the correction
is Δw = −η·(that) (eq. 39).

numpy is optional: without it the same arrays are built from lists with
numpy's broadcasting rule (repeat the row / the column), and the note says so.
"""
from __future__ import annotations

import re

from ...engine import passes
from ...errors import DataError
from ...io import files
from ._common import max_abs_diff, network, samples
from ...present.numbers import fixed, fmt


def _numbers(text: str) -> list[float]:
    return [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", text)]


def _rows(text: str) -> int:
    return sum(1 for line in text.strip().splitlines() if line.strip().startswith(("[", "[[")))


def broadcast_rows(vector, rows):
    """np.broadcast_to(vector, (rows, len(vector))): the row repeated."""
    return [list(vector) for _ in range(rows)]


def broadcast_column(column, cols):
    """np.broadcast_to(column, (len(column), cols)) of a (n, 1) column."""
    return [[row[0]] * cols for row in column]


def _np():
    try:
        import numpy
    except ImportError:
        return None
    return numpy


def _show(np, array) -> list[str]:
    if np is not None:
        return str(np.asarray(array)).splitlines()
    return [("[" if k == 0 else " ") + "[" + " ".join(f"{fmt(v, 6)}" for v in row) + "]"
            + ("]" if k == len(array) - 1 else "") for k, row in enumerate(array)]


def run(w, options, report) -> None:
    p = w.params
    np = _np()
    path = w.path(p.get("printed", "printed.toml"))
    doc = files.parse_toml(files.read_text(path, DataError, "printed-numbers file"), DataError, str(path))
    shown = {k: d for k, d in zip(("as", "col", "mat"), doc.get("printout", []))}
    if len(shown) != 3:
        raise DataError("needs the three [[printout]] tables of 004 §3.2.3", source=str(path))
    if np is None:
        report.notes.append("numpy absent: the arrays are built from lists with numpy's broadcasting rule")

    # -- part 1: the text's three printouts --------------------------------------
    as_vector = [0.5, 0.2, 0.3, 0.1]
    delta = [1, 2, 3, 4]
    if np is not None:
        a5 = np.broadcast_to(as_vector, (5, len(as_vector)))
        col = np.reshape(np.array(delta), (len(delta), 1))
        mat = np.broadcast_to(col, (len(delta), len(as_vector)))
        built = {"as": a5.tolist(), "col": col.tolist(), "mat": mat.tolist()}
    else:
        col = [[v] for v in delta]
        built = {"as": broadcast_rows(as_vector, 5), "col": col,
                 "mat": broadcast_column(col, len(as_vector))}
    for key, d in shown.items():
        sec = report.section(f"004 §3.2.3, printout {len(report.sections) + 1}")
        sec.lines += [f"  {d['code']}", f"  given {d['given']}"]
        ours = built[key]
        sec.lines.append("  ours:" + ("" if np is None else "  (numpy's print)"))
        sec.lines += ["    " + line for line in _show(np, ours)]
        sec.lines.append("  the text prints:")
        sec.lines += ["    " + line for line in d["printout"].strip().splitlines()]
        text_numbers = _numbers(d["printout"])
        flat = [v for row in ours for v in row]
        sec.lines.append(f"  shape: ours {len(ours)}×{len(ours[0])}, the text's {_rows(d['printout'])} rows of "
                         f"{len(text_numbers) // max(_rows(d['printout']), 1)}")
        for k, (o, t) in enumerate(zip(flat, text_numbers)):
            r, c = divmod(k, len(ours[0]))
            report.check(f"{d['code'].split('(')[0]}[{r}][{c}]", o, t, 0.0, f"004 {d['section']}",
                         kind="printed")
        if len(flat) != len(text_numbers):
            report.check(f"{d['code']}: count of numbers", len(flat), len(text_numbers), 0, f"004 {d['section']}",
                         kind="printed")
    report.section("What the printouts show").lines += [
        "  every number and every shape is numpy's; the layout is not all numpy's print:",
        "  numpy prints the column as [[1] [2] [3] [4]] without the text's extra spaces, and the",
        "  4×4 matrix without commas (the commas are Python's list form, .tolist()); the full",
        "  stop after the first printout is the sentence's.",
    ]

    # -- part 2: a real layer --------------------------------------------------------
    eta = float(p.get("eta", 0.5))
    net = network(w, p.get("spec", "network.toml"))
    xs, ys = samples(w, net)
    k = int(p.get("sample", 1))
    passes.forward(net, xs[k])
    passes.backward(net, ys[k])
    a_c = [n.a for n in net.layers[2]]                    # as_vector: activations of layer c
    d_d = [n.delta for n in net.layers[3]]                # deltas[ahead]: δ of layer d
    if np is not None:
        mat_activations = np.broadcast_to(a_c, (len(d_d), len(a_c)))
        ds_vector = np.array(d_d).reshape((len(d_d), 1))
        mat_deltas = np.broadcast_to(ds_vector, (len(d_d), len(a_c)))
        product = np.multiply(mat_activations, mat_deltas).tolist()
    else:
        product = [[x * y for x, y in zip(ra, rd)] for ra, rd in
                   zip(broadcast_rows(a_c, len(d_d)), broadcast_column([[v] for v in d_d], len(a_c)))]
    _, _, grads, _ = passes.gradients(net, xs[k:k + 1], ys[k:k + 1])
    engine = [[grads[2]["weights"][j][kk] for j in range(len(a_c))] for kk in range(len(d_d))]   # [to][from]
    diff = max_abs_diff(product, engine)
    stepped = net.copy()
    passes.step(stepped, xs[k:k + 1], ys[k:k + 1], eta, 0.0)
    by_hand = [[net.layers[2][j].w[kk] - eta * product[kk][j] for j in range(len(a_c))] for kk in range(len(d_d))]
    after = [[stepped.layers[2][j].w[kk] for j in range(len(a_c))] for kk in range(len(d_d))]
    step_diff = max_abs_diff(by_hand, after)
    sec = report.section(f"A real layer: 002's W_d after its worked pass (a = ({fmt(xs[k][0], 6)}, {fmt(xs[k][1], 6)}))")
    sec.lines += [
        "  as_vector = out_c = [" + ", ".join(f"{fixed(v, 4)}" for v in a_c) + "],  deltas[ahead] = δ_d = ["
        + ", ".join(f"{fixed(v, 4)}".replace("-", "−") for v in d_d) + "]",
        "  np.multiply(mat_activations, mat_deltas) = δ_k·a_j (rows: d1, d2; columns: c1, c2, c3):",
    ] + ["    [" + "  ".join(f"{fixed(v, 4)}".replace("-", "−") for v in row) + "]" for row in product] + [
        f"  = the engine's ∂E/∂w (largest difference {fmt(diff, 2)}) — 002's W_dg, 0.0998 0.1133 0.1236 …",
        f"  Δw = −η·(that), η = {fmt(eta, 6)} (eq. 39; the text's np.multiply line leaves out −η):",
        f"  W_d + Δw = the engine's step (largest difference {fmt(step_diff, 2)})",
    ]
    report.difference("np.multiply(mat_activations, mat_deltas) = engine ∂E/∂w_d", diff, 1e-15,
                 "004 eq. (43) against the per-neuron engine", kind="engine")
    report.difference("W_d − η·np.multiply(…) = the engine's step", step_diff, 1e-15,
                 "004 eq. (39), (42) against the per-neuron engine", kind="engine")
    report.numbers.update({"product": product, "engine": engine, "numpy": np is not None})
