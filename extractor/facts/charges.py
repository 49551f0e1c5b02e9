"""Charges: the court's final qualification per defendant, with gravity and exclusion markers."""

from __future__ import annotations

import re
from functools import cache

from extractor.facts.context import Parsed
from extractor.facts.defendants import Person, mentions_person
from extractor.facts.verdict_words import verdict_clauses
from extractor.grammar.vocab import stem_patterns
from extractor.legal import categories_of, code_table
from models import Charge, ExclusionMarker, Fact, Gravity

OWN_STATEMENT = 0.9  # confidence of a category the court states about this very person


@cache
def _gravity_words(lang: str) -> list[tuple[re.Pattern[str], Gravity]]:
    return [(pattern, Gravity(value)) for pattern, value in stem_patterns("gravity", lang)]


def stated_gravity(parsed: Parsed, person: Person, single: bool) -> Fact[Gravity]:
    """The category the court itself names ("относится к категории тяжких преступлений")."""
    lo, hi = parsed.bounds("description")
    own: list[tuple[Gravity, int, int]] = []
    shared: list[tuple[Gravity, int, int]] = []
    previous_end = lo
    for match in parsed.cue("stated").finditer(parsed.text, lo, hi):
        since_previous, previous_end = max(lo, previous_end), match.end()
        s_lo, s_hi = parsed.sentence_at(match.start(), lo, hi, marks=".")
        if parsed.cue("prior_talk").search(parsed.text, s_lo, s_hi):
            continue  # "ранее судим за преступление, относящееся к категории тяжких" is about a prior
        words = match.group("g") or match.group("g2")
        gravity = next((g for pattern, g in _gravity_words(parsed.lang) if pattern.match(words)), None)
        if gravity is None:
            continue
        found = (gravity, match.start(), match.end())
        c_lo, c_hi = parsed.sentence_at(match.start(), lo, hi, marks=".;")
        # "... by Zhaksylykov D.M. belongs to the category of grave crimes, and ... by Kim A.V. ... of medium
        # gravity": with two categories in one clause, each speaks of the people named since the one before.
        own_part = (max(c_lo, since_previous), match.end())
        if not single and parsed.people_in(*own_part):
            if mentions_person(parsed, person, *own_part):
                own.append(found)
            continue
        if not single and parsed.people_in(c_lo, c_hi):
            # "... Бекмагамбетовым А. деяние является уголовным проступком; ... Кравченко – небольшой тяжести":
            # a clause that names defendants speaks of them only.
            if mentions_person(parsed, person, c_lo, c_hi):
                own.append(found)
            continue
        if single or mentions_person(parsed, person, s_lo, s_hi):
            own.append(found)
        elif parsed.people_in(s_lo, s_hi) == 0:
            # "Данное преступление ..." speaks of the one person the sentence before named, if it named one.
            p_lo, _ = parsed.sentence_at(max(lo, s_lo - 2), lo, hi, marks=".")
            plural = parsed.cue("plural").search(parsed.text, s_lo, s_hi)
            if plural or parsed.people_in(p_lo, s_lo) != 1 or mentions_person(parsed, person, p_lo, s_lo):
                shared.append(found)
    candidates = own or shared
    if not candidates:
        return Fact()
    gravity, start, end = max(candidates, key=lambda f: f[0].rank)
    return Fact(
        value=gravity, confidence=OWN_STATEMENT if own else 0.75, evidence=parsed.evidence(start, end, "gravity_stated")
    )


def operative_charges(parsed: Parsed, person: Person, verb_cue: str = "convicted") -> list[Charge]:
    """Counts cited where the operative part convicts this person (or, for a termination, terminates):
    not acquitted or terminated counts, not earlier verdicts, not custody or exhibits."""
    charges: dict[tuple, Charge] = {}
    for lo, hi in person.verdict_spans:
        for c_lo, c_hi in verdict_clauses(parsed, lo, hi, verb_cue):
            for ref in parsed.refs_in(c_lo, c_hi):
                if ref.chain.code == "other":
                    continue
                confidence = 0.95 if ref.chain.code == "criminal" else 0.7
                for count in ref.chain.refs:
                    key = (count.article, count.part, count.paragraph)
                    if key not in charges:
                        charges[key] = Charge(
                            article=count.article,
                            part=count.part,
                            paragraph=count.paragraph,
                            paragraphs=list(count.paragraphs),
                            attempt=count.attempt,
                            complicity=count.complicity,
                            confidence=confidence,
                            evidence=parsed.evidence(ref.start, ref.end, ref.pattern_id),
                        )
    return list(charges.values())


def assign_gravity(parsed: Parsed, person: Person, charges: list[Charge], stated: Fact[Gravity]) -> None:
    """Gravity per count: the Code table in the wording in force on the offence date; a stated category that
    matches confirms it, one that contradicts it is kept and flagged (Art. 11 is the court's call)."""
    table = code_table()
    for charge in charges:
        found = table.lookup(charge.article, charge.part, charge.offense_date)
        derived = found.part.gravity if found.part else None
        if found.uncertain_reason:
            parsed.flag(
                "gravity_uncertain", "charges.gravity", f"{charge.cite()}: {found.uncertain_reason}", person.name.full
            )
        if derived is None:
            parsed.flag(
                "charge_not_in_code_table", "charges", f"{charge.cite()} is not a known article part", person.name.full
            )
        charge.gravity, charge.gravity_source = derived, "derived"
    if stated.value is None or not charges:
        return
    matching = [c for c in charges if c.gravity == stated.value]
    if matching:
        for charge in matching:
            charge.gravity_source = "stated"
            charge.evidence = charge.evidence + stated.evidence
    elif len(charges) == 1:
        charge = charges[0]
        parsed.flag(
            "gravity_conflict",
            "charges.gravity",
            f"the verdict states {stated.value.value} but the Code table gives "
            f"{charge.gravity.value if charge.gravity else 'nothing'} for {charge.cite()}",
            person.name.full,
        )
        # The court's own words about this person outrank the table; a statement about "the defendants"
        # in general does not.
        if stated.confidence >= OWN_STATEMENT or charge.gravity is None:
            charge.gravity, charge.gravity_source = stated.value, "stated"
            charge.evidence = charge.evidence + stated.evidence
        charge.confidence = min(charge.confidence, 0.5)
    else:
        parsed.flag(
            "gravity_conflict",
            "charges.gravity",
            f"the verdict states {stated.value.value}, which matches none of the counts",
            person.name.full,
        )


def exclusion_markers(parsed: Parsed, person: Person, charges: list[Charge]) -> list[ExclusionMarker]:
    markers: dict[str, ExclusionMarker] = {}
    for charge in charges:
        found = [
            hit
            for paragraph in charge.paragraphs or [charge.paragraph]
            for hit in categories_of(charge.article, charge.part, paragraph)
        ]
        for category, certain in found:
            if category.marker.value in markers:
                continue
            if not certain:
                parsed.flag(
                    "victim_age_unknown",
                    "exclusion_markers",
                    f"{charge.cite()} is a sexual-offence-against-minors crime only if the victim was a minor",
                    person.name.full,
                )
            markers[category.marker.value] = ExclusionMarker(
                value=category.marker,
                article=charge.article,
                confidence=0.95 if certain else 0.5,
                evidence=charge.evidence[:1],
            )
    return list(markers.values())
