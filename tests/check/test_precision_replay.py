"""The typed replay and its error budgets (neuronet.check.precision).

* The replay is the engine's loops with a rounding function: with float64
  (rounding the identity) it must equal ``passes.gradients`` bit for bit,
  over hypothesis-drawn networks (every activation × loss, batches, both
  reductions).  The golden values are the engine's own.
* The budgets must be *sound*: 1,000 random float32 replays, each summing in
  a shuffled order (another correct backend), never exceed them; and
  *tight*: the median correct term uses ≥ 1% of its budget.  The replayed
  numbers are an independent float32 computation; the exact values are the
  float64 reference.
"""
import math
import random
import statistics

from hypothesis import given, settings, strategies as st

from neuronet.check.backends import fuzz
from neuronet.check.backends.compare import per_layer, reference
from neuronet.check.precision import budget, dtypes, replay
from neuronet.errors import NumericError
from neuronet.io import spec as _spec
from strategies import problems


def _reference(net, xs, ys, reduction):
    return {**reference(net, xs, ys, reduction), **per_layer(net, xs, ys)}


@settings(max_examples=150, deadline=None)
@given(problems(), st.sampled_from(["mean", "sum"]))
def test_float64_replay_is_the_engine_bit_for_bit(problem, reduction):
    spec, xs, ys = problem
    net = _spec.from_dict(spec)
    try:
        ref = _reference(net, xs, ys, reduction)
    except NumericError:
        return
    got = replay.run(net, xs, ys, reduction, dtypes.get("float64"))
    for key in ref:
        assert got[key] == ref[key], key


def test_float32_rounding_matches_numpy():
    """Independent implementation: numpy's float32 (and its RNE to bfloat16 via
    the bit pattern, written out here)."""
    np = __import__("pytest").importorskip("numpy")
    rng = random.Random(3)
    xs = [rng.uniform(-1e3, 1e3) * 10 ** rng.randint(-30, 30) for _ in range(2000)] + [0.5 + 2 ** -25, 1 + 2 ** -24]
    f32 = dtypes.get("float32")
    assert f32.round_all(xs) == [float(np.float32(x)) for x in xs]
    assert [f32.round(x) for x in xs] == [float(np.float32(x)) for x in xs]
    bf = dtypes.get("bfloat16")
    for x in xs:
        b = int(np.float32(x).view(np.uint32))
        lo, hi = b & 0xFFFF, b & 0xFFFF0000
        up = lo > 0x8000 or (lo == 0x8000 and (hi >> 16) & 1)
        want = np.uint32(hi + (0x10000 if up else 0)).view(np.float32)
        assert bf.round(x) == float(want)


def _walk(ref, bud, got, out):
    if isinstance(ref, dict):
        for k in ref:
            _walk(ref[k], bud[k], got[k], out)
    elif isinstance(ref, list):
        for r, b, g in zip(ref, bud, got):
            _walk(r, b, g, out)
    else:
        d = abs(got - ref)
        out.append((d / bud if bud > 0 else (0.0 if d == 0 else math.inf), ref, got, bud))


def _shuffled_replays(t, n, seed, scope=fuzz.DEFAULT, budget_type=None):
    rng = random.Random(seed)
    ratios = []
    done = 0
    k = 0
    while done < n:
        spec, xs, ys, reduction = fuzz.case(rng, k, scope)
        k += 1
        net = _spec.from_dict(spec)
        try:
            ref = _reference(net, xs, ys, reduction)
        except NumericError:
            continue
        got = replay.run(net, xs, ys, reduction, t, order=random.Random(k))
        _walk(ref, budget.budgets(net, xs, ys, reduction, ref, budget_type or t), got, ratios)
        done += 1
    return ratios


def test_budgets_are_sound_and_tight_over_1000_shuffled_float32_replays():
    ratios = _shuffled_replays(dtypes.get("float32"), 1000, 20261203)
    worst = max(ratios)
    assert worst[0] <= 1.0, worst
    median = statistics.median(r for r, *_ in ratios)
    print(f"float32: {len(ratios)} terms, median |diff|/budget {median:.4f}, max {worst[0]:.3f}")
    assert median >= 0.01, median


def test_bfloat16_and_float16_budgets_are_sound_over_shuffled_replays():
    for name in ("bfloat16", "float16"):
        ratios = _shuffled_replays(dtypes.get(name), 300, 7)
        assert max(ratios)[0] <= 1.0, (name, max(ratios))


#: wide layers, where a sum of 256+ bfloat16 terms has no worst-case bound: the case for float32 accumulation
#: (losses whose gradient is a difference: −y/a's budget may be infinite for its own reason, a ≈ 0;
#: every activation, the input layer's too: a softmax over 300 inputs sums 300 terms)
WIDE = fuzz.Scope(losses=("half_sse", "mse"), input_width=300, min_width=3, max_width=8, init="torch", batch=3)


def test_float32_accumulation_budgets_are_sound_and_finite_on_wide_layers():
    """Stored in bfloat16, dot products and batch sums accumulated in float32
    (a bf16 GEMM): over shuffled replays, narrow and 300 wide, every term is
    within its budget, and on the wide layers every budget is finite, where
    bfloat16 alone has none (300·2⁻⁸ > 1)."""
    t = dtypes.get("bfloat16:float32")
    assert max(_shuffled_replays(t, 300, 11))[0] <= 1.0
    wide = _shuffled_replays(t, 40, 11, WIDE)
    assert max(wide)[0] <= 1.0, max(wide)
    assert all(math.isfinite(b) for *_, b in wide)
    plain = _shuffled_replays(dtypes.get("bfloat16"), 5, 11, WIDE)
    assert any(math.isinf(b) for *_, b in plain)


def test_the_final_rounding_to_bfloat16_is_part_of_the_budget():
    """The check can fail: budgets that forget the one rounding of each
    accumulated sum to bfloat16 (float32's alone) are exceeded."""
    ratios = _shuffled_replays(dtypes.get("bfloat16:float32"), 10, 11, WIDE, budget_type=dtypes.get("float32"))
    assert max(ratios)[0] > 10.0


def test_float16_budgets_hold_where_its_numbers_underflow():
    """float16 stores nothing below 6·10⁻⁸: a softmax Jacobian's a_n(0 − a_k) of
    1.9·10⁻⁸ becomes 0, then ×∂L/∂a_n = −1/a_n ≈ −15,000 (seed 11: the δ of
    2.8·10⁻⁴ comes out 0).  The budgets carry an absolute allowance per
    rounding (``DType.eta``, half float16's smallest subnormal) and hold;
    without it they do not.  A number float16 overflows (1/a > 65,504) is
    left out: its inf is beyond any budget, rightly."""
    import dataclasses
    for name in ("float16", "float16:float32"):
        t = dtypes.get(name)
        for seed in (7, 11, 12, 13):
            finite = [r for r in _shuffled_replays(t, 200, seed) if math.isfinite(r[2])]
            assert max(finite)[0] <= 1.0, (name, seed, max(finite))
    no_eta = dataclasses.replace(dtypes.get("float16"), eta=0.0)
    assert max(_shuffled_replays(no_eta, 200, 11))[0] > 1.0


def test_a_budget_too_small_is_caught():
    """The soundness check can fail: a float32 replay against budgets for
    float64's u is far beyond them."""
    rng = random.Random(1)
    spec, xs, ys, reduction = fuzz.case(rng, 0)
    net = _spec.from_dict(spec)
    ref = _reference(net, xs, ys, reduction)
    got = replay.run(net, xs, ys, reduction, dtypes.get("float32"))
    ratios = []
    _walk(ref, budget.budgets(net, xs, ys, reduction, ref, dtypes.get("float64")), got, ratios)
    assert max(ratios)[0] > 1e6
