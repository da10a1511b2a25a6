"""Optional Parquet output (extra `parquet`): one file per table, written in row groups from a row stream."""
from __future__ import annotations

from itertools import islice
from pathlib import Path
from typing import Iterable, Iterator

from jixiao.normalize.schema import TABLES
from jixiao.normalize.writers.atomic import atomic_path

BATCH_ROWS = 50_000  # rows held in memory at once


def arrow_schema(table: str):
    import pyarrow as pa
    types = {"string": pa.string(), "Int64": pa.int64(), "Float64": pa.float64()}
    return pa.schema([(col, types[dtype]) for col, dtype in TABLES[table].items()])


def write_parquet(target: str | Path, table: str, rows: Iterable[tuple]) -> int:
    """Write rows (schema column order, None = NULL) atomically; returns the row count."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as err:
        raise RuntimeError("Parquet output needs pyarrow: pip install 'jixiao[parquet]'") from err
    schema = arrow_schema(table)
    count = 0
    with atomic_path(target) as tmp:
        with pq.ParquetWriter(tmp, schema) as writer:
            for chunk in chunks(rows, BATCH_ROWS):
                columns = zip(*chunk)
                arrays = [pa.array(values, type=field.type) for values, field in zip(columns, schema)]
                writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
                count += len(chunk)
            if not count:
                writer.write_table(schema.empty_table())
    return count


def chunks(rows: Iterable[tuple], size: int) -> Iterator[list[tuple]]:
    rows = iter(rows)
    while chunk := list(islice(rows, size)):
        yield chunk
