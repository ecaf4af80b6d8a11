"""A small TOML writer for the spec schema (the standard library's tomllib
only reads).  Values are what a validated spec holds: booleans, integers,
finite floats (written with ``repr``, so they read back as the same float),
strings, lists and tables; ``layers`` become ``[[layers]]`` tables.
"""
from __future__ import annotations

import math


def _toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if not math.isfinite(v):
            raise ValueError("TOML spec values must be finite")
        r = repr(v)
        return r if ("." in r or "e" in r or "E" in r) else r + ".0"
    if isinstance(v, str):
        return _toml_string(v)
    if isinstance(v, list):
        if v and isinstance(v[0], list):
            return "[\n" + "".join(f"  {_toml_value(x)},\n" for x in v) + "]"
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_toml_key(k)} = {_toml_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(f"cannot write {type(v).__name__} to TOML")


def _toml_string(text: str) -> str:
    """A TOML basic string: quote, backslash and control characters escaped."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _toml_key(k: str) -> str:
    return k if k and k.isascii() and k.replace("_", "").replace("-", "").isalnum() else _toml_string(k)


def to_toml(spec: dict) -> str:
    lines = []
    tables = []
    for k, v in spec.items():
        if k == "layers":
            continue
        if isinstance(v, dict):
            tables.append((k, v))
        else:
            lines.append(f"{_toml_key(k)} = {_toml_value(v)}")
    for k, v in tables:
        lines.append(f"\n[{_toml_key(k)}]")
        for kk, vv in v.items():
            lines.append(f"{_toml_key(kk)} = {_toml_value(vv)}")
    for layer in spec.get("layers", []):
        lines.append("\n[[layers]]")
        for kk, vv in layer.items():
            lines.append(f"{_toml_key(kk)} = {_toml_value(vv)}")
    return "\n".join(lines) + "\n"
