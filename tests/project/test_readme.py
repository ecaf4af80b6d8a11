"""docs/python-api.md's Python example runs, and the results written beside it are what it
returns (the 002 values themselves are checked in test_002_numbers.py)."""
import re

from conftest import ROOT


def test_readme_python_example_runs_and_its_comments_are_true(monkeypatch):
    text = (ROOT / "docs" / "python-api.md").read_text()
    block = re.search(r"# The Python API\n\n```python\n(.*?)```", text, re.S).group(1)
    monkeypatch.chdir(ROOT)
    namespace, shown = {}, []
    for line in block.splitlines():
        code, _, comment = line.partition("#")
        exec(code, namespace)
        expr = code.strip()
        m = re.match(r"\s*(\[.*?\]|\(.*?\)|-?\d+\.\d+)", comment)
        if m and expr and "=" not in expr.split("(")[0]:
            shown.append((expr, m.group(1)))
            assert repr(eval(expr, namespace)) == m.group(1) or str(eval(expr, namespace)) == m.group(1)
    assert len(shown) >= 3       # the example keeps showing its numbers
