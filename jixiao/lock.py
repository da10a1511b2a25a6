"""One writer per output folder: OUT/.jixiao.lock, held with flock(2) for the whole run. The operating system
drops the lock when the process ends, however it ends (kill -9 included), so a dead run never leaves it stuck;
the file itself stays and says who held it last."""
from __future__ import annotations

import fcntl
import os
from datetime import datetime, timezone
from pathlib import Path

LOCK_NAME = ".jixiao.lock"


class Busy(Exception):
    """Another live run holds the lock on this output folder."""


class OutputLock:
    def __init__(self, out: str | Path):
        self.path = Path(out) / LOCK_NAME
        self.fd: int | None = None

    def acquire(self) -> None:
        """Take the lock or raise Busy (naming the holder); OSError if OUT cannot be written."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "another process"
            os.close(fd)
            raise Busy(f"{self.path.parent} is in use by another jixiao run ({holder}); wait for it to finish "
                       "or write to another folder (-o)") from None
        os.ftruncate(fd, 0)
        stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
        os.pwrite(fd, f"pid {os.getpid()}, started {stamp}\n".encode(), 0)
        self.fd = fd

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing the descriptor releases the flock
            self.fd = None

    def __enter__(self) -> "OutputLock":
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()
