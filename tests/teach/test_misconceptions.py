"""The mistake catalogue: every wording marking's diagnose can give is filed
under a kind (none falls through to "other"), so the class report and the
quiz's distractors speak of the same mistakes."""
from conftest import SWITCH

from neuronet.io import spec
from neuronet.present import notation
from neuronet.teach import mark, misconceptions
from neuronet.teach.replay import record_step


def test_every_diagnosis_has_a_kind():
    net = spec.load(SWITCH)
    events, before, _ = record_step(net, [[1, 0]], [[0, 1]], 0.5, 0.0, "mean", 4)
    N = notation.for_net("net-out", before)
    seen = set()
    for k, e in enumerate(events):
        if e.kind not in ("z", "a", "dsum", "delta_out", "delta", "grad_w", "update_w"):
            continue
        for label, v in mark.mistaken_values(events, k, 4):
            why = mark.diagnose(events, k, v, 4, None, N)
            if why:
                seen.add(misconceptions.kind_of(why))
                assert misconceptions.kind_of(why) != "other", why
        # a neighbour's number, one unit off, one digit off
        for v in (e.value + 1e-4, e.value + 0.3):
            why = mark.diagnose(events, k, v, 4, None, N)
            if why:
                seen.add(misconceptions.kind_of(why))
                assert misconceptions.kind_of(why) != "other", why
    assert {"sign", "fprime", "rounding", "not-updated", "update-added", "neighbour"} <= seen


def test_an_unknown_wording_is_other():
    assert misconceptions.kind_of("something new") == "other"
    assert misconceptions.kind_of(None) == "other"
