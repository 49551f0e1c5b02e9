"""Document-level facts: kind of document, court, case number, date of the verdict."""

from __future__ import annotations

import re

from extractor.facts.context import Parsed
from models import DocumentKind, Fact, Language

CASE_NUMBER = re.compile(r"(?:Дело|дело|ДЕЛО)\s*№\s*(?P<num>[\dА-ЯЁA-Z][\w\-/().]*\w)")
COURT_BEFORE_PANEL = re.compile(r"(?P<court>[А-ЯЁ][^\n]{3,160}?\bсуд\b[^\n]{0,80}?)\s+в\s+составе")
TITLE = re.compile(r"\b(ПРИГОВОР|ПОСТАНОВЛЕНИЕ)\b")
HEAD_CHARS = 1500


def document_kind(parsed: Parsed) -> Fact[DocumentKind]:
    match = TITLE.search(parsed.text, 0, HEAD_CHARS)
    if match is None:
        return Fact()
    kind = DocumentKind.verdict
    if match.group(1) == "ПОСТАНОВЛЕНИЕ":
        head = parsed.text[: HEAD_CHARS * 2].lower()
        kind = DocumentKind.appeal_ruling if "апелляцион" in head else DocumentKind.termination_order
    return Fact(value=kind, confidence=0.95, evidence=parsed.evidence(match.start(), match.end(), "title"))


def court(parsed: Parsed) -> Fact[str]:
    match = COURT_BEFORE_PANEL.search(parsed.text, 0, max(HEAD_CHARS, parsed.bounds("introduction")[1] // 2))
    if match is None:
        return Fact()
    name = " ".join(match.group("court").split())
    return Fact(value=name, confidence=0.9, evidence=parsed.evidence(match.start("court"), match.end("court"), "court"))


def case_number(parsed: Parsed) -> Fact[str]:
    match = CASE_NUMBER.search(parsed.text, 0, HEAD_CHARS)
    if match is None:
        return Fact()
    return Fact(value=match.group("num"), confidence=0.95, evidence=parsed.evidence(match.start("num"), match.end("num"), "case_number"))


def verdict_date(parsed: Parsed) -> Fact:
    """The first date of the heading, before the court's composition."""
    panel = parsed.text.find("в составе", 0, HEAD_CHARS * 2)
    limit = panel if panel > 0 else HEAD_CHARS
    for mention in parsed.dates_in(0, limit):
        before = parsed.text[max(0, mention.start - 4) : mention.start]
        if "от" in before:
            continue  # "ордер № 12 от 10.01.2022" is not the verdict date
        return Fact(value=mention.date, confidence=0.9, evidence=parsed.evidence(mention.start, mention.end, mention.pattern_id))
    return Fact()


def language(parsed: Parsed) -> Fact[Language]:
    """Russian when the verdict's structure words are Russian (Kazakh and English are later issues)."""
    span = parsed.section("operative") or parsed.section("description")
    if span is None:
        return Fact()
    head = parsed.text.find(":", span.start_char)
    end = head if head > 0 else span.start_char + 12
    return Fact(value=Language.ru, confidence=0.9, evidence=parsed.evidence(span.start_char, end, "section_heading"))
