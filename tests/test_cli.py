"""The `verdicts` command, run in-process: batches survive bad files, exit codes say what happened."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from extractor.cli import app
from extractor.errors import ExitCode

runner = CliRunner()


def test_batch_with_bad_files_extracts_the_good_ones(tmp_path: Path, rendered: dict[str, Path]) -> None:
    (tmp_path / "empty.pdf").write_bytes(b"")
    (tmp_path / "notes.pdf").write_text("не PDF", encoding="utf-8")
    (tmp_path / "cut.pdf").write_bytes(rendered["ru-002-three-participants-riots"].read_bytes()[:1500])
    good = [rendered["ru-001-theft-prior-conviction"], rendered["ru-020-termination-reconciliation"]]
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["extract", str(good[0]), str(tmp_path), str(good[1]), "--out", str(out)])
    assert result.exit_code == ExitCode.some_failed
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == [p.stem for p in good]
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 3
    for name in ("empty.pdf", "notes.pdf", "cut.pdf"):
        assert sum(name in line for line in errors) == 1


def test_all_good_exits_zero(rendered: dict[str, Path]) -> None:
    result = runner.invoke(app, ["extract", str(rendered["ru-013-ordinary-theft-march-no-riots"])])
    assert result.exit_code == 0
    record = json.loads(result.stdout)
    assert record["defendants"][0]["name"]["value"] == "Пономарев Артем Сергеевич"


def test_schema_names_the_gold_fields() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    defendant = schema["$defs"]["Defendant"]["properties"]
    for field in (
        "name",
        "birth_date",
        "minor_at_offense",
        "outcome",
        "charges",
        "gravity_stated_in_text",
        "sentence",
        "time_served_credit_from",
        "recidivism",
        "prior_convictions",
        "exclusion_markers",
        "riots_connection",
    ):
        assert field in defendant


def test_evaluate_json(tmp_path: Path, rendered: dict[str, Path]) -> None:
    gold_dir = Path(__file__).resolve().parent.parent / "fixtures" / "verdicts"
    docs = tmp_path / "docs"
    docs.mkdir()
    for doc_id in ("ru-004-acquittal-and-conviction", "ru-016-arrest-insult-police"):
        (docs / f"{doc_id}.pdf").write_bytes(rendered[doc_id].read_bytes())
    (docs / "ru-001-theft-prior-conviction.pdf").write_bytes(b"%PDF-1.4 torn off")
    result = runner.invoke(app, ["evaluate", "--gold", str(gold_dir), "--docs", str(docs), "--json"])
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["documents"] == len(list(gold_dir.glob("*.json")))
    assert report["failed"] == ["ru-001-theft-prior-conviction"]
    assert len(report["missing_predictions"]) == report["documents"] - 3
    # a document not read is a failure the screening reports, not a silent error on each of its defendants
    assert {e["document"] for e in report["silent_fact_errors"]} <= {
        "ru-004-acquittal-and-conviction",
        "ru-016-arrest-insult-police",
    }
    assert report["fields"]["charges"]["support"] > 0


def test_evaluate_needs_one_source() -> None:
    result = runner.invoke(app, ["evaluate", "--gold", "fixtures/verdicts"])
    assert result.exit_code == 2


def test_bad_paths_are_one_line_errors(tmp_path: Path, rendered: dict[str, Path]) -> None:
    cases = [
        ["extract", str(rendered["ru-001-theft-prior-conviction"]), "--out", str(tmp_path / "no" / "dir.jsonl")],
        ["evaluate", "--gold", str(tmp_path / "nope"), "--pred", str(tmp_path / "x.jsonl")],
        ["evaluate", "--gold", "fixtures/verdicts", "--docs", str(tmp_path / "nope")],
    ]
    for args in cases:
        result = runner.invoke(app, args)
        assert result.exit_code == ExitCode.bad_args, args
        assert result.stderr.startswith("error: ") and len(result.stderr.strip().splitlines()) == 1, result.stderr


def _score(tmp_path: Path, rendered: dict[str, Path], doc: str, corrupt, drop_flags: tuple[str, ...] = ()) -> dict:
    """Extract ``doc``, let ``corrupt`` spoil the facts (and drop the review flags named), and score them against
    the doc's gold file."""
    record = json.loads(runner.invoke(app, ["extract", str(rendered[doc])]).stdout)
    corrupt(record["defendants"][0])
    record["review_flags"] = [f for f in record["review_flags"] if f["code"] not in drop_flags]
    gold_dir = tmp_path / doc
    gold_dir.mkdir(exist_ok=True)
    (gold_dir / f"{doc}.json").write_text(
        (Path("fixtures/verdicts") / f"{doc}.json").read_text(encoding="utf-8"), encoding="utf-8"
    )
    pred = tmp_path / f"{doc}.jsonl"
    pred.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    return json.loads(runner.invoke(app, ["evaluate", "--gold", str(gold_dir), "--pred", str(pred), "--json"]).stdout)


def test_evaluate_scores_decisions_and_counts_silent_errors(tmp_path: Path, rendered: dict[str, Path]) -> None:
    """The decision the gold facts give is compared with the one the extracted facts give; a wrong decision the
    tool did not send to review is a silent error."""
    scores = _score(tmp_path, rendered, "ru-008-dangerous-recidivism-robbery", lambda person: None)
    assert scores["fields"]["eligibility.decision"]["exact"] == 1.0 and scores["silent_decision_errors"] == []

    def miss_recidivism(person: dict) -> None:  # the court's finding of dangerous recidivism read as none
        person["recidivism"] = {"value": "none", "confidence": 0.95, "evidence": []}

    scores = _score(tmp_path, rendered, "ru-008-dangerous-recidivism-robbery", miss_recidivism)
    assert scores["fields"]["eligibility.decision"]["exact"] == 0.0
    assert scores["silent_decision_errors"] == []  # grave priors and the regime give it away: sent to review

    def move_to_january(person: dict) -> None:  # a March theft read, confidently, as a riot-day theft
        person["charges"][0]["offense_date"] = "2022-01-05"
        person["riots_connection"] = {"value": True, "confidence": 0.95, "evidence": []}

    # (its one day of detention, flagged custody_ended, is taken as read without doubt: nothing sends it to review)
    scores = _score(tmp_path, rendered, "ru-013-ordinary-theft-march-no-riots", move_to_january, ("custody_ended",))
    ((error,),) = [scores["silent_decision_errors"]]
    assert error["gold"] == "not_covered" and error["predicted"].startswith("release")
    assert error["direction"] == "too lenient"


def test_evaluate_survives_gold_the_models_reject(tmp_path: Path) -> None:
    """A malformed gold file loses its decision scores (reported), not the whole evaluation."""
    gold = json.loads(Path("fixtures/verdicts/ru-013-ordinary-theft-march-no-riots.json").read_text(encoding="utf-8"))
    gold["defendants"][0]["outcome"] = "pardoned"  # not an outcome the format knows
    folder = tmp_path / "gold"
    folder.mkdir()
    (folder / "ru-013-ordinary-theft-march-no-riots.json").write_text(json.dumps(gold, ensure_ascii=False))
    pred = tmp_path / "empty.jsonl"
    pred.write_text("", encoding="utf-8")
    result = runner.invoke(app, ["evaluate", "--gold", str(folder), "--pred", str(pred), "--json"])
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert "gold facts unusable" in report["errors"][0]["problem"]
    assert report["fields"]["defendants"]["support"] == 1
