"""Forward and backward passes as the explicit nested loops of
004_69dfc149af69048d.txt §2.3.1 (forward) and §2.4.1 (backward).

Each loop carries the number of the pseudo-code line it mirrors.  Where that
pseudo-code slips, the code here does the mathematically right thing and a
``SLIP`` comment says what the text wrote and why it is wrong.  Every slip is
also listed in the errata walkthrough.

This module is the *plain* pass: no tracing code at all, so it reads as 004
and runs at the speed of the loops.  Every public function also takes two
optional hooks, and hands the work to its traced twin in :mod:`.traced`
when either is given:

* ``emit`` — a sink: any callable taking one :class:`~neuronet.engine.events.Event`
  per chain-rule term.
* ``rnd`` — hand-calculation rounding: ``rnd(kind, x)`` returns ``x`` as a
  person with a calculator would carry it (see :mod:`neuronet.present.handcalc`).

The twin performs the very same floating-point operations in the same order
(tests/test_traced_is_plain.py proves it bit for bit over random networks),
so a trace shows exactly the numbers the engine stores.  Under ``rnd`` it
rounds as a person would — a different computation, by design.
"""
from __future__ import annotations

from . import arguments, traced
from .activations import softmax, softmax_jacobian
from ..errors import DataError, NumericError


# ---------------------------------------------------------------------------
# forward pass — 004 §2.3.1
# ---------------------------------------------------------------------------

def forward(net, x, emit=None, rnd=None, sample: int = 0) -> list[float]:
    """Send input vector ``x`` through ``net``; set every neuron's z and a.

    Returns the output layer's activations.
    """
    arguments.vector(x, len(net.layers[0]), f"input {sample}")
    if emit is not None or rnd is not None:      # (``is None``: an empty Recorder is falsy)
        return traced.forward(net, x, emit, rnd, sample)
    layers = net.layers
    activations = net.activations

    # lines 1–5: load up input layer
    inp = layers[0]
    f_in = activations[0]
    for neuron_index, neuron in enumerate(inp):                 # line 2: for neuron = 0 to (number of input neurons)
        # line 3: z of input neuron = input vector[neuron].  004 §2.5 eq. (6)
        # also gives the input neuron a bias, a_i = f(z_i + b_i); we fold it
        # into z as eq. (1) does for every other layer (b_i = 0 by default).
        z = x[neuron_index] + neuron.b
        neuron.z = z
        if not f_in.layerwise:
            neuron.a = f_in.f(z)                                 # line 4
    if f_in.layerwise:
        _softmax(inp)

    # lines 7–19: propagate from input layer through the entire network
    for layer in range(len(layers) - 1):                         # line 8: for layer = 0 to output_layer-1
        forward_layer = layer + 1                                # line 9
        src = layers[layer]
        dst = layers[forward_layer]
        f = activations[forward_layer]
        for forward_neuron, dest in enumerate(dst):              # line 10
            z = 0.0                                              # line 11
            for neuron in src:                                   # line 12
                z += neuron.w[forward_neuron] * neuron.a         # line 13
            # SLIP (line 14): the pseudo-code adds "+ bias of (layer,neuron)"
            # inside the loop over source neurons — the *source's* bias, once
            # per source.  Eq. (1), z_y = Σ_x w_xy a_x + b_y, adds the
            # *destination's* bias once; so do we, after the sum.
            z += dest.b
            dest.z = z                                           # line 16
            if not f.layerwise:
                dest.a = f.f(z)                                  # line 17
        if f.layerwise:
            # departs from line 17: softmax needs every z of the layer first
            _softmax(dst)
    return [neuron.a for neuron in layers[-1]]


def _softmax(layer_neurons) -> None:
    a = softmax([n.z for n in layer_neurons])
    for index, neuron in enumerate(layer_neurons):
        neuron.a = a[index]


# ---------------------------------------------------------------------------
# loss
# ---------------------------------------------------------------------------

def loss(net, y, emit=None, sample: int = 0) -> float:
    """The per-sample loss L(a, y) of the current output activations."""
    arguments.vector(y, len(net.layers[-1]), f"target {sample}")
    if emit is not None:
        return traced.loss(net, y, emit, sample)
    a = [neuron.a for neuron in net.layers[-1]]
    return sum(net.loss.terms(a, y))


# ---------------------------------------------------------------------------
# backward pass — 004 §2.4.1, lines 1–32: all the deltas
# ---------------------------------------------------------------------------

def backward(net, y, emit=None, rnd=None, sample: int = 0) -> None:
    """Compute δ = ∂L/∂z for every neuron, from the output back.

    Weights are *not* touched here.  SLIP (004 §2.4, steps 3–4): the text
    corrects w_jk before computing δ_j = f'(z_j) Σ_k δ_k w_jk, so δ_j would
    use already-updated weights.  The chain rule needs the weights the
    forward pass used; every delta is computed first, and the corrections
    (lines 34–44) run afterwards in :func:`correct` or :func:`apply`.
    """
    arguments.vector(y, len(net.layers[-1]), f"target {sample}")
    if emit is not None or rnd is not None:
        return traced.backward(net, y, emit, rnd, sample)
    layers = net.layers
    activations = net.activations
    output_layer = len(layers) - 1                               # line 7
    out = layers[output_layer]
    f = activations[output_layer]

    # lines 9–17: the deltas of the output layer.  Line 14 writes
    # dL = a − target, which is ∂L/∂a for ½SSE only; we take ∂L/∂a from the
    # network's loss and apply the general chain rule
    #     δ_k = Σ_n ∂L/∂a_n · ∂a_n/∂z_k,
    # which for an element-wise f is ∂L/∂a_k · f'(z_k) (line 15).
    a = [neuron.a for neuron in out]
    dL_da = net.loss.grad(a, y)
    if f.layerwise:
        _softmax_deltas(out, dL_da)
    else:
        fp = f.fprime
        for neuron_index, neuron in enumerate(out):              # line 11
            neuron.delta = dL_da[neuron_index] * fp(neuron.z, neuron.a)   # line 15
        # line 16 (output bias correction) is done with the other corrections.

    # lines 19–32: deltas of the hidden layers, from the back.  Line 20 runs
    # down to layer 0; the input layer's deltas are needed only for its
    # biases, so we stop at layer 1 unless the input layer has trainable
    # biases (004 §2.5).
    last = 0 if net.input_bias else 1
    for hidden_layer in range(output_layer - 1, last - 1, -1):   # line 20
        forward_layer = hidden_layer + 1                         # line 21
        hidden = layers[hidden_layer]
        forward_deltas = [neuron.delta for neuron in layers[forward_layer]]
        f = activations[hidden_layer]
        dsums = []
        for neuron in hidden:                                    # line 22
            dsum = 0.0                                           # line 23
            # SLIP (line 25): "(forward_neuron,hidden_layer)" must read
            # (forward_neuron,forward_layer): the weight runs to the next layer.
            for delta_forward, w in zip(forward_deltas, neuron.w):   # lines 24–26
                dsum += delta_forward * w                        # line 27
            # SLIP (lines 28–29): the text sets δ inside the forward_neuron
            # loop, i.e. from a partial sum on every pass; δ_j needs the whole
            # sum Σ_k δ_k w_jk, so it is set once, after the loop.
            if f.layerwise:
                dsums.append(dsum)
            else:
                neuron.delta = f.fprime(neuron.z, neuron.a) * dsum
        if f.layerwise:
            _softmax_deltas(hidden, dsums)


def _softmax_deltas(layer_neurons, dL_da) -> None:
    """δ_k = Σ_n ∂L/∂a_n · ∂a_n/∂z_k over the softmax Jacobian (every path)."""
    a = [neuron.a for neuron in layer_neurons]
    deltas = []
    for k in range(len(layer_neurons)):
        total = 0.0
        for n in range(len(layer_neurons)):
            total += dL_da[n] * softmax_jacobian(a, n, k)
        deltas.append(total)
    for k, neuron in enumerate(layer_neurons):
        neuron.delta = deltas[k]


# ---------------------------------------------------------------------------
# corrections — 004 §2.4.1 lines 34–44
# ---------------------------------------------------------------------------

def bias_layers(net):
    """Indices of the layers whose biases have a gradient: every non-input
    layer, and the input layer when the spec gives it biases (004 §2.5)."""
    start = 0 if net.input_bias else 1
    return range(len(net.layers) - 1, start - 1, -1)


def trained_bias_layers(net):
    """:func:`bias_layers` less the layers without biases (spec ``biases =
    false``, as 002 has none): their ∂L/∂b is still the math's δ, reported
    by :func:`gradients`, but there is no b to step."""
    return [l for l in bias_layers(net) if l not in net.no_bias]


def correct(net, eta: float, eta_b: float | None = None, emit=None, rnd=None, sample: int = 0) -> None:
    """One-sample SGD: w_ij ← w_ij − η δ_j a_i and b_j ← b_j − η_b δ_j,
    directly from the deltas :func:`backward` left in the neurons."""
    if eta_b is None:
        eta_b = eta
    arguments.rate(eta, "η (eta)")
    arguments.rate(eta_b, "η_b (eta_b)")
    if emit is not None or rnd is not None:
        return traced.correct(net, eta, eta_b, emit, rnd, sample)
    layers = net.layers
    output_layer = len(layers) - 1
    for layer in range(output_layer - 1, -1, -1):                # line 35
        forward_deltas = [neuron.delta for neuron in layers[layer + 1]]
        for neuron in layers[layer]:                             # line 36
            w = neuron.w
            # line 41 is w −= η·δ·a; η·a (line 38's a) is the same for every
            # forward_neuron, so it is formed once here (one multiply per
            # weight fewer: ~7% of a 784-200-100-10 step).
            eta_a = eta * neuron.a
            for forward_neuron, delta in enumerate(forward_deltas):   # lines 39–40
                w[forward_neuron] -= eta_a * delta               # line 41
    # line 16 (output layer) and line 37 (the others).
    # SLIP (line 37): the text writes "bias += eta_b * delta" for hidden
    # neurons.  ∂L/∂b_j = δ_j for every neuron (004 eq. 104), so hidden
    # biases descend the gradient exactly like the output ones: −=.
    for layer in trained_bias_layers(net):
        for neuron in layers[layer]:
            neuron.b -= eta_b * neuron.delta


def accumulate(net, emit=None, rnd=None, sample: int = 0) -> None:
    """Add this sample's ∂L/∂w_ij = δ_j a_i and ∂L/∂b_j = δ_j to the batch
    sums ``nabla_w`` / ``nabla_b`` (the sums of 004 eq. 5)."""
    if emit is not None or rnd is not None:
        return traced.accumulate(net, emit, rnd, sample)
    layers = net.layers
    for layer in range(len(layers) - 2, -1, -1):                 # line 35
        forward_deltas = [neuron.delta for neuron in layers[layer + 1]]
        for neuron in layers[layer]:                             # line 36
            a = neuron.a                                         # line 38
            nabla_w = neuron.nabla_w
            for forward_neuron, delta in enumerate(forward_deltas):   # lines 39–40
                nabla_w[forward_neuron] += delta * a             # line 41, as a gradient
    for layer in bias_layers(net):
        for neuron in layers[layer]:
            neuron.nabla_b += neuron.delta


#: How a batch's per-sample gradients combine: their mean (004 eq. 5) or their sum (003).
REDUCTIONS = ("mean", "sum")


def scale_of(n: int, reduction: str) -> float:
    """1/N for ``"mean"`` (004 eq. 5: the average Δw), 1 for ``"sum"`` (003)."""
    if reduction == "mean":
        return 1.0 / n
    if reduction == "sum":
        return 1.0
    raise DataError(f"reduction must be {' or '.join(map(repr, REDUCTIONS))}, not {reduction!r}")


def apply(net, eta: float, eta_b: float | None, n: int, reduction: str = "mean",
          emit=None, rnd=None) -> None:
    """Step every weight and bias by its batch gradient and clear the sums.

    The batch gradient is ∇/N for ``reduction="mean"`` (004 eq. 5: the average
    Δw) or ∇ for ``"sum"`` (003).  Events carry ``sample = -1``.
    """
    if eta_b is None:
        eta_b = eta
    arguments.rate(eta, "η (eta)")
    arguments.rate(eta_b, "η_b (eta_b)")
    if n < 1:
        raise DataError(f"a batch of {n} samples has no gradient to apply")
    scale = scale_of(n, reduction)
    if emit is not None or rnd is not None:
        return traced.apply(net, eta, eta_b, n, reduction, scale, emit, rnd)
    layers = net.layers
    for layer in range(len(layers) - 2, -1, -1):
        for neuron in layers[layer]:
            w = neuron.w
            nabla_w = neuron.nabla_w
            for forward_neuron in range(len(w)):
                w[forward_neuron] -= eta * (nabla_w[forward_neuron] * scale)
                nabla_w[forward_neuron] = 0.0
    for layer in bias_layers(net):
        step_b = layer not in net.no_bias
        for neuron in layers[layer]:
            if step_b:
                neuron.b -= eta_b * (neuron.nabla_b * scale)
            neuron.nabla_b = 0.0


def zero_grad(net) -> None:
    for layer in net.layers:
        for neuron in layer:
            neuron.nabla_b = 0.0
            nabla_w = neuron.nabla_w
            for k in range(len(nabla_w)):
                nabla_w[k] = 0.0


# ---------------------------------------------------------------------------
# whole steps
# ---------------------------------------------------------------------------

def _located(fn, sample, *args):
    """Call fn; a NumericError (log(0) in a loss, …) names the sample."""
    try:
        return fn(*args)
    except NumericError as e:
        raise e.located(where=e.where or f"sample {sample}:") from None


def step(net, xs, ys, eta: float, eta_b: float | None = None, reduction: str = "mean",
         emit=None, rnd=None) -> float:
    """One SGD step on a batch: forward + backward for every sample, then the
    corrections.  Returns the batch loss (mean or sum of per-sample losses,
    before the step).  A batch of one uses :func:`correct`, exactly 004's
    lines 35–44; larger batches accumulate and :func:`apply` the mean or sum.
    """
    n = arguments.batch(xs, ys)
    scale_of(n, reduction)                       # a bad reduction fails before any weight moves
    if n == 1:
        forward(net, xs[0], emit, rnd, 0)
        L = _located(loss, 0, net, ys[0], emit, 0)
        _located(backward, 0, net, ys[0], emit, rnd, 0)
        correct(net, eta, eta_b, emit, rnd, 0)
        return L
    total = 0.0
    for s in range(n):
        forward(net, xs[s], emit, rnd, s)
        total += _located(loss, s, net, ys[s], emit, s)
        _located(backward, s, net, ys[s], emit, rnd, s)
        accumulate(net, emit, rnd, s)
    apply(net, eta, eta_b, n, reduction, emit, rnd)
    return total * scale_of(n, reduction)


def gradients(net, xs, ys, reduction: str = "mean", emit=None):
    """The batch gradient without a step.

    Returns ``(loss, outputs, grads, input_biases)``: ``grads[l - 1]`` is
    ``{"weights": [[∂L/∂w_ij]] ([from][to]), "biases": [∂L/∂b_j]}`` for layer
    l ≥ 1; ``input_biases`` is [∂L/∂b_i] for the input layer when its biases
    are trainable, else None.  The loss is the batch mean or sum.
    """
    n = arguments.batch(xs, ys)
    scale = scale_of(n, reduction)
    zero_grad(net)
    total = 0.0
    outputs = []
    for s in range(n):
        outputs.append(forward(net, xs[s], emit, None, s))
        total += _located(loss, s, net, ys[s], emit, s)
        _located(backward, s, net, ys[s], emit, None, s)
        accumulate(net, emit, None, s)
    grads = []
    layers = net.layers
    for l in range(1, len(layers)):
        grads.append({
            "weights": [[g * scale for g in neuron.nabla_w] for neuron in layers[l - 1]],
            "biases": [neuron.nabla_b * scale for neuron in layers[l]],
        })
    input_biases = [neuron.nabla_b * scale for neuron in layers[0]] if net.input_bias else None
    zero_grad(net)
    return total * scale, outputs, grads, input_biases
