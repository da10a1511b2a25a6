"""Why a file could not be read. Each error carries the reports.status it maps to and a one-line reason."""
from __future__ import annotations


class ReadError(Exception):
    """A file that cannot be turned into a Document. str(error) is the one-line reason shown to users."""

    status = "failed"


class UnsupportedFormat(ReadError):
    status = "failed"


class NeedsOCR(ReadError):
    """No usable text layer (scanned, or (cid:NN) font garbage) and OCR was not requested or not installed."""

    status = "needs_ocr"


class NeedsConverter(ReadError):
    """A legacy format (.doc, .wps) that needs LibreOffice, which is not installed."""

    status = "needs_converter"
