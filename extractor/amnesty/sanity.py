"""Facts that cannot all be right together: checked before a release or a reduction rests on them.

A misread number is the likeliest way for a wrong release to look clean, so the punishment is held against the
Criminal Code's limits for the charges read and the dates against each other.
"""

from __future__ import annotations

from extractor.amnesty.rules import Case
from extractor.legal import code_table
from models import SentenceKind


def implausible(case: Case) -> list[str]:
    """What does not fit: each item a sentence for the review list."""
    person, sentence = case.person, case.person.sentence
    found = []
    offences = [c.offense_date for c in person.charges if c.offense_date]
    verdict_date = case.verdict.verdict_date.value
    if verdict_date and offences and verdict_date < min(offences):
        found.append(f"the verdict date {verdict_date:%d.%m.%Y} is before the offence ({min(offences):%d.%m.%Y})")
    if sentence is None:
        return found
    measures = (sentence.term_months, sentence.term_days, sentence.hours, sentence.amount_mrp, sentence.amount_tenge)
    if any(m == 0 for m in measures if m is not None):
        found.append("the punishment's term or amount reads as zero")
    parts = [code_table().lookup(c.article, c.part, c.offense_date).part for c in person.charges]
    if not parts or not all(parts):
        return found
    if sentence.kind is SentenceKind.life_imprisonment and not any(p.life_imprisonment for p in parts):
        found.append("life imprisonment, which none of the charges read carries: a charge may be missing")
    if sentence.kind in (SentenceKind.imprisonment, SentenceKind.restriction_of_liberty) and sentence.term_months:
        # Aggregation (Criminal Code Art. 58) never exceeds the sum of the counts' maxima.
        ceiling = sum(p.max_imprisonment_years for p in parts) * 12
        if sentence.term_months > ceiling:
            found.append(
                f"{sentence.term_months} months exceed what the charges read carry ({ceiling:g} months at most): "
                "a charge or the term may be misread"
            )
    return found
