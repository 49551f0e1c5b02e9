"""The eligibility engine: facts of one defendant in, the act's decision with its chain of reasons out.

The chain: outcome → scope (dates, riots connection) → exclusions (Art. 2) → listed offences (Art. 1) →
effect by gravity (Art. 3). Then the doubts: facts read with low confidence or flagged by the extractor, and
open points of the act whose other readings would change the decision. A doubt never changes the decision;
it marks it ``needs_review`` and says why.
"""

from __future__ import annotations

from extractor.amnesty import effects, rules
from extractor.amnesty.effects import Result
from extractor.amnesty.law import AmnestyLaw
from extractor.amnesty.rules import NO, UNKNOWN, YES, Case, cite, conclude, words
from extractor.amnesty.sanity import implausible
from extractor.amnesty.terms import as_number, months_text
from models import Charge, Defendant, Gravity, VerdictFacts
from models.eligibility import CheckOutcome, Decision, Effect, Eligibility, Reason

# Facts a release or a reduction always rests on (besides those the chain notes as it goes).
RELEASE_RESTS_ON = {
    "outcome",
    "charges",
    "riots_connection",
    "recidivism",
    "sentence",
    "exclusion_markers",
    "prior_convictions",
    "minor_at_offense",
    "verdict_date",
}


def decide(
    verdict: VerdictFacts, person: Defendant, law: AmnestyLaw, options: dict[str, str] | None = None
) -> Eligibility:
    """What ``law`` does to ``person``, with every reason, and whether a person must review it."""
    chosen = dict(options or {})
    case = Case(law, verdict, person, chosen)
    result = _chain(case)
    review = case.review + _doubts(case, result)
    for name, option in law.options.items():
        if option.settled:
            continue
        for choice in option.choices:
            if choice == law.option(name, chosen):
                continue
            other_case = Case(law, verdict, person, {**chosen, name: choice})
            other = _chain(other_case)
            if other.key() != result.key():
                review.append(
                    f"the decision depends on the open point '{name}': read as '{choice}' it would be "
                    f"{_describe(other)} (see the rules file's note)"
                )
            elif choice != "review":  # a reading that only asks for review is not a doubt about this decision
                review.extend(
                    f"read as '{choice}', the open point '{name}' raises: {why}"
                    for why in other_case.review
                    if why not in case.review
                )
    review = list(dict.fromkeys(review))
    return Eligibility(
        law=law.id,
        rules_sha256=law.sha256,
        decision=result.decision,
        effect=result.effect,
        new_term_months=as_number(result.new_term) if result.new_term is not None else None,
        new_term_text=result.new_text,
        needs_review=bool(review),
        review_reasons=review,
        reasons=case.reasons,
    )


def decide_all(verdict: VerdictFacts, law: AmnestyLaw, options: dict[str, str] | None = None) -> VerdictFacts:
    """The verdict's facts with every defendant's ``eligibility`` filled in."""
    for person in verdict.defendants:
        person.eligibility = decide(verdict, person, law, options)
    return verdict


def _describe(result: Result) -> str:
    parts = [result.decision.value]
    if result.effect:
        parts.append(result.effect.value)
    if result.new_term is not None:
        parts.append(months_text(result.new_term))
    return " / ".join(parts)


def _chain(case: Case) -> Result:
    law, person = case.law, case.person
    if rules.check_outcome(case) is NO:
        return Result(Decision.not_applicable)
    article_1 = law.scope.article
    if not person.charges:
        case.review.append("no charge was read for this person")
        conclude(
            case,
            "scope.charges",
            article_1,
            "Which offences was the person convicted of?",
            "No charge was read for this person, so no covered offence is known.",
        )
        case.rests_on.add("charges")
        return Result(Decision.not_covered)

    riots = rules.check_riots(case)
    dated = [(charge, rules.check_dates(case, charge)) for charge in person.charges]
    in_scope = [c for c, answer in dated if answer is YES] if riots is YES else []
    if not in_scope:
        possible = [c for c, answer in dated if answer is not NO]
        if possible and riots is UNKNOWN:
            case.review.append("the riots connection is unknown for an offence that may fall within the dates")
        if any(answer is UNKNOWN for _, answer in dated) and riots is not NO:
            case.review.append("an offence date is unknown")
        why = (
            "no offence falls within the dates"
            if not possible
            else "the offence is not shown to be connected with the mass riots or their suppression"
        )
        conclude(
            case,
            "scope",
            law.scope.citation,
            "Is the person within the act's scope?",
            f"The act covers offences of {law.scope.offence_from:%d.%m.%Y}–{law.scope.offence_to:%d.%m.%Y} "
            f"connected with the mass riots or their suppression ({law.scope.citation}): {why}.",
        )
        return Result(Decision.not_covered)

    excluded = [item for item in law.exclusions if rules.check_exclusion(case, item) is YES]
    recidivism = rules.check_recidivism(case)
    if excluded or recidivism is YES:
        return Result(Decision.excluded)
    case.note(
        Reason(
            rule_id="exclusions",
            provision="Art. 2",
            question="Does any exclusion of Art. 2 apply?",
            outcome=NO,
            text="No exclusion of Art. 2 applies: no listed crime among the charges, "
            "prior convictions or markers, and no recidivism.",
            facts={"checked": ", ".join(i.citation for i in law.exclusions) + ", " + law.recidivism.citation},
        ),
        "charges",
        "prior_convictions",
        "exclusion_markers",
        "recidivism",
    )

    covered = [c for c in in_scope if rules.check_listed(case, c)[0] is YES]
    if not covered:
        conclude(
            case,
            "scope.listed",
            article_1,
            "Is any offence of the person on the act's list?",
            f"None of {', '.join(cite(c) for c in in_scope)} is among the offences {article_1} lists.",
        )
        return Result(Decision.not_covered)
    covered_ids = {id(c) for c in covered}
    rest = [c for c in person.charges if id(c) not in covered_ids]
    return _effect(case, covered, rest)


def _effect(case: Case, covered: list[Charge], rest: list[Charge]) -> Result:
    """Art. 3, by the gravity of the covered offences; flags the combinations the text does not settle."""
    law = case.law
    gravities: dict[int, Gravity | None] = {}
    for charge in covered:
        gravity, doubts = rules.gravity_of(case, charge)
        gravities[id(charge)] = gravity
        case.review.extend(doubts)
    if rest:
        case.review.append(
            f"only part of the charges is covered ({', '.join(cite(c) for c in covered)}); the punishment for "
            f"{', '.join(cite(c) for c in rest)} stays and the sentence must be set again without the covered counts"
        )
        conclude(
            case,
            "effect.partial",
            "Art. 3",
            "Does the act cover every offence of the sentence?",
            f"The act covers {', '.join(cite(c) for c in covered)} but not {', '.join(cite(c) for c in rest)}: "
            "the covered counts are amnestied and the sentence for the others must be set again.",
            outcome=CheckOutcome.unknown,
            evidence=words(case, covered + rest),
        )
        case.rests_on.add("sentence")
        return Result(Decision.reduce, Effect.term_reduced)
    if any(g is None for g in gravities.values()):
        case.review.append("the gravity of a covered offence is unknown")
        conclude(
            case,
            "effect.gravity",
            "Art. 3",
            "What is the gravity of the covered offences?",
            "The gravity category of a covered offence is unknown, so its effect cannot be chosen; "
            "at most the punishment is cut.",
            outcome=CheckOutcome.unknown,
            evidence=words(case, covered),
        )
        return Result(Decision.reduce, Effect.term_reduced)
    release_group = set(law.effects.convicted.gravities)
    groups = {("release" if g in release_group else g) for g in gravities.values()}
    if len(groups) > 1:
        return _mixed(case, covered, [g for g in gravities.values() if g is not None], release_group)
    gravity = max((g for g in gravities.values() if g is not None), key=lambda g: g.rank)
    if gravity in release_group:
        return effects.release(case, covered, gravity)
    return effects.cut(case, gravity, covered)


def _mixed(case: Case, covered: list[Charge], gravities: list[Gravity], release_group: set[Gravity]) -> Result:
    """Several covered offences of different gravity under one aggregated sentence (open point mixed_gravity)."""
    law = case.law
    if case.opt("mixed_gravity") == "most_serious":
        worst = max(gravities, key=lambda g: g.rank)
        return effects.release(case, covered, worst) if worst in release_group else effects.cut(case, worst, covered)
    cuts = [c for c in (law.cut_for(g) for g in gravities if g not in release_group) if c]
    least = max(cuts, key=lambda c: c.remaining, default=None)
    s = case.person.sentence
    new = s.term_months * least.remaining if s and s.term_months and least else None
    case.review.append(
        "an aggregated sentence covers offences of different gravity (Criminal Code Art. 58): each count has its "
        "own effect, and the per-count terms are needed to set the new sentence"
    )
    bound = f"; at most {months_text(new)} remain (the smallest cut applied to the whole term)" if new else ""
    conclude(
        case,
        "effect.mixed",
        least.citation if least else "Art. 3",
        "What does the act do to an aggregated sentence of mixed gravity?",
        f"{', '.join(f'{cite(c)} ({g.value})' for c, g in zip(covered, gravities, strict=True))}: "
        f"each count takes its own effect under Art. 3{bound}.",
        outcome=CheckOutcome.unknown,
        evidence=words(case, covered),
    )
    case.rests_on.add("sentence")
    return Result(Decision.reduce, Effect.term_reduced, new, f"at most {months_text(new)}" if new else None)


def _doubts(case: Case, result: Result) -> list[str]:
    """Low-confidence, flagged and implausible facts the decision rests on (for a release or a reduction: every
    fact of the person). Unknown values are not doubts here: the checks that need them asked for review."""
    law, person = case.law, case.person
    threshold = law.review.min_confidence
    lenient = result.decision in (Decision.release, Decision.reduce)
    fields = case.rests_on | (RELEASE_RESTS_ON if lenient else set())
    doubts = []
    scalars = {
        "outcome": person.outcome,
        "riots_connection": person.riots_connection,
        "recidivism": person.recidivism,
        "minor_at_offense": person.minor_at_offense,
        "time_served_credit_from": person.time_served_credit_from,
        "verdict_date": case.verdict.verdict_date,
    }

    def weak(what: str, confidence: float) -> None:
        if confidence < threshold:
            doubts.append(f"{what} was read with confidence {confidence:.2f} (below {threshold:.2f})")

    for name, fact in scalars.items():
        if name in fields and fact.value is not None:
            weak(name, fact.confidence)
    if fields & {"charges", "charges.offense_date"}:
        for charge in person.charges:
            weak(f"the charge {cite(charge)}", charge.confidence)
    if "prior_convictions" in fields:
        for prior in person.prior_convictions:
            weak(f"the prior conviction under {prior.cite()}", prior.confidence)
    if "exclusion_markers" in fields:
        for marker in person.exclusion_markers:
            weak(f"the exclusion marker '{marker.value.value}'", marker.confidence)
    if "sentence" in fields and person.sentence:
        weak("the sentence", person.sentence.confidence)
    if lenient and person.sentence is None:
        doubts.append("no punishment was read for this person")
    if lenient:
        doubts.extend(implausible(case))
    for flag in case.verdict.review_flags:
        if flag.defendant not in (None, person.name.value):
            continue
        if lenient or flag.field in fields or flag.field.split(".")[0] in fields:
            doubts.append(f"extractor flag {flag.code}: {flag.message}")
    return doubts
