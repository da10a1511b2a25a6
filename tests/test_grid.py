"""extract.grid.build_grid, the one merged-cell grid builder of every reader, on hand-built spans."""
from jixiao.extract.grid import Span, build_grid, grid_from_rows
from jixiao.extract.model import Location, Table


def shape(grid):
    """Per position: the origin's text at an origin with its span, '^r,c' at a covered position."""
    return [[f"^{cell.origin[0]},{cell.origin[1]}" if cell.origin else (cell.text, cell.rowspan, cell.colspan)
             for cell in row] for row in grid]


def test_spans_become_origins_and_covered_positions():
    grid = build_grid([Span(0, 0, "项目资金", rowspan=2), Span(0, 1, "预算数", colspan=2), Span(1, 1, "20"),
                       Span(1, 2, "19")])
    assert shape(grid) == [[("项目资金", 2, 1), ("预算数", 1, 2), "^0,1"],
                           ["^0,0", ("20", 1, 1), ("19", 1, 1)]]
    table = Table(grid, Location())
    assert (table.text(1, 0), table.text(0, 2)) == ("项目资金", "预算数")


def test_empty_positions_are_empty_cells_and_the_size_can_be_given():
    grid = build_grid([Span(0, 1, "a")], n_rows=2, n_cols=3)
    assert shape(grid) == [[("", 1, 1), ("a", 1, 1), ("", 1, 1)], [("", 1, 1)] * 3]
    assert [(c.row, c.col) for row in grid for c in row] == [(r, c) for r in range(2) for c in range(3)]


def test_overlapping_spans_the_first_listed_keeps_its_positions():
    grid = build_grid([Span(0, 0, "A", rowspan=2, colspan=2), Span(1, 1, "B"), Span(0, 2, "C", rowspan=2),
                       Span(1, 0, "D")], n_rows=2, n_cols=3)
    assert shape(grid) == [[("A", 2, 2), "^0,0", ("C", 2, 1)], ["^0,0", "^0,0", "^0,2"]]


def test_spans_running_past_the_grid_are_clipped():
    grid = build_grid([Span(0, 0, "x", rowspan=1000, colspan=5), Span(3, 3, "outside")], n_rows=2, n_cols=2)
    assert shape(grid) == [[("x", 2, 2), "^0,0"], ["^0,0", "^0,0"]]


def test_ragged_text_rows_are_padded():
    assert shape(grid_from_rows([["a", "b", "c"], ["d"]])) == [[("a", 1, 1), ("b", 1, 1), ("c", 1, 1)],
                                                                [("d", 1, 1), ("", 1, 1), ("", 1, 1)]]


def test_text_rows_are_the_grid_of_one_by_one_spans():
    """grid_from_rows builds its cells directly: the same cells (text, place, line) as build_grid's."""
    rows, lines = [["a", "", "c"], ["d"], [], ["e", "f"]], [[3, 3, 4], [5], [], [7]]
    spans = [Span(r, c, text, line=lines[r][c] if c < len(lines[r]) else None)
             for r, row in enumerate(rows) for c, text in enumerate(row)]
    assert grid_from_rows(rows, lines) == build_grid(spans, 4, 3)
    assert grid_from_rows(rows) == build_grid([Span(s.row, s.col, s.text) for s in spans], 4, 3)
    assert grid_from_rows(rows, lines)[3][0].line == 7 and grid_from_rows(rows, lines)[3][1].line is None


def test_a_cells_norm_follows_its_text():
    # Cell.norm is remembered with the text it came from: a replaced text (traditional script simplified in
    # place, normalize/flat_forms._simplify) gives the new text's norm, never the old one
    from jixiao.extract.model import Cell
    cell = Cell("８０ 分\u3000", 0, 0)
    assert cell.norm == "80 分"
    cell.text = "項目　９５％"
    assert cell.norm == "項目 95%"
    assert cell == Cell("項目　９５％", 0, 0) and "_norm" not in repr(cell)  # the memo is no field of the cell


def test_a_table_stacked_from_pieces_with_their_own_columns_is_cut_into_them():
    """The .docx reader's spans of a table LibreOffice merged from two page pieces (.doc): rows of four cells on
    grid columns 0,1,3,6 then 0,2,4,5; a row whose merge leaves fewer cells, or one under a cell running down,
    stays in its piece. Each piece keeps only the grid columns its cells use."""
    from jixiao.extract.grid import build_pieces, stacked_pieces

    def row(r, starts, ends, texts):
        return [Span(r, c0, t, colspan=c1 - c0) for c0, c1, t in zip(starts, ends, texts)]

    spans = (row(0, [0, 1, 3, 6], [1, 3, 6, 7], ["名称", "权重", "得分", "得分率"])
             + row(1, [0, 1, 3], [1, 3, 7], ["A1", "5", "说明"])  # a merge: three cells, same piece
             + row(2, [0, 1, 3, 6], [1, 3, 6, 7], ["A11", "5", "2", "40%"])
             + row(3, [0, 2, 4, 5], [2, 4, 5, 7], ["A2", "3", "1", "33%"])
             + [Span(4, 0, "合计", rowspan=2, colspan=2)] + row(4, [2, 4, 5], [4, 5, 7], ["8", "3", "38%"])
             + row(5, [2, 4, 5], [4, 5, 7], ["", "", ""]))
    assert stacked_pieces(spans, 6) == [(0, 3), (3, 6)]
    upper, lower = build_pieces(spans, 6, 7)
    assert (len(upper[0]), len(lower[0])) == (4, 4)
    assert [[c.text for c in r if c.origin is None] for r in lower] == [["A2", "3", "1", "33%"], ["合计", "8", "3", "38%"],
                                                                       ["", "", ""]]
    assert build_pieces(spans[:11], 3, 7) == [build_grid(spans[:11], 3, 7)]  # one piece: the grid as built
