"""Article references: "п.4) ч.2 ст.188 УК РК", "статьей 188 частью 2 пунктом 4)", "ч.ч.1, 2 ст.293"; in Kazakh
"ҚР ҚК-нің 188-бабы 2-бөлігінің 4) тармағы" (the number before the word); in English "paragraph 4) of part 2 of
Article 188 of the Criminal Code". The words of each language are in its vocabulary's ``[references]`` section.

A reference chain is parsed into items (paragraph, part, article) and grouped into counts. Article 24
part 3 (attempt) and Article 28 (complicity) are not counts: they mark the count they stand with.
Articles 1-98 are the Code's general part and never a count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from extractor.grammar.vocab import vocab

FIRST_SPECIAL_ARTICLE = 99  # the special part of the Criminal Code starts at Art. 99


@dataclass(frozen=True)
class Ref:
    article: str
    part: str | None = None
    paragraph: str | None = None
    attempt: bool = False
    complicity: bool = False
    # All cited paragraphs: "п.п.1), 2) ч.3 ст.189" is one count with two qualifying features.
    paragraphs: tuple[str, ...] = field(default=(), compare=False, repr=False)


@dataclass(frozen=True)
class RefChain:
    code: str  # "criminal" | "other" | "unknown"
    refs: tuple[Ref, ...]


@dataclass(frozen=True)
class RefGrammar:
    """One language's reference words, compiled from its vocabulary."""

    item: re.Pattern[str]  # one item: kind word and numbers, in the language's order
    number: re.Pattern[str]
    ordinals: dict[str, int]
    kinds: tuple[tuple[str, str], ...]  # (word stem, "paragraph" | "part" | "article")
    criminal_code: re.Pattern[str]
    other_code: re.Pattern[str]
    joiner: re.Pattern[str]  # what between two items starts a new count: "," or "и" / "және" / "and"


@cache
def grammar(lang: str = "ru") -> RefGrammar:
    words = vocab(lang)
    refs = words["references"]
    ordinals = {stem: int(value) for stem, value in words["ordinals"].items()}
    ordinal = "(?:" + "|".join(ordinals) + r")\w*"
    num = rf"(?:\d+(?:-\d+)?\)?|«\w»|{ordinal})"
    nums = rf"{num}(?:\s*(?:,|{refs['and']})\s*{num})*"
    kind = "(?:" + "|".join(refs["kinds"]) + ")"
    if refs.get("number_first"):
        item = rf"(?P<nums>{nums})\s*-?\s*(?P<kind>{kind})"
    else:
        item = rf"(?P<kind>{kind})\s*(?P<nums>{nums})"
    flags = re.IGNORECASE
    return RefGrammar(
        item=re.compile(item, flags),
        number=re.compile(rf"\d+(?:-\d+)?|«\w»|{ordinal}", flags),
        ordinals=ordinals,
        kinds=tuple(refs["kinds"].items()),
        criminal_code=re.compile(refs["criminal_code"], flags),
        other_code=re.compile(refs["other_code"], flags),
        joiner=re.compile(rf",|\b(?:{refs['and']})\b", flags),
    )


def _kind(words: RefGrammar, token: str) -> str:
    token = token.lower()
    return next(kind for stem, kind in words.kinds if re.match(stem, token))


def _numbers(words: RefGrammar, raw: str) -> list[str]:
    """Numbers of an item: digits as written, ordinal words as digits ("первой" -> "1"), «а» as "а"."""
    out = []
    for token in words.number.findall(raw):
        word = next((stem for stem in words.ordinals if token.lower().startswith(stem)), None)
        out.append(str(words.ordinals[word]) if word else token.strip("«»"))
    return out


def _is_article_number(number: str) -> bool:
    """'188-1' is an article; '394-396' is a range of articles."""
    if "-" not in number:
        return True
    return int(number.split("-")[1]) <= 9


def parse_chain(text: str, lang: str = "ru") -> RefChain:
    """Parse a reference chain.

    >>> parse_chain("п.4) ч.2 ст.188 УК РК").refs
    (Ref(article='188', part='2', paragraph='4', attempt=False, complicity=False),)
    >>> parse_chain("статьей 24 частью 3, статьей 188 частью 2 пунктом 1) Уголовного кодекса").refs
    (Ref(article='188', part='2', paragraph='1', attempt=True, complicity=False),)
    >>> [r.part for r in parse_chain("ч.ч.1, 2 ст.293 УК РК").refs]
    ['1', '2']
    >>> parse_chain("ст.ст. 394-396 УПК РК").code
    'other'
    >>> parse_chain("ч.5 ст.28, ч.3 ст.24, п.1) ч.2 ст.188 УК РК").refs[0].complicity
    True
    >>> [r.article for r in parse_chain("по ч.2 ст.272, ч.1 ст.287 УК РК").refs]
    ['272', '287']
    >>> parse_chain("частью первой статьи 272 УК РК").refs[0].part
    '1'
    >>> parse_chain("ч.3 ст.189 п.2) УК РК").refs[0].paragraph
    '2'
    >>> parse_chain("ҚР ҚК-нің 24-бабының 3-бөлігі, 188-бабы 3-бөлігінің 3) тармағымен", "kk").refs
    (Ref(article='188', part='3', paragraph='3', attempt=True, complicity=False),)
    >>> parse_chain("ҚР ҚК-нің 293-бабы 2-бөлігінің 1), 2) тармақтарымен", "kk").refs[0].paragraphs
    ('1', '2')
    >>> parse_chain("ҚР ҚПК-нің 394-396-баптарын", "kk").code
    'other'
    >>> parse_chain("paragraph 4) of part 2 of Article 188 of the Criminal Code", "en").refs
    (Ref(article='188', part='2', paragraph='4', attempt=False, complicity=False),)
    >>> parse_chain("Articles 394-396 of the Criminal Procedure Code", "en").code
    'other'
    """
    words = grammar(lang)
    if words.other_code.search(text):
        code = "other"
    elif words.criminal_code.search(text):
        code = "criminal"
    else:
        code = "unknown"
    # Comma-separated segments each read in their own order: "ст.28 ч.5, ч.2 ст.272" mixes both.
    segments: list[list[tuple[str, list[str]]]] = []
    previous_end = None
    for match in words.item.finditer(text):
        between = text[previous_end : match.start()] if previous_end is not None else ","
        if words.joiner.search(between) or not segments:
            segments.append([])
        segments[-1].append((_kind(words, match.group("kind")), _numbers(words, match.group("nums"))))
        previous_end = match.end()
    groups: list[dict[str, list[str]]] = []
    for items in segments:
        reverse = items[0][0] == "article" and len(items) > 1 and items[1][0] != "article"
        current: dict[str, list[str]] = {}
        for kind, nums in items:
            if reverse:
                if kind == "article":
                    current = {"article": nums}
                    groups.append(current)
                else:
                    current.setdefault(kind, nums)
            else:
                current.setdefault(kind, nums)
                if kind == "article":
                    groups.append(current)
                    current = {}
        if not reverse and groups and set(current) == {"paragraph"} and "paragraph" not in groups[-1]:
            groups[-1]["paragraph"] = current["paragraph"]  # "ч.3 ст.189 п.2)": a trailing paragraph
    return RefChain(code=code, refs=tuple(_apply_modifiers(groups)))


def _apply_modifiers(groups: list[dict[str, list[str]]]) -> list[Ref]:
    counts: list[Ref] = []
    pending_attempt = pending_complicity = False
    for group in groups:
        for article in group.get("article", []):
            if not _is_article_number(article):
                continue
            parts = group.get("part") or [None]
            if article == "24":
                pending_attempt = pending_attempt or "3" in parts
                continue
            if article == "28":
                pending_complicity = True
                continue
            if int(article.split("-")[0]) < FIRST_SPECIAL_ARTICLE:
                continue
            paragraphs = group.get("paragraph") or [None]
            # "ч.ч.1, 2 ст.293": one count per part; "п.п.1), 2) ч.2": one count, first paragraph.
            for part in parts:
                cited = tuple(p for p in paragraphs if p)
                counts.append(Ref(article, part, paragraphs[0], pending_attempt, pending_complicity, cited))
            pending_attempt = pending_complicity = False
    if (pending_attempt or pending_complicity) and counts:
        last = counts[-1]
        counts[-1] = Ref(
            last.article,
            last.part,
            last.paragraph,
            last.attempt or pending_attempt,
            last.complicity or pending_complicity,
            last.paragraphs,
        )
    return counts
