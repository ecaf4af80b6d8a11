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

:func:`compare` checks a text's printed numbers (read by :func:`load_printed`
from a file beside its walkthrough, e.g. walkthroughs/switch-2-4-3-2/printed.toml)
against a hand-calculated trace and reports every number the text got wrong.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

from .numbers import MINUS, Carried, fmt

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
# a text's printed numbers, as data beside its walkthrough
# ---------------------------------------------------------------------------
# A printed-numbers file (TOML; walkthroughs/switch-2-4-3-2/printed.toml is
# 002's) holds groups, each one vector or matrix as the text prints it:
#
#     [[printed]]
#     section = "§4"          # where the text prints it
#     symbol = "out_b"        # the text's name for it
#     event = "a"             # the trace event each number is (neuronet.engine.events)
#     layer = 1               # 0-based layer of that event
#     term = "step"           # optional: a term of the event instead of its value
#     values = ["0.5250", "0.5744", "0.6225", "0.6682"]
#
# A vector's k-th number is neuron k − 1; a matrix is [to][from] (one row per
# destination neuron, as 002 writes its matrices).  Numbers are strings, exactly
# as printed.  load_printed turns the groups into
#     {(kind, layer, neuron j, source i or None, term or None): (text, section, name)}
# with names such as "net_d[1]" and "W_cg[2][3]" (1-based, as the text counts).

PRINTED_KEYS = {"section", "symbol", "event", "layer", "values", "term"}


class Printed(dict):
    """The ``printed`` mapping :func:`compare` takes, with the file's
    ``decimals`` (how many the text carries) and ``text`` (its file name)."""
    decimals: int = 4
    text: str = ""


def load_printed(path) -> Printed:
    """A printed-numbers file as the ``printed`` mapping :func:`compare` takes.

    Bad input raises DataError naming the file and the group."""
    from decimal import InvalidOperation

    from ..errors import DataError
    from ..io import files
    source = str(path)
    text = files.read_text(path, DataError, "printed-numbers file")
    doc = files.parse_toml(text, DataError, source)
    groups = doc.get("printed")
    if not isinstance(groups, list) or not groups:
        raise DataError("needs [[printed]] groups (section, symbol, event, layer, values)", source=source)
    out = Printed()
    decimals = doc.get("decimals", 4)
    if not isinstance(decimals, int) or isinstance(decimals, bool) or not 0 <= decimals <= MAX_DECIMALS:
        raise DataError(f"decimals must be a whole number 0–{MAX_DECIMALS} (how many decimals the text carries)",
                        source=source)
    out.decimals = decimals
    out.text = str(doc.get("text", ""))
    for g_no, g in enumerate(groups, start=1):
        where = f"[[printed]] group {g_no}"
        if not isinstance(g, dict):
            raise DataError(f"{where} is not a table", source=source)
        extra = set(g) - PRINTED_KEYS
        if extra:
            raise DataError(f"{where}: unknown key {sorted(extra)[0]!r}", source=source)
        for key, kind in (("section", str), ("symbol", str), ("event", str), ("layer", int)):
            if not isinstance(g.get(key), kind) or isinstance(g.get(key), bool):
                raise DataError(f"{where} needs {key} ({kind.__name__})", source=source)
        term = g.get("term")
        if term is not None and not isinstance(term, str):
            raise DataError(f"{where}: term must be a string", source=source)
        values = g.get("values")
        if not isinstance(values, list) or not values:
            raise DataError(f"{where} needs values (a list, or a list of rows)", source=source)
        matrix = isinstance(values[0], list)
        rows = values if matrix else [values]
        for j, row in enumerate(rows):
            if not isinstance(row, list) or any(isinstance(v, list) for v in row):
                raise DataError(f"{where}: values mixes numbers and rows", source=source)
            for i, v in enumerate(row):
                at = f"{g['symbol']}[{j + 1}][{i + 1}]" if matrix else f"{g['symbol']}[{i + 1}]"
                if not isinstance(v, str):
                    raise DataError(f"{where}, {at}: write the number as printed, in quotes "
                                    f"(\"0.5250\" keeps its digits)", source=source)
                try:
                    Decimal(v)
                except InvalidOperation:
                    raise DataError(f"{where}, {at}: {v!r} is not a number", source=source) from None
                key = (g["event"], g["layer"], j, i, term) if matrix else (g["event"], g["layer"], i, None, term)
                if key in out:
                    raise DataError(f"{where}, {at}: the same event as {out[key][2]}", source=source)
                out[key] = (v, g["section"], at)
    return out


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
        printed = self.printed.replace("-", MINUS)       # as a person reads it (numbers.py rule 2)
        s = f"{self.section} {self.what}: the text prints {printed}, a correct hand calculation gives {self.correct}"
        return s + (f"; {self.consequence}" if self.consequence else "")


def _shown(x: float, decimals: int) -> str:
    """A hand-calculated number as the display policy writes it: N decimals, U+2212."""
    return fmt(x, Carried(decimals))


def _key(e):
    return (e.kind, e.layer, e.neuron, e.source)


def _same(printed: str, value: float, decimals: int) -> bool:
    return Decimal(printed) == Decimal(format(round_half_up(value, decimals), f".{decimals}f"))


def compare(events, printed: dict, decimals: int = 4) -> tuple[int, list[Difference]]:
    """Compare a hand-calculated trace with a text's printed numbers.

    Returns ``(checked, differences)``: how many printed numbers were found
    in the trace, and those that differ.  Only sample 0 of the trace is
    used.  For a printed ∂L/∂a that differs, the consequence says which of
    the two numbers the text's next δ was computed from.
    """
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
        correct = _shown(round_half_up(value, decimals), decimals)
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
    shown_next = nxt[0].replace("-", MINUS)
    if nd == Decimal(format(from_right, fmt)) and nd != Decimal(format(from_text, fmt)):
        return (f"its next number {nxt[2]} = {shown_next} was computed from the correct "
                f"{_shown(round_half_up(value, decimals), decimals)} (from {text.replace('-', MINUS)} it would be "
                f"{_shown(from_text, decimals)})")
    if nd == Decimal(format(from_text, fmt)):
        return f"its next number {nxt[2]} = {shown_next} carries the slip on"
    return ""


def report(checked: int, diffs: list[Difference]) -> list[str]:
    """The differences report as plain-text lines."""
    if not checked:
        return []
    head = (f"hand calculation: {checked} printed numbers checked, "
            f"{len(diffs)} differ{'s' if len(diffs) == 1 else ''} from a correct hand calculation")
    return [head] + ["  " + d.line() for d in diffs]
