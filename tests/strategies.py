"""Hypothesis strategies shared by the property tests: random networks over
every activation and loss, with a batch of samples."""
from hypothesis import strategies as st

from neuronet.engine.activations import ACTIVATIONS
from neuronet.engine.losses import LOSSES

ACTS = sorted(ACTIVATIONS)
LOSS_NAMES = sorted(LOSSES)


@st.composite
def problems(draw, max_batch: int = 4):
    """(spec, xs, ys): 1–4 weight layers of 1–6 neurons (softmax layers ≥ 2),
    weights and biases in [−1.5, 1.5], sometimes input biases, a batch of
    1–max_batch samples; targets in [0, 1] for the log losses."""
    n_weight_layers = draw(st.integers(1, 4))
    sizes = [draw(st.integers(1, 6)) for _ in range(n_weight_layers + 1)]
    acts = [draw(st.sampled_from(["identity"] + ACTS))] + [draw(st.sampled_from(ACTS)) for _ in sizes[1:]]
    sizes = [max(n, 2) if a == "softmax" else n for n, a in zip(sizes, acts)]
    loss = draw(st.sampled_from(LOSS_NAMES))
    val = st.floats(-1.5, 1.5, allow_nan=False)
    layers = [{"size": sizes[0], "activation": acts[0]}]
    if draw(st.booleans()):
        layers[0]["biases"] = draw(st.lists(val, min_size=sizes[0], max_size=sizes[0]))
    for l in range(1, len(sizes)):
        layers.append({
            "size": sizes[l], "activation": acts[l],
            "weights": [draw(st.lists(val, min_size=sizes[l], max_size=sizes[l])) for _ in range(sizes[l - 1])],
            "biases": draw(st.lists(val, min_size=sizes[l], max_size=sizes[l])),
        })
    n = draw(st.integers(1, max_batch))
    xs = [draw(st.lists(st.floats(-2, 2, allow_nan=False), min_size=sizes[0], max_size=sizes[0])) for _ in range(n)]
    y = st.floats(0, 1, allow_nan=False) if loss in ("bce", "cross_entropy") else st.floats(-2, 2, allow_nan=False)
    ys = [draw(st.lists(y, min_size=sizes[-1], max_size=sizes[-1])) for _ in range(n)]
    return {"loss": loss, "layers": layers}, xs, ys
