"""Adapter example 3: a PyTorch ``nn.Module``.

The user's model (above the adapter) is an ``nn.Sequential`` of
``nn.Linear`` layers and activations.  ``nn.Linear.weight`` has shape
(n_out, n_in), so the adapter copies the spec's [from][to] matrices in
transposed and answers with ``"layout": "to_from"``; tensors are returned
as they are (the harness calls ``tolist()``).  Skipped by the test suite
when torch is not installed.

    cd docs/examples && neuronet verify ../../walkthroughs/switch-2-4-3-2/network.toml \\
        --backend module:torch_module:grads --input 1,0 --target 0,1
"""
import torch
from torch import nn

ACTIVATIONS = {"identity": nn.Identity, "sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "relu": nn.ReLU}


def make_model(sizes, activations):
    mods = []
    for n_in, n_out, act in zip(sizes, sizes[1:], activations[1:]):
        mods += [nn.Linear(n_in, n_out).double(), ACTIVATIONS[act]()]
    return nn.Sequential(*mods)


# --- adapter ---
def grads(spec, inputs, targets, reduction):
    layers = spec["layers"]
    if spec["loss"] not in ("half_sse", "sse") or layers[0]["activation"] != "identity" or "biases" in layers[0] \
            or any(l["activation"] not in ACTIVATIONS for l in layers):
        raise NotImplementedError("identity/sigmoid/tanh/relu with (½)·SSE only")
    model = make_model([l["size"] for l in layers], [l["activation"] for l in layers])
    linears = [m for m in model if isinstance(m, nn.Linear)]
    with torch.no_grad():
        for lin, l in zip(linears, layers[1:]):
            lin.weight.copy_(torch.tensor(l["weights"], dtype=torch.float64).T)   # [from][to] → (n_out, n_in)
            lin.bias.copy_(torch.tensor(l["biases"], dtype=torch.float64))
    X, Y = torch.tensor(inputs, dtype=torch.float64), torch.tensor(targets, dtype=torch.float64)
    out = model(X)
    per_sample = ((out - Y) ** 2).sum(dim=1) * (0.5 if spec["loss"] == "half_sse" else 1.0)
    loss = per_sample.mean() if reduction == "mean" else per_sample.sum()
    loss.backward()
    return {"loss": loss.detach(), "outputs": out.detach(), "layout": "to_from",
            "gradients": [{"weights": lin.weight.grad, "biases": lin.bias.grad} for lin in linears]}
# --- end ---
