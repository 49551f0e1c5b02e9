"""The bundled rules file of Law 152-VII checked against the law's structure and the Criminal Code table."""

from __future__ import annotations

from extractor.amnesty.law import OPTION_NAMES, bundled_laws, load_law
from extractor.legal import code_table

LAW = load_law(bundled_laws()["kz-2022-152-VII"])


def test_article_1_lists_52_articles_in_53_paragraphs_each_cited() -> None:
    covered = LAW.scope.covered
    assert len(covered) == 53 and len({c.article for c in covered}) == 52
    assert [c.citation for c in covered] == [f"Art. 1 para {n}" for n in range(2, 55)]
    assert [c.article for c in covered if c.parts] == ["106", "272", "272"]
    assert [c.label() for c in covered if c.only_if_minor] == ["ст.272 ч.1 (only if committed by a minor)"]


def test_titles_the_law_quotes_are_the_code_titles_of_january_2022() -> None:
    """Art. 1 names each article by title; the title must be the Code's in the wording of January 2022 (380 kept
    its old title in the law, after Law 136-VII renamed it)."""
    january = {row.article: row.title_ru for row in code_table().rows if row.wording in ("all_2022", "jan_aug_2022")}
    for entry in LAW.scope.covered:
        assert january.get(entry.article) == entry.title, entry.article
        for part in entry.parts:
            assert code_table().lookup(entry.article, part, LAW.scope.offence_from).part, (entry.article, part)


def test_exclusions_cover_items_1_to_8_once() -> None:
    items = [e.citation for e in LAW.exclusions] + [LAW.recidivism.citation]
    assert items == [f"Art. 2 item {n}" for n in range(1, 9)]
    assert {e.exception for e in LAW.exclusions} == {None, "offender_minor", "minor_against_minor_14_18"}


def test_effects_and_options_are_complete() -> None:
    assert {(c.gravity.value, c.cut) for c in LAW.effects.cuts} == {("grave", "3/4"), ("especially_grave", "1/2")}
    assert LAW.effects.one_year.max_left_months == 12
    assert tuple(LAW.options) == OPTION_NAMES
    assert all(option.note and not option.settled for option in LAW.options.values())
    assert (LAW.scope.offence_from.isoformat(), LAW.scope.offence_to.isoformat()) == ("2022-01-04", "2022-01-07")
    assert LAW.in_force.isoformat() == "2022-11-03"
