"""The spaCy pipelines: one per language, rule-based components fed by that language's pattern files.

Components write to ``doc.spans``: ``sections`` (introduction / description / operative), ``refs`` (law
references), ``dates``, and ``markers`` (lexical markers from a SpanRuler on lemmas). Every span keeps the
pattern id in ``span.id_``.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import cache

from spacy.lang.ru.lemmatizer import RussianLemmatizer
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from extractor.grammar.vocab import vocab
from extractor.patterns import read_lines, regex_patterns

REGEX_GROUPS = {"refs": "refs.jsonl", "dates": "dates.jsonl"}
# A heading as OCR may leave it: one to three words of capitals (a digit may stand for a letter, no small letter)
# before a colon or a semicolon; how like a heading word it must be (a letter wrong in nine is 0.89, two in ten 0.8),
# Kazakh letters compared as the Russian ones OCR takes them for (Қ/К, Ғ/Г, ...).
_CAPITAL = r"[^\W\d_a-zа-яёәғқңөұүһі]"
_CAPITAL_OR_DIGIT = r"[^\W_a-zа-яёәғқңөұүһі]"
HEADING_CANDIDATE = re.compile(
    rf"(?<!\S)({_CAPITAL}{_CAPITAL_OR_DIGIT}{{2,}}(?:[ ]{_CAPITAL_OR_DIGIT}{{2,}}){{0,2}})\s?[:;]"
)
HEADING_LIKENESS = 0.78
_FOLD = str.maketrans("ӘҒҚҢӨҰҮҺ", "АГКНОУУХ")


class RegexRuler:
    """Adds a span for every regex match of the patterns in ``patterns_file`` to ``doc.spans[spans_key]``."""

    def __init__(self, name: str, patterns_file: str, spans_key: str, lang: str) -> None:
        self.name = name
        self.spans_key = spans_key
        self.patterns = regex_patterns(patterns_file, lang)

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for pattern in self.patterns:
            for match in pattern.regex.finditer(doc.text):
                span = doc.char_span(match.start(), match.end(), label=pattern.label, alignment_mode="expand")
                if span is not None:
                    span.id_ = pattern.id
                    spans.append(span)
        doc.spans[self.spans_key] = sorted(spans, key=lambda s: (s.start_char, -s.end_char))
        return doc


@Language.factory(
    "regex_ruler",
    assigns=["doc.spans"],
    default_config={"patterns_file": "refs.jsonl", "spans_key": "refs"},
)
def make_regex_ruler(nlp: Language, name: str, patterns_file: str, spans_key: str) -> RegexRuler:
    return RegexRuler(name, patterns_file, spans_key, nlp.lang)


class SectionSplitter:
    """Splits a verdict into introduction, description ("УСТАНОВИЛ" / "АНЫҚТАДЫ" / "ESTABLISHED") and operative
    part ("ПРИГОВОРИЛ" / "ҮКІМ ЕТТІ" / "SENTENCED")."""

    def __init__(self, name: str, lang: str) -> None:
        self.name = name
        self.patterns = regex_patterns("sections.jsonl", lang)
        self.headings: dict[str, list[str]] = vocab(lang)["headings"]  # type: ignore[assignment]

    def __call__(self, doc: Doc) -> Doc:
        heads: dict[str, int] = {}
        found_by: dict[str, str] = {}  # how a heading that was not read as written was found (the span's id)
        for pattern in self.patterns:
            for match in pattern.regex.finditer(doc.text):
                # The first description heading and the first operative heading after it.
                if pattern.id == "description" and "description" not in heads:
                    heads["description"] = match.start()
                elif pattern.id == "operative" and match.start() > heads.get("description", -1):
                    heads.setdefault("operative", match.start())
        if "description" not in heads and (start := self._misread("description", doc.text, 0)) is not None:
            heads["description"], found_by["description"] = start, "heading_likeness"
        if "operative" not in heads:
            for pattern in self.patterns:
                if pattern.id != "operative_unread":
                    continue
                for match in pattern.regex.finditer(doc.text):
                    if match.start() > heads.get("description", -1):
                        # the heading as read: with its colon (group 1) or without it, in capitals (group 2)
                        heads["operative"] = next(match.start(g) for g in (1, 2) if match.group(g) is not None)
                        found_by["operative"] = "after_reasons"
                        break
        if "operative" not in heads:
            start = self._misread("operative", doc.text, heads.get("description", -1) + 1)
            if start is not None:
                heads["operative"], found_by["operative"] = start, "heading_likeness"
        bounds = [("introduction", 0), *sorted(heads.items(), key=lambda kv: kv[1])]
        spans = []
        for i, (label, start) in enumerate(bounds):
            end = bounds[i + 1][1] if i + 1 < len(bounds) else len(doc.text)
            span = doc.char_span(start, end, label=label, alignment_mode="expand")
            if span is not None and len(span):
                span.id_ = found_by.get(label, "")
                spans.append(span)
        doc.spans["sections"] = spans
        return doc

    def _misread(self, section: str, text: str, after: int) -> int | None:
        """Where a heading OCR misread stands: a run of capitals before a colon (or semicolon) that differs from
        one of the language's heading words by a letter or two ("УСГАНОВИЛ:", "ТРИГОВОВИЛ;")."""
        for match in HEADING_CANDIDATE.finditer(text, after):
            read = re.sub(r"\s+", "", match.group(1)).translate(_FOLD)
            for word in self.headings[section]:
                if SequenceMatcher(None, read, word.replace(" ", "").translate(_FOLD)).ratio() >= HEADING_LIKENESS:
                    return match.start(1)
        return None


@Language.factory("verdict_sections", assigns=["doc.spans"])
def make_section_splitter(nlp: Language, name: str) -> SectionSplitter:
    return SectionSplitter(name, nlp.lang)


def section(doc: Doc, label: str) -> Span | None:
    return next((s for s in doc.spans.get("sections", []) if s.label_ == label), None)


class CachedPymorphyLemmatizer(RussianLemmatizer):
    """spaCy's pymorphy3 lemmatizer with a per-word cache.

    With no tagger in the pipeline the lemma depends on the word alone, and verdicts repeat their words
    (names, "подсудимый", "УК РК") so often that the cache removes most pymorphy3 look-ups.
    """

    _cache: dict[str, list[str]]

    def pymorphy3_lemmatize(self, token: Token) -> list[str]:
        if token.pos_:
            return super().pymorphy3_lemmatize(token)
        cache = self.__dict__.setdefault("_cache", {})
        lemmas = cache.get(token.text)
        if lemmas is None:
            if len(cache) > 500_000:  # bounded for batches of thousands of verdicts
                cache.clear()
            lemmas = cache[token.text] = super().pymorphy3_lemmatize(token)
        return lemmas


@Language.factory(
    "cached_ru_lemmatizer",
    assigns=["token.lemma"],
    default_config={"mode": "pymorphy3", "overwrite": False},
)
def make_cached_lemmatizer(nlp: Language, name: str, mode: str, overwrite: bool) -> CachedPymorphyLemmatizer:
    return CachedPymorphyLemmatizer(nlp.vocab, None, name, mode=mode, overwrite=overwrite)


@cache
def build_nlp(lang: str = "ru") -> Language:
    """The pipeline of one language (built once per process): blank ``ru`` with the pymorphy3 lemmatizer, the
    project's own Kazakh class (``extractor.kazakh``) or blank ``en``; then the same components, fed by the
    language's pattern set."""
    import spacy

    from extractor import kazakh  # noqa: F401  (registers the "kk" language class)

    nlp = spacy.blank(lang)
    if lang == "ru":
        nlp.add_pipe("cached_ru_lemmatizer", name="lemmatizer")
    nlp.add_pipe("verdict_sections")
    for key, file in REGEX_GROUPS.items():
        nlp.add_pipe("regex_ruler", name=f"{key}_ruler", config={"patterns_file": file, "spans_key": key})
    ruler = nlp.add_pipe("span_ruler", name="markers", config={"spans_key": "markers", "validate": True})
    nlp.initialize()
    ruler.add_patterns(read_lines("markers.jsonl", lang))
    return nlp
