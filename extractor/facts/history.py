"""Criminal history and context: unexpunged prior convictions, recidivism as found, riots connection."""

from __future__ import annotations

from extractor.facts.context import Parsed, date_evidence
from extractor.facts.defendants import Person, concerns, mentions_person
from extractor.legal import AMNESTY_WINDOW, code_table
from models import Charge, Fact, Gravity, PriorConviction, Recidivism


def _expunged(parsed: Parsed, item: str) -> bool:
    """An item whose record the introduction says is expunged or removed (and not "не погашена")."""
    return any(
        not parsed.cue("negated_before").search(item[: m.start()]) for m in parsed.cue("expunged").finditer(item)
    )


def prior_convictions(parsed: Parsed, person: Person) -> tuple[list[PriorConviction], Fact[bool]]:
    """Unexpunged priors from the defendant's introduction; also whether the record was stated at all."""
    lo, hi = person.intro_block
    none_stated = parsed.markers("NO_PRIORS", lo, hi)
    start = parsed.cue("priors_start").search(parsed.text, lo, hi)
    if start is None or (none_stated and none_stated[0].start_char <= start.start()):
        if none_stated:
            span = none_stated[0]
            return [], Fact(
                value=True, confidence=0.95, evidence=parsed.evidence(span.start_char, span.end_char, span.id_)
            )
        return [], Fact()
    end_match = parsed.cue("priors_end").search(parsed.text, start.end(), hi)
    end = end_match.start() if end_match else hi
    priors: list[PriorConviction] = []
    dropped = 0  # items read and set aside: expunged records, criminal offences
    pos = start.end()
    for piece in parsed.cue("item_split").split(parsed.text[pos:end]):
        p_lo = parsed.text.index(piece, pos) if piece else pos
        p_hi = p_lo + len(piece)
        pos = p_hi
        if not piece.strip():
            continue
        if _expunged(parsed, piece):
            dropped += 1
            continue
        refs = [r for r in parsed.refs_in(p_lo, p_hi) if r.chain.code != "other" and r.chain.refs]
        if not refs:
            continue
        first = refs[0].chain.refs[0]
        row = code_table().lookup(first.article, first.part, None).part
        if row is not None and row.gravity is Gravity.criminal_offense:
            dropped += 1
            continue  # a criminal offence leaves no record (Criminal Code Art. 79(2))
        # The prior verdict's date: "приговором ... от 01.04.2019", or first in the item ("1) 14.02.2018 г. ... судом").
        verdict = next(
            (
                d
                for d in parsed.dates_in(p_lo, p_hi)
                if parsed.cue("prior_verdict_date").search(parsed.text[d.start - 6 : d.start])
                or parsed.cue("prior_verdict_date_after").match(parsed.text, d.end, d.end + 60)
                or not parsed.text[p_lo : d.start].strip(" \n;,:«1234567890)–—-")
            ),
            None,
        )
        evidence = parsed.evidence(refs[0].start, refs[0].end, refs[0].pattern_id)
        if verdict:
            evidence = parsed.evidence(verdict.start, verdict.end, verdict.pattern_id) + evidence
        old_code = bool(parsed.cue("old_code").search(piece))
        priors.append(
            PriorConviction(
                article=first.article,
                part=first.part,
                date=verdict.date if verdict else None,
                confidence=0.6 if old_code else 0.85,
                evidence=evidence,
            )
        )
        if old_code:
            parsed.flag(
                "prior_under_old_code",
                "prior_convictions",
                f"prior conviction under ст.{first.article} cites an earlier Code edition",
                person.name.full,
            )
    if not priors and not dropped:
        # "ранее судимого" but no conviction could be read: the record is unknown, not clean.
        parsed.flag(
            "priors_unreadable",
            "prior_convictions",
            "the introduction says 'ранее судим' but no prior conviction could be read",
            person.name.full,
        )
        return [], Fact()
    return priors, Fact(
        value=not priors, confidence=0.8, evidence=parsed.evidence(start.start(), start.end(), "priors_start")
    )


NEAR = 60  # characters around "рецидив" in which a negation applies to it
RANK = {
    "recid_especially_dangerous": Recidivism.especially_dangerous,
    "recid_dangerous": Recidivism.dangerous,
    "recid_simple": Recidivism.simple,
    "recid_simple_bare": Recidivism.simple,
}


def recidivism(
    parsed: Parsed, person: Person, single: bool, priors: list[PriorConviction], clean: Fact[bool]
) -> Fact[Recidivism]:
    """Recidivism as the court found it in the description; 'none' only when the text supports it."""
    negation, finding, party = parsed.cue("negation"), parsed.cue("finding"), parsed.cue("party_position")
    clause_break = parsed.cue("clause_break")
    lo, hi = parsed.bounds("description")
    found: list[tuple[Recidivism, int, int, str]] = []
    negated: list[tuple[int, int, str]] = []
    doubtful = False
    for span in parsed.markers("RECIDIVISM", lo, hi):
        s_lo, s_hi = parsed.sentence_at(span.start_char, lo, hi)
        sentence = parsed.text[s_lo:s_hi]
        # Negation that governs the word: within its comma-bounded clause ("рецидива в действиях подсудимого
        # не имеется"); one further away ("признает рецидив, иных отягчающих не установлено") only makes the
        # finding doubtful. "судимость не погашена" elsewhere in the sentence negates nothing.
        before = parsed.text[max(s_lo, span.start_char - NEAR) : span.start_char]
        after = parsed.text[span.end_char : min(s_hi, span.end_char + NEAR)]
        clause = f"{before.split(',')[-1]} {span.text} {after.split(',')[0]}"
        wide = f"{clause_break.split(before)[-1]} {span.text} {clause_break.split(after)[0]}"
        if parsed.cue("neutral").search(wide):
            continue  # "судимость ... при признании рецидива не учитывается": about a prior, not a finding
        negative = bool(negation.search(clause))
        if not concerns(parsed, person, s_lo, s_hi, single, generic=negative):
            continue
        if party.search(parsed.text, s_lo, span.start_char) or parsed.cue("party_position").search(clause):
            continue  # "обвинитель просил признать ... рецидив"; not "признает рецидив, как о том просил ..."
        if negative and finding.search(negation.sub(" ", clause)):
            # "признает опасный рецидив и не усматривает оснований для ст.55": the "не" may belong elsewhere.
            doubtful = True
        elif negative:
            negated.append((span.start_char, span.end_char, span.id_))
            continue
        if not finding.search(negation.sub(" ", sentence)):
            if negation.search(wide):  # "Иных отягчающих обстоятельств, в том числе рецидива, не установлено"
                negated.append((span.start_char, span.end_char, span.id_))
            continue
        if negation.search(wide):
            doubtful = True
        found.append((RANK[span.id_], span.start_char, span.end_char, span.id_))
    if found:
        order = list(Recidivism)
        value, start, end, pid = max(found, key=lambda f: order.index(f[0]))
        if negated or doubtful:
            # Both a finding and a denial: keep the finding (it excludes from amnesty) and ask a person.
            parsed.flag(
                "recidivism_ambiguous", "recidivism", "the verdict both finds and denies recidivism", person.name.full
            )
            return Fact(value=value, confidence=0.5, evidence=parsed.evidence(start, end, pid))
        if value is Recidivism.especially_dangerous:
            parsed.flag(
                "recidivism_old_code",
                "recidivism",
                "'особо опасный рецидив' exists only in the 1997 Code",
                person.name.full,
            )
        if not priors:
            parsed.flag(
                "recidivism_without_priors",
                "recidivism",
                "the court found recidivism but no unexpunged prior conviction was read",
                person.name.full,
            )
        return Fact(value=value, confidence=0.9, evidence=parsed.evidence(start, end, pid))
    if negated:
        start, end, pid = negated[0]
        return Fact(value=Recidivism.none, confidence=0.9, evidence=parsed.evidence(start, end, pid))
    if clean.value:
        return Fact(value=Recidivism.none, confidence=0.9, evidence=clean.evidence)
    for span in parsed.markers("NO_AGGRAVATING", lo, hi):
        s_lo, s_hi = parsed.sentence_at(span.start_char, lo, hi)
        if concerns(parsed, person, s_lo, s_hi, single, generic=True):
            confidence = 0.85 if not priors else 0.7
            return Fact(
                value=Recidivism.none,
                confidence=confidence,
                evidence=parsed.evidence(span.start_char, span.end_char, span.id_),
            )
    parsed.flag("recidivism_not_stated", "recidivism", "the verdict says nothing about recidivism", person.name.full)
    return Fact()


def riots_connection(parsed: Parsed, person: Person, charges: list[Charge], single: bool) -> Fact[bool]:
    """Law 152-VII Art. 1: committed 4-7 January 2022 in connection with the mass riots or their suppression."""
    dated = [c for c in charges if c.offense_date]
    if not dated:
        if charges:
            parsed.flag(
                "riots_connection_unknown",
                "riots_connection",
                "no offence date, so the amnesty window cannot be checked",
                person.name.full,
            )
        return Fact()
    in_window = [c for c in dated if AMNESTY_WINDOW[0] <= c.offense_date <= AMNESTY_WINDOW[1]]
    if not in_window:
        first = min(dated, key=lambda c: c.offense_date)
        return Fact(value=False, confidence=0.9, evidence=date_evidence(first.evidence))
    lo, hi = parsed.bounds("description")
    evidence = date_evidence(in_window[0].evidence)
    riot_charge = next((c for c in in_window if c.article == "272"), None)
    if riot_charge is not None:
        return Fact(value=True, confidence=0.95, evidence=riot_charge.evidence[:1] + evidence)
    near, elsewhere = [], []
    for marker in parsed.markers("RIOTS", lo, hi):
        s_lo, s_hi = parsed.sentence_at(marker.start_char, lo, hi)
        if not single and parsed.people_in(s_lo, s_hi) and not mentions_person(parsed, person, s_lo, s_hi):
            continue  # about another defendant; the general account of the events (naming nobody) still counts
        if parsed.cue("riots_denied").search(parsed.text, s_lo, s_hi):
            # The court says the act had nothing to do with the riots.
            return Fact(value=False, confidence=0.85, evidence=evidence + parsed.evidence(s_lo, s_hi, "riots_denied"))
        if marker.id_ == "riots_emergency" or parsed.cue("riots_context_only").search(parsed.text, s_lo, s_hi):
            continue  # the state of emergency, or riots as mere background, are not a link to the riots
        # A link is the court's own account of this person's act; testimony, parties' positions and the
        # general account of the events only suggest one.
        own_act = (single or mentions_person(parsed, person, s_lo, s_hi)) and parsed.cue("act_markers").search(
            parsed.text, s_lo, s_hi
        )
        hearsay = parsed.cue("testimony").search(parsed.text, s_lo, s_hi) or parsed.cue("party_position").search(
            parsed.text, s_lo, s_hi
        )
        (near if own_act and not hearsay else elsewhere).append(marker)
    if near or elsewhere:
        marker = (near or elsewhere)[0]
        if not near:
            parsed.flag(
                "riots_connection_inferred",
                "riots_connection",
                "the riots are described, but not in the court's account of this defendant's act",
                person.name.full,
            )
        return Fact(
            value=True,
            confidence=0.85 if near else 0.6,
            evidence=evidence + parsed.evidence(marker.start_char, marker.end_char, marker.id_),
        )
    parsed.flag(
        "riots_connection_unclear",
        "riots_connection",
        "offence within 4-7 January 2022 but the verdict does not link it to the riots",
        person.name.full,
    )
    return Fact(value=False, confidence=0.4, evidence=evidence)
