"""Document-level facts: kind of document, court, case number, date of the verdict."""

from __future__ import annotations

from extractor.facts.context import Parsed
from models import DocumentKind, Evidence, Fact, Language

HEAD_CHARS = 1500


def document_kind(parsed: Parsed) -> Fact[DocumentKind]:
    match = parsed.cue("title").search(parsed.text, 0, HEAD_CHARS)
    if match is None:
        return _kind_from_operative_word(parsed)
    kind = DocumentKind.verdict
    if parsed.cue("ruling_word").match(match.group(1).replace(" ", "")):
        kind = _ruling_kind(parsed)
    return Fact(value=kind, confidence=0.95, evidence=parsed.evidence(match.start(), match.end(), "title"))


def court(parsed: Parsed) -> Fact[str]:
    """The court is named in the line(s) before "в составе": from the start of the line holding "суд"."""
    panel = parsed.cue("panel").search(parsed.text, 0, HEAD_CHARS * 2)
    if panel is None:
        return Fact()
    words = list(parsed.cue("court_word").finditer(parsed.text, max(0, panel.start() - 200), panel.start()))
    if not words:
        return Fact()
    start = parsed.text.rfind("\n", 0, words[-1].start()) + 1
    while start > 1 and parsed.text[start].islower():  # the name wrapped onto this line
        start = parsed.text.rfind("\n", 0, start - 1) + 1
    lead = parsed.cue("court_lead").match(parsed.text, start, panel.start())  # "The" of "The ... Court"
    start = lead.end() if lead else start
    name = " ".join(parsed.text[start : panel.start()].split())
    return Fact(value=name, confidence=0.85, evidence=parsed.evidence(start, panel.start(), "court"))


def case_number(parsed: Parsed) -> Fact[str]:
    """The court's number ("1-214/2022"), read on page 1 as printed (it may be a running header that the
    body leaves out); any "Дело № ..." if no number has the court's form."""
    first = parsed.body.pages[0]
    for pattern, confidence in ((parsed.cue("court_case_number"), 0.95), (parsed.cue("case_number"), 0.7)):
        match = pattern.search(first.text, 0, HEAD_CHARS * 2)
        if match is not None:
            evidence = Evidence(
                page=first.number,
                start=match.start("num"),
                end=match.end("num"),
                text=match.group("num"),
                pattern_id="case_number",
                source=first.source,
            )
            return Fact(value=match.group("num"), confidence=confidence, evidence=[evidence])
    return Fact()


def verdict_date(parsed: Parsed) -> Fact:
    """The first date of the heading, before the court's composition."""
    panel_match = parsed.cue("panel").search(parsed.text, 0, HEAD_CHARS * 2)
    limit = panel_match.start() if panel_match else HEAD_CHARS
    for mention in parsed.dates_in(0, limit):
        before = parsed.text[max(0, mention.start - 4) : mention.start]
        if parsed.cue("prior_verdict_date").search(before):
            continue  # "ордер № 12 от 10.01.2022" is not the verdict date
        return Fact(
            value=mention.date, confidence=0.9, evidence=parsed.evidence(mention.start, mention.end, mention.pattern_id)
        )
    return Fact()


def _ruling_kind(parsed: Parsed) -> DocumentKind:
    """A ruling (ПОСТАНОВЛЕНИЕ / ҚАУЛЫ / RULING) is an appeal ruling when its heading speaks of an appeal."""
    appeal = parsed.cue("appeal").search(parsed.text, 0, HEAD_CHARS * 2)
    return DocumentKind.appeal_ruling if appeal else DocumentKind.termination_order


def language(parsed: Parsed) -> Fact[Language]:
    """The language whose section headings ("ПРИГОВОРИЛ:", "ҮКІМ ЕТТІ:", "SENTENCED:") opened the verdict's parts."""
    span = parsed.section("operative") or parsed.section("description")
    if span is None:
        return Fact()
    head = parsed.text.find(":", span.start_char)
    end = head if head > 0 else span.start_char + 12
    return Fact(
        value=Language(parsed.lang), confidence=0.9, evidence=parsed.evidence(span.start_char, end, "section_heading")
    )


def _kind_from_operative_word(parsed: Parsed) -> Fact[DocumentKind]:
    """No title read (a letter-spaced "П Р И Г О В О Р" defeats OCR): the word that opens the operative part
    ("ПРИГОВОРИЛ" / "ПОСТАНОВИЛ") still tells the kind, with less certainty."""
    operative = parsed.section("operative")
    if operative is None:
        return Fact()
    word = parsed.text[operative.start_char : operative.start_char + 12]
    if parsed.cue("ruling_word").match(word):
        kind = _ruling_kind(parsed)
    elif parsed.cue("verdict_word").match(word):
        kind = DocumentKind.verdict
    else:
        return Fact()
    end = operative.start_char + len(word.split()[0]) if word.split() else operative.start_char
    return Fact(value=kind, confidence=0.75, evidence=parsed.evidence(operative.start_char, end, "operative_word"))
