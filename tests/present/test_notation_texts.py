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


def test_004_layers_of_several_neurons_keep_its_letters_and_number_the_neurons():
    # 004 §2.2 (line 67): the output layer is k, fed from j, fed from i; "perhaps layer h" to its
    # left; line 78: "i, j, and k are used to denote both layers and individual neurons"; §3
    # (line 298, eq. 17: z_0 = w_00a_0 + …) numbers a layer's neurons from 0 — so neuron 1 of
    # layer j is j1, and 002's 2-4-3-2 network has layers h, i, j, k
    got, N = lhs_by_kind(SWITCH, [1.0, 0.0], [0.0, 1.0], "delta")
    assert [N.layer_name(l) for l in range(4)] == ["layer h", "layer i", "layer j", "layer k"]
    assert got["z"] == ["z_i0", "z_i1", "z_i2", "z_i3", "z_j0", "z_j1", "z_j2", "z_k0", "z_k1"]
    assert got["input"] == ["z_h0", "z_h1"]      # line 107: z of input neuron = input vector[neuron]
    assert got["delta_out"] == ["δ_k0", "δ_k1"]  # line 131: δ_k = f'(z_k)(a_k − y_k)
    assert got["delta"] == ["δ_j0", "δ_j1", "δ_j2", "δ_i0", "δ_i1", "δ_i2", "δ_i3"]   # lines 136, 141
    assert got["grad_w"][0] == "∂L_T/∂w_j0k0"    # line 595, eq. (47): ∂L_T/∂w_jk
    assert got["update_w"][0] == "w_j0k0"        # line 134, eq. (2): w_jk,new = w_jk,old − ηδ_ka_j
    assert got["backprop"][:2] == ["δ_k0·w_j0k0", "δ_k1·w_j0k1"]   # line 434, eq. (31): δ_0w_00 + δ_1w_01
    assert got["loss"] == ["L_T"]                # line 587, eq. (46): L_T = ½ Σ_n (a_n − y_n)²
    assert N.y(1) == "y_k1"                      # line 131: y_k
    # a Σ runs over a layer's bare letter: eq. (1) (line 86) z_y = Σ_x w_xy a_x + b_y, and
    # eq. (29) (line 422) δ_j = f'(z_j) Σ_k δ_k w_jk; 002 has no biases, so no + b
    assert N.z_formula(2, 1) == "Σ_i w_ij1·a_i"
    assert N.dsum_formula(2, 1) == "Σ_k δ_k·w_j1k"
    # every symbol names its layer: no two neurons of the step share a name
    names = got["z"] + got["input"]
    assert len(set(names)) == len(names)


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


# 001: the 4-3-2-1 network (walkthrough bce-4-3-2-1), layers [0] (the input) … [3]
TEXT_001 = {
    "input": ["a_1^[0]", "a_2^[0]", "a_3^[0]", "a_4^[0]"],           # line 16: a^[0] = [x_1 x_2 x_3 x_4]
    "z": ["z_1^[1]", "z_2^[1]", "z_3^[1]",                           # lines 18, 20, 22
          "z_1^[2]", "z_2^[2]",                                      # lines 42, 44
          "z_1^[3]"],                                                # line 62
    "loss": ["𝓛"],                                                   # line 86: 𝓛(ŷ, y) = −[(1 − y)log(1 − ŷ) + y log ŷ]
    "dL_da": ["g_1^[3a]"],                                           # line 110: g^[3a] = d𝓛/da_1^[3]
    "delta_out": ["g_1^[3z]"],                                       # line 116: g^[3z] = d𝓛/dz_1^[3]
    "fprime": ["g'_o(z_1^[3])",                                      # line 116: g'_o(z_1^[3])
               "g'_h(z_1^[2])", "g'_h(z_2^[2])",                     # line 200: g'_h(z^[2])
               "g'_h(z_1^[1])", "g'_h(z_2^[1])", "g'_h(z_3^[1])"],   # line 276: g'_h(z^[1])
    "dsum": ["g_1^[2a]", "g_2^[2a]",                                 # line 190: g^[2a] = d𝓛/da^[2]
             "g_1^[1a]", "g_2^[1a]", "g_3^[1a]"],                    # line 270: g^[1a]
    "delta": ["g_1^[2z]", "g_2^[2z]",                                # line 194: g^[2z]
              "g_1^[1z]", "g_2^[1z]", "g_3^[1z]"],                   # line 273: g^[1z]
    "grad_b": ["g_1^[3b]", "g_1^[2b]", "g_2^[2b]",                   # line 136: ∂𝓛/∂b^[3]; line 208: g^[2b]
               "g_1^[1b]", "g_2^[1b]", "g_3^[1b]"],                  # line 287: g^[1b]
    "update_b": ["b_1^[3]", "b_1^[2]", "b_2^[2]", "b_1^[1]", "b_2^[1]", "b_3^[1]"],   # line 24: b^[1] = [b_1^[1] …]
}


def test_001_is_written_as_001_writes_it():
    got, N = lhs_by_kind(ROOT / "walkthroughs" / "bce-4-3-2-1" / "network.toml",
                         [1.0, 0.0, 0.5, -1.0], [1.0], "dl-dz")
    for kind, want in TEXT_001.items():
        assert got[kind] == want, (kind, got[kind])
    # line 192: g^[2a] = g^[3z]·[W_1,1^[3] W_2,1^[3]]
    assert got["backprop"][:2] == ["g_1^[3z]·W_1,1^[3]", "g_1^[3z]·W_2,1^[3]"]
    # line 18: z_1^[1] = W_1,1^[1] a_1^[0] + W_2,1^[1] a_2^[0] + … — W_i,j from input i to neuron j
    assert got["product"][:4] == ["W_1,1^[1]·a_1^[0]", "W_2,1^[1]·a_2^[0]", "W_3,1^[1]·a_3^[0]", "W_4,1^[1]·a_4^[0]"]
    # line 132: g^[3W] = ∂𝓛/∂W^[3] = [∂𝓛/∂W_1,1^[3]; ∂𝓛/∂W_2,1^[3]] (line 102: x ∈ a, z, W, b)
    assert got["grad_w"][:2] == ["g_1,1^[3W]", "g_2,1^[3W]"]
    # line 96: W_s+1^[k] = W_s^[k] − α·∂𝓛/∂W_s^[k]
    assert got["update_w"][:2] == ["W_1,1^[3]", "W_2,1^[3]"] and N.eta() == "α"
    assert N.act_symbol(1, "sigmoid") == "g_h" and N.act_symbol(3, "sigmoid") == "g_o"   # lines 32, 74
    # no z^[0] and no b^[0]: the input is a^[0] itself (line 16)
    assert not any("^[0]" in s and (s.startswith("z") or s.startswith("b")) for v in got.values() for s in v)


# 003: the 2-2-4-3 softmax + cross-entropy network (walkthrough softmax-ce): x, hidden layers 1, 2, output
TEXT_003 = {
    "input": ["x_1", "x_2"],                                        # line 338: x = [x_1 x_2] (no z^0)
    "z": ["z_1^1", "z_2^1",                                         # line 330: σ'(z^1) = [σ(z^1_1)… σ(z^1_2)…]
          "z_1^2", "z_2^2", "z_3^2", "z_4^2",                       # line 286: z^2_1 … z^2_4
          "z_1^3", "z_2^3", "z_3^3"],                               # line 31: z^3 = [z^3_1 z^3_2 z^3_3]
    "a": ["x_1", "x_2", "h_1^1", "h_2^1",                           # line 295: h^1 = [h^1_1 h^1_2]
          "h_1^2", "h_2^2", "h_3^2", "h_4^2",                       # line 118: h^2 = [h^2_1 … h^2_4]
          "ŷ_1", "ŷ_2", "ŷ_3"],                                     # line 39: ŷ = [ŷ_1 ŷ_2 ŷ_3]
    "loss": ["H"],                                                  # line 43: H(ŷ, y) := −Σ_i y_i log(ŷ_i)
    "dL_da": ["∂H/∂ŷ_1", "∂H/∂ŷ_2", "∂H/∂ŷ_3"],                    # line 57: ∂H/∂ŷ_1
    "delta_out": ["δ_1^1", "δ_2^1", "δ_3^1"],                       # line 107: δ^1 = [δ^1_1 δ^1_2 δ^1_3]
    "delta": ["δ_1^2", "δ_2^2", "δ_3^2", "δ_4^2",                   # line 374: ∂H/∂z^2 = … = δ^2
              "δ_1^3", "δ_2^3"],                                    # line 327: ∂H/∂z^1 = … = δ^3
    "dsum": ["∂H/∂h_1^2", "∂H/∂h_2^2", "∂H/∂h_3^2", "∂H/∂h_4^2",   # line 134: ∂H/∂h^2
             "∂H/∂h_1^1", "∂H/∂h_2^1"],                             # line 309: ∂H/∂h^1 = δ^2 (W^2)^T
    "fprime": ["σ'(z_1^2)", "σ'(z_2^2)", "σ'(z_3^2)", "σ'(z_4^2)",  # line 286: σ'(z^2)
               "σ'(z_1^1)", "σ'(z_2^1)"],                           # line 330: σ'(z^1)
}


def test_003_is_written_as_003_writes_it():
    got, N = lhs_by_kind(ROOT / "walkthroughs" / "softmax-ce" / "network.toml", [0.5, -1.0], [1.0, 0.0, 0.0], "z-h")
    for kind, want in TEXT_003.items():
        assert got[kind] == want, (kind, got[kind])
    assert "∂ŷ_1/∂z_1^3" in got["jacobian"] and "∂ŷ_2/∂z_1^3" in got["jacobian"]   # line 77: ∂ŷ_1/∂z^3_1 …
    assert got["path"][0] == "∂H/∂ŷ_1·∂ŷ_1/∂z_1^3"                   # line 57: ∂H/∂ŷ_1 ∂ŷ_1/∂z^3_1 + …
    assert got["grad_w"][:2] == ["∂H/∂w_1,1^3", "∂H/∂w_1,2^3"]       # line 206: ∂H/∂w^3_i,j; line 120: w_1,2^3
    assert got["grad_b"][0] == "∂H/∂b_1^3"                           # line 234: ∂z^3/∂b^3_1; line 122: b^3_1
    assert got["product"][:2] == ["w_1,1^1·x_1", "w_2,1^1·x_2"]      # line 162: h^2_1w^3_1,1 + h^2_2w^3_2,1 …
    assert got["backprop"][0] == "δ_1^1·w_1,1^3"                     # line 283: δ^1 (W^3)^T
    assert N.fprime_sym(1, 0) == "σ'(z_1^1)"                        # line 266: σ'(·) = σ(·)(1 − σ(·))
    # its layers as its headings name them (lines 317, 260, 111, 27)
    assert [N.layer_name(l) for l in range(4)] == ["input layer", "hidden layer 1", "hidden layer 2", "output layer"]
