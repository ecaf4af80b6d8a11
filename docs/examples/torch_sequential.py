"""Zero-adapter PyTorch: a factory, no adapter.

``neuronet verify --backend torch:torch_sequential:model`` calls
``model(spec)`` for every case and drives the ``nn.Module`` it returns
itself: it copies the spec's weights into the ``nn.Linear`` layers, runs the
forward pass with hooks (z, a and δ of every layer), computes the spec's
loss and reads ``.grad`` (docs/backends.md, "Zero-adapter PyTorch").  The
module ends in its output activation (``nn.Softmax(dim=1)``, not logits).
Skipped by the test suite when torch is not installed.

    cd docs/examples && neuronet verify --random 50 --backend torch:torch_sequential:model \\
        --activations identity,sigmoid,tanh,relu,leaky_relu,softmax
"""
import torch
from torch import nn

ACTIVATION = {"identity": nn.Identity, "sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "relu": nn.ReLU,
              "leaky_relu": lambda: nn.LeakyReLU(0.01), "softmax": lambda: nn.Softmax(dim=1)}


def model(spec):
    """An nn.Sequential of the spec's sizes and activations (its own weights
    are overwritten by neuronet)."""
    layers = spec["layers"]
    mods = [] if layers[0]["activation"] == "identity" else [ACTIVATION[layers[0]["activation"]]()]
    for before, layer in zip(layers, layers[1:]):
        mods += [nn.Linear(before["size"], layer["size"]), ACTIVATION[layer["activation"]]()]
    return nn.Sequential(*mods).to(torch.float64)


def model32(spec):
    """The same in float32."""
    return model(spec).to(torch.float32)
