"""neuronet quiz: one hidden term at a time, marked, with the derivation
shown after a wrong answer."""
from __future__ import annotations

import random
import sys

from ..teach import quiz, stepper
from ..errors import DataError
from ..present.notation import carried, fmt
from ..teach.replay import record_step
from ._common import add_one_step, nonnegative_number, positive_count

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
                   help="ask only about this phase (repeatable): forward (z, a), delta, gradient, update")
    p.add_argument("--tolerance", type=nonnegative_number, default=0.01, metavar="REL",
                   help="relative tolerance of a right answer (default 0.01, i.e. 1%%)")
    p.add_argument("--abs-tolerance", type=nonnegative_number, default=1e-4, metavar="ABS",
                   help="absolute tolerance, for values near 0 (default 1e-4)")
    p.add_argument("--answers", metavar="FILE", help="read the answers from FILE, one per line (graders)")


def _answers(path: str):
    try:
        with open(path, encoding="utf-8") as fh:
            lines = fh.read().splitlines()
    except OSError as e:
        raise DataError(f"cannot be read ({e.strerror})", source=path) from None
    return lines


def run(args) -> int:
    from ._common import load_net, load_samples
    net = load_net(args)
    xs, ys = load_samples(args, net)
    events, before, _ = record_step(net, xs, ys, args.lr, args.lr_bias, args.reduction, args.round_digits)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(10 ** 6)
    picked = quiz.pick(events, args.questions, seed, args.phase)
    sig = carried(args.round_digits, otherwise=6)      # givens, answer and derivation: one precision
    answers = _answers(args.answers) if args.answers else None
    w = sys.stdout.write
    rule = (f"within {args.round_digits} decimals" if args.round_digits is not None
            else f"within {args.tolerance:g} relative or {args.abs_tolerance:g} absolute")
    w(f"quiz: {len(picked)} questions on one step of {net.name or args.spec} "
      f"(seed {seed}; right = {rule})\n")
    score = 0
    for n, k in enumerate(picked, 1):
        q = quiz.question(events, k, before, args.notation)
        w(f"\nQuestion {n} of {len(picked)} · {q.event.phase} · {q.category}\n")
        w(f"  {q.symbol}  ({q.what})\n")
        for note in q.notes:
            w(f"  {note}\n")
        if q.givens:
            w("  given: " + ", ".join(f"{s} = {fmt(v, sig)}" for s, v in q.givens) + "\n")
        if answers is not None:
            text = answers[n - 1] if n - 1 < len(answers) else None
            w(f"  answer: {text if text is not None else '(none)'}\n")
        else:
            text = stepper.ask("  your answer: ")
            if text is None:
                w("\n  (end of input)\n")
        m = quiz.mark(text, q.event.value, args.tolerance, args.abs_tolerance, args.round_digits)
        if m.right:
            score += 1
            w(f"  right: {q.symbol} = {fmt(m.value, sig)}\n")
        else:
            why = "not a number" if m.answer is None and text else ("no answer" if not text else "wrong")
            w(f"  {why}; here is how:\n")
            for line in quiz.derivation(events, q, args.notation, sig, before.sizes):
                w(f"    {line}\n")
        if answers is None and text is None:
            picked = picked[:n]
            break
    w(f"\nscore: {score} of {len(picked)}\n")
    return 0
