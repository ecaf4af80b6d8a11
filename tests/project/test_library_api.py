"""Misuse of the library API gets the project's own error (a ValueError) with
one clear message — never a silent truncation, a ZeroDivisionError or a
number computed from a NaN."""
import math

import pytest

import neuronet
from neuronet import DataError, NeuronetError

SPEC = {"loss": "half_sse", "layers": [
    {"size": 2}, {"size": 2, "activation": "sigmoid", "weights": [[0.1, 0.2], [0.3, 0.4]], "biases": [0.0, 0.0]}]}


@pytest.fixture
def net():
    return neuronet.from_dict(SPEC)


@pytest.mark.parametrize("call, words", [
    (lambda n: n.forward([1, 0, 7]), "input 0 has 3 numbers; the network's layer has 2"),
    (lambda n: n.forward([1]), "input 0 has 1 number;"),
    (lambda n: n.forward(["a", 0]), "must be a list of numbers"),
    (lambda n: n.forward(None), "must be a list of numbers"),
    (lambda n: n.forward([math.nan, 0]), "non-finite"),
    (lambda n: (n.forward([1, 0]), n.loss_of([]))[1], "target 0 has 0 numbers"),
    (lambda n: (n.forward([1, 0]), n.loss_of([0, 1, 1]))[1], "target 0 has 3 numbers"),
    (lambda n: (n.forward([1, 0]), n.backward([0, 1, 1]))[1], "target 0 has 3 numbers"),
    (lambda n: n.correct(math.nan), "η (eta) must be a finite number"),
    (lambda n: n.correct(0.5, math.inf), "η_b (eta_b) must be a finite number"),
    (lambda n: n.step([], [], 0.5), "the batch is empty"),
    (lambda n: n.step([[1, 0]], [], 0.5), "1 inputs but 0 targets"),
    (lambda n: n.step([[1, 0]], [[0, 1]], 0.5, reduction="median"), "reduction must be 'mean' or 'sum'"),
    (lambda n: n.gradients([], []), "the batch is empty"),
])
def test_misuse_is_one_clear_error(net, call, words):
    before = neuronet.to_dict(net)
    with pytest.raises(DataError) as info:
        call(net)
    assert words in str(info.value)
    assert isinstance(info.value, ValueError) and isinstance(info.value, NeuronetError)
    if "reduction" in words or "batch" in words or "targets" in words:
        assert neuronet.to_dict(net) == before          # refused before any weight moved


def test_a_right_call_still_works(net):
    assert net.step([[1, 0]], [[0, 1]], 0.5) > 0
