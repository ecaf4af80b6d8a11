"""The neuron record of 004_69dfc149af69048d.txt §2.1.

The text's neuron is a Python dict::

    {"desc": desc, "z": 0.0, "a": 0.0, "b": 0.01, "w": [], "delta": 0.0}

Here it is a slotted dataclass with exactly those fields, plus the two
accumulators a batch needs (``nabla_b`` and ``nabla_w``, Nielsen's names for
the summed ∂L/∂b and ∂L/∂w).  ``w`` holds the neuron's *outgoing* weights:
``w[k]`` connects this neuron to neuron ``k`` of the next layer.  A layer is a
plain ``list[Neuron]``.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Neuron:
    desc: str = ""
    z: float = 0.0          # input: z = Σ_x w_xy a_x + b_y
    a: float = 0.0          # activation: a = f(z)
    b: float = 0.0          # bias (of this neuron, added to its own z)
    w: list[float] = field(default_factory=list)   # outgoing weights, one per next-layer neuron
    delta: float = 0.0      # δ = ∂L/∂z
    nabla_b: float = 0.0    # Σ over a batch of ∂L/∂b
    nabla_w: list[float] = field(default_factory=list)  # Σ over a batch of ∂L/∂w, parallel to w

    def to_dict(self) -> dict:
        """The dict of 004 §2.1, field for field."""
        return {"desc": self.desc, "z": self.z, "a": self.a, "b": self.b,
                "w": list(self.w), "delta": self.delta}


Layer = list[Neuron]
