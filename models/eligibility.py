"""What an amnesty act does to one defendant, and the chain of checks it rests on."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field

from models.evidence import Evidence


class Decision(StrEnum):
    not_applicable = "not_applicable"  # acquitted, or the case was terminated
    not_covered = "not_covered"  # outside the dates, no riots connection, or no charge on the list
    excluded = "excluded"  # an exclusion of the act (e.g. Law 152-VII Art. 2)
    release = "release"
    reduce = "reduce"


class Effect(StrEnum):
    release_from_criminal_liability = "release_from_criminal_liability"
    release_from_punishment = "release_from_punishment"
    probation_ended = "probation_ended"
    conviction_removed = "conviction_removed"
    term_reduced = "term_reduced"


class CheckOutcome(StrEnum):
    """How one check came out: ``unknown`` means the facts do not settle it."""

    yes = "yes"
    no = "no"
    unknown = "unknown"


class Reason(BaseModel):
    """One legal condition checked for one person: a question, its answer, and what the answer rests on."""

    rule_id: str
    provision: str = Field(description="the act's provision, e.g. 'Art. 2 item 8'")
    question: str
    outcome: CheckOutcome
    text: str = Field(description="the answer as a plain sentence a lawyer can check")
    decisive: bool = Field(default=False, description="this check settled the decision")
    facts: dict[str, str] = Field(default_factory=dict, description="the facts used, by field name")
    evidence: list[Evidence] = Field(default_factory=list)


class Eligibility(BaseModel):
    """The decision of one amnesty act for one defendant."""

    law: str
    rules_sha256: str = ""
    decision: Decision
    effect: Effect | None = None
    new_term_months: float | None = Field(default=None, description="the main punishment after the cut, in months")
    new_term_text: str | None = None
    needs_review: bool = False
    review_reasons: list[str] = Field(default_factory=list)
    reasons: list[Reason] = Field(default_factory=list)

    def first_reason(self) -> str:
        """The sentence that settled the decision (for one-line summaries)."""
        decisive = [r for r in self.reasons if r.decisive] or self.reasons
        return decisive[0].text if decisive else ""
