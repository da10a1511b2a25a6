"""A worker freezes its heap once, after its first file (jixiao/worker.settle_heap): the collector's full passes
stop walking the modules and caches every file would otherwise pay for again."""
from __future__ import annotations

import gc
from pathlib import Path

from jixiao import worker

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "003_4634e4d09f39b8e4.txt"


def test_the_heap_is_frozen_once_after_the_first_file(monkeypatch):
    calls = []
    monkeypatch.setattr(worker, "_settled", False)
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))
    monkeypatch.setattr(gc, "collect", lambda *a: calls.append("collect") or 0)
    monkeypatch.setattr(gc, "set_threshold", lambda *a: calls.append(a))
    task = worker.Task(str(SAMPLE), SAMPLE.name)
    first = worker.run_task(task, worker.work)
    # cyclic garbage collected first (a frozen object is never collected), then young objects collected seldom
    assert calls == ["collect", "freeze", (worker.YOUNG_OBJECTS, *gc.get_threshold()[1:])]
    second = worker.run_task(task, worker.work)
    assert len(calls) == 3  # not again for the next files
    assert first.tables == second.tables and first.status == "ok"
