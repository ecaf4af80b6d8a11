"""The traced twin of :mod:`.passes`: the same loops, emitting one
:class:`~.events.Event` per chain-rule term.

Rule of this module: **the stored numbers are computed exactly as the plain
pass computes them** — the same floating-point operations in the same order
— so that what a trace shows is what the engine stores.  The extra numbers
an event carries (a product before it is summed, δ·a shown beside an update)
are computed *beside* that arithmetic, never into it.
tests/test_traced_is_plain.py checks weights, biases, z, a, δ and the loss bit
for bit against :mod:`.passes` over random networks of every activation and
loss.

Hand mode (``rnd`` given) is the one deliberate difference: a person carries
every number rounded, and multiplies η by the rounded gradient, so there the
update is ``w − rnd(η·rnd(δ·a))`` rather than the plain ``w − (η·a)·δ``.

Events are built with ``_new(Event, (...))`` — a tuple, the cheapest record
CPython builds — and the term numbers alone (their names are the kind's
usual ones, :data:`.events.TERMS`).
"""
from __future__ import annotations

from types import FunctionType as _FunctionType, MethodType as _MethodType

from .activations import softmax, softmax_jacobian
from .events import Event

_new = tuple.__new__


def _discard(event) -> None:
    return None


def _sink(emit):
    """What the loops call once per event: ``emit`` itself, or, for a sink
    object whose class defines ``__call__`` in Python (a renderer, a
    Recorder), that method bound to it.  Calling the bound method is calling
    the object — the same method runs — but CPython gets there about 40%
    faster (0.075 µs against 0.12 µs a call, 558,149 calls in a
    784-200-100-10 step)."""
    if emit is None:
        return _discard
    for klass in type(emit).__mro__:
        if "__call__" in vars(klass):
            call = vars(klass)["__call__"]
            return _MethodType(call, emit) if type(call) is _FunctionType else emit
    return emit


# ---------------------------------------------------------------------------
# forward — 004 §2.3.1 (see passes.forward for the line-by-line notes)
# ---------------------------------------------------------------------------

def forward(net, x, emit, rnd, sample: int = 0) -> list[float]:
    emit = _sink(emit)
    hand = rnd is not None
    layers = net.layers
    activations = net.activations
    inp = layers[0]
    f_in = activations[0]
    for neuron_index, neuron in enumerate(inp):                 # line 2
        z = x[neuron_index] + neuron.b                           # line 3 (+ 004 §2.5's input bias)
        if hand:
            z = rnd("z", z)
        emit(_new(Event, ("input", 0, neuron_index, z, (x[neuron_index], neuron.b), None, sample, "")))
        neuron.z = z
        if not f_in.layerwise:
            _activate(neuron, f_in, 0, neuron_index, emit, rnd, sample)   # line 4
    if f_in.layerwise:
        _activate_softmax(inp, 0, emit, rnd, sample)

    for layer in range(len(layers) - 1):                         # line 8
        forward_layer = layer + 1                                # line 9
        src = layers[layer]
        dst = layers[forward_layer]
        f = activations[forward_layer]
        for forward_neuron, dest in enumerate(dst):              # line 10
            z = 0.0                                              # line 11
            for neuron_index, neuron in enumerate(src):          # line 12
                w = neuron.w[forward_neuron]
                a = neuron.a
                product = w * a                                  # line 13
                emit(_new(Event, ("product", forward_layer, forward_neuron, product, (w, a),
                                  neuron_index, sample, "")))
                z += product
            total = z
            z += dest.b                                          # line 14, corrected (destination's bias)
            if hand:
                z = rnd("z", z)
            emit(_new(Event, ("z", forward_layer, forward_neuron, z, (total, dest.b), None, sample, "")))
            dest.z = z                                           # line 16
            if not f.layerwise:
                _activate(dest, f, forward_layer, forward_neuron, emit, rnd, sample)   # line 17
        if f.layerwise:
            _activate_softmax(dst, forward_layer, emit, rnd, sample)
    return [neuron.a for neuron in layers[-1]]


def _activate(neuron, f, layer, index, emit, rnd, sample) -> None:
    a = f.f(neuron.z)
    if rnd is not None:
        a = rnd("a", a)
    emit(_new(Event, ("a", layer, index, a, (neuron.z,), None, sample, f.name)))
    neuron.a = a


def _activate_softmax(layer_neurons, layer, emit, rnd, sample) -> None:
    a = softmax([n.z for n in layer_neurons])
    for index, neuron in enumerate(layer_neurons):
        if rnd is not None:
            a[index] = rnd("a", a[index])
        emit(_new(Event, ("a", layer, index, a[index], (neuron.z,), None, sample, "softmax")))
        neuron.a = a[index]


# ---------------------------------------------------------------------------
# loss
# ---------------------------------------------------------------------------

def loss(net, y, emit, sample: int = 0) -> float:
    a = [neuron.a for neuron in net.layers[-1]]
    terms = net.loss.terms(a, y)
    total = sum(terms)
    last = len(net.layers) - 1
    for k, t in enumerate(terms):
        emit(_new(Event, ("loss_term", last, k, t, (a[k], y[k]), None, sample, net.loss.name)))
    emit(Event("loss", last, -1, total, tuple((f"L_{k}", t) for k, t in enumerate(terms)),
               sample=sample, note=net.loss.name))
    return total


# ---------------------------------------------------------------------------
# backward — 004 §2.4.1 lines 1–32 (see passes.backward for the SLIP notes)
# ---------------------------------------------------------------------------

def backward(net, y, emit, rnd, sample: int = 0) -> None:
    emit = _sink(emit)
    hand = rnd is not None
    layers = net.layers
    activations = net.activations
    output_layer = len(layers) - 1                               # line 7
    out = layers[output_layer]
    f = activations[output_layer]
    a = [neuron.a for neuron in out]
    dL_da = net.loss.grad(a, y)
    for k in range(len(out)):
        if hand:
            dL_da[k] = rnd("dL_da", dL_da[k])
        emit(_new(Event, ("dL_da", output_layer, k, dL_da[k], (a[k], y[k]), None, sample, net.loss.name)))
    if f.layerwise:
        # softmax + cross-entropy with targets summing to 1: the path sum
        # equals ŷ_k − y_k (003); the event carries a_k and y_k so a view can
        # show that closed form beside the sum (display only: δ is the sum)
        closed = y if net.loss.name == "cross_entropy" and abs(sum(y) - 1.0) <= 1e-12 else None
        _softmax_deltas(out, dL_da, output_layer, "delta_out", emit, rnd, sample, closed)
    else:
        fp = f.fprime
        for neuron_index, neuron in enumerate(out):              # line 11
            fpz = fp(neuron.z, neuron.a)
            # kind "fprime_out": the output f' is a factor of δ_k's one
            # product (002 §7, 004 eq. 12), so a hand calculation may carry
            # it unrounded (see present/handcalc.py).
            if hand:
                fpz = rnd("fprime_out", fpz)
            emit(_new(Event, ("fprime", output_layer, neuron_index, fpz, (neuron.z, neuron.a), None,
                              sample, f.name)))
            delta = dL_da[neuron_index] * fpz                    # line 15
            if hand:
                delta = rnd("delta", delta)
            neuron.delta = delta
            emit(_new(Event, ("delta_out", output_layer, neuron_index, delta, (dL_da[neuron_index], fpz),
                              None, sample, f.name)))

    last = 0 if net.input_bias else 1
    for hidden_layer in range(output_layer - 1, last - 1, -1):   # line 20
        forward_layer = hidden_layer + 1                         # line 21
        hidden = layers[hidden_layer]
        forward_deltas = [neuron.delta for neuron in layers[forward_layer]]
        f = activations[hidden_layer]
        dsums = []
        for neuron_index, neuron in enumerate(hidden):           # line 22
            dsum = 0.0                                           # line 23
            for forward_neuron, w in enumerate(neuron.w):        # lines 24–26 (line 25 corrected)
                delta_forward = forward_deltas[forward_neuron]
                product = delta_forward * w                      # line 27
                emit(_new(Event, ("backprop", hidden_layer, neuron_index, product, (delta_forward, w),
                                  forward_neuron, sample, "")))
                dsum += product
            exact = dsum
            if hand:
                dsum = rnd("dL_da", dsum)
            emit(_new(Event, ("dsum", hidden_layer, neuron_index, dsum, (exact,), None, sample, "")))
            if f.layerwise:                                      # lines 28–29, after the loop
                dsums.append(dsum)
            else:
                fpz = f.fprime(neuron.z, neuron.a)
                if hand:
                    fpz = rnd("fprime", fpz)
                emit(_new(Event, ("fprime", hidden_layer, neuron_index, fpz, (neuron.z, neuron.a), None,
                                  sample, f.name)))
                delta = fpz * dsum
                if hand:
                    delta = rnd("delta", delta)
                neuron.delta = delta
                emit(_new(Event, ("delta", hidden_layer, neuron_index, delta, (fpz, dsum), None, sample, f.name)))
        if f.layerwise:
            _softmax_deltas(hidden, dsums, hidden_layer, "delta", emit, rnd, sample)


def _softmax_deltas(layer_neurons, dL_da, layer, kind, emit, rnd, sample, closed=None) -> None:
    a = [neuron.a for neuron in layer_neurons]
    deltas = []
    for k in range(len(layer_neurons)):
        total = 0.0
        for n in range(len(layer_neurons)):
            jac = softmax_jacobian(a, n, k)
            path = dL_da[n] * jac
            emit(_new(Event, ("jacobian", layer, k, jac, (a[n], a[k]), n, sample, "")))
            emit(_new(Event, ("path", layer, k, path, (dL_da[n], jac), n, sample, "")))
            total += path
        deltas.append(total)
    for k, neuron in enumerate(layer_neurons):
        delta = deltas[k] if rnd is None else rnd("delta", deltas[k])
        neuron.delta = delta
        terms = (("sum", deltas[k]),) if closed is None else (("sum", deltas[k]), ("a", a[k]), ("y", closed[k]))
        emit(Event(kind, layer, k, delta, terms, sample=sample, note="softmax"))


# ---------------------------------------------------------------------------
# corrections — 004 §2.4.1 lines 34–44
# ---------------------------------------------------------------------------

def _bias_layers(net):
    start = 0 if net.input_bias else 1
    return range(len(net.layers) - 1, start - 1, -1)


def _trained_bias_layers(net):
    """As passes.trained_bias_layers: no b steps (and no events) for a
    layer without biases."""
    return [l for l in _bias_layers(net) if l not in net.no_bias]


def correct(net, eta: float, eta_b: float, emit, rnd, sample: int = 0) -> None:
    emit = _sink(emit)
    hand = rnd is not None
    layers = net.layers
    output_layer = len(layers) - 1
    for layer in range(output_layer - 1, -1, -1):                # line 35
        forward_deltas = [neuron.delta for neuron in layers[layer + 1]]
        for neuron_index, neuron in enumerate(layers[layer]):    # line 36
            a = neuron.a                                         # line 38
            w = neuron.w
            eta_a = eta * a                                      # as passes.correct: η·a once
            for forward_neuron, delta in enumerate(forward_deltas):   # lines 39–40
                grad = delta * a                                 # ∂L/∂w_ij, shown
                old = w[forward_neuron]
                if hand:
                    grad = rnd("grad", grad)
                    step = rnd("eta_grad", eta * grad)
                    new = rnd("w", old - step)
                else:
                    step = eta_a * delta                         # the plain pass's (η·a)·δ
                    new = old - step                             # line 41
                emit(_new(Event, ("grad_w", layer + 1, forward_neuron, grad, (delta, a), neuron_index,
                                  sample, "")))
                w[forward_neuron] = new
                emit(_new(Event, ("update_w", layer + 1, forward_neuron, new, (old, eta, grad, step),
                                  neuron_index, sample, "")))
    for layer in _trained_bias_layers(net):                      # lines 16 and 37 (37's += corrected)
        for neuron_index, neuron in enumerate(layers[layer]):
            grad = neuron.delta
            if hand:
                grad = rnd("grad", grad)
            emit(_new(Event, ("grad_b", layer, neuron_index, grad, (neuron.delta,), None, sample, "")))
            _update_b(neuron, neuron_index, layer, grad, eta_b, hand, rnd, emit, sample)


def _update_b(neuron, neuron_index, layer, grad, eta_b, hand, rnd, emit, sample) -> None:
    """b ← b − η_b·grad, as the plain pass computes it (``b -= eta_b * grad``)."""
    old = neuron.b
    step = eta_b * grad
    if hand:
        step = rnd("eta_grad", step)
        new = rnd("b", old - step)
    else:
        new = old - step
    neuron.b = new
    emit(_new(Event, ("update_b", layer, neuron_index, new, (old, eta_b, grad, step), None, sample, "")))


def accumulate(net, emit, rnd, sample: int = 0) -> None:
    emit = _sink(emit)
    hand = rnd is not None
    layers = net.layers
    for layer in range(len(layers) - 2, -1, -1):                 # line 35
        forward_deltas = [neuron.delta for neuron in layers[layer + 1]]
        for neuron_index, neuron in enumerate(layers[layer]):    # line 36
            a = neuron.a                                         # line 38
            nabla_w = neuron.nabla_w
            for forward_neuron, delta in enumerate(forward_deltas):   # lines 39–40
                grad = delta * a                                 # line 41, as a gradient
                if hand:
                    grad = rnd("grad", grad)
                emit(_new(Event, ("grad_w", layer + 1, forward_neuron, grad, (delta, a), neuron_index,
                                  sample, "")))
                old = nabla_w[forward_neuron]
                nabla_w[forward_neuron] = total = old + grad
                emit(_new(Event, ("accumulate_w", layer + 1, forward_neuron, total, (old, grad),
                                  neuron_index, sample, "")))
    for layer in _bias_layers(net):
        if layer in net.no_bias:           # no b to step: the sum kept, as passes.accumulate keeps it, unshown
            for neuron in layers[layer]:
                neuron.nabla_b += neuron.delta
    for layer in _trained_bias_layers(net):
        for neuron_index, neuron in enumerate(layers[layer]):
            grad = neuron.delta
            if hand:
                grad = rnd("grad", grad)
            emit(_new(Event, ("grad_b", layer, neuron_index, grad, (neuron.delta,), None, sample, "")))
            old = neuron.nabla_b
            neuron.nabla_b = total = old + grad
            emit(_new(Event, ("accumulate_b", layer, neuron_index, total, (old, grad), None, sample, "")))


def apply(net, eta: float, eta_b: float, n: int, reduction: str, scale: float, emit, rnd) -> None:
    emit = _sink(emit)
    hand = rnd is not None
    layers = net.layers
    for layer in range(len(layers) - 2, -1, -1):
        for neuron_index, neuron in enumerate(layers[layer]):
            w = neuron.w
            nabla_w = neuron.nabla_w
            for forward_neuron in range(len(w)):
                total = nabla_w[forward_neuron]
                grad = total * scale                             # ∇w/N (mean) or ∇w (sum)
                if hand:
                    grad = rnd("grad", grad)
                emit(_new(Event, ("batch_w", layer + 1, forward_neuron, grad, (total, n), neuron_index, -1,
                                  reduction)))
                old = w[forward_neuron]
                step = eta * grad
                if hand:
                    step = rnd("eta_grad", step)
                    new = rnd("w", old - step)
                else:
                    new = old - step                             # passes.apply: w −= η·(∇w·scale)
                w[forward_neuron] = new
                emit(_new(Event, ("update_w", layer + 1, forward_neuron, new, (old, eta, grad, step),
                                  neuron_index, -1, "")))
                nabla_w[forward_neuron] = 0.0
    for layer in net.no_bias:
        for neuron in layers[layer]:
            neuron.nabla_b = 0.0
    for layer in _trained_bias_layers(net):
        for neuron_index, neuron in enumerate(layers[layer]):
            total = neuron.nabla_b
            grad = total * scale
            if hand:
                grad = rnd("grad", grad)
            emit(_new(Event, ("batch_b", layer, neuron_index, grad, (total, n), None, -1, reduction)))
            _update_b(neuron, neuron_index, layer, grad, eta_b, hand, rnd, emit, -1)
            neuron.nabla_b = 0.0
