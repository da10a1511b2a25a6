"""Out-of-order PDF text layers: the committed seed PDFs with each page's text listed in another order.

Some producers write a page's text in an order that is not the reading order: a table's value columns
before its name columns, rows from the bottom up, cells in the order they were edited. The glyphs sit
where they sat; only the content stream lists them differently, so `pdftotext -raw` (content-stream
order) gives the text out of order while the page looks the same. Each rendition here takes a committed
PDF of samples/ and moves its text runs — LibreOffice writes each as a self-contained `q … BT … ET … Q`
group with its own colour, font and absolute position — into a new order with pikepdf; the ruling lines
stay where they were. `python scripts/renditions_reorder.py [OUTDIR]` writes them (default samples/).
"""
from __future__ import annotations

import random
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@dataclass
class Run:
    """A text run of a page: its operators (a `q … Q` group holding BT … ET) and where it starts."""

    ops: list
    x: float
    y: float  # PDF user space: y grows upwards


def columns_first(runs: list[Run], page: int) -> list[Run]:
    """Value columns before name columns: the rightmost column first, each column top-down."""
    return sorted(runs, key=lambda r: (-round(r.x), -r.y))


def bottom_up(runs: list[Run], page: int) -> list[Run]:
    """Rows from the bottom of the page up, each row left to right."""
    return sorted(runs, key=lambda r: (round(r.y), r.x))


def shuffled(runs: list[Run], page: int) -> list[Run]:
    """Runs in a random order, the same on every build (seeded by the page number)."""
    out = list(runs)
    random.Random(page).shuffle(out)
    return out


ORDERS: dict[str, Callable[[list[Run], int], list[Run]]] = {
    "columns": columns_first, "bottomup": bottom_up, "shuffled": shuffled}
# (source PDF in samples/, order): the rendition is samples/<source stem>.<order>.pdf
RENDITIONS = [
    ("001_e7a38e6b87d50f48.pdf", "columns"),
    ("004_35c19541f4036631.pdf", "bottomup"),
    ("004_35c19541f4036631_unruled.pdf", "shuffled"),
]


def rendition_name(source: str, order: str) -> str:
    return f"{Path(source).stem}.{order}.pdf"


def _start(ops: list) -> tuple[float, float]:
    """Where a run's text starts: the first Td (LibreOffice's BT starts from the identity matrix) or Tm."""
    for op in ops:
        name = str(op.operator)
        if name == "Td":
            return float(op.operands[0]), float(op.operands[1])
        if name == "Tm":
            return float(op.operands[4]), float(op.operands[5])
    raise ValueError("a text run without Td or Tm")


def split_runs(ops: list) -> tuple[list, int, list[Run]]:
    """A page's operators without its text runs, the index where the runs go back, and the runs.

    A run is a `q … Q` group holding BT inside the page's outer `q … Q`; every run must sit in the same
    outer group and carry its own state (no BT elsewhere, marked content balanced inside the run), else
    moving it could change how it is drawn: refused."""
    rest, runs, slot, outers = [], [], None, set()
    depth, outer, i = 0, 0, 0
    while i < len(ops):
        name = str(ops[i].operator)
        if name == "q" and depth == 1:  # a group inside the page's outer group: a run if it holds text
            end = _matching_q(ops, i)
            group = ops[i:end + 1]
            if any(str(op.operator) == "BT" for op in group):
                if _marks(group) or outers - {outer}:
                    raise ValueError("text runs that cannot be moved on their own")
                outers.add(outer)
                slot = len(rest) if slot is None else slot
                runs.append(Run(group, *_start(group)))
            else:
                rest.extend(group)
            i = end + 1
            continue
        if name == "q":
            depth += 1
            outer += depth == 1
        elif name == "Q":
            depth -= 1
        elif name == "BT":
            raise ValueError("text outside a run's q … Q group")
        rest.append(ops[i])
        i += 1
    return rest, slot or 0, runs


def _matching_q(ops: list, start: int) -> int:
    depth = 0
    for i in range(start, len(ops)):
        depth += {"q": 1, "Q": -1}.get(str(ops[i].operator), 0)
        if depth == 0:
            return i
    raise ValueError("unbalanced q … Q")


def _marks(ops: list) -> int:
    """Marked content left open (or closed twice) by a run."""
    return sum({"BDC": 1, "BMC": 1, "EMC": -1}.get(str(op.operator), 0) for op in ops)


def reorder_pdf(src: Path, dst: Path, order: str) -> Path:
    """`src` with each page's text runs in `order`; everything else as it was."""
    import pikepdf  # build-time only (extra `samples`): the committed renditions need nothing to be read

    arrange = ORDERS[order]
    with pikepdf.open(src) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            rest, slot, runs = split_runs(list(pikepdf.parse_content_stream(page)))
            ops = rest[:slot] + [op for run in arrange(runs, number) for op in run.ops] + rest[slot:]
            page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(ops))
        pdf.docinfo["/Title"] = f"{pdf.docinfo.get('/Title', src.stem)} ({order})"
        pdf.save(dst, deterministic_id=True, compress_streams=True)
    return dst


def build(out: Path = SAMPLES, samples: Path = SAMPLES) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    return [reorder_pdf(samples / source, out / rendition_name(source, order), order)
            for source, order in RENDITIONS]


if __name__ == "__main__":
    for path in build(Path(sys.argv[1]) if len(sys.argv) > 1 else SAMPLES):
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
