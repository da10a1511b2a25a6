"""Legacy formats (.doc, .wps, .et, .rtf, .odt …) converted by LibreOffice headless into .docx/.xlsx."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from jixiao.extract.errors import NeedsConverter, ReadError

CONVERT_TIMEOUT = float(os.environ.get("JIXIAO_CONVERT_TIMEOUT", "120"))  # seconds per file
# LibreOffice filter names for the formats our readers take.
FILTERS = {"docx": "docx:MS Word 2007 XML", "xlsx": "xlsx:Calc MS Excel 2007 XML"}
INSTALL_HINT = "install LibreOffice (scripts/setup-system.sh: libreoffice-writer-nogui, libreoffice-calc-nogui) and rerun"


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@contextmanager
def converted(path: str | Path, target: str, timeout: float = CONVERT_TIMEOUT) -> Iterator[Path]:
    """The file converted to `target` (docx or xlsx) in a temporary directory, removed afterwards."""
    soffice = soffice_path()
    if soffice is None:
        raise NeedsConverter(f"{Path(path).suffix or 'legacy'} file needs LibreOffice to convert: {INSTALL_HINT}")
    with tempfile.TemporaryDirectory(prefix="jixiao-lo-") as tmp:
        work = Path(tmp)
        # LibreOffice converts by extension-less content sniffing, but names the output after the input
        source = work / ("in" + Path(path).suffix.lower())
        shutil.copyfile(path, source)
        _run_soffice(soffice, source, target, work, timeout)
        out = work / "out" / f"in.{target}"
        if not out.is_file() or out.stat().st_size == 0:
            raise ReadError(f"LibreOffice could not convert this file to .{target} (damaged or not a document)")
        yield out


def _run_soffice(soffice: str, source: Path, target: str, work: Path, timeout: float) -> None:
    # A private profile per call: concurrent workers sharing one profile block each other.
    profile = (work / "profile").as_uri()
    cmd = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--nolockcheck",
           "--convert-to", FILTERS[target], "--outdir", str(work / "out"), str(source)]
    # Own process group, so a timeout kills soffice.bin too, not only the launcher script.
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        raise ReadError(f"LibreOffice conversion timed out after {timeout:.0f} s") from None
    finally:
        if proc.poll() is None:  # interrupted by the batch runner's own time limit
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
