"""JSON Lines output (`jixiao run --jsonl`): one JSON object per row, the schema's column names as keys, NULL as
null, UTF-8 without a byte-order mark — for jq and `pandas.read_json(path, lines=True)`."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable

from jixiao.normalize.writers.atomic import atomic_path


def write_jsonl(target: str | Path, columns: Iterable[str], rows: Iterable[tuple]) -> int:
    """Write rows (schema column order, None = NULL) atomically; returns the row count."""
    names = list(columns)
    count = 0
    with atomic_path(target) as tmp:
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            for count, row in enumerate(rows, start=1):
                fh.write(json.dumps(dict(zip(names, row)), ensure_ascii=False) + "\n")
    return count
