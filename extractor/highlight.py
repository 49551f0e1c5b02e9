"""Page images for the review workspace, and where on them a piece of evidence is.

A text-layer page is searched with pdfplumber for the evidence's quote (the same text extraction settings as the
reader's, so the k-th occurrence before the evidence's offset is the one); each line of the match becomes one
box. A scanned page has no text layer to search: its OCR words carry their boxes in the hOCR the reader cached,
matched by the evidence's character span.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from models import Evidence, TextSource

DPI = 110  # the page image: A4 is ~910 px wide, readable beside the facts
EXTRACT = {"x_tolerance": 2, "y_tolerance": 3}  # as extractor.pages reads the text layer


@dataclass(frozen=True)
class Box:
    """A rectangle on the page image, in pixels."""

    x0: float
    top: float
    x1: float
    bottom: float


@lru_cache(maxsize=64)
def page_png(path: str, number: int, mtime_ns: int) -> bytes:
    """Page ``number`` (1-based) of a PDF as PNG bytes (``mtime_ns`` keys the cache to the file's version)."""
    import io

    import pypdfium2

    doc = pypdfium2.PdfDocument(path)
    try:
        image = doc[number - 1].render(scale=DPI / 72).to_pil()
    finally:
        doc.close()
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def boxes(path: Path, evidence: Evidence) -> list[Box]:
    """Where ``evidence`` is on its page image; empty when it cannot be placed (the quote is still shown)."""
    if evidence.source is TextSource.ocr:
        return _ocr_boxes(path, evidence)
    return _text_boxes(str(path), evidence.page, evidence.start, evidence.text)


@lru_cache(maxsize=512)
def _text_boxes(path: str, number: int, start: int, quote: str) -> list[Box]:
    import pdfplumber

    if not quote.strip():
        return []
    with pdfplumber.open(path) as pdf:
        if not 1 <= number <= len(pdf.pages):
            return []
        page = pdf.pages[number - 1]
        text = page.extract_text(**EXTRACT) or ""
        nth = text.count(quote, 0, start) if quote in text else 0
        matches = page.search(re.escape(quote), regex=True, **EXTRACT)
        if not matches:
            return []
        chars = matches[min(nth, len(matches) - 1)]["chars"]
    return _lines(chars, DPI / 72)


def _lines(chars: list[dict], scale: float) -> list[Box]:
    """One box per line of matched characters."""
    lines: dict[int, list[dict]] = {}
    for char in chars:
        lines.setdefault(round(char["top"]), []).append(char)
    return [
        Box(
            min(c["x0"] for c in line) * scale,
            min(c["top"] for c in line) * scale,
            max(c["x1"] for c in line) * scale,
            max(c["bottom"] for c in line) * scale,
        )
        for line in lines.values()
    ]


def _ocr_boxes(path: Path, evidence: Evidence) -> list[Box]:
    """Boxes of the OCR words the evidence's span covers, from the cached hOCR (300 dpi pixels)."""
    from extractor.ocr import OcrSettings, cached_words

    words = cached_words(path, evidence.page, OcrSettings())
    scale = DPI / 300
    found: dict[int, list[tuple[float, float, float, float]]] = {}
    for start, end, box in words:
        if start < evidence.end and end > evidence.start:
            found.setdefault(round(box[1] / 20), []).append(box)
    return [
        Box(min(b[0] for b in line) * scale, min(b[1] for b in line) * scale,
            max(b[2] for b in line) * scale, max(b[3] for b in line) * scale)
        for line in found.values()
    ]  # fmt: skip
