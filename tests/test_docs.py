"""The project's docs and the code agree: schema columns and the flag catalogue."""
import re
from pathlib import Path

from jixiao.normalize.flags import catalogue
from jixiao.normalize.schema import BBOX_FORMAT, GEOMETRY_COLUMNS, INDEX_BASE, TABLES

DOCS = Path(__file__).resolve().parent.parent / "docs"


def documented_columns(table: str) -> list[str]:
    text = (DOCS / "schema.md").read_text(encoding="utf-8")
    section = text.split(f"## {table} ")[1].split("\n## ")[0]
    columns = []
    for line in section.splitlines():
        match = re.match(r"\|\s*([a-z_0-9, ]+?)\s*\|", line)
        if match and match.group(1) not in ("column",):
            columns += [c.strip() for c in match.group(1).split(",")]
    return columns


def test_every_schema_column_is_in_code_and_docs():
    for table, columns in TABLES.items():
        assert documented_columns(table) == list(columns), table


def test_flag_docs_cover_the_catalogue():
    text = (DOCS / "flags.md").read_text(encoding="utf-8")
    codes = [entry["code"] for entry in catalogue()]
    assert len(codes) == 18  # 17 of the spec, and NO_SCORECARD
    for code in codes:
        assert f"`{code}`" in text, code


def test_spec_flag_codes_match_catalogue():
    spec = (DOCS / "scoring.md").read_text(encoding="utf-8")
    spec_codes = set(re.findall(r"^\| ([A-Z_]+) \|", spec, re.M)) - {"code"}
    assert spec_codes == {entry["code"] for entry in catalogue()}


def test_flag_docs_are_generated_from_the_catalogue():
    from jixiao.normalize.flags import catalogue_markdown
    assert (DOCS / "flags.md").read_text(encoding="utf-8") == catalogue_markdown()


def test_location_convention_is_said_once_and_matches_code():
    text = (DOCS / "schema.md").read_text(encoding="utf-8")
    conventions = text.split("## reports ")[0]
    assert f"every index is {INDEX_BASE}-based" in conventions
    assert f'`"{BBOX_FORMAT}"`' in conventions and "origin top-left" in conventions
    assert text.count("every index is") == 1  # said once
    for table, columns in TABLES.items():
        if set(GEOMETRY_COLUMNS) & set(columns):
            assert set(GEOMETRY_COLUMNS) <= set(columns), table
            section = text.split(f"## {table} ")[1].split("\n## ")[0]
            assert f"| {', '.join(GEOMETRY_COLUMNS)} |" in section, table
