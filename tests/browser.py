"""Headless Chromium for the tests of report.html (Debian's `chromium`, installed by scripts/setup-system.sh):
load a page from disk, dump its DOM after its scripts ran, or take a screenshot. No network, no profile kept."""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
         "--hide-scrollbars", "--mute-audio", "--disable-dev-shm-usage"]
TIMEOUT = 60  # seconds of wall time; a page from disk takes 2-5 s here (2 cores shared)


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


def chromium(page: Path, *args: str, fragment: str = "") -> subprocess.CompletedProcess:
    """Run Chromium on a file with its own throw-away profile (parallel tests do not share one)."""
    binary = find_chromium()
    if binary is None:
        raise FileNotFoundError("chromium not found")
    with tempfile.TemporaryDirectory(prefix="jixiao-chromium-") as profile:
        return subprocess.run([binary, *FLAGS, f"--user-data-dir={profile}", *args, page.resolve().as_uri() + fragment],
                              capture_output=True, text=True, timeout=TIMEOUT, check=False)


def dump_dom(page: Path, budget_ms: int = 5000, *args: str) -> str:
    """The DOM after the page's scripts ran (virtual time: timers and image loads finish, nothing waits)."""
    done = chromium(page, "--dump-dom", f"--virtual-time-budget={budget_ms}", *args)
    if done.returncode != 0:
        raise RuntimeError(f"chromium --dump-dom exited {done.returncode}: {done.stderr[-500:]}")
    return done.stdout


def screenshot(page: Path, target: Path, width: int = 1200, height: int = 1600, fragment: str = "") -> None:
    """The first width x height pixels of the page (scrolled to #fragment when given)."""
    done = chromium(page, f"--screenshot={target.resolve()}", f"--window-size={width},{height}",
                    "--virtual-time-budget=3000", fragment=fragment)
    if done.returncode != 0 or not target.is_file():
        raise RuntimeError(f"chromium --screenshot exited {done.returncode}: {done.stderr[-500:]}")
