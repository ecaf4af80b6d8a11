"""Strings an attacker puts in a file, and a spec that carries them.

Shared by the tests that check every output keeps them inert (the terminal,
rich, HTML/SVG, Markdown handouts, LaTeX, DOT, CSV).  Each payload is a real
attack on the output it targets: the browser tests open a control page with
the payload written raw and see it run, so a passing test is not a payload
that never worked."""
from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

ESC = "\x1b"

#: terminal attacks: OSC 52 (write the clipboard), CSI 2J (clear the screen), OSC 0
#: (retitle the window), 8-bit CSI, CR (overwrite the line), RLO (reverse what follows)
TERMINAL = [ESC + "]52;c;aGk=\x07", ESC + "[2J", ESC + "]0;pwn\x07", "\u009b31m", "a\rb", "\u202eevil"]
#: rich markup: a closing tag with nothing open raises MarkupError; blink/link are live markup
MARKUP = ["[/bold]", "[/]", "[blink]x[/blink]", '[link=javascript:document.title="PWNED"]c[/link]',
          '[link=x"><svg/onload=document.title=/PWNED/.source>]d']
#: would set document.title in a browser if written raw into HTML/SVG/Markdown
#: (the second closes a surrounding $…$ math and opens a new one after the tag)
SCRIPT = ["<script>document.title='PWNED'</script>", "x$ <img src=x onerror=\"document.title='PWNED'\"> $x",
          "<!--<script>"]
#: live TeX commands if written raw inside $…$
TEX = ["}\\input{/etc/passwd}\\mathrm{", "}\\immediate\\write18{touch /tmp/pwned}\\mathrm{"]

LABELS = TERMINAL + MARKUP + SCRIPT + TEX           # 16 labels
NAME = "<script>document.title='PWNED'</script>[/bold]" + ESC + "]0;t\x07\u202e"

#: bytes no output may carry from a file: C0 controls but TAB/LF, DEL, C1 (as UTF-8), bidi controls
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f\x80-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def spec(sizes=(2, 4, 5, 5)) -> dict:
    """A network of ``sizes`` whose every neuron carries one of :data:`LABELS`
    (in turn) and whose name is :data:`NAME`."""
    k = 0
    layers = []
    for l, n in enumerate(sizes):
        labels = [LABELS[(k + j) % len(LABELS)] for j in range(n)]
        k += n
        layer = {"size": n, "labels": labels}
        if l:
            layer["activation"] = "sigmoid"
            layer["weights_to_from"] = [[0.1 * (i + j + 1) for i in range(sizes[l - 1])] for j in range(n)]
        layers.append(layer)
    return {"name": NAME, "loss": "half_sse", "layers": layers}


def write_spec(path, sizes=(2, 4, 5, 5)):
    path.write_text(json.dumps(spec(sizes)), encoding="utf-8")
    return path


# ---------------------------------------------------------------------------
# a headless Chromium that reports whether a page ran a payload
# ---------------------------------------------------------------------------

def chromium():
    """Headless Chromium with every request sent to a dead proxy (tests/browser.py); None without one."""
    from browser import chromium as start
    return start()


def title_after_load(driver, path, settle: float = 0.3) -> str:
    """``document.title`` of the page at ``path`` once it has loaded and its
    scripts and image error handlers have had ``settle`` seconds to run."""
    import time
    driver.get(path.as_uri())
    time.sleep(settle)
    return driver.execute_script("return document.title") or ""
