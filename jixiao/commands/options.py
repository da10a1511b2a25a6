"""Command-line options more than one command takes, stated once."""
from __future__ import annotations

import argparse

from jixiao.extract.ocr_engines import CHOICES as OCR_CHOICES


def add_ocr_engine(p: argparse.ArgumentParser) -> None:
    """--ocr-engine ENGINE (args.ocr_engine), and the old --ocr flag, still accepted and hidden."""
    p.add_argument("--ocr-engine", choices=OCR_CHOICES, default="auto", metavar="ENGINE",
                   help="OCR for PDF pages without a text layer: auto (default: rapidocr, else tesseract), "
                        "rapidocr, tesseract, or off")
    p.add_argument("--ocr", action="store_true", help=argparse.SUPPRESS)  # before OCR was on by default
