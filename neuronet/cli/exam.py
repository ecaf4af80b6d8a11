"""neuronet exam: one exercise variant per student, handouts and withheld keys."""
from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from ..errors import DataError, OutputError, printable
from ..io import files
from ..teach import exam as _exam

NAME = "exam"
ORDER = 44
HELP = "an exercise pack: one variant of a lesson per student, a handout each, the keys kept apart"
DESCRIPTION = (HELP + ".  Each student's weights and inputs are drawn near the lesson's own, seeded by "
               "the student ID and --secret (same ID, same variant), with nice numbers, no saturated "
               "neuron and no number at a rounding midpoint.  Writes DIR/handouts/ID.md (and .html/.pdf "
               "with --format), DIR/keys/ID.json (for 'neuronet mark --key'; never linked from a "
               "handout) and an empty DIR/work/ for the students' answers; --lms adds DIR/lms/.")

#: a student ID becomes a file name: letters, digits and _ . @ + - (not first . or -)
_ID = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.@+-]{0,63}$")


def add_arguments(p) -> None:
    from ..present.notation import NOTATIONS
    from ..teach import lms as _lms
    from ._common import add_max_params, add_samples, decimals, nonnegative_number, notations_help
    p.add_argument("lesson", metavar="SPEC_OR_WALKTHROUGH",
                   help="a spec file (with --input/--target) or a walkthrough's name (its spec, sample, η "
                        "and rounding)")
    add_max_params(p)
    add_samples(p)
    p.add_argument("--students", required=True, metavar="ROSTER",
                   help="CSV of the class: a column 'id' (or 'student'), else the first column")
    p.add_argument("--out", required=True, metavar="DIR", help="folder of the pack (created if missing)")
    p.add_argument("--secret", default="", metavar="S",
                   help="course secret mixed into every seed, so IDs do not predict variants "
                        "(keep it: the same secret reproduces the same pack)")
    p.add_argument("--ask", action="append", choices=_exam.PHASES, metavar="PHASE",
                   help=f"what to compute (repeatable): {', '.join(_exam.PHASES)} (default all)")
    p.add_argument("--lr", type=nonnegative_number, metavar="ETA", help="η (default: the lesson's, else 0.5)")
    p.add_argument("--lr-bias", type=nonnegative_number, metavar="ETA_B",
                   help="η_b (default: the lesson's, else η; 0 leaves the biases untrained)")
    p.add_argument("--round", type=decimals, dest="round_digits", metavar="N",
                   help="hand-mode decimals (default: the lesson's, else 4)")
    p.add_argument("--notation", choices=NOTATIONS,
                   help=f"symbols (default: the lesson's, else delta): {notations_help()}")
    p.add_argument("--format", action="append", choices=("md", "html", "pdf"), metavar="FMT",
                   help="handout formats (repeatable): md (always written), html (pandoc --mathml), "
                        "pdf (pandoc with the weasyprint PDF engine)")
    p.add_argument("--lms", action="append", choices=tuple(_lms.BANKS), metavar="FORMAT",
                   help="also write the variants as an LMS question bank: "
                        + ", ".join(f"{name} ({what}, {file})" for name, (file, _, what) in _lms.BANKS.items())
                        + "; repeat for more")
    p.add_argument("--force", action="store_true", help="replace keys that differ from the ones in DIR")


def lesson(args) -> _exam.Lesson:
    """The lesson: a walkthrough by name, or a spec file with --input/--target."""
    from ..io import data, spec
    from ._common import load_samples
    target = args.lesson
    if os.path.isfile(target) or not re.fullmatch(r"[A-Za-z0-9_-]+", target):
        args.spec = target
        net = spec.load(target, max_params=args.max_params)
        xs, ys = load_samples(args, net)
        if len(xs) != 1:
            raise DataError(f"an exam is one sample's step; got {len(xs)} (give one --input/--target pair)")
        eta = args.lr if args.lr is not None else 0.5
        return _exam.Lesson(net, xs[0], ys[0], eta, args.lr_bias,
                            args.round_digits if args.round_digits is not None else 4,
                            args.notation or "delta", printable(net.name or Path(target).stem))
    from ..teach import walkthroughs
    w = walkthroughs.find(target)
    p = w.params
    net = spec.load(w.path(p.get("spec", "network.toml")), max_params=args.max_params)
    if args.input or args.data:
        xs, ys = load_samples(args, net)
    else:
        path = str(w.path(p.get("samples", "samples.json")))
        xs, ys = data.read(path, p.get("targets"))
        data.check(xs, ys, net.sizes[0], net.sizes[-1], source=path)
        s = int(p.get("sample", 0))
        xs, ys = xs[s:s + 1], ys[s:s + 1]
    if len(xs) != 1:
        raise DataError(f"an exam is one sample's step; got {len(xs)} (give one --input/--target pair)")
    eta = args.lr if args.lr is not None else float(p.get("eta", 0.5))
    eta_b = args.lr_bias if args.lr_bias is not None else (float(p["eta_b"]) if "eta_b" in p else None)
    digits = args.round_digits if args.round_digits is not None else int(p.get("round", 4))
    return _exam.Lesson(net, xs[0], ys[0], eta, eta_b, digits, args.notation or w.notation, w.name,
                        w.source)


def roster(path: str) -> list[tuple[str, str]]:
    """(id, name) of each student in the roster CSV, in its order."""
    text = files.read_text(path, DataError, "a class roster (CSV with an 'id' column)")
    rows = [r for r in csv.reader(io.StringIO(text)) if any(c.strip() for c in r)]
    if not rows:
        raise DataError("has no students", source=path)
    head = [c.strip().lower() for c in rows[0]]
    col = next((head.index(h) for h in ("id", "student", "student_id", "studentid") if h in head), None)
    name_col = head.index("name") if "name" in head else None
    if col is not None:
        body, first = rows[1:], 2
    else:
        col, body, first = 0, rows, 1
    out, seen = [], {}
    for n, r in enumerate(body, first):
        sid = r[col].strip() if col < len(r) else ""
        if not _ID.match(sid):
            raise DataError(f"line {n}: student ID {sid!r} is not usable as a file name (letters, digits "
                            "and _ . @ + -; at most 64)", source=path)
        if sid in seen:
            raise DataError(f"line {n}: student ID {sid!r} again (first on line {seen[sid]})", source=path)
        seen[sid] = n
        name = r[name_col].strip() if name_col is not None and name_col < len(r) else ""
        out.append((sid, name))
    if not out:
        raise DataError("has no students", source=path)
    return out


def _pandoc(md: str, fmt: str, title: str) -> bytes:
    """The handout through pandoc: standalone HTML with MathML, or PDF with weasyprint."""
    if shutil.which("pandoc") is None:
        raise OutputError(f"--format {fmt} needs pandoc (Debian: apt-get install pandoc)")
    cmd = ["pandoc", "-f", "markdown", "--standalone", "--mathml", "--metadata", f"title={title}"]
    if fmt == "pdf":
        if shutil.which("weasyprint") is None:
            raise OutputError("--format pdf needs the weasyprint PDF engine (pip install 'neuronet[pdf]')")
        import tempfile
        with tempfile.TemporaryDirectory(prefix="neuronet-exam-") as tmp:
            pdf = Path(tmp) / "handout.pdf"       # pandoc writes a PDF only to a named .pdf file
            r = subprocess.run(cmd + ["-t", "html5", "--pdf-engine=weasyprint", "-o", str(pdf)],
                               input=md.encode("utf-8"), capture_output=True, timeout=300)
            data = pdf.read_bytes() if r.returncode == 0 and pdf.is_file() else b""
    else:
        r = subprocess.run(cmd + ["-t", "html5"], input=md.encode("utf-8"), capture_output=True, timeout=120)
        data = r.stdout
    if r.returncode != 0 or not data:
        why = r.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OutputError(f"pandoc could not make the {fmt} handout: {why[-1] if why else r.returncode}")
    return data


def _write_folder(path: Path) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"cannot be made ({e.strerror})", source=str(path)) from None


def run(args) -> int:
    les = lesson(args)
    _exam.check_lesson(les)
    students = roster(args.students)
    ask = args.ask
    variants = [_exam.variant(les, sid, args.secret, ask) for sid, _ in students]
    names = dict(students)
    out = Path(args.out)
    keys = {v.student: json.dumps(_exam.key(les, v, ask), indent=1, ensure_ascii=False) + "\n"
            for v in variants}
    for sid, text in keys.items():          # never replace a key that was handed out with another one
        old = out / "keys" / f"{sid}.json"
        if old.is_file() and not args.force:
            if files.read_text(old, OutputError, "a key") != text:
                raise OutputError("exists and differs from this run's key (another --secret, lesson or "
                                  "roster?); give a new --out, or --force to replace it", source=str(old))
    formats = set(args.format or ()) | {"md"}
    pages = {}
    for v in variants:
        work = f"{v.student}.txt"
        md = _exam.handout(les, v, work)
        if names.get(v.student):
            md = md.replace(f"exercise for {v.student}", f"exercise for {v.student} ({names[v.student]})", 1)
        pages[v.student] = {"md": md.encode("utf-8")}
        for fmt in sorted(formats - {"md"}):
            pages[v.student][fmt] = _pandoc(md, fmt, f"{les.name}: {v.student}")
    lms = {}
    if args.lms:
        from ..teach.lms import BANKS
        for name, (file, write, _) in BANKS.items():
            if name in args.lms:
                lms[file] = write(les, variants)
    for sub in ("handouts", "keys", "work") + (("lms",) if lms else ()):
        _write_folder(out / sub)
    for sid, page in pages.items():
        for fmt, data in page.items():
            files.atomic_write(out / "handouts" / f"{sid}.{fmt}", data)
        files.atomic_write(out / "keys" / f"{sid}.json", keys[sid])
    for name, text in lms.items():
        files.atomic_write(out / "lms" / name, text)
    distinct = len({v.fingerprint() for v in variants})
    w = sys.stdout.write
    w(f"exam: {len(variants)} variants of {les.name} ({distinct} distinct; "
      f"{len(variants[0].questions)} terms to compute each, {les.decimals} decimals) in {out}\n")
    w(f"  handouts: {out / 'handouts'} ({', '.join(sorted(formats))})\n")
    w(f"  keys (keep them apart): {out / 'keys'}\n")
    w(f"  students' work goes in: {out / 'work'} (ID.txt); mark with "
      f"neuronet mark --class {out / 'work'}\n")
    for name in lms:
        w(f"  LMS: {out / 'lms' / name}\n")
    if distinct < len(variants):
        w(f"  note: {len(variants) - distinct} students share a variant with another (a small lesson has "
          "few nice variants)\n")
    return 0
