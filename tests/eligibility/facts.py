"""Build verdict facts from the compact form of ``cases.toml`` (one defendant, confident facts)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from models import (
    Charge,
    Defendant,
    ExclusionMarker,
    ExclusionMarkerKind,
    Fact,
    Gravity,
    Outcome,
    PriorConviction,
    Recidivism,
    Sentence,
    SentenceKind,
    SourceInfo,
    VerdictFacts,
)

SURE = 0.95
DEFAULT_DATE = dt.date(2022, 1, 5)
DEFAULT_VERDICT_DATE = dt.date(2022, 6, 15)


def _known(raw: Any, default: Any) -> Any:
    """The case's value; the string "unknown" stands for a fact the verdict does not give (TOML has no null)."""
    value = default if raw is None else raw
    return None if value == "unknown" else value


def _fact(value: Any) -> Fact:
    return Fact(value=value, confidence=SURE if value is not None else 0.0)


def charge(raw: dict[str, Any]) -> Charge:
    return Charge(
        article=raw["article"],
        part=raw.get("part") or None,
        paragraph=raw.get("paragraph"),
        attempt=raw.get("attempt", False),
        gravity=Gravity(raw["gravity"]) if raw.get("gravity") else None,
        gravity_source="stated" if raw.get("gravity") else None,
        offense_date=_known(raw.get("offense_date"), DEFAULT_DATE),
        confidence=SURE,
    )


def defendant(case: dict[str, Any]) -> Defendant:
    sentence = case.get("sentence")
    return Defendant(
        name=_fact("Тестов Тест Тестович"),
        minor_at_offense=_fact(_known(case.get("minor"), False)),
        outcome=_fact(Outcome(case.get("outcome", "convicted"))),
        charges=[charge(c) for c in case["charges"]],
        sentence=Sentence.model_validate({**sentence, "kind": SentenceKind(sentence["kind"]), "confidence": SURE})
        if sentence
        else None,
        time_served_credit_from=_fact(case.get("credit_from")),
        recidivism=_fact(Recidivism(r) if (r := _known(case.get("recidivism"), "none")) else None),
        prior_convictions=[
            PriorConviction(article=p["article"], part=p.get("part") or None, confidence=p.get("confidence", SURE))
            for p in case.get("priors", [])
        ],
        exclusion_markers=[
            ExclusionMarker(value=ExclusionMarkerKind(m), confidence=SURE) for m in case.get("markers", [])
        ],
        riots_connection=_fact(_known(case.get("riots"), True)),
    )


def verdict(case: dict[str, Any]) -> VerdictFacts:
    return VerdictFacts(
        id=case["id"],
        source=SourceInfo(path=f"{case['id']}.pdf", sha256="0" * 64, pages=1),
        verdict_date=_fact(case.get("verdict_date", DEFAULT_VERDICT_DATE)),
        defendants=[defendant(case)],
    )
