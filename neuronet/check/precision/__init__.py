"""Verifying a backend that computes in float32, float16 or bfloat16.

Three ideas, one module each:

* :mod:`.dtypes` — a number type as a rounding function and its unit
  roundoff u (float64 2⁻⁵³, float32 2⁻²⁴, float16 2⁻¹¹, bfloat16 2⁻⁸).
* :mod:`.replay` — the reference step replayed in that type: 004's loops
  with every product, partial sum, activation, δ, gradient rounded.
* :mod:`.budget` — for every compared number, a bound on how far a correct
  backend in that type can be from the exact (float64) value, whatever its
  summation order: a first-order running error analysis (docs/backends.md,
  "Verifying a float32 backend").
"""
