"""The screening store: one SQLite file that a long run writes as it goes and a re-run resumes from.

One process writes (the parent of the workers), one transaction per document, so a crash or a power cut loses
at most the documents being read at that moment and never leaves half a document behind. WAL lets exports,
reports and the review tool read while a run writes. Every document row keeps what decides whether a re-run
must read it again: the content's sha256, the rules' sha256 and the reading settings (tool version, OCR
languages).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from models import Defendant, VerdictFacts

SCHEMA_VERSION = 2

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    state TEXT NOT NULL CHECK (state IN ('running', 'finished', 'interrupted')),
    tool_version TEXT NOT NULL,
    rules_id TEXT NOT NULL,
    rules_sha256 TEXT NOT NULL,
    settings TEXT NOT NULL,
    workers INTEGER NOT NULL,
    backend TEXT NOT NULL,
    inputs TEXT NOT NULL,
    documents INTEGER NOT NULL DEFAULT 0,
    skipped INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    pages INTEGER NOT NULL DEFAULT 0,
    seconds REAL
);
CREATE TABLE IF NOT EXISTS documents (
    path TEXT PRIMARY KEY,
    sha256 TEXT,
    size INTEGER,
    mtime_ns INTEGER,
    status TEXT NOT NULL CHECK (status IN ('done', 'needs_review', 'failed')),
    reviewed_json TEXT,  -- the facts after review (the machine's stay in facts_json)
    version INTEGER NOT NULL DEFAULT 0,  -- review saves so far (optimistic locking)
    reviewed_by TEXT,
    reviewed_at TEXT,
    reason TEXT,
    error TEXT,
    facts_json TEXT,
    pages INTEGER,
    ocr_pages INTEGER,
    defendants INTEGER,
    court TEXT,
    case_number TEXT,
    verdict_date TEXT,
    seconds REAL,
    peak_rss_mb REAL,
    tool_version TEXT NOT NULL,
    rules_sha256 TEXT NOT NULL,
    settings TEXT NOT NULL,
    run_id INTEGER NOT NULL REFERENCES runs (id),
    attempts INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS defendants (
    path TEXT NOT NULL REFERENCES documents (path) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    name TEXT,
    charges TEXT,
    decision TEXT,
    effect TEXT,
    needs_review INTEGER,
    offense_date TEXT,
    PRIMARY KEY (path, idx)
);
CREATE TABLE IF NOT EXISTS reviewers (name TEXT PRIMARY KEY, password_hash TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS corrections (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    path TEXT NOT NULL,
    defendant INTEGER,
    field TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('accept', 'correct', 'add', 'remove')),
    old_value TEXT,
    new_value TEXT,
    comment TEXT,
    version INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS decision_versions (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    path TEXT NOT NULL,
    version INTEGER NOT NULL,
    rules_sha256 TEXT NOT NULL,
    decisions TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS corrections_no_update BEFORE UPDATE ON corrections
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER IF NOT EXISTS corrections_no_delete BEFORE DELETE ON corrections
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER IF NOT EXISTS corrections_no_replace BEFORE INSERT ON corrections
    WHEN EXISTS (SELECT 1 FROM corrections WHERE id = NEW.id)
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER IF NOT EXISTS decision_versions_no_replace BEFORE INSERT ON decision_versions
    WHEN EXISTS (SELECT 1 FROM decision_versions WHERE id = NEW.id)
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER IF NOT EXISTS decision_versions_no_update BEFORE UPDATE ON decision_versions
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER IF NOT EXISTS decision_versions_no_delete BEFORE DELETE ON decision_versions
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE INDEX IF NOT EXISTS documents_status ON documents (status);
CREATE INDEX IF NOT EXISTS defendants_decision ON defendants (decision);
"""


MIGRATE_1_TO_2 = """
BEGIN IMMEDIATE;
ALTER TABLE documents ADD COLUMN reviewed_json TEXT;
ALTER TABLE documents ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE documents ADD COLUMN reviewed_by TEXT;
ALTER TABLE documents ADD COLUMN reviewed_at TEXT;
UPDATE meta SET value = '2' WHERE key = 'schema_version';
COMMIT;
"""


class StoreError(Exception):
    """The store file cannot be used (not SQLite, another schema, locked); the message names the file."""


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Known:
    """What the store remembers of a path: enough to decide whether a re-run reads it again."""

    sha256: str | None
    size: int | None
    mtime_ns: int | None
    status: str
    reason: str | None
    tool_version: str
    rules_sha256: str
    settings: str


@dataclass(frozen=True)
class Person:
    """One defendant's row of the ``defendants`` table."""

    name: str | None
    charges: str
    decision: str | None
    effect: str | None
    needs_review: bool | None
    offense_date: str | None


@dataclass(frozen=True)
class Outcome:
    """One document's result as plain data: built in the worker, committed by the parent without re-parsing."""

    path: str
    status: str  # done / needs_review / failed
    sha256: str | None = None
    size: int | None = None
    mtime_ns: int | None = None
    reason: str | None = None  # failure code (see extractor.errors and extractor.workers), None when read
    error: str | None = None
    facts_json: str | None = None  # VerdictFacts with eligibility decided
    pages: int | None = None
    ocr_pages: int | None = None
    court: str | None = None
    case_number: str | None = None
    verdict_date: str | None = None
    people: tuple[Person, ...] = ()
    seconds: float | None = None
    peak_rss_mb: float | None = None

    @classmethod
    def read(cls, path: str, facts: VerdictFacts, **stat: int | None) -> Outcome:
        flagged = bool(facts.review_flags) or any(
            p.eligibility is not None and p.eligibility.needs_review for p in facts.defendants
        )
        return cls(
            path=path,
            status="needs_review" if flagged else "done",
            sha256=facts.source.sha256,
            facts_json=facts.model_dump_json(),
            pages=facts.source.pages,
            ocr_pages=len(facts.source.ocr_pages),
            court=facts.court.value,
            case_number=facts.case_number.value,
            verdict_date=facts.verdict_date.value.isoformat() if facts.verdict_date.value else None,
            people=people_of(facts),
            **stat,
        )

    @classmethod
    def failed(cls, path: str, reason: str, error: str, **stat: str | int | None) -> Outcome:
        return cls(path=path, status="failed", reason=reason, error=error, **stat)


def people_of(facts: VerdictFacts) -> tuple[Person, ...]:
    """The ``defendants`` table's rows of a document."""
    return tuple(_person(p) for p in facts.defendants)


def _person(person: Defendant) -> Person:
    e = person.eligibility
    dates = [c.offense_date for c in person.charges if c.offense_date]
    return Person(
        name=person.name.value,
        charges="; ".join(c.cite() for c in person.charges),
        decision=e.decision.value if e else None,
        effect=e.effect.value if e and e.effect else None,
        needs_review=e.needs_review if e else None,
        offense_date=min(dates).isoformat() if dates else None,
    )


class Store:
    """A screening store file; use as a context manager."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock: int | None = None
        try:
            self.db = sqlite3.connect(path, timeout=30, isolation_level=None)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=FULL")  # a committed document survives a power cut (one fsync each)
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            version = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            fresh = version is None
            if version is not None and int(version[0]) == 1:  # version 1 had no review columns
                self.db.executescript(MIGRATE_1_TO_2)
                version, fresh = (str(SCHEMA_VERSION),), True
            if fresh:  # a store of this version has its tables; one of another is left as it is
                self.db.executescript(SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path}: not a screening store ({exc})") from exc
        if version is None:
            self.db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        elif int(version[0]) != SCHEMA_VERSION:
            raise StoreError(
                f"{path}: store schema version {version[0]}, this tool writes version {SCHEMA_VERSION}; "
                "use a new --db file"
            )

    def lock(self) -> None:
        """Become the one run that writes this store (until closed); a second ``screen`` on it stops at once
        instead of recording documents twice. An advisory lock on ``<store>.lock``, released when the process
        ends however it ends."""
        self._lock = os.open(f"{self.path}.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(self._lock, 32).decode(errors="replace").strip() or "?"
            os.close(self._lock)
            raise StoreError(f"{self.path}: another `verdicts screen` (pid {holder}) is writing this store") from None
        os.ftruncate(self._lock, 0)
        os.write(self._lock, str(os.getpid()).encode())

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()
        if self._lock is not None:
            os.close(self._lock)  # releases the lock
            self._lock = None

    # -- runs ------------------------------------------------------------------------------------------------
    def start_run(
        self,
        *,
        tool_version: str,
        rules_id: str,
        rules_sha256: str,
        settings: str,
        workers: int,
        backend: str,
        inputs: list[str],
    ) -> int:
        # A run that was killed never finished: mark it so the history says what happened.
        self.db.execute("UPDATE runs SET state = 'interrupted' WHERE state = 'running'")
        cursor = self.db.execute(
            "INSERT INTO runs (started_at, state, tool_version, rules_id, rules_sha256, settings, workers, backend,"
            " inputs) VALUES (?, 'running', ?, ?, ?, ?, ?, ?, ?)",
            (now(), tool_version, rules_id, rules_sha256, settings, workers, backend, json.dumps(inputs)),
        )
        return int(cursor.lastrowid or 0)

    def finish_run(
        self,
        run_id: int,
        *,
        documents: int,
        skipped: int,
        failed: int,
        pages: int,
        seconds: float,
        interrupted: bool = False,
    ) -> None:
        self.db.execute(
            "UPDATE runs SET finished_at = ?, state = ?, documents = ?, skipped = ?, failed = ?, pages = ?,"
            " seconds = ? WHERE id = ?",
            (now(), "interrupted" if interrupted else "finished", documents, skipped, failed, pages, seconds, run_id),
        )

    def runs(self) -> list[sqlite3.Row]:
        return self.db.execute("SELECT * FROM runs ORDER BY id").fetchall()

    # -- documents -------------------------------------------------------------------------------------------
    def known(self) -> dict[str, Known]:
        rows = self.db.execute(
            "SELECT path, sha256, size, mtime_ns, status, reason, tool_version, rules_sha256, settings FROM documents"
        )
        return {r["path"]: Known(*tuple(r)[1:]) for r in rows}

    def record(self, outcome: Outcome, *, run_id: int, tool_version: str, rules_sha256: str, settings: str) -> None:
        """Commit one document (and its defendants) in one transaction, replacing what an earlier run wrote."""
        values = {
            "path": outcome.path,
            "sha256": outcome.sha256,
            "size": outcome.size,
            "mtime_ns": outcome.mtime_ns,
            "status": outcome.status,
            "reason": outcome.reason,
            "error": outcome.error,
            "facts_json": outcome.facts_json,
            "pages": outcome.pages,
            "ocr_pages": outcome.ocr_pages,
            "defendants": len(outcome.people) if outcome.facts_json else None,
            "court": outcome.court,
            "case_number": outcome.case_number,
            "verdict_date": outcome.verdict_date,
            "seconds": outcome.seconds,
            "peak_rss_mb": outcome.peak_rss_mb,
            "tool_version": tool_version,
            "rules_sha256": rules_sha256,
            "settings": settings,
            "run_id": run_id,
            "updated_at": now(),
        }
        columns = ", ".join(values)
        marks = ", ".join(f":{k}" for k in values)
        updates = ", ".join(f"{k} = excluded.{k}" for k in values if k != "path")
        with self.transaction():
            self.db.execute(
                f"INSERT INTO documents ({columns}) VALUES ({marks}) ON CONFLICT (path) DO UPDATE SET {updates},"
                " attempts = documents.attempts + 1,"
                # A new machine reading replaces a review of the old one (the audit trail keeps the corrections),
                # and a form opened on the old one can no longer be saved.
                " version = documents.version + 1, reviewed_json = NULL, reviewed_by = NULL, reviewed_at = NULL",
                values,
            )
            self.set_defendants(outcome.path, outcome.people)

    def copy(self, source: str, path: str, *, run_id: int, size: int | None, mtime_ns: int | None) -> None:
        """Record ``path`` with the result of ``source`` (the same content under another name), in one transaction."""
        with self.transaction():
            row = self.db.execute("SELECT * FROM documents WHERE path = ?", (source,)).fetchone()
            values = dict(row)
            if values["facts_json"]:
                facts = json.loads(values["facts_json"])
                facts["id"], facts["source"]["path"] = Path(path).stem, path
                values["facts_json"] = json.dumps(facts, ensure_ascii=False)
            values.update(path=path, size=size, mtime_ns=mtime_ns, run_id=run_id, attempts=0, updated_at=now())
            values.update(reviewed_json=None, version=0, reviewed_by=None, reviewed_at=None)  # reviews stay put
            self.db.execute("DELETE FROM documents WHERE path = ?", (path,))
            self.db.execute(
                f"INSERT INTO documents ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
                list(values.values()),
            )
            self.db.execute(
                "INSERT INTO defendants SELECT ?, idx, name, charges, decision, effect, needs_review, offense_date"
                " FROM defendants WHERE path = ?",
                (path, source),
            )

    def set_defendants(self, path: str, people: tuple[Person, ...]) -> None:
        """Replace a document's ``defendants`` rows (inside the caller's transaction)."""
        self.db.execute("DELETE FROM defendants WHERE path = ?", (path,))
        self.db.executemany(
            "INSERT INTO defendants VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (path, i, p.name, p.charges, p.decision, p.effect, p.needs_review, p.offense_date)
                for i, p in enumerate(people)
            ],
        )

    def transaction(self) -> _Transaction:
        return _Transaction(self.db)

    def documents(self, *, only: str | None = None, paths: list[str] | None = None) -> Iterator[sqlite3.Row]:
        """Document rows in path order; ``only`` = a status; ``paths`` limits to those paths."""
        query = "SELECT * FROM documents"
        clauses, params = [], []
        if only:
            clauses.append("status = ?")
            params.append(only)
        if paths is not None:
            self._want(paths)
            clauses.append("path IN (SELECT path FROM wanted)")
        if clauses:
            query += " WHERE " + " AND ".join(clauses)
        yield from self.db.execute(query + " ORDER BY path", params)

    def defendants(self, paths: list[str] | None = None) -> Iterator[sqlite3.Row]:
        """Defendant rows (with their document's path) in path order; ``paths`` limits to those documents."""
        query = "SELECT * FROM defendants"
        if paths is not None:
            self._want(paths)
            query += " WHERE path IN (SELECT path FROM wanted)"
        yield from self.db.execute(query + " ORDER BY path, idx")

    def _want(self, paths: list[str]) -> None:
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS wanted (path TEXT PRIMARY KEY)")
        self.db.execute("DELETE FROM wanted")
        self.db.executemany("INSERT OR IGNORE INTO wanted VALUES (?)", [(p,) for p in paths])

    def facts(self, row: sqlite3.Row) -> VerdictFacts | None:
        """A document's facts as they stand: a reviewer's when one saved them, else the machine's."""
        raw = row["reviewed_json"] or row["facts_json"]
        return VerdictFacts.model_validate_json(raw) if raw else None


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception (the connection runs in autocommit mode)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, kind: object, *_: object) -> None:
        self.db.execute("ROLLBACK" if kind else "COMMIT")
