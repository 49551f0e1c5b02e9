"""Review of uncertain extractions: queue order, corrections beside the machine's facts, audit, locking."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from extractor.amnesty.law import get_law
from extractor.review import Conflict, Edit, ReviewError, current_facts, queue, save
from extractor.store import Store

LAW = get_law("kz-2022-152-VII")


@pytest.fixture
def store(screened_store: Path) -> Path:
    return screened_store


def test_the_queue_puts_what_needs_review_first_and_filters(store: Path) -> None:
    with Store(store) as s:
        items = queue(s, LAW)
        assert len(items) == sum(len(current_facts(d).defendants) for d in s.documents())
        flagged = [i.needs_review for i in items]
        assert flagged == sorted(flagged, reverse=True) and any(flagged) and not all(flagged)
        reviewed = [i for i in items if i.needs_review]
        assert [(-i.stakes, i.confidence) for i in reviewed] == sorted((-i.stakes, i.confidence) for i in reviewed)
        assert all(i.decision == "not_covered" for i in queue(s, LAW, decision="not_covered"))
        court = items[0].court
        assert {i.court for i in queue(s, LAW, court=court)} == {court}


def test_a_corrected_term_is_decided_again_and_audited_beside_the_machine_facts(store: Path) -> None:
    with Store(store) as s:
        item = next(i for i in queue(s, LAW) if i.decision == "reduce")
        doc = next(d for d in s.documents() if d["path"] == item.path)
        machine = doc["facts_json"]
        person = current_facts(doc).defendants[item.index]
        old_term = person.sentence.term_months
        facts = save(
            s, item.path, item.index,
            [Edit("sentence", "correct", {"kind": "imprisonment", "years": 4, "months": 0,
                                          "regime": "minimum_security"}),
             Edit("recidivism", "accept")],
            reviewer="Ахметова А.", version=0, law=LAW, comment="срок по приговору: 4 года",
        )  # fmt: skip
        redone = facts.defendants[item.index].eligibility
        assert facts.defendants[item.index].sentence.term_months == 48 != old_term
        assert redone.new_term_months is not None and redone.new_term_months < 48
        row = next(d for d in s.documents() if d["path"] == item.path)
        assert row["facts_json"] == machine, "the machine's facts are kept as they were"
        assert row["version"] == 1 and row["reviewed_by"] == "Ахметова А."
        audit = s.db.execute("SELECT * FROM corrections ORDER BY id").fetchall()
        assert [(a["field"], a["action"]) for a in audit] == [("sentence", "correct"), ("recidivism", "accept")]
        assert json.loads(audit[0]["new_value"])["term_months"] == 48
        assert json.loads(audit[0]["old_value"])["term_months"] == old_term
        assert audit[0]["comment"] == "срок по приговору: 4 года" and audit[0]["defendant"] == item.index
        versions = s.db.execute("SELECT * FROM decision_versions").fetchall()
        assert len(versions) == 1 and json.loads(versions[0]["decisions"])[item.index]["new_term"] == redone.new_term_text

        with pytest.raises(Conflict, match="another reviewer"):  # a second reviewer who opened version 0
            save(s, item.path, item.index, [Edit("recidivism", "accept")], reviewer="Б.", version=0, law=LAW)
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            s.db.execute("UPDATE corrections SET new_value = 'x'")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            s.db.execute("DELETE FROM decision_versions")


def test_charges_are_added_and_removed_and_bad_values_refused(store: Path) -> None:
    with Store(store) as s:
        item = queue(s, LAW)[0]
        before = current_facts(next(d for d in s.documents() if d["path"] == item.path)).defendants[item.index]
        facts = save(
            s, item.path, item.index,
            [Edit("charges", "add", {"article": "293", "part": "1"}), Edit("charges", "remove", 0)],
            reviewer="r", version=0, law=LAW,
        )  # fmt: skip
        cites = [c.cite() for c in facts.defendants[item.index].charges]
        assert cites == [c.cite() for c in before.charges[1:]] + ["ч.1 ст.293"]
        for bad in (
            Edit("charges", "add", {"article": "абв"}),
            Edit("sentence", "correct", {"kind": "imprisonment", "years": 1, "months": 14}),
            Edit("recidivism", "correct", "sometimes"),
            Edit("name", "correct", "x"),
        ):
            with pytest.raises(ReviewError):
                save(s, item.path, item.index, [bad], reviewer="r", version=1, law=LAW)
        assert s.db.execute("SELECT count(*) FROM corrections").fetchone()[0] == 2  # nothing of a refused save


def test_a_store_of_the_first_schema_is_upgraded(store: Path) -> None:
    with sqlite3.connect(store) as db:
        for column in ("reviewed_json", "version", "reviewed_by", "reviewed_at"):
            db.execute(f"ALTER TABLE documents DROP COLUMN {column}")
        db.execute("UPDATE meta SET value = '1'")
    with Store(store) as s:
        assert all(d["version"] == 0 and d["reviewed_json"] is None for d in s.documents())
        assert s.db.execute("SELECT value FROM meta").fetchone()[0] == "2"


def test_a_review_resolves_only_that_persons_flags_on_that_field(store: Path) -> None:
    from extractor.review import apply
    from models import ReviewFlag

    with Store(store) as s:
        doc = next(d for d in s.documents() if len(current_facts(d).defendants) > 1)
        facts = current_facts(doc)
        first, second = (p.name.value for p in facts.defendants[:2])
        facts.review_flags = [
            ReviewFlag(code="operative_heading_unread", field="outcome", message="document-wide"),
            ReviewFlag(code="x", field="outcome", message="first", defendant=first),
            ReviewFlag(code="y", field="outcome", message="second", defendant=second),
            ReviewFlag(code="z", field="charges.gravity", message="first's charge", defendant=first),
        ]
        apply(facts, 0, [Edit("outcome", "accept"), Edit("charges", "add", {"article": "293", "part": "1"})])
        assert [f.code for f in facts.review_flags] == ["operative_heading_unread", "y", "z"]
        added = facts.defendants[0].charges[-1]
        assert added.cite() == "ч.1 ст.293" and added.gravity is not None and added.gravity_source == "derived"


def test_a_new_machine_reading_replaces_the_review_and_stale_forms(store: Path) -> None:
    from extractor.store import Outcome

    with Store(store) as s:
        item = queue(s, LAW)[0]
        save(s, item.path, item.index, [Edit("recidivism", "accept")], reviewer="r", version=0, law=LAW)
        doc = next(d for d in s.documents() if d["path"] == item.path)
        facts = current_facts(doc)
        s.record(Outcome.read(item.path, facts), run_id=1, tool_version="x", rules_sha256="y", settings="z")
        again = next(d for d in s.documents() if d["path"] == item.path)
        assert again["reviewed_json"] is None and again["version"] == 2
        with pytest.raises(Conflict):
            save(s, item.path, item.index, [Edit("recidivism", "accept")], reviewer="r", version=1, law=LAW)
        assert s.db.execute("SELECT count(*) FROM corrections").fetchone()[0] == 1  # the trail keeps the review
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            s.db.execute(
                "INSERT OR REPLACE INTO corrections (id, at, reviewer, path, field, action, version)"
                " VALUES (1, 'now', 'm', 'p', 'f', 'accept', 9)"
            )
