"""Plain-text reader. One file may mix three layouts: prose (a paragraph a line), tab-separated rows
(PDF text dumps) and Word table dumps (one tab-led cell a line, rows separated by a blank line)."""
from __future__ import annotations

import codecs
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import charset_normalizer

from jixiao.extract.errors import ReadError
from jixiao.extract.grid import grid_from_rows
from jixiao.extract.model import Document, Location, Paragraph, Table
from jixiao.extract.textnorm import normalize_text

# Byte-order marks, longest first: a UTF-32-LE mark begins with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
# Strict decodes tried in order on unmarked bytes; GB18030 is a superset of GBK and GB2312.
_UNMARKED = ("utf-8", "gb18030")
_BINARY_CONTROL_SHARE = 0.10  # more control bytes than this: not a text file
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f]")  # control characters other than \t \n \v \f \r

BLANK, TEXT, CELL, TSV = "blank", "text", "cell", "tsv"


@dataclass
class Decoded:
    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def decode(data: bytes) -> Decoded:
    """Text and the encoding it was written in: BOM, then strict decodes, then charset-normalizer's guess."""
    for mark, encoding in _BOMS:
        if data.startswith(mark):
            return _decode_lenient(data, encoding)
    if b"\x00" in data:
        return _decode_lenient(data, _utf16_by_nul_parity(data))
    for encoding in _UNMARKED:
        try:
            return Decoded(data.decode(encoding), encoding)
        except UnicodeDecodeError:
            continue
    best = charset_normalizer.from_bytes(data).best()
    if best is not None:
        return _decode_lenient(data, best.encoding)
    # stray binary bytes defeat every guess: keep the encoding that loses the fewest characters
    return min((_decode_lenient(data, e) for e in _UNMARKED), key=lambda d: d.text.count("\ufffd"))


def _utf16_by_nul_parity(data: bytes) -> str:
    """UTF-16 without a mark: ASCII characters (newlines, tabs, digits) put their NUL on one side."""
    even = data[0::2].count(0)
    odd = data[1::2].count(0)
    return "utf-16-le" if odd >= even else "utf-16-be"


def _decode_lenient(data: bytes, encoding: str) -> Decoded:
    """Decode, replacing bytes the encoding cannot read, and say how many were replaced."""
    try:
        return Decoded(data.decode(encoding), encoding)
    except UnicodeDecodeError:
        pass
    text = data.decode(encoding, errors="replace")
    bad = text.count("\ufffd") - _count_replacement_chars_written(data, encoding)
    return Decoded(text, encoding, [f"{bad} undecodable byte sequence(s) in {encoding} replaced with U+FFFD"])


def _count_replacement_chars_written(data: bytes, encoding: str) -> int:
    """U+FFFD characters the file itself contains (already in the text before decoding errors)."""
    marker = "\ufffd".encode(encoding.replace("-sig", ""), errors="ignore")
    return data.count(marker) if marker else 0


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    return bool(sample) and len(_CONTROL_RE.findall(sample)) / len(sample) > _BINARY_CONTROL_SHARE


# ---------------------------------------------------------------- line layout


@dataclass(slots=True)  # one per line of the file: slots make them cheaper to build and read
class Line:
    kind: str  # blank, text, cell (one leading tab, Word dump), tsv (tab-separated fields)
    text: str  # the line without its leading tab for cells
    no: int = 0  # 1-based line number in the file


def classify(raw: str, no: int = 0) -> Line:
    if "\t" in raw:
        return Line(CELL, raw[1:], no) if raw[0] == "\t" and raw.count("\t") == 1 else Line(TSV, raw, no)
    if not raw.strip():
        return Line(BLANK, "", no)
    return Line(TEXT, raw, no)


@dataclass
class RawTable:
    """Rows of cells, each cell the lines written in it."""

    rows: list[list[list[str]]] = field(default_factory=list)
    from_tsv: bool = False
    starts: list[list[int]] = field(default_factory=list)  # parallel to rows: each cell's first line number

    def new_row(self, first_line: str, no: int = 0) -> None:
        self.rows.append([[first_line]])
        self.starts.append([no])

    def new_cell(self, first_line: str, no: int = 0) -> None:
        self.rows[-1].append([first_line])
        self.starts[-1].append(no)

    def continue_cell(self, line: str) -> None:
        self.rows[-1][-1].append(line)


@dataclass
class RawText:
    """A paragraph's text and the line it is on."""

    text: str
    line: int = 0


RawBlock = RawText | RawTable  # a paragraph or a table


def parse_lines(lines: list[Line]) -> list[RawBlock]:
    """Blocks in reading order from classified lines."""
    blocks: list[RawBlock] = []
    table: RawTable | None = None
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        if line.kind == TSV:
            table = None
            rows, nos, i = _tsv_run(lines, i)
            blocks.append(RawTable([[[f] for f in row] for row in rows], from_tsv=True,
                                   starts=[[no] * len(row) for row, no in zip(rows, nos)]))
            continue
        if table is None:
            if line.kind == TEXT:
                blocks.append(RawText(line.text, line.no))
            elif line.kind == CELL:
                table = RawTable()
                table.new_row(line.text, line.no)
                blocks.append(table)
            i += 1
            continue
        blanks = _count_blanks(lines, i)
        j = i + blanks
        if j == n:
            break
        nxt = lines[j]
        if nxt.kind == TSV:
            table, i = None, j
        elif nxt.kind == CELL:
            if blanks == 0:
                table.new_cell(nxt.text, nxt.no)
            elif blanks >= 2 and _repeats_header(lines, j, table):
                # An empty paragraph, then the same header again: a second table, as Word needs one between.
                table = RawTable()
                table.new_row(nxt.text, nxt.no)
                blocks.append(table)
            else:
                table.new_row(nxt.text, nxt.no)
            i = j + 1
        elif blanks == 0:
            table.continue_cell(nxt.text)
            i = j + 1
        else:
            i, table = _after_blank_text(lines, i, table, blocks)
    return blocks


def _count_blanks(lines: list[Line], i: int) -> int:
    j = i
    while j < len(lines) and lines[j].kind == BLANK:
        j += 1
    return j - i


def _tsv_run(lines: list[Line], i: int) -> tuple[list[list[str]], list[int], int]:
    """Consecutive tab-separated rows (blank lines between them allowed, as PDF page breaks leave them),
    with each row's line number."""
    rows: list[list[str]] = []
    nos: list[int] = []
    j = i
    while j < len(lines):
        kind = lines[j].kind
        if kind in (TSV, CELL):
            nos.append(lines[j].no)
        if kind == TSV:
            rows.append(lines[j].text.split("\t"))
        elif kind == CELL:
            rows.append(["", lines[j].text])  # one leading tab: an empty first field
        elif kind == BLANK:
            after = j + _count_blanks(lines, j)
            if after < len(lines) and lines[after].kind == TSV:
                j = after
                continue
            break
        else:
            break
        j += 1
    return rows, nos, j


def _repeats_header(lines: list[Line], j: int, table: RawTable) -> bool:
    """Whether the row starting at line j repeats the table's first row, cell by cell (first lines)."""
    firsts = []
    while j < len(lines) and lines[j].kind in (CELL, TEXT):
        if lines[j].kind == CELL:
            firsts.append(normalize_text(lines[j].text))
        j += 1
    header = [normalize_text(cell[0]) for cell in table.rows[0]]
    return len(header) > 1 and firsts == header


def _after_blank_text(lines: list[Line], i: int, table: RawTable,
                      blocks: list[RawBlock]) -> tuple[int, RawTable | None]:
    """Text lines after a blank line inside a table: the current cell goes on (Word writes empty cell
    paragraphs as blank lines) or the table has ended. A double blank line (an empty paragraph after the
    row's end) once the cell has text marks where the table ends; with none, the text is cell content
    unless the file ends."""
    k = i
    while k < len(lines) and lines[k].kind in (BLANK, TEXT):
        k += 1
    end = k
    while lines[end - 1].kind == BLANK:
        end -= 1  # blank lines after the run stay: they tell whether the next cell starts a row
    run = lines[i:end]
    split = _table_end(run, cell_has_text=any(line.strip() for line in table.rows[-1][-1]))
    if split is None and k == len(lines) or split is None and lines[k].kind == TSV:
        split = 0
    cell_part = run if split is None else run[:split]
    for line in cell_part:
        if line.kind == TEXT:
            table.continue_cell(line.text)
    if split is None:
        return end, table
    blocks.extend(RawText(line.text, line.no) for line in run[split:] if line.kind == TEXT)
    return end, None


def _table_end(run: list[Line], cell_has_text: bool) -> int | None:
    """Where the table ends in a run of blank and text lines: the first double blank line followed by text
    once the cell holds text. Blank lines before the cell's first text are its empty paragraphs (a
    signature box), and the first end found, not the last, so that paragraphs after it (blank lines
    between them included) never pull the earlier ones back into the cell."""
    for p in range(len(run) - 2):
        cell_has_text = cell_has_text or run[p].kind == TEXT
        if run[p].kind == BLANK and run[p + 1].kind == BLANK and cell_has_text and any(
                line.kind == TEXT for line in run[p + 2:]):
            return p
    return None


# ---------------------------------------------------------------- rows to grid


def regular_width(rows: list[list]) -> int | None:
    """The table's column count when it is regular: the widest row length is also the most common one.
    None for tables of mixed sections (seed 001's first table), which are left as they are."""
    counts = Counter(len(r) for r in rows)
    if not counts:
        return None
    widest = max(counts)
    return widest if counts[widest] == max(counts.values()) else None


def repair_split_rows(rows: list[list], width: int | None) -> list[list]:
    """Join two consecutive short rows whose cell counts add up to the width: a blank line inside a cell
    (an empty paragraph at its end) split one row in two."""
    if width is None:
        return rows
    out = []
    i = 0
    while i < len(rows):
        pair = rows[i:i + 2]
        if len(pair) == 2 and max(map(len, pair)) < width and sum(map(len, pair)) == width:
            out.append(pair[0] + pair[1])
            i += 2
        else:
            out.append(rows[i])
            i += 1
    return out


def _cell_text(lines: list[str]) -> str:
    """A cell's lines joined with \\n; blank lines (empty paragraphs) dropped."""
    if len(lines) == 1:  # most cells: one line, nothing to join
        return lines[0] if lines[0].strip() else ""
    return "\n".join([line for line in lines if line.strip()])


def build_table(raw: RawTable, index: int) -> Table:
    width = None if raw.from_tsv else regular_width(raw.rows)
    rows, starts = repair_split_rows(raw.rows, width), repair_split_rows(raw.starts, width)
    texts = [[_cell_text(cell) for cell in row] for row in rows]
    first = starts[0][0] if starts and starts[0] else None
    return Table(grid=grid_from_rows(texts, starts), location=Location(page=1, table=index, line=first), pages=[1])


# ---------------------------------------------------------------- entry point


def read_text(text: str, source_path: str = "", encoding: str | None = None) -> Document:
    """A Document from text already decoded."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    doc = Document(source_path=source_path, format="txt", page_count=1, encoding=encoding, text=text)
    if "\t" not in text:  # no cell lines: each line with text a paragraph, as parse_lines would make them
        filled = [(no, raw) for no, raw in enumerate(text.split("\n"), 1) if raw.strip()]
        doc.blocks = [Paragraph(raw, Location(page=1, paragraph=k, line=no)) for k, (no, raw) in enumerate(filled)]
        return doc
    lines = [classify(raw, no) for no, raw in enumerate(text.split("\n"), 1)]
    n_tables = n_paragraphs = 0
    for block in parse_lines(lines):
        if isinstance(block, RawTable):
            doc.blocks.append(build_table(block, n_tables))
            n_tables += 1
        else:
            doc.blocks.append(Paragraph(block.text, Location(page=1, paragraph=n_paragraphs, line=block.line)))
            n_paragraphs += 1
    return doc


def read_txt(path: str | Path) -> Document:
    """Read a .txt report. Raises ReadError when the file cannot be opened or is not text."""
    try:
        data = Path(path).read_bytes()
    except IsADirectoryError:
        raise ReadError(f"cannot read {path}: is a directory") from None
    except OSError as err:
        raise ReadError(f"cannot read {path}: {err.strerror or err}") from None
    decoded = decode(data)
    if _looks_binary(decoded.text):
        raise ReadError(f"not a text file: {path} is mostly control bytes")
    doc = read_text(decoded.text, str(path), decoded.encoding)
    doc.warnings.extend(decoded.warnings)
    if not doc.blocks:
        doc.warnings.append("empty file: no text")
    return doc
