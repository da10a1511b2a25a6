"""report.html in a real browser (issue 13 item 6): headless Chromium loads it from disk; the page is not blank,
the flag codes and numbers are visible, every flag's evidence loads (a PDF's picture; another format's HTML page
of rows, in a frame, its marked cell visible in the frame), and the filters hide what they should.

A probe script is added to a copy of the page beside it (so its relative evidence paths hold): it turns lazy
pictures and frames eager, waits for each to load or fail, looks into each frame's page, works the filters and
writes what it saw into the DOM, which `chromium --dump-dom` prints. Chromium runs with
--allow-file-access-from-files only so that the probe may look into the frames (file:// pages are each their own
origin); what the frames show is the same without it."""
from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from browser import dump_dom, find_chromium, screenshot
from jixiao.batch import Options, run_batch

pytestmark = pytest.mark.skipif(find_chromium() is None,
                                reason="Chromium is not installed (scripts/setup-system.sh installs Debian's chromium)")

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
BATCH = ["004_35c19541f4036631.pdf", "004_35c19541f4036631.txt", "002_8355fd70a3086172.txt"]

PROBE = """
<script>
(async function probe() {
  const result = {};
  const visible = r => r.getClientRects().length > 0;
  const flags = () => Array.from(document.querySelectorAll('tr.flag'));
  const change = el => el.dispatchEvent(new Event('change'));
  result.textLength = document.body.innerText.length;
  result.rows = flags().map(r => ({id: r.id, code: r.dataset.code, severity: r.dataset.severity,
                                   text: visible(r) ? r.innerText : ''}));
  const images = Array.from(document.querySelectorAll('img'));
  images.forEach(i => { i.loading = 'eager'; });
  await Promise.all(images.map(i => i.complete ? null :
    new Promise(done => { i.addEventListener('load', done); i.addEventListener('error', done); })));
  result.images = images.map(i => ({src: i.getAttribute('src'), width: i.naturalWidth}));
  const frames = Array.from(document.querySelectorAll('iframe'));
  const loaded = f => f.contentDocument && f.contentDocument.readyState === 'complete' &&
                      f.contentDocument.URL !== 'about:blank';
  frames.forEach(f => { f.loading = 'eager'; });
  await Promise.all(frames.map(f => loaded(f) ? null : new Promise(done => {
    f.addEventListener('load', done); setTimeout(done, 4000); })));
  await new Promise(done => setTimeout(done, 500));  // each page's height posted to the report, its frame sized
  result.frames = frames.map(f => {
    const doc = f.contentDocument, box = f.getBoundingClientRect();
    const seen = {src: f.getAttribute('src'), width: box.width, height: box.height, inner: f.clientHeight,
                  url: doc ? doc.URL : null, marked: [], inside: false};
    if (!doc) return seen;  // an error page (a missing file) is of another origin: null
    const page = doc.documentElement;
    seen.content = page.getBoundingClientRect().height;  // the page's own height, drawn at the frame's width
    seen.scrolls = page.scrollHeight > page.clientHeight;
    const marked = Array.from(doc.querySelectorAll('.hit'));
    seen.marked = marked.map(m => m.textContent);
    seen.inside = marked.length > 0 && marked.every(m => { const r = m.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && r.top >= 0 && r.bottom <= f.clientHeight + 1 && r.left >= 0; });
    return seen;
  });
  const code = document.getElementById('code-filter');
  code.value = 'TOTAL_MISMATCH'; change(code);
  result.byCode = flags().filter(visible).map(r => r.dataset.code);
  code.value = ''; change(code);
  const error = document.querySelector('#filters input[value=error]');
  error.checked = false; change(error);
  result.withoutErrors = flags().filter(visible).map(r => r.dataset.severity);
  error.checked = true; change(error);
  result.allAgain = flags().filter(visible).length;
  const out = document.createElement('pre');
  out.id = 'probe-result';
  out.textContent = JSON.stringify(result);
  document.body.appendChild(out);
})();
</script>
"""


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    base = tmp_path_factory.mktemp("browser")
    (base / "in").mkdir()
    for name in BATCH:
        shutil.copy(SAMPLES / name, base / "in" / name)
    run_batch(Options(paths=[str(base / "in")], out=str(base / "out"), jobs=2))
    return base / "out"


@pytest.fixture(scope="module")
def seen(out):
    page = (out / "report.html").read_text(encoding="utf-8")
    probe = out / "probe.html"
    probe.write_text(page.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    dom = dump_dom(probe, 8000, "--allow-file-access-from-files", "--window-size=1280,1800")
    found = re.search(r'<pre id="probe-result">(.*?)</pre>', dom, re.S)
    assert found, "the probe did not finish: " + dom[-300:]
    return json.loads(found.group(1).replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">")
                      .replace("&amp;", "&"))


def flag_rows(out: Path) -> list[dict]:
    with open(out / "flags.csv", encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_flag_codes_and_numbers_are_visible(out, seen):
    assert seen["textLength"] > 5000
    rows = flag_rows(out)
    assert len(rows) == 27 * 2 + 1 and len(seen["rows"]) == len(rows)
    shown = {r["id"][2:]: r["text"] for r in seen["rows"]}
    for row in rows:
        text = shown[row["fingerprint"]]
        assert row["code"] in text and row["severity"] in text
        for number in (row["claimed"], row["recomputed"]):
            if number:
                assert f"{float(number):.4f}".rstrip("0").rstrip(".") in text, (row["code"], number, text)
    total = [r for r in rows if r["code"] == "TOTAL_MISMATCH" and r["source_path"].endswith(".pdf")][0]
    assert f"page {total['page']}" in shown[total["fingerprint"]]


def test_every_evidence_picture_loads(out, seen):
    rows = [r for r in flag_rows(out) if r["evidence"].endswith(".png")]
    assert len(rows) == 27  # seed 004's PDF
    assert sorted(i["src"] for i in seen["images"]) == sorted(r["evidence"] for r in rows)
    assert [i for i in seen["images"] if i["width"] < 100] == []  # a picture that failed has naturalWidth 0


def test_every_evidence_page_loads_with_its_cell_in_view(out, seen):
    rows = [r for r in flag_rows(out) if r["evidence"].endswith(".html")]
    assert len(rows) == 27 + 1  # seed 004's .txt, seed 002's prose flag
    assert sorted(f["src"] for f in seen["frames"]) == sorted(r["evidence"] for r in rows)
    for frame in seen["frames"]:
        assert frame["url"] and frame["url"].endswith("/" + frame["src"]), frame  # the file, not an error page
        assert frame["width"] >= 400, frame
        assert frame["marked"] and frame["inside"], frame  # the marked cell (or row) shows without scrolling
    by_src = {f["src"]: f for f in seen["frames"]}
    total = [r for r in rows if r["code"] == "TOTAL_MISMATCH"][0]
    assert by_src[total["evidence"]]["marked"] == ["85"]


def test_every_evidence_frame_is_as_tall_as_its_page(out, seen):
    """A frame fits the rows it shows (was 300 px for three rows, the rest blank): its inner height is its page's
    height, or 300 px with a scrollbar when the page is taller; none is cut short."""
    for frame in seen["frames"]:
        if frame["content"] <= 300:
            assert abs(frame["inner"] - frame["content"]) <= 1 and not frame["scrolls"], frame
        else:
            assert frame["inner"] == 300, frame
    heights = sorted(round(f["inner"]) for f in seen["frames"])
    assert heights[0] < 150 and heights[-1] <= 300, heights  # a few rows: a small frame


def test_filters_hide_what_they_should(out, seen):
    rows = flag_rows(out)
    assert seen["byCode"] == ["TOTAL_MISMATCH", "TOTAL_MISMATCH"]  # seed 004 as .pdf and .txt
    assert len(seen["withoutErrors"]) == sum(r["severity"] != "error" for r in rows)
    assert "error" not in seen["withoutErrors"]
    assert seen["allAgain"] == len(rows)


WIDTH_PROBE = """
<script>
addEventListener('load', function () { setTimeout(function () {
  const out = document.createElement('pre');
  out.id = 'width-result';
  const wide = Array.from(document.querySelectorAll('table, h2, p, img, iframe'))
    .filter(e => e.getBoundingClientRect().right > innerWidth).map(e => e.tagName + ' ' + e.innerText.slice(0, 30));
  out.textContent = JSON.stringify({page: document.documentElement.scrollWidth, window: innerWidth, wide: wide});
  document.body.appendChild(out);
}, 1000); });
</script>
"""


@pytest.mark.parametrize("width", [1024, 1366])
def test_the_page_fits_the_window_without_sideways_scrolling(out, width):
    """Flag tables with their evidence frames and pictures, and the files table, shrink to a laptop's window
    (at 1024 px they were 1181-1312 px wide: the evidence frame's fixed 560 px, the files table's wide columns)."""
    probe = out / f"width{width}.html"
    probe.write_text((out / "report.html").read_text(encoding="utf-8").replace("</body>", WIDTH_PROBE + "</body>"),
                     encoding="utf-8")
    dom = dump_dom(probe, 6000, f"--window-size={width},1000")
    found = re.search(r'<pre id="width-result">(.*?)</pre>', dom, re.S)
    assert found, "the probe did not finish: " + dom[-300:]
    seen = json.loads(found.group(1).replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">")
                      .replace("&amp;", "&"))
    assert seen["window"] == width
    assert seen["page"] <= width and seen["wide"] == [], seen


def test_the_page_is_not_blank(out, tmp_path):
    shot = tmp_path / "report.png"
    screenshot(out / "report.html", shot, width=1000, height=1000)
    pixels = np.asarray(Image.open(shot).convert("L"))
    dark = (pixels < 128).mean()
    assert 0.01 < dark < 0.5  # text and charts drawn on a white page
    rows_with_ink = (pixels < 128).any(axis=1).mean()
    assert rows_with_ink > 0.2
