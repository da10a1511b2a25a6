"""Write-to-temp-then-rename: a reader (or a rerun after kill -9) sees the old file or the new one, never half."""
from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


@contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; on success it replaces the target, on error it is removed."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def remove_stale_temps(folder: str | Path) -> int:
    """Delete temp files left by a process that was killed mid-write (kill -9 skips the cleanup above)."""
    count = 0
    for path in Path(folder).glob(".*.tmp"):
        path.unlink(missing_ok=True)
        count += 1
    return count
