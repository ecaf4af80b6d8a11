"""Mazur's 2-2-2 walkthrough.  Golden values: the figures his "A Step by Step
Backpropagation Example" prints (walkthroughs/mazur-2-2-2/printed.toml, and
typed again here from the text, so the data file cannot drift unseen), each
to half a unit in its own last printed decimal; and his closing error
0.291027924, which is a slip: at his own published weights the error is
0.2910277737 (the issue's figure)."""
import json
import shutil

from conftest import ROOT
from inproc import run

from neuronet.teach import walkthroughs as wt

MAZUR = {   # his figure: (event kind, layer, neuron, source)
    "0.3775": ("z", 1, 0, None), "0.593269992": ("a", 1, 0, None), "0.596884378": ("a", 1, 1, None),
    "0.75136507": ("a", 2, 0, None), "0.772928465": ("a", 2, 1, None), "0.298371109": ("loss", 2, -1, None),
    "0.082167041": ("grad_w", 2, 0, 0), "0.35891648": ("update_w", 2, 0, 0), "0.408666186": ("update_w", 2, 0, 1),
    "0.511301270": ("update_w", 2, 1, 0), "0.561370121": ("update_w", 2, 1, 1),
    "0.000438568": ("grad_w", 1, 0, 0), "0.149780716": ("update_w", 1, 0, 0), "0.19956143": ("update_w", 1, 0, 1),
    "0.24975114": ("update_w", 1, 1, 0), "0.29950229": ("update_w", 1, 1, 1),
}


def half_unit(text):
    return 0.5 * 10.0 ** -len(text.split(".")[1])


def test_every_printed_figure_agrees_and_the_closing_error_is_his_slip():
    r = wt.run(wt.find("mazur-2-2-2"))
    assert r.ok
    printed = [c for c in r.checks if c.kind == "printed"]
    assert len(printed) == len(MAZUR) + 1
    refs = {round(c.reference, 12) for c in printed if c.expect_agree}
    assert refs == {round(float(t), 12) for t in MAZUR}
    slip = [c for c in printed if not c.expect_agree]
    assert len(slip) == 1 and slip[0].reference == 0.291027924 and not slip[0].agrees
    assert abs(r.numbers["E_total_after"] - 0.2910277737) < 5e-11
    assert abs(r.numbers["E_total_at_published_weights"] - 0.2910277737) < 5e-11


def test_the_trace_itself_has_his_figures():
    """Straight from the step the walkthrough records (not its checks)."""
    out = json.loads(run("walkthrough", "mazur-2-2-2", "--format", "json").stdout)
    events = [e for s in out["sections"] if s["trace"] for e in s["trace"]]
    by = {(e["kind"], e["layer"], e["neuron"], e.get("source")): e["value"] for e in events}
    for text, key in MAZUR.items():
        assert abs(by[key] - float(text)) <= half_unit(text), (text, key, by[key])
    assert not any(e["kind"] == "update_b" for e in events)          # he updates no bias


def test_a_wrong_figure_in_the_data_fails_the_walkthrough(tmp_path):
    """The checks can fail: one digit of w5+ changed in a copy of printed.toml."""
    base = tmp_path / "walks"
    shutil.copytree(ROOT / "walkthroughs" / "mazur-2-2-2", base / "mazur-2-2-2")
    p = base / "mazur-2-2-2" / "printed.toml"
    p.write_text(p.read_text(encoding="utf-8").replace('"0.35891648"', '"0.35891658"'), encoding="utf-8")
    r = wt.run(wt.find("mazur-2-2-2", base))
    assert not r.ok
    bad = [c for c in r.checks if not c.ok]
    assert bad[0].reference == 0.35891658 and bad[0].kind == "printed"
    # and the error at his (now wrong) published weights no longer matches the engine's
    assert [c.kind for c in bad[1:]] == ["formula"]
