"""JSON Lines renderer: one ``Event.to_dict()`` per line — the machine
interface.  Streams: each event is written as it arrives and dropped, so
memory stays flat however large the network.

Fields (stable; see README "JSON Lines schema"): ``phase``, ``kind``,
``layer``, ``neuron``, ``source``, ``sample``, ``formula``, ``terms``,
``value``, ``note``.
"""
from __future__ import annotations

import json
import sys


class JsonlRenderer:
    def __init__(self, stream=None) -> None:
        self.stream = stream if stream is not None else sys.stdout
        self._dumps = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(", ", ": ")).encode
        self.count = 0

    def __call__(self, event) -> None:
        self.stream.write(self._dumps(event.to_dict()) + "\n")
        self.count += 1

    def write_lines(self, lines) -> None:
        """JSON Lines carries events only: free text is not written."""

    def close(self) -> None:
        self.stream.flush()
