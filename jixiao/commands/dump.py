"""`jixiao dump FILE`: the document model a reader makes of one file (paragraphs and tables with locations)."""
from __future__ import annotations

import sys

from jixiao.extract.dump import MAX_CELL_WIDTH, format_document, format_json
from jixiao.inputs import refuse_unless_file
from jixiao.extract.errors import ReadError
from jixiao.commands.options import add_ocr_engine


def add_parser(sub) -> None:
    p = sub.add_parser("dump", help="print the document model of one file: paragraphs and tables with locations",
                       description="Print what the readers make of FILE: a header (path, format, encoding, "
                                   "pages, warnings), then every paragraph and table with its location "
                                   "(p3 t2 r7, p2 ¶14). Merged cells are marked [r2×c3]; covered spots ·.")
    p.add_argument("file", metavar="FILE", help=".docx, .pdf, .txt (or any format jixiao reads)")
    p.add_argument("--json", action="store_true", help="machine-readable JSON instead of aligned text")
    add_ocr_engine(p)
    p.add_argument("--width", type=int, default=MAX_CELL_WIDTH, metavar="N",
                   help=f"cut table cells to N display columns (default {MAX_CELL_WIDTH})")
    p.set_defaults(func=run)


def run(args) -> int:
    from jixiao.extract.reader import read
    refused = refuse_unless_file("dump", args.file)
    if refused is not None:
        return refused
    try:
        doc = read(args.file, ocr=args.ocr_engine)
    except ReadError as err:
        print(f"jixiao dump: {args.file}: {err}", file=sys.stderr)
        return 1
    text = format_json(doc) if args.json else format_document(doc, max(args.width, 4))
    try:
        sys.stdout.write(text)
    except BrokenPipeError:  # `jixiao dump x | head`
        sys.stderr.close()
    return 0
