"""step --html on a network too big for one page: the trace's filters choose
the terms the page steps through: large networks are summarised."""
import json

import neuronet
from neuronet import bench
from neuronet.engine import passes


def test_a_784_step_is_refused_whole_and_paged_through_a_filter(cli, tmp_path):
    sizes = [784, 200, 100, 10]
    spec = tmp_path / "mnist.json"
    neuronet.save(neuronet.from_dict(bench.spec_for(sizes)), spec)
    x, y = bench.sample_for(sizes)
    data = tmp_path / "one.json"
    data.write_text(json.dumps({"inputs": [x], "targets": [y]}))
    page = tmp_path / "m.html"
    r = cli("step", spec, "--data", data, "--html", page)
    assert r.returncode == 2 and not page.exists()
    assert "558,149 terms" in r.stderr and "--neuron" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    r = cli("step", spec, "--data", data, "--html", page, "--neuron", "3:7")
    assert r.returncode == 0, r.stderr
    # the terms of output neuron 7 (as the trace's Filter picks them): the 100 products into it,
    # z, a, its loss term, ∂L/∂a, f′, δ, and the gradient and update of its 100 weights and its bias
    rec = neuronet.Recorder()
    from neuronet.present.tracing import Filter
    passes.step(neuronet.load(spec), [x], [y], 0.5, emit=Filter(rec, neuron=[(3, 7)]))
    assert f"wrote {page} ({len(rec)} terms)" in r.stderr
    assert 200 < len(rec) < 60_000
    assert page.read_text().count("<circle") >= 10


def test_filters_without_html_say_how_to_move_in_the_terminal(cli, switch_spec):
    r = cli("step", switch_spec, "--input", "1,0", "--target", "0,1", "--neuron", "3:0", "--no-interactive")
    assert r.returncode == 2 and "choose the terms of an --html page" in r.stderr
