"""User backends: ``module:pkg.mod:function`` and ``file:grads.json``.

* ``module:pkg.mod:function`` imports ``pkg.mod`` and calls
  ``function(spec, inputs, targets, reduction)`` → the contract dict.  The
  current directory is searched first, so ``module:mybackend:grads`` finds
  ./mybackend.py.  **This imports and runs arbitrary code**: never point
  verify at code you would not run yourself.  ``neuronet verify`` runs it in
  a child process (:class:`ChildBackend`, :mod:`.child`) with a timeout, its
  output captured; :func:`module_backend` imports it in this process (what
  the child itself does).
* ``file:grads.json`` is for any language: an external program read the same
  spec and batch and wrote the contract JSON; the harness only reads it.
"""
from __future__ import annotations

import atexit
import importlib
import json
import os
import select
import subprocess
import sys
import tempfile
import time

from ...io.files import read_text
from .contract import BackendError, BackendLoadError, Opaque

DEFAULT_TIMEOUT = 60.0


def _split(ref: str):
    mod_name, sep, fn_name = ref.rpartition(":")
    if not sep or not mod_name or not fn_name:
        raise BackendError(f"must read module:pkg.mod:function, got module:{ref}", source="--backend")
    return mod_name, fn_name


def module_backend(ref: str, keep_path: bool = False):
    """``pkg.mod:function`` → the function, imported in this process with
    the current directory first on ``sys.path`` (kept there with
    ``keep_path``, so imports inside the function find the module's
    siblings too)."""
    mod_name, fn_name = _split(ref)
    cwd = os.getcwd()
    added = cwd not in sys.path
    if added:
        sys.path.insert(0, cwd)
    try:
        module = importlib.import_module(mod_name)
    except ImportError as e:
        raise BackendError(f"module {mod_name!r} cannot be imported ({e})", source="--backend") from None
    except Exception as e:    # the user's module raised while importing
        raise BackendError(f"module {mod_name!r} raised {type(e).__name__} on import: {e}",
                           source="--backend") from None
    finally:
        if added and not keep_path:
            sys.path.remove(cwd)
    fn = getattr(module, fn_name, None)
    if not callable(fn):
        raise BackendError(f"module {mod_name!r} has no function {fn_name!r}", source="--backend")
    return fn


def _decode(doc):
    if isinstance(doc, dict):
        if set(doc) == {"$opaque"}:
            return Opaque(doc["$opaque"])
        return {k: _decode(v) for k, v in doc.items()}
    if isinstance(doc, list):
        return [_decode(v) for v in doc]
    return doc


class ChildBackend:
    """``module:pkg.mod:function`` run in a child process (:mod:`.child`).

    The process starts at the first call and serves every later one (a
    fuzzing run pays the ~0.3 s start once).  Each phase — start and import,
    then each call — must answer within ``timeout`` seconds, or the process
    is killed and :class:`~.compare.BackendDied` raised; so is a process that
    ends before answering.  ``output`` holds what the backend printed
    (stdout and stderr) during the last call (and its import).
    """

    def __init__(self, ref: str, timeout: float = DEFAULT_TIMEOUT) -> None:
        _split(ref)
        self.ref, self.timeout = ref, timeout
        self.proc = None
        self.output = ""
        self._log = None
        self._seen = 0
        self._buf = b""

    def _start(self) -> None:
        req_r, req_w = os.pipe()
        resp_r, resp_w = os.pipe()
        self._log = tempfile.TemporaryFile()
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        env["PYTHONPATH"] = os.pathsep.join([p for p in (env.get("PYTHONPATH"), root) if p])
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "neuronet.check.backends.child", self.ref, str(req_r), str(resp_w)],
                stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT,
                pass_fds=(req_r, resp_w), env=env)
        finally:
            os.close(req_r)
            os.close(resp_w)
        self._req = os.fdopen(req_w, "wb")
        self._resp = resp_r
        atexit.register(self.close)
        msg = self._read("start and import")
        if "import_error" in msg:
            self.close()
            raise BackendLoadError(msg["import_error"], source="--backend")

    def _collect(self) -> None:
        self._log.seek(self._seen)
        data = self._log.read()
        self._seen += len(data)
        self.output += data.decode("utf-8", "replace")

    def _read(self, phase: str) -> dict:
        from .compare import BackendDied
        deadline = time.monotonic() + self.timeout
        while b"\n" not in self._buf:
            left = deadline - time.monotonic()
            ready = select.select([self._resp], [], [], max(left, 0))[0] if left > 0 else []
            if not ready:
                self.kill()
                self._collect()
                raise BackendDied(f"the backend did not answer within {self.timeout:g} s (--timeout; "
                                  f"during {phase}): its process was stopped")
            chunk = os.read(self._resp, 1 << 16)
            if not chunk:
                code = self.proc.wait()
                self._collect()
                self.proc = None
                how = f"was killed by signal {-code}" if code < 0 else f"ended with exit status {code}"
                raise BackendDied(f"the backend's process {how} during {phase}, before answering "
                                  "(os._exit, a crash?)")
            self._buf += chunk
        line, _, self._buf = self._buf.partition(b"\n")
        self._collect()
        return json.loads(line)

    def __call__(self, spec, xs, ys, reduction):
        from .compare import BackendDied, BackendFailure, Declined
        self.output = ""
        if self.proc is None:
            if self._log is not None:
                raise BackendDied("the backend's process is no longer running")
            self._start()
        try:
            self._req.write((json.dumps({"spec": spec, "inputs": xs, "targets": ys, "reduction": reduction})
                             + "\n").encode())
            self._req.flush()
        except BrokenPipeError:
            pass        # the process is gone: _read says how
        msg = self._read("the call")
        if "result" in msg:
            return _decode(msg["result"])
        if "declined" in msg:
            raise Declined(msg["declined"])
        raise BackendFailure(msg["error"], msg.get("frames", []))

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None

    def close(self) -> None:
        """End the child (EOF on its requests, then a kill if it lingers)
        and release the pipes and the output file.  Safe to call twice."""
        if self._log is None:
            return
        try:
            self._req.close()
        except OSError:
            pass
        if self.proc is not None:
            try:
                self.proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                pass
            self.kill()
        try:
            os.close(self._resp)
        except OSError:
            pass
        self._resp = -1
        self._log.close()


def read_grads(path: str) -> dict:
    """Parse a grads JSON file; errors name the file and the line."""
    text = read_text(path, BackendError, "a grads JSON file")
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise BackendError(f"is not valid JSON: {e.msg} at line {e.lineno} column {e.colno}", source=path) from None


def file_backend(path: str):
    """A backend that answers with what ``path`` holds, whatever it is asked."""
    def answer(spec, xs, ys, reduction):
        return read_grads(path)
    answer.source = path
    return answer
