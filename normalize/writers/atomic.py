"""Write-to-temp-then-rename: a reader (or a rerun after kill -9) sees the old file or the new one, never half."""
from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Iterator


@lru_cache(maxsize=1)
def _umask() -> int:
    """This process's umask (read by setting it, so put back at once)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def new_file_mode() -> int:
    """The mode open() gives a new file under this process's umask (mkstemp's temp files are 0600)."""
    return 0o666 & ~_umask()


def new_folder_mode() -> int:
    """The mode mkdir gives a new folder under this process's umask (mkdtemp's folders are 0700)."""
    return 0o777 & ~_umask()


@contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; on success it replaces the target (with the mode the
    umask gives a new file, so colleagues can read it), on error it is removed."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, new_file_mode())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_bytes(target: Path, data: bytes) -> None:
    """atomic_path for content already in memory, in one write on the temp file's descriptor (a report's
    small CSVs: six files per input, so the close, reopen and chmod by path of atomic_path add up)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            os.fchmod(fh.fileno(), new_file_mode())
            fh.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_new_folder(target: Path, files: dict[str, bytes]) -> bool:
    """A folder that does not exist yet, made whole at once: its files written plainly into a temporary folder
    beside it, which is then renamed onto the target (one rename instead of a temp file and a rename per file:
    on ext4 that is ~3 ms of system time less per folder of six). False, writing nothing, when the target
    exists by then (a rename never replaces a folder holding files): the caller writes file by file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        os.chmod(tmp, new_folder_mode())  # mkdtemp's folders are 0700
        for name, data in files.items():
            fd = os.open(os.path.join(tmp, name), os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
        os.rename(tmp, target)
        return True
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
        if target.is_dir():  # made meanwhile (ENOTEMPTY): written file by file
            return False
        raise
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def remove_stale_temps(folder: str | Path) -> int:
    """Delete temp files (and temp folders of atomic_new_folder) left by a process that was killed mid-write
    (kill -9 skips the cleanup above)."""
    count = 0
    for path in Path(folder).glob(".*.tmp"):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        count += 1
    return count
