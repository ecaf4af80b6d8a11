"""Each notation, symbol for symbol, against its text: the symbols of one
recorded step (each event's left-hand side, as every view writes it) against
a list taken by hand from the text, with the line of the seed file each
symbol is read from (/work/shared/seeds/00N_*.txt, 1-based lines)."""
import neuronet
from neuronet.engine import events
from neuronet.present import notation

from conftest import ROOT, SWITCH


def lhs_by_kind(spec, x, y, name):
    net = neuronet.load(spec) if not isinstance(spec, dict) else neuronet.from_dict(spec)
    N = notation.for_net(name, net)
    rec = events.Recorder()
    net.copy().step([x], [y], 0.5, emit=rec)
    out: dict[str, list[str]] = {}
    for e in rec:
        out.setdefault(e.kind, []).append(notation.describe(e, N).lhs)
    return out, N


# 004 §2.5 (from line 235): the 1-1-1 network, layers i → j → k
CHAIN = ROOT / "walkthroughs" / "one-neuron-chain" / "network.toml"
TEXT_004 = {
    "input": ["z_i"],                 # line 248, eq. (6): a_i = f(z_i + b_i)
    "a": ["a_i", "a_j", "a_k"],       # lines 248, 252, 260: eqs. (6), (8), (10)
    "product": ["w_ij·a_i", "w_jk·a_j"],   # line 250 eq. (7) z_j = w_ij a_i; line 256 eq. (9) z_k = w_jk a_j
    "z": ["z_j", "z_k"],              # lines 250, 256
    "delta_out": ["δ_k"],             # line 268, eq. (12)
    "delta": ["δ_j", "δ_i"],          # line 272, eq. (13); δ_i as §2.4 step 6 (line 141)
    "grad_w": ["∂L_T/∂w_jk", "∂L_T/∂w_ij"],   # line 595 eq. (47); line 738 eq. (60)
    "update_w": ["w_jk", "w_ij"],     # lines 276, 280: eqs. (14)–(15)
    "grad_b": ["∂L_T/∂b_k", "∂L_T/∂b_j", "∂L_T/∂b_i"],   # line 885 eq. (90), line 897 eq. (92)
    "loss": ["L_T"],                  # line 587, eq. (46)
}


def test_004_chain_is_written_in_section_2_5s_letters():
    got, N = lhs_by_kind(CHAIN, [0.5], [1.0], "delta")
    for kind, want in TEXT_004.items():
        assert got[kind] == want, (kind, got[kind])
    assert N.y(0) == "y_k"            # line 268: (a_k − y_k)
    assert N.eta() == "η"             # line 276: Δw_jk = η δ_k a_j
    assert N.fprime_sym(2, 0) == "f'(z_k)"     # line 268: f'(z_k)(a_k − y_k)


# 002: the 2-4-3-2 network, layers a (input), b, c, d
TEXT_002 = {
    "input": ["a_1", "a_2"],          # line 38: a_1 = 1, a_2 = 0 — no net or bias of the inputs
    "z": ["net_b1", "net_b2", "net_b3", "net_b4",       # line 52: net_b
          "net_c1", "net_c2", "net_c3",                 # line 64: net_c
          "net_d1", "net_d2"],                          # line 68: net_d
    "loss": ["E_total"],              # line 88, eq. (1)
    "loss_term": ["E_d1", "E_d2"],    # line 96: E_{d_1}
    "delta_out": ["∂E_total/∂net_d1", "∂E_total/∂net_d2"],   # line 315
    "dsum": ["∂E_total/∂out_c1", "∂E_total/∂out_c2", "∂E_total/∂out_c3",     # line 333: ∂E_total/∂out_c
             "∂E_total/∂out_b1", "∂E_total/∂out_b2", "∂E_total/∂out_b3", "∂E_total/∂out_b4"],   # line 355
    "fprime": ["∂out_d1/∂net_d1", "∂out_d2/∂net_d2",    # line 125, eq. (3): ∂out_{d_1}/∂net_{d_1}
               "∂out_c1/∂net_c1", "∂out_c2/∂net_c2", "∂out_c3/∂net_c3",   # line 337: ∂out_c/∂net_c
               "∂out_b1/∂net_b1", "∂out_b2/∂net_b2", "∂out_b3/∂net_b3", "∂out_b4/∂net_b4"],  # line 359
}


def test_002_is_written_as_002_writes_it():
    got, N = lhs_by_kind(SWITCH, [1.0, 0.0], [0.0, 1.0], "net-out")
    for kind, want in TEXT_002.items():
        assert got[kind] == want, (kind, got[kind])
    # the inputs' products, as line 50 writes them: net_b1 = w_b1 * a_1 + w_b2 * a_2
    assert got["product"][:2] == ["w_b1·a_1", "w_b2·a_2"]
    # the weights, numbered row by row (lines 44–48: w_b1 … w_b8, w_c1 … w_c12, w_d1 … w_d6)
    assert set(got["grad_w"]) == {f"∂E_total/∂w_{l}{n}" for l, k in (("b", 8), ("c", 12), ("d", 6))
                                  for n in range(1, k + 1)}
    assert N.y(0) == "target_d1"      # line 96: target_{d_1}
    assert N.eta() == "l"             # line 381: learning rate l = 0.5
    # no bias is named anywhere: 002 has none (line 11)
    assert "grad_b" not in got and "update_b" not in got
    assert not any("b_" in s for kind in got for s in got[kind])


def test_000_writes_its_inputs_x_and_001_its_a0():
    # 000 line 175, eq. (7): u_1^1 = x_1 w_1,1^1 + x_2 w_2,1^1 + b_1^1 — the inputs are x_i, no o_i^0
    got, _ = lhs_by_kind(SWITCH, [1.0, 0.0], [0.0, 1.0], "u-o")
    assert got["input"] == ["x_1", "x_2"]
    assert got["product"][:2] == ["w_1,1^1·x_1", "w_2,1^1·x_2"]
    assert got["z"][0] == "u_1^1"
    # 001 line 16: a^[0] = [x_1 x_2 x_3 x_4]; line 18: z_1^[1] = W_1,1^[1] a_1^[0] + … — no z^[0], no b^[0]
    got, _ = lhs_by_kind(SWITCH, [1.0, 0.0], [0.0, 1.0], "dl-dz")
    assert got["input"] == ["a_1^[0]", "a_2^[0]"]
    assert got["product"][:2] == ["W_1,1^[1]·a_1^[0]", "W_2,1^[1]·a_2^[0]"]
    assert not any("z_1^[0]" in s or "b_1^[0]" in s for kind in got for s in got[kind])


def test_003_is_written_as_003_writes_it():
    # 003's 2-2-4-3 softmax + cross-entropy network (walkthrough softmax-ce), layers 1 … 3 after the input
    got, N = lhs_by_kind(ROOT / "walkthroughs" / "softmax-ce" / "network.toml", [0.5, -1.0], [1.0, 0.0, 0.0], "z-h")
    assert got["a"][-3:] == ["ŷ_1", "ŷ_2", "ŷ_3"]                    # line 39: ŷ = [ŷ_1 ŷ_2 ŷ_3]
    assert got["loss"] == ["H"]                                       # line 43: H(ŷ, y)
    assert got["z"][-3:] == ["z_1^3", "z_2^3", "z_3^3"]               # line 53: ∂H/∂z^3_1
    assert got["dL_da"][:3] == ["∂H/∂ŷ_1", "∂H/∂ŷ_2", "∂H/∂ŷ_3"]     # line 57: ∂H/∂ŷ_1
    assert "∂ŷ_1/∂z_1^3" in got["jacobian"]                           # line 77: ∂ŷ_1/∂z^3_1
