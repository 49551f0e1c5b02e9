"""The legal conditions of an amnesty act, one function each, in the order the engine runs them.

Every function reads the facts of one defendant (a ``Case``) and the act's rules file, and returns
``Reason`` objects: the question a lawyer can check, its answer (yes / no / unknown), the provision it
applies and the verdict's words it rests on. No clock, no I/O. "To be safe" choices are written where they
are made: an unknown never leads to a release without review.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extractor.amnesty.law import AmnestyLaw, Covered, Exclusion
from extractor.legal import code_table
from models import Charge, Defendant, Evidence, Gravity, Outcome, Regime, VerdictFacts
from models.eligibility import CheckOutcome, Reason

YES, NO, UNKNOWN = CheckOutcome.yes, CheckOutcome.no, CheckOutcome.unknown


@dataclass
class Case:
    """One defendant of one verdict, the act, and the readings chosen for the act's open points."""

    law: AmnestyLaw
    verdict: VerdictFacts
    person: Defendant
    options: dict[str, str] = field(default_factory=dict)
    reasons: list[Reason] = field(default_factory=list)
    review: list[str] = field(default_factory=list)
    rests_on: set[str] = field(default_factory=set)  # fact fields the decision depends on

    def opt(self, name: str) -> str:
        return self.law.option(name, self.options)

    def note(self, reason: Reason, *fields: str, review: str | None = None) -> Reason:
        self.reasons.append(reason)
        self.rests_on.update(fields)
        if review:
            self.review.append(review)
        return reason

    @property
    def minor(self) -> bool | None:
        return self.person.minor_at_offense.value


def cite(charge: Charge) -> str:
    return charge.cite() + (" (attempt)" if charge.attempt else "")


def conclude(
    case: Case,
    rule_id: str,
    provision: str,
    question: str,
    text: str,
    *fields: str,
    outcome: CheckOutcome = NO,
    evidence: list[Evidence] | None = None,
    facts: dict[str, str] | None = None,
    review: str | None = None,
) -> None:
    """Note the step that settles the decision; unless told otherwise it quotes the checks that failed before it."""
    if evidence is None:
        failed = [e for r in case.reasons if r.outcome is not YES for e in r.evidence]
        evidence = list(dict.fromkeys(failed))[:6]
    reason = Reason(
        rule_id=rule_id,
        provision=provision,
        question=question,
        outcome=outcome,
        text=text,
        decisive=True,
        facts=facts or {},
        evidence=evidence,
    )
    case.note(reason, *fields, review=review)


def words(case: Case, charges: list[Charge], with_sentence: bool = True) -> list[Evidence]:
    """The operative words of each count (its citation comes first), then those of the punishment."""
    sentence = case.person.sentence
    return [e for c in charges for e in c.evidence[:1]] + (sentence.evidence if sentence and with_sentence else [])


def charge_facts(charge: Charge) -> dict[str, str]:
    return {
        "charge": cite(charge),
        "offense_date": str(charge.offense_date) if charge.offense_date else "unknown",
        "gravity": charge.gravity.value if charge.gravity else "unknown",
    }


def gravity_of(case: Case, charge: Charge) -> tuple[Gravity | None, list[str]]:
    """The charge's Art. 11 category, checked against the Code table in the wording of the offence date.

    The verdict's (or a reviewer's) category is used unless the table disagrees; then the more serious one is
    taken, to be safe, and the decision goes to review. Returns the category and the doubts about it.
    """
    lookup = code_table().lookup(charge.article, charge.part, charge.offense_date)
    table = lookup.part.gravity if lookup.part else None
    doubts = []
    if lookup.uncertain_reason and (charge.gravity_source != "stated" or table is None):
        doubts.append(f"{cite(charge)}: {lookup.uncertain_reason}")
    if charge.article in ("379", "380") and case.opt("reworded_articles") == "review":
        doubts.append(f"{cite(charge)}: articles 379/380 were reworded in 2022 (option reworded_articles = review)")
    if charge.gravity is not None and table is not None and charge.gravity is not table:
        doubts.append(
            f"{cite(charge)}: the facts give {charge.gravity.value}, the Code table {table.value}; "
            "the more serious is used"
        )
        return max(charge.gravity, table, key=lambda g: g.rank), doubts
    return charge.gravity or table, doubts


def check_outcome(case: Case) -> CheckOutcome:
    """Law 152-VII Art. 1 covers persons who committed an offence: an acquittal or a terminated case leaves
    nothing to apply it to."""
    outcome = case.person.outcome
    answer = {Outcome.convicted: YES, None: UNKNOWN}.get(outcome.value, NO)
    text = {
        YES: "The verdict convicts the person.",
        NO: f"The verdict does not convict the person ({outcome.value.value if outcome.value else ''}): "
        "there is nothing for the amnesty to apply to.",
        UNKNOWN: "The verdict's outcome for this person was not read; the rest is decided as if convicted.",
    }[answer]
    case.note(
        Reason(
            rule_id="outcome",
            provision=case.law.scope.citation,
            question="Was the person convicted?",
            outcome=answer,
            text=text,
            decisive=answer is NO,
            facts={"outcome": outcome.value.value if outcome.value else "unknown"},
            evidence=outcome.evidence,
        ),
        "outcome",
        review="the outcome for this person is unknown" if answer is UNKNOWN else None,
    )
    return answer


def check_dates(case: Case, charge: Charge) -> CheckOutcome:
    """Art. 1: the offence was committed within the act's dates (both days included)."""
    scope = case.law.scope
    when = charge.offense_date
    answer = UNKNOWN if when is None else YES if scope.offence_from <= when <= scope.offence_to else NO
    window = f"{scope.offence_from:%d.%m.%Y}–{scope.offence_to:%d.%m.%Y}"
    text = {
        YES: f"{cite(charge)} was committed on {when:%d.%m.%Y}, within {window}." if when else "",
        NO: f"{cite(charge)} was committed on {when:%d.%m.%Y}, outside {window}." if when else "",
        UNKNOWN: f"The date of {cite(charge)} was not read, so it is not known to fall within {window}.",
    }[answer]
    case.note(
        Reason(
            rule_id="scope.dates",
            provision=scope.citation,
            question=f"Was {cite(charge)} committed from {window}?",
            outcome=answer,
            text=text,
            facts=charge_facts(charge),
            evidence=charge.evidence,
        ),
        "charges.offense_date",
    )
    return answer


def check_riots(case: Case) -> CheckOutcome:
    """Art. 1: the offence was connected with the mass riots, or committed while suppressing them."""
    fact = case.person.riots_connection
    if not case.law.scope.riots_connection_required:
        return YES
    answer = {True: YES, False: NO, None: UNKNOWN}[fact.value]
    text = {
        YES: "The verdict connects the offence with the mass riots of January 2022 or their suppression.",
        NO: "The verdict does not connect the offence with the mass riots or their suppression.",
        UNKNOWN: "Whether the offence was connected with the mass riots could not be read from the verdict.",
    }[answer]
    case.note(
        Reason(
            rule_id="scope.riots",
            provision=case.law.scope.citation,
            question="Was the offence connected with the mass riots, or committed while suppressing them?",
            outcome=answer,
            text=text,
            facts={"riots_connection": str(fact.value).lower() if fact.value is not None else "unknown"},
            evidence=fact.evidence,
        ),
        "riots_connection",
    )
    return answer


@dataclass
class Hit:
    """One thing that puts the person under an Art. 2 item, and the doubt about it if there is one."""

    what: str
    evidence: list[Evidence]
    doubt: str | None = None


def _hit(
    item: Exclusion, what: str, evidence: list[Evidence], article: str, part: str | None, paragraphs: list[str | None]
) -> Hit | None:
    if any(item.covers(article, part, p) for p in paragraphs):
        if item.certain(article, part):
            return Hit(what, evidence)
        return Hit(what, evidence, f"{what} excludes only if the victim was a minor; the verdict must say so")
    if any(item.may_cover(article, part, p) for p in paragraphs):
        return Hit(what, evidence, f"{what}: the part or paragraph that decides {item.citation} was not read")
    return None


def _exclusion_hits(case: Case, item: Exclusion) -> list[Hit]:
    """What puts the person under one Art. 2 item: the verdict's charges, unexpunged prior convictions (option
    exclusion_by_prior_convictions), and exclusion markers not already explained by a charge."""
    person = case.person
    hits = [
        _hit(item, f"the charge {cite(c)}", c.evidence, c.article, c.part, c.paragraphs or [c.paragraph])
        for c in person.charges
    ]
    if case.opt("exclusion_by_prior_convictions") == "yes":
        for prior in person.prior_convictions:
            where = prior.cite()
            hits.append(
                _hit(item, f"a prior conviction under {where}", prior.evidence, prior.article, prior.part, [None])
            )
    # A marker the extractor derived from a charge was judged above against these rules (which may be a
    # corrected copy); a marker with no such charge (set by a reviewer, or read from the text) counts itself.
    charged = {c.article for c in person.charges} | {p.article for p in person.prior_convictions}
    for marker in person.exclusion_markers:
        if marker.value is not item.marker:
            continue
        if marker.article in charged:
            if not any(h and h.doubt is None for h in hits):
                case.review.append(
                    f"the exclusion marker '{marker.value.value}' on ст.{marker.article} is not confirmed by "
                    f"{item.citation} of the rules in use"
                )
            continue
        doubt = None
        if marker.confidence < case.law.review.min_confidence:
            doubt = f"the exclusion marker '{marker.value.value}' was read with confidence {marker.confidence:.2f}"
        hits.append(Hit(f"the exclusion marker '{marker.value.value}'", marker.evidence, doubt))
    return [h for h in hits if h is not None]


def check_exclusion(case: Case, item: Exclusion) -> CheckOutcome:
    """Law 152-VII Art. 2 items 1-7: crimes whose authors the act does not cover, with their exceptions."""
    hits = _exclusion_hits(case, item)
    if not hits:
        return NO
    what = "; ".join(h.what for h in hits)
    evidence = [e for h in hits for e in h.evidence]
    answer = YES
    text = f"{item.citation} excludes persons {item.text} ({item.list_source}): {what}."
    # Settled by one certain hit; otherwise every hit is doubtful and the exclusion stands, with review.
    review = None if any(h.doubt is None for h in hits) else "; ".join(h.doubt for h in hits if h.doubt)
    if item.exception == "offender_minor":
        if case.minor is True:
            answer, text = NO, f"{item.citation} spares minors, and the person was a minor at the offence: {what}."
        elif case.minor is None:
            review = f"{item.citation} spares minors, and whether the person was a minor is unknown"
    elif item.exception == "minor_against_minor_14_18" and case.minor is not False:
        review = (
            f"{item.citation} spares a minor who offended against a minor aged 14-18; the person may have been "
            "a minor and the victim's age is not among the facts"
        )
    case.note(
        Reason(
            rule_id=item.id,
            provision=item.citation,
            question=f"Did the person commit a crime of {item.citation} ({item.marker.value})?",
            outcome=answer,
            text=text,
            decisive=answer is YES,
            facts={"found": what, "minor_at_offense": str(case.minor).lower()},
            evidence=evidence,
        ),
        "charges",
        "prior_convictions",
        "exclusion_markers",
        *(("minor_at_offense",) if item.exception else ()),
        review=review,
    )
    return answer


def check_recidivism(case: Case) -> CheckOutcome:
    """Law 152-VII Art. 2 item 8: punishment imposed under recidivism or dangerous recidivism."""
    rule = case.law.recidivism
    fact = case.person.recidivism
    if fact.value is None:
        answer, text = UNKNOWN, "Whether the court found recidivism was not read from the verdict."
    elif fact.value in rule.excludes:
        answer, text = (
            YES,
            f"The court imposed the punishment under {fact.value.value} recidivism; {rule.citation} excludes it.",
        )
    else:
        answer, text = NO, "The verdict finds no recidivism."
    review = "recidivism unknown: a finding of recidivism would exclude the person" if answer is UNKNOWN else None
    if answer is NO:
        review = _recidivism_signs(case)
    case.note(
        Reason(
            rule_id=rule.id,
            provision=rule.citation,
            question="Was the punishment imposed under recidivism or dangerous recidivism?",
            outcome=answer,
            text=text,
            decisive=answer is YES,
            facts={
                "recidivism": fact.value.value if fact.value else "unknown",
                "prior_convictions": str(len(case.person.prior_convictions)),
            },
            evidence=fact.evidence,
        ),
        "recidivism",
        "prior_convictions",
        "sentence",
        review=review,
    )
    return answer


SERIOUS = (Gravity.grave, Gravity.especially_grave)


def _recidivism_signs(case: Case) -> str | None:
    """Signs that a reading of "no recidivism" missed the court's finding (Criminal Code Art. 14, 46(5)): a grave
    charge after a prior conviction for a grave crime, or a regime kept for dangerous recidivists."""
    person = case.person
    if person.sentence and person.sentence.regime is Regime.extraordinary_security:
        return "no recidivism was read, but the regime of extraordinary security is for dangerous recidivists"
    if not any(c.gravity in SERIOUS for c in person.charges):
        return None
    table = code_table()
    for prior in person.prior_convictions:
        found = table.lookup(prior.article, prior.part, prior.date)
        if found.part and found.part.gravity in SERIOUS:
            where = prior.cite()
            return (
                "no recidivism was read, but a grave charge follows a prior conviction for a "
                f"{found.part.gravity.value} crime ({where}): Criminal Code Art. 14 may make it recidivism"
            )
    return None


def check_listed(case: Case, charge: Charge) -> tuple[CheckOutcome, Covered | None]:
    """Law 152-VII Art. 1: the offence is one of the listed articles (and parts, and the minor condition)."""
    article_1 = case.law.scope.article
    entry = case.law.covered_entry(charge.article, charge.part)
    answer = YES if entry else NO
    text = (
        f"{cite(charge)} is covered by {entry.citation} ({entry.label()})."
        if entry
        else f"{cite(charge)} is not among the offences {article_1} lists."
    )
    fields = ["charges"]
    review = None
    partial = [c for c in case.law.scope.covered if c.article == charge.article and c.parts]
    if not entry and charge.part is None and partial:
        answer = UNKNOWN
        listed = ", ".join(p for c in partial for p in c.parts)
        text = f"The part of {cite(charge)} was not read; {article_1} covers only its parts {listed}."
        review = f"{cite(charge)}: the part was not read, and {article_1} covers only some parts of the article"
    if entry and entry.only_if_minor:
        fields.append("minor_at_offense")
        if case.minor is not True:
            answer = UNKNOWN if case.minor is None else NO
            text = f"{cite(charge)} is covered only if committed by a minor ({entry.citation}); the person was " + (
                "an adult." if answer is NO else "possibly not a minor: age at the offence unknown."
            )
    case.note(
        Reason(
            rule_id="scope.listed",
            provision=entry.citation if entry else article_1,
            question=f"Is {cite(charge)} among the offences the act lists?",
            outcome=answer,
            text=text,
            facts={**charge_facts(charge), "minor_at_offense": str(case.minor).lower()},
            evidence=charge.evidence,
        ),
        *fields,
        review=review
        or (
            f"{cite(charge)}: covered only for a minor, and the age at the offence is unknown"
            if answer is UNKNOWN
            else None
        ),
    )
    return answer, entry
