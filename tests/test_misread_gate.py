"""The arithmetic gate (normalize/misread.py): a form read from a table without ruling lines is judged only when
its own arithmetic holds or fails as an author's slip does. Misreadings planted into seed 001's unruled PDF
become UNPARSED_TABLE with no error flags; a real mismatch planted into the same, correctly read, form stays
flagged; the same misreading in a ruled table is judged as read (the arithmetic gate is for aligned tables only).
A form from any table whose pieces were joined wrongly (a row read twice, a level cell cut from the label above) is
not judged either."""
from __future__ import annotations

from pathlib import Path

import pytest

from jixiao import extract
from jixiao.extract.model import Table
from jixiao.normalize.pipeline import build_rows

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
UNRULED = SAMPLES / "001_e7a38e6b87d50f48_unruled.pdf"
RULED = SAMPLES / "001_e7a38e6b87d50f48.pdf"
ERRORS = {"TOTAL_MISMATCH", "WEIGHT_SUM_MISMATCH", "GROUP_OVER_WEIGHT"}


def _document(path: Path):
    if not path.exists():
        pytest.skip(f"{path.name} not built (scripts/build_samples.py)")
    return extract.read(path)


def _run(document) -> tuple[dict, dict]:
    report = {"report_id": "r", "status": "ok", "source_path": document.source_path}
    tables = build_rows(document, report)
    return report, tables


def _cell(document, text: str, last: bool = True):
    """The (last) cell of a form table reading exactly `text`."""
    cells = [c for b in document.blocks if isinstance(b, Table) for c in b.iter_cells() if c.norm == text]
    return cells[-1] if last else cells[0]


def _errors(tables) -> set[str]:
    return {f["code"] for f in tables["flags"] if f["severity"] == "error"}


def test_correctly_read_unruled_form_is_judged():
    document = _document(UNRULED)
    assert any(b.from_alignment for b in document.blocks if isinstance(b, Table))
    report, tables = _run(document)
    assert report["status"] == "ok"
    assert [(s["claimed_total"], s["recomputed_total"]) for s in tables["scorecards"]] == [(98.0, 98.0)]
    assert not [f for f in tables["flags"] if f["code"] == "UNPARSED_TABLE"]


def test_real_total_mismatch_in_a_correctly_read_unruled_form_stays_flagged():
    document = _document(UNRULED)
    _cell(document, "98").text = "93"  # the 总分 row: the author wrote 93 over rows adding up to 98
    report, tables = _run(document)
    assert report["status"] == "ok"
    assert len(tables["scorecards"]) == 1
    (flag,) = [f for f in tables["flags"] if f["code"] == "TOTAL_MISMATCH"]
    assert (flag["severity"], flag["claimed"], flag["recomputed"]) == ("error", 93.0, 98.0)


def test_real_group_weight_slip_in_a_correctly_read_unruled_form_stays_flagged():
    document = _document(UNRULED)
    label = _cell(document, "产 出（25分）")
    label.text = "产 出（30分）"  # a level weighed 5 points too many: the form's weights add up to 105
    report, tables = _run(document)
    assert len(tables["scorecards"]) == 1
    assert "WEIGHT_SUM_MISMATCH" in _errors(tables)


def test_misread_total_is_not_judged():
    document = _document(UNRULED)
    _cell(document, "98").text = "38"  # a total 60 points off its rows: the reader's error, not the author's
    report, tables = _run(document)
    assert report["status"] == "partial"
    assert tables["scorecards"] == [] and tables["indicators"] == []
    assert not _errors(tables)
    (flag,) = [f for f in tables["flags"] if f["code"] == "UNPARSED_TABLE"]
    assert flag["message"] == ("p7 t0: 评分表 指标表头 found, 25 of ~25 rows read, rows do not add up "
                               "(总分 38 ≠ 各项得分合计 98): not judged")


def test_unruled_form_with_nothing_to_sum_is_not_judged():
    document = _document(UNRULED)
    for cell in [c for b in document.blocks if isinstance(b, Table) for c in b.iter_cells() if c.col == 0 and c.row]:
        cell.text = ""  # level labels lost (as a misread merged cell would be): no weight sum
    _cell(document, "98").text = ""  # and no total: nothing vouches for the rows read
    report, tables = _run(document)
    assert report["status"] == "partial"
    assert tables["scorecards"] == [] and not _errors(tables)
    (flag,) = [f for f in tables["flags"] if f["code"] == "UNPARSED_TABLE"]
    assert flag["message"].endswith("rows do not add up (neither its weights nor its total can be summed): not judged")


def test_the_same_misreading_in_a_ruled_table_is_judged_as_read():
    document = _document(RULED)
    assert not any(b.from_alignment for b in document.blocks if isinstance(b, Table))
    _cell(document, "98").text = "38"
    report, tables = _run(document)
    assert len(tables["scorecards"]) == 1 and "TOTAL_MISMATCH" in _errors(tables)


def test_form_whose_page_pieces_were_misjoined_is_not_judged(tmp_path):
    """The Henan 附件1 form as docling writes it (merged text repeated in every position, the table cut into page
    pieces): a row read twice and level cells cut from the label above (D1经济效益 | 8分). Judged as read, it gave
    21 of 28 rows, WEIGHT_SUM_MISMATCH×5, TOTAL_MISMATCH and CLAIM_CONFLICT×6 — all the reader's — and status ok."""
    import sys
    sys.path.insert(0, str(SAMPLES.parent / "scripts"))
    import renditions_md

    stem = "henan_2021-2024_zhiye_jineng_jingsai_jixiao_pingjia_baogao"
    if not (SAMPLES / f"{stem}.docx").exists():
        pytest.skip("Henan .docx not in samples/")
    (path,) = [p for p in renditions_md.build(tmp_path, stems=(stem,)) if p.name.endswith(".gfm.md")]
    report, tables = _run(extract.read(path))
    assert report["status"] == "partial"
    assert tables["scorecards"] == [] and tables["indicators"] == []
    assert not _errors(tables) and not [f for f in tables["flags"] if f["code"] == "CLAIM_CONFLICT"]
    (flag,) = [f for f in tables["flags"] if f["code"] == "UNPARSED_TABLE"]
    assert flag["message"] == ("p1 t9: 指标体系评分表 指标表头 found, 29 of ~30 rows read, rows misjoined (rows read "
                               "twice (B101管理制度健全性); level cells cut from the one above (8分, 15分, "
                               "社会公众或服务对象满意度)): not judged")
