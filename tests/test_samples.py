"""Structural checks on the committed sample renditions (built by scripts/build_samples.py; no LibreOffice needed)."""
from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from pathlib import Path

import docx
import pdfplumber
import pytest

from forms import REAL

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SEED_004 = "004_35c19541f4036631"
SEED_001 = "001_e7a38e6b87d50f48"
HENAN = "henan_2021-2024_zhiye_jineng_jingsai_jixiao_pingjia_baogao"
HENAN_MD = REAL / f"{HENAN}.md"
SEEDS = ["000_b521ea4f1433165c", SEED_001, "002_8355fd70a3086172", "003_4634e4d09f39b8e4", SEED_004]


def row_cells(row) -> list:
    """The distinct cells of a python-docx row (it repeats a horizontally merged cell per grid column)."""
    out, seen = [], set()
    for cell in row.cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            out.append(cell)
    return out


def pdf_text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


@pytest.fixture(scope="module")
def doc_004():
    return docx.Document(str(SAMPLES / f"{SEED_004}.docx"))


@pytest.fixture(scope="module")
def doc_001():
    return docx.Document(str(SAMPLES / f"{SEED_001}.docx"))


@pytest.fixture(scope="module")
def doc_henan():
    return docx.Document(str(SAMPLES / f"{HENAN}.docx"))


@pytest.mark.parametrize("name", [f"{s}.txt" for s in SEEDS] + [
    f"{SEED_004}.docx", f"{SEED_004}.pdf", f"{SEED_001}.docx", f"{SEED_001}.pdf", f"{HENAN}.docx", f"{HENAN}.pdf",
])
def test_sample_file_is_committed(name):
    assert (SAMPLES / name).stat().st_size > 0


def test_samples_doc_lists_every_sample_file():
    readme = (SAMPLES.parent / "docs" / "samples.md").read_text(encoding="utf-8")
    for path in SAMPLES.iterdir():
        if not path.name.startswith("."):
            assert f"`{path.name}`" in readme, path.name


def test_004_has_sixteen_project_forms(doc_004):
    assert len(doc_004.tables) == 16
    assert all(t.cell(0, 0).text == "项目名称" for t in doc_004.tables)


def test_004_fourth_form_budget_row(doc_004):
    row = doc_004.tables[3].rows[6]
    texts = [c.text for c in row_cells(row)]
    assert texts[1:] == ["年度财政资金总额", "55", "32.37", "58.85%", "11.77"]


def test_004_level_cells_are_real_merges(doc_004):
    table = doc_004.tables[0]
    assert table.cell(5, 0).text == "预算执行\n情况（万元）\n（20分）"
    assert table.cell(5, 0)._tc is table.cell(6, 0)._tc  # vertical merge over the two budget rows
    goal = table.cell(7, 0)
    assert goal.text == "年度绩效目标\n（80分）"
    assert all(table.cell(r, 0)._tc is goal._tc for r in range(7, 17))
    output = table.cell(8, 1)
    assert output.text == "产出指标\n（40分）"
    assert all(table.cell(r, 1)._tc is output._tc for r in range(8, 13))
    total = row_cells(table.rows[17])
    assert [c.text for c in total] == ["总分", "99.75"]


def test_004_tables_have_explicit_borders(doc_004):
    tbl_pr = doc_004.tables[0]._tbl.tblPr
    assert tbl_pr.find(docx.oxml.ns.qn("w:tblBorders")) is not None


def test_001_score_table_merges(doc_001):
    score_tables = [t for t in doc_001.tables if t.cell(0, 0).text == "一级指标"]
    assert len(score_tables) == 2  # the dump repeats the header: two tables, kept as two
    first = score_tables[0]
    assert first.cell(1, 0).text == "投  入\n（15分）"
    assert first.cell(1, 0)._tc is first.cell(3, 0)._tc
    assert first.cell(1, 1).text == "预算配置\n（15分）"
    assert first.cell(1, 1)._tc is first.cell(3, 1)._tc
    last = row_cells(score_tables[1].rows[-1])
    assert [c.text for c in last][:1] == ["总 分"] and [c.text for c in last][4:6] == ["100", "98"]


def test_docx_core_properties_are_fixed(doc_004, doc_001, doc_henan):
    for doc in (doc_004, doc_001, doc_henan):
        assert doc.core_properties.created == dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
        assert doc.core_properties.author == "jixiao scripts/build_samples.py"


@pytest.mark.parametrize("stem, phrase", [(SEED_004, "年度财政资金总额"), (SEED_001, "部门整体支出绩效评价评分表")])
def test_pdf_has_real_chinese_text(stem, phrase):
    text = pdf_text(SAMPLES / f"{stem}.pdf")
    assert phrase in text
    assert "(cid:" not in text


@pytest.mark.parametrize("stem, first_cell", [(SEED_004, "项目名称"), (SEED_001, "一级指标")])
def test_pdf_tables_are_ruled(stem, first_cell):
    """Drawn cell borders let pdfplumber find the form: the first page whose text has the header."""
    with pdfplumber.open(SAMPLES / f"{stem}.pdf") as pdf:
        page = next(p for p in pdf.pages if first_cell in (p.extract_text() or ""))
        assert len(page.edges) > 10
        tables = page.extract_tables()
    assert any(row and row[0] == first_cell for table in tables for row in table)


def test_henan_tables_and_merges(doc_henan):
    assert len(doc_henan.tables) == 108
    xml = doc_henan.element.xml
    assert "w:gridSpan" in xml and "w:vMerge" in xml
    summary = next(t for t in doc_henan.tables if t.cell(0, 0).text == "分值")
    assert [c.text for c in row_cells(summary.rows[1])] == ["得分", "10.40", "11.47", "19.88", "23.25", "65.00"]
    indicator = [t for t in doc_henan.tables if t.cell(0, 0).text == "一级指标" and len(t.columns) == 9]
    last = row_cells(indicator[-1].rows[-1])
    assert last[0].text == "合计" and last[-1].text == "65.00"
    first = indicator[0]
    assert first.cell(1, 0).text == "A决策15分" and first.cell(1, 0)._tc is first.cell(2, 0)._tc


class _HtmlTables(HTMLParser):
    """rowspan/colspan tables of the MinerU Markdown, as (text, rowspan, colspan) per cell."""

    def __init__(self):
        super().__init__()
        self.tables: list[list[list[list]]] = []
        self.cell: list | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag == "td":
            self.cell = ["", int(attrs.get("rowspan", 1)), int(attrs.get("colspan", 1))]
            self.tables[-1][-1].append(self.cell)

    def handle_endtag(self, tag):
        if tag == "td":
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[0] += data


def expand(rows: list[list[list]]) -> list[list[str]]:
    """The full grid of an HTML table, merged text repeated over every position it covers."""
    grid: dict[tuple[int, int], str] = {}
    for r, row in enumerate(rows):
        c = 0
        for text, rowspan, colspan in row:
            while (r, c) in grid:
                c += 1
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid[(r + dr, c + dc)] = text.strip()
            c += colspan
    n_rows = max(k[0] for k in grid) + 1
    n_cols = max(k[1] for k in grid) + 1
    return [[grid.get((r, c), "") for c in range(n_cols)] for r in range(n_rows)]


@pytest.mark.skipif(not HENAN_MD.exists(), reason="shared real material not mounted")
def test_henan_docx_tables_equal_the_markdown_tables(doc_henan):
    parser = _HtmlTables()
    parser.feed(HENAN_MD.read_text(encoding="utf-8"))
    assert len(parser.tables) == len(doc_henan.tables)
    for source, table in zip(parser.tables, doc_henan.tables):
        assert expand(source) == [[c.text.strip() for c in row.cells] for row in table.rows]
