"""A batch that cannot go stale (issue 14): interrupts during the write-out, refusals, file modes, one writer per
OUT, files known by their resolved path, earlier files kept or pruned, honest counts."""
from __future__ import annotations

import csv
import errno
import os
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import openpyxl
import pytest

from jixiao import exports
from jixiao.batch import Options, UsageError, run_batch
from jixiao.cli import main
from jixiao.lock import OutputLock
from jixiao.store import report_folder_name
from jixiao.normalize.schema import TABLES

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
TXT = sorted(SAMPLES.glob("*.txt"))


def make_inputs(folder: Path, n: int) -> list[Path]:
    """n distinct .txt reports (a trailing line of spaces makes each copy's bytes differ)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = folder / f"r{i:02d}.txt"
        path.write_bytes(TXT[i % len(TXT)].read_bytes() + b"\n" + b" " * (i + 1) + b"\n")
        paths.append(path)
    return paths


def csv_rows(path: Path) -> int:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return sum(1 for _ in csv.reader(fh)) - 1


def workbook_rows(path: Path) -> dict[str, int]:
    book = openpyxl.load_workbook(path, read_only=True)
    return {name: sum(1 for _ in book[name].values) - 1 for name in book.sheetnames}


def assert_outputs_agree(out: Path, n_files: int) -> None:
    """jixiao.sqlite, every CSV, audit.xlsx and the per-report folders describe the same files."""
    conn = sqlite3.connect(out / "jixiao.sqlite")
    counts = {table: conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in TABLES}
    assert counts["reports"] == n_files
    book = workbook_rows(out / "audit.xlsx")
    assert book["summary"] == n_files
    for table, count in counts.items():
        assert csv_rows(out / f"{table}.csv") == count, table
        assert book[table] == count, table
    folders = {p.name for p in (out / "reports").iterdir()}
    assert folders == {report_folder_name(p, rid) for p, rid in conn.execute("SELECT source_path, report_id "
                                                                             "FROM reports")}
    assert not list(out.rglob("*.tmp")) and not list(out.glob(".jixiao-xlsx-*"))


def jixiao_command() -> list[str]:
    script = Path(sys.executable).with_name("jixiao")
    return [str(script)] if script.exists() else [sys.executable, "-m", "jixiao.cli"]


@contextmanager
def hooked_run(tmp_path: Path, out: Path, hook_code: str, **env: str) -> Iterator[subprocess.Popen]:
    """`jixiao run tmp_path/in -o out --jobs 1` with hook_code as its sitecustomize, given once the hook has made
    the file named by the env variable ending in _MARKER; killed (its whole group) if still running afterwards."""
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(hook_code)
    marker = Path(next(value for name, value in env.items() if name.endswith("_MARKER")))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(hook), os.environ.get("PYTHONPATH", "")]), **env}
    proc = subprocess.Popen(jixiao_command() + ["run", str(tmp_path / "in"), "-o", str(out), "--quiet",
                                                "--jobs", "1"],
                            env=env, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 600  # a safety limit, not a timing: a loaded CI machine is slow
        while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marker.exists(), proc.stderr.read() if proc.poll() is not None else "never reached the hook"
        yield proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)


PAUSE_IN_WRITE_OUT = """\
import os, time
import jixiao.exports as ex
_write_csv = ex.write_csv
def write_csv(target, *args, **kwargs):
    count = _write_csv(target, *args, **kwargs)
    if str(target).endswith(os.environ["PAUSE_AFTER"]):
        open(os.environ["PAUSE_MARKER"], "w").close()
        time.sleep(120)
    return count
ex.write_csv = write_csv
"""


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL, signal.SIGTERM])
def test_stopped_during_the_write_out_then_rerun_all_outputs_agree(tmp_path, sig):
    inputs = make_inputs(tmp_path / "in", 8)
    out = tmp_path / "out"
    assert main(["run", *map(str, inputs[:3]), "-o", str(out), "--quiet"]) == 0  # the batch holds 3 reports
    marker = tmp_path / "paused"
    with hooked_run(tmp_path, out, PAUSE_IN_WRITE_OUT, PAUSE_AFTER="reports.csv", PAUSE_MARKER=str(marker)) as proc:
        os.killpg(proc.pid, sig)  # as Ctrl-C does: the whole process group
        _, err = proc.communicate(timeout=300)
    # stopped half-way through the write-out: reports.csv already holds 8 files, audit.xlsx still 3
    assert csv_rows(out / "reports.csv") == 8 and workbook_rows(out / "audit.xlsx")["summary"] == 3
    if sig == signal.SIGKILL:
        assert proc.returncode == -signal.SIGKILL
    else:
        assert proc.returncode == (130 if sig == signal.SIGINT else 143)
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("jixiao run: "), err  # one line, never a traceback
        assert "run the same command again" in lines[0]

    rerun = subprocess.run(jixiao_command() + ["run", str(tmp_path / "in"), "-o", str(out)],
                           capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert "8 files: 0 processed, 8 unchanged" in rerun.stdout
    assert "(unchanged" not in rerun.stdout  # the outputs were stale: rewritten, not called unchanged
    assert_outputs_agree(out, 8)
    again = subprocess.run(jixiao_command() + ["run", str(tmp_path / "in"), "-o", str(out)],
                           capture_output=True, text=True)
    assert "(unchanged: already current)" in again.stdout


STOP_IN_A_FINALIZER = """\
import gc, os, time
import jixiao.store as st
_save = st.Store.save
class Finalizer:  # a garbage cycle whose __del__ runs Python code long enough for a signal to land in it
    def __init__(self):
        self.cycle = self
    def __del__(self):
        open(os.environ["STOP_MARKER"], "w").close()
        deadline = time.monotonic() + 60  # the signal's handler runs here, in this loop
        while time.monotonic() < deadline:
            pass
calls = []
def save(self, *args, **kwargs):
    saved = _save(self, *args, **kwargs)
    calls.append(1)
    if len(calls) == 2:  # the second file stored: the collector runs the finalizer
        Finalizer()
        gc.collect()
    return saved
st.Store.save = save
"""


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_landing_in_a_finalizer_still_stops_the_run(tmp_path, sig):
    # the handler raises; Python swallows an exception raised in a __del__ ("Exception ignored in ..."): the run
    # carried on to the end, exit status 0, as if never stopped
    make_inputs(tmp_path / "in", 6)
    out = tmp_path / "out"
    with hooked_run(tmp_path, out, STOP_IN_A_FINALIZER, STOP_MARKER=str(tmp_path / "in-finalizer")) as proc:
        os.kill(proc.pid, sig)  # the main process only, as `kill PID` does
        _, err = proc.communicate(timeout=300)
    assert proc.returncode == (143 if sig == signal.SIGTERM else 130), err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("jixiao run: "), err  # one line: no "Exception ignored" either
    assert "run the same command again" in lines[0]
    stored = sqlite3.connect(out / "jixiao.sqlite").execute("SELECT COUNT(*) FROM reports").fetchone()[0]
    assert 2 <= stored < 6  # stopped after the file it was storing, before the rest

    rerun = subprocess.run(jixiao_command() + ["run", str(tmp_path / "in"), "-o", str(out)],
                           capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert f"6 files: {6 - stored} processed, {stored} unchanged" in rerun.stdout
    assert_outputs_agree(out, 6)


def fill_the_disk(monkeypatch, name: str | None = None) -> None:
    """Writing a batch CSV (the one named, or any) fails as on a full disk, whether from the database or from the
    per-report CSVs."""
    for writer in ("write_csv", "write_csv_parts"):
        def full_disk(target, *args, _original=getattr(exports, writer), **kwargs):
            if name is None or Path(target).name == name:
                raise OSError(errno.ENOSPC, "No space left on device", str(target))
            return _original(target, *args, **kwargs)
        monkeypatch.setattr(exports, writer, full_disk)


def test_a_failed_output_is_rewritten_by_the_next_run(tmp_path, monkeypatch):
    make_inputs(tmp_path / "in", 4)
    out = tmp_path / "out"
    fill_the_disk(monkeypatch, "flags.csv")
    code = main(["run", str(tmp_path / "in"), "-o", str(out), "--quiet"])
    assert code == 2
    monkeypatch.undo()
    assert not list(out.rglob("*.tmp"))  # nothing half-written
    result = run_batch(Options(paths=[str(tmp_path / "in")], out=str(out), jobs=1))
    assert result.processed == 0 and "flags.csv" in result.written
    assert_outputs_agree(out, 4)


def test_no_space_left_is_one_line_naming_path_and_cause(tmp_path, monkeypatch, capsys):
    make_inputs(tmp_path / "in", 2)
    out = tmp_path / "out"

    fill_the_disk(monkeypatch)
    assert main(["run", str(tmp_path / "in"), "-o", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"jixiao run: cannot write {out / 'reports.csv'}: No space left on device"]


def test_out_is_a_file_or_unwritable_is_refused(tmp_path, capsys):
    make_inputs(tmp_path / "in", 1)
    (tmp_path / "file").write_text("x")
    assert main(["run", str(tmp_path / "in"), "-o", str(tmp_path / "file")]) == 2
    assert capsys.readouterr().err.strip() == f"jixiao run: output {tmp_path / 'file'} exists and is not a folder"
    locked = tmp_path / "readonly"
    locked.mkdir()
    made_readonly = os.geteuid() == 0 and shutil.which("chattr") and \
        subprocess.run(["chattr", "+i", str(locked)], capture_output=True).returncode == 0
    if not made_readonly:
        locked.chmod(0o555)
    try:
        if os.access(locked, os.W_OK) and not made_readonly:
            pytest.skip("cannot make a folder unwritable here (root without chattr)")
        assert main(["run", str(tmp_path / "in"), "-o", str(locked)]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith(f"jixiao run: cannot write to the output folder {locked}: ")
        assert err[0].endswith(("Operation not permitted", "Permission denied", "Read-only file system"))
    finally:
        if made_readonly:
            subprocess.run(["chattr", "-i", str(locked)])
        locked.chmod(0o755)
    assert list(locked.iterdir()) == []  # nothing half-written


def test_outputs_get_the_mode_the_umask_gives(tmp_path):
    make_inputs(tmp_path / "in", 2)
    out = tmp_path / "out"
    old = os.umask(0o022)
    try:
        run_batch(Options(paths=[str(tmp_path / "in")], out=str(out), jobs=1, jsonl=True))
    finally:
        os.umask(old)
    files = [p for p in out.rglob("*") if p.is_file() and not p.name.startswith(".")]
    assert len(files) > 20
    assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in files if stat.S_IMODE(p.stat().st_mode) != 0o644} == {}


def test_one_writer_per_out_and_a_dead_holder_does_not_block(tmp_path):
    make_inputs(tmp_path / "in", 1)
    out = tmp_path / "out"
    out.mkdir()
    with OutputLock(out):
        with pytest.raises(UsageError, match=rf"{out} is in use by another jixiao run \(pid {os.getpid()}, "):
            run_batch(Options(paths=[str(tmp_path / "in")], out=str(out), jobs=1))
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time; from jixiao.lock import OutputLock; "
                               f"OutputLock({str(out)!r}).acquire(); print('held', flush=True); time.sleep(600)"],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    with pytest.raises(UsageError, match="in use"):
        run_batch(Options(paths=[str(tmp_path / "in")], out=str(out), jobs=1))
    holder.kill()  # kill -9: the lock dies with its holder
    holder.wait()
    assert run_batch(Options(paths=[str(tmp_path / "in")], out=str(out), jobs=1)).processed == 1


def test_files_are_known_by_resolved_path_and_keep_their_spelling(tmp_path, monkeypatch):
    make_inputs(tmp_path / "in", 3)
    out = tmp_path / "out"
    monkeypatch.chdir(tmp_path)
    first = run_batch(Options(paths=["in"], out=str(out), jobs=1))
    assert first.processed == 3
    second = run_batch(Options(paths=[f"{tmp_path}/./in/", "in/r00.txt"], out=str(out), jobs=1))
    assert (second.files, second.processed) == (3, 0)  # the same files, however spelled
    conn = sqlite3.connect(out / "jixiao.sqlite")
    assert [p for (p,) in conn.execute("SELECT source_path FROM reports ORDER BY 1")] == \
        ["in/r00.txt", "in/r01.txt", "in/r02.txt"]  # as the user typed them


def test_earlier_files_are_kept_unless_pruned_and_the_summary_says_so(tmp_path, capsys):
    inputs = make_inputs(tmp_path / "in", 4)
    out = tmp_path / "out"
    assert main(["run", str(tmp_path / "in"), "-o", str(out), "--quiet"]) == 0
    assert main(["run", str(inputs[0]), "-o", str(out)]) == 0  # a subset: the others stay
    text = capsys.readouterr().out
    assert "kept: 3 files of earlier runs not among these inputs (--prune removes them)" in text
    assert_outputs_agree(out, 4)
    inputs[3].unlink()
    assert main(["run", str(inputs[0]), "-o", str(out), "--prune"]) == 0
    text = capsys.readouterr().out
    assert "removed from the outputs: 3 files of earlier runs" in text
    assert f"    {inputs[1]}: not among the inputs (--prune)" in text
    assert f"    {inputs[3]}: no longer exists" in text
    assert_outputs_agree(out, 1)


def test_copies_read_once_and_progress_counts_what_the_summary_counts(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(6):
        shutil.copy(TXT[-1], folder / f"copy{i}.txt")  # seed 004: flags
    out = tmp_path / "out"
    assert main(["run", str(folder), "-o", str(out), "--jobs", "2"]) == 0
    captured = capsys.readouterr()
    n_flags = sqlite3.connect(out / "jixiao.sqlite").execute("SELECT COUNT(*) FROM flags").fetchone()[0]
    assert n_flags > 0
    bars = [line for line in captured.err.replace("\r", "\n").splitlines() if line.startswith("jixiao: 100%")]
    assert bars and bars[-1].endswith(f"flags={n_flags}]")  # not 6 × the flags of one report
    assert f"  flags: {n_flags} " in captured.out
    assert "6 files: 6 processed, 0 unchanged" in captured.out
    assert "  read: 1; the other 5 processed files are byte-identical copies of those (read once, one row each)" \
        in captured.out
