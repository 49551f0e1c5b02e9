"""Art. 3 of Law 152-VII: what the act does to a covered person, by the gravity of the covered offences."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from extractor.amnesty.rules import NO, UNKNOWN, YES, Case, cite, conclude, words
from extractor.amnesty.terms import add_months, months_text
from models import Charge, Gravity, SentenceKind
from models.eligibility import CheckOutcome, Decision, Effect, Reason

TERM_KINDS = (SentenceKind.imprisonment, SentenceKind.restriction_of_liberty)


@dataclass
class Result:
    decision: Decision
    effect: Effect | None = None
    new_term: Fraction | None = None
    new_text: str | None = None

    def key(self) -> tuple:
        return self.decision, self.effect, self.new_term


def _decide(
    case: Case,
    charges: list[Charge],
    rule_id: str,
    provision: str,
    question: str,
    text: str,
    *fields: str,
    outcome: CheckOutcome = YES,
    **extra: Any,
) -> None:
    """The Art. 3 step that settles the decision, quoting the counts (and the punishment when it was read)."""
    conclude(
        case,
        rule_id,
        provision,
        question,
        text,
        *fields,
        outcome=outcome,
        evidence=words(case, charges, with_sentence="sentence" in fields),
        **extra,
    )


GRAVITY_WORDS = {
    Gravity.criminal_offense: "a criminal misdemeanour",
    Gravity.small: "a crime of small gravity",
    Gravity.medium: "a crime of medium gravity",
    Gravity.grave: "a grave crime",
    Gravity.especially_grave: "an especially grave crime",
}


def sentence_text(case: Case) -> str:
    return case.person.sentence.summary() if case.person.sentence else "no punishment read"


def release(case: Case, charges: list[Charge], gravity: Gravity) -> Result:
    """Art. 3 items 1, 2 and 4: criminal misdemeanours and crimes of small and medium gravity."""
    law, effects, sentence = case.law, case.law.effects, case.person.sentence
    what = f"{', '.join(cite(c) for c in charges)}: {GRAVITY_WORDS[gravity]}"
    verdict_date = case.verdict.verdict_date.value
    review = None if verdict_date else "the verdict date was not read: whether the case was pending is unknown"
    facts = {"sentence": sentence_text(case), "verdict_date": str(verdict_date) if verdict_date else "unknown"}
    fields = ["charges", "sentence", "verdict_date"]
    served_on = _served_by(case)
    record_removed = gravity in effects.served.gravities  # criminal misdemeanours leave no record (Art. 79(2))
    if verdict_date and verdict_date >= law.in_force and case.opt("verdict_after_entry_into_force") == "pending":
        rule_id, rule, effect = "effect.pending", effects.pending, effects.pending.effect
        question = "Was the case still pending when the act took effect?"
        text = (
            f"{what}, and the verdict of {verdict_date:%d.%m.%Y} came after the act took effect on "
            f"{law.in_force:%d.%m.%Y}; the case was pending, so the person is released from criminal liability "
            f"({rule.citation})."
        )
    elif sentence and sentence.conditional and effects.convicted.conditional_effect:
        rule_id, rule, effect = "effect.conditional", effects.convicted, effects.convicted.conditional_effect
        question = "What does the act do to this sentence?"
        text = (
            f"{what}, conditional sentence: the convict is released from punishment and the probation ends "
            f"({rule.citation})."
        )
    elif served_on and served_on <= law.in_force and record_removed:
        rule_id, rule, effect = "effect.served", effects.served, effects.served.effect
        question = "Had the punishment been served?"
        text = (
            f"{what}; the {sentence_text(case)} was served by {served_on:%d.%m.%Y}, before the act took effect, so "
            f"the conviction is removed ({rule.citation})."
        )
        fields.append("time_served_credit_from")
        facts["time_served_credit_from"] = str(custody_start(case))
    else:
        rule_id, rule, effect = "effect.convicted", effects.convicted, effects.convicted.effect
        question = "What does the act do to this sentence?"
        record = f"; the conviction is then removed ({effects.served.citation})" if record_removed else ""
        text = f"{what}: the convict is released from the punishment, main and additional ({rule.citation}){record}."
    _decide(case, charges, rule_id, rule.citation, question, text, *fields, review=review, facts=facts)
    return Result(Decision.release, effect)


def custody_start(case: Case) -> dt.date | None:
    """The custody start the verdict credits, if it can be right: not before the offence, not after the verdict
    or the act's entry into force (a misread date would otherwise release someone). A date it discards is
    noted for review (repeats are merged when the decision is assembled)."""
    start = case.person.time_served_credit_from.value
    if start is None:
        return None
    offences = [c.offense_date for c in case.person.charges if c.offense_date]
    verdict_date = case.verdict.verdict_date.value
    latest = min(filter(None, [verdict_date, case.law.in_force]))
    if (offences and start < min(offences)) or start > latest:
        case.review.append(
            f"the custody start {start:%d.%m.%Y} cannot be right for these offences and this verdict; it was not used"
        )
        return None
    return start


def _served_by(case: Case) -> dt.date | None:
    s, start = case.person.sentence, custody_start(case)
    if s is None or start is None or s.conditional:
        return None
    if s.kind is SentenceKind.imprisonment and s.term_months:
        return add_months(start, s.term_months)
    if s.kind is SentenceKind.arrest and s.term_days:
        return start + dt.timedelta(days=s.term_days)
    return None


CUT_QUESTION = "By how much is the punishment cut?"


def cut(case: Case, gravity: Gravity, charges: list[Charge]) -> Result:
    """Art. 3 item 3: the main punishment imposed is cut (grave: by three quarters; especially grave: by half),
    and written off when no more than a year of it was left on the day the act took effect."""
    rule = case.law.cut_for(gravity)
    what = ", ".join(cite(c) for c in charges)
    s = case.person.sentence
    facts = {"sentence": sentence_text(case), "gravity": gravity.value}

    def reduced(text: str, new: Fraction | None = None, new_text: str | None = None, **doubt: Any) -> Result:
        citation = rule.citation if rule else "Art. 3"
        _decide(case, charges, "effect.cut", citation, CUT_QUESTION, text, "charges", "sentence", facts=facts, **doubt)
        return Result(Decision.reduce, Effect.term_reduced, new, new_text)

    if rule is None:
        problem = f"no effect for {gravity.value} in the rules file"
        return reduced(
            f"{what}: the rules file gives no effect for {gravity.value} crimes.", review=problem, outcome=UNKNOWN
        )
    share = f"{'three quarters' if rule.cut == '3/4' else 'half' if rule.cut == '1/2' else rule.cut}"
    head = f"{what}: {GRAVITY_WORDS[gravity]}; the main punishment imposed is cut by {share} ({rule.citation})"
    if s and s.additional:  # the act cuts only the main punishment of grave crimes
        head += f", the additional punishments ({', '.join(s.additional)}) stay"
    if s is None or s.kind is SentenceKind.life_imprisonment:
        problem = "no punishment was read" if s is None else "life imprisonment has no term to cut"
        return reduced(f"{head}; {problem}.", review=problem, outcome=UNKNOWN)
    if s.kind not in TERM_KINDS or not s.term_months:
        amount = next((v for v in (s.amount_mrp, s.amount_tenge, s.hours, s.term_days) if v), None)
        unit = "MRP" if s.amount_mrp else "tenge" if s.amount_tenge else "hours" if s.hours else "days"
        if amount is None:
            problem = "the punishment's term or amount was not read"
            return reduced(f"{head}; {problem} ({sentence_text(case)}).", review=problem, outcome=UNKNOWN)
        new_text = f"{float(Fraction(str(amount)) * rule.remaining):g} {unit}"
        return reduced(f"{head}: {float(amount):g} {unit} become {new_text}.", None, new_text)
    new = s.term_months * rule.remaining
    if s.conditional:
        asked = case.opt("conditional_grave") == "review"
        return reduced(
            f"{head}: the conditional {months_text(s.term_months)} become {months_text(new)}.",
            new,
            months_text(new),
            review="conditional sentence for a grave crime (option conditional_grave = review)" if asked else None,
        )
    written_off = one_year_rule(case, s.term_months, new, charges, head, rule.citation)
    if written_off:
        return written_off
    return reduced(f"{head}: {months_text(s.term_months)} become {months_text(new)}.", new, months_text(new))


def one_year_rule(
    case: Case, term: int, new: Fraction, charges: list[Charge], head: str, cut_citation: str
) -> Result | None:
    """Art. 3 item 3 para 2: no more than a year left on the day the act took effect → the rest is written off.

    Needs the custody start; without it the rule cannot be applied, and a case it could change goes to review.
    """
    law = case.law
    rule = law.effects.one_year
    limit = add_months(law.in_force, rule.max_left_months)
    basis = case.opt("one_year_basis")
    measured = Fraction(term) if basis == "imposed" else new
    # Restriction of liberty runs from the verdict's entry into force, which verdicts do not state.
    in_custody = case.person.sentence is not None and case.person.sentence.kind is SentenceKind.imprisonment
    start = custody_start(case) if in_custody else None
    question = f"Was no more than {months_text(rule.max_left_months)} left to serve on {law.in_force:%d.%m.%Y}?"
    facts = {
        "term": months_text(term),
        "reduced": months_text(new),
        "measured_on": basis,
        "time_served_credit_from": str(start) if start else "unknown",
    }
    if start is None:
        known = [c.offense_date for c in charges if c.offense_date] or [law.scope.offence_from]
        earliest = min(known)
        could = add_months(earliest, measured) <= limit or add_months(earliest, new) <= law.in_force
        case.note(
            Reason(
                rule_id="effect.one_year",
                provision=rule.citation,
                question=question,
                outcome=UNKNOWN,
                text="No start of serving is known (no custody start credited), so what was left on "
                f"{law.in_force:%d.%m.%Y} cannot be computed"
                + (
                    "; had custody begun at the offence, the rule would apply."
                    if could
                    else "; even with custody from the offence more than a year would be left."
                ),
                facts=facts,
            ),
            "time_served_credit_from",
            review=f"custody start unknown: {rule.citation} (no more than a year left) could apply" if could else None,
        )
        return None
    ends = add_months(start, measured)
    if ends <= limit:
        left = f"the {months_text(measured)} counted from {start:%d.%m.%Y} run to {ends:%d.%m.%Y}"
        _decide(
            case,
            charges,
            "effect.one_year",
            rule.citation,
            question,
            f"{head}; {left}, no more than {months_text(rule.max_left_months)} after {law.in_force:%d.%m.%Y}: "
            f"the rest is written off ({rule.citation}) and the person is released.",
            "charges",
            "sentence",
            "time_served_credit_from",
            facts=facts,
        )
        return Result(Decision.release, Effect.release_from_punishment)
    served = add_months(start, new)
    if served <= law.in_force:
        _decide(
            case,
            charges,
            "effect.served_reduced",
            cut_citation,
            question,
            f"{head}: {months_text(term)} become {months_text(new)}, served from {start:%d.%m.%Y} by "
            f"{served:%d.%m.%Y}, before the act took effect: the person is released.",
            "charges",
            "sentence",
            "time_served_credit_from",
            facts=facts,
        )
        return Result(Decision.release, Effect.release_from_punishment, new, months_text(new))
    case.note(
        Reason(
            rule_id="effect.one_year",
            provision=rule.citation,
            question=question,
            outcome=NO,
            text=f"The {months_text(measured)} counted from {start:%d.%m.%Y} run to {ends:%d.%m.%Y}: more than "
            f"{months_text(rule.max_left_months)} was left on {law.in_force:%d.%m.%Y}.",
            facts=facts,
        ),
        "time_served_credit_from",
    )
    return None
