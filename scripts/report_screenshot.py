"""docs/report_html.png: a screenshot of OUT/report.html taken by headless Chromium, as a small palette PNG.

    jixiao run samples -o /tmp/shot && python scripts/report_screenshot.py /tmp/shot docs/report_html.png

The page's top (the batch overview) and, below it, the first TOTAL_MISMATCH flag of a PDF with its evidence picture."""
from __future__ import annotations

import sqlite3
import sys
import tempfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from browser import screenshot  # noqa: E402  (the tests' Chromium helper)

WIDTH = 1280
ONE_FLAG = """<script>
var row = document.getElementById('ID'), section = row.closest('section');
Array.from(document.body.children).forEach(c => { if (c !== section && c.id !== 'filters') c.style.display = 'none'; });
Array.from(section.children).forEach(c => { if (!c.contains(row) && c.tagName !== 'H2') c.style.display = 'none'; });
row.parentNode.querySelectorAll('tr.flag').forEach(r => { if (r !== row) r.style.display = 'none'; });
document.querySelectorAll('img').forEach(i => { i.loading = 'eager'; });
</script>"""


def main(out: Path, target: Path) -> None:
    page = (out / "report.html").read_text(encoding="utf-8")
    conn = sqlite3.connect(out / "jixiao.sqlite")
    (fingerprint,) = conn.execute("SELECT fingerprint FROM flags WHERE code = 'TOTAL_MISMATCH' "
                                  "AND source_path LIKE '%.pdf' ORDER BY source_path LIMIT 1").fetchone()
    flag_id = "f-" + fingerprint
    with tempfile.TemporaryDirectory() as tmp:
        top, flag = Path(tmp) / "top.png", Path(tmp) / "flag.png"
        screenshot(out / "report.html", top, width=WIDTH, height=900)
        # the same page showing only the filters and that flag's row in its report (a copy beside it: the
        # evidence picture's relative path holds); scrolling a headless screenshot to a #fragment draws nothing
        one = out / ".screenshot.html"
        one.write_text(page.replace("</body>", ONE_FLAG.replace("ID", flag_id) + "</body>"), encoding="utf-8")
        try:
            screenshot(one, flag, width=WIDTH, height=780)
        finally:
            one.unlink()
        with Image.open(top) as a, Image.open(flag) as b:
            sheet = Image.new("RGB", (WIDTH, a.height + b.height + 6), "#667")
            sheet.paste(a, (0, 0))
            sheet.paste(b, (0, a.height + 6))
            sheet.quantize(colors=128, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(target, optimize=True)
    print(f"{target}: {target.stat().st_size // 1024} KB")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(Path(sys.argv[1]), Path(sys.argv[2]))
