"""Dates as verdicts write them: "05.01.2022 г.", "5 января 2022 года", "«05» января 2022г."; in Kazakh
"2022 жылғы 5 қаңтарда" (year first, the month with a case ending); in English "6 January 2022", "January 6, 2022".
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

from extractor.grammar.vocab import vocab

NUMERIC = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
# Day, month word and year in each language's order; a range ("с 5 по 6 января") gives its first day.
WORDS = {
    "ru": [
        re.compile(r"с\s+(?P<day>\d{1,2})\s+(?:по|до|-|–)\s+\d{1,2}\s+(?P<month>[а-я]+)\s+(?P<year>\d{4})"),
        re.compile(r"(?P<day>\d{1,2})»?\s+(?P<month>[а-я]+)\s+(?P<year>\d{4})"),
    ],
    "kk": [
        re.compile(r"(?P<year>\d{4})\s*(?:жылғы|жылдың|жылы|ж\.)\s*«?(?P<day>\d{1,2})»?(?:-\s*|\s+)(?P<month>[а-яәғқңөұүһі]+)"),
        # "2022 жылғы қаңтардың 8-і күні"
        re.compile(r"(?P<year>\d{4})\s*(?:жылғы|жылдың)\s+(?P<month>[а-яәғқңөұүһі]+)\s+(?P<day>\d{1,2})(?!\d)"),
        re.compile(r"(?P<day>\d{1,2})»?\s+(?P<month>[а-яәғқңөұүһі]+)\s+(?P<year>\d{4})"),  # "20 мамыр 2022 жыл"
    ],
    "en": [
        re.compile(r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>[a-z]+),?\s+(?P<year>\d{4})"),
        re.compile(r"(?P<month>[a-z]+)\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})"),
    ],
}


# "екі мың жиырма екінші жылғы он тоғызыншы наурызда": year and day as ordinal words.
SPELLED_KK = re.compile(
    r"(?P<year>[а-яәғқңөұүһі ]+?)\s+жылғы\s+(?P<day>[а-яәғқңөұүһі ]+?)\s+(?P<month>[а-яәғқңөұүһі]+)$"
)
ORDINAL_ENDINGS_KK = ("сыншы", "ыншы", "інші", "ншы", "нші")


def _kazakh_ordinal(words: str) -> int | None:
    """ "екі мың жиырма екінші" -> 2022, "он тоғызыншы" -> 19: the last word carries the ordinal ending."""
    from extractor.grammar.numbers import parse_number_words

    *head, last = words.split()
    for ending in ORDINAL_ENDINGS_KK:  # "екінші" = екі + нші, not ек + інші: the stem must be a number
        if last.endswith(ending):
            stem = {"қырқ": "қырық"}.get(last[: -len(ending)], last[: -len(ending)])
            value = parse_number_words(" ".join([*head, stem]), "kk")
            if value is not None:
                return int(value)
    return None


@cache
def _months(lang: str) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(((k, int(v)) for k, v in vocab(lang)["months"].items()), key=lambda kv: -len(kv[0])))


def month_number(word: str, lang: str = "ru") -> int | None:
    """The month a word names: Russian genitive forms as listed; Kazakh stems with any case ending
    ("қаңтарда", "қаңтардан"); English names."""
    for name, number in _months(lang):
        if word == name or (lang == "kk" and word.startswith(name)):
            return number
    return None


def parse_date(text: str, lang: str = "ru") -> dt.date | None:
    """The date written in ``text``, or None if it is not a valid calendar date.

    >>> parse_date("05.01.2022 г.")
    datetime.date(2022, 1, 5)
    >>> parse_date("«5» января 2022 года")
    datetime.date(2022, 1, 5)
    >>> parse_date("31.02.2022") is None
    True
    >>> parse_date("с 5 по 6 января 2022 года")  # a range gives its first day
    datetime.date(2022, 1, 5)
    >>> parse_date("2022 жылғы 5 қаңтарда", "kk")
    datetime.date(2022, 1, 5)
    >>> parse_date("2022 жылғы 8-қаңтарда", "kk"), parse_date("2022 жылғы қаңтардың 8-і күні", "kk")
    (datetime.date(2022, 1, 8), datetime.date(2022, 1, 8))
    >>> parse_date("екі мың жиырма екінші жылғы он тоғызыншы наурызда", "kk")
    datetime.date(2022, 3, 19)
    >>> parse_date("On 6 January 2022", "en"), parse_date("January 6, 2022", "en")
    (datetime.date(2022, 1, 6), datetime.date(2022, 1, 6))
    """
    text = text.lower()
    match = NUMERIC.search(text)
    spelled = SPELLED_KK.search(" ".join(text.split())) if lang == "kk" and not re.search(r"\d", text) else None
    if spelled:
        parts = _kazakh_ordinal(spelled.group("day")), month_number(spelled.group("month"), lang)
        day, month, year = *parts, _kazakh_ordinal(spelled.group("year"))
        if day is None or month is None or year is None:
            return None
    elif match:
        day, month, year = (int(g) for g in match.groups())
    else:
        for i, pattern in enumerate(WORDS[lang]):
            # the Russian range is read only at the start ("с 5 по 6 января"), like the span pattern finds it
            match = pattern.match(text) if (lang, i) == ("ru", 0) else pattern.search(text)
            if match:
                break
        if not match:
            return None
        number = month_number(match.group("month"), lang)
        if number is None:
            return None
        day, month, year = int(match.group("day")), number, int(match.group("year"))
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
