"""Verdict facts: what the extractor reads from one verdict, per defendant."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, Field

from models.eligibility import Eligibility
from models.evidence import Evidence, Fact


class Language(StrEnum):
    ru = "ru"
    kk = "kk"
    en = "en"


class DocumentKind(StrEnum):
    verdict = "verdict"
    appeal_ruling = "appeal_ruling"
    termination_order = "termination_order"


class Outcome(StrEnum):
    convicted = "convicted"
    acquitted = "acquitted"
    case_terminated = "case_terminated"


class Gravity(StrEnum):
    """Criminal Code Art. 10-11 categories, least to most serious (compare with ``rank``)."""

    criminal_offense = "criminal_offense"
    small = "small"
    medium = "medium"
    grave = "grave"
    especially_grave = "especially_grave"

    @property
    def rank(self) -> int:
        return list(Gravity).index(self)


class SentenceKind(StrEnum):
    imprisonment = "imprisonment"
    restriction_of_liberty = "restriction_of_liberty"
    fine = "fine"
    correctional_labour = "correctional_labour"
    community_service = "community_service"
    arrest = "arrest"
    life_imprisonment = "life_imprisonment"


class Regime(StrEnum):
    minimum_security = "minimum_security"
    medium_security = "medium_security"
    maximum_security = "maximum_security"
    extraordinary_security = "extraordinary_security"


class Recidivism(StrEnum):
    none = "none"
    simple = "simple"
    dangerous = "dangerous"
    especially_dangerous = "especially_dangerous"


class ExclusionMarkerKind(StrEnum):
    torture = "torture"
    terrorism = "terrorism"
    extremism = "extremism"
    mass_riots_organizer = "mass_riots_organizer"
    treason = "treason"
    corruption = "corruption"
    sexual_offense_minor = "sexual_offense_minor"


# Additional punishments are open-ended strings such as "deprivation_of_right_to_hold_office_3y".
AdditionalPunishment = str


class Charge(BaseModel):
    """One count of the court's final qualification (Criminal Code article, part, paragraph)."""

    article: str
    part: str | None = None
    paragraph: str | None = None
    paragraphs: list[str] = Field(default_factory=list, description="all paragraphs cited (п.п.1), 2) ...)")
    attempt: bool = False
    complicity: bool = False
    gravity: Gravity | None = None
    gravity_source: str | None = Field(
        default=None, description="'stated' (the verdict names it) or 'derived' (Code table)"
    )
    offense_date: dt.date | None = None
    confidence: float = Field(default=0.0, ge=0.0, le=1.0)
    evidence: list[Evidence] = Field(default_factory=list)

    def cite(self) -> str:
        """Human-readable reference, e.g. ``п.4) ч.2 ст.188``."""
        parts = []
        if self.paragraph:
            parts.append(f"п.{self.paragraph})")
        if self.part:
            parts.append(f"ч.{self.part}")
        parts.append(f"ст.{self.article}")
        return " ".join(parts)


class Sentence(BaseModel):
    """The final main punishment (after Art. 58 aggregation) with its additional punishments."""

    kind: SentenceKind
    term_months: int | None = Field(default=None, ge=0)
    term_days: int | None = Field(default=None, ge=0)
    hours: int | None = Field(default=None, ge=0)
    amount_mrp: float | None = Field(default=None, ge=0)
    amount_tenge: float | None = Field(default=None, ge=0)
    regime: Regime | None = None
    conditional: bool = False
    probation_months: int | None = None
    additional: list[AdditionalPunishment] = Field(default_factory=list)
    confidence: float = Field(default=0.0, ge=0.0, le=1.0)
    evidence: list[Evidence] = Field(default_factory=list)

    def summary(self) -> str:
        """Short plain-text form, e.g. ``imprisonment 30 months, medium_security``."""
        measure = (
            f"{self.term_months} months"
            if self.term_months
            else f"{self.term_days} days"
            if self.term_days
            else f"{self.hours} hours"
            if self.hours
            else f"{self.amount_mrp:g} MRP"
            if self.amount_mrp
            else f"{self.amount_tenge:g} tenge"
            if self.amount_tenge
            else ""
        )
        words = [self.kind.value.replace("_", " "), measure, "conditional" if self.conditional else ""]
        return ", ".join(filter(None, [" ".join(filter(None, words)), self.regime.value if self.regime else ""]))


class PriorConviction(BaseModel):
    """An unexpunged prior conviction listed in the introduction."""

    article: str
    part: str | None = None
    date: dt.date | None = None
    confidence: float = Field(default=0.0, ge=0.0, le=1.0)
    evidence: list[Evidence] = Field(default_factory=list)

    def cite(self) -> str:
        return f"ч.{self.part} ст.{self.article}" if self.part else f"ст.{self.article}"


class ExclusionMarker(BaseModel):
    """A reason the law may exclude the person (torture, terrorism, ...), read from a charge."""

    value: ExclusionMarkerKind
    article: str | None = None
    confidence: float = Field(default=0.0, ge=0.0, le=1.0)
    evidence: list[Evidence] = Field(default_factory=list)


class ReviewFlag(BaseModel):
    """Something a person must look at before a decision rests on the facts."""

    code: str
    field: str
    message: str
    defendant: str | None = None


class Defendant(BaseModel):
    name: Fact[str]
    birth_date: Fact[dt.date] = Field(default_factory=Fact)
    minor_at_offense: Fact[bool] = Field(default_factory=Fact)
    outcome: Fact[Outcome] = Field(default_factory=Fact)
    charges: list[Charge] = Field(default_factory=list)
    gravity_stated_in_text: Fact[Gravity] = Field(default_factory=Fact)
    sentence: Sentence | None = None
    time_served_credit_from: Fact[dt.date] = Field(default_factory=Fact)
    recidivism: Fact[Recidivism] = Field(default_factory=Fact)
    prior_convictions: list[PriorConviction] = Field(default_factory=list)
    exclusion_markers: list[ExclusionMarker] = Field(default_factory=list)
    riots_connection: Fact[bool] = Field(default_factory=Fact)
    eligibility: Eligibility | None = Field(default=None, description="filled by `verdicts screen`, not `extract`")


class SourceInfo(BaseModel):
    path: str
    sha256: str
    pages: int
    ocr_pages: list[int] = Field(default_factory=list)
    language: Language | None = None
    page_languages: list[Language | None] = Field(
        default_factory=list, description="each page's language (None: too little text to tell); mixed files differ"
    )


class VerdictFacts(BaseModel):
    """Everything extracted from one verdict document."""

    id: str
    source: SourceInfo
    language: Fact[Language] = Field(default_factory=Fact)
    document_kind: Fact[DocumentKind] = Field(default_factory=Fact)
    court: Fact[str] = Field(default_factory=Fact)
    case_number: Fact[str] = Field(default_factory=Fact)
    verdict_date: Fact[dt.date] = Field(default_factory=Fact)
    defendants: list[Defendant] = Field(default_factory=list)
    review_flags: list[ReviewFlag] = Field(default_factory=list)
    extractor_version: str = ""
