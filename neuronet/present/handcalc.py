"""Hand-calculation mode (``--round N``) and the check of a text's own arithmetic.

A person with a calculator rounds every number they write down and carries
the rounded number on.  :func:`rounder` gives the passes that behaviour
through their ``rnd(kind, x)`` hook (see passes.py for the kinds).

The rounding policy — the one that reproduces 002_25d3dd3a4f2fa46e.txt §4
and §7 digit for digit with ``--round 4``:

* Every named intermediate is rounded half-up to N decimals: z, a, ∂L/∂a
  (the output's a − y and each hidden Σ_k δ_k·w_jk), f'(z) of hidden
  neurons, δ, each gradient, each η·gradient, each new weight and bias.
* Except f'(z_k) of an *output* neuron (rnd kind ``"fprime_out"``): the
  text computes δ_k = (out − target)·out·(1 − out) as one product and never
  writes out·(1 − out) down, so it carries that factor unrounded.  (Rounding
  it would give δ_d1 = 0.7199·0.2016 = 0.1451, not the text's 0.1452.)  In the
  hidden layers the text does write sig'(net_c) = [0.2148, 0.1715, 0.1266]
  and uses those rounded factors (its δ_c3 = 0.0549·0.1266 = 0.0070; with
  the unrounded 0.12659 it would be 0.0069).
* Products and sums inside one named quantity (w·a terms, δ·w terms) are
  not rounded on their own — the text adds them up unrounded.
* Half-up on the decimal a calculator displays: x is first read as its
  12 significant digits (so float noise such as 0.0018499999999999999 for
  0.0037·0.5 reads 0.00185), then rounded half-up: 0.00185 → 0.0019.

Limits: N is 0 … :data:`MAX_DECIMALS` (20) decimals — a float carries at
most 17 significant digits, and 20 decimals still resolves 1e-4-sized
numbers to all of them.  The rounding works for any finite float
(1e300 at N = 4 included): the Decimal precision is set from the value,
digits before the point plus N, instead of Decimal's default 28.

:func:`compare` checks a text's printed numbers (``WALKTHROUGH_002``) against
a hand-calculated trace and reports every number the text got wrong.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

#: rnd kinds carried unrounded by default (see the module docstring).
EXACT_KINDS = frozenset({"fprime_out"})
#: The most decimals hand-calculation mode carries (``--round N``).
MAX_DECIMALS = 20


def round_half_up(x: float, n: int) -> float:
    """x rounded half-up to n decimals, as a 12-digit calculator shows it."""
    if x != x or x in (float("inf"), float("-inf")):
        return x
    d = Decimal(format(x, ".12g"))
    with localcontext() as ctx:
        # digits before the point + n decimals + a guard digit; Decimal's
        # default 28 would make quantize fail for |x| ≥ ~1e24 at n = 4
        ctx.prec = max(28, d.adjusted() + n + 2)
        d = d.quantize(Decimal(1).scaleb(-n), rounding=ROUND_HALF_UP)
    return float(d)


def rounder(n: int, exact=EXACT_KINDS):
    """The ``rnd(kind, x)`` hook of hand-calculation mode with n decimals."""
    if not 0 <= n <= MAX_DECIMALS:
        raise ValueError(f"the number of decimals must be 0 … {MAX_DECIMALS}, not {n}")
    exact = frozenset(exact)

    def rnd(kind: str, x: float) -> float:
        if kind in exact:
            return x
        return round_half_up(x, n)

    rnd.decimals = n
    return rnd


# ---------------------------------------------------------------------------
# 002's printed numbers, as data
# ---------------------------------------------------------------------------
# Keys: (event kind, layer, neuron j, source i or None, term or None) in the
# engine's 0-based indices; layers a, b, c, d = 0, 1, 2, 3.  The text writes
# its matrices one row per destination neuron, so its W_g[j][i] is the
# gradient of w from i (layer l − 1) into j (layer l).  The value is the
# number exactly as printed, as a string.

def _matrix(kind, layer, rows, section, what, term=None):
    out = {}
    for j, row in enumerate(rows):
        for i, v in enumerate(row):
            out[(kind, layer, j, i, term)] = (v, section, f"{what}[{j + 1}][{i + 1}]")
    return out


def _vector(kind, layer, values, section, what):
    return {(kind, layer, j, None, None): (v, section, f"{what}[{j + 1}]") for j, v in enumerate(values)}


WALKTHROUGH_002: dict = {}
_W = WALKTHROUGH_002
# §4 Forward propagation (input a = (1, 0); W_b, W_c, W_d as in network.toml)
_W.update(_vector("z", 1, ["0.1", "0.3", "0.5", "0.7"], "§4", "net_b"))
_W.update(_vector("a", 1, ["0.5250", "0.5744", "0.6225", "0.6682"], "§4", "out_b"))
_W.update(_vector("z", 2, ["0.7887", "1.2667", "1.7448"], "§4", "net_c"))
_W.update(_vector("a", 2, ["0.6876", "0.7802", "0.8513"], "§4", "out_c"))
_W.update(_vector("z", 3, ["0.9441", "1.6397"], "§4", "net_d"))
_W.update(_vector("a", 3, ["0.7199", "0.8375"], "§4", "out_d"))
# §7 Example (target d = (0, 1), learning rate l = 0.5)
_W.update(_vector("delta_out", 3, ["0.1452", "-0.0221"], "§7", "∂E_total/∂net_d"))
_W.update(_matrix("grad_w", 3, [["0.0998", "0.1133", "0.1236"], ["-0.0152", "-0.0172", "-0.0188"]],
                  "§7", "W_dg"))
_W.update(_vector("dsum", 2, ["0.0303", "0.0426", "0.0529"], "§7", "∂E_total/∂out_c"))
_W.update(_vector("fprime", 2, ["0.2148", "0.1715", "0.1266"], "§7", "sig'(net_c)"))
_W.update(_vector("delta", 2, ["0.0065", "0.0073", "0.0070"], "§7", "∂E_total/∂net_c"))
_W.update(_matrix("grad_w", 2, [["0.0034", "0.0037", "0.0040", "0.0043"],
                                ["0.0038", "0.0042", "0.0045", "0.0049"],
                                ["0.0037", "0.0040", "0.0044", "0.0047"]], "§7", "W_cg"))
_W.update(_vector("dsum", 1, ["0.0095", "0.0105", "0.0115", "0.0126"], "§7", "∂E_total/∂out_b"))
_W.update(_vector("fprime", 1, ["0.2494", "0.2445", "0.2350", "0.2217"], "§7", "sig'(net_b)"))
_W.update(_vector("delta", 1, ["0.0024", "0.0026", "0.0027", "0.0028"], "§7", "∂E_total/∂net_b"))
_W.update(_matrix("grad_w", 1, [["0.0024", "0"], ["0.0026", "0"], ["0.0027", "0"], ["0.0028", "0"]],
                  "§7", "W_bg"))
_W.update(_matrix("update_w", 2, [["0.0017", "0.0019", "0.0020", "0.0022"],
                                  ["0.0019", "0.0021", "0.0023", "0.0025"],
                                  ["0.0019", "0.0020", "0.0022", "0.0024"]], "§7", "W_cg·l", term="step"))
_W.update(_matrix("update_w", 2, [["0.2483", "0.2981", "0.3480", "0.3978"],
                                  ["0.4481", "0.4979", "0.5477", "0.5975"],
                                  ["0.6481", "0.6980", "0.7478", "0.7976"]], "§7", "W_c_new"))
del _W

#: The network, sample and learning rate 002 §4/§7 compute with.
SETUP_002 = {"spec": "walkthroughs/switch-2-4-3-2/network.toml", "input": [1.0, 0.0],
             "target": [0.0, 1.0], "eta": 0.5, "decimals": 4}


@dataclass(frozen=True)
class Difference:
    """One printed number that a correct hand calculation does not give."""
    section: str
    what: str               # the text's name, e.g. "net_d[1]"
    printed: str
    correct: str
    kind: str
    layer: int
    neuron: int
    source: int | None
    consequence: str = ""   # what the text did with the number next

    def line(self) -> str:
        s = f"{self.section} {self.what}: the text prints {self.printed}, a correct hand calculation gives {self.correct}"
        return s + (f"; {self.consequence}" if self.consequence else "")


def _key(e):
    return (e.kind, e.layer, e.neuron, e.source)


def _same(printed: str, value: float, decimals: int) -> bool:
    return Decimal(printed) == Decimal(format(round_half_up(value, decimals), f".{decimals}f"))


def compare(events, printed: dict = None, decimals: int = 4) -> tuple[int, list[Difference]]:
    """Compare a hand-calculated trace with a text's printed numbers.

    Returns ``(checked, differences)``: how many printed numbers were found
    in the trace, and those that differ.  Only sample 0 of the trace is
    used.  For a printed ∂L/∂a that differs, the consequence says which of
    the two numbers the text's next δ was computed from.
    """
    if printed is None:
        printed = WALKTHROUGH_002
    by_key = {}
    for e in events:
        if e.sample in (0, -1):
            by_key.setdefault(_key(e), e)
    checked = 0
    diffs = []
    for (kind, layer, j, i, term), (text, section, what) in printed.items():
        e = by_key.get((kind, layer, j, i))
        if e is None:
            continue
        value = e.value if term is None else e.term(term)
        checked += 1
        if _same(text, value, decimals):
            continue
        correct = format(round_half_up(value, decimals), f".{decimals}f")
        diffs.append(Difference(section, what, text, correct, kind, layer, j, i,
                                _consequence(kind, layer, j, text, value, by_key, printed, decimals)))
    return checked, diffs


def _consequence(kind, layer, j, text, value, by_key, printed, decimals) -> str:
    """For a wrong ∂L/∂a_j: was the text's δ_j computed from its own number
    or from the correct one?  (Arithmetic on printed numbers — a check of the
    text, not of the engine.)"""
    if kind != "dsum":
        return ""
    fp = printed.get(("fprime", layer, j, None, None))
    nxt = printed.get(("delta", layer, j, None, None))
    if not fp or not nxt:
        return ""
    from_text = round_half_up(float(text) * float(fp[0]), decimals)
    from_right = round_half_up(round_half_up(value, decimals) * float(fp[0]), decimals)
    nd = Decimal(nxt[0])
    fmt = f".{decimals}f"
    if nd == Decimal(format(from_right, fmt)) and nd != Decimal(format(from_text, fmt)):
        return (f"its next number {nxt[2]} = {nxt[0]} was computed from the correct "
                f"{format(round_half_up(value, decimals), fmt)} (from {text} it would be {format(from_text, fmt)})")
    if nd == Decimal(format(from_text, fmt)):
        return f"its next number {nxt[2]} = {nxt[0]} carries the slip on"
    return ""


def report(checked: int, diffs: list[Difference]) -> list[str]:
    """The differences report as plain-text lines."""
    if not checked:
        return []
    head = (f"hand calculation: {checked} printed numbers checked, "
            f"{len(diffs)} differ{'s' if len(diffs) == 1 else ''} from a correct hand calculation")
    return [head] + ["  " + d.line() for d in diffs]


def matches_002(net, xs, ys, eta, decimals) -> bool:
    """Is this the computation of 002 §4/§7 (so its printed numbers apply)?"""
    if decimals != SETUP_002["decimals"] or len(xs) != 1:
        return False
    if list(xs[0]) != SETUP_002["input"] or list(ys[0]) != SETUP_002["target"] or eta != SETUP_002["eta"]:
        return False
    if net.sizes != [2, 4, 3, 2] or net.loss.name != "half_sse":
        return False
    if any(a.name != "sigmoid" for a in net.activations[1:]):
        return False
    want = [None, [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6], [0.7, 0.8]],
            [[0.25, 0.30, 0.35, 0.40], [0.45, 0.50, 0.55, 0.60], [0.65, 0.70, 0.75, 0.80]],
            [[0.3, 0.4, 0.5], [0.6, 0.7, 0.8]]]
    for l in (1, 2, 3):
        w_to_from = [list(col) for col in zip(*net.weights(l))]
        if w_to_from != want[l] or any(b != 0.0 for b in net.biases(l)):
            return False
    return True
