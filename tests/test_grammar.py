"""Tables of (snippet as courts write it -> expected parse)."""

from __future__ import annotations

import datetime as dt

import pytest

from extractor.grammar.articles import Ref, parse_chain
from extractor.grammar.dates import parse_date
from extractor.grammar.names import PersonName, mention_pattern, normalise
from extractor.grammar.numbers import parse_number
from extractor.grammar.terms import durations, find_quantities


@pytest.mark.parametrize(
    ("text", "code", "refs"),
    [
        ("п.4) ч.2 ст.188 УК РК", "criminal", [Ref("188", "2", "4")]),
        ("ч.2 ст.272 УК", "criminal", [Ref("272", "2")]),
        ("статьей 188 частью 2 пунктом 4) Уголовного кодекса", "criminal", [Ref("188", "2", "4")]),
        ("пунктом 1) части 2 статьи 191 Уголовного кодекса Республики Казахстан", "criminal", [Ref("191", "2", "1")]),
        ("ч.ч.1, 2 ст.293 УК РК", "criminal", [Ref("293", "1"), Ref("293", "2")]),
        ("ч.3 ст.24, п.2) ч.2 ст.188 УК РК", "criminal", [Ref("188", "2", "2", attempt=True)]),
        ("ст.24 ч.3, ст.188 ч.2 п.4", "unknown", [Ref("188", "2", "4", attempt=True)]),
        ("ст.28 ч.5, ч.2 ст.272 УК РК", "criminal", [Ref("272", "2", complicity=True)]),
        ("ч.5 ст.28, ч.3 ст.24, п.1) ч.2 ст.188 УК РК", "criminal", [Ref("188", "2", "1", True, True)]),
        ("по ч.2 ст.272, ч.3 ст.287 УК РК", "criminal", [Ref("272", "2"), Ref("287", "3")]),
        ("ч.3-1 ст.120 УК РК", "criminal", [Ref("120", "3-1")]),
        ("ч.2 ст.269-1 УК РК", "criminal", [Ref("269-1", "2")]),
        ("ч.1-1 ст.366 УК РК", "criminal", [Ref("366", "1-1")]),
        # Not charges: procedure code, general part, ranges of articles.
        ("ст.ст. 394-396 УПК РК", "other", []),
        ("п.2) ч.1 ст.35 УПК РК", "other", []),
        ("ч.3 ст.58 УК РК", "criminal", []),
        ("ст.63 УК РК", "criminal", []),
        ("ст.917 ГК РК", "other", []),
    ],
)
def test_article_references(text: str, code: str, refs: list[Ref]) -> None:
    chain = parse_chain(text)
    assert chain.code == code
    if code != "other":
        assert list(chain.refs) == refs


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("сроком на 2 (два) года 6 (шесть) месяцев", [30]),
        ("пять лет лишения свободы", [60]),
        ("на срок два года шесть месяцев", [30]),
        ("сроком на 1 (один) год", [12]),
        ("6 (шесть) месяцев", [6]),
        ("полтора года", [18]),
        ("7 (семь) лет 6 (шесть) месяцев", [90]),
    ],
)
def test_terms_in_months(text: str, months: list[int]) -> None:
    assert [d.months for d in durations(find_quantities(text))] == months


@pytest.mark.parametrize(
    ("text", "unit", "value"),
    [
        ("в размере 250 (двухсот пятидесяти) МРП", "mrp", 250),
        ("что составляет 765 750 (семьсот шестьдесят пять тысяч семьсот пятьдесят) тенге", "tenge", 765750),
        ("сроком на 300 (триста) часов", "hour", 300),
        ("ареста сроком на 30 (тридцать) суток", "day", 30),
        ("в размере 100 месячных расчетных показателей", "mrp", 100),
    ],
)
def test_amounts(text: str, unit: str, value: float) -> None:
    (quantity,) = find_quantities(text)
    assert (quantity.unit, quantity.value) == (unit, value)


def test_digits_and_words_that_disagree_are_reported() -> None:
    assert parse_number("5 (три)") == (5, False)
    (quantity,) = find_quantities("сроком на 5 (три) лет")
    assert quantity.consistent is False


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("05.01.2022 г.", dt.date(2022, 1, 5)),
        ("«05» января 2022 года", dt.date(2022, 1, 5)),
        ("5 января 2022г.", dt.date(2022, 1, 5)),
        ("31.02.2022", None),
    ],
)
def test_dates(text: str, date: dt.date | None) -> None:
    assert parse_date(text) == date


@pytest.mark.parametrize(
    ("words", "nominative"),
    [
        (("Тулегенова", "Армана", "Бауржановича"), "Тулегенов Арман Бауржанович"),
        (("Жумабаеву", "Айгерим", "Болатовну"), "Жумабаева Айгерим Болатовна"),
        (("Кима", "Виталия", "Олеговича"), "Ким Виталий Олегович"),
        (("Нурлановой", "Динары", "Ерлановны"), "Нурланова Динара Ерлановна"),
        (("Ткаченко", "Максима", "Игоревича"), "Ткаченко Максим Игоревич"),
    ],
)
def test_names_to_nominative(words: tuple[str, str, str], nominative: str) -> None:
    assert normalise(*words).full == nominative


@pytest.mark.parametrize(
    ("text", "names_him"),
    [
        ("Мухтарова Ержана Талгатовича признать", True),
        ("Мухтарова Е.Т. признать", True),
        ("Мухтарова ЕрхаНа Талгатовича признать", True),  # "Ержана" as OCR may read it, a capital inside
        ("Мухтарова Ерлана Талгатовича признать", False),  # his brother, spelt right
        ("Мухтарова ЕрхаНа Болатовича признать", False),  # another patronymic
    ],
)
def test_a_first_name_garbled_by_ocr_still_names_him_with_his_patronymic(text: str, names_him: bool) -> None:
    pattern = mention_pattern(PersonName("Мухтаров", "Ержан", "Талгатович", female=False))
    assert bool(pattern.search(text)) is names_him


def test_an_english_brother_is_not_a_garbled_name() -> None:
    pattern = mention_pattern(PersonName("Abdikarimov", "Nurzhan", "Yerlanuly", female=False), "en")
    assert pattern.search("to find Abdikarimov NurZhan Yerlanuly guilty")
    assert not pattern.search("to find Abdikarimov Nazar Yerlanuly guilty")
