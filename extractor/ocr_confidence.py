"""Carry Tesseract's word confidences into the facts read from OCR pages.

A fact is as sure as the least sure word of its evidence: its confidence is capped by that word's, and below
``LOW_OCR_CONFIDENCE`` the fact gets the review flag ``low_ocr_confidence`` naming the field.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator

from extractor.pages import PageText
from models import Evidence, ReviewFlag, TextSource, VerdictFacts

# Tesseract's x_wconf is 0-100; clean 300 dpi print reads at 90+, a misread digit or letter mostly below 70.
LOW_OCR_CONFIDENCE = 0.70


def word_confidence(pages: list[PageText], evidence: list[Evidence]) -> float | None:
    """The lowest confidence of the OCR words under the evidence spans (None: no OCR evidence)."""
    lowest = None
    for piece in evidence:
        if piece.source is not TextSource.ocr:
            continue
        page = pages[piece.page - 1]
        starts = [w.start for w in page.words]
        i = max(bisect.bisect_right(starts, piece.start) - 1, 0)
        for word in page.words[i:]:
            if word.start >= piece.end:
                break
            if word.end > piece.start:
                lowest = word.confidence if lowest is None else min(lowest, word.confidence)
    return lowest


def _facts(facts: VerdictFacts) -> Iterator[tuple[str, str | None, object]]:
    """(field, defendant, fact-like object with confidence and evidence) for every fact of the verdict."""
    for name in ("document_kind", "court", "case_number", "verdict_date"):
        yield name, None, getattr(facts, name)
    for person in facts.defendants:
        who = person.name.value
        for name in (
            "name",
            "birth_date",
            "minor_at_offense",
            "outcome",
            "gravity_stated_in_text",
            "recidivism",
            "riots_connection",
            "time_served_credit_from",
        ):
            yield name, who, getattr(person, name)
        for charge in person.charges:
            yield "charges", who, charge
        if person.sentence:
            yield "sentence", who, person.sentence
        for prior in person.prior_convictions:
            yield "prior_convictions", who, prior
        for marker in person.exclusion_markers:
            yield "exclusion_markers", who, marker


def apply_ocr_confidence(facts: VerdictFacts, pages: list[PageText]) -> None:
    """Cap each fact's confidence by its OCR words and flag the ones read badly (in place)."""
    if not any(p.source is TextSource.ocr for p in pages):
        return
    flagged: set[tuple[str, str | None]] = set()
    for name, who, fact in _facts(facts):
        ocr = word_confidence(pages, fact.evidence)
        if ocr is None:
            continue
        fact.confidence = min(fact.confidence, ocr)
        if ocr < LOW_OCR_CONFIDENCE and (name, who) not in flagged:
            flagged.add((name, who))
            quote = " … ".join(e.text for e in fact.evidence if e.source is TextSource.ocr)[:80]
            facts.review_flags.append(
                ReviewFlag(
                    code="low_ocr_confidence",
                    field=name,
                    message=f"{name} rests on words read by OCR with confidence {ocr:.2f}: «{quote}»",
                    defendant=who,
                )
            )
