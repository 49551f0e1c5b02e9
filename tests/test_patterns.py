"""Pattern files are data: each language's set loads and validates, the sets match id for id, and a missing or
empty file is an error."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor import patterns
from extractor.grammar.vocab import LANGUAGES, SECTIONS, vocab
from extractor.nlp import build_nlp
from extractor.patterns import PatternFileError, cue, read_lines, regex_patterns

FILES = sorted(p.name for p in (patterns.PATTERN_DIR / "ru").glob("*.jsonl"))


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", FILES)
def test_pattern_file_loads(name: str, lang: str) -> None:
    lines = read_lines(name, lang)
    assert lines and all(line["id"] for line in lines)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_regex_files_compile(lang: str) -> None:
    for name in ("refs.jsonl", "dates.jsonl", "sections.jsonl", "terms.jsonl"):
        assert regex_patterns(name, lang)


@pytest.mark.parametrize("lang", ["kk", "en"])
def test_every_language_has_every_cue_section_and_marker_of_russian(lang: str) -> None:
    """A fact builder asks for a cue by id: a language without it would fail on its first verdict."""
    assert {e["id"] for e in read_lines("cues.jsonl", lang)} == {e["id"] for e in read_lines("cues.jsonl", "ru")}
    assert {e["id"] for e in read_lines("sections.jsonl", lang)} == {"description", "operative", "operative_unread"}
    ru_markers = {(e["label"], e["id"]) for e in read_lines("markers.jsonl", "ru")}
    assert {(e["label"], e["id"]) for e in read_lines("markers.jsonl", lang)} >= ru_markers
    for section in (*SECTIONS, "references", "units"):
        assert vocab(lang)[section], section


@pytest.mark.parametrize("lang", LANGUAGES)
def test_token_patterns_validate(lang: str) -> None:
    ruler = build_nlp(lang).get_pipe("markers")
    assert {p["id"] for p in ruler.patterns} == {line["id"] for line in read_lines("markers.jsonl", lang)}


def test_missing_and_empty_pattern_files_are_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(patterns, "PATTERN_DIR", tmp_path)
    with pytest.raises(PatternFileError, match="missing"):
        read_lines("refs.jsonl", "kk")
    (tmp_path / "kk").mkdir()
    (tmp_path / "kk" / "refs.jsonl").write_text("\n", encoding="utf-8")
    with pytest.raises(PatternFileError, match="no patterns"):
        read_lines("refs.jsonl", "kk")
    with pytest.raises(PatternFileError, match="no pattern set for language 'de'"):
        read_lines("refs.jsonl", "de")


@pytest.mark.parametrize(
    ("lang", "text", "ref"),
    [
        (
            "ru",
            "ПРИГОВОР\nв отношении А.\nУСТАНОВИЛ:\nпо ч.2 ст.272 УК РК.\nПРИГОВОРИЛ:\nпризнать.",
            "ч.2 ст.272 УК РК",
        ),
        ("kk", "ҮКІМ\nА. қатысты\nАНЫҚТАДЫ:\nҚР ҚК-нің 272-бабының 2-бөлігімен.\nҮКІМ ЕТТІ:\nтанылсын.", None),
        (
            "en",
            "VERDICT\nagainst A.\nESTABLISHED:\nunder part 2 of Article 272 of the Criminal Code.\nSENTENCED:\n",
            None,
        ),
    ],
)
def test_pipeline_marks_sections_and_references(lang: str, text: str, ref: str | None) -> None:
    doc = build_nlp(lang)(text)
    assert [s.label_ for s in doc.spans["sections"]] == ["introduction", "description", "operative"]
    expected = (
        ref or {"kk": "ҚР ҚК-нің 272-бабының 2-бөлігімен", "en": "part 2 of Article 272 of the Criminal Code"}[lang]
    )
    assert [(s.text, s.id_) for s in doc.spans["refs"]] == [(expected, "law_ref_chain")]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_cue_compiles_and_says_what_it_is_for(lang: str) -> None:
    for entry in read_lines("cues.jsonl", lang):
        assert cue(entry["id"], lang).pattern
        assert entry.get("note"), f"{lang} cue {entry['id']} needs a note saying what it is for"
