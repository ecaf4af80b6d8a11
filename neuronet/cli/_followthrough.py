"""neuronet mark --key / --class: a student's work against their exam key, or
a whole class's into a gradebook and a misconception report."""
from __future__ import annotations

import csv
import io
from pathlib import Path

from ..errors import DataError, NeuronetError
from ..io import files
from ..teach import followthrough, misconceptions
from ..teach import mark as _mark


def csv_safe(cell) -> str:
    """A cell a spreadsheet will not run: text starting with = + - @ (or a
    tab or carriage return, which some spreadsheets strip first) gets a
    leading apostrophe (OWASP's rule for CSV injection).  A plain number is
    left as it is.  The one rule: :func:`neuronet.io.csv_safe.cell`."""
    from ..io.csv_safe import cell as _cell
    return str(_cell(cell))


def _from_key(args, key: followthrough.Key, path: str) -> None:
    """Make args say what the key says (the report's header reads them)."""
    args.spec, args.lr, args.lr_bias, args.reduction = path, key.eta, key.eta_b, key.reduction
    args.notation, args.round_digits = key.notation, key.decimals


def _score_line(r: followthrough.Result, credit: float) -> str:
    parts = [f"{r.count('right')} right"]
    if r.count("carried"):
        parts.append(f"{r.count('carried')} carried" + (f" (credit {credit:g} each)" if credit != 1 else ""))
    parts += [f"{r.count('wrong')} wrong", f"{r.count('missing')} not answered"]
    line = f"score: {r.score:g} of {r.out_of} ({', '.join(parts)})"
    if r.first is not None:
        m = r.first
        line += (f"\nfirst mistake: line {m.line.lineno}, {m.line.symbol} = {m.line.text} — "
                 f"{misconceptions.label(r.first_kind)}")
    return line + "\n"


def run(args, out) -> int:
    if args.class_dir is not None:
        return run_class(args, out)
    if args.work is None and args.spec is not None:      # `mark --key K WORK`: WORK took the SPEC place
        args.work, args.spec = args.spec, None
    if args.work is None:
        raise DataError("--key KEY needs the student's WORK file")
    if args.spec is not None:
        raise DataError("give --key KEY WORK without a SPEC (the key holds the network)")
    key = followthrough.read_key(args.key)
    lines = _mark.read_work(files.read_text(args.work, DataError, "a student's work: 'symbol = value' lines"),
                            args.work)
    r = followthrough.mark(key, lines, args.carried_credit)
    _from_key(args, key, args.key)
    from .mark import report
    status = report(args, out, key.net, [key.x], [key.y], lines, marked=r)
    out.write(_score_line(r, args.carried_credit))
    return status


GRADEBOOK = ["student", "score", "out_of", "percent", "right", "carried", "wrong", "missing",
             "first_mistake", "mistake_kind", "status"]


def run_class(args, out) -> int:
    if args.key is not None or args.spec is not None or args.work is not None:
        raise DataError("--class WORKDIR marks a whole folder: give no SPEC, WORK or --key")
    work_dir = Path(args.class_dir)
    if not work_dir.is_dir():
        raise DataError("is not a folder of students' work (ID.txt files)", source=str(work_dir))
    keys_dir = Path(args.keys) if args.keys else work_dir.resolve().parent / "keys"
    if not keys_dir.is_dir():
        raise DataError("is not a folder of keys (give --keys)", source=str(keys_dir))
    gradebook = Path(args.gradebook) if args.gradebook else work_dir.resolve().parent / "gradebook.csv"
    files.check_target(gradebook)
    if args.report_html:
        files.check_target(args.report_html)
    works = {p.stem: p for p in sorted(work_dir.glob("*.txt"))}
    keys = {p.stem: p for p in sorted(keys_dir.glob("*.json"))}
    rows = []
    report = misconceptions.Report()
    for sid in sorted(set(works) | set(keys)):
        row = dict.fromkeys(GRADEBOOK, "")
        row["student"] = sid
        if sid not in keys:
            row["status"] = "no key for this work file"
        elif sid not in works:
            row["status"] = "no work handed in"
            try:
                row["out_of"] = len(followthrough.read_key(keys[sid]).questions)
                row["score"], row["percent"] = 0, 0
            except NeuronetError as e:
                row["status"] = f"bad key: {e.format()}"
        else:
            try:
                key = followthrough.read_key(keys[sid])
                text = files.read_text(works[sid], DataError, "a student's work: 'symbol = value' lines")
                r = followthrough.mark(key, _mark.read_work(text, str(works[sid])), args.carried_credit)
            except NeuronetError as e:                  # one bad file must not stop the class
                row["status"] = f"not marked: {e.format()}"
            else:
                row.update(score=f"{r.score:g}", out_of=r.out_of,
                           percent=f"{100 * r.score / r.out_of:.0f}" if r.out_of else "",
                           right=r.count("right"), carried=r.count("carried"), wrong=r.count("wrong"),
                           missing=r.count("missing"), status="marked")
                if r.first is not None:
                    row["first_mistake"] = f"line {r.first.line.lineno}: {r.first.line.symbol}"
                    row["mistake_kind"] = r.first_kind
                report.add(sid, {q["kind"] for q, v, _ in r.verdicts if v != "missing"}, r.mistakes())
        rows.append(row)
    buf = io.StringIO()
    wr = csv.writer(buf, lineterminator="\n")
    wr.writerow(GRADEBOOK)
    for row in rows:
        wr.writerow([csv_safe(row[c]) for c in GRADEBOOK])
    files.atomic_write(gradebook, buf.getvalue())
    if args.report_html:
        files.atomic_write(args.report_html, report.html(f"Misconceptions: {work_dir}"))
    marked = sum(r["status"] == "marked" for r in rows)
    out.write(f"mark --class: {marked} of {len(rows)} students marked; gradebook {gradebook}"
              + (f"; report {args.report_html}" if args.report_html else "") + "\n")
    for row in rows:
        if row["status"] != "marked":
            out.write(f"  {row['student']}: {row['status']}\n")
    out.write("\n" + "\n".join(report.lines()) + "\n")
    return 0
