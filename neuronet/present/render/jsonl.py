"""JSON Lines renderer: one ``Event.to_dict()`` per line — the machine
interface.  Streams: events are written in blocks of :data:`BLOCK` as they
arrive and then dropped, so memory stays flat however large the network.
``close()`` (or ``flush()``) writes the last, partial block.

Fields (stable; see docs/trace-schema.md): ``phase``, ``kind``, ``layer``,
``neuron``, ``source``, ``sample``, ``formula``, ``terms``, ``value``,
``note``.
"""
from __future__ import annotations

import sys

from ...engine.events import json_lines
from ...errors import NonFiniteError
from . import Renderer

# Events per write.  A block is formatted in a few C-level calls
# (events.json_lines), which is what keeps a traced step to JSON Lines near
# 35× an untraced one rather than 80×.  Measured on 784-200-100-10: blocks
# of 192 to 512 events take the same time, 768 and more are slower (the
# block, its text and its slots stop fitting in the CPU's cache); 256 keeps
# well away from that edge.
BLOCK = 256


class JsonlRenderer(Renderer):
    __slots__ = ("stream", "_events", "_written", "_buffer")

    def __init__(self, stream=None) -> None:
        self.stream = stream if stream is not None else sys.stdout
        self._events: list = []
        self._written = 0
        # UTF-8 bytes go straight to a text stream's buffer (JSON is UTF-8);
        # a stream without one, or with another encoding, is written as text.
        encoding = (getattr(self.stream, "encoding", None) or "").lower().replace("-", "")
        self._buffer = getattr(self.stream, "buffer", None) if encoding == "utf8" else None

    def __call__(self, event) -> None:
        events = self._events
        events.append(event)
        if len(events) >= BLOCK:
            self.flush()

    @property
    def count(self) -> int:
        """Events taken so far (written or waiting in the current block)."""
        return self._written + len(self._events)

    def flush(self) -> None:
        """Write the events taken so far."""
        events, self._events = self._events, []
        if not events:
            return
        try:
            data = json_lines(events)
        except NonFiniteError:
            # JSON has no NaN or Infinity: write the lines before the
            # non-finite term, then raise for it (to_json names the term).
            for e in events:
                self._write(e.to_json().encode() + b"\n")
                self._written += 1
            raise AssertionError("json_lines raised but no event did")  # pragma: no cover
        self._write(data)
        self._written += len(events)

    def _write(self, data: bytes) -> None:
        if self._buffer is not None:
            self.stream.flush()              # any text written before stays before
            self._buffer.write(data)
        else:
            self.stream.write(data.decode())

    def write_lines(self, lines) -> None:
        """JSON Lines carries events only: free text is not written."""

    def close(self) -> None:
        self.flush()
        self.stream.flush()
