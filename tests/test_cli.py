"""`jixiao run / check / flags` end to end: a 200+ file tree, in-process and as a subprocess, killed and resumed."""
from __future__ import annotations

import csv
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pyarrow.parquet as pq
import pytest

from jixiao.cli import main
from jixiao.store import report_folder_name
from jixiao.text_table import display_width, render
from jixiao.normalize.flags import catalogue
from jixiao.normalize.schema import TABLES

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
COPIES_PER_TXT = 40  # 5 seeds x 40 = 200 .txt files, one in ten with changed bytes
KILL_AFTER = 15  # files done before the subprocess is killed


def build_corpus(root: Path) -> tuple[list[str], list[str]]:
    """A nested tree of report copies and odd files. Returns (input paths, paths that must be skipped)."""
    inputs: list[Path] = []
    for s, seed in enumerate(sorted(SAMPLES.glob("*.txt"))):
        text = seed.read_bytes()
        for i in range(COPIES_PER_TXT):
            folder = root / f"省级 部门{s}" / f"{2020 + i % 3}年" / ("项目" if i % 2 else "整体")
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"绩效自评 报告{i:02d}.txt"
            path.write_bytes(text + (f"\n附注{i}。\n".encode() if i % 10 == 0 else b""))
            inputs.append(path)
    others = root / "其他 files"
    others.mkdir()
    for seed in sorted(SAMPLES.glob("*.docx")) + sorted(SAMPLES.glob("*.pdf")):
        inputs.append(Path(shutil.copy(seed, others / seed.name)))
    docx = sorted(SAMPLES.glob("*.docx"))
    pdf = sorted(SAMPLES.glob("*.pdf"))
    if docx:
        inputs.append(Path(shutil.copy(docx[0], others / "renamed 报告.doc")))
    if pdf:
        inputs.append(Path(shutil.copy(pdf[0], others / "no_extension")))
    (others / "empty.txt").write_bytes(b"")
    (others / "random.bin").write_bytes(random.Random(7).randbytes(5000))
    (others / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n" + random.Random(8).randbytes(2000))
    inputs += [others / "empty.txt", others / "random.bin", others / "picture.png"]
    skipped = [others / "~$renamed 报告.docx", others / ".hidden.txt"]
    for path in skipped:
        path.write_bytes(b"x")
    return sorted(str(p) for p in inputs), [str(p) for p in skipped]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus") / "报告 库"
    inputs, skipped = build_corpus(root)
    assert len(inputs) >= 200
    return root, inputs, skipped


def csv_count(path: Path) -> int:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return sum(1 for _ in csv.reader(fh)) - 1


def assert_complete(out: Path, inputs: list[str]) -> sqlite3.Connection:
    """Every input exactly once in reports; SQLite, CSVs and per-report folders agree."""
    conn = sqlite3.connect(out / "jixiao.sqlite")
    paths = [row[0] for row in conn.execute("SELECT source_path FROM reports ORDER BY source_path")]
    assert paths == inputs
    for table, columns in TABLES.items():
        assert [row[1] for row in conn.execute(f"PRAGMA table_info({table})")] == list(columns)
        assert conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == csv_count(out / f"{table}.csv")
    folders = {p.name for p in (out / "reports").iterdir()}
    expected = {report_folder_name(p, rid) for p, rid in conn.execute("SELECT source_path, report_id FROM reports")}
    assert folders == expected
    assert not [p for p in out.rglob("*.tmp")]  # no half-written file anywhere
    return conn


def test_run_in_process_then_rerun_processes_nothing(corpus, tmp_path, capsys):
    root, inputs, skipped = corpus
    out = tmp_path / "out"
    log = tmp_path / "run.log"
    code = main(["run", str(root), "-o", str(out), "--jobs", "2", "--parquet", "--log", str(log)])
    captured = capsys.readouterr()
    assert code == 1  # the empty, random and picture files fail
    conn = assert_complete(out, inputs)
    status = dict(conn.execute("SELECT source_path, status FROM reports"))
    formats = dict(conn.execute("SELECT source_path, source_format FROM reports"))
    others = root / "其他 files"
    for name in ("empty.txt", "random.bin", "picture.png"):
        assert status[str(others / name)] == "failed"
    if (others / "renamed 报告.doc").exists():
        assert formats[str(others / "renamed 报告.doc")] == "docx"
    if (others / "no_extension").exists():
        assert formats[str(others / "no_extension")] == "pdf"
    assert status[inputs[0]] in ("ok", "partial")
    assert f"{len(inputs)} files: {len(inputs)} processed, 0 unchanged; 2 skipped" in captured.out
    for path in skipped:
        assert path in captured.out
    assert "jixiao: 100%" in captured.err and f"{len(inputs)}/{len(inputs)}" in captured.err
    assert log.read_text(encoding="utf-8").count("\n") >= len(inputs)

    book = openpyxl.load_workbook(out / "audit.xlsx", read_only=True)
    assert book.sheetnames == ["summary", *TABLES]
    assert sum(1 for _ in book["summary"].values) == 1 + len(inputs)
    for table in TABLES:
        assert pq.read_table(out / f"{table}.parquet").num_rows == csv_count(out / f"{table}.csv")

    before = (out / "reports.csv").stat().st_mtime_ns
    assert main(["run", str(root), "-o", str(out), "--jobs", "2", "--parquet"]) == 1
    assert f"{len(inputs)} files: 0 processed, {len(inputs)} unchanged" in capsys.readouterr().out
    assert (out / "reports.csv").stat().st_mtime_ns == before  # nothing rewritten
    assert_complete(out, inputs)


def jixiao_command() -> list[str]:
    script = Path(sys.executable).with_name("jixiao")
    return [str(script)] if script.exists() else [sys.executable, "-m", "jixiao.cli"]


SLOW_SITECUSTOMIZE = """\
import time
import jixiao.normalize.pipeline as pipeline
_process = pipeline.process
def slow_process(*args, **kwargs):
    time.sleep(0.1)
    return _process(*args, **kwargs)
pipeline.process = slow_process
"""


def done_count(db: Path) -> int:
    if not db.exists():
        return 0
    conn = sqlite3.connect(db, timeout=5)
    try:
        return conn.execute("SELECT COUNT(*) FROM jixiao_manifest").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0
    finally:
        conn.close()


def test_subprocess_killed_mid_run_then_resumed(corpus, tmp_path):
    root, inputs, _ = corpus
    out = tmp_path / "out"
    slow = tmp_path / "slow"
    slow.mkdir()
    (slow / "sitecustomize.py").write_text(SLOW_SITECUSTOMIZE)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(slow), os.environ.get("PYTHONPATH", "")])}
    command = jixiao_command() + ["run", str(root), "-o", str(out), "--jobs", "2", "--quiet"]
    proc = subprocess.Popen(command, env=env, start_new_session=True)
    try:
        while done_count(out / "jixiao.sqlite") < KILL_AFTER and proc.poll() is None:
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # its orphaned workers, if any are left
        except ProcessLookupError:
            pass
    assert proc.returncode == -signal.SIGKILL
    with sqlite3.connect(out / "jixiao.sqlite") as conn:
        done = conn.execute("SELECT COUNT(*) FROM reports").fetchone()[0]
        assert done == conn.execute("SELECT COUNT(*) FROM jixiao_manifest").fetchone()[0]
    assert KILL_AFTER <= done < len(inputs)

    rerun = subprocess.run(jixiao_command() + ["run", str(root), "-o", str(out), "--jobs", "2"],
                           capture_output=True, text=True)
    assert rerun.returncode == 1, rerun.stderr
    assert f"{len(inputs)} files: {len(inputs) - done} processed, {done} unchanged" in rerun.stdout
    assert "by status:" in rerun.stdout and "flags:" in rerun.stdout
    assert f"{len(inputs) - done}/{len(inputs) - done}" in rerun.stderr  # the progress bar
    assert_complete(out, inputs)


def test_usage_errors_exit_2(tmp_path, capsys):
    assert main(["run", str(tmp_path / "missing"), "-o", str(tmp_path / "out")]) == 2
    assert "no such file or folder" in capsys.readouterr().err
    assert main(["run", str(tmp_path), "--jobs", "0"]) == 2
    with pytest.raises(SystemExit) as exit_info:
        main(["run", str(tmp_path), "--bogus"])
    assert exit_info.value.code == 2
    assert subprocess.run(jixiao_command() + ["run"], capture_output=True).returncode == 2


def test_run_help_documents_exit_status():
    text = subprocess.run(jixiao_command() + ["run", "--help"], capture_output=True, text=True).stdout
    assert "exit status:" in text
    for line in ("0  every file was read", "1  some files failed", "2  usage error"):
        assert line in text


def test_all_good_batch_exits_0(tmp_path, capsys):
    seed = sorted(SAMPLES.glob("*.txt"))[0]
    assert main(["run", str(seed), "-o", str(tmp_path / "out"), "--quiet"]) == 0
    assert capsys.readouterr() == ("", "")  # --quiet: nothing on the terminal


def test_check_prints_report_scorecards_and_flags(capsys):
    seed = sorted(SAMPLES.glob("*.txt"))[-1]
    assert main(["check", str(seed)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{seed}  [txt]  report_id ")
    assert "scorecards" in out and "flags" in out


def test_check_missing_file_is_usage_error(tmp_path):
    assert main(["check", str(tmp_path / "nope.docx")]) == 2


def test_terminal_table_aligns_chinese_text():
    text = render(["code", "name", "score"], [["A", "采访科运行维护费", "19.5"], ["BB", "x", "7"]], numeric={2})
    lines = text.splitlines()
    assert len({display_width(line) for line in lines}) == 1  # every line ends at the same column
    assert lines[2].endswith("19.5") and lines[3].endswith("   7")


def test_flags_lists_every_catalogue_code_once(capsys):
    assert main(["flags"]) == 0
    out = capsys.readouterr().out
    for entry in catalogue():
        assert sum(line.startswith(entry["code"] + " ") for line in out.splitlines()) == 1


def test_unknown_profile_is_a_usage_error(capsys):
    from jixiao.cli import main
    with pytest.raises(SystemExit) as stop:
        main(["run", "samples", "--profile", "nope"])
    assert stop.value.code == 2
    assert "hubei-2021" in capsys.readouterr().err
