"""Screening output: one row per defendant for spreadsheets, and the counts of a run."""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from models import Defendant, VerdictFacts
from models.eligibility import Decision

CSV_COLUMNS = (
    "file",
    "case_number",
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
)


def row(facts: VerdictFacts, person: Defendant) -> dict[str, str]:
    """One defendant as a flat row (the CSV and the printed table share it)."""
    e = person.eligibility
    return {
        "file": Path(facts.source.path).name,
        "case_number": facts.case_number.value or "",
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
    }


class CsvSink:
    """Rows written as they come. UTF-8 with a byte-order mark, so spreadsheet programs keep the Cyrillic."""

    def __init__(self, stream: TextIO) -> None:
        self.writer = csv.DictWriter(stream, fieldnames=CSV_COLUMNS, quoting=csv.QUOTE_MINIMAL)
        self.writer.writeheader()

    def write(self, facts: VerdictFacts) -> None:
        for person in facts.defendants:
            self.writer.writerow(row(facts, person))


@dataclass
class Tally:
    """What a screening run found, for the summary table."""

    documents: int = 0
    defendants: int = 0
    needs_review: int = 0
    decisions: Counter[str] = field(default_factory=Counter)
    reviewed_by_decision: Counter[str] = field(default_factory=Counter)
    failures: list[tuple[Path, str]] = field(default_factory=list)

    def add(self, facts: VerdictFacts) -> None:
        self.documents += 1
        for person in facts.defendants:
            e = person.eligibility
            if e is None:
                continue
            self.defendants += 1
            self.decisions[e.decision.value] += 1
            if e.needs_review:
                self.needs_review += 1
                self.reviewed_by_decision[e.decision.value] += 1

    @property
    def review_rate(self) -> float:
        return self.needs_review / self.defendants if self.defendants else 0.0

    def ordered(self) -> list[str]:
        return [d.value for d in Decision if d.value in self.decisions]
