"""The one CSV rule (neuronet.io.csv_safe): OWASP's CSV-injection prefix."""
from neuronet.io.csv_safe import cell


def test_csv_cell_rule():
    assert [cell(v) for v in ("=1+1", "+1+1", "-1+A1", "@x", "\tx", "plain", "a=b", "-1.5", "+2")] == \
        ["'=1+1", "'+1+1", "'-1+A1", "'@x", "'\tx", "plain", "a=b", "-1.5", "+2"]
    assert cell(-1) == -1 and cell(2.5) == 2.5         # the program's own numbers stay numbers
