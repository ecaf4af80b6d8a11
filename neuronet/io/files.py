"""Reading the files a user names: every problem becomes one error that
names the file (the CLI prints it as one line, exit status 2)."""
from __future__ import annotations

from pathlib import Path


def read_bytes(path, error: type, what: str) -> bytes:
    """The bytes of ``path``; ``error`` (a NeuronetError class) otherwise.
    ``what`` says what the file should be, e.g. "a spec file"."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise error("no such file", source=str(path)) from None
    except IsADirectoryError:
        raise error(f"is a directory, not {what}", source=str(path)) from None
    except OSError as e:
        raise error(f"cannot be read ({e.strerror or e})", source=str(path)) from None


def read_text(path, error: type, what: str) -> str:
    """The UTF-8 text of ``path``; ``error`` otherwise."""
    raw = read_bytes(path, error, what)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise error(f"is not UTF-8 text (expected {what})", source=str(path)) from None
