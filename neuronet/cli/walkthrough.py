"""neuronet walkthrough: list the walkthroughs, or run one headless.

    neuronet walkthrough                      # one line each
    neuronet walkthrough switch-2-4-3-2       # its trace in 002's notation
    neuronet walkthrough errata               # the errata sheet
    neuronet walkthrough NAME --format json   # key numbers, checks, trace events
    neuronet walkthrough NAME --step          # open the step-through on it
"""
from __future__ import annotations

import sys

from ..errors import printable
from ..present import walkthrough as view
from ..present.render import WHAT
from ..teach import walkthroughs as wt
from ._common import decimals, positive_count, progress_bar

NAME = "walkthrough"
ORDER = 5
HELP = "list the walkthroughs, or run one (each source text's example, narrated and checked)"


def add_arguments(p) -> None:
    p.add_argument("name", nargs="?", metavar="NAME", help="walkthrough to run (omit to list them)")
    p.add_argument("--format", choices=view.FORMATS, default="text",
                   help=", ".join(f"{f} ({'default; ' if f == 'text' else ''}{WHAT[f]})" for f in view.FORMATS[:-1])
                        + ", json (the report: numbers, checks and events)")
    p.add_argument("--step", action="store_true", help="open the step-through (neuronet step) on it")
    p.add_argument("--html", metavar="FILE",
                   help="with --step: write the step-through as an offline HTML page instead")
    p.add_argument("--round", dest="rounding", type=decimals, metavar="N",
                   help="hand mode: carry N decimals (walkthroughs that reproduce a hand calculation)")
    p.add_argument("--quick", action="store_true", help="smaller data / fewer epochs (for tests and slow machines)")
    p.add_argument("--epochs", type=positive_count, metavar="N", help="override the epoch count")
    p.add_argument("--data", metavar="IDX", help="digits: MNIST image file (train-images-idx3-ubyte[.gz])")
    p.add_argument("--labels", metavar="IDX", help="digits: MNIST label file (train-labels-idx1-ubyte[.gz])")


def run(args) -> int:
    out = sys.stdout.write
    if not args.name:
        walks = wt.registry()
        width = max((len(w.name) for w in walks), default=0)
        for w in walks:
            out(f"{printable(w.name):<{width}}  {printable(w.title)}\n")
        if not walks:
            sys.stderr.write(f"neuronet walkthrough: no walkthroughs found in {wt.root()}\n")
            return 1
        return 0
    w = wt.find(args.name)
    if args.step or args.html is not None:
        return _step(w, args)
    if args.format == "jsonl" and w.runner in _WHY and w.runner != "polynomial":
        # known to trace nothing and to have no single step: say so before a long run
        return _jsonl_of_step(w, args, sys.stdout)
    with progress_bar(w.name) as progress:
        options = wt.Options(quick=args.quick, data=args.data, labels=args.labels, epochs=args.epochs,
                             rounding=args.rounding, progress=progress)
        report = wt.run(w, options)
    if args.format == "jsonl" and not any(s.trace is not None for s in report.sections):
        code = _jsonl_of_step(w, args, sys.stdout)
        if code:
            return code
    else:
        view.render(args.format, w, report, sys.stdout)
    return 0 if report.ok else 1


class _NoStep(Exception):
    """This walkthrough has no single step of one network on one sample."""


#: why a walkthrough's runner has no single step, for the one-line message
_WHY = {
    "errata": "it is a sheet of every slip in the five texts, each checked by its own small "
              "computation, not one network's step",
    "digits": "its lesson is training 64-200-100-10 on a thousand images, and one step of it "
              "has some 70,000 terms",
    "polynomial": "each of its steps sums the gradient over 2000 points of sin x",
}
_TRY = "try `neuronet walkthrough switch-2-4-3-2 --step`"


def _single_step(w):
    """(spec path, x, y, options) of the walkthrough's first worked sample,
    or _NoStep with one line saying why there is none."""
    from ..teach.walkthroughs._common import network, samples
    spec_path = w.path(w.params.get("spec", "network.toml"))
    samples_path = w.path(w.params.get("samples", "samples.json"))
    if w.runner in _WHY or not spec_path.is_file() or not samples_path.is_file():
        why = _WHY.get(w.runner) or ("it has no network of its own" if not spec_path.is_file()
                                     else "its samples are made by its runner, not read from a file")
        raise _NoStep(why)
    net = network(w, w.params.get("spec", "network.toml"))
    xs, ys = samples(w, net)
    s = int(w.params.get("sample", 0))
    return spec_path, xs[s], ys[s]


def _step_argv(w, args, spec_path, x, y) -> list[str]:
    argv = [str(spec_path), f"--input={','.join(repr(v) for v in x)}",
            f"--target={','.join(repr(v) for v in y)}", "--notation", w.notation]
    for key, option in (("eta", "--lr"), ("eta_b", "--lr-bias")):
        if key in w.params:
            argv += [option, repr(float(w.params[key]))]
    digits = args.rounding if args.rounding is not None else w.params.get("round")
    if digits is not None:
        argv += ["--round", str(digits)]
    if getattr(args, "html", None) is not None:
        argv += ["--html", args.html]
    return argv


def _step(w, args) -> int:
    """Open the step-through (neuronet step) on the walkthrough's spec and
    its first worked sample, in its notation (or write it as HTML with --html)."""
    from . import step as step_command
    import argparse
    try:
        spec_path, x, y = _single_step(w)
    except _NoStep as e:
        sys.stderr.write(f"neuronet walkthrough: {w.name} has no single step to walk: {e}; {_TRY}\n")
        return 2
    parser = argparse.ArgumentParser(prog="neuronet step")
    step_command.add_arguments(parser)
    return int(step_command.run(parser.parse_args(_step_argv(w, args, spec_path, x, y))) or 0)


def _jsonl_of_step(w, args, stream) -> int:
    """--format jsonl for a walkthrough whose report traces nothing: the
    events of its single step (the one --step walks); exit 2 with one line
    when it has none."""
    try:
        spec_path, x, y = _single_step(w)
    except _NoStep as e:
        sys.stderr.write(f"neuronet walkthrough: {w.name} has no event stream: {e}; "
                         "its numbers and checks: --format json\n")
        return 2
    from ..io import spec
    from ..present import render
    from ..teach.replay import record_step
    digits = args.rounding if args.rounding is not None else w.params.get("round")
    eta = float(w.params.get("eta", 0.5))
    eta_b = float(w.params["eta_b"]) if "eta_b" in w.params else None
    events, _, _ = record_step(spec.load(spec_path), [x], [y], eta, eta_b, "mean",
                               int(digits) if digits is not None else None)
    sink = render.make("jsonl", stream)
    for e in events:
        sink(e)
    sink.close()
    return 0
