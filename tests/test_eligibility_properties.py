"""Properties of the eligibility engine over generated facts and over every fixture verdict."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor.amnesty.engine import decide
from extractor.amnesty.law import get_law
from extractor.legal import code_table
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
    ReviewFlag,
    Sentence,
    SentenceKind,
    SourceInfo,
    VerdictFacts,
)
from models.eligibility import Decision

LAW = get_law()
THRESHOLD = LAW.review.min_confidence
GRANTS = (Decision.release, Decision.reduce)
# Article parts the Code table knows, plus a few it does not (a misread part, a hyphenated article).
KNOWN = sorted({(row.article, row.part) for row in code_table().rows}, key=lambda ap: (ap[0], ap[1] or ""))
# and articles whose part was not read although the list depends on it
PARTS = [*KNOWN, ("188", "9"), ("188-1", "2"), ("999", None), ("272", None), ("106", None), ("189", "3")]

confidence = st.sampled_from([0.3, 0.6, 0.8, 0.9, 0.95])
dates = st.dates(dt.date(2021, 12, 25), dt.date(2022, 1, 15)) | st.none()


def fact(values: st.SearchStrategy) -> st.SearchStrategy[Fact]:
    return st.builds(Fact, value=values, confidence=confidence)


charges = st.builds(
    lambda ap, paragraph, gravity, when, attempt, conf: Charge(
        article=ap[0],
        part=ap[1],
        paragraph=paragraph,
        gravity=gravity,
        offense_date=when,
        attempt=attempt,
        confidence=conf,
    ),
    st.sampled_from(PARTS),
    st.sampled_from([None, "1", "2", "3"]),
    st.sampled_from(Gravity) | st.none(),
    dates,
    st.booleans(),
    confidence,
)
sentences = st.builds(
    Sentence,
    kind=st.sampled_from(SentenceKind),
    term_months=st.integers(0, 400) | st.none(),
    term_days=st.integers(10, 50) | st.none(),
    hours=st.integers(20, 1200) | st.none(),
    amount_mrp=st.floats(20, 10000) | st.none(),
    conditional=st.booleans(),
    confidence=confidence,
)
defendants = st.builds(
    Defendant,
    name=st.just(Fact(value="Тестов Тест Тестович", confidence=0.9)),
    minor_at_offense=fact(st.booleans() | st.none()),
    outcome=fact(st.sampled_from(Outcome) | st.none()),
    charges=st.lists(charges, max_size=4),
    sentence=sentences | st.none(),
    # custody starts that can be right and ones that cannot (before the offence, after the verdict)
    time_served_credit_from=fact(st.dates(dt.date(2020, 1, 1), dt.date(2023, 12, 31)) | st.none()),
    recidivism=fact(st.sampled_from(Recidivism) | st.none()),
    prior_convictions=st.lists(
        st.builds(
            lambda ap, conf: PriorConviction(article=ap[0], part=ap[1], confidence=conf),
            st.sampled_from(PARTS),
            confidence,
        ),
        max_size=2,
    ),
    exclusion_markers=st.lists(
        st.builds(ExclusionMarker, value=st.sampled_from(ExclusionMarkerKind), confidence=confidence), max_size=2
    ),
    riots_connection=fact(st.booleans() | st.none()),
)


def verdict_of(person: Defendant, flags: list[ReviewFlag], verdict_date: dt.date | None) -> VerdictFacts:
    return VerdictFacts(
        id="generated",
        source=SourceInfo(path="generated.pdf", sha256="0" * 64, pages=1),
        verdict_date=Fact(value=verdict_date, confidence=0.9 if verdict_date else 0.0),
        defendants=[person],
        review_flags=flags,
    )


def excluded_for_sure(person: Defendant) -> bool:
    """An exclusion the person cannot escape: recidivism, a marker, or a listed crime with no exception."""
    if person.recidivism.value not in (None, Recidivism.none):
        return True
    unconditional = {item.marker for item in LAW.exclusions if item.exception is None}
    if any(marker.value in unconditional for marker in person.exclusion_markers):
        return True
    refs = [(c.article, c.part, p) for c in person.charges for p in (c.paragraphs or [c.paragraph])]
    refs += [(p.article, p.part, None) for p in person.prior_convictions]
    return any(item.covers(*ref) and item.exception is None for item in LAW.exclusions for ref in refs)


def rests_on_doubt(facts: VerdictFacts, person: Defendant) -> bool:
    """A fact a release or reduction rests on was read with low confidence, or the extractor flagged one."""
    scalars = [person.outcome, person.riots_connection, person.recidivism, person.minor_at_offense]
    if any(f.value is not None and f.confidence < THRESHOLD for f in scalars):
        return True
    if any(c.confidence < THRESHOLD for c in person.charges):
        return True
    if person.sentence and person.sentence.confidence < THRESHOLD:
        return True
    if any(p.confidence < THRESHOLD for p in person.prior_convictions):
        return True
    return any(flag.defendant in (None, person.name.value) for flag in facts.review_flags)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    person=defendants,
    flags=st.lists(
        st.builds(
            ReviewFlag,
            code=st.just("generated"),
            field=st.sampled_from(["charges", "sentence", "recidivism"]),
            message=st.just("generated flag"),
            defendant=st.sampled_from([None, "Тестов Тест Тестович", "Другой"]),
        ),
        max_size=1,
    ),
    verdict_date=st.dates(dt.date(2022, 3, 1), dt.date(2023, 6, 1)) | st.none(),
)
def test_engine_never_raises_and_never_grants_what_it_must_not(
    person: Defendant, flags: list[ReviewFlag], verdict_date: dt.date | None
) -> None:
    facts = verdict_of(person, flags, verdict_date)
    result = decide(facts, person, LAW)
    assert any(r.decisive for r in result.reasons), "every decision names the check that settled it"
    if excluded_for_sure(person):
        assert result.decision not in GRANTS, [r.text for r in result.reasons]
    if result.decision in GRANTS and rests_on_doubt(facts, person):
        assert result.needs_review, [r.text for r in result.reasons]
    if result.needs_review:
        assert result.review_reasons, "a review flag always says why"


def test_every_fixture_release_or_reduction_on_doubtful_facts_goes_to_review(
    extracted: dict[str, VerdictFacts],
) -> None:
    """Over all fixture verdicts: no release or reduction rests silently on a low-confidence or flagged fact."""
    grants = 0
    for facts in extracted.values():
        for person in facts.defendants:
            result = decide(facts, person, LAW)
            if result.decision in GRANTS:
                grants += 1
                if rests_on_doubt(facts, person):
                    assert result.needs_review, f"{facts.id} / {person.name.value}: {result.reasons}"
    assert grants >= 20  # the fixtures hold releases and reductions, so the check above ran


@pytest.mark.parametrize(
    ("option", "choice"),
    [("one_year_basis", "reduced"), ("mixed_gravity", "most_serious")],
)
def test_a_decision_that_another_reading_would_change_is_sent_to_review(option: str, choice: str) -> None:
    """Open points of the act: when the other reading changes the decision, the reason names the option."""
    grave = Charge(article="272", part="2", gravity=Gravity.grave, offense_date=dt.date(2022, 1, 5), confidence=0.9)
    medium = Charge(article="293", part="2", gravity=Gravity.medium, offense_date=dt.date(2022, 1, 5), confidence=0.9)
    person = Defendant(
        name=Fact(value="Тестов Тест Тестович", confidence=0.9),
        minor_at_offense=Fact(value=False, confidence=0.9),
        outcome=Fact(value=Outcome.convicted, confidence=0.9),
        charges=[grave] if option == "one_year_basis" else [grave, medium],
        # 48 months: a quarter (12) ends within a year of 3.11.2022; 14 months: the whole term does.
        sentence=Sentence(
            kind=SentenceKind.imprisonment, term_months=48 if option == "one_year_basis" else 14, confidence=0.9
        ),
        time_served_credit_from=Fact(value=dt.date(2022, 1, 6), confidence=0.9),
        recidivism=Fact(value=Recidivism.none, confidence=0.9),
        riots_connection=Fact(value=True, confidence=0.9),
    )
    facts = verdict_of(person, [], dt.date(2022, 6, 1))
    default = decide(facts, person, LAW)
    assert default.needs_review
    assert any(f"'{option}'" in why and f"'{choice}'" in why for why in default.review_reasons)
    other = decide(facts, person, LAW, {option: choice})
    assert (other.decision, other.new_term_months) != (default.decision, default.new_term_months)


def test_every_fixture_decision_quotes_the_verdict(extracted: dict[str, VerdictFacts]) -> None:
    """A decision nobody can trace to the verdict's words is worthless: the deciding step quotes them."""
    for facts in extracted.values():
        for person in facts.defendants:
            result = decide(facts, person, LAW)
            decisive = [r for r in result.reasons if r.decisive]
            assert decisive and all(r.evidence for r in decisive), (facts.id, person.name.value, decisive)
