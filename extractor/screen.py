"""Screening output: one row per defendant for spreadsheets, and the counts of a run."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from extractor.store import Store
from models import Defendant, VerdictFacts
from models.eligibility import Decision

COLUMNS = (
    "file",
    "status",
    "court",
    "case_number",
    "verdict_date",
    "defendant",
    "charges",
    "gravity",
    "sentence",
    "decision",
    "effect",
    "new_term",
    "needs_review",
    "first_reason",
    "review_reasons",
    "document_flags",
    "failure_reason",
    "error",
    "path",
)


def row(facts: VerdictFacts, person: Defendant, status: str = "") -> dict[str, str]:
    """One defendant as a flat row (the exports and the printed table share it)."""
    e = person.eligibility
    return {
        "file": Path(facts.source.path).name,
        "status": status,
        "court": facts.court.value or "",
        "case_number": facts.case_number.value or "",
        "verdict_date": facts.verdict_date.value.isoformat() if facts.verdict_date.value else "",
        "defendant": person.name.value or "",
        "charges": "; ".join(c.cite() for c in person.charges),
        "gravity": "; ".join(c.gravity.value if c.gravity else "?" for c in person.charges),
        "sentence": person.sentence.summary() if person.sentence else "",
        "decision": e.decision.value if e else "",
        "effect": e.effect.value if e and e.effect else "",
        "new_term": (e.new_term_text or "") if e else "",
        "needs_review": ("yes" if e.needs_review else "no") if e else "",
        "first_reason": e.first_reason() if e else "",
        "review_reasons": "; ".join(e.review_reasons) if e else "",
        "document_flags": "; ".join(f.code for f in facts.review_flags),
        "failure_reason": "",
        "error": "",
        "path": facts.source.path,
    }


def rows(store: Store, only: str | None = None, paths: list[str] | None = None) -> Iterator[dict[str, str]]:
    """One row per defendant of every document in the store, and one per document that failed or has no
    defendant (so that nothing read or tried goes missing from a spreadsheet)."""
    for doc in store.documents(only=only, paths=paths):
        facts = store.facts(doc)
        if facts is not None and facts.defendants:
            yield from (row(facts, person, doc["status"]) for person in facts.defendants)
            continue
        blank = dict.fromkeys(COLUMNS, "")
        blank.update(file=Path(doc["path"]).name, path=doc["path"], status=doc["status"])
        if facts is not None:
            blank.update(case_number=facts.case_number.value or "", court=facts.court.value or "")
            blank["document_flags"] = "; ".join(f.code for f in facts.review_flags)
        else:
            blank.update(failure_reason=doc["reason"] or "", error=(doc["error"] or "").split("\n")[0])
        yield blank


@dataclass
class Tally:
    """What a screening found over a set of documents (read back from the store), for the summary table."""

    documents: int = 0  # read (done or needs_review)
    documents_flagged: int = 0
    defendants: int = 0
    needs_review: int = 0
    pages: int = 0
    decisions: Counter[str] = field(default_factory=Counter)
    reviewed_by_decision: Counter[str] = field(default_factory=Counter)
    failures: list[tuple[str, str, str]] = field(default_factory=list)  # path, reason code, message

    @classmethod
    def from_store(cls, store: Store, paths: list[str] | None = None) -> Tally:
        tally = cls()
        for doc in store.documents(paths=paths):
            if doc["status"] == "failed":
                tally.failures.append((doc["path"], doc["reason"] or "unknown", (doc["error"] or "").split("\n")[0]))
                continue
            tally.documents += 1
            tally.documents_flagged += doc["status"] == "needs_review"
            tally.pages += doc["pages"] or 0
        for person in store.defendants(paths=paths):
            if person["decision"] is None:
                continue
            tally.defendants += 1
            tally.decisions[person["decision"]] += 1
            if person["needs_review"]:
                tally.needs_review += 1
                tally.reviewed_by_decision[person["decision"]] += 1
        return tally

    @property
    def review_rate(self) -> float:
        return self.needs_review / self.defendants if self.defendants else 0.0

    def ordered(self) -> list[str]:
        return [d.value for d in Decision if d.value in self.decisions]

    def failures_by_reason(self) -> Counter[str]:
        return Counter(reason for _, reason, _ in self.failures)
