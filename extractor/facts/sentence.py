"""The final punishment in a defendant's operative block: kind, term, regime, conditional, additional."""

from __future__ import annotations

import re

from extractor.facts.context import Parsed
from extractor.facts.defendants import Person
from extractor.grammar.terms import Duration, Quantity, durations, find_quantities
from extractor.grammar.vocab import vocab
from models import Fact, Regime, Sentence, SentenceKind

PUNISH = re.compile(r"назнач\w+|наказани\w+", re.IGNORECASE)
FINAL = re.compile(r"окончательн\w+", re.IGNORECASE)
REGIME = re.compile(r"(?P<r>минимальной|средней|максимальной|чрезвычайной)\s+безопасности", re.IGNORECASE)
CONDITIONAL = re.compile(r"условн\w+|ст\.?\s*63\s+УК", re.IGNORECASE)
PROBATION = re.compile(r"пробационн\w+\s+контрол\w*|испытательн\w+\s+срок\w*", re.IGNORECASE)
NOT_MAIN = re.compile(r"лишени\w+\s+права|пробацион|испытательн|конфискац|составляет|запрет", re.IGNORECASE)
ADDITIONAL = [
    (re.compile(r"лишени\w+\s+права\s+занимать(?![а-яё])", re.IGNORECASE), "deprivation_of_right_to_hold_office"),
    (re.compile(r"лишени\w+\s+права\s+заниматься", re.IGNORECASE), "deprivation_of_right_to_engage_in_activity"),
    (re.compile(r"(?<!без\s)конфискаци\w+\s+имущества", re.IGNORECASE), "confiscation_of_property"),
    (re.compile(r"лиш\w+\s+(?:\w+\s+){0,2}специальн\w+\s+звани", re.IGNORECASE), "deprivation_of_special_rank"),
    (re.compile(r"лишени\w+\s+гражданства", re.IGNORECASE), "deprivation_of_citizenship"),
    (re.compile(r"выдворени\w+", re.IGNORECASE), "expulsion"),
]


def _kinds() -> list[tuple[re.Pattern[str], SentenceKind]]:
    out = []
    for stems, value in vocab()["sentence_kinds"].items():
        words = r"\s+".join(f"{re.escape(stem)}\\w*" for stem in stems.split())
        out.append((re.compile(rf"(?<![а-яё]){words}", re.IGNORECASE), SentenceKind(value)))
    return out


def _main_region(parsed: Parsed, lo: int, hi: int) -> tuple[int, int] | None:
    """The sentence that imposes the final punishment: the 'окончательно' one, else the first 'назначить'."""
    final = FINAL.search(parsed.text, lo, hi)
    anchor = final or PUNISH.search(parsed.text, lo, hi)
    if anchor is None:
        return lo, hi  # an item of a group list: "Ковалеву А.И. – 4 (четыре) года лишения свободы;"
    _, s_hi = parsed.sentence_at(anchor.start(), lo, hi)
    return anchor.start(), s_hi


def _main_kind(parsed: Parsed, lo: int, hi: int) -> tuple[SentenceKind, int, int] | None:
    best = None
    for pattern, kind in _kinds():
        for match in pattern.finditer(parsed.text, lo, hi):
            if kind is SentenceKind.imprisonment and re.search(
                r"пожизненн\w*\s*$", parsed.text[max(lo, match.start() - 15) : match.start()]
            ):
                continue
            if best is None or match.start() < best[1]:
                best = (kind, match.start(), match.end())
            break
    return best


def _is_main_quantity(parsed: Parsed, q: Quantity | Duration, lo: int) -> bool:
    before = parsed.text[max(lo, q.start - 70) : q.start]
    clause = re.split(r"[;,]\s*(?=с\s|со\s|и\s|а\s)|\.\s", before)[-1]
    return not NOT_MAIN.search(clause)


def parse_sentence(parsed: Parsed, person: Person) -> Sentence | None:
    lo, hi = person.operative_block
    region = _main_region(parsed, lo, hi)
    if region is None:
        parsed.flag("sentence_missing", "sentence", "no punishment found in the operative part", person.name.full)
        return None
    r_lo, r_hi = region
    found = _main_kind(parsed, r_lo, r_hi)
    if found is None:
        parsed.flag("sentence_kind_unknown", "sentence", "punishment kind not recognised", person.name.full)
        return None
    kind, k_start, k_end = found
    sentence = Sentence(kind=kind, confidence=0.9)
    ev_spans = [(k_start, k_end, "sentence_kind")]
    quantities = [q for q in find_quantities(parsed.text[r_lo:r_hi], r_lo) if _is_main_quantity(parsed, q, r_lo)]
    consistent = True
    if kind in (SentenceKind.imprisonment, SentenceKind.restriction_of_liberty):
        terms = durations(quantities)
        if terms:
            term = min(terms, key=lambda d: abs(d.start - k_start))
            sentence.term_months, consistent = term.months, term.consistent
            ev_spans.append((term.start, term.end, "term"))
    elif kind is SentenceKind.arrest:
        days = [q for q in quantities if q.unit == "day"]
        if days:
            sentence.term_days, consistent = int(days[0].value), days[0].consistent
            ev_spans.append((days[0].start, days[0].end, "term_days"))
    elif kind is SentenceKind.community_service:
        hours = [q for q in quantities if q.unit == "hour"]
        if hours:
            sentence.hours, consistent = int(hours[0].value), hours[0].consistent
            ev_spans.append((hours[0].start, hours[0].end, "hours"))
    elif kind in (SentenceKind.fine, SentenceKind.correctional_labour):
        mrp = [q for q in quantities if q.unit == "mrp"]
        tenge = [q for q in find_quantities(parsed.text[r_lo:r_hi], r_lo) if q.unit == "tenge"]
        if mrp:
            sentence.amount_mrp, consistent = mrp[0].value, mrp[0].consistent
            ev_spans.append((mrp[0].start, mrp[0].end, "amount_mrp"))
        if tenge:
            sentence.amount_tenge = tenge[0].value
            ev_spans.append((tenge[0].start, tenge[0].end, "amount_tenge"))
    if not consistent:
        sentence.confidence = 0.5
        parsed.flag("number_words_disagree", "sentence", "digits and words of the term disagree", person.name.full)
    if kind not in (SentenceKind.life_imprisonment,) and all(
        v is None for v in (sentence.term_months, sentence.term_days, sentence.hours, sentence.amount_mrp)
    ):
        sentence.confidence = 0.5
        parsed.flag(
            "sentence_term_missing", "sentence.term_months", f"no term found for {kind.value}", person.name.full
        )

    block = parsed.text[lo:hi]
    conditional = CONDITIONAL.search(block)
    if (
        conditional
        and re.search(r"условн", block, re.IGNORECASE)
        and kind in (SentenceKind.imprisonment, SentenceKind.restriction_of_liberty)
    ):
        sentence.conditional = True
        ev_spans.append((lo + conditional.start(), lo + conditional.end(), "conditional"))
        probation = PROBATION.search(parsed.text, lo + conditional.start(), hi)
        if probation:
            after = durations(find_quantities(parsed.text[probation.end() : probation.end() + 80], probation.end()))
            if after:
                sentence.probation_months = after[0].months
                ev_spans.append((probation.start(), after[0].end, "probation"))
    regime = REGIME.search(parsed.text, r_lo, hi) or _regime_elsewhere(parsed, person)
    if regime and kind in (SentenceKind.imprisonment, SentenceKind.life_imprisonment) and not sentence.conditional:
        sentence.regime = Regime(vocab()["regimes"][regime.group("r").lower()])
        ev_spans.append((regime.start(), regime.end(), "regime"))
    sentence.additional = _additional(parsed, lo, hi, ev_spans)
    for start, end, pid in ev_spans:
        sentence.evidence.extend(parsed.evidence(start, end, pid))
    return sentence


def _regime_elsewhere(parsed: Parsed, person: Person) -> re.Match[str] | None:
    """A separate sentence that sends this person (by name) to an institution of a given security."""
    lo, hi = parsed.bounds("operative")
    for match in REGIME.finditer(parsed.text, lo, hi):
        s_lo, s_hi = parsed.sentence_at(match.start(), lo, hi, marks=".")
        if person.mentions(parsed.text, s_lo, s_hi):
            return match
    return None


def _additional(parsed: Parsed, lo: int, hi: int, ev_spans: list) -> list[str]:
    region = parsed.text[lo:hi]
    tail = re.search(r"Зачесть|Мер[ау]\s+пресечения|Вещественн|Процессуальн|Гражданск", region)
    region_hi = lo + tail.start() if tail else hi
    out: list[str] = []
    for pattern, name in ADDITIONAL:
        match = pattern.search(parsed.text, lo, region_hi)
        if match is None:
            continue
        label = name
        if name.startswith("deprivation_of_right"):
            _, s_hi = parsed.sentence_at(match.start(), lo, region_hi)
            after = parsed.text[match.end() : min(s_hi, match.end() + 300)]
            if re.search(r"пожизненн", after[:200], re.IGNORECASE) or re.search(
                r"пожизненн\w*\s*$", parsed.text[match.start() - 20 : match.start()], re.IGNORECASE
            ):
                label = f"{name}_life"
            else:
                terms = durations(find_quantities(after, match.end()))
                label = (
                    f"{name}_{terms[0].months // 12}y"
                    if terms and terms[0].months % 12 == 0
                    else (f"{name}_{terms[0].months}m" if terms else name)
                )
        if label not in out:
            out.append(label)
            ev_spans.append((match.start(), match.end(), name))
    return out


CREDIT = re.compile(r"зачесть", re.IGNORECASE)
FROM_DATE = re.compile(r"\bс\s*$")


def custody_credit(parsed: Parsed, person: Person, single: bool, others: list[Person]) -> Fact:
    """The first day of custody the court credits ("Зачесть ... время содержания под стражей с 09 января
    2022 года"), read in the defendant's own operative block first, then in shared lists naming them."""
    lo, hi = parsed.bounds("operative")
    regions = [person.operative_block, (lo, hi)] if not single else [(lo, hi)]
    for r_lo, r_hi in regions:
        for match in CREDIT.finditer(parsed.text, r_lo, r_hi):
            s_lo, s_hi = parsed.sentence_at(match.start(), r_lo, r_hi, marks=".")
            start = s_lo
            names_others = any(other.mentions(parsed.text, s_lo, s_hi) for other in others)
            if names_others or ((r_lo, r_hi) == (lo, hi) and not single):
                own = person.mentions(parsed.text, s_lo, s_hi)
                if not own:
                    continue
                start = own[0].start()
                nxt = [m.start() for other in others for m in other.mentions(parsed.text, start + 1, s_hi)]
                s_hi = min(nxt, default=s_hi)
            for mention in parsed.dates_in(start, s_hi):
                if FROM_DATE.search(parsed.text[max(s_lo, mention.start - 6) : mention.start]):
                    return Fact(
                        value=mention.date,
                        confidence=0.85,
                        evidence=parsed.evidence(match.start(), match.end(), "custody_credit")
                        + parsed.evidence(mention.start, mention.end, mention.pattern_id),
                    )
    return Fact()
