"""The JSON Lines renderer writes in blocks: every event once, in order,
the last block on close; text already on the stream stays before; a
non-finite term stops it after writing every line before that term."""
import io
import json
import math

import pytest

from neuronet import NumericError
from neuronet.engine.events import Event
from neuronet.present.render import jsonl
from neuronet.present.render.jsonl import JsonlRenderer


def _events(n, bad_at=None):
    out = []
    for k in range(n):
        a = math.inf if k == bad_at else k / 7
        out.append(Event("product", 1 + k % 2, k // 3, a * 0.5, (0.5, a), source=k % 5))
    return out


def _lines(evs):
    return [e.to_json() for e in evs]


def test_blocks_are_written_as_they_fill_and_the_last_on_close():
    evs = _events(2 * jsonl.BLOCK + 100)
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="utf-8", write_through=True)
    sink = JsonlRenderer(stream)
    for e in evs:
        sink(e)
    assert sink.count == len(evs)
    assert raw.getvalue().decode().splitlines() == _lines(evs[:2 * jsonl.BLOCK])    # two full blocks so far
    sink.close()
    assert raw.getvalue().decode().splitlines() == _lines(evs)
    assert [json.loads(line) for line in raw.getvalue().decode().splitlines()] == [e.to_dict() for e in evs]


def test_text_written_before_stays_before_and_a_text_only_stream_works():
    evs = _events(jsonl.BLOCK + 3)
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="utf-8")     # buffered: "header" waits in the text layer
    stream.write("header\n")
    with JsonlRenderer(stream) as sink:
        for e in evs:
            sink(e)
    assert raw.getvalue().decode().splitlines() == ["header"] + _lines(evs)
    text = io.StringIO()                                 # no byte buffer underneath
    with JsonlRenderer(text) as sink:
        for e in evs:
            sink(e)
    assert text.getvalue().splitlines() == _lines(evs)


def test_a_stream_in_another_encoding_gets_text_it_can_encode():
    evs = _events(5)
    raw = io.BytesIO()
    with JsonlRenderer(io.TextIOWrapper(raw, encoding="utf-16")) as sink:
        for e in evs:
            sink(e)
    assert raw.getvalue().decode("utf-16").splitlines() == _lines(evs)


def test_a_non_finite_term_stops_after_the_lines_before_it():
    evs = _events(jsonl.BLOCK + 50, bad_at=jsonl.BLOCK + 20)
    out = io.StringIO()
    sink = JsonlRenderer(out)
    with pytest.raises(NumericError, match="non-finite number in the trace: product of layer 1"):
        with sink:
            for e in evs:
                sink(e)
    assert out.getvalue().splitlines() == _lines(evs[:jsonl.BLOCK + 20])
