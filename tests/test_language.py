"""Language of verdict pages: Kazakh and English verdicts are recognised (and, until their extraction exists,
recorded as needing a person instead of being misread as no verdict); a mixed file is flagged."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.batch import Failure, extract_one
from extractor.language import document_language
from tests.conftest import FIXTURE_SETS


def test_every_russian_fixture_page_reads_as_russian() -> None:
    for path in sorted(p for folder in FIXTURE_SETS for p in folder.glob("*.txt")):
        detected, pages = document_language(path.read_text(encoding="utf-8").split("\f"))
        assert detected.language == "ru" and set(pages) <= {"ru", None}, path.name


def kazakh_text() -> str:
    return (FIXTURE_SETS[0] / "kk" / "kk-001-riots-participant-almaty.txt").read_text(encoding="utf-8")


def test_a_kazakh_verdict_is_recorded_as_unsupported_not_as_no_verdict(tmp_path: Path) -> None:
    text = tmp_path / "kk.txt"
    text.write_text(kazakh_text()[:6000], encoding="utf-8")
    got = extract_one(text)
    assert isinstance(got, Failure) and got.reason == "unsupported_language"
    assert "Kazakh" in got.message and str(text) in got.message


def test_an_english_translation_is_recorded_as_unsupported(tmp_path: Path) -> None:
    text = tmp_path / "en.txt"
    text.write_text(
        "VERDICT IN THE NAME OF THE REPUBLIC OF KAZAKHSTAN\nThe specialized inter-district criminal court of "
        "Almaty, composed of the presiding judge, with the secretary of the court session, established that the "
        "defendant committed the crime under part 2 of Article 272 of the Criminal Code on 5 January 2022.\n",
        encoding="utf-8",
    )
    got = extract_one(text)
    assert isinstance(got, Failure) and got.reason == "unsupported_language" and "English" in got.message


def test_a_kazakh_page_in_a_russian_verdict_is_flagged(tmp_path: Path) -> None:
    russian = (FIXTURE_SETS[0] / "ru-016-arrest-insult-police.txt").read_text(encoding="utf-8")
    mixed = tmp_path / "mixed.txt"
    kazakh_page = kazakh_text().split("\f")[1]  # the description: no operative part to confuse the reader
    mixed.write_text(russian + "\n\f\n" + kazakh_page, encoding="utf-8")
    facts = extract_one(mixed)
    assert not isinstance(facts, Failure)
    assert facts.source.language == "ru" and facts.source.page_languages[-1] == "kk"
    flags = [f for f in facts.review_flags if f.code == "mixed_language"]
    assert len(flags) == 1 and f"page {facts.source.pages}" in flags[0].message
    from extractor.amnesty.engine import decide_all
    from extractor.amnesty.law import get_law

    decide_all(facts, get_law("kz-2022-152-VII"))
    grants = [p.eligibility for p in facts.defendants if p.eligibility.decision.value in ("release", "reduce")]
    assert grants and all(e.needs_review for e in grants), "a grant resting on a partly unread file: a person"


@pytest.mark.parametrize("language", ["kk", "en"])
def test_the_kazakh_and_english_fixtures_are_recognised_page_by_page(language: str) -> None:
    files = sorted((FIXTURE_SETS[0] / language).glob("*.txt"))
    assert len(files) >= 3
    for path in files:
        detected, pages = document_language(path.read_text(encoding="utf-8").split("\f"))
        assert detected.language == language and set(pages) <= {language, None}, (path.name, pages)
        got = extract_one(path)
        assert isinstance(got, Failure) and got.reason == "unsupported_language", path.name
