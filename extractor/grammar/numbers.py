"""Numbers as courts write them: digits, words, or both ("3 (три) года")."""

from __future__ import annotations

import re

from extractor.grammar.vocab import number_fillers, number_forms

PAREN_WORDS = re.compile(r"\(([^()]*)\)")


def parse_number_words(text: str, lang: str = "ru") -> float | None:
    """Value of a run of number words, or None if any word is not a number word.

    >>> parse_number_words("двести сорок")
    240
    >>> parse_number_words("одна тысяча двести")
    1200
    >>> parse_number_words("трех")
    3
    >>> parse_number_words("полутора")
    1.5
    >>> parse_number_words("сроком") is None
    True
    >>> parse_number_words("тоқсан бір мың сегіз жүз тоқсан", "kk")
    91890
    >>> parse_number_words("one hundred eighty-seven thousand four hundred and fifty", "en")
    187450
    """
    words = text.lower().replace("ё", "е").replace("-", " ").split()
    if not words:
        return None
    forms, fillers = number_forms(lang), number_fillers(lang)
    words = [word for word in words if word not in fillers]
    if not words:
        return None
    total, current = 0, 0
    for word in words:
        if word not in forms:
            return None
        value = forms[word]
        if value >= 1000:
            total += (current or 1) * value
            current = 0
        elif value == 100 and lang != "ru":
            current = (current or 1) * 100  # "сегіз жүз", "eight hundred"; Russian has "восемьсот"
        else:
            current += value
    return total + current


def parse_number(text: str, lang: str = "ru") -> tuple[float | None, bool]:
    """Parse "3 (три)", "3", "(три)" or "три"; returns (value, digits and words agree).

    The digits win when both are given; a disagreement is reported so the fact can be flagged.

    >>> parse_number("3 (три)")
    (3, True)
    >>> parse_number("5 (три)")
    (5, False)
    >>> parse_number("пять")
    (5, True)
    >>> parse_number("306 300")
    (306300, True)
    >>> parse_number("1.5 (one and a half)", "en"), parse_number("1,5", "kk")
    ((1.5, True), (1.5, True))
    >>> parse_number("5 (бесс)", "kk")  # words that are no number: not a confirmation
    (5, False)
    """
    paren = PAREN_WORDS.search(text)
    words_value = parse_number_words(paren.group(1), lang) if paren else None
    digits_part = PAREN_WORDS.sub(" ", text)
    digits = re.sub(r"\s+|(?<=\d),(?=\d{3})", "", digits_part)  # "306 300", "187,450"
    if digits.isdigit() or re.fullmatch(r"\d+[.,]\d", digits):
        value = int(digits) if digits.isdigit() else float(digits.replace(",", "."))
        return value, paren is None or words_value == value
    if paren is not None:
        return words_value, words_value is not None
    value = parse_number_words(digits_part, lang)
    return value, value is not None
