"""The Criminal Code data the extractor relies on, checked against the Code's own rules."""

from __future__ import annotations

import datetime as dt

import pytest

from extractor.legal import categories_of, code_table, gravity_from_sanction
from models import ExclusionMarkerKind, Gravity


def test_every_row_gravity_follows_article_11() -> None:
    rows = code_table().rows
    assert len(rows) > 300
    wrong = [
        (r.article, r.part)
        for r in rows
        if gravity_from_sanction(r.max_imprisonment_years, r.life_imprisonment, r.intent) != r.gravity
    ]
    assert wrong == []


def test_every_row_cites_a_dated_official_edition() -> None:
    for row in code_table().rows:
        assert row.source_url.startswith("https://zan.gov.kz/client/#!/doc/81097/rus/"), row


@pytest.mark.parametrize(
    ("article", "part", "date", "gravity", "uncertain"),
    [
        ("380", "2", dt.date(2022, 1, 6), Gravity.grave, False),  # January wording
        ("380", "2", dt.date(2022, 10, 1), Gravity.medium, False),  # September 2022 wording
        ("380", "2", dt.date(2022, 8, 1), Gravity.grave, True),  # between signature and the edition
        ("379", None, dt.date(2022, 1, 5), Gravity.small, False),
        ("188", "3", dt.date(2022, 1, 5), Gravity.grave, False),
        ("272", "3", dt.date(2022, 1, 5), Gravity.medium, False),
        ("371", "2", dt.date(2022, 1, 5), Gravity.small, True),  # халатность as negligent: a judgement call
        ("378", "2", dt.date(2022, 1, 5), Gravity.criminal_offense, False),
    ],
)
def test_gravity_by_offence_date(
    article: str, part: str | None, date: dt.date, gravity: Gravity, uncertain: bool
) -> None:
    found = code_table().lookup(article, part, date)
    assert found.part is not None and found.part.gravity == gravity
    assert (found.uncertain_reason is not None) == uncertain


def test_part_that_only_exists_in_the_later_wording() -> None:
    found = code_table().lookup("379", "1", dt.date(2022, 1, 5))
    assert found.part is None and "did not exist" in found.uncertain_reason


@pytest.mark.parametrize(
    ("article", "part", "paragraph", "markers"),
    [
        ("269", "2", "6", {"terrorism"}),
        ("269-1", "1", None, set()),
        ("184", None, None, {"terrorism", "extremism"}),
        ("404", "1", None, set()),
        ("404", "2", None, {"extremism"}),
        ("362", "4", "1", set()),
        ("362", "4", "3", {"corruption"}),
        ("366", "1-1", None, {"corruption"}),
        ("272", "1", None, {"mass_riots_organizer"}),
        ("272", "2", None, set()),
        ("146", "2", "1", {"torture"}),
        ("175", "1", None, {"treason"}),
        ("273", None, None, set()),
    ],
)
def test_special_categories(article: str, part: str | None, paragraph: str | None, markers: set[str]) -> None:
    assert {cat.marker.value for cat, _ in categories_of(article, part, paragraph)} == markers


def test_sexual_offence_marker_is_certain_only_when_the_part_names_a_minor() -> None:
    ((cat, certain),) = categories_of("120", "3-1", "1")
    assert cat.marker is ExclusionMarkerKind.sexual_offense_minor and certain
    ((cat, certain),) = categories_of("120", "1", None)
    assert not certain
