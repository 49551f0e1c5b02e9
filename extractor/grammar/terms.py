"""Terms and amounts: "2 (два) года 6 (шесть) месяцев", "пять лет", "240 часов", "100 МРП"."""

from __future__ import annotations

from dataclasses import dataclass

from extractor.grammar.numbers import parse_number
from extractor.grammar.vocab import vocab
from extractor.patterns import regex_patterns


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str  # year | month | day | hour | mrp | tenge
    start: int
    end: int
    consistent: bool  # digits and words agree


def _unit(raw: str, lang: str) -> str:
    raw = raw.lower()
    return next(unit for stem, unit in vocab(lang)["units"].items() if raw.startswith(stem))


def find_quantities(text: str, offset: int = 0, lang: str = "ru") -> list[Quantity]:
    """Every number-with-unit in ``text``; offsets are shifted by ``offset``.

    >>> [(q.value, q.unit) for q in find_quantities("сроком на 2 (два) года 6 (шесть) месяцев")]
    [(2, 'year'), (6, 'month')]
    >>> [(q.value, q.unit) for q in find_quantities("в размере 100 (сто) МРП, что составляет 306 300 тенге")]
    [(100, 'mrp'), (306300, 'tenge')]
    >>> [(q.value, q.unit) for q in find_quantities("пять лет лишения свободы")]
    [(5, 'year')]
    >>> [(q.value, q.unit) for q in find_quantities("5 (бес) жыл 6 (алты) ай мерзімге", lang="kk")]
    [(5, 'year'), (6, 'month')]
    >>> [(q.value, q.unit) for q in find_quantities("30 (отыз) айлық есептік көрсеткіш, яғни 91 890 теңге", lang="kk")]
    [(30, 'mrp'), (91890, 'tenge')]
    >>> [(q.value, q.unit) for q in find_quantities("2 (two) years 6 (six) months; 187,450 tenge", lang="en")]
    [(2, 'year'), (6, 'month'), (187450, 'tenge')]
    """
    (pattern,) = regex_patterns("terms.jsonl", lang)
    found = []
    for match in pattern.regex.finditer(text):
        value, consistent = parse_number(match.group("num"), lang)
        if value is None:
            continue
        found.append(
            Quantity(value, _unit(match.group("unit"), lang), offset + match.start(), offset + match.end(), consistent)
        )
    return found


@dataclass(frozen=True)
class Duration:
    months: int
    start: int
    end: int
    consistent: bool


def durations(quantities: list[Quantity], gap: int = 6) -> list[Duration]:
    """Join "N years" directly followed by "M months" into one term in months.

    >>> [d.months for d in durations(find_quantities("2 (два) года 6 (шесть) месяцев; 1 год"))]
    [30, 12]
    """
    out: list[Duration] = []
    i = 0
    while i < len(quantities):
        q = quantities[i]
        if q.unit == "year":
            months, end, ok = round(q.value * 12), q.end, q.consistent
            nxt = quantities[i + 1] if i + 1 < len(quantities) else None
            if nxt and nxt.unit == "month" and nxt.start - q.end <= gap:
                months, end, ok = months + int(nxt.value), nxt.end, ok and nxt.consistent
                i += 1
            out.append(Duration(months, q.start, end, ok))
        elif q.unit == "month":
            out.append(Duration(int(q.value), q.start, q.end, q.consistent))
        i += 1
    return out
