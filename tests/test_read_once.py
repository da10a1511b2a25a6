"""One file, read once: the regular-file check, the format sniff and the hash run once per file in process()."""
from pathlib import Path

from jixiao.extract import reader, safety
from jixiao.normalize import pipeline
from jixiao.normalize.ids import file_sha256

SEED = Path(__file__).resolve().parent.parent / "samples" / "004_35c19541f4036631.txt"


def counting(monkeypatch, module, name, calls):
    real = getattr(module, name)

    def counted(*args, **kwargs):
        calls[name] = calls.get(name, 0) + 1
        return real(*args, **kwargs)
    monkeypatch.setattr(module, name, counted)


def test_checks_sniff_and_hash_run_once(monkeypatch):
    calls: dict[str, int] = {}
    counting(monkeypatch, safety, "check_regular_file", calls)
    counting(monkeypatch, pipeline, "check_regular_file", calls)  # pipeline imported the name itself
    counting(monkeypatch, reader, "_head", calls)
    counting(monkeypatch, pipeline, "file_sha256", calls)
    rows = pipeline.process_rows(SEED)
    assert rows["reports"][0]["status"] == "ok"
    assert calls == {"check_regular_file": 1, "_head": 1, "file_sha256": 1}


def test_a_hash_the_caller_computed_is_not_computed_again(monkeypatch):
    sha = file_sha256(SEED)
    calls: dict[str, int] = {}
    counting(monkeypatch, pipeline, "file_sha256", calls)
    rows = pipeline.process_rows(SEED, sha256=sha)
    assert calls == {} and rows["reports"][0]["source_sha256"] == sha


def work_hashing_nothing(task):
    """The real work, refusing to hash: the batch must hand each file's hash (from its dedup) to the worker."""
    from jixiao import worker
    assert task.sha256 == file_sha256(task.path), "the task carries no hash, or a wrong one"
    real, pipeline.file_sha256 = pipeline.file_sha256, None  # a second hash would raise TypeError: a failed row
    try:
        return worker.work(task)
    finally:
        pipeline.file_sha256 = real


def test_the_batch_hashes_each_file_once(tmp_path):
    from jixiao.batch import Options, run_batch
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "in" / "b.txt").write_bytes(SEED.read_bytes() + b"\n")
    result = run_batch(Options(paths=[str(tmp_path / "in")], out=str(tmp_path / "out"), jobs=1),
                       work=work_hashing_nothing)
    assert result.statuses == {"ok": 2}, result.failed
