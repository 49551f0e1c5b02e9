"""Dates as verdicts write them: "05.01.2022 г.", "5 января 2022 года", "«05» января 2022г."."""

from __future__ import annotations

import datetime as dt
import re

from extractor.grammar.vocab import vocab

NUMERIC = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
WORDS = re.compile(r"(\d{1,2})»?\s+([а-я]+)\s+(\d{4})")
RANGE = re.compile(r"с\s+(\d{1,2})\s+(?:по|до|-|–)\s+\d{1,2}\s+([а-я]+)\s+(\d{4})")


def parse_date(text: str) -> dt.date | None:
    """The date written in ``text``, or None if it is not a valid calendar date.

    >>> parse_date("05.01.2022 г.")
    datetime.date(2022, 1, 5)
    >>> parse_date("«5» января 2022 года")
    datetime.date(2022, 1, 5)
    >>> parse_date("31.02.2022") is None
    True
    >>> parse_date("с 5 по 6 января 2022 года")  # a range gives its first day
    datetime.date(2022, 1, 5)
    """
    text = text.lower()
    match = NUMERIC.search(text) or RANGE.match(text)
    if match and match.re is RANGE:
        if match.group(2) not in vocab()["months"]:
            return None
        day, month, year = int(match.group(1)), int(vocab()["months"][match.group(2)]), int(match.group(3))
    elif match:
        day, month, year = (int(g) for g in match.groups())
    else:
        match = WORDS.search(text)
        if not match or match.group(2) not in vocab()["months"]:
            return None
        day, month, year = int(match.group(1)), int(vocab()["months"][match.group(2)]), int(match.group(3))
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
