"""`jixiao dump`: the text layout (CJK double width, spans marked) and the JSON form, on real seeds."""
from __future__ import annotations

import json
from pathlib import Path

import docx

from jixiao.extract.dump import display_width, fit, format_document, format_json
from jixiao.extract.docx import read_docx
from jixiao.extract.txt import read_txt
from jixiao import cli

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SEED4 = SAMPLES / "004_35c19541f4036631.txt"


def test_display_width_counts_cjk_double():
    assert display_width("得分") == 4 and display_width("98.75") == 5 and display_width("％") == 2


def test_fit_cuts_and_pads_to_display_columns():
    assert fit("年度财政资金总额", 9) == "年度财政…"
    assert display_width(fit("年度财政资金总额", 9)) == 9
    assert fit("20", 4) == "20  "


def test_text_dump_of_seed_004_header_and_rows():
    out = format_document(read_txt(SEED4)).splitlines()
    assert out[:5] == [f"path:     {SEED4}", "format:   txt", "encoding: utf-8", "pages:    1",
                       "blocks:   124 paragraphs, 16 tables"]
    assert "p1 ¶1  2021年度两会新媒体宣传项目自评表" in out
    assert "p1 t0  table 21×7" in out
    budget = next(line for line in out if line.startswith("  r6 ") and "年度财政资金总额" in line)
    assert [c.strip() for c in budget.split("│")[3:7]] == ["20", "19.75", "98.75", "19.75"]
    # every row of a table has the same display width: columns align with CJK text
    table = [line for line in out[out.index("p1 t0  table 21×7") + 1:][:21]]
    assert len({display_width(line) for line in table}) == 1


def test_spans_are_marked(tmp_path):
    d = docx.Document()
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).merge(t.cell(1, 0)).text = "产出指标"
    t.cell(0, 1).text, t.cell(1, 1).text = "数量指标", "质量指标"
    d.save(tmp_path / "m.docx")
    out = format_document(read_docx(tmp_path / "m.docx")).splitlines()
    assert out[-2].split("│")[1].strip() == "[r2]产出指标"
    assert out[-1].split("│")[1].strip() == "·"


def test_json_dump_round_trips_cells_and_locations():
    data = json.loads(format_json(read_txt(SEED4)))
    assert data["format"] == "txt" and data["encoding"] == "utf-8"
    tables = [b for b in data["blocks"] if b["type"] == "table"]
    assert len(tables) == 16
    budget = tables[3]["grid"][6]
    assert [c["norm"] for c in budget[2:6]] == ["55", "32.37", "58.85%", "11.77"]
    assert tables[3]["location"]["label"] == "p1 t3"
    first = data["blocks"][0]
    assert first == {"type": "paragraph", "location": {"page": 1, "table": None, "row": None, "paragraph": 0,
                                                       "label": "p1 ¶0"},
                     "text": "附件1：", "norm": "附件1：", "ocr_confidence": None}


def test_command_prints_the_dump(capsys):
    assert cli.main(["dump", str(SEED4), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["page_count"] == 1


def test_command_reports_unreadable_file(capsys, tmp_path):
    (tmp_path / "empty.pdf").write_bytes(b"")
    assert cli.main(["dump", str(tmp_path / "empty.pdf")]) == 1  # exists, cannot be read
    assert capsys.readouterr().err.strip() == f"jixiao dump: {tmp_path / 'empty.pdf'}: empty file (0 bytes)"
