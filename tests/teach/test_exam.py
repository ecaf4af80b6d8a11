"""neuronet exam: a class's exercise pack — one reproducible variant per
student, handouts without answers, keys kept apart — and follow-through
marking against those keys (mark --key, mark --class).

Golden values: the keys' answers are checked against an independent hand
calculation written here (plain loops over the key's weights, rounding
half-up to the key's decimals as 002 does), not against the engine."""
from __future__ import annotations

import csv
import json
import math
import re
import shutil
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from inproc import one_line, run

LESSON = "switch-2-4-3-2"


def roster(tmp_path, n=30, extra="") -> Path:
    p = tmp_path / "roster.csv"
    p.write_text("id,name\n" + "".join(f"s{k:03d},Student {k}\n" for k in range(n)) + extra, encoding="utf-8")
    return p


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    """One pack of 30 students (the costly part, shared)."""
    tmp = tmp_path_factory.mktemp("exam")
    r = run("exam", LESSON, "--students", roster(tmp), "--out", tmp / "pack", "--secret", "course-7")
    assert r.returncode == 0, r.stderr
    return tmp / "pack"


def keys_of(folder: Path) -> dict:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted((folder / "keys").glob("*.json"))}


def numbers(key) -> tuple:
    """A variant's own numbers: its weights and inputs."""
    return tuple(json.dumps(key["spec"]["layers"], sort_keys=True)) + tuple(key["input"])


# -- an independent hand calculation (002's rule: every named number rounded half-up) ---------

def r4(x, d):
    return float(Decimal(format(x, ".12g")).quantize(Decimal(1).scaleb(-d), rounding=ROUND_HALF_UP))


def weights_to_from(layer):
    if "weights_to_from" in layer:
        return layer["weights_to_from"]
    w = layer["weights"]
    return [[w[i][j] for i in range(len(w))] for j in range(len(w[0]))]


def hand(key, slip=None):
    """Sigmoid, ½·squared error, no biases: {symbol: value} of 002's terms in
    its net-out notation.  ``slip=(symbol, value)`` writes that value for that
    symbol and carries it on, as a student who slipped there would."""
    d, eta = key["round"], key["eta"]
    L = key["spec"]["layers"]
    letters = "abcdefgh"
    W = [None] + [weights_to_from(L[l]) for l in range(1, len(L))]
    out = {}

    def put(sym, v):
        if slip and slip[0] == sym:
            v = slip[1]
        out[sym] = v
        return v
    a = [list(key["input"])]
    for l in range(1, len(L)):
        row = []
        for j, wj in enumerate(W[l]):
            net = put(f"net_{letters[l]}{j + 1}", r4(sum(w * x for w, x in zip(wj, a[-1])), d))
            row.append(put(f"out_{letters[l]}{j + 1}", r4(1 / (1 + math.exp(-net)), d)))
        a.append(row)
    top = len(L) - 1
    y = key["target"]
    terms = [put(f"E_{letters[top]}{k + 1}", 0.5 * (a[top][k] - y[k]) ** 2) for k in range(len(y))]
    put("E_total", sum(terms))
    delta = {top: [put(f"∂E_total/∂net_{letters[top]}{k + 1}", r4(r4(a[top][k] - y[k], d) * a[top][k] * (1 - a[top][k]), d))
                   for k in range(len(y))]}
    for l in range(top - 1, 0, -1):
        delta[l] = []
        for j in range(len(a[l])):
            dsum = r4(sum(delta[l + 1][k] * W[l + 1][k][j] for k in range(len(delta[l + 1]))), d)
            fp = r4(a[l][j] * (1 - a[l][j]), d)
            delta[l].append(put(f"∂E_total/∂net_{letters[l]}{j + 1}", r4(fp * dsum, d)))
    for l in range(top, 0, -1):
        n_from = len(a[l - 1])
        for j in range(len(a[l])):
            for i in range(n_from):
                name = f"w_{letters[l]}{j * n_from + i + 1}"
                g = put(f"∂E_total/∂{name}", r4(delta[l][j] * a[l - 1][i], d))
                put(name + "'", r4(W[l][j][i] - r4(eta * g, d), d))
    return out


def work(values: dict, symbols) -> str:
    return "".join(f"{s} = {values[s]:.4f}\n" for s in symbols)


# -- the pack --------------------------------------------------------------------------------

def test_thirty_students_thirty_distinct_variants(pack):
    keys = keys_of(pack)
    assert sorted(keys) == [f"s{k:03d}" for k in range(30)]
    assert len({numbers(k) for k in keys.values()}) == 30
    assert sorted(p.stem for p in (pack / "handouts").glob("*.md")) == sorted(keys)
    assert (pack / "work").is_dir()


def test_variants_are_reproducible_and_the_secret_changes_them(pack, tmp_path):
    ros = roster(tmp_path, 3)
    r = run("exam", LESSON, "--students", ros, "--out", tmp_path / "again", "--secret", "course-7")
    assert r.returncode == 0, r.stderr
    before, again = keys_of(pack), keys_of(tmp_path / "again")
    for sid in again:
        assert again[sid] == before[sid]
        assert (tmp_path / "again" / "handouts" / f"{sid}.md").read_text() == \
            (pack / "handouts" / f"{sid}.md").read_text()
    r = run("exam", LESSON, "--students", ros, "--out", tmp_path / "other", "--secret", "another")
    assert r.returncode == 0, r.stderr
    other = keys_of(tmp_path / "other")
    assert all(numbers(other[s]) != numbers(before[s]) for s in other)


def test_keys_are_absent_from_the_handouts(pack):
    keys = keys_of(pack)
    for sid, key in keys.items():
        page = (pack / "handouts" / f"{sid}.md").read_text(encoding="utf-8")
        assert "keys" not in page and ".json" not in page
        givens = set(re.findall(r"= (\S+)", page))            # the student's own numbers
        asked = [q for q in key["questions"] if q["answer"].lstrip("-0.") and q["answer"] not in givens
                 and str(float(q["answer"])) not in givens]
        assert len(asked) > 40
        for q in asked:                                        # no answer, at the key's decimals
            assert q["answer"] not in page, (sid, q)
            assert f"{q['symbol']} = \n" in page or f"{q['symbol']} =" in page


def test_the_key_answers_are_a_correct_hand_calculation(pack):
    """Checked against the independent hand calculation above, for every student."""
    for sid, key in keys_of(pack).items():
        mine = hand(key)
        for q in key["questions"]:
            assert q["symbol"] in mine, q
            assert q["answer"] == f"{r4(mine[q['symbol']], key['round']):.{key['round']}f}", (sid, q)


def test_variants_are_near_the_lesson_unsaturated_and_nice(pack):
    from conftest import SWITCH
    import tomllib
    lesson = tomllib.loads(SWITCH.read_text())["layers"]
    for key in keys_of(pack).values():
        for l in range(1, 4):
            for row, row0 in zip(key["spec"]["layers"][l]["weights_to_from"], lesson[l]["weights_to_from"]):
                for w, w0 in zip(row, row0):
                    assert abs(w - w0) <= 0.1 + 1e-9 and w != 0 and round(w, 2) == w
        assert all(round(x, 1) == x for x in key["input"])
        outs = {q["symbol"]: float(q["answer"]) for q in key["questions"] if q["kind"] == "a"}
        assert all(a * (1 - a) >= 0.05 - 1e-4 for a in outs.values())      # σ′ from a: no saturation


def test_a_bad_roster_is_one_line(tmp_path):
    bad = tmp_path / "dup.csv"
    bad.write_text("id\ns1\ns2\ns1\n")
    one_line(run("exam", LESSON, "--students", bad, "--out", tmp_path / "x"), 2, "dup.csv", "line 4", "s1")
    bad.write_text("id\n../../etc/passwd\n")
    one_line(run("exam", LESSON, "--students", bad, "--out", tmp_path / "x"), 2, "line 2", "file name")
    assert not (tmp_path / "x").exists()


def test_a_key_from_another_secret_is_never_replaced(tmp_path):
    ros = roster(tmp_path, 2)
    assert run("exam", LESSON, "--students", ros, "--out", tmp_path / "p").returncode == 0
    old = (tmp_path / "p" / "keys" / "s000.json").read_text()
    one_line(run("exam", LESSON, "--students", ros, "--out", tmp_path / "p", "--secret", "x"), 2,
             "s000.json", "differs")
    assert (tmp_path / "p" / "keys" / "s000.json").read_text() == old
    assert run("exam", LESSON, "--students", ros, "--out", tmp_path / "p").returncode == 0   # the same: fine


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed (Debian: apt-get install pandoc)")
def test_html_handout_through_pandoc(tmp_path):
    r = run("exam", LESSON, "--students", roster(tmp_path, 1), "--out", tmp_path / "p", "--format", "html")
    assert r.returncode == 0, r.stderr
    page = (tmp_path / "p" / "handouts" / "s000.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "w_b1 = " in page and "keys" not in page
    # the formulas are MathML, not TeX left raw or an image; nothing is fetched
    assert page.count("<math") >= 8 and "$$" not in page and "<img" not in page
    assert not re.search(r"<(script|link)[^>]+(src|href)=", page)
    md = (tmp_path / "p" / "handouts" / "s000.md").read_text(encoding="utf-8")
    warn = __import__("subprocess").run(["pandoc", "--mathml", "-f", "markdown", "-t", "html", "-o", "/dev/null"],
                                        input=md, capture_output=True, text=True).stderr
    assert "Could not convert TeX math" not in warn


@pytest.mark.skipif(shutil.which("pandoc") is None or shutil.which("weasyprint") is None,
                    reason="needs pandoc and weasyprint (pip install 'neuronet[pdf]')")
def test_pdf_handout_through_pandoc(tmp_path):
    r = run("exam", LESSON, "--students", roster(tmp_path, 1), "--out", tmp_path / "p", "--format", "pdf")
    assert r.returncode == 0, r.stderr
    pdf = (tmp_path / "p" / "handouts" / "s000.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF") and len(pdf) > 2000


# -- follow-through marking ------------------------------------------------------------------

def test_the_keys_own_answers_mark_full(pack, tmp_path):
    key = keys_of(pack)["s004"]
    w = tmp_path / "s004.txt"
    w.write_text("".join(f"{q['symbol']} = {q['answer']}\n" for q in key["questions"]), encoding="utf-8")
    r = run("mark", "--key", pack / "keys" / "s004.json", w)
    assert r.returncode == 0, r.stdout + r.stderr
    n = len(key["questions"])
    assert f"score: {n} of {n} ({n} right, 0 wrong, 0 not answered)" in r.stdout


def test_one_early_slip_is_one_mistake_and_the_rest_carried(pack, tmp_path):
    """Crafted work: out_b2 slips by one copied digit; every later number is
    computed (by the independent calculation here) from the slipped one."""
    key = keys_of(pack)["s007"]
    right = hand(key)
    wrong_out = right["out_b2"] + 0.0300
    slipped = hand(key, ("out_b2", wrong_out))
    symbols = [q["symbol"] for q in key["questions"]]
    w = tmp_path / "s007.txt"
    w.write_text(work(slipped, symbols), encoding="utf-8")
    changed = [s for s in symbols if f"{slipped[s]:.4f}" != f"{right[s]:.4f}"]
    assert len(changed) > 20                                  # the slip really runs on
    r = run("mark", "--key", pack / "keys" / "s007.json", w)
    assert r.returncode == 1, r.stderr
    n = len(symbols)
    got = re.search(r"score: (\S+) of (\d+) \((\d+) right, (\d+) carried, 1 wrong, 0 not answered\)",
                    r.stdout)
    assert got, r.stdout[-800:]
    score, right_n, carried = float(got.group(1)), int(got.group(3)), int(got.group(4))
    assert score == n - 1 and right_n + carried == n - 1
    # every changed line but the slip is carried, or right because it is the
    # unrounded value at the student's decimals
    assert carried >= len(changed) - 1 - 5 and carried >= 30
    for s in changed[1:]:
        assert re.search(rf"{re.escape(s)} += \S+ +(carried|right \(as carried unrounded\))", r.stdout), s
    assert "first mistake: line 4, out_b2" in r.stdout
    assert "a copying slip" in r.stdout
    r = run("mark", "--key", pack / "keys" / "s007.json", w, "--carried-credit", "0.5")
    assert f"score: {n - 1 - carried / 2:g} of {n}" in r.stdout


def test_without_follow_through_the_same_work_has_many_mistakes(pack, tmp_path):
    """The check above can fail: marked against the right numbers only
    (another student's key), the carried lines are all wrong."""
    key = keys_of(pack)["s007"]
    slipped = hand(key, ("out_b2", hand(key)["out_b2"] + 0.03))
    w = tmp_path / "s008.txt"
    w.write_text(work(slipped, [q["symbol"] for q in key["questions"]]), encoding="utf-8")
    r = run("mark", "--key", pack / "keys" / "s008.json", w)
    assert r.returncode == 1
    wrong = int(re.search(r", (\d+) wrong,", r.stdout).group(1))
    assert wrong > 20


def test_class_gradebook_and_misconception_report(pack, tmp_path):
    """A synthetic class of five: two perfect, one with f′ left out of every
    hidden δ (carried on), one with a wrong sign in one output δ, one work
    file with an injection-looking ID and no key, one student with no work."""
    cls = tmp_path / "class"
    shutil.copytree(pack / "keys", cls / "keys", ignore=lambda d, names: [
        n for n in names if n not in ("s000.json", "s001.json", "s002.json", "s003.json", "s004.json")])
    (cls / "work").mkdir()
    keys = keys_of(cls)
    for sid in ("s000", "s001"):
        (cls / "work" / f"{sid}.txt").write_text(
            "".join(f"{q['symbol']} = {q['answer']}\n" for q in keys[sid]["questions"]), encoding="utf-8")
    # s002: a sign slip in ∂E/∂net_d1 (everything after it carried on)
    k = keys["s002"]
    good = hand(k)
    slipped = hand(k, ("∂E_total/∂net_d1", -good["∂E_total/∂net_d1"]))
    (cls / "work" / "s002.txt").write_text(work(slipped, [q["symbol"] for q in k["questions"]]), encoding="utf-8")
    # s003: only the first hidden δ, written without f′ (= Σ δ·w)
    k = keys["s003"]
    good = hand(k)
    W = weights_to_from(k["spec"]["layers"][3])
    dsum = r4(sum(good[f"∂E_total/∂net_d{m + 1}"] * W[m][0] for m in range(2)), 4)
    (cls / "work" / "s003.txt").write_text(f"∂E_total/∂net_c1 = {dsum:.4f}\n", encoding="utf-8")
    (cls / "work" / "=HYPERLINK(1).txt").write_text("net_b1 = 0.1\n", encoding="utf-8")
    r = run("mark", "--class", cls / "work", "--report-html", tmp_path / "report.html")
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader((cls / "gradebook.csv").open(encoding="utf-8")))
    by = {row["student"]: row for row in rows}
    assert set(by) == {"s000", "s001", "s002", "s003", "s004", "'=HYPERLINK(1)"}
    n = len(keys["s000"]["questions"])
    assert by["s000"]["score"] == by["s001"]["score"] == str(n)
    assert by["s002"]["wrong"] == "1" and by["s002"]["mistake_kind"] == "sign" and int(by["s002"]["carried"]) > 10
    assert by["s003"]["mistake_kind"] == "fprime" and by["s003"]["missing"] == str(n - 1)
    assert by["s004"]["status"] == "no work handed in" and by["s004"]["score"] == "0"
    assert by["'=HYPERLINK(1)"]["status"] == "no key for this work file"
    # four students' work marked; three answered an output δ (s003 wrote one hidden δ only)
    assert "   25%  (1 of 4)  a wrong sign\n" in r.stdout
    assert "   25%  (1 of 4)  f′ left out\n" in r.stdout
    assert "   33%  (1 of 3)  a wrong sign in an output δ\n" in r.stdout
    assert "   25%  (1 of 4)  f′ left out in a hidden δ\n" in r.stdout
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<table>" in page and "f′ left out" in page and "a wrong sign" in page


def test_csv_cells_that_a_spreadsheet_would_run_are_quoted():
    from neuronet.cli._followthrough import csv_safe
    assert [csv_safe(c) for c in ("=1+1", "+A1", "-cmd", "@SUM(A1)", "\t=x", "s001", "-0.5", "3")] == \
        ["'=1+1", "'+A1", "'-cmd", "'@SUM(A1)", "'\t=x", "s001", "-0.5", "3"]


def test_mark_key_errors_are_one_line(pack, tmp_path):
    w = tmp_path / "w.txt"
    w.write_text("net_b1 = 0.1\n")
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something else"}')
    one_line(run("mark", "--key", bad, w), 2, "bad.json", "not an exam key")
    one_line(run("mark", "--key", pack / "keys" / "s000.json"), 2, "WORK")
    one_line(run("mark", "--class", tmp_path / "nowhere"), 2, "nowhere")


def test_a_saturated_lesson_is_refused_at_once(tmp_path):
    """iris's 4-8-3 at its spec's own weights and a raw input (5.1, 3.5, …)
    saturates neurons: no fair hand exercise can be drawn near it."""
    one_line(run("exam", "iris", "--students", roster(tmp_path, 2), "--out", tmp_path / "p"), 2,
             "iris", "saturated")
    assert not (tmp_path / "p").exists()
