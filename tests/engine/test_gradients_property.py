"""Backprop against central finite differences (the independent judge) over
random architectures, every activation × every loss, batches, reductions."""

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import neuronet
from neuronet.check import gradcheck
from neuronet.engine import passes
from neuronet.engine.activations import ACTIVATIONS
from neuronet.errors import NumericError
from neuronet.engine.losses import LOSSES
from strategies import problems

ACTS = sorted(ACTIVATIONS)
LOSS_NAMES = sorted(LOSSES)
RTOL, ATOL = 1e-6, 1e-9
KINK = 2e-2          # relu/leaky_relu are not differentiable at 0: keep |z| away from it, by more
                     # than the finite differences' ±2h steps can move it through a deep net


@st.composite
def problems_with_reduction(draw):
    spec, xs, ys = draw(problems())
    return spec, xs, ys, draw(st.sampled_from(["mean", "sum"]))


def _away_from_kinks(net, xs):
    for x in xs:
        passes.forward(net, x)
        for layer, act in zip(net.layers, net.activations):
            if act.name in ("relu", "leaky_relu") and any(abs(n.z) < KINK for n in layer):
                return False
    return True


def _in_domain(net, xs, ys):
    """bce/cross_entropy need outputs where their logs are finite and not too
    close to the edge, where log's high derivatives make finite differences
    (not backprop) inaccurate)."""
    try:
        for x, y in zip(xs, ys):
            passes.forward(net, x)
            passes.loss(net, y)
            if net.loss.name in ("bce", "cross_entropy"):
                if any(not (0.01 < a < 0.99) for a in net.output):
                    return False
    except NumericError:
        return False
    return True


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(problems_with_reduction())
def test_backprop_equals_central_differences(problem):
    spec, xs, ys, reduction = problem
    net = neuronet.from_dict(spec)
    assume(_away_from_kinks(net, xs))
    assume(_in_domain(net, xs, ys))
    entries = gradcheck.check(net, xs, ys, reduction)
    bad = [(e.name, e.backprop, e.numeric) for e in entries if not e.ok(RTOL, ATOL)]
    # finite differences have truncation O(h²) and round-off O(ε/h) errors; a
    # genuine disagreement is far larger than RTOL·|g| + ATOL
    assert not bad, (spec, xs, ys, reduction, bad[:3])


def test_every_activation_and_loss_is_covered():
    # the strategy samples from these tables: guard against a silently empty one
    assert set(ACTS) == {"identity", "sigmoid", "tanh", "relu", "leaky_relu", "softmax"}
    assert set(LOSS_NAMES) == {"half_sse", "sse", "mse", "bce", "cross_entropy"}


def test_gradcheck_fails_when_a_delta_is_corrupted(switch_spec):
    """The checker can fail: corrupt one hidden delta after backward and it says so."""
    net = neuronet.load(switch_spec)
    xs, ys = [[1.0, 0.0]], [[0.0, 1.0]]
    honest = gradcheck.check(net, xs, ys)
    assert all(e.ok(RTOL, ATOL) for e in honest)

    def corrupted(net, xs, ys, reduction):
        real_backward = passes.backward

        def backward_with_a_bug(net, y, *a, **k):
            real_backward(net, y, *a, **k)
            net.layers[2][1].delta *= 1.5          # δ of neuron c2 is wrong
        passes.backward = backward_with_a_bug
        try:
            return passes.gradients(net, xs, ys, reduction)
        finally:
            passes.backward = real_backward

    entries = gradcheck.check(net, xs, ys, backward=corrupted)
    bad = {e.name for e in entries if not e.ok(RTOL, ATOL)}
    # exactly c2's bias and the 4 weights into c2 (layer b's deltas were
    # already computed from the true δ_c2 when the corruption happened)
    assert bad == {"b[2][1]"} | {f"w[2][{i}][1]" for i in range(4)}


def test_gradcheck_cli_exit_codes(cli, switch_spec):
    r = cli("gradcheck", switch_spec, "--input", "1,0", "--target", "0,1")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "all 26+9" not in r.stdout and "agree" in r.stdout
    # a tolerance no finite difference can meet makes it exit 1
    r = cli("gradcheck", switch_spec, "--input", "1,0", "--target", "0,1", "--rtol", "0", "--atol", "0")
    assert r.returncode == 1 and "disagree" in r.stdout
