"""Adapter example 1: a textbook numpy network kept as a list of matrices.

The user's code (above the adapter) is the classic column-vector network:
``weights[l]`` has shape (n_out, n_in), biases are columns (n_out, 1),
sigmoid everywhere, ½·squared error, backprop one sample at a time.  The
adapter builds it from the canonical spec, sums the per-sample gradients,
and answers in the contract: weights as they are with ``"layout":
"to_from"``, numpy arrays as they are, and every layer's ``activations``
so that a forward bug is located at its layer.

    cd docs/examples && neuronet verify ../../walkthroughs/switch-2-4-3-2/network.toml \\
        --backend module:numpy_network:grads --input 1,0 --target 0,1
"""
import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


class Network:
    def __init__(self, weights, biases):
        self.weights, self.biases = weights, biases        # weights[l]: (n_out, n_in)

    def backprop(self, x, y):
        """(∇b, ∇w, activations) of ½‖a − y‖² for one sample (column vectors)."""
        activations, zs = [x], []
        for W, b in zip(self.weights, self.biases):
            zs.append(W @ activations[-1] + b)
            activations.append(sigmoid(zs[-1]))
        delta = (activations[-1] - y) * activations[-1] * (1 - activations[-1])
        nabla_b, nabla_w = [delta], [delta @ activations[-2].T]
        for l in range(2, len(self.weights) + 1):
            a = activations[-l]
            delta = (self.weights[-l + 1].T @ delta) * a * (1 - a)
            nabla_b.insert(0, delta)
            nabla_w.insert(0, delta @ activations[-l - 1].T)
        return nabla_b, nabla_w, activations


# --- adapter ---
def grads(spec, inputs, targets, reduction):
    layers = spec["layers"]
    if spec["loss"] != "half_sse" or {l["activation"] for l in layers[1:]} != {"sigmoid"} \
            or layers[0]["activation"] != "identity" or "biases" in layers[0]:
        raise NotImplementedError("sigmoid layers and ½·SSE only")     # declined, not a failure
    net = Network([np.array(l["weights"]).T for l in layers[1:]],      # spec [from][to] → (n_out, n_in)
                  [np.array(l["biases"]).reshape(-1, 1) for l in layers[1:]])
    per = [net.backprop(np.array(x).reshape(-1, 1), np.array(y).reshape(-1, 1)) for x, y in zip(inputs, targets)]
    scale = 1 / len(inputs) if reduction == "mean" else 1
    outputs = [a[-1].ravel() for _, _, a in per]                       # numpy arrays are fine
    loss = sum(0.5 * ((o - y) ** 2).sum() for o, y in zip(outputs, targets)) * scale
    return {"loss": loss, "outputs": outputs, "layout": "to_from",     # weights are (n_out, n_in)
            "gradients": [{"weights": sum(ws) * scale, "biases": sum(bs).ravel() * scale}
                          for ws, bs in zip(zip(*(w for _, w, _ in per)), zip(*(b for b, _, _ in per)))],
            "activations": [[a[l].ravel() for _, _, a in per] for l in range(len(layers))]}
# --- end ---
