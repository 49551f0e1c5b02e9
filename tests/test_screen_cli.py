"""`verdicts screen`, `check` and `laws`, run in-process on rendered fixture verdicts."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor.amnesty.law import bundled_laws, load_law
from extractor.cli import app
from extractor.errors import ExitCode

runner = CliRunner()
DOCS = ("ru-004-acquittal-and-conviction", "ru-008-dangerous-recidivism-robbery", "ru-016-arrest-insult-police")
WIDE = {"COLUMNS": "200"}


@pytest.fixture
def folder(tmp_path: Path, rendered: dict[str, Path]) -> Path:
    """Three verdicts and a broken PDF in one folder, as a clerk would drop them."""
    docs = tmp_path / "in"
    docs.mkdir()
    for name in DOCS:
        shutil.copy(rendered[name], docs / f"{name}.pdf")
    (docs / "scan-cut.pdf").write_bytes(rendered[DOCS[0]].read_bytes()[:900])
    return docs


def test_screen_decides_every_defendant_and_writes_jsonl_csv_and_summary(
    folder: Path, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the store lands in the working folder
    jsonl, table = tmp_path / "out.jsonl", tmp_path / "out.csv"
    result = runner.invoke(app, ["screen", str(folder), "--jsonl", str(jsonl), "--csv", str(table)], env=WIDE)
    assert result.exit_code == ExitCode.some_failed  # the cut PDF failed; the others were still screened
    assert "scan-cut.pdf" in result.stderr and (tmp_path / "screening.sqlite").is_file()
    records = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == [*DOCS, "scan-cut"]
    assert records[-1]["status"] == "failed" and records[-1]["reason"] == "corrupt_pdf"
    decisions = {p["name"]["value"]: p["eligibility"]["decision"] for r in records for p in r["defendants"]}
    assert decisions == {
        "Нургалиев Бауыржан Серикович": "release",
        "Ткаченко Максим Игоревич": "not_applicable",
        "Бекмуратов Ержан Талгатович": "excluded",
        "Ермеков Бекзат Асланович": "release",
        "Сейткалиев Даулет Нурланович": "release",
    }
    raw = table.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "a byte-order mark keeps Excel from garbling the Cyrillic"
    rows = list(csv.DictReader(table.read_text(encoding="utf-8-sig").splitlines()))
    assert len(rows) == 6 and rows[-1]["file"] == "scan-cut.pdf" and rows[-1]["status"] == "failed"
    excluded = next(r for r in rows if r["defendant"] == "Бекмуратов Ержан Талгатович")
    assert excluded["decision"] == "excluded" and "Art. 2 item 8" in excluded["first_reason"]
    for name in decisions:
        assert name in result.stdout
    assert "review rate" in result.stdout and "of 5 defendants" in result.stdout


def test_check_re_decides_from_hand_corrected_facts(folder: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    runner.invoke(app, ["screen", str(folder / f"{DOCS[2]}.pdf"), "--quiet"])
    jsonl = tmp_path / "screening.jsonl"  # the default outputs land in the working folder
    assert (tmp_path / "screening.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    facts = json.loads(jsonl.read_text(encoding="utf-8"))
    person = facts["defendants"][0]
    assert person["eligibility"]["decision"] == "release"
    # A reviewer finds the court imposed the punishment under recidivism and corrects the fact.
    person["recidivism"] = {"value": "simple", "confidence": 1.0, "evidence": []}
    corrected = tmp_path / "corrected.json"
    corrected.write_text(json.dumps(facts, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(app, ["check", str(corrected), "--json"])
    assert result.exit_code == 0, result.stderr
    redone = json.loads(result.stdout)
    assert redone["defendants"][0]["eligibility"]["decision"] == "excluded"
    assert redone["defendants"][1]["eligibility"]["decision"] == "release"
    explained = runner.invoke(app, ["check", str(corrected)], env=WIDE)
    assert "Art. 2 item 8" in explained.stdout and "▶" in explained.stdout


def test_a_corrected_rules_file_changes_decisions_without_code(folder: Path, tmp_path: Path, monkeypatch) -> None:
    """A lawyer strikes ст.293 from the list in a copy of the rules file and screens with it."""
    original = bundled_laws()["kz-2022-152-VII"].read_text(encoding="utf-8")
    line = next(x for x in original.splitlines() if x.strip().startswith('{ article = "293"'))
    corrected = tmp_path / "corrected.toml"
    corrected.write_text(original.replace(line + "\n", ""), encoding="utf-8")
    assert len(load_law(corrected).scope.covered) == 52
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(
        app, ["screen", str(folder / f"{DOCS[2]}.pdf"), "--rules", str(corrected), "--csv", str(tmp_path / "x.csv")]
    )
    assert result.exit_code == 0, result.stderr
    rows = {
        r["defendant"]: r for r in csv.DictReader((tmp_path / "x.csv").read_text(encoding="utf-8-sig").splitlines())
    }
    assert rows["Сейткалиев Даулет Нурланович"]["decision"] == "not_covered"  # ч.1 ст.293
    assert rows["Ермеков Бекзат Асланович"]["decision"] == "release"  # ч.2 ст.378 is still listed


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace("min_confidence = 0.75", "min_confidence = 0.75\nmin_confidense = 0.8"), "min_confidense"),
        (lambda t: t.replace('cut = "3/4"', 'cut = "4/3"'), "cut"),
        (lambda t: t.replace('gravity = "grave"', 'gravity = "serious"', 1), "gravity"),
        (lambda t: t.replace("[scope]", "[scope"), "not a valid TOML"),
    ],
)
def test_a_broken_rules_file_is_a_one_line_error_naming_file_and_problem(tmp_path: Path, edit, message: str) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text(edit(bundled_laws()["kz-2022-152-VII"].read_text(encoding="utf-8")), encoding="utf-8")
    result = runner.invoke(app, ["laws", "show", str(broken)])
    assert result.exit_code == ExitCode.bad_args
    assert result.stderr.startswith(f"error: {broken}") and message in result.stderr


def test_laws_lists_and_shows_every_rule_with_its_source() -> None:
    listed = runner.invoke(app, ["laws"], env=WIDE)
    assert listed.exit_code == 0 and "kz-2022-152-VII" in listed.stdout
    shown = runner.invoke(app, ["laws", "show", "kz-2022-152-VII"], env=WIDE)
    assert shown.exit_code == 0
    law = load_law(bundled_laws()["kz-2022-152-VII"])
    citations = [c.citation for c in law.scope.covered] + [e.citation for e in law.exclusions]
    citations += [law.recidivism.citation, law.effects.one_year.citation, "Art. 3 item 1", "Art. 3 item 4"]
    for citation in citations:
        assert re.search(r"│ " + re.escape(citation) + r" +│", shown.stdout), citation  # a whole table cell
    assert "Art. 1 para 54" in shown.stdout and "ст.453" in shown.stdout
    for name in law.options:
        assert name in shown.stdout
    unknown = runner.invoke(app, ["laws", "show", "kz-1999-000"])
    assert unknown.exit_code == ExitCode.bad_args and "kz-2022-152-VII" in unknown.stderr
