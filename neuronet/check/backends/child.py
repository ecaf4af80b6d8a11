"""The child side of an isolated ``module:`` backend.

``neuronet verify --backend module:pkg.mod:function`` runs the user's code
here, in a process of its own (``python -m neuronet.check.backends.child REF
REQ_FD RESP_FD``), so that nothing it does can corrupt verify's own result:

* its ``print()`` and warnings go to this process's stdout/stderr, which the
  parent captured to a file and shows in the report — never into verify's
  stdout (``--format json`` stays parseable);
* ``sys.exit()`` inside the function is caught and answered as a failure;
  ``os._exit()`` or a crash ends this process, which the parent sees as a
  dead backend (exit 1), never as "all agree";
* a hang is the parent's ``--timeout``: it kills this process.

``python -m`` puts the current directory first on ``sys.path`` and it stays
there, so ``import helper`` inside the function finds ./helper.py just as an
import at the top of the module does.

Requests and answers are one JSON document per line on two private pipes
(the function's stdin is /dev/null): ``{"spec", "inputs", "targets",
"reduction"}`` in; ``{"result": …}``, ``{"declined": text}`` or ``{"error":
text, "frames": […]}`` out.  The answer is made plain (:func:`.contract.plain`:
arrays and tensors become lists) before it is sent; a value JSON cannot
carry goes as ``{"$opaque": repr}``.
"""
from __future__ import annotations

import json
import os
import sys


def _encode(doc) -> bytes:
    def opaque(o):
        return {"$opaque": repr(o)}
    return (json.dumps(doc, default=opaque) + "\n").encode()


def main(argv=None) -> int:
    ref, req_fd, resp_fd = (argv or sys.argv[1:])[:3]
    requests = os.fdopen(int(req_fd), "rb")
    answers = os.fdopen(int(resp_fd), "wb")

    def send(doc) -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        try:
            data = _encode(doc)
        except Exception as e:     # e.g. non-string keys, a cycle
            data = _encode({"error": f"the answer cannot be sent back: {type(e).__name__}: {e}", "frames": []})
        answers.write(data)
        answers.flush()

    from .contract import BackendError, BackendLoadError, plain
    from .loaders import module_backend
    from .compare import describe_exception, frames_of
    try:
        if ref.startswith("torch:"):        # zero-adapter PyTorch: neuronet drives the module (torch_capture)
            from .torch_capture import from_ref
            fn = from_ref(ref[len("torch:"):])
        else:
            fn = module_backend(ref, keep_path=True)
    except BackendError as e:
        send({"import_error": e.message})
        return 0
    except BaseException as e:      # SystemExit or KeyboardInterrupt while importing
        send({"import_error": f"module {ref.rpartition(':')[0]!r} raised {describe_exception(e)} on import"})
        return 0
    send({"ready": True})
    for line in requests:
        req = json.loads(line)
        try:
            raw = fn(req["spec"], req["inputs"], req["targets"], req["reduction"])
        except NotImplementedError as e:
            send({"declined": describe_exception(e)})
            continue
        except BackendLoadError as e:   # the spec cannot be put into this torch: module at all
            send({"bad": e.format()})
            continue
        except BaseException as e:  # SystemExit too: it must not look like an answer
            send({"error": describe_exception(e), "frames": frames_of(e)})
            continue
        if raw is None:
            send({"declined": "the backend returned None"})
        else:
            send({"result": plain(raw)})
    return 0


if __name__ == "__main__":
    sys.exit(main())
