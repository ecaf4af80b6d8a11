"""Walkthroughs: each source text's example as a runnable, narrated lesson.

This package is the whole idea: the registry here (find, load, run, the
Report), and one runner module per kind of lesson beside it (switch, errata,
polynomial, …), each exposing ``run(walkthrough, options, report)``, filling
the Report it is given and never printing.  The lessons' data lives in the
top-level ``walkthroughs/`` folder; neuronet.present.walkthrough lays a Report
out (text, rich, Markdown, JSON) and ``neuronet walkthrough`` prints it.

A walkthrough is a folder under ``walkthroughs/`` holding

* ``walkthrough.toml`` — its title (the one line ``neuronet walkthrough``
  lists), the source text and section, the notation its trace uses, the
  runner (a module of this package) and that runner's parameters;
* a commented spec (``network.toml``) and its samples;
* ``README.md`` — the narrative: what to look at, which terms to watch.

:func:`registry` finds them, :func:`load` reads one, :func:`run` runs it and
returns a :class:`Report`.  Nothing here prints: a report is data (sections
of text lines, traces as event lists, the key numbers, and checks — each of
ours against a reference of one :data:`KINDS`: a number the text prints, the
text's formula evaluated, finite differences, a second computation, or a
target); ``neuronet walkthrough`` renders it, and every view quotes the one
count :attr:`Report.summary` computes.  A text's printed numbers live as data
beside its walkthrough (e.g. ``printed.toml``), never in code.
"""
from __future__ import annotations

import importlib
import os
import pkgutil
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import SpecError
from ...engine.events import Event

META = "walkthrough.toml"


def root() -> Path:
    """The walkthroughs folder: $NEURONET_WALKTHROUGHS, else the copy
    installed with the package (``neuronet/_walkthroughs``, from a wheel),
    else the one beside the package (a checkout's top level)."""
    env = os.environ.get("NEURONET_WALKTHROUGHS")
    if env:
        return Path(env)
    package = Path(__file__).resolve().parents[2]
    installed = package / "_walkthroughs"
    if installed.is_dir():
        return installed
    return package.parent / "walkthroughs"


@dataclass(frozen=True)
class Walkthrough:
    name: str
    folder: Path
    title: str
    source: str              # "002_25d3dd3a4f2fa46e.txt §4, §7"
    notation: str            # delta / net-out / dl-dz / u-o / z-h
    runner: str              # module name in this package
    order: int = 50
    params: dict = field(default_factory=dict)

    def path(self, name: str) -> Path:
        return self.folder / name

    @property
    def readme(self) -> Path:
        return self.folder / "README.md"


def runners() -> list[str]:
    """The runner modules of this package (what ``runner`` may name)."""
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))


def load(folder: str | os.PathLike) -> Walkthrough:
    """Read and check ``folder/walkthrough.toml``: every problem (a bad
    ``order``, an unknown ``runner``, …) is one :class:`SpecError` naming the
    file and the key — a folder from ``$NEURONET_WALKTHROUGHS`` is user input."""
    from ...io.files import read_text
    folder = Path(folder)
    meta_path = folder / META
    src = str(meta_path)
    text = read_text(meta_path, SpecError, "a walkthrough.toml")
    from ...io.files import parse_toml
    meta = parse_toml(text, SpecError, src)
    for key in ("title", "source", "runner"):
        if not isinstance(meta.get(key), str):
            raise SpecError(f"needs a string {key!r}", source=src)
    if meta["runner"] not in runners():
        raise SpecError(f"unknown runner {meta['runner']!r} (one of: {', '.join(runners())})",
                        source=src, where="runner")
    order = meta.get("order", 50)
    if isinstance(order, bool) or not isinstance(order, int):
        raise SpecError(f"must be a whole number, got {order!r}", source=src, where="order")
    notation = meta.get("notation", "delta")
    from ...present.notation import NOTATIONS
    if not isinstance(notation, str) or notation not in NOTATIONS:
        raise SpecError(f"unknown notation {notation!r} (one of: {', '.join(NOTATIONS)})",
                        source=src, where="notation")
    params = meta.get("params", {})
    if not isinstance(params, dict):
        raise SpecError("must be a table", source=src, where="params")
    return Walkthrough(name=folder.name, folder=folder, title=meta["title"], source=meta["source"],
                       notation=notation, runner=meta["runner"], order=order, params=dict(params))


def registry(base: str | os.PathLike | None = None) -> list[Walkthrough]:
    """Every walkthrough folder (one holding walkthrough.toml), in order."""
    base = Path(base) if base is not None else root()
    if not base.is_dir():
        return []
    found = [load(p) for p in sorted(base.iterdir()) if (p / META).is_file()]
    return sorted(found, key=lambda w: (w.order, w.name))


def find(name: str, base: str | os.PathLike | None = None) -> Walkthrough:
    walks = registry(base)
    for w in walks:
        if w.name == name:
            return w
    names = ", ".join(w.name for w in walks) or "none found in " + str(base or root())
    raise SpecError(f"no walkthrough named {name!r} (one of: {names})")


# ---------------------------------------------------------------------------
# reports
# ---------------------------------------------------------------------------

@dataclass
class TraceView:
    """Events to render, and the :class:`~neuronet.present.view.View` they
    are drawn with (the walkthrough's notation bound to its network, its
    number style).  Never re-derived: the events carry every number."""
    events: list[Event]
    view: object                              # neuronet.present.view.View


#: What a check compares neuronet's number ("ours") with — its ``kind``.
KINDS = {
    "printed": "a number the source text prints",
    "formula": "the source text's formula or claim, evaluated on the walkthrough's network",
    "fd": "central finite differences of the loss (the text prints no number there)",
    "engine": "a second computation in neuronet (an engine self-check)",
    "target": "a target the walkthrough sets (ours must reach it)",
}


@dataclass
class Check:
    """One of our numbers against a reference.

    ``ours`` is always neuronet's number (the engine's, or its hand
    calculation); ``reference`` is what it is compared with, and ``kind``
    (one of :data:`KINDS`) says what that is.  Only ``printed`` references
    are numbers the text prints; a ``formula`` reference is the text's
    formula or claim evaluated here.  ``expect_agree=False`` marks a slip in
    the text: the check is ok when ours and the text's differ."""
    what: str
    ours: float
    reference: float | None
    tol: float
    where: str                 # "002 §7"
    expect_agree: bool = True  # False for a slip the errata sheet reports
    kind: str = "engine"
    difference: bool = False   # ours is a largest |ours − reference| over many numbers (reference 0)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown check kind {self.kind!r} (one of {', '.join(KINDS)})")

    @property
    def agrees(self) -> bool:
        if self.reference is None:
            return False
        if self.kind == "target":
            return self.ours >= self.reference
        return abs(self.ours - self.reference) <= self.tol

    @property
    def ok(self) -> bool:
        """The check turned out as the walkthrough says it should."""
        return self.agrees == self.expect_agree

    def to_dict(self) -> dict:
        return {"what": self.what, "kind": self.kind, "ours": self.ours, "reference": self.reference,
                "difference": self.difference, "tol": self.tol, "where": self.where, "agrees": self.agrees,
                "expect_agree": self.expect_agree, "ok": self.ok}


def _n(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def summarize(checks: list[Check]) -> dict:
    """The one count of a report's checks, by kind: how many, how many agree,
    how many are slips in the text (differ as expected), how many are not ok."""
    out = {}
    for kind in KINDS:
        cs = [c for c in checks if c.kind == kind]
        if cs:
            out[kind] = {"checks": len(cs), "agree": sum(c.agrees for c in cs),
                         "slips": sum((not c.agrees) and c.ok for c in cs),
                         "not_ok": sum(not c.ok for c in cs)}
    return out


def summary_line(checks: list[Check]) -> str:
    """:func:`summarize` in words — the sentence every view quotes."""
    parts = []
    for kind, s in summarize(checks).items():
        n, agree, slips = s["checks"], s["agree"], s["slips"]
        differ = f"{slips} differ{'s' if slips == 1 else ''}"
        if kind in ("printed", "formula"):
            what = (f"{_n(n, 'number')} the text prints" if kind == "printed" else
                    f"{_n(n, 'formula or claim', 'formulas or claims')} of the text, evaluated")
            said = []
            if agree or not slips:
                said.append(f"{agree} agree{'s' if agree == 1 else ''} with "
                            + ("the text" if kind == "printed" else "ours"))
            if slips:
                said.append(f"{differ} (slips in the text)")
            part = f"{what}: {', '.join(said)}"
        elif kind == "fd":
            part = f"{_n(n, 'number')} against finite differences: {agree} agree{'s' if agree == 1 else ''}"
        elif kind == "engine":
            part = f"{_n(n, 'engine self-check')}: {agree} agree{'s' if agree == 1 else ''}"
        else:
            part = f"{_n(n, 'target')}: {agree} met"
        parts.append(part)
    bad = sum(not c.ok for c in checks)
    line = "; ".join(parts) if parts else "no checks"
    return line + (f" — {bad} NOT as expected (marked FAIL)" if bad else "")


@dataclass
class Section:
    heading: str
    lines: list[str] = field(default_factory=list)
    trace: TraceView | None = None


@dataclass
class Report:
    name: str
    title: str
    source: str
    sections: list[Section] = field(default_factory=list)
    numbers: dict = field(default_factory=dict)
    checks: list[Check] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)   # e.g. "matrix backend absent: per-neuron engine"

    def section(self, heading: str) -> Section:
        s = Section(heading)
        self.sections.append(s)
        return s

    def check(self, what: str, ours: float, reference: float | None, tol: float, where: str,
              expect_agree: bool = True, *, kind: str) -> Check:
        """Record a check: ``ours`` (neuronet's number) against ``reference``
        (what ``kind`` says it is)."""
        c = Check(what, float(ours), None if reference is None else float(reference), tol, where,
                  expect_agree, kind)
        self.checks.append(c)
        return c

    def difference(self, what: str, largest: float, tol: float, where: str, *, kind: str) -> Check:
        """Many of our numbers against as many references at once: ``largest``
        is the largest |ours − reference|; it agrees when it is at most ``tol``."""
        c = self.check(what, largest, 0.0, tol, where, kind=kind)
        c.difference = True
        return c

    def target(self, what: str, ours: float, at_least: float, where: str) -> Check:
        """A target: ours must be at least ``at_least``."""
        return self.check(what, ours, at_least, 0.0, where, kind="target")

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def summary(self) -> str:
        """The check count in words, computed here once; every view quotes it."""
        return summary_line(self.checks)

    def to_dict(self) -> dict:
        return {"name": self.name, "title": self.title, "source": self.source,
                "numbers": self.numbers, "checks": [c.to_dict() for c in self.checks],
                "summary": self.summary, "counts": summarize(self.checks),
                "notes": list(self.notes), "ok": self.ok,
                "sections": [{"heading": s.heading, "lines": list(s.lines),
                              "trace": None if s.trace is None else
                              [e.to_dict() for e in s.trace.events]} for s in self.sections]}


@dataclass
class Options:
    """What the command line passes to a runner."""
    quick: bool = False          # tests: smaller data / fewer epochs where a runner allows
    data: str | None = None      # digits: an MNIST IDX image file
    labels: str | None = None    # digits: its IDX label file
    epochs: int | None = None    # override the walkthrough's epoch count
    rounding: int | None = None  # --round N (hand mode) where the runner supports it
    progress: object = None      # long runners call progress(done, total, what); None: silent


def run(w: Walkthrough, options: Options | None = None) -> Report:
    """Run walkthrough ``w`` headless and return its report."""
    options = options or Options()
    module = importlib.import_module(f"{__name__}.{w.runner}")
    report = Report(w.name, w.title, w.source)
    if options.rounding is not None and "round" not in w.params:
        report.notes.append(f"--round {options.rounding} ignored: {w.name} is not a hand calculation "
                            "(switch-2-4-3-2 is)")
    module.run(w, options, report)
    return report


def text_decimals(spec_path: str | os.PathLike) -> int | None:
    """The decimals the text prints, when ``spec_path`` is a walkthrough's own
    network: the ``decimals`` of the printed-numbers file its walkthrough.toml
    names (``params.printed``; 002's 4, Mazur's 9).  None for any other spec,
    or a walkthrough whose text prints no numbers of its own."""
    spec_path = Path(spec_path)
    folder = spec_path.parent
    if not (folder / META).is_file():
        return None
    try:
        w = load(folder)
    except SpecError:
        return None
    network_file = w.params.get("spec", w.params.get("network", "network.toml"))
    printed = w.params.get("printed")
    if not isinstance(printed, str) or not isinstance(network_file, str):
        return None
    if spec_path.resolve() != w.path(network_file).resolve() or not w.path(printed).is_file():
        return None
    from ...present.handcalc import load_printed
    return load_printed(w.path(printed)).decimals
