"""Zero-adapter PyTorch: verify an ``nn.Module`` as it is.

``neuronet verify --backend torch:pkg.mod:NAME`` and :func:`torch_module`
need no adapter.  ``NAME`` is either

* a **factory** ``NAME(spec: dict) -> nn.Module``, called with the canonical
  spec (the dict a ``module:`` backend receives: ``spec["layers"][l]["size"]``,
  ``["activation"]``, …) for every case, so it can build a network of the
  spec's sizes (``--random`` needs one); or
* an **``nn.Module``** itself (a module-level ``model = nn.Sequential(…)``),
  which then answers only specs of its own shape.

:func:`build` is such a factory: the ``nn.Sequential`` of ``nn.Linear`` and
activation modules that the spec describes (``torch:neuronet.check.backends.
torch_capture:build`` checks PyTorch's own layers).

What neuronet does with the module, per case (:func:`capture`):

1. **copies the spec's weights in.**  The spec keeps ``weights[i][j]``
   from neuron i of layer l − 1 to neuron j of layer l ([from][to]);
   ``nn.Linear.weight`` is [out][in] = [to][from], so layer l's matrix goes
   in transposed, its biases as they are.  The module's ``nn.Linear``
   layers, in the order they were registered, are layers 1, 2, …; their
   number and their ``in_features``/``out_features`` must match the spec.
   The module's dtype is used as it is (float64, float32, …): inputs and
   weights are converted to the first ``nn.Linear``'s dtype.
2. **runs the forward pass** on the batch (rows = samples), in eval mode
   (no dropout; the module's mode is restored after), with a forward
   hook on every ``nn.Linear``: its output is z of layer l, its input a of
   layer l − 1 (so an activation written as a function call in ``forward``
   is seen too); the module's output is a of the output layer.
3. **computes the loss from the spec** (``spec["loss"]``, the same terms as
   the ``torch`` backend) on that output, and calls ``backward()`` on the
   *sum* of the samples' losses; a tensor hook on each z reads
   δ = ∂L_s/∂z of each sample's own loss, before any batch reduction, as
   the contract's ``deltas`` field expects.
4. **reads ``.grad``** of every ``nn.Linear`` weight and bias; with
   ``reduction="mean"`` the loss and the gradients are that sum divided by
   the batch size, as 004 eq. 5 writes the mean.

The answer carries ``z``, ``activations`` and ``deltas``, so a bug in the
module is named at its layer: a wrong activation module at ``layer l
activations``, a softmax over the wrong axis at the output layer's
activations, a transposed weight at ``layer l z``.

A spec the module cannot express is **declined** (``NotImplementedError``):
trainable input-layer biases.  A factory that raises (other than
``NotImplementedError``, a decline), returns something that is not an
``nn.Module``, or a module whose ``nn.Linear`` layers do not fit the spec is
bad input: :class:`FactoryError`, one line, exit 2.
"""
from __future__ import annotations

from .contract import BackendLoadError
from .params import parameters

# neuronet activation → the torch.nn module class that computes it (for build)
MODULES = {"identity": "Identity", "sigmoid": "Sigmoid", "tanh": "Tanh", "relu": "ReLU",
           "leaky_relu": "LeakyReLU", "softmax": "Softmax"}


class FactoryError(BackendLoadError):
    """A factory or module that cannot answer the spec at all: bad input
    (exit 2), under ``--random`` too."""


def _activation(nn, name: str):
    from ...engine.activations import LEAKY_SLOPE
    if name == "leaky_relu":
        return nn.LeakyReLU(LEAKY_SLOPE)
    if name == "softmax":
        return nn.Softmax(dim=1)            # over the neurons of one sample (rows are samples)
    return getattr(nn, MODULES[name])()


def build(spec: dict, dtype=None):
    """The ``nn.Sequential`` the spec describes: the input layer's
    activation module (when it is not identity), then per layer an
    ``nn.Linear`` and its activation module.  float64 unless ``dtype``."""
    import torch
    from torch import nn
    p = parameters(spec)
    mods = [] if p.activations[0] == "identity" else [_activation(nn, p.activations[0])]
    for l in range(1, len(p.sizes)):
        mods += [nn.Linear(p.sizes[l - 1], p.sizes[l]), _activation(nn, p.activations[l])]
    return nn.Sequential(*mods).to(dtype or torch.float64)


def linears(module, sizes: list[int], name: str) -> list:
    """The module's ``nn.Linear`` layers, checked against the spec's sizes."""
    from torch import nn
    found = [m for m in module.modules() if isinstance(m, nn.Linear)]
    shape = "-".join(map(str, sizes))
    if len(found) != len(sizes) - 1:
        raise FactoryError(f"the module has {len(found)} nn.Linear layer{'s' if len(found) != 1 else ''}; "
                           f"the spec ({shape}) needs {len(sizes) - 1}", source=name)
    for l, lin in enumerate(found, start=1):
        if (lin.in_features, lin.out_features) != (sizes[l - 1], sizes[l]):
            raise FactoryError(f"nn.Linear number {l} is {lin.in_features} → {lin.out_features}; "
                               f"layer {l} of the spec ({shape}) needs {sizes[l - 1]} → {sizes[l]}", source=name)
        if lin.bias is None:
            raise FactoryError(f"nn.Linear number {l} has no bias (bias=False); the spec gives layer {l} biases",
                               source=name)
        if not (lin.weight.requires_grad and lin.bias.requires_grad):
            raise FactoryError(f"nn.Linear number {l} is frozen (requires_grad=False); the spec trains every "
                               "weight and bias", source=name)
    others = [n for n, prm in module.named_parameters()
              if prm.requires_grad and not any(prm is lin.weight or prm is lin.bias for lin in found)]
    if others:
        raise FactoryError(f"the module has parameters outside its nn.Linear layers ({', '.join(others[:3])}): "
                           "the spec cannot set them", source=name)
    return found


def capture(module, spec: dict, xs, ys, reduction: str = "mean", name: str = "the module") -> dict:
    """Run ``module`` on the batch as steps 1–4 above; the contract dict."""
    import torch
    from .torch_backend import _loss_terms
    p = parameters(spec)
    if p.input_bias:
        raise NotImplementedError("trainable input-layer biases (004 §2.5) have no place in an nn.Module "
                                  "of nn.Linear layers")
    found = linears(module, p.sizes, name)
    dtype = found[0].weight.dtype
    with torch.no_grad():
        for l, lin in enumerate(found, start=1):
            lin.weight.copy_(torch.tensor(p.weights[l], dtype=torch.float64).T)   # [from][to] → [to][from]
            lin.bias.copy_(torch.tensor(p.biases[l], dtype=torch.float64))
            lin.weight.grad = lin.bias.grad = None
    index = {id(lin): l for l, lin in enumerate(found, start=1)}
    n_layers = len(p.sizes)
    zs, acts, deltas = [None] * n_layers, [None] * n_layers, [None] * n_layers
    order = []

    def hook(lin, inputs, z):
        l = index[id(lin)]
        order.append(l)
        acts[l - 1] = inputs[0].detach().clone()
        zs[l] = z.detach().clone()          # before an in-place activation changes it

        def keep(g, l=l):
            deltas[l] = g.detach().clone()
        if z.requires_grad:
            z.register_hook(keep)

    handles = [lin.register_forward_hook(hook) for lin in found]
    training = module.training
    module.eval()                           # no dropout draws: the same answer every call (restored below)
    try:
        X = torch.tensor(xs, dtype=dtype)
        Y = torch.tensor(ys, dtype=dtype)
        A = module(X)
        if not isinstance(A, torch.Tensor):
            raise FactoryError(f"the module's forward returned {type(A).__name__}, not a tensor", source=name)
        if order != list(range(1, n_layers)):
            raise FactoryError(f"the module called its nn.Linear layers in the order {order}; "
                               f"each must run once, layer 1 first", source=name)
        total = _loss_terms(torch, p.loss, A, Y).sum()      # Σ over samples of each sample's own loss
        total.backward()
    finally:
        for h in handles:
            h.remove()
        module.train(training)
    n = len(xs)
    scale = (lambda t: t / n) if reduction == "mean" else (lambda t: t)
    acts[-1] = A.detach()
    out = {"loss": scale(total.detach()), "outputs": A.detach(), "layout": "to_from",
           "gradients": [{"weights": scale(lin.weight.grad), "biases": scale(lin.bias.grad)} for lin in found],
           "z": zs, "activations": acts, "deltas": deltas}
    return out


def torch_module(module, name: str | None = None):
    """A live ``nn.Module`` (or a factory ``f(spec) -> nn.Module``) → a
    backend ``f(spec, inputs, targets, reduction)`` for
    :func:`neuronet.check.testing.check` or :func:`neuronet.check.backends.fuzz.run`,
    run in this process."""
    from torch import nn
    label = name or (type(module).__name__ if isinstance(module, nn.Module)
                     else getattr(module, "__name__", "the factory"))

    def backend(spec, xs, ys, reduction):
        return capture(made(module, spec, label), spec, xs, ys, reduction, label)
    backend.__name__ = label if label.startswith("torch:") else f"torch:{label}"
    return backend


def made(thing, spec: dict, name: str):
    """``thing`` itself when it is an ``nn.Module``, else ``thing(spec)``,
    checked to be one."""
    from torch import nn
    if isinstance(thing, nn.Module):
        return thing
    if not callable(thing):
        raise FactoryError(f"is a {type(thing).__name__}, neither an nn.Module nor a factory "
                           "f(spec) -> nn.Module", source=name)
    try:
        module = thing(spec)
    except NotImplementedError:
        raise                                # the factory declines this case
    except (Exception, SystemExit) as e:
        from .compare import describe_exception
        raise FactoryError(f"the factory raised {describe_exception(e)}", source=name) from None
    if not isinstance(module, nn.Module):
        raise FactoryError(f"the factory returned {type(module).__name__}, not an nn.Module", source=name)
    return module


def from_ref(ref: str):
    """``pkg.mod:NAME`` → a backend (imported in this process: the child
    process of a ``torch:`` backend calls this)."""
    import importlib.util
    if importlib.util.find_spec("torch") is None:
        raise BackendLoadError("needs PyTorch, which is not installed (pip install torch)",
                               source=f"--backend torch:{ref}")
    from .loaders import module_backend
    from torch import nn
    thing = module_backend(ref, keep_path=True, any_object=True)
    label = f"torch:{ref}"
    if not isinstance(thing, nn.Module) and not callable(thing):
        raise FactoryError(f"{label} names a {type(thing).__name__}, neither an nn.Module nor a factory "
                           "f(spec) -> nn.Module", source="--backend")
    return torch_module(thing, label)
