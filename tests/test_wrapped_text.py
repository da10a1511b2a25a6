"""Text hard-wrapped at a margin (pdftotext -layout / -raw dumps, a numbered OCR preview) is read a paragraph at a
time for its prose sums, and the rows of a table laid out in text columns are not summed as prose (issue 11
items 3, 4, 6: no false PROSE_SUM_MISMATCH from a dump, and the true ones the .docx has kept)."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import jixiao
from jixiao.patterns.wrapped_text import Margin, goes_on, numbered_preview, page_marks_removed, wrap_margin

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
sys.path.insert(0, str(ROOT / "scripts"))
import renditions_text  # noqa: E402

HENAN, S001 = "henan_2021-2024_zhiye_jineng_jingsai_jixiao_pingjia_baogao", "001_e7a38e6b87d50f48"
SEEDS = Path("/work/shared/seeds") if Path("/work/shared/seeds").is_dir() else ROOT.parent / "shared" / "seeds"
needs_pdftotext = pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) not installed")


def _dump(pdf: Path, mode: str, tmp_path: Path) -> Path:
    out = tmp_path / f"{pdf.stem}.{mode}.txt"
    subprocess.run(["pdftotext", f"-{mode}", "-enc", "UTF-8", str(pdf), str(out)], check=True)
    return out


def _sums(data) -> list[tuple[float, float]]:
    flags = data.flags[data.flags.code == "PROSE_SUM_MISMATCH"]
    return sorted(zip(flags.claimed, flags.recomputed))


@needs_pdftotext
@pytest.mark.parametrize("pdf", [f"{HENAN}.pdf", f"{HENAN}_unruled.pdf"])
@pytest.mark.parametrize("mode", ["layout", "raw"])
def test_henan_dumps_raise_no_false_prose_sums(pdf, mode, tmp_path):
    """The Henan report's prose has no sum that is off (its .docx: none). Its dumps had four: 525 = 195 + 153 +
    135 (+ 42 on the next line, 专项 / 赛 42 个) twice, and 表1-3's rows (88 个赛项，其中 13 个赛事 36 个    实际举办 28
    个赛; 103 … 32 个赛 实际举办 30 个赛, one space apart) summed as one sentence."""
    path = _dump(SAMPLES / pdf, mode, tmp_path)
    data = jixiao.read(path)
    assert _sums(data) == []
    sentence = "共计开展赛项525个，其中：三届省赛195个，一类赛153个、二类赛135个、专项赛42个"
    assert any(sentence in "".join(str(s).split()) for s in data.figures.sentence)  # one sentence, not two lines


@needs_pdftotext
@pytest.mark.parametrize("mode", ["layout", "raw"])
def test_seed_001_dumps_keep_the_docx_prose_sums(mode, tmp_path):
    """Seed 001's 区级平台共发稿4366篇，其中 305篇 + 1117条 + 500篇 + 2244条 = 4166 runs over four wrapped lines of the
    dump: read whole, both of the .docx's PROSE_SUM_MISMATCH are raised, with its figures (were none)."""
    docx = jixiao.read(SAMPLES / f"{S001}.docx")
    assert _sums(docx) == [(129.0, 171.0), (4366.0, 4166.0)]
    assert _sums(jixiao.read(_dump(SAMPLES / f"{S001}.pdf", mode, tmp_path))) == _sums(docx)


def test_ocr_preview_lines_are_one_text(tmp_path):
    """A doc-sharing OCR preview cuts the text every 160 characters into numbered lines (4、5个，其中…): the marks
    go and a line goes on in the next, so 省级主流党媒发稿364篇 … 红网总站发稿192 / 篇 sums to 364 (was a false
    364 ≠ 172); its sentences are read one by one (it keeps no paragraph ends: 其中…发稿2244条。 no longer takes
    the 129篇 of a later sentence), so the .docx's two sums that are off are raised as the .docx raises them."""
    blocks = renditions_text.document_blocks(SAMPLES / f"{S001}.docx")
    text = renditions_text.ocr_preview(blocks)
    assert numbered_preview(text.splitlines())
    margin = wrap_margin(page_marks_removed(text.splitlines()))
    assert margin is not None and margin.chars == renditions_text.OCR_LINE
    path = tmp_path / f"{S001}.ocr.txt"
    path.write_text(text, encoding="utf-8")
    assert _sums(jixiao.read(path)) == [(129.0, 171.0), (4366.0, 4166.0)]


def test_ocr_preview_numbers_read_as_written(tmp_path):
    """The Henan report's preview has 表演赛项目10个 as 表演赛项目IO个 (OCR's letters for digits): undone before its
    sums are judged, 第一届省赛45个赛项，其中比赛项目35个，表演赛项目IO个 is 35 + 10 (was summed on into the
    cells glued after it: a false 45 ≠ 525). What stays: four sums inside its 评价意见 cells, glued into prose,
    that count 赛事 and 赛项 together (146, 101, 168, 174)."""
    blocks = renditions_text.document_blocks(SAMPLES / f"{HENAN}.docx")
    path = tmp_path / f"{HENAN}.ocr.txt"
    path.write_text(renditions_text.ocr_preview(blocks), encoding="utf-8")
    assert [claimed for claimed, _ in _sums(jixiao.read(path))] == [101.0, 146.0, 168.0, 174.0]


@pytest.mark.parametrize("name", ["000_b521ea4f1433165c", "001_e7a38e6b87d50f48", "002_8355fd70a3086172",
                                  "003_4634e4d09f39b8e4", "004_35c19541f4036631"])
def test_a_paragraph_a_line_is_not_wrapped(name):
    """The seeds' .txt write a paragraph a line: no margin is found, every line stays its own paragraph."""
    path = SEEDS / f"{name}.txt"
    if not path.exists():
        pytest.skip("seeds not beside the checkout")
    assert wrap_margin(path.read_text(encoding="utf-8").splitlines()) is None


def test_margin_reached_in_columns_or_characters():
    margin = Margin(columns=88, chars=47)
    assert goes_on("立项程序规范性、绩效指标明确性、资金分配合理性；过程指标得 11.47 分，得分率 45.88%，扣分项", margin)
    assert not goes_on("项目总体评价得 65.00 分。", margin)
    assert not goes_on("91 个，补贴资金 910 万元。补贴资金总额 13534.70 万元，共计四十七个字符以上的一行文字。", margin)
    assert margin.in_column(" " * 46 + "个赛事 168 个赛项，其中：第二届省赛 70")
    assert not margin.in_column("    项目总体评价得 65.00 分")
