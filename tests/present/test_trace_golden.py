"""Golden plain-text traces, one per notation, of the 1-1-1 network of
004_69dfc149af69048d.txt §2.5 (one input, one hidden, one output neuron; the
input neuron has a bias and an activation, eq. (6): a_i = f(z_i + b_i)).

Numbers chosen so that every value is exact and checkable by hand: x = 1,
b_i = −1, w_ij = 2, b_j = −1, w_jk = 4, b_k = −2, y_k = 1, f = sigmoid, ½SSE,
η = η_b = 1.  Checked by hand against §2.5 (our z includes the bias, as
eq. (1) does; 004's eqs. (7)–(10) write z_j = w_ij·a_i and a_j = f(z_j + b_j)):

  (6)  a_i = f(1 + (−1)) = f(0) = 0.5
  (7,8)  z_j + b_j = 2·0.5 − 1 = 0,  a_j = 0.5
  (9,10) z_k + b_k = 4·0.5 − 2 = 0,  a_k = 0.5;  L = ½(0.5 − 1)² = 0.125
  (12) δ_k = f'(z_k)(a_k − y_k) = 0.5(1 − 0.5)·(0.5 − 1) = 0.25·(−0.5) = −0.125
  (13) δ_j = f'(z_j)·δ_k·w_jk = 0.25·(−0.125·4) = 0.25·(−0.5) = −0.125
       (and, the same way, δ_i = 0.25·(−0.125·2) = −0.0625 for the input bias)
  (14) Δw_jk = η δ_k a_j = 1·(−0.125)·0.5 = −0.0625 → w_jk = 4 − (−0.0625) = 4.0625
  (15) Δw_ij = η δ_j a_i = 1·(−0.125)·0.5 = −0.0625 → w_ij = 2 − (−0.0625) = 2.0625
  biases: b_k = −2 + 0.125 = −1.875, b_j = −1 + 0.125 = −0.875, b_i = −1 + 0.0625 = −0.9375
(004's (14)–(15) print Δw without the minus of eq. (39), Δw = −η δ a; the
update here descends, w − η·∂L/∂w, as its eq. (2) does.)
In 004's notation a chain of one-neuron layers is written with §2.5's
letters (z_i, a_i, w_ij, δ_k, y_k, L_T of eq. 46).
Terminal symbols are plain (w_ij, not w_{ij}); 002's inputs are a_1
(002 §3: "the two inputs a_1 and a_2") and its error ½(target − out)² (002 (1)).
The symbols were checked against each text's own (004 §2.2, 002 §3–4,
001's z^[l]/g^[lz], 000's u/o table, 003's z/h/ŷ and δ^1 at the output).
"""
import io
from pathlib import Path

import pytest

import neuronet
from neuronet.present.notation import NOTATIONS
from neuronet.present.render.text import TextRenderer
from neuronet.present.tracing import trace

SPEC = {"name": "one-one-one", "loss": "half_sse",
        "layers": [{"size": 1, "activation": "sigmoid", "biases": [-1.0]},
                   {"size": 1, "activation": "sigmoid", "weights": [[2.0]], "biases": [-1.0]},
                   {"size": 1, "activation": "sigmoid", "weights": [[4.0]], "biases": [-2.0]}]}

#: One golden text per notation: tests/present/golden/trace-NAME.txt (the layout is the
#: code's, regenerable with `pytest -m golden --regenerate-goldens`; the numbers in it
#: are the hand derivation above, which test_the_numbers_are_the_hand_derivation keeps
#: by itself, so a regeneration cannot bless a wrong number).
GOLDEN_DIR = Path(__file__).resolve().parent / "golden"

#: The hand derivation of the docstring, (kind, layer) → value: never regenerated.
BY_HAND = {("a", 0): 0.5, ("a", 1): 0.5, ("a", 2): 0.5, ("loss", 2): 0.125,
           ("delta_out", 2): -0.125, ("delta", 1): -0.125, ("delta", 0): -0.0625,
           ("update_w", 2): 4.0625, ("update_w", 1): 2.0625,
           ("update_b", 2): -1.875, ("update_b", 1): -0.875, ("update_b", 0): -0.9375}


@pytest.mark.golden
@pytest.mark.parametrize("name", NOTATIONS)
def test_golden_trace_per_notation(name, golden):
    t = trace(neuronet.from_dict(SPEC), [1.0], [1.0], eta=1.0, notation=name, digits=6)
    golden.check(GOLDEN_DIR / f"trace-{name}.txt", t.text().rstrip("\n") + "\n")


def test_every_golden_is_a_notation():
    """No golden left behind by a notation that is gone (a new one's golden is
    written by the regeneration and then reviewed)."""
    assert {p.name for p in GOLDEN_DIR.glob("trace-*.txt")} == {f"trace-{n}.txt" for n in NOTATIONS}


def test_the_numbers_are_the_hand_derivation():
    from neuronet.engine.events import Recorder
    rec = Recorder()
    neuronet.from_dict(SPEC).step([[1.0]], [[1.0]], 1.0, emit=rec)
    got = {(e.kind, e.layer): e.value for e in rec if (e.kind, e.layer) in BY_HAND}
    assert got == BY_HAND


def test_rich_renderer_without_colour_has_the_same_terms():
    """The rich table (colour off, fixed width) carries the same cells."""
    from rich.console import Console
    t = trace(neuronet.from_dict(SPEC), [1.0], [1.0], eta=1.0, notation="delta", digits=6)
    c = Console(file=io.StringIO(), color_system=None, width=140, force_terminal=False)
    t.render("rich", console=c)
    out = c.file.getvalue()
    assert "\x1b" not in out
    row = next(line for line in out.splitlines() if line.lstrip().startswith("δ_k "))   # rows indented as in text
    assert row.split() == ["δ_k", "=", "∂L_T/∂a_k·f'(z_k)", "=", "(−0.5)·0.25", "=", "−0.125"]


def test_text_renderer_streams_line_by_line():
    out = io.StringIO()
    sink = TextRenderer(out)
    net = neuronet.from_dict(SPEC)
    net.step([[1.0]], [[1.0]], 1.0, emit=sink)
    assert sink.count == len([line for line in out.getvalue().splitlines() if line.startswith("  ")])
