"""What every fact builder reads: the parsed doc, its body text with page map, and small text helpers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from extractor.document import DocumentText
from extractor.grammar.articles import RefChain, parse_chain
from extractor.grammar.dates import parse_date
from extractor.nlp import section
from extractor.patterns import cue
from models import Evidence, ReviewFlag

# A sentence ends at "." (or ";" for list items) before a capital or digit - but not after initials
# ("Ахметов Е.С. 5 января") or the usual abbreviations ("г. Алматы", "ул. Абая", "ст. 188", "көш.", "No. 12").
_NOT_AFTER = "".join(
    f"(?<!\\b{abbr})"
    for abbr in (
        "г", "ул", "пр", "д", "кв", "ст", "ч", "п", "с", "мкр", "им", "обл", "р-н", "тел", "рег", "пос",
        "ж", "көш", "No", "no", "Art", "art", "p", "para", "St", "Mr", "Ms",
    )
)  # fmt: skip
UP = "А-ЯЁӘҒҚҢӨҰҮҺІA-Z"  # capitals of Russian, Kazakh and English
LOW = "а-яёәғқңөұүһіa-z"
# After two initials a sentence may end too, if a word follows ("... Бекова Н.М. В действиях"), but not a
# date ("Ахметов Е.С. 5 января").
_PERIOD = rf"(?<![{UP}]){_NOT_AFTER}\.\s+(?=[{UP}«\d–—-])|(?<=[{UP}]\.[{UP}])\.\s+(?=[{UP}][{LOW}]|[{UP}]\s+[{LOW}])"
SENTENCE_END = {
    ".": re.compile(_PERIOD),
    ".;": re.compile(rf"{_PERIOD}|;\s+"),  # list items and clauses: "... проступком; преступление, ..."
}


def date_evidence(evidence: list[Evidence]) -> list[Evidence]:
    """The pieces of a fact's evidence that quote a date (its offence date, for a charge)."""
    return [ev for ev in evidence if (ev.pattern_id or "").startswith("date")][-1:]


@dataclass
class DateMention:
    date: object  # datetime.date
    start: int
    end: int
    pattern_id: str


@dataclass
class RefMention:
    chain: RefChain
    start: int
    end: int
    pattern_id: str


@dataclass
class Parsed:
    doc: Doc
    body: DocumentText
    flags: list[ReviewFlag] = field(default_factory=list)
    person_patterns: list[re.Pattern[str]] = field(default_factory=list)
    lang: str = "ru"  # the pattern set the verdict is read with

    def __post_init__(self) -> None:
        self.text = self.body.text  # with line breaks; the doc has spaces at the same offsets
        self.dates = [
            DateMention(d, s.start_char, s.end_char, s.id_)
            for s in self.doc.spans.get("dates", [])
            if (d := parse_date(s.text, self.lang)) is not None
        ]
        self.refs = [
            RefMention(parse_chain(s.text, self.lang), s.start_char, s.end_char, s.id_)
            for s in self.doc.spans.get("refs", [])
        ]

    def cue(self, name: str) -> re.Pattern[str]:
        """A named cue of the verdict's language (``extractor/patterns/<lang>/cues.jsonl``)."""
        return cue(name, self.lang)

    def section(self, label: str) -> Span | None:
        return section(self.doc, label)

    def bounds(self, label: str) -> tuple[int, int]:
        span = self.section(label)
        return (span.start_char, span.end_char) if span is not None else (0, 0)

    def evidence(self, start: int, end: int, pattern_id: str | None = None) -> list[Evidence]:
        return self.body.evidence(start, end, pattern_id)

    def sentence_at(self, pos: int, lo: int = 0, hi: int | None = None, marks: str = ".;") -> tuple[int, int]:
        """Bounds of the sentence (or ";"-separated list item) holding ``pos``, kept within ``[lo, hi)``."""
        hi = len(self.text) if hi is None else hi
        window_lo = max(lo, pos - 3000)  # sentences are short; do not rescan the whole document
        start = window_lo
        for match in SENTENCE_END[marks].finditer(self.text, window_lo, hi):
            if match.start() < pos:  # a position inside the break belongs to the next sentence
                start = match.end()
            else:
                return start, match.start()
        return start, hi

    def people_in(self, lo: int, hi: int) -> int:
        """How many defendants a stretch of text names (set by the defendant finder)."""
        return sum(1 for pattern in self.person_patterns if pattern.search(self.text, lo, hi))

    def markers(self, label: str, lo: int = 0, hi: int | None = None) -> list[Span]:
        hi = len(self.text) if hi is None else hi
        return [s for s in self.doc.spans.get("markers", []) if s.label_ == label and lo <= s.start_char < hi]

    def dates_in(self, lo: int, hi: int) -> list[DateMention]:
        return [d for d in self.dates if lo <= d.start < hi]

    def refs_in(self, lo: int, hi: int) -> list[RefMention]:
        return [r for r in self.refs if lo <= r.start < hi]

    def flag(self, code: str, field_name: str, message: str, defendant: str | None = None) -> None:
        self.flags.append(ReviewFlag(code=code, field=field_name, message=message, defendant=defendant))
