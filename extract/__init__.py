"""Readers: .docx / .pdf / .txt (and more) -> one Document model of paragraphs and tables with provenance."""
from extract.model import Cell, Document, Location, Paragraph, Table
from extract.errors import NeedsConverter, NeedsOCR, ReadError, UnsupportedFormat
from extract.reader import detect_format, read

__all__ = [
    "Cell", "Document", "Location", "Paragraph", "Table",
    "ReadError", "NeedsOCR", "NeedsConverter", "UnsupportedFormat",
    "detect_format", "read",
]
