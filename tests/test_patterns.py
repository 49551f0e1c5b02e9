"""Pattern files are data: each loads and validates, and a missing or empty one is an error."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor import patterns
from extractor.nlp import build_nlp
from extractor.patterns import PatternFileError, read_lines, regex_patterns


@pytest.mark.parametrize("name", sorted(p.name for p in patterns.PATTERN_DIR.glob("*.jsonl")))
def test_pattern_file_loads(name: str) -> None:
    lines = read_lines(name)
    assert lines and all(line["id"] for line in lines)


def test_regex_files_compile() -> None:
    for name in ("refs.jsonl", "dates.jsonl", "sections.jsonl", "terms.jsonl"):
        assert regex_patterns(name)


def test_token_patterns_validate() -> None:
    nlp = build_nlp()
    ruler = nlp.get_pipe("markers")
    assert {p["id"] for p in ruler.patterns} == {line["id"] for line in read_lines("markers.jsonl")}


def test_missing_and_empty_pattern_files_are_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(patterns, "PATTERN_DIR", tmp_path)
    with pytest.raises(PatternFileError, match="missing"):
        read_lines("refs.jsonl")
    (tmp_path / "refs.jsonl").write_text("\n", encoding="utf-8")
    with pytest.raises(PatternFileError, match="no patterns"):
        read_lines("refs.jsonl")


def test_pipeline_marks_sections_and_references() -> None:
    doc = build_nlp()("ПРИГОВОР\nв отношении А.\nУСТАНОВИЛ:\nпо ч.2 ст.272 УК РК.\nПРИГОВОРИЛ:\nпризнать.")
    assert [s.label_ for s in doc.spans["sections"]] == ["introduction", "description", "operative"]
    assert [(s.text, s.id_) for s in doc.spans["refs"]] == [("ч.2 ст.272 УК РК", "law_ref_chain")]


def test_every_cue_compiles() -> None:
    from extractor.patterns import cue

    for entry in read_lines("cues.jsonl"):
        assert cue(entry["id"]).pattern
        assert entry.get("note"), f"cue {entry['id']} needs a note saying what it is for"
