"""What a run tells the person watching it: a tqdm bar on stderr (files done / total, files per second,
failures and flags so far), and for unattended runs a log file with one line per file."""
from __future__ import annotations

import sys
from datetime import datetime, timezone
from typing import TextIO

from tqdm import tqdm

class Progress:
    def __init__(self, quiet: bool = False, log_path: str | None = None):
        self.quiet = quiet
        self.log: TextIO | None = open(log_path, "a", encoding="utf-8") if log_path else None
        self.bar: tqdm | None = None
        self.failures = 0
        self.flags = 0

    def note(self, message: str) -> None:
        """A line for the person (stderr) and the log."""
        if not self.quiet:
            (self.bar.write if self.bar else print)(message, file=sys.stderr)
        self.write_log(message)

    def start(self, total: int, desc: str = "jixiao", unit: str = "file") -> None:
        """A bar over `total` files (or, with another unit, the outputs written at the end)."""
        self.close()
        self.bar = tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, disable=self.quiet,
                        dynamic_ncols=True)
        if unit == "file":
            self.bar.set_postfix(failed=0, flags=0)

    def step(self, name: str) -> None:
        """One output written."""
        if self.bar:
            self.bar.set_postfix_str(name, refresh=False)
            self.bar.update(1)

    def done(self, source_path: str, status: str, error: str | None, n_flags: int) -> None:
        self.failures += status == "failed"
        self.flags += n_flags
        if self.bar:
            self.bar.set_postfix(failed=self.failures, flags=self.flags, refresh=False)
            self.bar.update(1)
        self.write_log("\t".join([status, source_path, f"{n_flags} flags"] + ([error] if error else [])))

    def close(self) -> None:
        if self.bar:
            self.bar.close()
            self.bar = None

    def finish(self, summary: str) -> None:
        """The closing summary on stdout (unless --quiet) and in the log."""
        self.close()
        if not self.quiet:
            print(summary)
        if self.log:
            self.log.write(summary + "\n")
            self.log.close()
            self.log = None

    def abort(self, message: str) -> None:
        """The run stopped early: the message goes to the log; the caller tells the person."""
        self.close()
        self.write_log(message)
        if self.log:
            self.log.close()
            self.log = None

    def write_log(self, message: str) -> None:
        if self.log:
            stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
            self.log.write(f"{stamp}\t{message}\n")
            self.log.flush()
