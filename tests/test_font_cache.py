"""The evidence pictures' cheaper text drawing (normalize/font_cache.py) gives the very pixels and lines of the
plain Pillow font and the per-character wrapping loop it replaced."""
from __future__ import annotations

import random

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from jixiao.normalize.evidence import cjk_font_file
from jixiao.normalize.font_cache import MemoFont, wrap_lines

FONT = cjk_font_file()
pytestmark = pytest.mark.skipif(FONT is None, reason="no CJK font (scripts/setup-system.sh installs fonts-noto-cjk)")


def per_character(text: str, font, width: float, max_lines: int) -> list[str]:
    """The loop evidence.py had: measure the line again for every character."""
    lines, line = [], ""
    for ch in text:
        if font.getlength(line + ch) > width:
            lines.append(line)
            line = ""
        line += ch
    return (lines + [line])[:max_lines]


def test_wrap_lines_breaks_where_the_per_character_loop_did():
    plain, memo = ImageFont.truetype(FONT, 16), MemoFont(FONT, 16)
    alphabet = "绩效评价报告项目资金预算执行率得分abcWMil.,% 0123456789（）、，。：\u3000"
    rng = random.Random(7)
    cases = 0
    for n in (0, 1, 2, 3, 47, 48, 95, 700):
        for width in (760, 40, 16, 1):
            for _ in range(6):
                text = "".join(rng.choice(alphabet) for _ in range(n))
                expected = per_character(text, plain, width, 12)
                assert wrap_lines(text, memo, width, 12) == expected, (text, width)
                cases += 1
    long = "项目资金使用情况良好，" * 400  # a long paragraph: 12 lines kept, the rest never measured
    assert wrap_lines(long, memo, 760, 12) == per_character(long, plain, 760, 12)
    assert len(wrap_lines(long, memo, 760, 12)) == 12 and cases == 192


def test_memo_font_draws_the_same_pixels_and_remembers():
    plain, memo = ImageFont.truetype(FONT, 16), MemoFont(FONT, 16)
    texts = ["指标名称", "年度指标值", "实际完成值 98.5%", "预算执行率", "指标名称"]
    pictures = []
    for font in (plain, memo, memo):  # memo twice: the second picture is drawn from remembered masks
        image = Image.new("RGB", (400, 30 * len(texts)), "white")
        draw = ImageDraw.Draw(image)
        for i, text in enumerate(texts):
            draw.text((6, 30 * i + 5), text, fill="black", font=font)
            assert font.getlength(text) == plain.getlength(text)
        pictures.append(np.asarray(image))
    assert (pictures[0] == pictures[1]).all() and (pictures[0] == pictures[2]).all()
    assert pictures[0].min() == 0  # text was drawn
    assert len(memo._masks) == 4 and len(memo._lengths) == 4  # "指标名称" twice: remembered once
