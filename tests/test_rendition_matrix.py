"""The rendition matrix (scripts/rendition_matrix.py): every sample with a .docx in every shape it is committed
in or can be built in here, held to the .docx form by form. The expected table below is the matrix as it
stands: a regression or an improvement shows as a diff; an improvement updates the table
(`python scripts/rendition_matrix.py --table`, pasted here; /work/notes and the commit message say why).
Renditions that need a tool this machine lacks (LibreOffice: .html, .doc; poppler: .layout/.raw dumps) are
left out of the comparison, saying so."""
from __future__ import annotations

import difflib
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import rendition_matrix  # noqa: E402

EXPECTED = """\
| sample | rendition | status | forms exact | forms found | rows exact | mismatches |
|---|---|---|---|---|---|---|
| 001 | .docx | ok | 1/1 | 1/1 | 25/25 | — |
| 001 | .bare.txt | ok | 1/1 | 1/1 | 25/25 | — |
| 001 | .cellrows.txt | ok | 1/1 | 1/1 | 25/25 | — |
| 001 | .cellrows2.txt | ok | 1/1 | 1/1 | 25/25 | — |
| 001 | .cells.nameless.txt | ok | 1/1 | 1/1 | 25/25 | — |
| 001 | .cells.txt | ok | 1/1 | 1/1 | 25/25 | — |
| 001 | .cellsblank.txt | ok | 1/1 | 1/1 | 25/25 | — |
| 001 | .cellsdense.txt | ok | 1/1 | 1/1 | 25/25 | — |
| 001 | .columns.layout.txt | partial | 0/1 | 0/1 | 0/25 | 1 unread; report flags +UNPARSED_TABLE×2 |
| 001 | .columns.pdf | ok | 1/1 | 1/1 | 25/25 | — |
| 001 | .columns.raw.txt | partial | 0/1 | 0/1 | 0/25 | 1 unread; report flags +UNPARSED_TABLE×2 −PROSE_SUM_MISMATCH×2 |
| 001 | .doc | ok | 1/1 | 1/1 | 25/25 | — |
| 001 | .fwrunon.txt | ok | 1/1 | 1/1 | 25/25 | — |
| 001 | .gfm-once.md | ok | 1/1 | 1/1 | 25/25 | — |
| 001 | .gfm.md | ok | 1/1 | 1/1 | 25/25 | — |
| 001 | .hant.txt | ok | 1/1 | 1/1 | 25/25 | — |
| 001 | .html | ok | 1/1 | 1/1 | 25/25 | — |
| 001 | .layout.txt | partial | 0/1 | 0/1 | 0/25 | 1 unread; report flags +UNPARSED_TABLE×2 |
| 001 | .md.txt | ok | 1/1 | 1/1 | 25/25 | — |
| 001 | .mineru.md | ok | 1/1 | 1/1 | 25/25 | — |
| 001 | .ocr.txt | partial | 0/1 | 0/1 | 0/25 | 1 unread; report flags +UNPARSED_TABLE×3 |
| 001 | .pdf | ok | 1/1 | 1/1 | 25/25 | — |
| 001 | .pipe.nameless.txt | ok | 1/1 | 1/1 | 25/25 | — |
| 001 | .pipe.txt | ok | 1/1 | 1/1 | 25/25 | — |
| 001 | .raw.txt | ok | 1/1 | 1/1 | 25/25 | — |
| 001 | .runon.nameless.txt | ok | 1/1 | 1/1 | 25/25 | — |
| 001 | .runon.txt | ok | 1/1 | 1/1 | 25/25 | — |
| 001 | .tsv.txt | ok | 1/1 | 1/1 | 25/25 | — |
| 001 | .txt | ok | 1/1 | 1/1 | 25/25 | — |
| 001 | .xlsx | ok | 1/1 | 1/1 | 25/25 | — |
| 001 | _unruled.layout.txt | partial | 0/1 | 0/1 | 0/25 | 1 unread; report flags +UNPARSED_TABLE×2 |
| 001 | _unruled.pdf | ok | 1/1 | 1/1 | 25/25 | report flags +PROSE_SUM_MISMATCH×1 |
| 001 | _unruled.raw.txt | ok | 1/1 | 1/1 | 25/25 | — |
| 001 | _unruled_shift20.layout.txt | partial | 0/1 | 0/1 | 0/25 | 1 unread; report flags +UNPARSED_TABLE×2 |
| 001 | _unruled_shift20.pdf | ok | 1/1 | 1/1 | 25/25 | report flags +PROSE_SUM_MISMATCH×1 |
| 001 | _unruled_shift20.raw.txt | partial | 0/1 | 0/1 | 0/25 | 1 unread; report flags +UNPARSED_TABLE×2 |
| 001 | _unruled_shift50.layout.txt | partial | 0/1 | 0/1 | 0/25 | 1 unread; report flags +UNPARSED_TABLE×2 |
| 001 | _unruled_shift50.pdf | partial | 0/1 | 0/1 | 0/25 | 1 unread; report flags +PROSE_SUM_MISMATCH×1 +UNPARSED_TABLE×1 |
| 001 | _unruled_shift50.raw.txt | ok | 1/1 | 1/1 | 25/25 | — |
| 004 | .docx | ok | 16/16 | 16/16 | 151/151 | — |
| 004 | .bare.txt | ok | 16/16 | 16/16 | 151/151 | — |
| 004 | .bottomup.layout.txt | partial | 12/16 | 12/16 | 111/151 | 4 unread; report flags +UNPARSED_TABLE×6 |
| 004 | .bottomup.pdf | ok | 16/16 | 16/16 | 151/151 | — |
| 004 | .bottomup.raw.txt | partial | 0/16 | 0/16 | 0/151 | 16 unread; report flags +UNPARSED_TABLE×32 |
| 004 | .cellrows.txt | ok | 16/16 | 16/16 | 151/151 | — |
| 004 | .cellrows2.txt | ok | 16/16 | 16/16 | 151/151 | — |
| 004 | .cells.nameless.txt | ok | 0/16 | 16/16 | 0/151 | 16 differ (flags 5, rows 16); rows: levels 151; form flags −MISPLACED_INDICATOR×1 −TEMPLATE_PLACEHOLDER×4 |
| 004 | .cells.txt | ok | 16/16 | 16/16 | 151/151 | — |
| 004 | .cellsblank.txt | ok | 16/16 | 16/16 | 151/151 | — |
| 004 | .cellsdense.txt | ok | 16/16 | 16/16 | 151/151 | — |
| 004 | .doc | ok | 16/16 | 16/16 | 151/151 | — |
| 004 | .fwrunon.txt | ok | 16/16 | 16/16 | 151/151 | — |
| 004 | .gfm-once.md | ok | 16/16 | 16/16 | 151/151 | — |
| 004 | .gfm.md | ok | 16/16 | 16/16 | 151/151 | — |
| 004 | .hant.txt | ok | 16/16 | 16/16 | 151/151 | — |
| 004 | .html | ok | 16/16 | 16/16 | 151/151 | — |
| 004 | .layout.txt | partial | 12/16 | 12/16 | 111/151 | 4 unread; report flags +UNPARSED_TABLE×6 |
| 004 | .md.txt | ok | 16/16 | 16/16 | 151/151 | — |
| 004 | .mineru.md | ok | 16/16 | 16/16 | 151/151 | — |
| 004 | .ocr.txt | partial | 12/16 | 12/16 | 113/151 | 4 unread; report flags +UNPARSED_TABLE×4 |
| 004 | .pdf | ok | 16/16 | 16/16 | 151/151 | — |
| 004 | .pipe.nameless.txt | ok | 0/16 | 16/16 | 0/151 | 16 differ (flags 5, rows 16); rows: levels 151; form flags −MISPLACED_INDICATOR×1 −TEMPLATE_PLACEHOLDER×4 |
| 004 | .pipe.txt | ok | 16/16 | 16/16 | 151/151 | — |
| 004 | .raw.txt | partial | 15/16 | 15/16 | 141/151 | 1 unread; report flags +UNPARSED_TABLE×1 |
| 004 | .runon.nameless.txt | ok | 0/16 | 16/16 | 0/151 | 16 differ (flags 5, rows 16); rows: levels 151; form flags −MISPLACED_INDICATOR×1 −TEMPLATE_PLACEHOLDER×4 |
| 004 | .runon.txt | ok | 16/16 | 16/16 | 151/151 | — |
| 004 | .tsv.txt | ok | 16/16 | 16/16 | 151/151 | — |
| 004 | .txt | ok | 16/16 | 16/16 | 151/151 | — |
| 004 | .xlsx | ok | 16/16 | 16/16 | 151/151 | — |
| 004 | _unruled.layout.txt | partial | 8/16 | 8/16 | 74/151 | 8 unread; report flags +UNPARSED_TABLE×13 |
| 004 | _unruled.pdf | ok | 16/16 | 16/16 | 151/151 | — |
| 004 | _unruled.raw.txt | partial | 14/16 | 14/16 | 128/151 | 2 unread; report flags +UNPARSED_TABLE×2 |
| 004 | _unruled.shuffled.layout.txt | partial | 8/16 | 8/16 | 74/151 | 8 unread; report flags +UNPARSED_TABLE×13 |
| 004 | _unruled.shuffled.pdf | ok | 16/16 | 16/16 | 151/151 | — |
| 004 | _unruled.shuffled.raw.txt | partial | 0/16 | 0/16 | 0/151 | 16 unread; report flags +UNPARSED_TABLE×5 |
| 004 | _unruled_shift120.layout.txt | partial | 13/16 | 13/16 | 120/151 | 3 unread; report flags +UNPARSED_TABLE×3 |
| 004 | _unruled_shift120.pdf | ok | 16/16 | 16/16 | 151/151 | — |
| 004 | _unruled_shift120.raw.txt | partial | 15/16 | 15/16 | 141/151 | 1 unread; report flags +UNPARSED_TABLE×1 |
| 004 | _unruled_shift130.layout.txt | partial | 12/16 | 12/16 | 111/151 | 4 unread; report flags +UNPARSED_TABLE×5 |
| 004 | _unruled_shift130.pdf | ok | 16/16 | 16/16 | 151/151 | — |
| 004 | _unruled_shift130.raw.txt | partial | 13/16 | 13/16 | 118/151 | 3 unread; report flags +UNPARSED_TABLE×4 |
| 004 | _unruled_shift40.layout.txt | partial | 11/16 | 11/16 | 101/151 | 5 unread; report flags +UNPARSED_TABLE×7 |
| 004 | _unruled_shift40.pdf | ok | 16/16 | 16/16 | 151/151 | — |
| 004 | _unruled_shift40.raw.txt | partial | 14/16 | 14/16 | 132/151 | 2 unread; report flags +UNPARSED_TABLE×2 |
| 004 | _unruled_shift60.layout.txt | partial | 12/16 | 12/16 | 111/151 | 4 unread; report flags +UNPARSED_TABLE×5 |
| 004 | _unruled_shift60.pdf | ok | 16/16 | 16/16 | 151/151 | — |
| 004 | _unruled_shift60.raw.txt | partial | 15/16 | 15/16 | 141/151 | 1 unread; report flags +UNPARSED_TABLE×1 |
| 004 | _unruled_shift70.layout.txt | partial | 11/16 | 11/16 | 100/151 | 5 unread; report flags +UNPARSED_TABLE×6 |
| 004 | _unruled_shift70.pdf | partial | 15/16 | 15/16 | 142/151 | 1 unread; report flags +UNPARSED_TABLE×1 |
| 004 | _unruled_shift70.raw.txt | partial | 12/16 | 12/16 | 109/151 | 4 unread; report flags +UNPARSED_TABLE×6 |
| 004 | _unruled_shift90.layout.txt | partial | 14/16 | 14/16 | 133/151 | 2 unread; report flags +UNPARSED_TABLE×2 |
| 004 | _unruled_shift90.pdf | ok | 16/16 | 16/16 | 151/151 | — |
| 004 | _unruled_shift90.raw.txt | partial | 14/16 | 14/16 | 132/151 | 2 unread; report flags +UNPARSED_TABLE×2 |
| henan | .docx | ok | 1/1 | 1/1 | 28/28 | — |
| henan | .bare.txt | ok | 1/1 | 1/1 | 28/28 | — |
| henan | .cellrows.txt | ok | 1/1 | 1/1 | 28/28 | — |
| henan | .cellrows2.txt | ok | 1/1 | 1/1 | 28/28 | — |
| henan | .cells.nameless.txt | ok | 1/1 | 1/1 | 28/28 | — |
| henan | .cells.txt | ok | 1/1 | 1/1 | 28/28 | — |
| henan | .cellsblank.txt | ok | 1/1 | 1/1 | 28/28 | — |
| henan | .cellsdense.txt | ok | 1/1 | 1/1 | 28/28 | — |
| henan | .doc | ok | 1/1 | 1/1 | 28/28 | — |
| henan | .fwrunon.txt | ok | 1/1 | 1/1 | 28/28 | — |
| henan | .gfm-once.md | ok | 1/1 | 1/1 | 28/28 | — |
| henan | .gfm.md | partial | 0/1 | 0/1 | 0/28 | 1 unread; report flags +UNPARSED_TABLE×1 |
| henan | .html | ok | 1/1 | 1/1 | 28/28 | — |
| henan | .layout.txt | partial | 0/1 | 0/1 | 0/28 | 1 unread; report flags +UNPARSED_TABLE×12 |
| henan | .md (real) | ok | 1/1 | 1/1 | 28/28 | — |
| henan | .md.txt | ok | 1/1 | 1/1 | 28/28 | — |
| henan | .mineru.md | ok | 1/1 | 1/1 | 28/28 | — |
| henan | .ocr.txt | partial | 0/1 | 0/1 | 0/28 | 1 unread; report flags +PROSE_SUM_MISMATCH×4 +UNPARSED_TABLE×28 |
| henan | .pdf | ok | 1/1 | 1/1 | 28/28 | — |
| henan | .pipe.nameless.txt | ok | 1/1 | 1/1 | 28/28 | — |
| henan | .pipe.txt | ok | 1/1 | 1/1 | 28/28 | — |
| henan | .raw.txt | partial | 0/1 | 0/1 | 0/28 | 1 unread; report flags +UNPARSED_TABLE×10 |
| henan | .runon.nameless.txt | ok | 1/1 | 1/1 | 28/28 | — |
| henan | .runon.txt | ok | 1/1 | 1/1 | 28/28 | — |
| henan | .tsv.txt | ok | 1/1 | 1/1 | 28/28 | — |
| henan | .xlsx | ok | 1/1 | 1/1 | 28/28 | — |
| henan | _unruled.layout.txt | partial | 0/1 | 0/1 | 0/28 | 1 unread; report flags +UNPARSED_TABLE×12 |
| henan | _unruled.pdf | ok | 1/1 | 1/1 | 28/28 | — |
| henan | _unruled.raw.txt | partial | 0/1 | 0/1 | 0/28 | 1 unread; report flags +UNPARSED_TABLE×10 |
"""


def expected_lines(sample: str) -> list[str]:
    return [line for line in EXPECTED.splitlines() if line.startswith(f"| {sample} |")]


def _needs(line: str) -> str | None:
    """The tool a rendition needs that is missing here, if any."""
    label = line.split(" | ")[1]
    if label in (".html", ".doc") and not rendition_matrix.renditions_office.office_installed():
        return "LibreOffice"
    if label.endswith((".layout.txt", ".raw.txt")) and not shutil.which("pdftotext"):
        return "pdftotext"
    return None


@pytest.mark.parametrize("sample", ["004", "001", "henan"])
def test_every_rendition_as_the_matrix_says(sample, tmp_path):
    want = expected_lines(sample)
    assert want, f"no expected rows for {sample}"
    lacking = {line.split(" | ")[1]: _needs(line) for line in want if _needs(line)}
    got = [o.line() for o in rendition_matrix.matrix((sample,), keep=tmp_path)]
    want = [line for line in want if line.split(" | ")[1] not in lacking]
    diff = "\n".join(difflib.unified_diff(want, got, "expected", "now", lineterm="", n=0))
    assert got == want, f"the matrix of {sample} changed (tools missing: {lacking or 'none'}):\n{diff}"


def test_the_matrix_covers_every_sample_with_a_docx():
    assert sorted(map(rendition_matrix.short, rendition_matrix.stems())) == ["001", "004", "henan"]


def test_forms_read_without_a_name_are_kept_apart():
    """Two forms read without a name (the Henan -fixed dumps' per-dimension tables once were) are two entries,
    not a crash on NaN."""
    import jixiao
    data = jixiao.read(rendition_matrix.SAMPLES / "004_35c19541f4036631.txt")
    data.scorecards.loc[:1, "name"] = float("nan")
    names = list(rendition_matrix.forms(data))
    assert names[:2] == ["(no name)", "(no name)#2"] and len(names) == 16
