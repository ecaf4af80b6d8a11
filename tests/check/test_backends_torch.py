"""The torch backend (autograd in float64) against the per-neuron reference
and the matrix backend.  Skipped cleanly when PyTorch is not installed (it is
never a dependency).  Torch's autograd shares no delta formula with either,
so agreement here is agreement of three independent implementations."""
import pytest

torch = pytest.importorskip("torch")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from neuronet import cli  # noqa: E402
from neuronet.check.backends import torch_backend  # noqa: E402
from neuronet.check.backends.contract import check as check_contract  # noqa: E402

from test_backends_matrix import assert_agree, problems, reference  # noqa: E402


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(problems(), st.sampled_from(["mean", "sum"]))
def test_torch_agrees_with_per_neuron_reference(problem, reduction):
    spec, xs, ys = problem
    ref, net = reference(spec, xs, ys, reduction)
    got = torch_backend.gradients(spec, xs, ys, reduction)
    check_contract(got, net.sizes, len(xs), net.input_bias)
    assert_agree(ref, got)


def test_verify_backend_torch_on_002(switch_spec, capsys):
    code = cli.main(["verify", str(switch_spec), "--backend", "torch", "--input", "1,0", "--target", "0,1",
                     "--input", "0,0", "--target", "0,0", "--reduction", "sum"])
    assert code == 0, capsys.readouterr().out
    assert "all 40 numbers agree" in capsys.readouterr().out
