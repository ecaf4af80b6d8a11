"""Event.to_json is the documented JSON Lines record: exactly what the
standard library's json makes of Event.to_dict() — checked against json
itself (the independent reference), with orjson and without."""
import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import neuronet.engine.events as events
from neuronet import NumericError
from neuronet.engine.events import KINDS, TERMS, Event

finite = st.one_of(st.floats(allow_nan=False, allow_infinity=False), st.integers(-10**6, 10**6))
KIND = st.sampled_from(sorted(k for k in KINDS if k != "loss"))


@pytest.fixture(params=["orjson", "stdlib"])
def encoder(request, monkeypatch):
    if request.param == "orjson":
        pytest.importorskip("orjson")
    else:
        monkeypatch.setattr(events, "_orjson", None)
    return request.param


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_to_json_reads_back_as_to_dict(data):
    for path in ("orjson", "stdlib"):
        saved = events._orjson
        if path == "stdlib":
            events._orjson = None
        elif saved is None:
            continue
        try:
            kind = data.draw(KIND)
            terms = tuple((n, data.draw(finite)) for n in TERMS[kind])
            e = Event(kind, data.draw(st.integers(0, 5)), data.draw(st.integers(-1, 800)), data.draw(finite),
                      terms, data.draw(st.one_of(st.none(), st.integers(0, 800))), data.draw(st.integers(-1, 4)),
                      data.draw(st.sampled_from(["", "sigmoid", "softmax", "mean", 'quo"te'])))
            line = e.to_json()
            assert json.loads(line) == e.to_dict()
            assert line == json.dumps(e.to_dict(), ensure_ascii=False, separators=(", ", ": ")) or path == "orjson"
        finally:
            events._orjson = saved


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
@pytest.mark.parametrize("where", ["value", "term"])
def test_non_finite_numbers_are_refused_not_written(encoder, bad, where):
    value, w = (bad, 0.5) if where == "value" else (0.5, bad)
    e = Event("product", 2, 1, value, (("w", w), ("a", 0.25)), source=3)
    with pytest.raises(NumericError, match="non-finite number in the trace: product of layer 2, neuron 1, source 3"):
        e.to_json()


def test_big_finite_numbers_are_written(encoder):
    e = Event("product", 1, 0, 1e308, (("w", 1e308), ("a", 1e308)), source=0)
    assert json.loads(e.to_json())["value"] == 1e308
