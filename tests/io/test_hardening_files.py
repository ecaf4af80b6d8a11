"""The one reader and the one writer of
user-named files (neuronet/io/files.py), through the commands as typed.

Writing: every command that writes a file (show --svg/--html, train --out,
verify --export/--save, bench --json) goes through files.atomic_write, so the
classes are tested on a few of them; reading: spec, --data and quiz --answers
all go through files.read_bytes."""
import errno
import json
import os
import stat

import pytest

from inproc import one_line, run

GOOD = {"loss": "half_sse", "layers": [
    {"size": 2},
    {"size": 2, "activation": "sigmoid", "weights": [[0.1, 0.2], [0.3, 0.4]], "biases": [0.0, 0.0]},
    {"size": 1, "activation": "sigmoid", "weights": [[0.5], [0.6]]},
]}
SAMPLE = ("--input", "1,0", "--target", "1")


@pytest.fixture
def good(tmp_path):
    p = tmp_path / "good.json"
    p.write_text(json.dumps(GOOD))
    return p


# the writers, each as a user types it; {out} is the target
WRITERS = {
    "show --svg": ["show", "{spec}", "--svg", "{out}"],
    "show --html": ["show", "{spec}", "--html", "{out}"],
    "train --out": ["train", "{spec}", *SAMPLE, "--lr", "0.5", "--epochs", "1", "--out", "{out}"],
    "verify --export": ["verify", "{spec}", *SAMPLE, "--export", "{out}"],
}


def _argv(writer, spec, out):
    return [a.replace("{spec}", str(spec)).replace("{out}", str(out)) for a in WRITERS[writer]]


def _no_temp_left(folder):
    assert not [p for p in os.listdir(folder) if p.endswith(".tmp")], os.listdir(folder)


SPECIAL_TARGETS = {
    "/dev/null": ("/dev/null", "is a character device"),
    "/dev/full": ("/dev/full", "is a character device"),
    "a FIFO": ("fifo", "is a FIFO"),
    "a directory": ("adir", "is a directory"),
}


@pytest.mark.parametrize("writer", sorted(WRITERS))
@pytest.mark.parametrize("target", sorted(SPECIAL_TARGETS))
def test_non_regular_targets_are_refused_and_left_alone(tmp_path, good, writer, target):
    path, needle = SPECIAL_TARGETS[target]
    if path == "fifo":
        path = tmp_path / "fifo"
        os.mkfifo(path)
    elif path == "adir":
        path = tmp_path / "adir"
        path.mkdir()
    before = os.stat(path)
    line = one_line(run(*_argv(writer, good, path)), 2, str(path), needle)
    after = os.stat(path)
    assert (before.st_mode, before.st_ino, before.st_rdev) == (after.st_mode, after.st_ino, after.st_rdev), line
    _no_temp_left(tmp_path)


@pytest.mark.parametrize("writer", sorted(WRITERS))
@pytest.mark.parametrize("target, needle", [
    ("", "empty file name"),
    ("missing/dir/out.json", "the folder missing/dir does not exist"),
])
def test_unwritable_names_are_one_line(tmp_path, good, writer, target, needle, monkeypatch):
    monkeypatch.chdir(tmp_path)
    one_line(run(*_argv(writer, good, target)), 2, needle)
    _no_temp_left(tmp_path)


@pytest.mark.parametrize("writer", sorted(WRITERS))
@pytest.mark.parametrize("err, needle", [
    (errno.ENOSPC, "no space left on the device"),
    (errno.EIO, "Input/output error"),
])
def test_a_failing_write_is_one_line_and_leaves_nothing(tmp_path, good, writer, err, needle, monkeypatch):
    # a full disk cannot be made on demand: os.write fails the way it does on one
    out = tmp_path / "out.json"
    out.write_text("old\n")
    import neuronet.io.files as files
    real_write = os.write

    def full(fd, data):
        if fd > 2:
            raise OSError(err, os.strerror(err))
        return real_write(fd, data)
    monkeypatch.setattr(files.os, "write", full)
    one_line(run(*_argv(writer, good, out)), 2, str(out), needle)
    assert out.read_text() == "old\n"
    _no_temp_left(tmp_path)


def test_a_read_only_folder_is_one_line(tmp_path, good, monkeypatch):
    # the tests may run as root, for whom no folder is read-only: deny the way the kernel does
    import neuronet.io.files as files
    monkeypatch.setattr(files.os, "access", lambda p, mode: False)
    one_line(run("show", good, "--svg", tmp_path / "x.svg"), 2, "x.svg", "permission denied")
    monkeypatch.undo()

    def denied(*a, **k):
        raise PermissionError(errno.EACCES, "Permission denied")
    monkeypatch.setattr(files.tempfile, "mkstemp", denied)
    one_line(run("show", good, "--svg", tmp_path / "x.svg"), 2, "x.svg", "permission denied")
    assert not (tmp_path / "x.svg").exists()


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_a_symlink_target_is_written_and_the_link_kept(tmp_path, good, writer):
    real = tmp_path / "real.out"
    real.write_text("old\n")
    link = tmp_path / "link.out"
    link.symlink_to(real.name)
    r = run(*_argv(writer, good, link))
    assert r.returncode == 0, r.stderr
    assert link.is_symlink() and os.readlink(link) == real.name
    assert real.read_text() != "old\n" and real.read_text() == link.read_text()
    _no_temp_left(tmp_path)


@pytest.mark.parametrize("writer", sorted(WRITERS))
@pytest.mark.parametrize("mode", [0o644, 0o640, 0o600, 0o664])
def test_an_existing_file_keeps_its_mode(tmp_path, good, writer, mode):
    out = tmp_path / "out.file"
    out.write_text("old\n")
    out.chmod(mode)
    assert run(*_argv(writer, good, out)).returncode == 0
    assert stat.S_IMODE(out.stat().st_mode) == mode


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_a_new_file_honours_the_umask(tmp_path, good, umask):
    old = os.umask(umask)
    try:
        assert run("show", good, "--svg", tmp_path / "new.svg").returncode == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.svg").stat().st_mode) == 0o666 & ~umask


# ---------------------------------------------------------------------------
# reading
# ---------------------------------------------------------------------------

READERS = {
    "spec": lambda f, good: ["grads", f, *SAMPLE],
    "--data": lambda f, good: ["grads", good, "--data", f],
    "quiz --answers": lambda f, good: ["quiz", good, *SAMPLE, "--answers", f, "--seed", "1"],
}


@pytest.mark.parametrize("reader", sorted(READERS))
@pytest.mark.parametrize("source, needle", [
    ("/dev/zero", "is a character device, not a regular file"),
    ("/dev/urandom", "is a character device, not a regular file"),
    ("fifo", "is a FIFO (named pipe), not a regular file"),
    ("adir", "is a directory"),
    ("", "empty file name"),
    ("absent.json", "no such file"),
])
def test_inputs_that_are_not_regular_files(tmp_path, good, reader, source, needle):
    if source == "fifo":
        source = tmp_path / "fifo"
        os.mkfifo(source)                 # no writer: reading it would block forever
    elif source == "adir":
        source = tmp_path / "adir"
        source.mkdir()
    elif source == "absent.json":
        source = tmp_path / source
    one_line(run(*READERS[reader](source, good)), 2, needle)


@pytest.mark.parametrize("reader", sorted(READERS))
def test_the_size_cap_and_its_override(tmp_path, good, reader):
    f = tmp_path / "big.csv"
    f.write_text("x1,x2,y1\n" + "1,0,1\n" * 200_000)          # 1.2 MB
    small = {"NEURONET_MAX_FILE_MB": "1"}
    line = one_line(run(*READERS[reader](f, good), env=small), 2, "big.csv", "1,048,576 bytes",
                    "NEURONET_MAX_FILE_MB")
    assert "1,200,009 bytes" in line
    r = run(*READERS[reader](f, good), env={"NEURONET_MAX_FILE_MB": "2"})
    assert "more than the limit" not in r.stderr


@pytest.mark.parametrize("value", ["0", "-1", "lots", "nan"])
def test_a_bad_size_cap_setting_is_one_line(good, value):
    one_line(run("grads", good, *SAMPLE, env={"NEURONET_MAX_FILE_MB": value}), 2, "NEURONET_MAX_FILE_MB")


BOM = "\ufeff"


@pytest.mark.parametrize("name, text, argv", [
    ("net.json", BOM + json.dumps(GOOD), lambda f, good: ["grads", f, *SAMPLE]),
    ("net.toml", BOM + '[[layers]]\nsize = 2\n[[layers]]\nsize = 1\nweights = [[0.5], [0.6]]\n',
     lambda f, good: ["grads", f, *SAMPLE]),
    ("d.csv", BOM + "x1,x2,y1\n1,0,1\n", lambda f, good: ["grads", good, "--data", f]),
    ("d.json", BOM + '{"inputs": [[1, 0]], "targets": [[1]]}', lambda f, good: ["grads", good, "--data", f]),
])
def test_a_utf8_bom_is_accepted(tmp_path, good, name, text, argv):
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    r = run(*argv(f, good))
    assert r.returncode == 0, r.stderr
    if name.endswith(".csv") or name == "d.json" or name == "net.json":
        # the same numbers as without the BOM (the CSV's first column is x1, not dropped)
        f.write_text(text[1:], encoding="utf-8")
        assert run(*argv(f, good)).stdout == r.stdout


def test_answers_that_are_not_text_are_one_line(tmp_path, good):
    f = tmp_path / "answers.bin"
    f.write_bytes(b"\x00\xff\xfe binary")
    one_line(run("quiz", good, *SAMPLE, "--answers", f), 2, "answers.bin", "is not UTF-8 text")


@pytest.mark.parametrize("target, needle", [
    ("/dev/full", "is a character device"),
    ("", "empty file name"),
    ("missing/b.json", "the folder missing does not exist"),
])
def test_bench_refuses_a_bad_json_target_before_timing(tmp_path, target, needle, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = run("bench", "--json", target)
    one_line(r, 2, needle)
    assert r.stdout == ""              # nothing was timed


@pytest.mark.parametrize("width, ok", [("1000", True), ("1001", False), ("100000000", False), ("0", False)])
def test_show_width_is_bounded(tmp_path, good, width, ok):
    r = run("show", good, "--svg", tmp_path / "w.svg", "--width", width)
    if ok:
        assert r.returncode == 0, r.stderr
    else:
        one_line(r, 2, "argument --width")


@pytest.mark.parametrize("name", ["a\nb.json", "tab\there.json", "cr\r.json"])
def test_a_file_name_with_control_characters_stays_one_line(tmp_path, name):
    line = one_line(run("grads", tmp_path / name, *SAMPLE), 2, "no such file")
    assert name.replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r") in line
