"""neuronet quiz: one hidden term at a time, marked, with the derivation
shown after a wrong answer."""
from __future__ import annotations

import random
import sys

from ..teach import quiz, stepper
from ..errors import DataError
from ..present import safe
from ..present.numbers import fmt
from ..teach.mark import decimals_of, diagnose
from ..teach.replay import record_step
from ._common import add_one_step, nonnegative_number, positive_count, view_of
from ._common import decimals as decimals_arg

NAME = "quiz"
ORDER = 42
HELP = "quiz a student on one training step: hide a term, ask for it, show how on a miss"
DESCRIPTION = (HELP + ".  Answers are typed, piped on stdin, or read from --answers FILE "
               "(one per line, for graders).  Without --seed a fresh seed is drawn and printed, "
               "so a class can repeat the same quiz.")


def add_arguments(p) -> None:
    add_one_step(p)
    p.add_argument("--questions", type=positive_count, default=5, metavar="K", help="how many (default 5)")
    p.add_argument("--seed", type=int, help="seed of the choice of terms (default: fresh, printed)")
    p.add_argument("--phase", action="append", choices=tuple(quiz.PHASE_CATEGORIES),
                   help="ask only about this phase (repeatable): " + ", ".join(
                       p if asks == (p,) else f"{p} ({', '.join(asks)})" for p, asks in quiz.PHASE_CATEGORIES.items()))
    p.add_argument("--tolerance", type=nonnegative_number, default=0.01, metavar="REL",
                   help="relative tolerance of a right answer (default 0.01, i.e. 1%%)")
    p.add_argument("--abs-tolerance", type=nonnegative_number, default=1e-4, metavar="ABS",
                   help="absolute tolerance, for values near 0 (default 1e-4)")
    p.add_argument("--decimals", type=decimals_arg, metavar="N",
                   help="decimals an answer must carry (default --round N; without either, the "
                        "tolerances); a shorter answer is right only when exact")
    p.add_argument("--answers", metavar="FILE", nargs="+",
                   help="read the answers from FILE, one per line (graders); several files "
                        "(one per student) print one CSV row each: student, score, questions, q1…")
    p.add_argument("--csv", action="store_true", help="CSV rows even for one --answers file")
    p.add_argument("--choices", type=_at_least_two, metavar="K",
                   help="multiple choice: the right number and K − 1 distractors, each what a known "
                        "mistake gives (wrong sign, f′ left out, …); answer with the letter")


def _at_least_two(text: str) -> int:
    import argparse
    n = positive_count(text)
    if n < 2:
        raise argparse.ArgumentTypeError(f"{text!r}: a choice needs at least 2 options")
    return n


LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _options(args, events, k, seed, view):
    """The choices of question k (quiz --choices), or None."""
    if not args.choices:
        return None
    from ..teach import misconceptions
    from ..present.handcalc import round_half_up
    decimals = args.round_digits if args.round_digits is not None else 4

    def shown(x):      # a distractor at the hand calculation's decimals, like the right number
        return view.fmt(round_half_up(x, args.round_digits) if args.round_digits is not None else x)
    return misconceptions.choices(events, k, min(args.choices, len(LETTERS)), seed, shown, decimals,
                                  view.notation)


def _chosen(text, options):
    """The choice a typed letter (or number) names, or None."""
    t = (text or "").strip().lower().rstrip(")")
    if len(t) == 1 and t in LETTERS[:len(options)]:
        return options[LETTERS.index(t)]
    x = quiz.parse(text)
    for o in options:
        if x is not None and o.shown == fmt(x, None) or (text or "").strip() == o.shown:
            return o
    return None


def _answers(path: str):
    from ..io.files import read_text
    return read_text(path, DataError, "an answers file (one answer a line)").splitlines()


class _Ended(Exception):
    """The student ended the quiz: Ctrl-D (end of input) or Ctrl-C."""

    def __init__(self, how: str) -> None:
        self.how = how


def _ask(w) -> str:
    """Ask until a number is typed; raise _Ended at Ctrl-D / Ctrl-C."""
    while True:
        try:
            text = stepper.ask("  your answer: ")
        except KeyboardInterrupt:
            raise _Ended("interrupted") from None
        if text is None:
            raise _Ended("end of input")
        if quiz.parse(text) is not None:
            return text
        w(f"  {text.strip()!r} is not a number — type a number such as 0.25 or −1.5e-3 "
          "(Ctrl-D ends the quiz)\n" if text.strip() else
          "  type a number (Ctrl-D ends the quiz)\n")


def _decimals(text: str, right: float) -> int:
    """The decimals to compare a quiz answer at: those typed, but at least
    enough for 3 significant digits of the right value (a typed "0" must
    not match every small number)."""
    import math
    sig3 = 0 if right == 0 else max(0, 2 - math.floor(math.log10(abs(right))))
    return max(decimals_of(text), sig3)


def _setup(args):
    from ._common import load_net, load_samples
    net = load_net(args)
    xs, ys = load_samples(args, net)
    events, before, _ = record_step(net, xs, ys, args.lr, args.lr_bias, args.reduction, args.round_digits)
    from ..engine.finite import check_events
    check_events(events)                       # exit 1 at the first number that is not finite
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(10 ** 6)
    picked = quiz.pick(events, args.questions, seed, args.phase)
    return net, events, before, seed, picked


def _view(args, net):
    """One precision for the givens, the answer and the derivation: 6 significant digits."""
    return view_of(args, net, 6)


def _right(args, text, q):
    e = q.event
    old = e.term("old") if e.kind in ("update_w", "update_b") else None
    return quiz.mark(text, e.value, args.tolerance, args.abs_tolerance, args.round_digits,
                     args.decimals, old)


def _grade_csv(args, events, before, seed, picked) -> int:
    """One CSV row per answers file: student, file, score, questions, q1 … qK (1 right, 0 not)."""
    from pathlib import Path
    from ..io import csv_safe
    sheets = [(path, _answers(path)) for path in args.answers]     # read all first: bad file → exit 2
    out = csv_safe.writer(sys.stdout, terminal=True, lineterminator="\n")
    out.writerow(["student", "file", "seed", "score", "questions"] + [f"q{n}" for n in range(1, len(picked) + 1)])
    view = _view(args, before)
    qs = [quiz.question(events, k, before, view) for k in picked]
    options = [None] * len(qs)
    if args.choices:                  # letters: the same choices the quiz showed
        options = [_options(args, events, k, seed, view) for k in picked]

    def right(text, q, opts):
        if opts:
            pick = _chosen(text, opts)
            return pick is not None and pick.kind == "right"
        return _right(args, text, q).right
    for path, answers in sheets:
        marks = [right(answers[n] if n < len(answers) else None, q, options[n]) for n, q in enumerate(qs)]
        out.writerow([Path(path).stem, path, seed, sum(marks), len(qs)] + [int(m) for m in marks])
    return 0


def run(args) -> int:
    net, events, before, seed, picked = _setup(args)
    if args.answers and (len(args.answers) > 1 or args.csv):
        return _grade_csv(args, events, before, seed, picked)
    view = _view(args, before)
    N = view.notation
    answers = _answers(args.answers[0]) if args.answers else None
    def w(text: str) -> None:          # an answers file's lines are echoed: never a control character
        sys.stdout.write(safe.lines(text))
    asked = args.decimals if args.decimals is not None else args.round_digits
    rule = (f"within {asked} decimals" if asked is not None
            else f"within {args.tolerance:g} relative or {args.abs_tolerance:g} absolute")
    w(f"quiz: {len(picked)} questions on one step of {net.name or args.spec} "
      f"(seed {seed}; right = {rule})\n")
    score = answered = 0
    ended = None
    for n, k in enumerate(picked, 1):
        q = quiz.question(events, k, before, view)
        w(f"\nQuestion {n} of {len(picked)} · {q.event.phase} · {q.category}\n")
        w(f"  {q.symbol}  ({q.what})\n")
        for note in q.notes:
            w(f"  {note}\n")
        if q.givens:
            w("  given: " + ", ".join(f"{s} = {view.fmt(v)}" for s, v in q.givens) + "\n")
        options = _options(args, events, k, seed, view)
        if options:
            w("  " + "   ".join(f"({LETTERS[n_]}) {o.shown}" for n_, o in enumerate(options)) + "\n")
        if answers is not None:
            text = answers[n - 1] if n - 1 < len(answers) else None
            w(f"  answer: {text if text is not None else '(none)'}\n")
        else:
            try:
                text = _ask(w)
            except _Ended as e:
                ended = (e.how, n)
                w(f"\n  ({e.how})\n")
                break
        answered += 1
        if options:
            pick = _chosen(text, options)
            if pick is not None and pick.kind == "right":
                score += 1
                w(f"  right: {q.symbol} = {pick.shown}\n")
                continue
            w(f"  wrong" + (f" — ({LETTERS[options.index(pick)]}) is {pick.why}" if pick else
                            " — not one of the letters") + "; here is how:\n")
            for line in quiz.derivation(events, q, view):
                w(f"    {line}\n")
            continue
        m = _right(args, text, q)
        if m.right:
            score += 1
            w(f"  right: {q.symbol} = {view.fmt(m.value)}\n")
            continue
        why = "not a number" if m.answer is None and text else ("no answer" if not text else "wrong")
        if m.why:
            why += f" — {m.why}" + (f" ({asked} asked)" if m.why.startswith("too few") else
                                    " (the old value, the update not applied)" if m.why == "not updated" else "")
        elif m.answer is not None:
            kind = diagnose(events, k, m.answer, _decimals(text, q.event.value), None, N)
            if kind:
                why += f" — likely {kind}"
        w(f"  {why}; here is how:\n")
        for line in quiz.derivation(events, q, view):
            w(f"    {line}\n")
    if ended:
        how, n = ended
        w(f"\nscore: {score} of {answered} answered (the quiz ended at question {n} of {len(picked)})\n")
        return 130 if how == "interrupted" else 0
    w(f"\nscore: {score} of {len(picked)}\n")
    return 0
