"""The worked example of 002_25d3dd3a4f2fa46e.txt, from a spec file of its
network (weights as printed, no biases, sigmoid, ½ squared error).

Golden values: the numbers printed in 002 §4 and §7.  The text rounds every
intermediate to 4 decimals and carries the rounded value on, so a
full-precision engine may differ from a printed number by up to one unit in
the 4th decimal (e.g. 002 computes W_cg[2][0] = 0.0070·0.5250 = 0.0037 where
the exact value is 0.003648).  Hence the tolerance TOL = 1e-4.  The
digit-for-digit reproduction with rounded intermediates is the tracer's
--round 4 test.
"""
import json

import pytest

import neuronet
from neuronet.engine import passes

TOL = 1e-4
X, Y = [1.0, 0.0], [0.0, 1.0]           # 002 §7: a1 = 1, a2 = 0 → d1 = 0, d2 = 1


@pytest.fixture
def net(switch_spec):
    return neuronet.load(switch_spec)


def close(ours, printed):
    return abs(ours - printed) <= TOL


def test_forward_pass_matches_002_section_4(net):
    passes.forward(net, X)
    out_b = [n.a for n in net.layers[1]]
    out_c = [n.a for n in net.layers[2]]
    out_d = [n.a for n in net.layers[3]]
    net_c = [n.z for n in net.layers[2]]
    # 002 §4: out_b, net_c, out_c, out_d as printed
    for ours, printed in zip(out_b, [0.5250, 0.5744, 0.6225, 0.6682]):
        assert close(ours, printed)
    for ours, printed in zip(net_c, [0.7887, 1.2667, 1.7448]):
        assert close(ours, printed)
    for ours, printed in zip(out_c, [0.6876, 0.7802, 0.8513]):
        assert close(ours, printed)
    assert close(out_d[0], 0.7199) and close(out_d[1], 0.8375)


def test_deltas_match_002_section_7(net):
    passes.forward(net, X)
    passes.backward(net, Y)
    # 002 §7: ∂E/∂net_d = [0.1452, −0.0221]; ∂E/∂net_c = [0.0065, 0.0073, 0.0070];
    # ∂E/∂net_b = [0.0024, 0.0026, 0.0027, 0.0028]
    for layer, printed in ((3, [0.1452, -0.0221]), (2, [0.0065, 0.0073, 0.0070]),
                           (1, [0.0024, 0.0026, 0.0027, 0.0028])):
        for neuron, p in zip(net.layers[layer], printed):
            assert close(neuron.delta, p), (layer, neuron.delta, p)


def test_gradient_matrices_match_002_section_7(net):
    _, outputs, grads, _ = passes.gradients(net, [X], [Y])
    # 002 §7 prints gradient matrices with one row per destination neuron
    # (W·a layout); ours are [from][to], so printed[j][i] ↔ grads["weights"][i][j].
    printed = {
        3: [[0.0998, 0.1133, 0.1236], [-0.0152, -0.0172, -0.0188]],                 # W_dg
        2: [[0.0034, 0.0037, 0.0040, 0.0043], [0.0038, 0.0042, 0.0045, 0.0049],
            [0.0037, 0.0040, 0.0044, 0.0047]],                                      # "W_cg"
        1: [[0.0024, 0], [0.0026, 0], [0.0027, 0], [0.0028, 0]],                     # W_bg (printed as "W_cg")
    }
    for layer, rows in printed.items():
        weights = grads[layer - 1]["weights"]
        for j, row in enumerate(rows):
            for i, p in enumerate(row):
                assert close(weights[i][j], p), (layer, i, j, weights[i][j], p)
    assert close(outputs[0][0], 0.7199) and close(outputs[0][1], 0.8375)


def test_one_step_of_W_c_matches_002_section_7(net):
    passes.step(net, [X], [Y], eta=0.5)
    # 002 §7: W_c,new = W_c − 0.5·W_cg
    printed = [[0.2483, 0.2981, 0.3480, 0.3978], [0.4481, 0.4979, 0.5477, 0.5975],
               [0.6481, 0.6980, 0.7478, 0.7976]]
    for j, row in enumerate(printed):
        for i, p in enumerate(row):
            assert close(net.weight(2, i, j), p), (i, j, net.weight(2, i, j), p)


def test_grads_cli_prints_the_same_numbers(cli, switch_spec):
    r = cli("grads", switch_spec, "--input", "1,0", "--target", "0,1")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert set(out) == {"loss", "outputs", "gradients"}
    assert close(out["outputs"][0][0], 0.7199)
    assert close(out["gradients"][2]["weights"][0][0], 0.0998)      # W_dg[0][0], 002 §7
    assert close(out["gradients"][0]["weights"][0][3], 0.0028)      # W_bg[3][0], 002 §7
    # E_total = ½(0.7199 − 0)² + ½(0.8375 − 1)²: computed by hand from 002's outputs
    assert abs(out["loss"] - (0.5 * 0.7199 ** 2 + 0.5 * 0.1625 ** 2)) < 1e-4
