"""The batch path (process_rows -> typed tuples) holds exactly what the API path (process -> DataFrames) holds."""
from pathlib import Path

import pytest

from jixiao.normalize.pipeline import process, process_rows
from jixiao.normalize.schema import TABLES, to_tuples
from jixiao.normalize.writers.rows import frame_row_list

SAMPLES = sorted(p for p in (Path(__file__).resolve().parent.parent / "samples").iterdir() if p.is_file())


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.name for p in SAMPLES])
def test_rows_equal_frames(sample):
    rows, frames = process_rows(sample), process(sample)
    for table in TABLES:
        assert to_tuples(table, rows.get(table, [])) == frame_row_list(table, getattr(frames, table)), table
