"""An error line quotes at most ~80 characters of a value: a 10 MB value in
a file or an argument never becomes a 10 MB line (and never a raw control
character)."""
import json

import neuronet
from conftest import SWITCH
from inproc import one_line, run
from neuronet.errors import MESSAGE_LIMIT, SpecError


def test_a_huge_name_in_a_spec_is_cut_in_the_error_line(tmp_path):
    spec = json.loads(json.dumps({"name": 5, "loss": "half_sse" + "x" * 10_000_000, "layers": [{"size": 1}]}))
    path = tmp_path / "net.json"
    path.write_text(json.dumps(spec))
    line = one_line(run("trace", path, "--input", "1", "--target", "0"), 2, "net.json")
    assert len(line) < 600


def test_a_huge_not_a_number_cell_is_quoted_short(tmp_path):
    data = tmp_path / "d.csv"
    data.write_text("x1,x2,y1,y2\n" + "a" * 500_000 + ",0,1,0\n")
    line = one_line(run("trace", SWITCH, "--data", data), 2, "line 2, column x1")
    assert len(line) < 300 and "aaaa" in line


def test_a_huge_argument_is_cut():
    line = one_line(run("trace", SWITCH, "--input", "1," + "9" * 1_000_000, "--target", "0,1"), 2)
    assert len(line) < 600


def test_every_library_error_is_cut_and_printable():
    e = SpecError("bad value " + "\x1b[2J" * 1_000_000, source="f.json" + "y" * 1_000_000)
    text = e.format()
    assert len(text) < 3 * MESSAGE_LIMIT + 200 and "\x1b" not in text and "more characters" in text
    assert isinstance(e, neuronet.NeuronetError)
