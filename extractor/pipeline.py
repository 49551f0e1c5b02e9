"""The extraction job, top to bottom: open -> pages -> body text -> spaCy -> facts -> VerdictFacts."""

from __future__ import annotations

from pathlib import Path

from extractor import __version__
from extractor.document import build_document
from extractor.errors import NotAVerdictError
from extractor.facts import header
from extractor.facts.build import build_defendant
from extractor.facts.context import Parsed
from extractor.facts.defendants import find_defendants
from extractor.grammar.names import full_name_pattern, normalise
from extractor.language import LANGUAGE_NAMES, document_language
from extractor.ocr import OcrSettings
from extractor.ocr_confidence import apply_ocr_confidence
from extractor.pages import MAX_PAGES, read_pages, sha256_of
from models import ReviewFlag, SourceInfo, TextSource, VerdictFacts


def convicted_but_not_found(parsed: Parsed, people: list) -> list[str]:
    """Full names the operative part convicts ("X признать виновным", "X ... кінәлі деп танылсын", "To find X
    guilty") that match no defendant read from the introduction: a defendant lost (an OCR misread of the name or
    the birth date) must not pass silently."""
    lo, hi = parsed.bounds("operative")
    known = {p.name.full.lower() for p in people} | {f"{p.name.name} {p.name.patronymic}".lower() for p in people}
    lost = []
    for match in full_name_pattern(parsed.lang).finditer(parsed.text, lo, hi):
        if not parsed.cue("convicts_named").match(parsed.text, match.end(), match.end() + 300):
            continue
        name = normalise(match.group("surname"), match.group("name"), match.group("patronymic"), parsed.lang)
        if not {name.full.lower(), f"{name.name} {name.patronymic}".lower()} & known:
            lost.append(" ".join(match.group(0).split()))
    return lost


def process_verdict(
    path: Path, ocr: OcrSettings | None = None, searchable: Path | None = None, max_pages: int = MAX_PAGES
) -> VerdictFacts:
    """Extract the facts of one verdict file; raises a ``VerdictError`` that names the file."""
    from extractor.nlp import build_nlp

    pages = read_pages(path, ocr, searchable, max_pages)
    ocr_pages = [p.number for p in pages if p.source is TextSource.ocr]
    flags = [
        ReviewFlag(code="no_text_layer", field="source", message=f"page {p.number} has no text layer and needs OCR")
        for p in pages
        # a page with neither text nor image is blank, not unread
        if not p.has_text_layer and p.source is not TextSource.ocr and p.image_coverage > 0
    ]
    detected, page_languages = document_language([p.text for p in pages])
    lang = detected.language or "ru"  # too few letters to tell: the commonest language of verdicts
    for number, language in enumerate(page_languages, start=1):
        if language not in (None, lang):
            flags.append(
                ReviewFlag(
                    code="mixed_language",
                    field="source",
                    message=f"page {number} is in {LANGUAGE_NAMES[language]}; "
                    f"it was read with the {LANGUAGE_NAMES[lang]} patterns of the rest of the verdict",
                )
            )
    body = build_document(pages)
    if not body.text.strip() and not flags:
        raise NotAVerdictError(path, "no text on any page, even after OCR: blank pages")
    if not body.text.strip():
        return VerdictFacts(
            id=path.stem,
            source=SourceInfo(path=str(path), sha256=sha256_of(path), pages=len(pages), ocr_pages=ocr_pages),
            review_flags=flags,
            extractor_version=__version__,
        )
    # Line breaks of the PDF are not sentence structure: spaCy sees spaces (same offsets), so token
    # patterns match across wrapped lines.
    doc = build_nlp(lang)(body.text.replace("\n", " "))
    parsed = Parsed(doc=doc, body=body, flags=flags, lang=lang)
    operative = parsed.section("operative")
    if operative is None:
        raise NotAVerdictError(path)
    if not parsed.cue("operative_word").match(operative.text[:40]):
        how = (
            "by its likeness to a heading word"
            if operative.id_ == "heading_likeness"
            else "after the words that close the reasons (Руководствуясь … суд / … басшылыққа алып, сот / Guided by "
            "… the court)"
        )
        parsed.flag(
            "operative_heading_unread",
            "outcome",
            f"the operative part's heading was not read («{operative.text[:20]}»); it was found {how}, so "
            "outcomes, charges and sentences need checking",
        )
    kind = header.document_kind(parsed)
    people = find_defendants(parsed)
    if not people:
        parsed.flag("defendants_missing", "defendants", "no defendant (full name with birth date) in the introduction")
    for name in convicted_but_not_found(parsed, people):
        parsed.flag(
            "defendants_missing",
            "defendants",
            f"the operative part convicts «{name}», who is not among the defendants read from the introduction",
        )
    defendants = [build_defendant(parsed, person, people, kind.value) for person in people]
    language = header.language(parsed)
    facts = VerdictFacts(
        id=path.stem,
        source=SourceInfo(
            path=str(path),
            sha256=sha256_of(path),
            pages=len(pages),
            ocr_pages=ocr_pages,
            language=lang,
            page_languages=page_languages,
        ),
        language=language,
        document_kind=kind,
        court=header.court(parsed),
        case_number=header.case_number(parsed),
        verdict_date=header.verdict_date(parsed),
        defendants=defendants,
        review_flags=parsed.flags,
        extractor_version=__version__,
    )
    apply_ocr_confidence(facts, pages)
    return facts
