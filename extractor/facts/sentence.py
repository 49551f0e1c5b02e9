"""The final punishment in a defendant's operative block: kind, term, regime, conditional, additional."""

from __future__ import annotations

import re
from functools import cache

from extractor.facts.context import DateMention, Parsed
from extractor.facts.defendants import Person, concerns
from extractor.grammar.names import RULES, surname_pattern
from extractor.grammar.terms import Duration, Quantity, durations, find_quantities
from extractor.grammar.vocab import stem_patterns, vocab
from models import Fact, Regime, Sentence, SentenceKind

ADDITIONAL = [
    name
    for name in (
        "deprivation_of_right_to_hold_office",
        "deprivation_of_right_to_engage_in_activity",
        "confiscation_of_property",
        "deprivation_of_special_rank",
        "deprivation_of_citizenship",
        "expulsion",
    )
]
CUSTODIAL = (SentenceKind.imprisonment, SentenceKind.restriction_of_liberty)


def _flag_custody_ended(parsed: Parsed, person: Person, start: DateMention, s_hi: int) -> None:
    """ "с 07.01.2022 по 09.01.2022", "7 қаңтардан 2022 жылғы 9 қаңтарға дейін": the credited custody ended before
    the verdict, so it cannot be taken as running on until the amnesty; a person counts the days."""
    following = next(iter(parsed.dates_in(start.end, min(s_hi, start.end + 40))), None)
    if following is None or following.date <= start.date:
        return
    ranged = parsed.cue("range_continues").search(parsed.text[start.end : following.start]) or parsed.cue(
        "from_date_after"
    ).match(parsed.text[start.end - 4 : start.end + 24])  # Kazakh: "... қаңтардан" marks the start of a period
    if ranged:
        parsed.flag(
            "custody_ended",
            "time_served_credit_from",
            f"the custody credited from {start.date} ended on {following.date}; it did not run on to the verdict",
            person.name.full,
        )


def amnesty_already_applied(parsed: Parsed, person: Person, single: bool) -> None:
    """The operative part applies the amnesty law itself ("... № 152-VII ... Заңына сәйкес ... қысқартылып"): the
    term read may already be cut, and deciding again would cut it twice. Refusals of the amnesty are not."""
    lo, hi = parsed.bounds("operative")
    own_lo, own_hi = person.operative_block
    for match in parsed.cue("amnesty_applied").finditer(parsed.text, lo, hi):
        s_lo, s_hi = parsed.sentence_at(match.start(), lo, hi, marks=".")
        if parsed.cue("amnesty_refused").search(parsed.text, s_lo, s_hi):
            continue
        # with several defendants: in this person's own block, or in a sentence that names them
        if not (single or own_lo <= match.start() < own_hi or person.mentions(parsed.text, s_lo, s_hi)):
            continue
        parsed.flag(
            "amnesty_already_applied",
            "sentence",
            f"the operative part applies the amnesty law itself («{match.group(0)}»): the term read may already be cut",
            person.name.full,
        )
        return


Spans = list[tuple[int, int, str]]


@cache
def _kinds(lang: str) -> list[tuple[re.Pattern[str], SentenceKind]]:
    return [(pattern, SentenceKind(value)) for pattern, value in stem_patterns("sentence_kinds", lang)]


def _main_region(parsed: Parsed, person: Person, lo: int, hi: int) -> tuple[int, int]:
    """The sentence that imposes the final punishment: the last 'окончательно'/'по совокупности' one, else
    the first 'назначить'; a group-list item ("Ковалеву А.И. – 4 года лишения свободы;") is its own region."""
    tail = parsed.cue("block_tail").search(parsed.text, lo, hi)
    end = tail.start() if tail and tail.start() > lo else hi
    finals = list(parsed.cue("final").finditer(parsed.text, lo, end))
    anchor = finals[-1] if finals else parsed.cue("punish").search(parsed.text, lo, end)
    if anchor is None:
        return lo, hi
    if not finals:
        starts = {
            parsed.sentence_at(m.start(), lo, end, marks=".")[0]
            for m in parsed.cue("impose").finditer(parsed.text, lo, end)
        }
        if len(starts) > 1:
            parsed.flag(
                "sentence_ambiguous",
                "sentence",
                "several punishments without an aggregated final one; the first was taken",
                person.name.full,
            )
    s_lo, s_hi = parsed.sentence_at(anchor.start(), lo, hi, marks=".")
    return max(s_lo, anchor.start() if finals else s_lo), s_hi


def _main_kind(parsed: Parsed, lo: int, hi: int) -> tuple[SentenceKind, int, int] | None:
    best = None
    for pattern, kind in _kinds(parsed.lang):
        for match in pattern.finditer(parsed.text, lo, hi):
            before = parsed.text[max(lo, match.start() - 15) : match.start()]
            if kind is SentenceKind.imprisonment and parsed.cue("life_before").search(before):
                continue
            # "более мягкий вид наказания, чем лишение свободы", "бас бостандығынан айыруға қарағанда жеңілірек"
            if parsed.cue("kind_compared_before").search(before) or parsed.cue("kind_compared_after").match(
                parsed.text, match.end(), match.end() + 20
            ):
                continue
            if best is None or match.start() < best[1]:
                best = (kind, match.start(), match.end())
            break
    return best


def _is_main_quantity(parsed: Parsed, q: Quantity | Duration, lo: int) -> bool:
    before = parsed.text[max(lo, q.start - 70) : q.start]
    clause = parsed.cue("quantity_clause_break").split(before)[-1]
    return not parsed.cue("not_main").search(clause)


def _amounts(parsed: Parsed, sentence: Sentence, k_start: int, r_lo: int, r_hi: int, spans: Spans) -> bool:
    """Fill the term, days, hours or amount that goes with the kind; returns whether digits and words agree."""
    found = find_quantities(parsed.text[r_lo:r_hi], r_lo, parsed.lang)
    main = [q for q in found if _is_main_quantity(parsed, q, r_lo)]
    kind = sentence.kind
    if kind in CUSTODIAL:
        terms = durations(main)
        if terms:
            term = min(terms, key=lambda d: abs(d.start - k_start))
            sentence.term_months = term.months
            spans.append((term.start, term.end, "term"))
            return term.consistent
        return True
    unit, attr = {
        SentenceKind.arrest: ("day", "term_days"),
        SentenceKind.community_service: ("hour", "hours"),
        SentenceKind.fine: ("mrp", "amount_mrp"),
        SentenceKind.correctional_labour: ("mrp", "amount_mrp"),
    }.get(kind, (None, None))
    hits = [q for q in main if q.unit == unit]
    if not hits:
        return True
    value = hits[0].value if unit == "mrp" else int(hits[0].value)
    setattr(sentence, attr, value)
    spans.append((hits[0].start, hits[0].end, attr))
    if unit == "mrp":
        tenge = [q for q in found if q.unit == "tenge" and q.start > hits[0].start]
        if tenge:
            sentence.amount_tenge = tenge[0].value
            spans.append((tenge[0].start, tenge[0].end, "amount_tenge"))
    return hits[0].consistent


def _conditional(parsed: Parsed, sentence: Sentence, r_lo: int, r_hi: int, hi: int, spans: Spans) -> None:
    """Art. 63: "считать условным" in the punishment's sentence or the two after it, with its probation."""
    if sentence.kind not in CUSTODIAL:
        return
    pos = r_lo
    for _ in range(3):
        s_lo, s_hi = parsed.sentence_at(pos, r_lo, hi, marks=".")
        text = parsed.text[s_lo:s_hi]
        match = parsed.cue("conditional").search(text)
        if match and not parsed.cue("cancelled_conditional").search(text):
            sentence.conditional = True
            spans.append((s_lo + match.start(), s_lo + match.end(), "conditional"))
            probation = parsed.cue("probation").search(parsed.text, s_lo + match.start(), s_hi)
            if probation and probation.groupdict().get("term"):  # "2 (екі) жыл сынақ мерзімі": the term first
                term = durations(find_quantities(probation.group("term"), probation.start("term"), parsed.lang))
                if term:
                    sentence.probation_months = term[0].months
                    spans.append((probation.start(), probation.end(), "probation"))
            elif probation:
                after = durations(
                    find_quantities(parsed.text[probation.end() : probation.end() + 80], probation.end(), parsed.lang)
                )
                if after:
                    sentence.probation_months = after[0].months
                    spans.append((probation.start(), after[0].end, "probation"))
            return
        if s_hi >= hi:
            return
        pos = s_hi + 1


@cache
def _named_with_initials(lang: str) -> re.Pattern[str]:
    """A surname with initials ("Жумагалиеву Д.Е."), as a group list names each person before their punishment."""
    up, low = RULES[lang].up, RULES[lang].low
    return re.compile(rf"(?<![{up}{low}])[{up}][{low}]{{2,}}\s+[{up}]\.\s?[{up}]\.")


def _names_another(parsed: Parsed, person: Person, r_lo: int, r_hi: int) -> None:
    """The words taken for this person's punishment name someone else with initials: in a group list whose next
    name OCR garbled ("Жумагалиеюву Д.Е."), that person's punishment would be read as this one's."""
    own = surname_pattern(person.name, parsed.lang)
    for match in _named_with_initials(parsed.lang).finditer(parsed.text, r_lo, r_hi):
        if not own.match(parsed.text, match.start()):
            parsed.flag(
                "sentence_names_another",
                "sentence",
                f"the punishment read for this person names «{match.group(0)}», who is not them: the list may "
                "have lost a name, so the punishment may be someone else's",
                person.name.full,
            )
            return


def parse_sentence(parsed: Parsed, person: Person) -> Sentence | None:
    lo, hi = person.operative_block
    r_lo, r_hi = _main_region(parsed, person, lo, hi)
    _names_another(parsed, person, r_lo, r_hi)
    found = _main_kind(parsed, r_lo, r_hi)
    if found is None:
        parsed.flag("sentence_kind_unknown", "sentence", "punishment kind not recognised", person.name.full)
        return None
    kind, k_start, k_end = found
    sentence = Sentence(kind=kind, confidence=0.9)
    spans: Spans = [(k_start, k_end, "sentence_kind")]
    if not _amounts(parsed, sentence, k_start, r_lo, r_hi, spans):
        sentence.confidence = 0.5
        parsed.flag("number_words_disagree", "sentence", "digits and words of the term disagree", person.name.full)
    if kind is not SentenceKind.life_imprisonment and all(
        v is None for v in (sentence.term_months, sentence.term_days, sentence.hours, sentence.amount_mrp)
    ):
        sentence.confidence = 0.5
        parsed.flag(
            "sentence_term_missing", "sentence.term_months", f"no term found for {kind.value}", person.name.full
        )
    _conditional(parsed, sentence, r_lo, r_hi, hi, spans)
    if not sentence.conditional:
        _conditional_elsewhere(parsed, person, sentence, spans)
    regime = parsed.cue("regime").search(parsed.text, r_lo, hi) or _regime_elsewhere(parsed, person)
    if regime and kind in (SentenceKind.imprisonment, SentenceKind.life_imprisonment) and not sentence.conditional:
        sentence.regime = Regime(vocab(parsed.lang)["regimes"][" ".join(regime.group("r").lower().split())])
        spans.append((regime.start(), regime.end(), "regime"))
    sentence.additional = _additional(parsed, lo, hi, spans)
    for start, end, pid in spans:
        sentence.evidence.extend(parsed.evidence(start, end, pid))
    return sentence


def _conditional_elsewhere(parsed: Parsed, person: Person, sentence: Sentence, spans: Spans) -> None:
    """A separate sentence that makes this person's punishment (by name, no other defendant named) conditional
    ("... Жұмабай Ә.Н.-ға тағайындалған жаза шартты деп есептелсін" after a group list)."""
    if sentence.kind not in CUSTODIAL:
        return
    lo, hi = parsed.bounds("operative")
    own_lo, own_hi = person.operative_block
    for match in parsed.cue("conditional").finditer(parsed.text, lo, hi):
        if own_lo <= match.start() < own_hi:
            continue  # read already with the punishment itself
        s_lo, s_hi = parsed.sentence_at(match.start(), lo, hi, marks=".")
        text = parsed.text[s_lo:s_hi]
        if parsed.cue("cancelled_conditional").search(text) or parsed.cue("earlier_verdict").search(text):
            continue
        if person.mentions(parsed.text, s_lo, s_hi) and parsed.people_in(s_lo, s_hi) == 1:
            _conditional(parsed, sentence, s_lo, s_hi, s_hi, spans)
            return


def _regime_elsewhere(parsed: Parsed, person: Person) -> re.Match[str] | None:
    """A separate sentence that sends this person (by name) to an institution of a given security."""
    lo, hi = parsed.bounds("operative")
    for match in parsed.cue("regime").finditer(parsed.text, lo, hi):
        s_lo, s_hi = parsed.sentence_at(match.start(), lo, hi, marks=".")
        if person.mentions(parsed.text, s_lo, s_hi):
            return match
    return None


def _additional(parsed: Parsed, lo: int, hi: int, ev_spans: list) -> list[str]:
    tail = parsed.cue("block_tail").search(parsed.text, lo, hi)
    region_hi = tail.start() if tail and tail.start() > lo else hi
    out: list[str] = []
    for name in ADDITIONAL:
        match = parsed.cue(f"additional_{name}").search(parsed.text, lo, region_hi)
        if match is None:
            continue
        label = name
        if name.startswith("deprivation_of_right"):
            _, s_hi = parsed.sentence_at(match.start(), lo, region_hi)
            after = parsed.text[match.end() : min(s_hi, match.end() + 300)]
            if parsed.cue("life").search(after[:200]) or parsed.cue("life_before").search(
                parsed.text[match.start() - 20 : match.start()]
            ):
                label = f"{name}_life"
            else:
                terms = durations(find_quantities(after, match.end(), parsed.lang))
                label = (
                    f"{name}_{terms[0].months // 12}y"
                    if terms and terms[0].months % 12 == 0
                    else (f"{name}_{terms[0].months}m" if terms else name)
                )
        if label not in out:
            out.append(label)
            ev_spans.append((match.start(), match.end(), name))
    return out


def custody_credit(parsed: Parsed, person: Person, single: bool, others: list[Person]) -> Fact:
    """The first day of custody the court credits ("Зачесть ... время содержания под стражей с 09 января
    2022 года"), read in the defendant's own operative block first, then in shared lists naming them."""
    lo, hi = parsed.bounds("operative")
    regions = [person.operative_block, (lo, hi)] if not single else [(lo, hi)]
    for r_lo, r_hi in regions:
        for match in parsed.cue("credit").finditer(parsed.text, r_lo, r_hi):
            s_lo, s_hi = parsed.sentence_at(match.start(), r_lo, r_hi, marks=".")
            start = s_lo
            names_others = any(other.mentions(parsed.text, s_lo, s_hi) for other in others)
            if names_others or ((r_lo, r_hi) == (lo, hi) and not single):
                own = person.mentions(parsed.text, s_lo, s_hi)
                if own:
                    start = own[0].start()
                    nxt = [m.start() for other in others for m in other.mentions(parsed.text, start + 1, s_hi)]
                    s_hi = min(nxt, default=s_hi)
                elif names_others or not concerns(parsed, person, s_lo, s_hi, single=False):
                    continue  # "... оның 2022 жылғы 8 қаңтардан ..." right after a sentence naming them alone counts
            for mention in parsed.dates_in(start, s_hi):
                before = parsed.text[max(s_lo, mention.start - 6) : mention.start]
                after = parsed.text[mention.end - 4 : min(s_hi, mention.end + 24)]
                if parsed.cue("from_date").search(before) or parsed.cue("from_date_after").match(after):
                    _flag_custody_ended(parsed, person, mention, s_hi)
                    return Fact(
                        value=mention.date,
                        confidence=0.85,
                        evidence=parsed.evidence(match.start(), match.end(), "custody_credit")
                        + parsed.evidence(mention.start, mention.end, mention.pattern_id),
                    )
    return Fact()
