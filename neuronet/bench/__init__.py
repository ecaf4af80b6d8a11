"""``neuronet bench``: the contenders (:mod:`.contenders`) and the timing
harness (:mod:`.harness`), as one namespace."""
from .contenders import (ARCHS, CONTENDERS, ETA, LOW_PRECISION, NAMES, SEED, Contender, Runner, available, check,  # noqa: F401
                         floor_step, jsonl_sink, sample_for, spec_for, start_weights, weights_of)
from .harness import (TARGETS, TARGETS_AT_LEAST, Plan, machine, measure, median, memory_probe,  # noqa: F401
                      plan, ratio, runs_of, targets)
