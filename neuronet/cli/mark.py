"""neuronet mark: check a student's hand calculation, line by line."""
from __future__ import annotations

import sys

from ..errors import DataError
from ..io import files
from ..present import notation as _notation
from ..present import safe
from ..teach import mark as _mark
from ..teach.replay import record_step
from ._common import add_one_step, load_net, load_samples
from ._common import decimals as decimals_arg

NAME = "mark"
ORDER = 43
HELP = "mark a hand calculation: each 'symbol = value' line right or wrong, with the worked step"
DESCRIPTION = (HELP + ".  WORK is a text file of lines like 'net_d1 = 0.9440' in the symbols of "
               "--notation (# starts a comment).  The step is computed as a person does it: every "
               "named intermediate rounded half-up to the most decimals the file uses, at least "
               "--decimals (or to --round N).  A line is right when it carries the decimals the "
               "exercise asks for (--decimals N, default --round N, else the text's printed precision for a "
               "walkthrough's network, else 4) and is that value at them; "
               "a shorter number is right only when it is exact (0.1 for 0.1000), else 'too few "
               "decimals to mark'; a new weight equal to the old one is 'not updated'; a value that "
               "overflowed is never right.  "
               "A line that is wrong only because it carries on an earlier wrong line "
               "(its own arithmetic right) is marked 'carried'.  "
               "Exit 0: all right; 1: some not right; 2: bad input.  Unknown symbols are reported, "
               "not fatal.  With --key (a key 'neuronet exam' wrote) the key gives the network and "
               "the step, and a score with partial credit follows; --class marks a folder of work "
               "into a gradebook CSV and a misconception report.")


def add_arguments(p) -> None:
    add_one_step(p)
    p.add_argument("--decimals", type=decimals_arg, metavar="N",
                   help=f"decimals the exercise asks for (default --round N, else the text's printed "
                        f"precision for a walkthrough's network, else {_mark.DEFAULT_DECIMALS}, the "
                        "hand-mode policy); fewer are not marked right")
    p.add_argument("work", metavar="WORK", nargs="?", help="the student's work: one 'symbol = value' a line")
    # with --key or --class the spec comes from the key: `mark --key K WORK`, `mark --class DIR`
    spec = next(a for a in p._actions if a.dest == "spec")
    spec.nargs, spec.default = "?", None
    _intermixed(p)
    g = p.add_argument_group("a class (keys written by 'neuronet exam')")
    g.add_argument("--key", metavar="KEY", help="mark WORK against a student's key (DIR/keys/ID.json): its "
                   "network, sample, η and decimals; prints a score with partial credit")
    g.add_argument("--class", dest="class_dir", metavar="WORKDIR",
                   help="mark every WORKDIR/ID.txt against KEYS/ID.json; write a gradebook CSV and a "
                        "misconception report")
    g.add_argument("--keys", metavar="KEYS", help="the keys folder (default: WORKDIR/../keys)")
    g.add_argument("--gradebook", metavar="CSV", help="gradebook file (default: WORKDIR/../gradebook.csv)")
    g.add_argument("--report-html", metavar="HTML", help="also write the misconception report as a page")
    g.add_argument("--carried-credit", type=_fraction, default=1.0, metavar="F",
                   help="credit of a carried line, 0 … 1 (default 1: the method was right)")


def _intermixed(p) -> None:
    """Let SPEC and WORK, both optional now, stand apart with options between
    them (``mark SPEC --input 1,0 … WORK``): plain argparse gives an optional
    positional its empty match at the first chunk and then refuses WORK, so
    this parser reads its arguments as ``parse_intermixed_args`` does."""
    plain = p.parse_known_args
    busy = []

    def parse_known_args(args=None, namespace=None):
        if busy:                                 # parse_known_intermixed_args calls back in
            return plain(args, namespace)
        busy.append(1)
        try:
            return p.parse_known_intermixed_args(args, namespace)
        finally:
            busy.pop()
    p.parse_known_args = parse_known_args


def _fraction(text: str) -> float:
    import argparse
    from ._common import number
    x = number(text)
    if not 0 <= x <= 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be between 0 and 1")
    return x


def _read(path: str) -> str:
    return files.read_text(path, DataError, "a student's work: 'symbol = value' lines")


def run(args, stdout=None) -> int:
    # a student's lines (and names) are echoed: never a control character
    out = safe.PrintableStream(stdout if stdout is not None else sys.stdout)
    if args.class_dir is not None or args.key is not None:
        from . import _followthrough
        return _followthrough.run(args, out)
    if args.spec is None or args.work is None:
        raise DataError("give SPEC and WORK (or --key KEY WORK, or --class WORKDIR)")
    net = load_net(args)
    xs, ys = load_samples(args, net)
    if len(xs) != 1:
        raise DataError(f"mark checks one sample's hand calculation; got {len(xs)} samples "
                        "(give one --input/--target pair)")
    lines = _mark.read_work(_read(args.work), args.work)
    return report(args, out, net, xs, ys, lines)


def default_decimals(spec) -> int:
    """The decimals asked when neither --decimals nor --round says: the text's
    printed precision when ``spec`` is a walkthrough's network (its
    printed.toml), else the hand-mode policy's 4."""
    from ..teach.walkthroughs import text_decimals
    given = text_decimals(spec) if spec is not None else None
    return given if given is not None else _mark.DEFAULT_DECIMALS


def report(args, out, net, xs, ys, lines, marked=None) -> int:
    """The line-by-line report of a student's work (``marked``: the lines
    already marked, as followthrough.mark does, else they are marked here)."""
    w = out.write
    asked = (getattr(args, "decimals", None) if getattr(args, "decimals", None) is not None else
             args.round_digits if args.round_digits is not None else default_decimals(args.spec))
    decimals = args.round_digits if args.round_digits is not None else max(asked, _mark.file_decimals(lines))
    if marked is not None:
        marks, hand, N, before = marked.marks, marked.hand, marked.N, net
    else:
        hand, before, _ = record_step(net, xs, ys, args.lr, args.lr_bias, args.reduction, decimals)
        exact, _, _ = record_step(net, xs, ys, args.lr, args.lr_bias, args.reduction, None)
        N = _notation.for_net(args.notation, before)

        def rerun(override):
            return _mark.hand_step(before, xs, ys, args.lr, args.lr_bias, args.reduction, decimals, override)
        marks = _mark.mark_work(lines, hand, exact, N, rerun, asked)

    w(f"mark: {args.work} against one step of {net.name or args.spec} "
      f"(hand calculation, {decimals} decimals, {asked} asked, {N.eta()} = {_notation.fmt(args.lr, None)}, "
      f"{args.notation} notation)\n")
    width = min(40, max(len(m.line.symbol) for m in marks))
    for m in marks:
        head = f"  line {m.line.lineno:>3}  {m.line.symbol:<{width}} = {m.line.text:<10}"
        if m.verdict == "right":
            w(f"{head} right" + (f" ({m.note})" if m.note else "") + "\n")
        elif m.verdict == "wrong":
            should = _shown(m.right, max(m.line.decimals, asked))
            w(f"{head} WRONG: {m.term.symbol} = {should}" + (f" ({m.note})" if m.note else "") + "\n")
        elif m.verdict == "short":
            w(f"{head} too few decimals to mark ({asked} asked; {m.line.text} agrees only at "
              f"{m.line.decimals})\n")
        elif m.verdict == "overflow":
            w(f"{head} cannot be marked: {m.term.symbol} overflowed (not a finite number)\n")
        elif m.verdict == "carried":
            should = _shown(m.right, max(m.line.decimals, asked))
            w(f"{head} carried: {m.note} (the right number is {should})\n")
        else:
            w(f"{head} unknown symbol (not marked)\n")
    wrong = [m for m in marks if m.verdict == "wrong"]
    short = [m for m in marks if m.verdict == "short"]
    overflow = [m for m in marks if m.verdict == "overflow"]
    unknown = [m for m in marks if m.verdict == "unknown"]
    if wrong:
        m = wrong[0]
        w(f"\nfirst wrong line: line {m.line.lineno}, {m.line.symbol} = {m.line.text}\n")
        w("  worked step:\n")
        for line in _mark.worked(hand, m.term.index, N, decimals):
            w(f"    {line}\n")
        if m.term.term == "step":
            w(f"    (the step {m.term.symbol} is the product subtracted in the line above)\n")
        w(f"  likely mistake: {m.note}\n" if m.note else
          "  likely mistake: none of the known kinds matches; redo the arithmetic of this line\n")
    if unknown:
        w(f"\nunknown symbols: {', '.join(m.line.symbol for m in unknown)} — write them as "
          f"`neuronet trace --notation {args.notation}` prints them (e.g. {_example(N, before)})\n")
    right = sum(m.verdict == "right" for m in marks)
    carried = sum(m.verdict == "carried" for m in marks)
    w(f"\n{right} right, {len(wrong)} wrong, " + (f"{carried} carried on from a slip, " if carried else "") +
      (f"{len(short)} with too few decimals, " if short else "") +
      (f"{len(overflow)} overflowed, " if overflow else "") +
      f"{len(unknown)} unknown (of {len(marks)} lines)\n")
    return 1 if wrong or short or overflow else 0


def round_to(x: float, decimals: int) -> float:
    from ..present.handcalc import round_half_up
    return round_half_up(x, decimals)


def _example(N, net) -> str:
    last = len(net.sizes) - 1
    return f"{N.z(last, 0)}, {N.delta(last, 0)}, {N.w(last, 0, 0)}'"


def _shown(x: float, decimals: int) -> str:
    """The right number at ``decimals`` decimals, with a typographic minus."""
    return format(round_to(x, decimals), f".{decimals}f").replace("-", "−")
