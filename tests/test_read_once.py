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
