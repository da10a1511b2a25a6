"""OCR needs no network: a scanned page is read in a process whose network is cut (a network namespace of its
own, `unshare -rn`: only a loopback that is down), with every socket and URL opened in Python recorded by an
audit hook. Nothing is downloaded (the models are inside the rapidocr-onnxruntime wheel) and nothing tries to."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from jixiao.extract import ocr_engines

ROOT = Path(__file__).resolve().parents[1]
SCAN = ROOT / "samples" / "scans" / "004_35c19541f4036631.scan-150dpi-skewed.pdf"

READ = """
import json, socket, sys
try:
    socket.create_connection(("1.1.1.1", 53), timeout=2).close()
    cut = False
except OSError:
    cut = True
tried = []
sys.addaudithook(lambda event, args: tried.append(event) if event.startswith(("socket.", "urllib.")) else None)
from jixiao import extract
doc = extract.read(sys.argv[1], ocr="rapidocr")
print(json.dumps({"cut": cut, "tried": sorted(set(tried)), "ocr_pages": doc.ocr_pages,
                  "rows": [row for table in doc.tables for row in table.text_rows()]}, ensure_ascii=False))
"""


def _unshare_problem() -> str | None:
    unshare = shutil.which("unshare")
    if unshare is None:
        return "unshare (util-linux) is not installed"
    done = subprocess.run([unshare, "-rn", "true"], capture_output=True, text=True)
    if done.returncode != 0:
        return f"this machine does not allow a network namespace: unshare -rn: {done.stderr.strip()[:200]}"
    return None


@pytest.mark.skipif(ocr_engines.unavailable("rapidocr") is not None, reason="rapidocr-onnxruntime is not installed")
def test_rapidocr_reads_a_scan_with_the_network_cut_and_opens_no_connection():
    problem = _unshare_problem()
    if problem:
        pytest.skip(problem)
    done = subprocess.run(["unshare", "-rn", sys.executable, "-c", READ, str(SCAN)], capture_output=True,
                          text=True, timeout=600, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.splitlines()[-1])
    assert seen["cut"] and seen["tried"] == [] and seen["ocr_pages"] == [1]
    assert ["", "年度财政资金总额", "55", "32.37", "58.85%", "11.77"] in seen["rows"]
    assert ["总分", "91.77"] in seen["rows"]
