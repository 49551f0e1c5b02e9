"""Every fact in the output rests on words of the verdict: quoted text found at its offsets on its page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from extractor.pages import read_pages
from models import VerdictFacts
from tests.conftest import gold_files

IDS = [path.stem for path in gold_files()]


def facts_with_evidence(data: dict[str, Any], where: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every object that states a fact: wrapped scalars with a value, and list items/sentences."""
    if "evidence" in data and ("value" not in data or data["value"] is not None):
        yield where, data
    for key, value in data.items():
        if key in ("evidence", "source"):
            continue
        if isinstance(value, dict):
            yield from facts_with_evidence(value, f"{where}.{key}")
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, dict):
                    yield from facts_with_evidence(item, f"{where}.{key}[{i}]")


@pytest.mark.parametrize("doc_id", IDS)
def test_every_fact_has_evidence_found_on_its_page(
    doc_id: str, extracted: dict[str, VerdictFacts], rendered: dict[str, Path]
) -> None:
    facts = extracted[doc_id]
    pages = read_pages(rendered[doc_id])
    data = facts.model_dump(mode="json")
    checked = 0
    for where, fact in facts_with_evidence(data):
        assert fact["evidence"], f"{doc_id}{where}: a fact without evidence"
        assert 0 < fact["confidence"] <= 1, f"{doc_id}{where}: confidence {fact['confidence']}"
        for ev in fact["evidence"]:
            page_text = pages[ev["page"] - 1].text
            assert page_text[ev["start"] : ev["end"]] == ev["text"], f"{doc_id}{where}: quote not at its offsets"
            checked += 1
    assert checked >= 10
