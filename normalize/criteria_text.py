"""Forms with a 评分标准 column (部门整体支出绩效评价评分表: 一级 二级 三级指标 评分标准 分值 得分 …) in content-stream
order, as `pdftotext -raw` writes them: each cell's lines in turn, a row's points (分值 得分, or a score alone
where the 分值 cell is merged) on a line after its cells, the 评分标准 text running on after them when its cell
is taller than the row's middle.

A row is: its level cells (lines ending in their share, 投 入 / （15 分）), its 三级 name (lines as narrow as its
column, no sentence punctuation), its criteria (the rest), its points. The rows come out as pipe rows would
(each row only its own cells), and normalize/flat_forms.py lays them out like any other flattened form. A
form whose rows do not come out whole (a row without points, a lone number the group's share cannot tell
for a weight or a score) is left out: the unread-table detector reports it."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from jixiao.normalize.table_view import compact
from jixiao.patterns import flat_text as ft
from jixiao.patterns.headers import split_weight

NAME_WIDTH = 6  # characters: a 三级 name's column wraps at 4-5; a longer line is criteria text
LEVEL_LINES = 3  # lines a level cell may wrap over before its share (产 出（2 / 5 分）)
_CRITERIA = re.compile(r"[，,。；;：:、%％≦≤≥＞<>=①②③④⑤⑥⑦⑧⑨⑩\d]")


@dataclass
class Row:
    levels: list[str] = field(default_factory=list)
    name: list[str] = field(default_factory=list)
    criteria: list[str] = field(default_factory=list)
    points: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.levels or self.name or self.criteria or self.points)


def _joined(pieces: list[str]) -> str:
    """A cell's lines as one text: Chinese wraps without a space (财政供养 / 人员 / 控制率)."""
    return "".join(compact(p) for p in pieces)


def _numbers(tokens: list[str]) -> bool:
    return 0 < len(tokens) <= 2 and all(ft.is_number(t) and ft.number(t) <= 100 for t in tokens)


def _header_line(line: str, grammar) -> list[str] | None:
    """A line of header words only, a 三级指标 and a 评分标准 among them, with points after."""
    words = line.split()
    if len(words) < 4:  # most lines: no field looked up
        return None
    fields = [grammar.field_of(w) for w in words]
    if None in fields or "standard" not in fields or "level3" not in fields:
        return None
    return words


def _header_tail(lines: list[str], k: int, words: list[str], grammar) -> tuple[list[str], int]:
    """The header's cells stacked under its line (自评 / 得分, 扣分原因 / 和其他说 / 明) up to the first body line:
    joined into header words, a last piece that makes none joined to the cell before it."""
    cells, buffer = list(words), ""
    while k < len(lines):
        piece = compact(lines[k].replace("\f", ""))
        if not piece or _body_start(piece, grammar) or len(piece) > NAME_WIDTH:
            break
        if buffer and grammar.field_of(buffer) and grammar.field_of(piece):
            cells.append(buffer)
            buffer = ""
        buffer += piece
        k += 1
    if buffer:
        if grammar.field_of(buffer):
            cells.append(buffer)
        else:
            cells[-1] += buffer
    return cells, k


def _body_start(piece: str, grammar) -> bool:
    bare = re.sub(r"[(（][^)）]*[)）]?$", "", piece)
    return grammar.level_of(bare) is not None or grammar.has_points(piece) or bool(re.search(r"\d", piece))


def _level_at(lines: list[str], k: int, end: int, grammar) -> tuple[str, int] | None:
    """A level cell from line k: up to LEVEL_LINES lines ending in its share (（15 分）), no criteria text."""
    text = ""
    for j in range(k, min(k + LEVEL_LINES, end)):
        piece = compact(lines[j])
        if _CRITERIA.search(re.sub(r"[(（][\d.\s]*分?[)）]?|^\d*分?[)）]$", "", piece)):
            return None
        text += piece
        name, share = split_weight(text)
        if share is not None:
            return (text, j + 1) if name else None
    return None


def _name_like(piece: str) -> bool:
    return len(piece) <= NAME_WIDTH and not _CRITERIA.search(piece)


def _name_tail(lines: list[str], k: int, row: Row, grammar) -> int:
    """A name whose points came out on its first line (省市区重 2 2) goes on in the lines below, up to a line
    shorter than its column's width (… 建设完成 / 情况): those lines are its, when more name lines follow them
    (the next row's: 其他工作 / 实绩指标 …); else they are the next row's name. The line after the tail returned."""
    width, j = len(compact(row.name[0])), k
    while j < len(lines):
        piece = compact(lines[j].replace("\f", ""))
        if not piece or not _name_like(piece) or _level_at(lines, j, len(lines), grammar):
            return k
        if len(piece) < width:
            following = compact(lines[j + 1].replace("\f", "")) if j + 1 < len(lines) else ""
            if following and _name_like(following) and not _level_at(lines, j + 1, len(lines), grammar):
                row.name += [compact(line) for line in lines[k:j + 1]]
                return j + 1
            return k
        j += 1
    return k


def _mid_sentence(done: Row) -> bool:
    """The row's criteria so far end mid-sentence (… 共性 / 要素。 cut after 共性)."""
    said = compact(" ".join(done.criteria))
    return bool(said) and not re.search(r"[。；;]$", said)


def _runs_on(done: Row, tokens: list[str]) -> bool:
    """A line after a row's points that goes on with its criteria: the criteria so far end mid-sentence, or the
    line does not start as a name does (部门单位应根据…, ② 相关…)."""
    return bool(done.criteria) and (_mid_sentence(done) or not _name_like(tokens[0]))


def _drawn_row(lines: list[str], k: int, tokens: list[str]) -> tuple[Row, int] | None:
    """A row drawn line by line: line k holds each cell's first line and the points (预算管理 管理制度 ① 已制定或具有
    预算资金管理 3 3), the lines after it the cells' further lines in turn: the level cells' shares (（15 分）), the
    name's (健全性), then the criteria's (left to run on). Every cell before the name must be a level cell
    with its share, else None."""
    *rest, = tokens[:-2]
    heads: list[str] = []
    while rest and len(heads) < 3 and _name_like(rest[0]):
        heads.append(rest.pop(0))
    if not heads or not rest:
        return None
    shared = [False] * len(heads)
    j = k + 1
    while j < len(lines):
        piece = compact(lines[j].replace("\f", ""))
        if ft.is_points_only(piece):
            h = shared.index(False)
            if h == len(heads) - 1:
                return None  # a share for the name: not a level cell
            heads[h], shared[h] = heads[h] + piece, True
        elif piece and _name_like(piece):
            heads[-1] += piece
        else:
            break
        j += 1
    if not all(shared[:-1]):
        return None
    return Row(levels=heads[:-1], name=[heads[-1]], criteria=[" ".join(rest)], points=tokens[-2:]), j


def body_rows(lines: list[str], grammar, header: list[str]) -> tuple[list[Row | None], int] | None:
    """The rows from the first body line to the total row (its index returned), a header repeated after a page
    break as None; None when a row does not come out whole."""
    rows: list[Row | None] = []
    row, done = Row(), None  # done: the row closed last, whose criteria may run on after its points
    just_closed, opened_after = None, None  # the row whose points were the line before; the row it ran into
    k = 0
    while k < len(lines):
        line = lines[k].replace("\f", "").strip()
        after_points, just_closed = just_closed, None
        tokens = line.split()
        if not tokens:
            k += 1
            continue
        if _header_line(line, grammar) == header[:len(tokens)] and row.empty:
            _, k = _header_tail(lines, k + 1, tokens, grammar)
            rows.append(None)
            done = None
            continue
        if grammar.is_total(tokens[0]) or grammar.is_total("".join(tokens[:2])):
            return (rows, k) if row.empty else None
        if len(tokens) > 3 and _numbers(tokens[-2:]):
            drawn = _drawn_row(lines, k, tokens) if row.empty else None
            if drawn is None:
                return None
            rows.append(drawn[0])
            done, k = drawn
            continue
        if _numbers(tokens):
            if not (row.name or row.levels) or row.points:
                return None  # points without a row: not this grammar's layout
            row.points = tokens
            rows.append(row)
            row, done = Row(), row
            just_closed = done
            k += 1
            continue
        named = _numbers(tokens[1:]) and _name_like(tokens[0])  # 社会效益 5: a name and its points on one line
        if row.empty and done is not None and not named and _runs_on(done, tokens) \
                and not _level_at(lines, k, len(lines), grammar):
            # a name's last line drawn after its points, inside its criteria's run (指标任务 … 5 5 / 完成情况 / 核内容…)
            if done is after_points and _name_like(compact(line)) and _mid_sentence(done):
                done.name.append(line)
            else:
                done.criteria.append(line)  # the criteria of the row above, running on below its points
            k += 1
            continue
        done = None
        if row.empty:  # the row this line opens: right after a row's points, or not (no stale one kept)
            opened_after = after_points
        if row.name and not row.points and not row.levels and opened_after is not None \
                and _level_at(lines, k, len(lines), grammar):
            # no points before the next level: a name's last line drawn after its points, and its criteria's rest
            # (“三公经 / 费” … 6 6 / 控制率 / 每超过…), not a row
            opened_after.name += row.name
            opened_after.criteria += row.criteria
            row, opened_after = Row(), None
        if not row.name and not row.criteria and len(row.levels) < 2:
            level = _level_at(lines, k, len(lines), grammar)
            if level is not None:
                row.levels.append(level[0])
                k = level[1]
                continue
        if not row.criteria:
            if named:
                row.name.append(tokens[0])
                row.points = tokens[1:]
                rows.append(row)
                k = _name_tail(lines, k + 1, row, grammar)
                row, done = Row(), row
                continue
            if _name_like(compact(line)):
                row.name.append(line)
                k += 1
                continue
            if len(tokens) > 1 and _name_like(tokens[0]) and not row.name:
                row.name.append(tokens[0])  # 资金结余 无结余，3 分；…: the name, then its criteria's first line
                line = " ".join(tokens[1:])
        if not row.name:
            return None
        row.criteria.append(line)
        k += 1
    return None


def _lone_points(rows: list[Row]) -> bool:
    """A row with one number is scored without its 分值 cell (merged with the row above) or weighted without a
    score: a score when the group's two-number rows already make its share, a weight when they make it with the
    lone numbers; False when neither or both (the form is not read)."""
    groups: list[tuple[float | None, list[Row]]] = []
    for row in filter(None, rows):
        if row.levels or not groups:
            groups.append((split_weight(row.levels[-1])[1] if row.levels else None, []))
        groups[-1][1].append(row)
    for share, members in groups:
        lone = [r for r in members if len(r.points) == 1]
        if not lone:
            continue
        written = sum(float(r.points[0]) for r in members if len(r.points) == 2)
        extra = sum(float(r.points[0]) for r in lone)
        as_score = share is not None and abs(written - share) < 1e-6
        as_weight = share is not None and abs(written + extra - share) < 1e-6
        if as_score == as_weight:
            return False
        for r in lone:
            r.points = ["", r.points[0]] if as_score else [r.points[0], ""]
    return True


def _adds_up(rows: list[Row], total: list[str]) -> bool:
    """The total row's points are the rows' sums (分值 100, 得分 98): no row lost, none read twice, no number
    taken from another cell."""
    if not total:
        return False
    sums = [sum(float(r.points[c]) for r in rows if r.points[c]) for c in range(2)]
    return all(abs(s - float(t)) < 1e-6 for s, t in zip(sums[-len(total):], total))


def read_forms(lines: list[str], grammar) -> list[tuple[int, int, list[list[str]]]]:
    """The criteria forms in the text: (first line, one past the last, rows as pipe rows would give them)."""
    forms = []
    k = 0
    while k < len(lines):
        header = _header_line(lines[k].replace("\f", "").strip(), grammar)
        if header is None:
            k += 1
            continue
        cells, body = _header_tail(lines, k + 1, header, grammar)
        read = body_rows(lines[body:], grammar, header)
        if read is None or not any(read[0]) or not _lone_points(read[0]):
            k = body
            continue
        rows, total = read
        total_tokens = lines[body + total].split()
        numbers = [t for t in total_tokens if ft.is_number(t)]
        if not _adds_up(list(filter(None, rows)), numbers):
            k = body
            continue
        start = k - 1 if k and grammar.starts_form(lines[k - 1].strip()) else k
        end = body + total + 1
        at_w = next((c for c, w in enumerate(cells) if grammar.field_of(w) == "weight"), len(cells) - 2)
        out = [[lines[start].strip()]] if start < k else []
        out.append(cells)
        for row in rows:
            out.append(list(cells) if row is None else
                       [*row.levels, _joined(row.name), _joined(row.criteria), *row.points])
        label = " ".join(t for t in total_tokens if not ft.is_number(t))
        out.append([label, *[""] * (at_w - 1), *numbers])
        forms.append((start, end, out))
        k = end
    return forms
