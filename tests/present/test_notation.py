"""Notations: symbols as each source text writes them; describing never recomputes."""
import pytest

import neuronet
from neuronet.engine import events
from neuronet.present import notation
from neuronet.engine.events import Event
from neuronet.present.notation import NOTATIONS, describe, fmt
from neuronet.present.view import View

from conftest import SWITCH
from test_trace import SOFTMAX_SPEC

SIZES_002 = [2, 4, 3, 2]


def test_describe_only_formats_the_event_fields():
    # deliberately inconsistent numbers: 2·3 is not 123; describe must not "fix" them,
    # only say so (numbers.py rule 3: ≈ before a value the shown numbers do not give)
    e = Event("grad_w", 2, 0, 123.0, (("delta", 2.0), ("a", 3.0)), source=1)
    d = describe(e, notation.get("delta"))
    assert (d.lhs, d.symbolic, d.numeric, d.value, d.phase) == \
        ("∂L/∂w_10^(2)", "δ_0^(2)·a_1^(1)", "2·3", "123", "gradient")
    assert d.approx
    assert View.of().describe(e).line() == "∂L/∂w_10^(2) = δ_0^(2)·a_1^(1) = 2·3 ≈ 123"


@pytest.mark.parametrize("x, digits, text", [
    (4.0625, 4, "4.063"),          # half-up, as a person rounds (Python's format gives 4.062)
    (-0.0221148, 3, "−0.0221"),
    (0.1452, None, "0.1452"),
    (2.0, 4, "2"),
    (-0.0, 4, "0"),
])
def test_numbers(x, digits, text):
    assert fmt(x, digits) == text


def test_002_weight_numbering():
    """002 §4 numbers each layer's weights row by row of its to-from matrix:
    W_d = [[w_d1, w_d2, w_d3], [w_d4, w_d5, w_d6]], W_c row 1 = w_c1 … w_c4."""
    N = notation.get("net-out", SIZES_002)
    assert N.w(3, 0, 0) == "w_d1"          # c1 → d1
    assert N.w(3, 2, 0) == "w_d3"          # c3 → d1
    assert N.w(3, 0, 1) == "w_d4"          # c1 → d2
    assert N.w(2, 3, 0) == "w_c4"          # b4 → c1
    assert N.w(2, 0, 2) == "w_c9"          # b1 → c3
    assert N.z(1, 0) == "net_b1" and N.a(3, 1) == "out_d2" and N.L() == "E_total"
    assert N.delta(2, 2) == "∂E_total/∂net_c3"


def test_other_texts_symbols():
    # 004 §2.2: layers lettered k (output), j, i, h; the neuron's number after its letter, 0-based
    N = notation.get("delta", SIZES_002)
    assert (N.z(2, 0), N.w(2, 1, 0), N.delta(3, 1), N.L()) == ("z_j0", "w_i1j0", "δ_k1", "L_T")
    # unbound (no shape to letter the layers by): the layer in a superscript
    N = notation.get("delta")
    assert (N.z(2, 0), N.w(2, 1, 0), N.delta(3, 1), N.L()) == ("z_0^(2)", "w_10^(2)", "δ_1^(3)", "L")
    # 001: z_1^[1], W_i,j^[l], g^[lz], g^[la], g'_o / g'_h, 1-based
    N = notation.get("dl-dz", SIZES_002)
    assert (N.z(1, 0), N.w(3, 1, 0), N.delta(3, 0), N.dL_da(2, 1)) == \
        ("z_1^[1]", "W_2,1^[3]", "g_1^[3z]", "g_2^[2a]")
    assert N.fprime_sym(3, 0).startswith("g'_o") and N.fprime_sym(2, 0).startswith("g'_h")
    # 000: u_i^k, o_i^k, w_i,j^k, loss l
    N = notation.get("u-o", SIZES_002)
    assert (N.z(3, 0), N.a(2, 1), N.w(3, 1, 0), N.delta(3, 0)) == ("u_1^3", "o_2^2", "w_2,1^3", "∂l/∂u_1^3")
    # 003: z^3_k, ŷ_k at the output, h at hidden layers, δ^1 = output, δ^2 the layer before
    N = notation.get("z-h", SIZES_002)
    assert (N.a(3, 0), N.a(2, 0), N.a(0, 1), N.delta(3, 0), N.delta(2, 0)) == \
        ("ŷ_1", "h_1^2", "x_2", "δ_1^1", "δ_1^2")


def test_u_o_explains_000s_sign():
    e = Event("delta_out", 2, 0, -0.3, (("sum", -0.3),), note="softmax")
    d = describe(e, notation.get("u-o", [2, 2, 3]))
    assert "(y − o)" in d.remark and "negative" in d.remark
    assert describe(e, notation.get("delta", [2, 2, 3])).remark == ""


@pytest.mark.parametrize("name", NOTATIONS)
@pytest.mark.parametrize("latex", [False, True])
def test_every_kind_in_every_notation(name, latex):
    net = neuronet.from_dict(SOFTMAX_SPEC)
    rec = events.Recorder()
    net.step([[1, 2], [0.5, -1]], [[0, 0, 1], [1, 0, 0]], 0.5, emit=rec)
    N = notation.get(name, net.sizes, latex)
    kinds = set()
    for e in rec:
        d = describe(e, N)
        kinds.add(e.kind)
        assert d.lhs and d.value
        if latex:
            assert "−" not in d.line() and "·" not in d.line()    # LaTeX minus and \cdot
    assert kinds >= {"jacobian", "path", "delta_out", "accumulate_w", "batch_w", "update_b"}


def test_unknown_notation():
    with pytest.raises(ValueError, match="unknown notation"):
        notation.get("nabla")


@pytest.mark.parametrize("name", NOTATIONS)
def test_a_batch_sum_is_named_in_the_weights_own_letters(name):
    """The running sum of ∂L/∂w over a batch (a sum_w event) names its weight
    as the text names the weight: 004 writes w_i1j2, so its sum is ∇w_i1j2,
    never the two-index fallback ∇w_12^(2) beside it."""
    net = neuronet.load(SWITCH)
    rec = events.Recorder()
    net.step([[1, 0], [0, 1]], [[0, 1], [1, 0]], 0.5, emit=rec)
    N = notation.for_net(name, net)
    sums = [e for e in rec if e.kind in ("accumulate_w", "accumulate_b")]
    assert sums, "a batch of two accumulates its gradients"
    for e in sums:
        d = describe(e, N)
        own = N.w(e.layer, e.source, e.neuron) if e.kind == "accumulate_w" else N.b(e.layer, e.neuron)
        assert own in d.lhs, (d.lhs, own)


def test_net_out_on_002():
    net = neuronet.load(SWITCH)
    rec = events.Recorder()
    net.step([[1, 0]], [[0, 1]], 0.5, emit=rec)
    N = notation.for_net("net-out", net)
    z = next(e for e in rec if e.kind == "z" and e.layer == 2)
    # 002 §4 line 64: net_c = W_c * out_b = [0.7887 …]; no "+ b_c1": 002 has no biases (line 11)
    assert describe(z, N).line() == "net_c1 = (W_c·out_b)_1 = 0.7887"


@pytest.mark.parametrize("name", NOTATIONS)
def test_terminal_views_draw_plain_subscripts_and_markdown_draws_latex(cli, name):
    """No LaTeX braces where a terminal shows the symbols (trace,
    step); LaTeX in the Markdown handout of the same step."""
    base = ["--input", "1,0", "--target", "0,1", "--notation", name]
    for args in (["trace", SWITCH, *base, "--format", "text"], ["trace", SWITCH, *base, "--format", "rich"],
                 ["step", SWITCH, *base, "--no-interactive"]):
        r = cli(*args)
        assert r.returncode == 0, r.stderr
        assert "_{" not in r.stdout and "^{" not in r.stdout and "\\" not in r.stdout, args
    r = cli("trace", SWITCH, *base, "--format", "markdown")
    assert "_{" in r.stdout and "\\leftarrow" in r.stdout


def test_002_symbols_follow_the_text():
    """002 §3 names the inputs a_1, a_2 and writes E = ½(target − out)² (its eq. 1)."""
    net = neuronet.load(SWITCH)
    N = notation.for_net("net-out", net)
    assert N.x(0) == "a_1"
    assert N.loss_term("half_sse", N.a(3, 0), N.y(0)) == "½(target_d1 − out_d1)²"
    assert N.layer_name(2) == "layer c" and N.pane(2) == ("net", "out", "∂E/∂net")


def test_003_writes_the_softmax_jacobian_as_it_does():
    """003: ∂ŷ/∂z³ has ŷ_i(1 − ŷ_i) on the diagonal and −ŷ_iŷ_j off it."""
    N = notation.get("z-h", [2, 2, 4, 3])
    assert N.jacobian_formula(N.a(3, 1), N.a(3, 0), False) == "−ŷ_2ŷ_1"
    assert N.jacobian_formula(N.a(3, 0), N.a(3, 0), True) == "ŷ_1(1 − ŷ_1)"
    assert N.jacobian_formula("0.3495", "0.3388", False) == "−0.3495·0.3388"


def test_a_new_notation_is_one_module():
    """Every notation module is found by itself; none is listed by hand."""
    from pathlib import Path
    pkg = Path(notation.__file__).parent
    modules = {p.stem for p in pkg.glob("*.py")} - {"__init__", "base", "styles", "describe"}
    assert len(modules) == len(NOTATIONS)
    src = "".join((pkg / f).read_text() for f in ("base.py", "describe.py", "__init__.py"))
    assert "isinstance(N," not in src


@pytest.mark.parametrize("loss, term, grad", [
    # each written by hand from the loss's definition (004 eq. 46; 001 line 86; 003 line 43)
    ("half_sse", "½(a_k0 − y_k0)²", "a_k0 − y_k0"),
    ("sse", "(a_k0 − y_k0)²", "2·(a_k0 − y_k0)"),
    ("mse", "(a_k0 − y_k0)² / K", "2·(a_k0 − y_k0) / K"),
    ("bce", "−[y_k0·log a_k0 + (1 − y_k0)·log (1 − a_k0)]", "−y_k0 / a_k0 + (1 − y_k0) / (1 − a_k0)"),
    ("cross_entropy", "−y_k0·log a_k0", "−y_k0 / a_k0"),
])
def test_loss_templates_live_with_the_loss_and_are_drawn_by_the_notation(loss, term, grad):
    from neuronet.engine import losses
    L = losses.get(loss)
    assert L.term_template is not None and L.grad_template is not None     # data on the Loss itself
    N = notation.get("delta", [2, 2])
    assert N.loss_term(loss, N.a(1, 0), N.y(0)) == term
    assert N.loss_grad(loss, N.a(1, 0), N.y(0)) == grad
    # the same template in LaTeX, drawn by the LaTeX style
    T = notation.get("delta", [2, 2], latex=True).loss_term(loss, "A", "Y")
    assert "A" in T and "Y" in T and "−" not in T


def test_every_event_kind_has_its_own_writer():
    # the engine's list of kinds (events.KINDS) against describe's table: no kind falls to
    # the generic "name, terms" line
    from neuronet.engine.events import KINDS
    from neuronet.present.notation.describe import WRITERS
    assert set(KINDS) == set(WRITERS)
