"""One verdict's body text, stitched from page bodies, with a map back to page offsets.

Running headers, footers and page numbers are left out of the body so they do not break sentences,
but every body character still knows its page and its offset in that page's extracted text.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from extractor.pages import PageText
from models import Evidence

# A page-number line: "2", "- 2 -", "— 2 —", "Страница 2 из 4", "стр. 2", "Page 2 of 4", "2/4".
PAGE_NUMBER_LINE = re.compile(
    r"^\s*(?:[-—–]\s*)?(?:(?:страница|стр\.?|page|бет)\s*)?\d{1,4}"
    r"(?:\s*(?:из|of|/)\s*\d{1,4})?(?:\s*[-—–])?\s*$",
    re.IGNORECASE,
)
DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class Segment:
    doc_start: int
    doc_end: int
    page: int
    page_start: int


@dataclass
class DocumentText:
    text: str
    segments: list[Segment]
    pages: list[PageText]
    _starts: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._starts = [s.doc_start for s in self.segments]

    def evidence(self, start: int, end: int, pattern_id: str | None = None) -> list[Evidence]:
        """Evidence for the body span ``[start, end)``: one piece per page it touches."""
        pieces: list[Evidence] = []
        idx = max(bisect.bisect_right(self._starts, start) - 1, 0)
        for seg in self.segments[idx:]:
            if seg.doc_start >= end:
                break
            lo, hi = max(start, seg.doc_start), min(end, seg.doc_end)
            if lo >= hi:
                continue
            page = self.pages[seg.page - 1]
            # OCR pages: the body holds the corrected text; the evidence quotes the page as it was read.
            p_start = page.to_quoted(seg.page_start + (lo - seg.doc_start))
            p_end = page.to_quoted(seg.page_start + (hi - seg.doc_start))
            quote = page.quoted[p_start:p_end]
            if not quote.strip():
                continue
            pieces.append(
                Evidence(
                    page=seg.page,
                    start=p_start,
                    end=p_end,
                    text=quote,
                    pattern_id=pattern_id,
                    source=page.source,
                )
            )
        return pieces


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _shape(line: str) -> str:
    """A line's shape for comparing running headers across pages: digits folded, spaces squeezed."""
    return " ".join(DIGITS.sub("#", line).split()).lower()


def _running_shapes(pages: list[PageText], from_top: bool, depth: int = 2) -> set[str]:
    """Shapes of lines that open (or close) at least half the pages, on two pages or more."""
    counts: dict[str, int] = {}
    for page in pages:
        lines = [ln for ln in page.text.split("\n") if ln.strip()]
        edge = lines[:depth] if from_top else lines[-depth:]
        for shape in {_shape(ln) for ln in edge}:
            counts[shape] = counts.get(shape, 0) + 1
    need = max(2, (len(pages) + 1) // 2)
    return {shape for shape, n in counts.items() if n >= need and shape}


def build_document(pages: list[PageText]) -> DocumentText:
    """Stitch page bodies into one text, dropping running headers, footers and page numbers."""
    heads = _running_shapes(pages, from_top=True) if len(pages) > 1 else set()
    foots = _running_shapes(pages, from_top=False) if len(pages) > 1 else set()
    parts: list[str] = []
    segments: list[Segment] = []
    pos = 0
    for page in pages:
        spans = _line_spans(page.text)
        keep = [True] * len(spans)
        # Strip from the top while lines are headers or page numbers, then likewise from the bottom.
        for order, running in ((range(len(spans)), heads), (range(len(spans) - 1, -1, -1), foots)):
            for i in order:
                line = page.text[spans[i][0] : spans[i][1]]
                if not line.strip():
                    keep[i] = False
                    continue
                if PAGE_NUMBER_LINE.match(line) or _shape(line) in running:
                    keep[i] = False
                    continue
                break
        kept = [span for span, k in zip(spans, keep, strict=True) if k]
        if not kept:
            continue
        body_start, body_end = kept[0][0], kept[-1][1]
        if parts:
            parts.append("\n")
            pos += 1
        parts.append(page.text[body_start:body_end])
        segments.append(Segment(pos, pos + body_end - body_start, page.number, body_start))
        pos += body_end - body_start
    return DocumentText(text="".join(parts), segments=segments, pages=pages)
