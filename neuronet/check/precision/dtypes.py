"""Number types as rounding functions.

A backend that computes in float32 stores every intermediate as a float32:
the value it keeps is ``round(x)``, the float32 nearest to x (ties to even).
Python floats are float64, so a float32 computation is replayed exactly by
rounding each float64 result to float32: for +, −, ×, ÷ of two float32s the
float64 result rounded again to float32 equals the correctly rounded float32
result (double rounding is innocuous when 53 ≥ 2·24 + 2).  The product of
two float32s is even *exact* in float64 (24 + 24 ≤ 53 bits), so rounding it
once gives the float32 product.

Rounding idioms, measured on this machine (ns per number, 1,000 numbers):
``array('f', seq)`` for a whole list at once ~39, a one-slot
``array('f')`` set/get ~103, ``struct`` pack/unpack ~198, ``float(np.float32(x))``
~414.  So lists are rounded in bulk and single numbers through one slot.

bfloat16 keeps float32's exponent and 8 significant bits: round-to-nearest-
even of the float32 bit pattern to its top 16 bits.  float16 uses struct's
IEEE half ``'e'`` (values beyond its range become inf, as on hardware).
"""
from __future__ import annotations

import math
import struct
from array import array
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class DType:
    """``round(x)`` → x stored in the type; ``round_all(xs)`` a list at once;
    ``u`` the unit roundoff (half the distance from 1 to the next number)."""
    name: str
    u: float
    round: Callable[[float], float]
    round_all: Callable[[list], list]
    exact: bool = False          # float64: rounding is the identity
    running_sum: Callable | None = None   # Σ with every partial sum rounded, when faster than round()
    acc: "DType | None" = None   # the type long sums are accumulated in, when wider (bf16 matmuls: float32)
    eta: float = 0.0             # underflow: the most a rounding can be off in absolute terms near 0

    def gamma(self, n: int) -> float:
        """γ_n = n·u / (1 − n·u): the relative bound of n roundings
        (Higham, *Accuracy and Stability of Numerical Algorithms*, §3.1);
        inf when n·u ≥ 1 (no bound)."""
        nu = n * self.u
        return nu / (1.0 - nu) if nu < 1.0 else math.inf


def _identity(x: float) -> float:
    return x


def _identity_all(xs) -> list:
    return list(xs)


_slot = array("f", [0.0])


def _f32(x: float) -> float:
    try:
        _slot[0] = x
    except OverflowError:                 # beyond float32's range: inf, as the hardware gives
        return math.copysign(math.inf, x)
    return _slot[0]


def _f32_sum(values) -> float:
    """Σ values left to right, each partial sum stored in float32 (the slot
    written inline: a function call per term would cost ~40% more)."""
    slot = array("f", [0.0])
    s = 0.0
    try:
        for v in values:
            slot[0] = s + v
            s = slot[0]
    except OverflowError:
        return math.copysign(math.inf, s + v)
    return s


def _f32_all(xs) -> list:
    try:
        return array("f", xs).tolist()
    except OverflowError:
        return [_f32(x) for x in xs]


_F = struct.Struct("<f")
_I = struct.Struct("<I")


def _bf16(x: float) -> float:
    """Round-to-nearest-even of float32(x) to bfloat16 (top 16 bits)."""
    x = _f32(x)
    if x != x or x in (math.inf, -math.inf):
        return x
    bits = _I.unpack(_F.pack(x))[0]
    bits = (bits + 0x7FFF + ((bits >> 16) & 1)) & 0xFFFF0000
    if (bits & 0x7F800000) == 0x7F800000:        # rounded up past the largest finite number
        return math.copysign(math.inf, x)
    return _F.unpack(_I.pack(bits))[0]


def _bf16_all(xs) -> list:
    return [_bf16(x) for x in xs]


_H = struct.Struct("<e")


def _f16(x: float) -> float:
    try:
        return _H.unpack(_H.pack(x))[0]
    except OverflowError:
        return math.copysign(math.inf, x)


def _f16_all(xs) -> list:
    return [_f16(x) for x in xs]


# eta: half the smallest subnormal — fl(x) = x(1 + δ) + η with |δ| ≤ u, |η| ≤ eta (Higham §2.1);
# it matters in float16 (2⁻²⁵ ≈ 3·10⁻⁸: a δ of 2·10⁻⁸ is stored as 0), hardly elsewhere
_FLOAT32 = DType("float32", 2.0 ** -24, _f32, _f32_all, running_sum=_f32_sum, eta=2.0 ** -150)
_FLOAT16 = DType("float16", 2.0 ** -11, _f16, _f16_all, eta=2.0 ** -25)
_BFLOAT16 = DType("bfloat16", 2.0 ** -8, _bf16, _bf16_all, eta=2.0 ** -134)

#: ``storage:accumulation`` — numbers stored in the first type, the dot products and batch sums
#: accumulated in the second and rounded to the first once: how half-precision matrix products
#: run on current hardware and libraries (bfloat16 and float16 GEMMs accumulate in float32).
#: In bfloat16 alone a sum of 256 terms already has no worst-case bound (256·2⁻⁸ = 1).
DTYPES = {
    "float64": DType("float64", 2.0 ** -53, _identity, _identity_all, exact=True),
    "float32": _FLOAT32,
    "float16": _FLOAT16,
    "bfloat16": _BFLOAT16,
    "float16:float32": DType("float16:float32", _FLOAT16.u, _f16, _f16_all, acc=_FLOAT32, eta=_FLOAT16.eta),
    "bfloat16:float32": DType("bfloat16:float32", _BFLOAT16.u, _bf16, _bf16_all, acc=_FLOAT32,
                              eta=_BFLOAT16.eta),
}
NAMES = tuple(DTYPES)


def get(name: str) -> DType:
    from ...errors import DataError
    try:
        return DTYPES[name]
    except KeyError:
        raise DataError(f"dtype must be one of {', '.join(NAMES)}, not {name!r}") from None
