"""Readers: .docx / .pdf / .txt (and more) -> one Document model of paragraphs and tables with provenance."""
from jixiao.extract.model import Cell, Document, Location, Paragraph, Table
from jixiao.extract.errors import NeedsConverter, NeedsOCR, ReadError, UnsupportedFormat
from jixiao.extract.reader import detect_format, read

__all__ = [
    "Cell", "Document", "Location", "Paragraph", "Table",
    "ReadError", "NeedsOCR", "NeedsConverter", "UnsupportedFormat",
    "detect_format", "read",
]
