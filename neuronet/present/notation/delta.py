"""004's notation (per-neuron pseudo-code, §2.2): z_j, a_j, b_j, w_jk, δ_k,
L, η — neurons 0-based as in its code, the layer in a superscript, z_j^(l)."""
from .base import Notation


class Delta(Notation):
    """004: w_jk from neuron j to neuron k of the next layer, a_j, δ_k."""

    name = "delta"
    order = 0
    source = "004_69dfc149af69048d.txt (per-neuron pseudo-code, §2.2)"
