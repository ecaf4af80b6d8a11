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


def each_encoder():
    """Runs the loop's body with orjson (when installed), then with the
    standard library's encoder; a hypothesis test cannot take a fixture."""
    saved = events._orjson
    try:
        for path in ("orjson", "stdlib"):
            if path == "orjson" and saved is None:
                continue
            events._orjson = saved if path == "orjson" else None
            yield path
    finally:
        events._orjson = saved


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_to_json_reads_back_as_to_dict(data):
    for path in each_encoder():
        kind = data.draw(KIND)
        terms = tuple((n, data.draw(finite)) for n in TERMS[kind])
        e = Event(kind, data.draw(st.integers(0, 5)), data.draw(st.integers(-1, 800)), data.draw(finite),
                  terms, data.draw(st.one_of(st.none(), st.integers(0, 800))), data.draw(st.integers(-1, 4)),
                  data.draw(st.sampled_from(["", "sigmoid", "softmax", "mean", 'quo"te'])))
        line = e.to_json()
        assert json.loads(line) == e.to_dict()
        assert line == json.dumps(e.to_dict(), ensure_ascii=False, separators=(", ", ": ")) or path == "orjson"


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


# --- json_lines: many events at once (the JSON Lines renderer's way) -------
#
# Its text must be to_json's, byte for byte, on whatever a block holds; and
# to_json itself is checked against the standard library's json above.

NOTES = ["", "sigmoid", "softmax", "mean", 'quo"te', "a,b", "[x]", "50%d", "héllo ∂", "null"]


def _event(data, kind=None):
    kind = kind or data.draw(KIND)
    names = TERMS[kind]
    if kind in ("delta_out", "delta"):       # softmax: ("sum",), or ("sum", "a", "y") under cross-entropy
        names = data.draw(st.sampled_from([names, ("sum",), ("sum", "a", "y")]))
    terms = tuple((n, data.draw(finite)) for n in names)
    return Event(kind, data.draw(st.integers(0, 3)), data.draw(st.integers(-1, 800)), data.draw(finite), terms,
                 data.draw(st.one_of(st.none(), st.integers(0, 800))), data.draw(st.integers(-1, 2)),
                 data.draw(st.sampled_from(NOTES)))


def _one_by_one(evs) -> bytes:
    return "".join(e.to_json() + "\n" for e in evs).encode()


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_json_lines_is_to_json_byte_for_byte(data):
    # a run of one kind (what the passes make) or a mix, with the odd loss event (its terms are pairs)
    if data.draw(st.booleans()):
        kind = data.draw(KIND)
        evs = [_event(data, kind) for _ in range(data.draw(st.integers(0, 30)))]
    else:
        evs = [_event(data) for _ in range(data.draw(st.integers(0, 30)))]
    if evs and data.draw(st.booleans()):
        evs.insert(data.draw(st.integers(0, len(evs))),
                   Event("loss", 3, -1, 0.5, (("L_0", 0.25), ("L_1", 0.25)), note="half_sse"))
    for _ in each_encoder():
        text = events.json_lines(evs)
        assert text == _one_by_one(evs)
        assert [json.loads(line) for line in text.decode().splitlines()] == [e.to_dict() for e in evs]


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_json_lines_refuses_a_non_finite_number_anywhere_in_the_block(encoder, bad):
    evs = [Event("product", 1, j, 0.5, (("w", 1.0), ("a", 0.5)), source=2) for j in range(10)]
    evs[7] = Event("product", 1, 7, 0.5, (("w", 1.0), ("a", bad)), source=2)
    with pytest.raises(NumericError, match="non-finite number in the trace: product of layer 1, neuron 7"):
        events.json_lines(evs)


def test_json_lines_formats_an_engine_step_without_to_json(monkeypatch):
    """The fast way is the way taken: a traced step's blocks are formatted
    whole, except a block holding the loss (its terms are (name, number)
    pairs) — so a slow fallback cannot hide behind equal output."""
    import neuronet
    from neuronet.engine import passes
    from conftest import SWITCH
    rec = events.Recorder()
    passes.step(neuronet.load(SWITCH), [[1.0, 0.0]], [[0.0, 1.0]], 0.5, emit=rec)
    expected = [_one_by_one(rec.events[i:i + 40]) for i in range(0, len(rec), 40)]
    calls = []
    real = Event.to_json
    monkeypatch.setattr(Event, "to_json", lambda self: calls.append(self.kind) or real(self))
    got = [events.json_lines(rec.events[i:i + 40]) for i in range(0, len(rec), 40)]
    assert got == expected
    blocks = [rec.events[i:i + 40] for i in range(0, len(rec), 40)]
    assert len(calls) == sum(len(b) for b in blocks if any(e.kind == "loss" for e in b)) and "loss" in calls


def test_every_weight_an_event_names_is_the_weight_it_used():
    """Event.weight, checked against the network itself: a product w_ij·a_i
    and a backprop δ_k·w_jk carry the weight's number as their term "w" (the
    spec's weight before the step), and an update's "old" is that weight;
    every kind without a weight says None."""
    import neuronet
    from neuronet.engine.events import WEIGHT_KINDS, Recorder
    from conftest import SWITCH
    net = neuronet.load(SWITCH)
    before = {(L, i, j): net.layers[L - 1][i].w[j]
              for L in range(1, len(net.layers)) for i in range(len(net.layers[L - 1]))
              for j in range(len(net.layers[L]))}
    rec = Recorder()
    net.step([[1, 0], [0, 1]], [[0, 1], [1, 0]], eta=0.5, emit=rec)     # a batch: sums too
    seen = set()
    for e in rec.events:
        if e.kind in ("product", "backprop"):
            assert e.term("w") == before[e.weight], e
        elif e.kind == "update_w":
            assert e.term("old") == before[e.weight] and e.value == net.weight(*e.weight), e
        if e.weight is not None:
            seen.add(e.kind)
            at, came_from = e.along
            assert e.layer == at[0] and e.neuron == at[1]
            assert abs(at[0] - came_from[0]) == 1
        else:
            assert e.kind not in WEIGHT_KINDS | {"backprop"} and e.along is None
    assert seen == set(WEIGHT_KINDS) | {"backprop"}
