"""Text renditions of the seed forms (scripts/renditions_text.py) read like the .docx they were made from:
the same scorecards, totals, budget rows and indicator rows."""
from __future__ import annotations

from pathlib import Path

import jixiao

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def _plain(value):
    text = str(value)
    return None if text in ("<NA>", "nan", "None") else text


def form_rows(data) -> tuple[list, list, list]:
    cards = [tuple(map(_plain, (r.kind, r.name, r.claimed_total, r.recomputed_total, r.claimed_grade)))
             for r in data.scorecards.itertuples()]
    budget = [tuple(map(_plain, (r.line, r.budget_raw, r.executed_raw, r.claimed_rate, r.weight, r.claimed_score,
                                 r.recomputed_score)))
              for r in data.budget_lines.itertuples() if _plain(r.scorecard_id)]
    indicators = [tuple(map(_plain, (r.level1, r.level2, r.level3, r.level1_weight, r.level2_weight, r.weight,
                                     r.target_raw, r.actual_raw, r.claimed_score, r.recomputed_score)))
                  for r in data.indicators.itertuples()]
    return cards, budget, indicators


def test_seed004_pipe_rows_read_as_the_docx():
    docx = form_rows(jixiao.read(SAMPLES / "004_35c19541f4036631.docx"))
    pipe = form_rows(jixiao.read(SAMPLES / "004_35c19541f4036631.pipe.txt"))
    assert len(docx[0]) == 16 and len(docx[2]) == 151
    assert pipe == docx


def test_seed001_pipe_rows_read_the_scorecard_and_its_rows():
    docx = form_rows(jixiao.read(SAMPLES / "001_e7a38e6b87d50f48.docx"))
    pipe = form_rows(jixiao.read(SAMPLES / "001_e7a38e6b87d50f48.pipe.txt"))
    assert [c[:3] for c in pipe[0]] == [c[:3] for c in docx[0]] == [("department", "部门整体支出绩效评价评分表", "98.0")]
    assert len(pipe[2]) == len(docx[2]) == 25
    # 22 of 25 rows alike; under 履职效益 the 三级 names 社会效益/生态效益 are also 二级 names, and a row with
    # its 分值 cell empty cannot tell them apart without the table lines (recorded in the golden output)
    assert sum(a[:3] == b[:3] for a, b in zip(pipe[2], docx[2])) == 22
