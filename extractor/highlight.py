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


def page_boxes(path: Path, number: int, evidence: tuple[Evidence, ...]) -> list[list[Box]]:
    """Where each piece of ``evidence`` is on the image of page ``number``, in order; an empty list where one
    cannot be placed (the quote is still shown). The file is opened and the page's text extracted once."""
    return _page_boxes(str(path), number, path.stat().st_mtime_ns, evidence)


@lru_cache(maxsize=64)
def _page_boxes(path: str, number: int, _mtime_ns: int, evidence: tuple[Evidence, ...]) -> list[list[Box]]:
    import pdfplumber

    found: list[list[Box]] = [[] for _ in evidence]
    if any(e.source is TextSource.ocr for e in evidence):
        from extractor.ocr import OcrSettings, cached_words

        words = cached_words(Path(path), number, OcrSettings())
        for k, ev in enumerate(evidence):
            if ev.source is TextSource.ocr:
                found[k] = _ocr_boxes(words, ev)
    wanted = [k for k, ev in enumerate(evidence) if ev.source is not TextSource.ocr and ev.text.strip()]
    if wanted:
        with pdfplumber.open(path) as pdf:
            if 1 <= number <= len(pdf.pages):
                page = pdf.pages[number - 1]
                text = page.extract_text(**EXTRACT) or ""
                for k in wanted:
                    found[k] = _text_boxes(page, text, evidence[k])
    return found


def _text_boxes(page, text: str, evidence: Evidence) -> list[Box]:
    quote = evidence.text
    nth = text.count(quote, 0, evidence.start) if quote in text else 0
    matches = page.search(re.escape(quote), regex=True, **EXTRACT)
    if not matches:
        return []
    return _lines(matches[min(nth, len(matches) - 1)]["chars"], DPI / 72)


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


def _ocr_boxes(words: list[tuple[int, int, tuple[int, int, int, int]]], evidence: Evidence) -> list[Box]:
    """Boxes of the OCR words the evidence's span covers (hOCR boxes are in 300 dpi pixels)."""
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
