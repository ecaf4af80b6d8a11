"""JSON Lines renderer: one ``Event.to_dict()`` per line — the machine
interface.  Streams: each event is written as it arrives and dropped, so
memory stays flat however large the network.

Fields (stable; see README "JSON Lines schema"): ``phase``, ``kind``,
``layer``, ``neuron``, ``source``, ``sample``, ``formula``, ``terms``,
``value``, ``note``.
"""
from __future__ import annotations

import sys


class JsonlRenderer:
    def __init__(self, stream=None) -> None:
        self.stream = stream if stream is not None else sys.stdout
        self._write = self.stream.write
        self.count = 0

    def __call__(self, event) -> None:
        # Event.to_json is json.dumps(event.to_dict()) formatted from a
        # per-kind template; it refuses NaN/Infinity (not JSON) with a
        # NonFiniteError naming the term.  (Writing lines in blocks was tried:
        # no measurable gain, and an unclosed sink would lose its tail.)
        self._write(event.to_json() + "\n")
        self.count += 1

    def write_lines(self, lines) -> None:
        """JSON Lines carries events only: free text is not written."""

    def close(self) -> None:
        self.stream.flush()
