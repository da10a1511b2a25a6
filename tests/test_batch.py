"""The batch runner in-process: discovery, resumability, identity, per-file time limit, crashes, Dask."""
from __future__ import annotations

import os
import shutil
import sqlite3
import time
from pathlib import Path

import pandas as pd
import pytest

from jixiao import worker
from jixiao.batch import Options, UsageError, run_batch
from jixiao.discover import discover
from jixiao.worker import Task
from jixiao.normalize.schema import TABLES, Dataset, to_frame

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
TXT = sorted(SAMPLES.glob("*.txt"))


def work_with_traps(task: Task) -> Dataset:
    """A quick stand-in for the real work; files whose names ask for it hang, crash the worker, or give
    output with a duplicate key."""
    name = Path(task.source_path).name
    if name.startswith("slow"):
        time.sleep(60)
    if name.startswith("crash"):
        os._exit(3)
    data = worker.failed(task, "")  # a reports row with the ids, made ok below
    data.reports["status"], data.reports["error"] = "ok", pd.NA
    if name.startswith("dupkey"):
        rid = data.reports["report_id"].iloc[0]
        data.scorecards = to_frame("scorecards", [{"report_id": rid, "scorecard_id": f"{rid}-01", "seq": 1}] * 2)
    return data


def copy_txt(folder: Path, names: list[str]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index, name in enumerate(names):
        path = folder / name
        path.write_bytes(TXT[index % len(TXT)].read_bytes())
        paths.append(path)
    return paths


def db(out: Path) -> sqlite3.Connection:
    return sqlite3.connect(out / "jixiao.sqlite")


def reports(out: Path) -> pd.DataFrame:
    return pd.read_sql_query("SELECT * FROM reports ORDER BY source_path", db(out))


def run(paths, out, **kw):
    return run_batch(Options(paths=[str(p) for p in paths], out=str(out), jobs=2, **kw))


# discovery

def test_discover_skips_hidden_temporary_and_output_and_reports_them(tmp_path):
    copy_txt(tmp_path / "in", ["a.txt", "~$a.docx", ".hidden.txt", "b.txt~"])
    copy_txt(tmp_path / "in" / ".git", ["x.txt"])
    copy_txt(tmp_path / "in" / "子 目录", ["报告 二.txt"])
    copy_txt(tmp_path / "in" / "out", ["old.txt"])
    found = discover([str(tmp_path / "in")], exclude=[str(tmp_path / "in" / "out")])
    assert [Path(f.source_path).name for f in found.files] == ["a.txt", "报告 二.txt"]
    why = {Path(path).name: reason for path, reason in found.skipped}
    assert why == {"~$a.docx": "temporary file", ".hidden.txt": "hidden", "b.txt~": "temporary file",
                   ".git": "hidden folder", "out": "output folder"}


def test_discover_follows_symlinks_once_and_keeps_given_paths(tmp_path, monkeypatch):
    copy_txt(tmp_path / "in" / "d", ["a.txt"])
    os.symlink(tmp_path / "in", tmp_path / "in" / "d" / "loop")
    monkeypatch.chdir(tmp_path)
    found = discover(["in", "in/d/a.txt"])
    assert [f.source_path for f in found.files] == ["in/d/a.txt"]  # relative stays relative, once
    assert any("symlink loop" in why for _, why in found.skipped)


def test_explicit_hidden_file_is_an_input(tmp_path):
    (path,) = copy_txt(tmp_path, [".given.txt"])
    assert [f.source_path for f in discover([str(path)]).files] == [str(path)]


def test_usage_errors(tmp_path):
    with pytest.raises(UsageError, match="no such file or folder"):
        run([tmp_path / "missing"], tmp_path / "out")
    with pytest.raises(UsageError, match="--jobs"):
        run_batch(Options(paths=[str(tmp_path)], out=str(tmp_path / "o"), jobs=0))
    with pytest.raises(UsageError, match="--scheduler"):
        run_batch(Options(paths=[str(tmp_path)], out=str(tmp_path / "o"), engine="dask"))


# outputs, identity, resumability

def test_run_rerun_change_touch_remove(tmp_path):
    inputs = copy_txt(tmp_path / "in", [f"r{i}.txt" for i in range(len(TXT))])
    out = tmp_path / "out"
    first = run([tmp_path / "in"], out)
    assert (first.files, first.processed) == (len(TXT), len(TXT))
    assert len(reports(out)) == len(TXT)
    assert len(list((out / "reports").iterdir())) == len(TXT)
    for table in TABLES:
        assert (out / f"{table}.csv").is_file()
    assert (out / "audit.xlsx").is_file()

    stale = out / "reports" / ".r0-0123abcd.x1y2.tmp"  # a report's folder being made when a run was killed (-9)
    stale.mkdir()
    (stale / "reports.csv").write_text("half")
    assert run([tmp_path / "in"], out).processed == 0
    assert not stale.exists()

    old_id = reports(out).set_index("source_path").loc[str(inputs[0]), "report_id"]
    inputs[0].write_bytes(inputs[0].read_bytes() + "\n补充说明。\n".encode())
    os.utime(inputs[1], ns=(1, 1))  # touched, same bytes: hashed, not redone
    third = run([tmp_path / "in"], out)
    assert third.processed == 1
    frame = reports(out).set_index("source_path")
    assert frame.loc[str(inputs[0]), "report_id"] != old_id
    assert not any(p.name.endswith(old_id[:8]) for p in (out / "reports").iterdir())  # stale folder removed
    assert db(out).execute("SELECT COUNT(*) FROM scorecards WHERE report_id = ?", (old_id,)).fetchone() == (0,)

    inputs[2].unlink()
    fourth = run([tmp_path / "in"], out)
    assert (fourth.processed, fourth.pruned) == (0, 1)
    assert len(reports(out)) == len(TXT) - 1
    assert len(pd.read_csv(out / "reports.csv", encoding="utf-8-sig")) == len(TXT) - 1


def test_settings_change_and_force_redo_everything(tmp_path):
    copy_txt(tmp_path / "in", ["a.txt", "b.txt"])
    out = tmp_path / "out"
    run([tmp_path / "in"], out)
    assert run([tmp_path / "in"], out, ocr="off").processed == 2
    assert run([tmp_path / "in"], out, ocr="off").processed == 0
    assert run([tmp_path / "in"], out, ocr="off", force=True).processed == 2


def test_same_bytes_under_two_paths_share_report_id_and_content(tmp_path):
    copy_txt(tmp_path / "one", ["a.txt"])
    copy_txt(tmp_path / "two", ["a.txt", "b 副本.txt"])  # b is a copy of TXT[1]; two/a.txt of TXT[0]
    shutil.copy(TXT[0], tmp_path / "two" / "c.txt")
    out = tmp_path / "out"
    run([tmp_path / "one", tmp_path / "two"], out)
    frame = reports(out)
    assert len(frame) == 4
    by_path = frame.set_index("source_path")["report_id"]
    same = {by_path[str(tmp_path / "one" / "a.txt")], by_path[str(tmp_path / "two" / "a.txt")],
            by_path[str(tmp_path / "two" / "c.txt")]}
    assert len(same) == 1
    conn = db(out)
    for table in ("scorecards", "indicators", "figures", "flags", "budget_lines"):
        distinct = conn.execute(f"SELECT COUNT(*) FROM (SELECT DISTINCT * FROM {table})").fetchone()[0]
        assert conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == distinct  # content stored once
    figures = conn.execute("SELECT COUNT(*) FROM figures WHERE report_id = ?", tuple(same)).fetchone()[0]
    single = tmp_path / "single"
    run([TXT[0]], single)
    assert db(single).execute("SELECT COUNT(*) FROM figures").fetchone()[0] == figures


def test_timeout_crash_and_rejected_output_become_failed_rows(tmp_path):
    copy_txt(tmp_path / "in", ["ok.txt", "slow.txt", "crash.txt", "dupkey.txt"])
    out = tmp_path / "out"
    # 8 s: the quick files must finish well inside it on a loaded machine (at 2 s one timed out at load 24)
    result = run_batch(Options(paths=[str(tmp_path / "in")], out=str(out), jobs=2, timeout=8),
                       work=work_with_traps)
    assert result.exit_code == 1
    errors = reports(out).assign(name=lambda f: f.source_path.map(lambda p: Path(p).name)).set_index("name")
    assert errors.loc["ok.txt", "status"] == "ok"
    assert errors.loc["slow.txt", ["status", "error"]].tolist() == ["failed", "timed out after 8 s"]
    assert errors.loc["crash.txt", ["status", "error"]].tolist() == ["failed", "worker crashed (exit code 3)"]
    assert errors.loc["dupkey.txt", "status"] == "failed"
    assert errors.loc["dupkey.txt", "error"].startswith("output rejected by the database: IntegrityError: UNIQUE")
    assert errors["report_id"].notna().all() and errors["source_sha256"].str.len().eq(64).all()
    assert result.statuses == {"failed": 3, "ok": 1}
    again = run_batch(Options(paths=[str(tmp_path / "in")], out=str(out), jobs=2, timeout=8), work=work_with_traps)
    assert again.processed == 2  # the timed-out and the crashed file are tried again, the others not


def test_work_turns_an_exception_into_a_failed_row(tmp_path, monkeypatch):
    (path,) = copy_txt(tmp_path, ["a.txt"])
    monkeypatch.setattr(worker, "process_rows", lambda *a, **k: 1 / 0)
    row = worker.work(Task(str(path), "a.txt")).report
    assert (row["status"], row["error"]) == ("failed", "ZeroDivisionError: division by zero")
    assert row["report_id"] == row["source_sha256"][:16]


def test_run_task_writes_the_csv_folder_and_returns_plain_rows(tmp_path):
    (path,) = copy_txt(tmp_path / "in", ["a.txt"])
    rows = worker.run_task(Task(str(path), "a.txt", reports_dir=str(tmp_path / "reports")), worker.work)
    assert rows.folder_written and rows.status == "ok" and rows.n_flags == len(rows.tables["flags"])
    (folder,) = (tmp_path / "reports").iterdir()
    assert folder.name == f"a-{rows.report_id[:8]}"
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{t}.csv" for t in TABLES)
    assert all(type(v) in (str, int, float, type(None)) for table in rows.tables.values() for row in table
               for v in row)  # cheap to send back from the worker: no pandas objects
    assert not worker.run_task(Task(str(path), "a.txt"), worker.work).folder_written  # Dask: the store writes it


def test_dask_engine_writes_the_same_outputs(tmp_path):
    distributed = pytest.importorskip("distributed")
    copy_txt(tmp_path / "in", [f"r{i}.txt" for i in range(len(TXT))] + ["empty.txt"])
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    run([tmp_path / "in"], tmp_path / "local")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster:
        result = run_batch(Options(paths=[str(tmp_path / "in")], out=str(tmp_path / "dask"), engine="dask",
                                   scheduler=cluster.scheduler_address))
    assert result.processed == len(TXT) + 1
    for table in TABLES:
        local = (tmp_path / "local" / f"{table}.csv").read_bytes()
        assert (tmp_path / "dask" / f"{table}.csv").read_bytes() == local
