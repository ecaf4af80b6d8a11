"""neuronet — backpropagation you can watch, neuron by neuron.

A per-neuron object-graph engine: neurons are records (004 §2.1), layers are
lists of them, and the passes are the nested loops of 004 §2.3.1 / §2.4.1.
"""
from .errors import DataError, NeuronetError, NonFiniteError, NumericError, OutputError, SpecError
from .engine.events import Event, Recorder
from .engine.network import Network
from .engine.neuron import Layer, Neuron
from .engine.passes import accumulate, apply, backward, correct, forward, gradients, loss, step
from .io.spec import from_dict, load, save, to_dict

__version__ = "0.1.0"

__all__ = [
    "Network", "Neuron", "Layer", "Event", "Recorder",
    "load", "save", "from_dict", "to_dict",
    "forward", "loss", "backward", "correct", "accumulate", "apply", "step", "gradients",
    "NeuronetError", "SpecError", "DataError", "NumericError", "NonFiniteError", "OutputError",
]
