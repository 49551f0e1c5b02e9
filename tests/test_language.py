"""Language of verdict pages: a Kazakh verdict or an English translation is read with its own pattern set and
says so in ``source.language``; a page in another language inside a verdict is flagged."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.batch import Failure, extract_one
from extractor.language import document_language
from tests.conftest import FIXTURES, LANGUAGE_SETS, RUSSIAN_SETS


def test_every_russian_fixture_page_reads_as_russian() -> None:
    for path in sorted(p for folder in RUSSIAN_SETS for p in folder.glob("*.txt")):
        detected, pages = document_language(path.read_text(encoding="utf-8").split("\f"))
        assert detected.language == "ru" and set(pages) <= {"ru", None}, path.name


def kazakh_text() -> str:
    return (FIXTURES / "kk" / "kk-001-riots-participant-almaty.txt").read_text(encoding="utf-8")


def test_a_kazakh_verdict_is_read_with_the_kazakh_patterns(tmp_path: Path) -> None:
    text = tmp_path / "kk.txt"
    text.write_text(kazakh_text(), encoding="utf-8")
    facts = extract_one(text)
    assert not isinstance(facts, Failure), facts
    assert facts.source.language == "kk" and facts.language.value == "kk"
    (person,) = facts.defendants
    assert person.name.value == "Тоқтаров Ержан Серікұлы"
    assert [(c.article, c.part) for c in person.charges] == [("272", "2")]
    # the evidence quotes the Kazakh words of the verdict
    assert "272-бабының 2-бөлігімен" in person.charges[0].evidence[0].text


def test_an_english_translation_is_read_with_the_english_patterns() -> None:
    facts = extract_one(FIXTURES / "en" / "en-002-theft-188-2-4-prior-conviction.txt")
    assert not isinstance(facts, Failure), facts
    assert facts.source.language == "en" and facts.language.value == "en"
    (person,) = facts.defendants
    assert [(c.article, c.part, c.paragraph) for c in person.charges] == [("188", "2", "4")]
    assert "part 2 of Article 188" in person.charges[0].evidence[0].text


def test_a_kazakh_page_in_a_russian_verdict_is_flagged(tmp_path: Path) -> None:
    russian = (FIXTURES / "ru-016-arrest-insult-police.txt").read_text(encoding="utf-8")
    mixed = tmp_path / "mixed.txt"
    kazakh_page = kazakh_text().split("\f")[1]  # the description: no operative part to confuse the reader
    mixed.write_text(russian + "\n\f\n" + kazakh_page, encoding="utf-8")
    facts = extract_one(mixed)
    assert not isinstance(facts, Failure)
    assert facts.source.language == "ru" and facts.source.page_languages[-1] == "kk"
    flags = [f for f in facts.review_flags if f.code == "mixed_language"]
    assert len(flags) == 1 and f"page {facts.source.pages}" in flags[0].message
    assert "Russian patterns" in flags[0].message
    from extractor.amnesty.engine import decide_all
    from extractor.amnesty.law import get_law

    decide_all(facts, get_law("kz-2022-152-VII"))
    grants = [p.eligibility for p in facts.defendants if p.eligibility.decision.value in ("release", "reduce")]
    assert grants and all(e.needs_review for e in grants), "a grant resting on a partly unread file: a person"


@pytest.mark.parametrize("language", ["kk", "en"])
def test_the_kazakh_and_english_fixtures_are_recognised_page_by_page(language: str) -> None:
    files = sorted(p for folder in LANGUAGE_SETS[language] for p in folder.glob("*.txt"))
    assert len(files) >= (8 if language == "kk" else 3)
    for path in files:
        detected, pages = document_language(path.read_text(encoding="utf-8").split("\f"))
        assert detected.language == language and set(pages) <= {language, None}, (path.name, pages)
