"""Shared fixtures: the fixture verdicts rendered to PDF once per session, and their extracted facts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor.fixtures import render_all
from extractor.pipeline import process_verdict
from models import VerdictFacts

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "verdicts"
# The tuning set, then the held-out and blind sets (written without sight of the extractor; see README).
RUSSIAN_SETS = [FIXTURES, *(FIXTURES / name for name in ("heldout", "blind", "blind2", "blind3", "blind4"))]
# Kazakh verdicts and English translations: the first set of each language, then its blind set.
LANGUAGE_SETS = {"kk": [FIXTURES / "kk", FIXTURES / "kk-blind"], "en": [FIXTURES / "en", FIXTURES / "en-blind"]}
FIXTURE_SETS = [*RUSSIAN_SETS, *(folder for folders in LANGUAGE_SETS.values() for folder in folders)]


def gold_files() -> list[Path]:
    return sorted(path for folder in FIXTURE_SETS for path in folder.glob("*.json"))


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Born-digital PDFs of every fixture verdict, by id."""
    out = tmp_path_factory.mktemp("rendered")
    return {path.stem: path for folder in FIXTURE_SETS for path in render_all(folder, out / folder.name)}


@pytest.fixture(scope="session")
def extracted(rendered: dict[str, Path]) -> dict[str, VerdictFacts]:
    return {doc_id: process_verdict(path) for doc_id, path in rendered.items()}


@pytest.fixture(scope="session")
def gold() -> dict[str, dict]:
    return {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in gold_files()}


# Three verdicts with review work in them: an aggregated sentence of mixed gravity, three riot participants,
# an ordinary theft outside the amnesty's dates.
REVIEW_DOCS = ("ru-006-aggregated-sentence", "ru-002-three-participants-riots", "ru-013-ordinary-theft-march-no-riots")


@pytest.fixture
def screened_store(tmp_path: Path, rendered: dict[str, Path]) -> Path:
    """A store written by `verdicts screen` over ``REVIEW_DOCS`` (one worker), for the review workspace."""
    import shutil

    from typer.testing import CliRunner

    from extractor.cli import app

    folder = tmp_path / "in"
    folder.mkdir()
    for name in REVIEW_DOCS:
        shutil.copy(rendered[name], folder / f"{name}.pdf")
    db = tmp_path / "s.sqlite"
    result = CliRunner().invoke(app, ["screen", str(folder), "--db", str(db), "--no-export", "-q", "--workers", "1"])
    assert result.exit_code == 0, result.output
    return db
