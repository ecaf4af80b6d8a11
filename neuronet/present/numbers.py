"""The one display policy for every number a person reads.

Every number the tracer, the step view, the quiz and the network pictures
show goes through :func:`fmt`; nothing else in ``neuronet.present`` or
``neuronet.teach`` formats a float for a reader.  JSON output is not a
reading view: it keeps plain numbers (``json`` floats, ``repr`` precision).

The policy
==========

1. **Significant digits, rounded as a person rounds.**  By default a number
   is shown with *D* significant digits (``--digits``, default 4), rounded
   half-up on its decimal value (4.0625 → 4.063; Python's binary
   round-half-even would give 4.062), trailing zeros dropped (0.5, not
   0.5000), integers as integers, scientific notation (``1.234e−07``) only
   when a fixed form would need more than 5 leading zeros or 15 digits.

2. **Minus is U+2212 (−)** wherever a person reads a number; LaTeX output
   writes ``-`` (TeX typesets it as a minus).  ``−0`` is shown as ``0``.

3. **Every displayed calculation checks out on a calculator, or says it
   does not.**  A line ``operands = result`` (``0.1452·0.3 = 0.04355``) is
   checked when it is written: the operation is recomputed from the operands
   *as displayed* and rounded to the displayed result's decimals.  If that
   does not give the displayed result — the engine multiplied the unrounded
   0.14516…, not 0.1452 — the ``=`` before the result is written ``≈``
   (:data:`APPROX`), and the output carries the one-line :data:`LEGEND` once,
   the first time it happens.  The result itself is never altered: it is
   the number the engine stored, rounded for display.  :func:`checks_out`
   is the check.

4. **Hand-calculation mode** (``--round N``, a :class:`Carried` in place of
   *D*) shows every number exactly as the engine carried it — the engine has
   rounded each named quantity half-up to N decimals — and writes each such
   quantity, where it is computed, with exactly N decimals (``out_b1 = sig(0.1)
   = 0.5250``, as 002 prints out_b1).  Where it is used again as an operand it
   is written as carried, without padding zeros (``w_c1·out_b1 = 0.25·0.525 =
   0.13125``: 0.525 *is* the carried 0.5250).  A product or sum the text adds
   up unrounded (0.13125) keeps its extra digits.  Because the operands shown are the operands used,
   these lines check out by construction; the check of rule 3 still runs.
   A result the engine does not carry on (the loss and its terms) is
   written as a person writes it down, rounded half-up to N decimals
   (:func:`result`).
"""
from __future__ import annotations

import ast
import math
import operator
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

MINUS = "−"
#: written in place of ``=`` before a result that the displayed operands do not give exactly
APPROX = "≈"
#: the once-per-output explanation of :data:`APPROX`
LEGEND = "≈ : computed unrounded; the rounded numbers shown give another last digit"


class Carried:
    """``digits`` for hand-calculation mode (``--round N``): every number is
    shown exactly as carried, and a result with at most N decimals is written
    with exactly N, as a person copying a calculator's N-decimal result does
    (0.525 → 0.5250, as 002 prints it; an unrounded product 0.13125 stays)."""

    __slots__ = ("decimals",)

    def __init__(self, decimals: int) -> None:
        self.decimals = decimals

    def pad(self, s: str) -> str:
        d = Decimal(s)
        if d == d.to_integral_value() or "e" in s or -d.as_tuple().exponent > self.decimals:
            return s
        return format(d, f".{self.decimals}f")

    def __repr__(self) -> str:
        return f"Carried({self.decimals})"


def result(x, digits: int | Carried | None = 4, latex: bool = False) -> str:
    """A result the engine does not carry on (the loss, its terms): in hand
    mode written as a person would write it down, rounded half-up to the
    calculation's N decimals (as a 12-digit calculator shows it); otherwise
    :func:`fmt`."""
    if isinstance(digits, Carried) and isinstance(x, float) and math.isfinite(x):
        d = Decimal(format(x, ".12g"))
        with localcontext() as ctx:                  # room for every digit of a huge value
            ctx.prec = max(28, d.adjusted() + digits.decimals + 3)
            x = float(d.quantize(Decimal(1).scaleb(-digits.decimals), rounding=ROUND_HALF_UP))
    return fmt(x, digits, latex)


def fixed(x, decimals: int, sign: str = "") -> str:
    """``x`` rounded half-up to exactly ``decimals`` decimals (0.00695 at 5,
    0.0070 at 4), U+2212 for minus: a number quoted at a text's precision.
    ``sign`` ("+" or " ") is written before a number that is not negative,
    so that signed columns line up."""
    text = result(float(x), Carried(decimals))
    return text if text.startswith("−") else sign + text


def vector(xs, decimals: int) -> str:
    """``[a, b, c]`` with every entry :func:`fixed` at ``decimals``."""
    return "[" + ", ".join(fixed(x, decimals) for x in xs) + "]"


def fmt(x, digits: int | Carried | None = 4, latex: bool = False) -> str:
    """``x`` as a person reads it (see the module's policy).

    ``digits``: significant digits (rule 1); ``None`` = the number exactly
    as carried (12 significant digits, what a calculator displays);
    :class:`Carried` = hand-calculation mode (rule 4).  ``None`` as ``x``
    (a value not computed yet) is shown as ``·``."""
    if x is None:
        return "·"
    if isinstance(x, int) and not isinstance(x, bool):
        s = str(x)
    elif x != x or x in (math.inf, -math.inf):
        s = {"nan": "nan", "inf": "∞", "-inf": "-∞"}[repr(float(x))]
    elif digits is None:
        s = _plain(format(x, ".12g"))
    elif isinstance(digits, Carried):
        s = digits.pad(_plain(format(x, ".12g")))
    else:
        s = half_up(x, max(digits, 1))
    if s in ("-0", "-0.0"):
        s = "0"
    if not latex:
        s = s.replace("-", MINUS)
    elif "e" in s:
        m, e = s.split("e")
        s = rf"{m} \times 10^{{{int(e)}}}"
    return s


def _plain(s: str) -> str:
    """Python's ``.12g`` writes 1e-05; keep the exponent as a person writes it."""
    return s.replace("e-0", "e-").replace("e+0", "e").replace("e+", "e")


def half_up(x: float, digits: int) -> str:
    """``x`` to ``digits`` significant digits, half-up on its decimal value.

    Fast path: the float's correctly rounded digits (``format(x, ".Ne")``)
    are the half-up digits of its shortest decimal ``repr`` except when that
    repr ends exactly on a 5 at the cut (a decimal tie the binary value may
    sit either side of); those few go through :func:`_half_up_decimal`."""
    x = float(x)
    if x == 0:
        return "0"
    r = repr(x)
    mant = r.split("e")[0].lstrip("-").replace(".", "").lstrip("0")
    if len(mant) == digits + 1 and mant[-1] == "5":
        return _half_up_decimal(x, digits)
    m, e = format(x, f".{digits - 1}e").split("e")
    exp = int(e)
    if exp < -5 or exp >= 15:
        return _half_up_decimal(x, digits)
    sign = "-" if m[0] == "-" else ""
    ds = m.lstrip("-").replace(".", "")
    if exp >= 0:
        whole, frac = ds[:exp + 1].ljust(exp + 1, "0"), ds[exp + 1:]
    else:
        whole, frac = "0", "0" * (-exp - 1) + ds
    frac = frac.rstrip("0")
    return sign + whole + ("." + frac if frac else "")


def _half_up_decimal(x: float, digits: int) -> str:
    d = Decimal(repr(float(x)))
    if d == 0:
        return "0"
    q = Decimal(1).scaleb(d.adjusted() - digits + 1)
    r = d.quantize(q, rounding=ROUND_HALF_UP)
    if r.adjusted() < -5 or r.adjusted() >= 15:
        return format(r.normalize(), "e").replace("e-0", "e-").replace("e+", "e")
    t = format(r, "f")
    if "." in t:
        t = t.rstrip("0").rstrip(".")
    return t


def signed(x, digits: int | Carried | None = 4) -> str:
    """``fmt`` with an explicit sign (``+0.5``, ``−0.09``), for coefficients
    written after an operator."""
    s = fmt(x, digits)
    return s if s.startswith(MINUS) else "+" + s


# ---------------------------------------------------------------------------
# rule 3: does a displayed calculation check out?
# ---------------------------------------------------------------------------

_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
        ast.Div: operator.truediv, ast.Pow: operator.pow}


def _sigmoid(z):
    return 1 / (1 + math.exp(-z))


_FUNCS = {"σ": _sigmoid, "sig": _sigmoid, "tanh": math.tanh, "log": math.log, "exp": math.exp,
          "ReLU": lambda z: max(z, 0.0), "id": lambda z: z}


def _to_python(text: str) -> str | None:
    """A displayed calculation in plain-text style as a Python expression,
    or None when it is not arithmetic on numbers (symbols, Σ, softmax…)."""
    t = text.replace(MINUS, "-").replace("·", "*").replace("½", "0.5*").replace("²", "**2")
    for name in sorted(_FUNCS, key=len, reverse=True):
        t = t.replace(name + "(", f"_f{list(_FUNCS).index(name)}(")
    # implicit products as the texts write them: a(1 − a), (a)(b)
    out = []
    for i, ch in enumerate(t):
        if ch == "(" and out and (out[-1].isdigit() or out[-1] in ".)") and not _in_name(out):
            out.append("*")
        out.append(ch)
    t = "".join(out)
    if any(c.isalpha() and c not in "ef_" for c in t.replace("_f", "")):
        return None
    return t


def _in_name(chars: list[str]) -> bool:
    """True when the text before an opening bracket ends in a function name."""
    k = len(chars) - 1
    while k >= 0 and chars[k].isdigit():
        k -= 1
    return k >= 1 and chars[k] == "f" and chars[k - 1] == "_"


def evaluate(text: str) -> float | None:
    """The value of a displayed calculation (``0.7199(1 − 0.7199)``,
    ``½(0.7199 − 0)²``, ``σ(0.1)``), or None if it is not one."""
    t = _to_python(text)
    if t is None:
        return None
    try:
        tree = ast.parse(t.strip(), mode="eval")
    except SyntaxError:
        return None
    funcs = list(_FUNCS.values())

    def ev(n):
        if isinstance(n, ast.Expression):
            return ev(n.body)
        if isinstance(n, ast.Constant) and isinstance(n.value, (int, float)):
            return float(n.value)
        if isinstance(n, ast.UnaryOp) and isinstance(n.op, (ast.USub, ast.UAdd)):
            v = ev(n.operand)
            return -v if isinstance(n.op, ast.USub) else v
        if isinstance(n, ast.BinOp) and type(n.op) in _OPS:
            return _OPS[type(n.op)](ev(n.left), ev(n.right))
        if (isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id.startswith("_f")
                and len(n.args) == 1):
            return funcs[int(n.func.id[2:])](ev(n.args[0]))
        raise ValueError(n)

    try:
        return ev(tree)
    except (ValueError, ZeroDivisionError, OverflowError, IndexError):
        return None


def _decimal(shown: str) -> Decimal | None:
    try:
        return Decimal(shown.replace(MINUS, "-").replace("∞", "Infinity"))
    except InvalidOperation:
        return None


_NUMBER = r"\(?([−-]?\d+(?:\.\d+)?(?:e[−-]?\d+)?)\)?"
_BINARY = re.compile(rf"^{_NUMBER}(·| \+ | − | / ){_NUMBER}$")
_DEC_OPS = {"·": operator.mul, " + ": operator.add, " − ": operator.sub, " / ": operator.truediv}


def sum_checks_out(terms: list[str], result: str) -> bool:
    """Rule 3 for a Σ line: the terms printed above it (as displayed),
    added up exactly and rounded half-up to ``result``'s decimals, give
    ``result`` (as displayed).  003's ∂H/∂h_1^2 = −0.1721 under −0.1966,
    −0.0355 and 0.06007 (which add to −0.17203) does not: it is written ≈."""
    want = _decimal(result)
    parts = [_decimal(t) for t in terms]
    if want is None or not want.is_finite() or any(p is None or not p.is_finite() for p in parts):
        return True
    try:
        return sum(parts, Decimal(0)).quantize(Decimal(1).scaleb(want.as_tuple().exponent),
                                               rounding=ROUND_HALF_UP) == want
    except InvalidOperation:
        return True


def checks_out(calculation: str, result: str) -> bool:
    """Rule 3: recomputing ``calculation`` (as displayed) and rounding it,
    half-up, to ``result``'s decimals gives ``result`` (as displayed).

    A calculation that is not plain arithmetic on numbers, or a result that
    is not one number, cannot be checked and counts as checking out."""
    want = _decimal(result)
    if want is None or not want.is_finite():
        return True
    m = _BINARY.match(calculation)
    if m:           # the common two-operand line, in exact decimal arithmetic
        a, op, b = m.groups()
        x, y = _decimal(a), _decimal(b)
        if op == " / " and y == 0:
            return True
        exact = _DEC_OPS[op](x, y)
        try:
            return exact.quantize(Decimal(1).scaleb(want.as_tuple().exponent), rounding=ROUND_HALF_UP) == want
        except InvalidOperation:
            return True
    got = evaluate(calculation)
    if got is None or not math.isfinite(got):
        return True
    exp = want.as_tuple().exponent
    try:
        g = Decimal(format(got, ".15g")).quantize(Decimal(1).scaleb(exp), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return True
    return g == want
