"""The files a user names: the one place neuronet reads them and writes them.

Every problem becomes one error that names the file (the CLI prints it as
one line, exit status 2); nothing here prints.

Reading (:func:`read_bytes`, :func:`read_text`, :func:`parse_json`)

* Only regular files are read.  A FIFO, a socket, a character device such as
  ``/dev/zero`` or ``/dev/urandom``, a directory: one line, never a hang or
  an endless read.  The file is opened non-blocking (so a FIFO without a
  writer cannot block the open) and checked with ``fstat`` on the open
  descriptor (so what is checked is what is read).
* **Size cap: 256 MiB** per file (:data:`DEFAULT_MAX_BYTES`; MNIST's largest
  file, the 60,000 training images, is 47 MB unpacked).  Override it with the
  environment variable ``NEURONET_MAX_FILE_MB`` (a positive number of MiB).
  The cap is checked against the file's size before anything is read, and
  the read itself stops one byte past the cap.
* Text is UTF-8; a leading UTF-8 byte-order mark (which some Windows editors
  write) is accepted and dropped, in JSON, TOML and CSV alike.
* JSON (:func:`parse_json`): nesting deeper than the parser can follow is one
  line, and an integer of more than :data:`MAX_INT_DIGITS` digits is read as
  a float (±inf, which the validators reject as not finite) instead of
  Python's "exceeds the limit for integer string conversion".

Writing (:func:`atomic_write`)

A temp file in the target's folder, flushed and fsynced, then renamed over
the target — so a failed or interrupted run never leaves a half-written or
clobbered file, and no temp file is left behind on any error.  Around that:

* **Only regular files are written.**  A target that exists and is not a
  regular file (``/dev/null``, ``/dev/full``, a FIFO, a socket, a directory)
  is refused with one line; it is never replaced by a file and never written
  through.  (Decision: refusing is the one rule that holds for every kind of
  special file — writing through would block on a FIFO without a reader.)
* A symlink is followed: its target is written (atomically), the link stays.
* An existing file keeps its permission bits — and its owner and group when
  root replaces it (a user's 0600 file stays the user's); a new file gets
  ``0666 & ~umask``, like any file a shell redirection creates.
* SIGTERM during a write removes the temp file, as Ctrl-C does (the CLI
  turns SIGTERM into an exception, so this module's cleanup runs).
* An empty name, a missing folder, a read-only folder, a full disk (ENOSPC):
  each one line naming the file.
"""
from __future__ import annotations

import errno
import json
import os
import re
import stat
import tempfile

from ..errors import NeuronetError, OutputError

#: The default size cap for any file neuronet reads (bytes).
DEFAULT_MAX_BYTES = 256 * 1024 * 1024
#: The environment variable that overrides it, in MiB.
MAX_BYTES_ENV = "NEURONET_MAX_FILE_MB"
#: JSON integers longer than this (digits) are read as floats (→ ±inf).
MAX_INT_DIGITS = 4000


def max_bytes() -> int:
    """The size cap in bytes: ``NEURONET_MAX_FILE_MB`` MiB, else 256 MiB."""
    text = os.environ.get(MAX_BYTES_ENV)
    if text is None or not text.strip():
        return DEFAULT_MAX_BYTES
    try:
        mb = float(text)
    except ValueError:
        mb = -1.0
    if not (mb > 0 and mb < 1e12):
        raise NeuronetError(f"{MAX_BYTES_ENV}={text!r} is not a positive number of MiB")
    return int(mb * 1024 * 1024)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def file_name(path, error: type, what: str) -> str:
    """``path`` as a file name (a ``str`` or ``os.PathLike`` naming text);
    ``error`` for anything else (``None``, a number, bytes) — the library's
    own error, not a TypeError from deep inside ``open``."""
    if isinstance(path, str):
        return path
    if isinstance(path, os.PathLike):
        name = os.fspath(path)
        if isinstance(name, str):
            return name
    raise error(f"needs the name of {what} (a str or a path), got {type(path).__name__} "
                f"{_shown_value(path)}")


def _shown_value(v) -> str:
    from ..errors import printable
    text = repr(v)
    return printable(text if len(text) <= 80 else text[:80] + "…")


def read_bytes(path, error: type, what: str) -> bytes:
    """The bytes of the regular file ``path``, at most the size cap;
    ``error`` (a NeuronetError class) otherwise.  ``what`` says what the file
    should be, e.g. "a spec file"."""
    name = file_name(path, error, what)
    if name == "":
        raise error(f"an empty file name is not {what}")
    cap = max_bytes()
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise error("no such file", source=name) from None
    except IsADirectoryError:
        raise error(f"is a directory, not {what}", source=name) from None
    except OSError as e:
        raise error(f"cannot be read ({e.strerror or e})", source=name) from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise error(f"is a directory, not {what}", source=name)
        if not stat.S_ISREG(st.st_mode):
            raise error(f"is {_kind(st.st_mode)}, not a regular file: neuronet reads only regular files",
                        source=name)
        if st.st_size > cap:
            raise error(_too_big(st.st_size, cap), source=name)
        os.set_blocking(fd, True)
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, min(1 << 20, cap + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > cap:                       # grew while we read it
                raise error(_too_big(total, cap), source=name)
        return b"".join(chunks)
    except OSError as e:
        raise error(f"cannot be read ({e.strerror or e})", source=name) from None
    finally:
        os.close(fd)


def _too_big(size: int, cap: int) -> str:
    return (f"is {size:,} bytes, more than the limit of {cap:,} bytes "
            f"(set {MAX_BYTES_ENV}, in MiB, to raise it)")


def read_text(path, error: type, what: str) -> str:
    """The UTF-8 text of ``path`` (a leading byte-order mark dropped);
    ``error`` otherwise."""
    raw = read_bytes(path, error, what)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise error(f"is not UTF-8 text (expected {what}; byte {e.start} is 0x{raw[e.start]:02x})",
                    source=str(path)) from None


def _parse_int(text: str):
    if len(text) > MAX_INT_DIGITS:
        return float(text)                       # ±inf: rejected as "not finite" where it is used
    return int(text)


def parse_json(text: str, error: type, source: str):
    """``json.loads`` with one-line errors: syntax (line, column), nesting
    too deep for the parser, integers too long to convert."""
    try:
        return json.loads(text, parse_int=_parse_int)
    except json.JSONDecodeError as e:
        raise error(f"is not valid JSON: {e.msg} at line {e.lineno} column {e.colno}", source=source) from None
    except RecursionError:
        raise error("is nested too deeply to read (lists/objects inside each other)", source=source) from None
    except ValueError as e:
        raise error(f"is not valid JSON: {e}", source=source) from None


#: the most parts one TOML key may have (``a.b.c`` has 3): tomllib builds a
#: key of n parts in O(n²) time (200,000 parts: minutes), so longer keys are
#: refused before parsing
MAX_KEY_PARTS = 64
_LONG_KEY = re.compile(r"""(?<![A-Za-z0-9_-])(?:(?:[A-Za-z0-9_-]++|"[^"\\\n]*+"|'[^'\n]*+')"""
                       r"""[ \t]*+\.[ \t]*+){%d}""" % MAX_KEY_PARTS)


def parse_toml(text: str, error: type, source: str):
    """``tomllib.loads`` with one-line errors: syntax, nesting too deep for
    the parser (RecursionError), integers too long to convert, and — checked
    before parsing, in linear time — a dotted key of more than
    :data:`MAX_KEY_PARTS` parts."""
    import tomllib
    if _LONG_KEY.search(text):
        raise error(f"has a dotted key of more than {MAX_KEY_PARTS} parts (a.b.c… ): refused before "
                    "parsing (reading it would take minutes)", source=source)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise error(f"is not valid TOML: {e}", source=source) from None
    except RecursionError:
        raise error("is nested too deeply to read (arrays/tables inside each other)", source=source) from None
    except ValueError as e:          # tomllib's int(): more than 4,300 digits
        raise error(f"is not valid TOML: {e}".split("; use sys.")[0], source=source) from None


# ---------------------------------------------------------------------------
# writing
# ---------------------------------------------------------------------------

def _umask() -> int:
    old = os.umask(0o022)
    os.umask(old)
    return old


def _why(e: OSError) -> str:
    if e.errno == errno.ENOSPC:
        return "no space left on the device"
    if e.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if e.errno == errno.EROFS:
        return "the file system is read-only"
    return e.strerror or str(e)


def check_target(path: str | os.PathLike, error: type = OutputError) -> tuple[str, int]:
    """Would :func:`atomic_write` accept ``path``?  ``(real path, mode for the
    new file)``, else ``error``.  Call it before long work (training, timing)
    so a bad ``--out`` is refused at once, not after the result exists."""
    name = os.fspath(path)
    if name == "":
        raise error("cannot write to an empty file name")
    target = os.path.realpath(name)               # a symlink: write its target
    try:
        st = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as e:
        raise error(f"cannot be written ({_why(e)})", source=name) from None
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise error("is a directory; give a file name", source=name)
        if not stat.S_ISREG(st.st_mode):
            raise error(f"is {_kind(st.st_mode)}, not a regular file: neuronet writes only regular files "
                        "and never replaces anything else", source=name)
        mode = stat.S_IMODE(st.st_mode)
    else:
        mode = 0o666 & ~_umask()
    folder = os.path.dirname(target) or "."
    if not os.path.isdir(folder):
        raise error(f"cannot be written: the folder {os.path.dirname(name) or folder} does not exist",
                    source=name)
    if not os.access(folder, os.W_OK):
        raise error(f"cannot be written (permission denied in {os.path.dirname(name) or '.'})", source=name)
    return target, mode


def _keep_owner(fd: int, target: str) -> None:
    """A file replaced by someone else (root writing over a user's file) keeps
    its owner and group: the new file is given them before the rename.  Only
    a process that may change owners (root) does anything here."""
    if not hasattr(os, "fchown") or os.geteuid() != 0:
        return
    try:
        st = os.stat(target)
    except OSError:
        return                                     # a new file: the writer's, as usual
    if (st.st_uid, st.st_gid) != (os.geteuid(), os.getegid()):
        os.fchown(fd, st.st_uid, st.st_gid)


def atomic_write(path: str | os.PathLike, text: str | bytes, error: type = OutputError) -> None:
    """Write ``text`` (str as UTF-8, or bytes) to ``path`` atomically; see the
    module docstring for what is refused and what is kept."""
    name = os.fspath(path)
    target, mode = check_target(path, error)
    data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
    folder = os.path.dirname(target) or "."
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", suffix=".tmp", dir=folder)
    except OSError as e:
        raise error(f"cannot be written ({_why(e)})", source=name) from None
    try:
        try:
            os.fchmod(fd, mode)
            _keep_owner(fd, target)
            view = memoryview(data)
            while view:
                n = os.write(fd, view)
                view = view[n:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(e, OSError):
            raise error(f"cannot be written ({_why(e)})", source=name) from None
        raise
