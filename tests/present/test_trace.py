"""The trace of one training step: counts, numbers, filters, JSON Lines, CLI, memory.

Golden numbers come from 002_25d3dd3a4f2fa46e.txt (printed to 4 decimals;
the section is named at each check).
"""
import io
import json
import subprocess
import sys
from collections import Counter

import pytest

import neuronet
from neuronet.engine import events, passes
from neuronet.present.render import make
from neuronet.present.render.jsonl import JsonlRenderer
from neuronet.present.tracing import Filter, trace

from conftest import SWITCH

X, Y, ETA = [1.0, 0.0], [0.0, 1.0], 0.5          # 002 §7: a = (1, 0), target d = (0, 1), l = 0.5


def _step_002(emit, rnd=None):
    net = neuronet.load(SWITCH)
    passes.step(net, [X], [Y], ETA, emit=emit, rnd=rnd)
    return net


def test_counts_of_one_step_on_002():
    rec = events.Recorder()
    net = _step_002(rec)
    sizes = net.sizes                                            # 2-4-3-2
    c = Counter(e.kind for e in rec)
    n_weights = sum(a * b for a, b in zip(sizes, sizes[1:]))    # Σ n_l·n_{l+1} = 8 + 12 + 6
    n_neurons = sum(sizes[1:])                                   # non-input neurons: 4 + 3 + 2
    assert n_weights == 26 and n_neurons == 9
    assert c["product"] == n_weights
    assert c["delta_out"] + c["delta"] == n_neurons             # one δ per non-input neuron
    assert c["delta_out"] == 2
    assert c["grad_w"] == c["update_w"] == n_weights
    # 002 has no biases (its line 11; the spec says biases = false): no bias steps
    assert c["grad_b"] == c["update_b"] == 0
    assert c["z"] == c["fprime"] == n_neurons
    assert c["a"] == n_neurons + 2 and c["input"] == 2
    assert c["backprop"] == 4 * 3 + 3 * 2                        # δ_k·w_jk into the hidden layers
    assert c["loss_term"] == 2 and c["loss"] == 1
    # every weight appears once in the gradients and once in the updates
    assert {(e.layer, e.source, e.neuron) for e in rec.of("grad_w")} == \
        {(e.layer, e.source, e.neuron) for e in rec.of("update_w")}
    assert len({(e.layer, e.source, e.neuron) for e in rec.of("grad_w")}) == n_weights


def test_terms_match_the_text_to_its_four_decimals():
    """Full-precision values against 002's printed numbers.  The text rounds
    to 4 decimals and carries the rounded numbers on, so a full-precision
    value may differ from the print by up to one unit in the 4th decimal
    (e.g. net_c3: 1.74474… here, 1.7448 from its rounded out_b)."""
    rec = events.Recorder()
    _step_002(rec)
    by = {(e.kind, e.layer, e.neuron, e.source): e.value for e in rec}

    def v(kind, layer, neurons, source=None):
        return [by[(kind, layer, j, source)] for j in neurons]

    close = dict(abs=1.0001e-4)
    # §4: out_b = sig(net_b) = [0.5250, 0.5744, 0.6225, 0.6682]
    assert v("a", 1, range(4)) == pytest.approx([0.5250, 0.5744, 0.6225, 0.6682], **close)
    # §4: net_c = [0.7887, 1.2667, 1.7448], out_c = [0.6876, 0.7802, 0.8513]
    assert v("z", 2, range(3)) == pytest.approx([0.7887, 1.2667, 1.7448], **close)
    assert v("a", 2, range(3)) == pytest.approx([0.6876, 0.7802, 0.8513], **close)
    # §4: net_d2 = 1.6397 (its net_d1 = 0.9441 is a slip: see test_handcalc), out_d = [0.7199, 0.8375]
    assert by[("z", 3, 1, None)] == pytest.approx(1.6397, **close)
    assert v("a", 3, range(2)) == pytest.approx([0.7199, 0.8375], **close)
    # §7: ∂E_total/∂net_d = [0.1452, −0.0221]
    assert v("delta_out", 3, range(2)) == pytest.approx([0.1452, -0.0221], **close)
    # §7: W_dg first row = [0.0998, 0.1133, 0.1236] (row d1, columns c1..c3)
    assert [by[("grad_w", 3, 0, i)] for i in range(3)] == pytest.approx([0.0998, 0.1133, 0.1236], **close)
    # §7: ∂E_total/∂out_c1 = 0.0303, sig'(net_c1) = 0.2148, ∂E_total/∂net_c1 = 0.0065
    assert by[("dsum", 2, 0, None)] == pytest.approx(0.0303, **close)
    assert by[("fprime", 2, 0, None)] == pytest.approx(0.2148, **close)
    assert by[("delta", 2, 0, None)] == pytest.approx(0.0065, **close)
    # §7: sig'(net_b) = [0.2494, 0.2445, 0.2350, 0.2217]
    assert v("fprime", 1, range(4)) == pytest.approx([0.2494, 0.2445, 0.2350, 0.2217], **close)


def test_filters_pass_only_what_was_asked():
    rec = events.Recorder()
    _step_002(Filter(rec, weight=[(2, 1, 0)]))                  # w from b2 into c1 (0-based)
    assert [e.kind for e in rec] == ["product", "backprop", "grad_w", "update_w"]
    # 002 §7: W_c_new[1][2] (row c1, column b2) = 0.2981 after its hand rounding; here unrounded
    assert rec.events[-1].term("old") == 0.30 and round(rec.events[-1].value, 4) == 0.2981

    rec = events.Recorder()
    _step_002(Filter(rec, neuron=[(3, 1)]))
    assert rec.events and all((e.layer, e.neuron) == (3, 1) for e in rec)
    assert Counter(e.kind for e in rec)["product"] == 3           # its three incoming w·a

    rec = events.Recorder()
    _step_002(Filter(rec, phase=["delta"], layer=[1]))
    assert {e.phase for e in rec} == {"delta"} and {e.layer for e in rec} == {1}

    calls = []
    _step_002(Filter(calls.append, phase=["loss"]))
    assert [e.kind for e in calls] == ["loss_term", "loss_term", "loss"]


def test_sample_filter_on_a_batch():
    net = neuronet.load(SWITCH)
    t = trace(net, [[1, 0], [0, 1]], [[0, 1], [1, 0]], eta=0.5, sample=[1])
    assert t.events and {e.sample for e in t} == {1}
    assert {e.kind for e in t} >= {"grad_w", "accumulate_w"}
    assert "accumulate_b" not in {e.kind for e in t}          # 002 has no biases


SOFTMAX_SPEC = {"name": "softmax", "loss": "cross_entropy",
                "layers": [{"size": 2}, {"size": 2, "activation": "tanh", "weights": [[0.1, -0.2], [0.3, 0.4]]},
                           {"size": 3, "activation": "softmax",
                            "weights": [[0.5, -0.6, 0.7], [0.8, 0.9, -1.0]], "biases": [0.1, 0.0, -0.1]}]}


@pytest.mark.parametrize("spec, xs, ys", [
    (None, [X], [Y]),
    (SOFTMAX_SPEC, [[1, 2], [0.5, -1]], [[0, 0, 1], [1, 0, 0]]),
])
def test_jsonl_round_trips_line_by_line(spec, xs, ys):
    net = neuronet.load(SWITCH) if spec is None else neuronet.from_dict(spec)
    rec = events.Recorder()
    out = io.StringIO()
    with JsonlRenderer(out) as sink:      # closing writes the last block
        passes.step(net, xs, ys, 0.5, emit=lambda e: (rec(e), sink(e)))
    lines = out.getvalue().splitlines()
    assert len(lines) == len(rec)
    for line, e in zip(lines, rec):
        d = json.loads(line)
        assert d == e.to_dict()
        assert list(d) == ["phase", "kind", "layer", "neuron", "source", "sample", "formula", "terms", "value", "note"]
        # term names are the documented ones (events.TERMS; README schema)
        if e.kind == "loss":
            assert list(d["terms"]) == [f"L_{k}" for k in range(net.sizes[-1])]
        elif e.note == "softmax" and e.kind in ("delta_out", "delta"):
            # softmax + cross-entropy output δ also carries ŷ_k and y_k (the sum is ŷ_k − y_k)
            assert list(d["terms"]) in (["sum"], ["sum", "a", "y"])
            if "y" in d["terms"]:
                assert abs(d["terms"]["a"] - d["terms"]["y"] - d["value"]) < 1e-12   # 003's closed form
        else:
            assert tuple(d["terms"]) == events.TERMS[e.kind], e.kind
    if spec is not None:
        kinds = {json.loads(line)["kind"] for line in lines}
        assert {"jacobian", "path", "batch_w", "batch_b", "accumulate_w"} <= kinds


def test_cli_text_is_the_default_off_a_terminal(cli):
    r = cli("trace", SWITCH, "--input", "1,0", "--target", "0,1", "--layer", "3")
    assert r.returncode == 0, r.stderr
    assert "\x1b" not in r.stdout
    assert r.stdout.startswith("── sample 0 · forward · layer k ──")      # 004's output layer k
    lines = [" ".join(line.split()) for line in r.stdout.splitlines()]   # the lhs column is padded
    # 002 §7: 0.1452; ≈ because 0.7199·0.2016 = 0.14513 on a calculator (numbers.py rule 3)
    assert "δ_k0 = ∂L_T/∂a_k0·f'(z_k0) = 0.7199·0.2016 ≈ 0.1452" in lines


def test_cli_formats(cli):
    base = ("trace", SWITCH, "--input", "1,0", "--target", "0,1", "--weight", "3:0:0")
    r = cli(*base, "--format", "markdown", "--notation", "net-out")
    assert r.returncode == 0, r.stderr
    assert r"- $\mathrm{out}_{d1}" not in r.stdout          # filtered to one weight
    assert r"w_{d1} \cdot \mathrm{out}_{c1}" in r.stdout
    r = cli(*base, "--format", "rich")
    assert r.returncode == 0 and "w_j0k0" in r.stdout
    r = cli(*base, "--format", "jsonl")
    assert [json.loads(line)["kind"] for line in r.stdout.splitlines()] == ["product", "backprop", "grad_w", "update_w"]


@pytest.mark.parametrize("flag, value", [("--neuron", "9:0"), ("--weight", "1:2:0"), ("--layer", "4"),
                                         ("--neuron", "x")])
def test_cli_bad_filter_is_one_line_exit_2(cli, flag, value):
    r = cli("trace", SWITCH, "--input", "1,0", "--target", "0,1", flag, value)
    assert r.returncode == 2 and r.stdout == ""
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr


def test_jsonl_trace_of_784_200_100_10_streams_in_flat_memory(tmp_path):
    spec = {"name": "mnist-shape", "loss": "half_sse", "init": {"seed": 0, "scheme": "xavier"},
            "layers": [{"size": 784}, {"size": 200, "activation": "sigmoid"},
                       {"size": 100, "activation": "sigmoid"}, {"size": 10, "activation": "sigmoid"}]}
    (tmp_path / "net.json").write_text(json.dumps(spec))
    (tmp_path / "one.json").write_text(json.dumps({"inputs": [[0.5] * 784], "targets": [[0] * 9 + [1]]}))
    # Measure the trace process alone: RUSAGE_CHILDREN of *this* process would
    # report the largest child the whole test session ever waited for, so a
    # fresh Python runs the trace and reports its own children's peak.
    probe = ("import resource, subprocess, sys\n"
             "subprocess.run([sys.executable, '-m', 'neuronet', 'trace', 'net.json', '--data', 'one.json',"
             " '--format', 'jsonl'], stdout=subprocess.DEVNULL, check=True)\n"
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")
    r = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True,
                       check=True, timeout=300)
    peak_mb = int(r.stdout.strip()) / 1024   # Linux: KiB
    assert peak_mb < 200, f"peak RSS {peak_mb:.0f} MB"


def test_python_api_renders():
    t = trace(str(SWITCH), [1, 0], [0, 1], eta=0.5, notation="net-out", layer=[3], phase=["forward"])
    assert len(t) == 2 * 3 + 2 + 2                                    # products, z, a of d1 and d2
    assert t.lines()[3] == "net_d1 = (W_d·out_c)_1 = 0.944"          # 002 has no biases
    from rich.console import Console
    c = Console(file=io.StringIO(), color_system=None, width=120)
    c.print(t)
    assert "out_d2" in c.file.getvalue()
    assert t._repr_html_().count("<math ") == len(t)                   # one MathML formula a term
    assert make("text", io.StringIO()) is not None


def test_softmax_cross_entropy_output_delta_shows_y_hat_minus_y(cli):
    # 003 writes δ^1 = ŷ − y for softmax + cross-entropy; the trace shows that
    # closed form beside the Jacobian path sum, in 003's symbols
    from conftest import ROOT
    d = ROOT / "walkthroughs" / "softmax-ce"
    r = cli("trace", d / "network.toml", "--data", d / "samples.json", "--notation", "z-h", "--phase", "delta",
            "--sample", "0", "--format", "text")
    assert r.returncode == 0, r.stderr
    lines = [ln.strip() for ln in r.stdout.splitlines() if ln.split() and ln.split()[0].startswith("δ_") and ln.split()[0].endswith("^1")]
    assert len(lines) == 3
    for k, ln in enumerate(lines, 1):
        assert f"= Σ_n ∂H/∂ŷ_n·∂ŷ_n/∂z_{k}^3 = ŷ_{k} − y_{k} = " in ln
