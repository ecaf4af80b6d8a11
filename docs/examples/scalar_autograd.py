"""Adapter example 2: a scalar-autograd library (micrograd style).

The "library" (above the adapter) is a tiny reverse-mode autograd over
single numbers, as people write after Karpathy's micrograd: every weight is a
``Value``; ``backward()`` fills ``.grad`` by the chain rule over the graph.
The adapter builds the spec's network out of Values, adds up the batch
loss, calls ``backward()`` and reads the gradients off the weights.  It
declines (NotImplementedError) what the library cannot do: softmax, the
log losses, leaky ReLU, input-layer activations and biases — so fuzz it with

    cd docs/examples && neuronet verify --random 30 --backend module:scalar_autograd:grads \\
        --activations identity,sigmoid,tanh,relu --losses half_sse,sse,mse
"""
import math


class Value:
    def __init__(self, data, parents=(), local=()):
        self.data, self.grad, self._parents, self._local = float(data), 0.0, parents, local

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, (self, other), (1.0, 1.0))

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, (self, other), (other.data, self.data))

    __radd__, __rmul__ = __add__, __mul__

    def __sub__(self, other):
        return self + other * -1.0

    def apply(self, name):
        x = self.data
        if name == "sigmoid":
            s = 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))
            return Value(s, (self,), (s * (1 - s),))
        if name == "tanh":
            return Value(math.tanh(x), (self,), (1 - math.tanh(x) ** 2,))
        if name == "relu":
            return Value(max(x, 0.0), (self,), (1.0 if x > 0 else 0.0,))
        return self                                        # identity

    def backward(self):
        order, seen = [], set()

        def visit(v):
            if id(v) not in seen:
                seen.add(id(v))
                for p in v._parents:
                    visit(p)
                order.append(v)
        visit(self)
        self.grad = 1.0
        for v in reversed(order):
            for p, d in zip(v._parents, v._local):
                p.grad += d * v.grad


# --- adapter ---
def grads(spec, inputs, targets, reduction):
    layers, loss = spec["layers"], spec["loss"]
    if loss not in ("half_sse", "sse", "mse") or layers[0]["activation"] != "identity" or "biases" in layers[0] \
            or any(l["activation"] not in ("identity", "sigmoid", "tanh", "relu") for l in layers[1:]):
        raise NotImplementedError("identity/sigmoid/tanh/relu layers, (½)SSE or MSE, plain inputs only")
    W = [[[Value(w) for w in row] for row in l["weights"]] for l in layers[1:]]      # W[l][i][j], [from][to]
    B = [[Value(b) for b in l["biases"]] for l in layers[1:]]
    total, outputs = Value(0.0), []
    for x, y in zip(inputs, targets):
        a = [Value(v) for v in x]
        for Wl, Bl, layer in zip(W, B, layers[1:]):
            a = [sum((a[i] * Wl[i][j] for i in range(len(a))), Bl[j]).apply(layer["activation"]) for j in range(len(Bl))]
        outputs.append([v.data for v in a])
        k = {"half_sse": 0.5, "sse": 1.0, "mse": 1.0 / len(a)}[loss]
        total = total + sum(((v - t) * (v - t) * k for v, t in zip(a, y)), Value(0.0))
    total = total * (1.0 / len(inputs) if reduction == "mean" else 1.0)
    total.backward()
    return {"loss": total.data, "outputs": outputs,
            "gradients": [{"weights": [[w.grad for w in row] for row in Wl], "biases": [b.grad for b in Bl]} for Wl, Bl in zip(W, B)]}
# --- end ---
