"""The interactive step viewer — and the one module that reads the keyboard.

``neuronet step`` records one whole training step (replay.py), then lets a
student walk through it: the network as columns of neurons with z, a, δ, the
current event's derivation beside it, keys in the footer.  Every value on
screen is the recorded value as of the current event; nothing is
recomputed.  All terminal *input* of neuronet lives here: :func:`keys` for
the step viewer, :func:`ask` for the quiz.
"""
from __future__ import annotations

import io
import os
import select
import sys
from contextlib import contextmanager

from rich.console import Console, Group
from rich.layout import Layout
from rich.live import Live
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..present import picture
from ..present.numbers import fmt
from ..present.view import View
from .replay import Replay, updates

KEYS_HELP = "n/⏎/→ next  p/← back  w weight  l layer  c end  b break L:I:J  ? help  q quit"

#: every key of the step viewer, for the help screen (? or h)
KEYS = (
    ("n  ⏎  →  space", "next event: the next chain-rule term"),
    ("p  ←", "back one event"),
    ("w", "to the next weight update (w ← w − η·∂L/∂w)"),
    ("l", "to the next layer: the first term of the next layer of this pass "
          "(forward: the next layer up; backward: the next layer down; gradients and updates "
          "of one layer count as one)"),
    ("c", "to the end of the step"),
    ("b", "breakpoint: type L:I:J ⏎ (the weight from neuron I of layer L − 1 to neuron J of "
          "layer L, 0-based) and go to the next event touching it; b ⏎ again: the next one"),
    ("esc", "cancel the breakpoint prompt"),
    ("?  h", "this help (any key closes it)"),
    ("q  Ctrl-D", "quit; the table of every weight and bias of the step follows"),
    ("Ctrl-C", "stop at once (no table)"),
)

#: below this many rows the network picture does not fit: a compact view
COMPACT_ROWS = 12
#: below this many rows not even the compact view fits
MIN_ROWS = 3
#: The narrowest derivation panel set beside the network picture (a 002
#: line such as "∂E_total/∂w_c1 = ∂E_total/∂net_c1·out_b1" fits without wrapping).
DERIVATION_MIN = 50

# which neuron value an event sets, for highlighting
_CHANGES = {"input": "z", "z": "z", "a": "a", "delta_out": "delta", "delta": "delta"}


# ---------------------------------------------------------------------------
# terminal input (the only place neuronet reads keys or lines)
# ---------------------------------------------------------------------------

def interactive(stdin=None, stdout=None) -> bool:
    """True when both ends are a terminal (a person is there to press keys)."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    try:
        return stdin.isatty() and stdout.isatty()
    except (AttributeError, ValueError):
        return False


@contextmanager
def keys(fd: int | None = None):
    """Put the terminal in cbreak mode (one key at a time, no echo) and yield
    a ``read()`` returning key names: ``"n"``, ``"enter"``, ``"right"``,
    ``"left"``, ``"backspace"``, ``"esc"``, or the character typed."""
    import termios
    import tty
    fd = sys.stdin.fileno() if fd is None else fd
    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)
        yield lambda: read_key(fd)
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def read_key(fd: int) -> str:
    ch = os.read(fd, 1)
    if not ch:
        return "eof"
    if ch == b"\x1b":
        seq = b""
        while select.select([fd], [], [], 0.05)[0]:
            seq += os.read(fd, 1)
            if seq[-1:].isalpha() or seq[-1:] == b"~" or len(seq) > 6:
                break
        return {b"[C": "right", b"OC": "right", b"[D": "left", b"OD": "left"}.get(seq, "esc")
    if ch in (b"\r", b"\n"):
        return "enter"
    if ch in (b"\x7f", b"\x08"):
        return "backspace"
    if ch in (b"\x03", b"\x04"):
        return "q"
    return ch.decode("utf-8", "replace")


def ask(prompt: str) -> str | None:
    """One line typed (or piped) in answer to ``prompt``; None at end of input."""
    sys.stdout.write(prompt)
    sys.stdout.flush()
    line = sys.stdin.readline()
    if not line:
        return None
    line = line.rstrip("\r\n")
    if not sys.stdin.isatty():      # piped: show what was read, as a terminal would have
        sys.stdout.write(line + "\n")
    return line


# ---------------------------------------------------------------------------
# the view
# ---------------------------------------------------------------------------

def _named_weight(text: str, sizes: list[int], N) -> tuple[int, int, int] | None:
    """The (L, I, J) whose symbol in notation N is ``text``, or None."""
    from .mark import normal
    want = normal(text)
    for L in range(1, len(sizes)):
        for I in range(sizes[L - 1]):
            for J in range(sizes[L]):
                if normal(N.w(L, I, J)) == want:
                    return L, I, J
    return None


def parse_weight(text: str, sizes: list[int], notation=None) -> tuple[int, int, int]:
    """``L:I:J`` → (L, I, J), checked against the layer sizes: w_ij runs from
    neuron I of layer L − 1 to neuron J of layer L (0-based, as events count).
    With a bound ``notation`` the weight may be named as that text names it
    (002's ``w_c2``, 004's ``w_i1j0``; spaces, braces and ``_`` ignored)."""
    parts = text.strip().split(":")
    if len(parts) != 3 or not all(p.strip().lstrip("-").isdigit() for p in parts):
        named = _named_weight(text, sizes, notation) if notation is not None else None
        if named is not None:
            return named
        raise ValueError(f"{text!r} is not L:I:J (e.g. 2:1:0)" +
                         (f" or a weight's name (e.g. {notation.w(1, 0, 0)})" if notation is not None else ""))
    L, I, J = (int(p) for p in parts)
    if not 1 <= L < len(sizes):
        raise ValueError(f"layer {L} has no incoming weights (1 … {len(sizes) - 1})")
    if not 0 <= I < sizes[L - 1]:
        raise ValueError(f"layer {L - 1} has neurons 0 … {sizes[L - 1] - 1}, not {I}")
    if not 0 <= J < sizes[L]:
        raise ValueError(f"layer {L} has neurons 0 … {sizes[L] - 1}, not {J}")
    return L, I, J


class StepView:
    """A replay plus everything drawn around it."""

    def __init__(self, net, events, view: View | None = None, samples: int = 1):
        self.net = net
        self.replay = Replay(net, events)
        # one view — the notation bound to this network, one number style — draws everything on
        # screen (with --round: every number exactly as carried, padded to the calculation's decimals)
        self.view = View.of(net) if view is None else view
        self.N = self.view.notation
        self.samples = samples
        self.message = ""
        self.prompt: str | None = None      # text typed after "b"
        self.breakpoint: tuple[int, int, int] | None = None
        self.help = False                   # the help screen is showing
        self._described: list = []          # events[k] described, Σ lines checked (notation.Shown)
        self._context = self.view.shown()

    def described(self, k: int):
        """Event k as the trace writes it (notation.Shown: a Σ line checked
        against the terms above it, softmax with its numbers)."""
        events = self.replay.events
        while len(self._described) <= k:
            self._described.append(self._context(events[len(self._described)]))
        return self._described[k]

    # -- moving ---------------------------------------------------------------
    def next(self) -> None:
        if not self.replay.forward():
            self.message = "end of the step — q shows the table"

    def previous(self) -> None:
        if self.replay.pos <= 0:
            self.message = "this is the first event"
            return
        self.replay.back()

    def goto(self, k: int | None, what: str) -> None:
        if k is None:
            self.message = f"no {what} after this event"
        else:
            self.replay.seek(k)

    def next_weight(self) -> None:
        self.goto(self.replay.find(lambda e: e.kind == "update_w"), "weight update")

    def next_layer(self) -> None:
        """To the first event of the next layer, as a person means it: the
        gradient and the update of a weight alternate (∂L/∂w, then w ← …) but
        are one layer's work, so they count as one section (see
        :func:`section`)."""
        cur = self.replay.event
        if cur is None:
            return self.next()
        here = section(cur)
        self.goto(self.replay.find(lambda e: section(e) != here), "layer")

    def to_end(self) -> None:
        self.replay.seek(len(self.replay) - 1)

    def to_breakpoint(self) -> None:
        target = self.breakpoint
        k = self.replay.find(lambda e: e.weight == target)
        L, I, J = target
        self.goto(k, f"event touching w {L}:{I}:{J}")

    def handle(self, key: str) -> bool:
        """Act on one key; False means quit."""
        self.message = ""
        if self.prompt is not None:
            return self._prompt_key(key)
        if self.help:                       # any key closes the help; q still quits
            self.help = False
            return key not in ("q", "eof")
        if key in ("?", "h"):
            self.help = True
        elif key in ("n", "enter", "right", " "):
            self.next()
        elif key in ("p", "left"):
            self.previous()
        elif key == "w":
            self.next_weight()
        elif key == "l":
            self.next_layer()
        elif key == "c":
            self.to_end()
        elif key == "b":
            self.prompt = ""
        elif key in ("q", "eof"):
            return False
        return True

    def _prompt_key(self, key: str) -> bool:
        if key == "esc":
            self.prompt = None
        elif key == "backspace":
            self.prompt = self.prompt[:-1]
        elif key == "enter":
            text, self.prompt = self.prompt, None
            if not text.strip() and self.breakpoint:
                self.to_breakpoint()
                return True
            try:
                self.breakpoint = parse_weight(text, self.net.sizes, self.N)
            except ValueError as e:
                self.message = str(e)
                return True
            self.to_breakpoint()
        elif len(key) == 1 and key.isprintable():       # L:I:J, or a weight's name (w_c2)
            self.prompt += key
        return True

    # -- drawing --------------------------------------------------------------
    def render(self, width: int, height: int):
        """The whole screen for a terminal of width × height: the network
        and the derivation; a compact view (no picture) below
        COMPACT_ROWS rows; one line saying so below MIN_ROWS."""
        if height < MIN_ROWS or width < 20:
            return Text(f"terminal too small ({width}×{height}); enlarge it, or q to quit",
                        no_wrap=True, overflow="ellipsis")
        if self.help:
            return self._help(width, height)
        if height < COMPACT_ROWS:
            return self._compact(width, height)
        return self._full(width, height)

    def _help(self, width: int, height: int):
        t = Table.grid(padding=(0, 2))
        t.add_column(no_wrap=True, style="bold")
        t.add_column()
        for k, what in KEYS:
            t.add_row(k, what)
        if height < COMPACT_ROWS:     # no room for a frame
            return Group(Text("keys (any key closes this):", style="bold"), t)
        return Panel(t, title="keys (any key closes this)", title_align="left", border_style="cyan")

    def _compact(self, width: int, height: int):
        """Few rows: the current term (and the ones before, as room allows)
        over a one-line footer — no picture, nothing that needs height."""
        r = self.replay
        e = r.event
        lines: list[Text] = [Text(self._title(e), style="bold", no_wrap=True, overflow="ellipsis")]
        room = height - 2
        if e is None:
            body = ["Press n to compute the first term."]
        else:
            body = [self.described(k).line() for k in range(max(0, r.pos - room + 1), r.pos + 1)]
        for k, line in enumerate(body[-room:]):
            last = k == len(body[-room:]) - 1
            lines.append(Text(line, style="" if last else "dim", no_wrap=True, overflow="ellipsis"))
        foot = Text(f"event {r.pos + 1} of {len(r)}", style="bold", no_wrap=True, overflow="ellipsis")
        if self.prompt is not None:
            foot.append(f"  break L:I:J > {self.prompt}█")
        elif self.message:
            foot.append("  " + self.message, style="bold red")
        else:
            foot.append("  ? help  q quit", style="dim")
        lines.append(foot)
        return Group(*lines)

    def _full(self, width: int, height: int):
        r = self.replay
        e = r.event
        focus = source = None
        changed = None
        w = None
        if e is not None and e.neuron >= 0:
            focus = (e.layer, e.neuron)
            changed = _CHANGES.get(e.kind)
            w = e.weight
            if w is not None:
                focus, source = e.along
        # side by side when the whole network fits beside a derivation of
        # DERIVATION_MIN columns; else one above the other (the picture then
        # leaves out layers rather than cut a number, picture.layout)
        need = picture.neurons_width(self.net, self.view)
        side = width >= 120 and width - need >= DERIVATION_MIN
        net_w = min(max(need, width // 2), width - DERIVATION_MIN) if side else width
        footer_h = 2
        if side:
            net_h = deriv_h = height - footer_h
        else:   # the network gets what it needs, the derivation at least 6 lines
            net_h = min(picture.neurons_height(self.net, net_w, self.view), height - footer_h - 6)
            deriv_h = height - footer_h - net_h
        get = lambda name, l, j: r.get(name, l, j)   # noqa: E731
        drawing = picture.neurons(self.net, get, self.view, net_w, net_h,
                                  focus=focus, source=source, changed=changed)
        inner = (width - net_w if side else width) - 4          # the panel's border and padding
        deriv = Panel(self._derivation(e, w, deriv_h - 2, inner), title=Text(self._title(e)), title_align="left",
                      border_style="cyan")
        layout = Layout()
        layout.split_column(Layout(name="main"), Layout(self._footer(), name="footer", size=footer_h))
        if side:
            layout["main"].split_row(Layout(drawing, size=net_w), Layout(deriv))
        else:
            layout["main"].split_column(Layout(drawing, size=net_h), Layout(deriv, size=deriv_h))
        return layout

    def _title(self, e) -> str:
        if e is None:
            return "before the step"
        where = self.N.layer_name(e.layer)
        if e.neuron >= 0:
            where += f", {picture.neuron_title(self.net, e.layer, e.neuron, self.N)}"
        sample = "" if self.samples == 1 else (" · batch" if e.sample < 0 else f" · sample {e.sample}")
        # the term as the notation writes it (not the engine's kind, update_w, dL_da …)
        return f"{e.phase} · {self.described(self.replay.pos).lhs} · {where}{sample}"

    def _derivation(self, e, w, lines: int, width: int = 76):
        """The current term's derivation in ``lines`` rows of ``width``
        columns, its result line always among them: the weight's header and
        the earlier terms (dimmed, most recent last) take only the rows the
        derivation, as wrapped, leaves."""
        if e is None:
            return Text("Press n to compute the first term.")
        now = picture.Derivation(self.described(self.replay.pos))
        rows = _rows(now, width)
        if rows >= lines:           # no room for more: the derivation's last rows, its result among them
            return _last_rows(now, width, max(lines, 1))
        parts = [now]
        if w is not None:
            L, I, J = w
            r = self.replay
            N = self.N
            head = Text(no_wrap=False)
            head.append(f"{N.w(L, I, J)} ", style="bold")
            head.append(f"({picture.label(self.net, L - 1, I, N)} → {picture.label(self.net, L, J, N)}):  ")
            head.append(f"{N.w(L, I, J)} = {self.view.fmt(r.get('w', L, I, J))}   "
                        f"{N.grad_w(L, I, J)} = {self.view.fmt(r.get('grad_w', L, I, J))}")
            if rows + _rows(head, width) <= lines:
                parts.insert(0, head)
                rows += _rows(head, width)
        # each earlier term as "symbol = value" (its formula was shown when it was current)
        r = self.replay
        before: list[str] = []
        for k in range(r.pos - 1, -1, -1):
            line = picture.summary_of(self.described(k))
            h = _rows(Text(line), width)
            if rows + h > lines:
                break
            before.insert(0, line)
            rows += h
        if before:
            parts.insert(0, Text("\n".join(before), style="dim"))
        return Group(*parts)

    def _footer(self) -> Text:
        r = self.replay
        e = r.event
        t = Text()
        pos = f"event {r.pos + 1} of {len(r)}"
        t.append(pos, style="bold")
        if e is not None:
            t.append(f" · {e.phase}")
        if self.breakpoint:
            t.append(" · break at w {}:{}:{}".format(*self.breakpoint))
        if self.prompt is not None:
            t.append("   breakpoint L:I:J ⏎ (empty: last, esc: cancel) > ", style="bold")
            t.append(self.prompt + "█")
        elif self.message:
            t.append("   " + self.message, style="bold red")
        t.append("\n" + KEYS_HELP, style="dim")
        return t


_MEASURE = Console(file=io.StringIO(), width=1000, color_system=None)   # measures, never prints


def _rows(text, width: int) -> int:
    """Rows ``text`` (a Text, or a picture.Derivation) takes at ``width`` columns."""
    if hasattr(text, "lines"):
        return len(text.lines(max(width, 1)))
    return len(text.wrap(_MEASURE, max(width, 1)))


def _last_rows(d, width: int, n: int) -> Text:
    """The last ``n`` rows of derivation ``d`` at ``width``: a derivation
    taller than its panel keeps its result, not its first line."""
    return Text("\n").join(d.lines(max(width, 1))[-n:])


def section(e) -> tuple:
    """The part of a step an event belongs to, as a person names it: a
    phase of one layer of one sample — with the gradient and the update of a
    layer's weights one section (they alternate weight by weight), and
    the biases after them, layer by layer again."""
    phase = "gradient" if e.phase == "update" else e.phase
    part = "biases" if e.kind.endswith("_b") else ""     # the passes do all weights, then all biases
    return (phase, part, e.layer, e.sample)


@contextmanager
def _on_resize():
    """A pipe that becomes readable when the terminal is resized (SIGWINCH),
    so the key loop can redraw at once instead of at the next key."""
    import signal
    r, w = os.pipe()
    os.set_blocking(w, False)

    def handler(signum, frame):
        try:
            os.write(w, b"r")
        except OSError:
            pass
    try:
        old = signal.signal(signal.SIGWINCH, handler)
    except (ValueError, AttributeError):     # not the main thread / no SIGWINCH
        old = None
    try:
        yield r
    finally:
        if old is not None:
            signal.signal(signal.SIGWINCH, old)
        os.close(r)
        os.close(w)


def run_interactive(view: StepView, console: Console, fd: int | None = None) -> int:
    """The key loop: draw, wait for a key or a resize, act, until q."""
    fd = sys.stdin.fileno() if fd is None else fd
    with keys(fd) as read, _on_resize() as resized, Live(console=console, screen=True, auto_refresh=False,
                                                           redirect_stdout=False, redirect_stderr=False) as live:
        view.next()
        while True:
            size = console.size
            live.update(view.render(size.width, size.height), refresh=True)
            ready = select.select([fd, resized], [], [])[0]
            if resized in ready:
                os.read(resized, 64)        # drain; the loop redraws at the new size
                if fd not in ready:
                    continue
            if not view.handle(read()):
                break
    return view.replay.pos


# ---------------------------------------------------------------------------
# the plain path and the closing table
# ---------------------------------------------------------------------------

def print_events(events, view: View, write) -> None:
    """Every event, in order, one line each: ``k/n phase: …`` (as ``view``
    writes it; each Σ line checked against the terms above it, as the
    trace and the screen check it)."""
    n = len(events)
    shown = view.shown()
    for k, e in enumerate(events, 1):
        write(f"{k}/{n} {e.phase}: {shown(e).line()}\n")


def table(net, events, max_rows: int = 40) -> Table:
    """Every weight and bias of the step: old, gradient, new (from the update
    events).  Layers with more than ``max_rows`` parameters show the ones
    with the largest |gradient| and say how many are left out."""
    rows = updates(events)
    t = Table(title="the step: every weight and bias (new = old − η·gradient)", title_justify="left")
    t.add_column("parameter", no_wrap=True, max_width=26, overflow="ellipsis")
    for name in ("old", "gradient", "new"):
        t.add_column(name, justify="right", no_wrap=True, min_width=12)
    by_layer: dict = {}
    for row in rows:
        by_layer.setdefault((row[0], row[1]), []).append(row)
    order = sorted(by_layer, key=lambda k: (k[1], k[0] != "update_w"))
    for key in order:
        group = by_layer[key]
        shown = group
        if len(group) > max_rows:
            shown = sorted(group, key=lambda r: -abs(r[5]))[:max_rows // 4]
            shown.sort(key=lambda r: group.index(r))
        for kind, L, I, J, old, grad, new in shown:
            if kind == "update_w":
                name = f"w {L}:{I}:{J} {picture.label(net, L - 1, I)}→{picture.label(net, L, J)}"
            else:
                name = f"b {L}:{J} {picture.label(net, L, J)}"
            t.add_row(Text(name), *(fmt(v, 10) for v in (old, grad, new)))
        if len(shown) < len(group):
            what = "weights" if key[0] == "update_w" else "biases"
            t.add_row(Text(f"… {len(group) - len(shown)} more {what}", style="dim italic"), "", "", "")
            t.caption = "big layers: only the largest |gradient| are listed"
    return t
