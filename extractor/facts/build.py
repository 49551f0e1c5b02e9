"""Assemble one ``Defendant`` per person from the fact builders, in one visible order."""

from __future__ import annotations

from extractor.facts import charges as ch
from extractor.facts import history, offense_dates, sentence
from extractor.facts.context import Parsed
from extractor.facts.defendants import Person
from models import Defendant, DocumentKind, Fact, Outcome


def outcome(parsed: Parsed, person: Person, kind: DocumentKind | None) -> Fact[Outcome]:
    lo, hi = person.operative_block
    if hi <= lo:
        parsed.flag("operative_part_missing", "outcome", "no operative block names this defendant", person.name.full)
        return Fact()
    if person.verdict_head:
        lo = min(lo, person.verdict_head[0])
    checks = [
        ("convicted", Outcome.convicted),
        ("acquitted", Outcome.acquitted),
        ("terminated", Outcome.case_terminated),
    ]
    if kind is DocumentKind.termination_order:
        checks = checks[2:] + checks[:2]
    found = [(parsed.cue(name).search(parsed.text, lo, hi), value) for name, value in checks]
    found = [(m, v) for m, v in found if m]
    if not found:
        parsed.flag("outcome_unknown", "outcome", "the operative block neither convicts nor acquits", person.name.full)
        return Fact()
    # The first verb in check order wins: a conviction anywhere in the block makes the person convicted
    # ("оправдать" then acquits only some counts); in a termination order, termination is checked first.
    match, value = found[0]
    return Fact(
        value=value, confidence=0.9, evidence=parsed.evidence(match.start(), match.end(), f"outcome_{value.value}")
    )


def build_defendant(parsed: Parsed, person: Person, people: list[Person], kind: DocumentKind | None) -> Defendant:
    single = len(people) == 1
    name = person.name.full
    birth = Fact()
    if person.birth is not None:
        birth = Fact(
            value=person.birth.date,
            confidence=0.9,
            evidence=parsed.evidence(person.birth.start, person.birth.end, person.birth.pattern_id),
        )
    name_fact = Fact(value=name, confidence=0.9, evidence=parsed.evidence(person.start, person.end, "full_name"))
    result = outcome(parsed, person, kind)
    if result.value is Outcome.case_terminated:
        counts = ch.operative_charges(parsed, person, "terminated")
    elif result.value is Outcome.convicted:
        counts = ch.operative_charges(parsed, person)
    else:
        counts = []
    if result.value is Outcome.convicted and not counts:
        parsed.flag("charges_missing", "charges", "convicted but no Criminal Code article found", name)
    acts = offense_dates.act_dates(parsed, person, single)
    offense_dates.assign_dates(parsed, person, counts, acts)
    acquitted = result.value is Outcome.acquitted
    # An acquitted person committed no offence: nothing to classify and no offence tied to the riots.
    stated = ch.stated_gravity(parsed, person, single) if not acquitted else Fact()
    ch.assign_gravity(parsed, person, counts, stated)
    priors, clean = history.prior_convictions(parsed, person)
    punishment = sentence.parse_sentence(parsed, person) if result.value is Outcome.convicted else None
    if punishment is not None:
        sentence.amnesty_already_applied(parsed, person, single)
    return Defendant(
        name=name_fact,
        birth_date=birth,
        minor_at_offense=offense_dates.minor_at_offense(parsed, person, birth, counts, acts),
        outcome=result,
        charges=counts,
        gravity_stated_in_text=stated,
        sentence=punishment,
        time_served_credit_from=(
            sentence.custody_credit(parsed, person, single, [p for p in people if p is not person])
            if punishment
            else Fact()
        ),
        recidivism=history.recidivism(parsed, person, single, priors, clean),
        prior_convictions=priors,
        exclusion_markers=ch.exclusion_markers(parsed, person, counts),
        riots_connection=(
            Fact(value=False, confidence=result.confidence, evidence=result.evidence)
            if acquitted
            else history.riots_connection(parsed, person, counts, single)
        ),
    )
