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
import signal
import subprocess
import sys
import time

from ...io.files import parse_json, read_text
from .contract import BackendError, BackendLoadError, Opaque, check_message

DEFAULT_TIMEOUT = 60.0
#: the longest --timeout: a day (select() cannot wait 1e300 s, and nobody means it)
MAX_TIMEOUT = 86400.0
#: bytes of a backend's printed output kept for the report (the rest is counted, not kept)
LOG_LIMIT = 1 << 20
#: the longest answer line a backend may send (a result of 10⁶ parameters is ~30 MB)
ANSWER_LIMIT = 512 << 20
#: how often a call waiting for an answer checks that the process is still running
POLL = 0.2


def _split(ref: str, scheme: str = "module"):
    mod_name, sep, fn_name = ref.rpartition(":")
    if not sep or not mod_name or not fn_name:
        what = "function" if scheme == "module" else "factory"
        raise BackendError(f"must read {scheme}:pkg.mod:{what}, got {scheme}:{ref}", source="--backend")
    return mod_name, fn_name


def module_backend(ref: str, keep_path: bool = False, any_object: bool = False):
    """``pkg.mod:function`` → the function, imported in this process with
    the current directory first on ``sys.path`` (kept there with
    ``keep_path``, so imports inside the function find the module's
    siblings too).  ``any_object``: whatever ``pkg.mod`` names so (a
    ``torch:`` backend's ``nn.Module`` or factory), callable or not."""
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
    if any_object and hasattr(module, fn_name):
        return fn
    if not callable(fn):
        raise BackendError(f"module {mod_name!r} has no {'' if any_object else 'function '}{fn_name!r}",
                           source="--backend")
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

    The backend is somebody else's code, so it is held on a short leash:

    * it runs in a session (and process group) of its own, and every kill
      and the final close kill the whole group — a ``Popen(['sleep', …])``
      or a daemon it started does not outlive verify;
    * a process that ended is noticed even while a grandchild still holds
      the answer pipe open (the pipe would never reach EOF);
    * what it prints is read as it comes, the first :data:`LOG_LIMIT` bytes
      kept and the rest counted and dropped (``output`` says it was cut):
      a backend printing without end fills neither memory nor the disk;
    * every field of its answer is checked (:func:`check_message`), and an
      answer line longer than :data:`ANSWER_LIMIT` bytes is refused.
    """

    def __init__(self, ref: str, timeout: float = DEFAULT_TIMEOUT) -> None:
        if ref.startswith("torch:"):        # torch:pkg.mod:factory, driven by .torch_capture in the child
            _split(ref[len("torch:"):], "torch")
        else:
            _split(ref)
        self.ref, self.timeout = ref, timeout
        self.proc = None
        self.pgid = None
        self.output = ""
        self._log = None             # the read end of the backend's stdout+stderr pipe
        self._kept = bytearray()
        self._cut = 0
        self._started = False
        self._buf = b""

    def _start(self) -> None:
        req_r, req_w = os.pipe()
        resp_r, resp_w = os.pipe()
        log_r, log_w = os.pipe()
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        env["PYTHONPATH"] = os.pathsep.join([p for p in (env.get("PYTHONPATH"), root) if p])
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "neuronet.check.backends.child", self.ref, str(req_r), str(resp_w)],
                stdin=subprocess.DEVNULL, stdout=log_w, stderr=log_w,
                pass_fds=(req_r, resp_w), env=env, start_new_session=True)
        finally:
            os.close(req_r)
            os.close(resp_w)
            os.close(log_w)
        self._started = True
        self.pgid = self.proc.pid            # a session leader: its group is its pid
        self._req = os.fdopen(req_w, "wb")
        self._resp = resp_r
        self._log = log_r
        atexit.register(self.close)
        msg = self._read("start and import")
        if "import_error" in msg:
            self.close()
            raise BackendLoadError(msg["import_error"], source="--backend")

    # -- what the backend prints ----------------------------------------------
    def _take_log(self, block: bool = False) -> bool:
        """Read what is waiting on the log pipe: keep up to LOG_LIMIT bytes,
        count the rest.  False at EOF (every writer gone)."""
        if self._log is None:
            return False
        while True:
            if not block and not select.select([self._log], [], [], 0)[0]:
                return True
            chunk = os.read(self._log, 1 << 16)
            if not chunk:
                os.close(self._log)
                self._log = None
                return False
            room = LOG_LIMIT - len(self._kept)
            if room > 0:
                self._kept += chunk[:room]
            self._cut += max(0, len(chunk) - max(room, 0))
            block = False

    def _collect(self) -> None:
        self._take_log()
        self.output = self._kept.decode("utf-8", "replace")
        if self._cut:
            self.output += (f"\n… (the rest of the backend's output was cut: {self._cut:,} more bytes; "
                            f"the first {LOG_LIMIT:,} are shown)\n")

    # -- answers ---------------------------------------------------------------
    def _read(self, phase: str) -> dict:
        from .compare import BackendDied
        deadline = time.monotonic() + self.timeout
        while b"\n" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                self.kill()
                self._collect()
                raise BackendDied(f"the backend did not answer within {self.timeout:g} s (--timeout; "
                                  f"during {phase}): its process was stopped")
            watch = [self._resp] + ([self._log] if self._log is not None else [])
            ready = select.select(watch, [], [], min(left, POLL))[0]
            if self._log is not None and self._log in ready:
                self._take_log(block=True)
            if self._resp in ready:
                chunk = os.read(self._resp, 1 << 16)
                if chunk:
                    self._buf += chunk
                    if len(self._buf) > ANSWER_LIMIT:
                        self.kill()
                        self._collect()
                        raise BackendDied(f"the backend's answer passed {ANSWER_LIMIT:,} bytes during "
                                          f"{phase}: its process was stopped")
                    continue
            elif not ready and self.proc.poll() is None:
                continue
            if self._resp in ready or self.proc.poll() is not None:
                # EOF on the answers, or the process ended while something else
                # (a grandchild) may still hold the pipe: what was sent is all there is
                while select.select([self._resp], [], [], 0)[0]:
                    chunk = os.read(self._resp, 1 << 16)
                    if not chunk:
                        break
                    self._buf += chunk
                if b"\n" in self._buf:
                    break
                code = self.proc.wait()
                self.kill()
                self._collect()
                how = f"was killed by signal {-code}" if code < 0 else f"ended with exit status {code}"
                raise BackendDied(f"the backend's process {how} during {phase}, before answering "
                                  "(os._exit, a crash?)")
        line, _, self._buf = self._buf.partition(b"\n")
        self._collect()
        try:
            msg = json.loads(line)
        except (ValueError, RecursionError):
            self.kill()
            raise BackendDied(f"the backend's process sent something that is not an answer during {phase}: "
                              f"{line[:80]!r}") from None
        return check_message(msg, phase)

    def __call__(self, spec, xs, ys, reduction):
        from .compare import BackendDied, BackendFailure, Declined
        self.output = ""
        self._kept, self._cut = bytearray(), 0
        if self.proc is None:
            if self._started:
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
            try:
                return _decode(msg["result"])
            except RecursionError:
                raise BackendFailure("the answer is nested too deeply to read", []) from None
        if "declined" in msg:
            raise Declined(msg["declined"])
        if "bad" in msg:            # a torch: factory or module that cannot answer the spec: exit 2
            raise BackendLoadError(msg["bad"])
        raise BackendFailure(msg["error"], msg.get("frames", []))

    def kill(self) -> None:
        """Kill the backend's whole process group (its children too), then reap it."""
        if self.pgid is not None:
            try:
                os.killpg(self.pgid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        if self.proc is not None:
            self.proc.kill() if self.proc.poll() is None else None
            self.proc.wait()
            self.proc = None

    def close(self) -> None:
        """End the child (EOF on its requests, then a kill of its whole
        group: anything it left running) and release the pipes.  Safe to
        call twice."""
        if not self._started or self._resp == -1:
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
        self.pgid = None
        for fd in (self._resp, self._log):
            if fd is not None and fd >= 0:
                try:
                    os.close(fd)
                except OSError:
                    pass
        self._resp, self._log = -1, None


def read_grads(path: str) -> dict:
    """Parse a grads JSON file; errors name the file and the line."""
    text = read_text(path, BackendError, "a grads JSON file")
    return parse_json(text, BackendError, path)


def file_backend(path: str):
    """A backend that answers with what ``path`` holds, whatever it is asked."""
    def answer(spec, xs, ys, reduction):
        return read_grads(path)
    answer.source = path
    return answer
