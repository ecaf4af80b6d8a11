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

import pytest

import neuronet
from neuronet.present.notation import NOTATIONS
from neuronet.present.render.text import TextRenderer
from neuronet.present.tracing import trace

SPEC = {"name": "one-one-one", "loss": "half_sse",
        "layers": [{"size": 1, "activation": "sigmoid", "biases": [-1.0]},
                   {"size": 1, "activation": "sigmoid", "weights": [[2.0]], "biases": [-1.0]},
                   {"size": 1, "activation": "sigmoid", "weights": [[4.0]], "biases": [-2.0]}]}

GOLDEN = {
    "delta": """\
── sample 0 · forward · layer i ──
  z_i                = x + b_i = 1 + (−1) = 0
  a_i                = σ(z_i) = σ(0) = 0.5

── sample 0 · forward · layer j ──
  w_ij·a_i           = 2·0.5 = 1
  z_j                = w_ij·a_i + b_j = 1 + (−1) = 0
  a_j                = σ(z_j) = σ(0) = 0.5

── sample 0 · forward · layer k ──
  w_jk·a_j           = 4·0.5 = 2
  z_k                = w_jk·a_j + b_k = 2 + (−2) = 0
  a_k                = σ(z_k) = σ(0) = 0.5

── sample 0 · loss ──
  L_k                = ½(a_k − y_k)² = ½(0.5 − 1)² = 0.125
  L_T                = L_k = 0.125

── sample 0 · delta · layer k ──
  ∂L_T/∂a_k          = a_k − y_k = 0.5 − 1 = −0.5
  f'(z_k)            = a_k(1 − a_k) = 0.5(1 − 0.5) = 0.25
  δ_k                = ∂L_T/∂a_k·f'(z_k) = (−0.5)·0.25 = −0.125

── sample 0 · delta · layer j ──
  δ_k·w_jk           = (−0.125)·4 = −0.5
  ∂L_T/∂a_j          = δ_k·w_jk = −0.5
  f'(z_j)            = a_j(1 − a_j) = 0.5(1 − 0.5) = 0.25
  δ_j                = f'(z_j)·∂L_T/∂a_j = 0.25·(−0.5) = −0.125

── sample 0 · delta · layer i ──
  δ_j·w_ij           = (−0.125)·2 = −0.25
  ∂L_T/∂a_i          = δ_j·w_ij = −0.25
  f'(z_i)            = a_i(1 − a_i) = 0.5(1 − 0.5) = 0.25
  δ_i                = f'(z_i)·∂L_T/∂a_i = 0.25·(−0.25) = −0.0625

── sample 0 · gradient · update · layer k ──
  ∂L_T/∂w_jk         = δ_k·a_j = (−0.125)·0.5 = −0.0625
  w_jk               ← w_jk − η·∂L_T/∂w_jk = 4 − 1·(−0.0625) = 4 − (−0.0625) = 4.0625

── sample 0 · gradient · update · layer j ──
  ∂L_T/∂w_ij         = δ_j·a_i = (−0.125)·0.5 = −0.0625
  w_ij               ← w_ij − η·∂L_T/∂w_ij = 2 − 1·(−0.0625) = 2 − (−0.0625) = 2.0625

── sample 0 · gradient · update · layer k ──
  ∂L_T/∂b_k          = δ_k = −0.125
  b_k                ← b_k − η_b·∂L_T/∂b_k = −2 − 1·(−0.125) = −2 − (−0.125) = −1.875

── sample 0 · gradient · update · layer j ──
  ∂L_T/∂b_j          = δ_j = −0.125
  b_j                ← b_j − η_b·∂L_T/∂b_j = −1 − 1·(−0.125) = −1 − (−0.125) = −0.875

── sample 0 · gradient · update · layer i ──
  ∂L_T/∂b_i          = δ_i = −0.0625
  b_i                ← b_i − η_b·∂L_T/∂b_i = −1 − 1·(−0.0625) = −1 − (−0.0625) = −0.9375
""",
    "net-out": """\
── sample 0 · forward · layer a ──
  net_a1             = a_1 + b_a1 = 1 + (−1) = 0
  out_a1             = sig(net_a1) = sig(0) = 0.5

── sample 0 · forward · layer b ──
  w_b1·out_a1        = 2·0.5 = 1
  net_b1             = (W_b·out_a)_1 + b_b1 = 1 + (−1) = 0
  out_b1             = sig(net_b1) = sig(0) = 0.5

── sample 0 · forward · layer c ──
  w_c1·out_b1        = 4·0.5 = 2
  net_c1             = (W_c·out_b)_1 + b_c1 = 2 + (−2) = 0
  out_c1             = sig(net_c1) = sig(0) = 0.5

── sample 0 · loss ──
  E_c1               = ½(target_c1 − out_c1)² = ½(1 − 0.5)² = 0.125
  E_total            = E_c1 = 0.125

── sample 0 · delta · layer c ──
  ∂E_total/∂out_c1   = out_c1 − target_c1 = 0.5 − 1 = −0.5
  ∂out_c1/∂net_c1    = out_c1(1 − out_c1) = 0.5(1 − 0.5) = 0.25
  ∂E_total/∂net_c1   = ∂E_total/∂out_c1·∂out_c1/∂net_c1 = (−0.5)·0.25 = −0.125

── sample 0 · delta · layer b ──
  ∂E_total/∂net_c1·w_c1 = (−0.125)·4 = −0.5
  ∂E_total/∂out_b1   = (W_c^T·∂E_total/∂net_c)_1 = −0.5
  ∂out_b1/∂net_b1    = out_b1(1 − out_b1) = 0.5(1 − 0.5) = 0.25
  ∂E_total/∂net_b1   = ∂out_b1/∂net_b1·∂E_total/∂out_b1 = 0.25·(−0.5) = −0.125

── sample 0 · delta · layer a ──
  ∂E_total/∂net_b1·w_b1 = (−0.125)·2 = −0.25
  ∂E_total/∂out_a1   = (W_b^T·∂E_total/∂net_b)_1 = −0.25
  ∂out_a1/∂net_a1    = out_a1(1 − out_a1) = 0.5(1 − 0.5) = 0.25
  ∂E_total/∂net_a1   = ∂out_a1/∂net_a1·∂E_total/∂out_a1 = 0.25·(−0.25) = −0.0625

── sample 0 · gradient · update · layer c ──
  ∂E_total/∂w_c1     = ∂E_total/∂net_c1·out_b1 = (−0.125)·0.5 = −0.0625
  w_c1               ← w_c1 − l·∂E_total/∂w_c1 = 4 − 1·(−0.0625) = 4 − (−0.0625) = 4.0625

── sample 0 · gradient · update · layer b ──
  ∂E_total/∂w_b1     = ∂E_total/∂net_b1·out_a1 = (−0.125)·0.5 = −0.0625
  w_b1               ← w_b1 − l·∂E_total/∂w_b1 = 2 − 1·(−0.0625) = 2 − (−0.0625) = 2.0625

── sample 0 · gradient · update · layer c ──
  ∂E_total/∂b_c1     = ∂E_total/∂net_c1 = −0.125
  b_c1               ← b_c1 − l_b·∂E_total/∂b_c1 = −2 − 1·(−0.125) = −2 − (−0.125) = −1.875

── sample 0 · gradient · update · layer b ──
  ∂E_total/∂b_b1     = ∂E_total/∂net_b1 = −0.125
  b_b1               ← b_b1 − l_b·∂E_total/∂b_b1 = −1 − 1·(−0.125) = −1 − (−0.125) = −0.875

── sample 0 · gradient · update · layer a ──
  ∂E_total/∂b_a1     = ∂E_total/∂net_a1 = −0.0625
  b_a1               ← b_a1 − l_b·∂E_total/∂b_a1 = −1 − 1·(−0.0625) = −1 − (−0.0625) = −0.9375
""",
    "dl-dz": """\
── sample 0 · forward · layer 0 ──
  z_1^[0]            = x_1 + b_1^[0] = 1 + (−1) = 0
  a_1^[0]            = g_h(z_1^[0]) = g_h(0) = 0.5

── sample 0 · forward · layer 1 ──
  W_1,1^[1]·a_1^[0]  = 2·0.5 = 1
  z_1^[1]            = Σ_i W_i,1^[1]·a_i^[0] + b_1^[1] = 1 + (−1) = 0
  a_1^[1]            = g_h(z_1^[1]) = g_h(0) = 0.5

── sample 0 · forward · layer 2 ──
  W_1,1^[2]·a_1^[1]  = 4·0.5 = 2
  z_1^[2]            = Σ_i W_i,1^[2]·a_i^[1] + b_1^[2] = 2 + (−2) = 0
  a_1^[2]            = g_o(z_1^[2]) = g_o(0) = 0.5

── sample 0 · loss ──
  𝓛_1                = ½(a_1^[2] − y_1)² = ½(0.5 − 1)² = 0.125
  𝓛                  = 𝓛_1 = 0.125

── sample 0 · delta · layer 2 ──
  g_1^[2a]           = a_1^[2] − y_1 = 0.5 − 1 = −0.5
  g'_o(z_1^[2])      = a_1^[2](1 − a_1^[2]) = 0.5(1 − 0.5) = 0.25
  g_1^[2z]           = g_1^[2a]·g'_o(z_1^[2]) = (−0.5)·0.25 = −0.125

── sample 0 · delta · layer 1 ──
  g_1^[2z]·W_1,1^[2] = (−0.125)·4 = −0.5
  g_1^[1a]           = Σ_k g_k^[2z]·W_1,k^[2] = −0.5
  g'_h(z_1^[1])      = a_1^[1](1 − a_1^[1]) = 0.5(1 − 0.5) = 0.25
  g_1^[1z]           = g'_h(z_1^[1])·g_1^[1a] = 0.25·(−0.5) = −0.125

── sample 0 · delta · layer 0 ──
  g_1^[1z]·W_1,1^[1] = (−0.125)·2 = −0.25
  g_1^[0a]           = Σ_k g_k^[1z]·W_1,k^[1] = −0.25
  g'_h(z_1^[0])      = a_1^[0](1 − a_1^[0]) = 0.5(1 − 0.5) = 0.25
  g_1^[0z]           = g'_h(z_1^[0])·g_1^[0a] = 0.25·(−0.25) = −0.0625

── sample 0 · gradient · update · layer 2 ──
  g_1,1^[2W]         = g_1^[2z]·a_1^[1] = (−0.125)·0.5 = −0.0625
  W_1,1^[2]          ← W_1,1^[2] − α·g_1,1^[2W] = 4 − 1·(−0.0625) = 4 − (−0.0625) = 4.0625

── sample 0 · gradient · update · layer 1 ──
  g_1,1^[1W]         = g_1^[1z]·a_1^[0] = (−0.125)·0.5 = −0.0625
  W_1,1^[1]          ← W_1,1^[1] − α·g_1,1^[1W] = 2 − 1·(−0.0625) = 2 − (−0.0625) = 2.0625

── sample 0 · gradient · update · layer 2 ──
  g_1^[2b]           = g_1^[2z] = −0.125
  b_1^[2]            ← b_1^[2] − α_b·g_1^[2b] = −2 − 1·(−0.125) = −2 − (−0.125) = −1.875

── sample 0 · gradient · update · layer 1 ──
  g_1^[1b]           = g_1^[1z] = −0.125
  b_1^[1]            ← b_1^[1] − α_b·g_1^[1b] = −1 − 1·(−0.125) = −1 − (−0.125) = −0.875

── sample 0 · gradient · update · layer 0 ──
  g_1^[0b]           = g_1^[0z] = −0.0625
  b_1^[0]            ← b_1^[0] − α_b·g_1^[0b] = −1 − 1·(−0.0625) = −1 − (−0.0625) = −0.9375
""",
    "u-o": """\
── sample 0 · forward · layer 0 ──
  u_1^0              = x_1 + b_1^0 = 1 + (−1) = 0
  o_1^0              = σ(u_1^0) = σ(0) = 0.5

── sample 0 · forward · layer 1 ──
  w_1,1^1·o_1^0      = 2·0.5 = 1
  u_1^1              = Σ_i w_i,1^1·o_i^0 + b_1^1 = 1 + (−1) = 0
  o_1^1              = σ(u_1^1) = σ(0) = 0.5

── sample 0 · forward · layer 2 ──
  w_1,1^2·o_1^1      = 4·0.5 = 2
  u_1^2              = Σ_i w_i,1^2·o_i^1 + b_1^2 = 2 + (−2) = 0
  o_1^2              = σ(u_1^2) = σ(0) = 0.5

── sample 0 · loss ──
  l_1                = ½(o_1^2 − y_1)² = ½(0.5 − 1)² = 0.125
  l                  = l_1 = 0.125

── sample 0 · delta · layer 2 ──
  ∂l/∂o_1^2          = o_1^2 − y_1 = 0.5 − 1 = −0.5
    (000's 'error' (y − o) is the negative of this ∂l/∂o = o − y; w ← w − η·∂l/∂w needs the sign printed here)
  σ'(u_1^2)          = o_1^2(1 − o_1^2) = 0.5(1 − 0.5) = 0.25
  ∂l/∂u_1^2          = ∂l/∂o_1^2·σ'(u_1^2) = (−0.5)·0.25 = −0.125
    (000 writes ∂l/∂u of the output as (y − o); with softmax + cross-entropy the chain rule gives o − y, so the text's 'error' is the negative of this ∂l/∂u)

── sample 0 · delta · layer 1 ──
  ∂l/∂u_1^2·w_1,1^2  = (−0.125)·4 = −0.5
  ∂l/∂o_1^1          = Σ_k ∂l/∂u_k^2·w_1,k^2 = −0.5
  σ'(u_1^1)          = o_1^1(1 − o_1^1) = 0.5(1 − 0.5) = 0.25
  ∂l/∂u_1^1          = σ'(u_1^1)·∂l/∂o_1^1 = 0.25·(−0.5) = −0.125

── sample 0 · delta · layer 0 ──
  ∂l/∂u_1^1·w_1,1^1  = (−0.125)·2 = −0.25
  ∂l/∂o_1^0          = Σ_k ∂l/∂u_k^1·w_1,k^1 = −0.25
  σ'(u_1^0)          = o_1^0(1 − o_1^0) = 0.5(1 − 0.5) = 0.25
  ∂l/∂u_1^0          = σ'(u_1^0)·∂l/∂o_1^0 = 0.25·(−0.25) = −0.0625

── sample 0 · gradient · update · layer 2 ──
  ∂l/∂w_1,1^2        = ∂l/∂u_1^2·o_1^1 = (−0.125)·0.5 = −0.0625
  w_1,1^2            ← w_1,1^2 − η·∂l/∂w_1,1^2 = 4 − 1·(−0.0625) = 4 − (−0.0625) = 4.0625

── sample 0 · gradient · update · layer 1 ──
  ∂l/∂w_1,1^1        = ∂l/∂u_1^1·o_1^0 = (−0.125)·0.5 = −0.0625
  w_1,1^1            ← w_1,1^1 − η·∂l/∂w_1,1^1 = 2 − 1·(−0.0625) = 2 − (−0.0625) = 2.0625

── sample 0 · gradient · update · layer 2 ──
  ∂l/∂b_1^2          = ∂l/∂u_1^2 = −0.125
  b_1^2              ← b_1^2 − η_b·∂l/∂b_1^2 = −2 − 1·(−0.125) = −2 − (−0.125) = −1.875

── sample 0 · gradient · update · layer 1 ──
  ∂l/∂b_1^1          = ∂l/∂u_1^1 = −0.125
  b_1^1              ← b_1^1 − η_b·∂l/∂b_1^1 = −1 − 1·(−0.125) = −1 − (−0.125) = −0.875

── sample 0 · gradient · update · layer 0 ──
  ∂l/∂b_1^0          = ∂l/∂u_1^0 = −0.0625
  b_1^0              ← b_1^0 − η_b·∂l/∂b_1^0 = −1 − 1·(−0.0625) = −1 − (−0.0625) = −0.9375
""",
    "z-h": """\
── sample 0 · forward · input layer ──
  z_1^0              = x_1 + b_1^0 = 1 + (−1) = 0
  h_1^0              = σ(z_1^0) = σ(0) = 0.5

── sample 0 · forward · hidden layer 1 ──
  w_1,1^1·h_1^0      = 2·0.5 = 1
  z_1^1              = Σ_i w_i,1^1·h_i^0 + b_1^1 = 1 + (−1) = 0
  h_1^1              = σ(z_1^1) = σ(0) = 0.5

── sample 0 · forward · output layer ──
  w_1,1^2·h_1^1      = 4·0.5 = 2
  z_1^2              = Σ_i w_i,1^2·h_i^1 + b_1^2 = 2 + (−2) = 0
  ŷ_1                = σ(z_1^2) = σ(0) = 0.5

── sample 0 · loss ──
  H_1                = ½(ŷ_1 − y_1)² = ½(0.5 − 1)² = 0.125
  H                  = H_1 = 0.125

── sample 0 · delta · output layer ──
  ∂H/∂ŷ_1            = ŷ_1 − y_1 = 0.5 − 1 = −0.5
  σ'(z_1^2)          = ŷ_1(1 − ŷ_1) = 0.5(1 − 0.5) = 0.25
  δ_1^1              = ∂H/∂ŷ_1·σ'(z_1^2) = (−0.5)·0.25 = −0.125

── sample 0 · delta · hidden layer 1 ──
  δ_1^1·w_1,1^2      = (−0.125)·4 = −0.5
  ∂H/∂h_1^1          = Σ_k δ_k^1·w_1,k^2 = −0.5
  σ'(z_1^1)          = h_1^1(1 − h_1^1) = 0.5(1 − 0.5) = 0.25
  δ_1^2              = σ'(z_1^1)·∂H/∂h_1^1 = 0.25·(−0.5) = −0.125

── sample 0 · delta · input layer ──
  δ_1^2·w_1,1^1      = (−0.125)·2 = −0.25
  ∂H/∂h_1^0          = Σ_k δ_k^2·w_1,k^1 = −0.25
  σ'(z_1^0)          = h_1^0(1 − h_1^0) = 0.5(1 − 0.5) = 0.25
  δ_1^3              = σ'(z_1^0)·∂H/∂h_1^0 = 0.25·(−0.25) = −0.0625

── sample 0 · gradient · update · output layer ──
  ∂H/∂w_1,1^2        = δ_1^1·h_1^1 = (−0.125)·0.5 = −0.0625
  w_1,1^2            ← w_1,1^2 − η·∂H/∂w_1,1^2 = 4 − 1·(−0.0625) = 4 − (−0.0625) = 4.0625

── sample 0 · gradient · update · hidden layer 1 ──
  ∂H/∂w_1,1^1        = δ_1^2·h_1^0 = (−0.125)·0.5 = −0.0625
  w_1,1^1            ← w_1,1^1 − η·∂H/∂w_1,1^1 = 2 − 1·(−0.0625) = 2 − (−0.0625) = 2.0625

── sample 0 · gradient · update · output layer ──
  ∂H/∂b_1^2          = δ_1^1 = −0.125
  b_1^2              ← b_1^2 − η_b·∂H/∂b_1^2 = −2 − 1·(−0.125) = −2 − (−0.125) = −1.875

── sample 0 · gradient · update · hidden layer 1 ──
  ∂H/∂b_1^1          = δ_1^2 = −0.125
  b_1^1              ← b_1^1 − η_b·∂H/∂b_1^1 = −1 − 1·(−0.125) = −1 − (−0.125) = −0.875

── sample 0 · gradient · update · input layer ──
  ∂H/∂b_1^0          = δ_1^3 = −0.0625
  b_1^0              ← b_1^0 − η_b·∂H/∂b_1^0 = −1 − 1·(−0.0625) = −1 − (−0.0625) = −0.9375
""",
}


@pytest.mark.parametrize("name", NOTATIONS)
def test_golden_trace_per_notation(name):
    t = trace(neuronet.from_dict(SPEC), [1.0], [1.0], eta=1.0, notation=name, digits=6)
    assert t.text().rstrip("\n") == GOLDEN[name].rstrip("\n")


def test_every_notation_has_a_golden():
    assert set(GOLDEN) == set(NOTATIONS)


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
