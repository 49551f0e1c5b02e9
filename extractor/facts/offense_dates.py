"""Offence dates: when each defendant acted, tied to each count; and whether they were a minor then."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

from extractor.facts.context import DateMention, Parsed, date_evidence
from extractor.facts.defendants import Person, clause_at, concerns
from extractor.grammar.vocab import LETTER, vocab
from extractor.legal import AMNESTY_WINDOW
from models import Charge, Fact

DATE_CONTEXT = 80  # characters either side of a date that tell what the date is


def _procedural(parsed: Parsed, mention: DateMention, lo: int, hi: int) -> bool:
    before = parsed.text[max(lo, mention.start - 12) : mention.start]
    if parsed.cue("date_of_document").search(before) or parsed.cue("date_not_act").search(
        parsed.text, mention.start, mention.end
    ):
        return True
    if parsed.cue("range_end").search(parsed.text[max(lo, mention.start - 40) : mention.start]):
        return True  # "с 23 часов 4 января до 02 часов 30 минут 5 января": the act began on the 4th
    s_lo, s_hi = parsed.sentence_at(mention.start, lo, hi)
    around = parsed.text[max(s_lo, mention.start - DATE_CONTEXT) : min(s_hi, mention.end + DATE_CONTEXT)]
    return bool(parsed.cue("act_exclude").search(around))


def act_dates(parsed: Parsed, person: Person, single: bool) -> list[DateMention]:
    """Dates in the description that tell when this defendant acted (not detention, documents, births):
    in a sentence that names the defendant (or, with one defendant, describes an act)."""
    lo, hi = parsed.bounds("description")
    # Best first: the court's own account (not testimony) naming the person and describing an act; then,
    # with one defendant, such an account that does not name them; then testimony; then any sentence
    # naming them near a date.
    tiers: tuple[list[DateMention], ...] = ([], [], [], [])
    for mention in parsed.dates_in(lo, hi):
        if _procedural(parsed, mention, lo, hi):
            continue
        s_lo, s_hi = parsed.sentence_at(mention.start, lo, hi)
        described = bool(parsed.cue("act_markers").search(parsed.text, s_lo, s_hi))
        named = concerns(parsed, person, s_lo, s_hi, single=False)  # by name, or "Он же, ..." after it
        testimony = bool(parsed.cue("testimony").search(parsed.text, s_lo, s_hi))
        if described and (named or single):
            tiers[2 if testimony else 0 if named else 1].append(mention)
        elif named:
            tiers[3].append(mention)
    if not tiers[0]:
        _flag_unread_act_date(parsed, person, lo, hi)
    found = next((tier for tier in tiers if tier), [])
    return found or _same_day(parsed, person, lo, hi)


YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def _flag_unread_act_date(parsed: Parsed, person: Person, lo: int, hi: int) -> None:
    """A sentence about this person's act holds a year but no date that could be read ("2022 жылғы қаңтардың
    сегізінде"): the act date used instead comes from elsewhere, so it is flagged, not trusted."""
    pos = lo
    while pos < hi:
        s_lo, s_hi = parsed.sentence_at(pos, lo, hi)
        s_hi = max(s_hi, pos + 1)
        if (
            YEAR.search(parsed.text, s_lo, s_hi)
            and not parsed.dates_in(s_lo, s_hi)
            and parsed.cue("act_markers").search(parsed.text, s_lo, s_hi)
            and person.pattern is not None
            and person.pattern.search(parsed.text, s_lo, s_hi)
            and not parsed.cue("act_exclude").search(parsed.text, s_lo, s_hi)
        ):
            parsed.flag(
                "offense_date_unread",
                "charges.offense_date",
                f"a sentence about the act holds a year but no date that could be read: "
                f"«{' '.join(parsed.text[s_lo:s_hi].split())[:120]}»",
                person.name.full,
            )
            return
        pos = s_hi + 1


def _same_day(parsed: Parsed, person: Person, lo: int, hi: int) -> list[DateMention]:
    """No dated sentence speaks of this defendant, but one says they acted "в тот же день" / "сол күні" / "on the
    same day": that day is the last act date written before it. Flagged, since it rests on the sentence before."""
    for match in parsed.cue("same_day").finditer(parsed.text, lo, hi):
        s_lo, s_hi = parsed.sentence_at(match.start(), lo, hi)
        if not concerns(parsed, person, s_lo, s_hi, single=False) or parsed.dates_in(s_lo, s_hi):
            continue
        if not parsed.cue("act_markers").search(parsed.text, s_lo, s_hi):
            continue
        before = [d for d in parsed.dates_in(lo, s_lo) if not _procedural(parsed, d, lo, hi)]
        if before:
            parsed.flag(
                "offense_date_same_day",
                "charges.offense_date",
                f"«{match.group(0)}»: the act date is the one written before it, {before[-1].date}",
                person.name.full,
            )
            return before[-1:]
    return []


def _episode_date(parsed: Parsed, charge: Charge, lo: int, hi: int, acts: list[DateMention]) -> DateMention | None:
    """An act date in the same list item as a description reference to this count, or the date of an
    episode the court names ("по эпизоду от 6 января 2022 года – по ч.2 ст.293 УК РК")."""
    act_starts = {d.start for d in acts}
    for ref in parsed.refs_in(lo, hi):
        if ref.chain.code == "other" or not any(
            c.article == charge.article and c.part == charge.part for c in ref.chain.refs
        ):
            continue
        i_lo, i_hi = parsed.sentence_at(ref.start, lo, hi)
        episode = parsed.cue("episode").search(parsed.text, i_lo, i_hi)
        if episode:
            # "5 қаңтардағы эпизод бойынша ... 272-бабының 2-бөлігімен ..., ал 10 қаңтардағы эпизод бойынша
            # ... 191-бабы": each count takes the date of its own clause, the nearest before its reference.
            i_lo, i_hi = clause_at(parsed, ref.start, i_lo, i_hi)
            before = [d for d in parsed.dates_in(i_lo, ref.start)]
            if before:
                return before[-1]
        for mention in parsed.dates_in(i_lo, i_hi):
            if mention.start not in act_starts and not episode:
                continue
            around = parsed.text[max(i_lo, mention.start - DATE_CONTEXT) : mention.end + DATE_CONTEXT]
            if not parsed.cue("act_exclude").search(around):
                return mention
    return None


@cache
def _keywords(lang: str) -> dict[str, list[re.Pattern[str]]]:
    out: dict[str, list[re.Pattern[str]]] = {}
    for article, stems in vocab(lang)["article_keywords"].items():
        out[article] = [
            re.compile(rf"(?<![{LETTER}])" + r"\w*\s+".join(re.escape(w) for w in stem.split()), re.IGNORECASE)
            for stem in stems
        ]
    return out


def _dates_by_keywords(
    parsed: Parsed, charges: list[Charge], dates: list[DateMention], lo: int, hi: int
) -> dict[int, DateMention]:
    """Tie counts to act dates by what the act sentence speaks of (``article_keywords``): accepted only when
    every count has one best date and no two counts share it; otherwise nothing is tied."""
    by_date: dict[object, DateMention] = {}
    for mention in dates:
        by_date.setdefault(mention.date, mention)
    if len(by_date) < 2:
        return {}
    scores: dict[int, dict[object, int]] = {}
    for i, charge in enumerate(charges):
        patterns = _keywords(parsed.lang).get(charge.article, [])
        for mention in dates:
            s_lo, s_hi = parsed.sentence_at(mention.start, lo, hi, marks=".")
            hits = sum(bool(p.search(parsed.text, s_lo, s_hi)) for p in patterns)
            row = scores.setdefault(i, {})
            row[mention.date] = max(row.get(mention.date, 0), hits)
    chosen: dict[int, DateMention] = {}
    for i, row in scores.items():
        top = max(row.values(), default=0)
        best = [d for d, n in row.items() if n == top]
        if top == 0 or len(best) != 1:
            return {}
        chosen[i] = by_date[best[0]]
    if len({m.date for m in chosen.values()}) != len(chosen):
        return {}
    return chosen


def _flag_period_beyond_window(parsed: Parsed, person: Person, charge: Charge, start: DateMention) -> None:
    """An act that ran "с 05.01.2022 по 20.01.2022" began in the amnesty window but did not end in it."""
    end = next(
        (
            d
            for d in parsed.dates_in(start.end, start.end + 40)
            if parsed.cue("range_continues").search(parsed.text[start.end : d.start])
        ),
        None,
    )
    if end is not None and start.date <= AMNESTY_WINDOW[1] < end.date:
        parsed.flag(
            "offense_period_beyond_window",
            "charges.offense_date",
            f"{charge.cite()}: the act ran from {start.date} to {end.date}, past 7 January 2022",
            person.name.full,
        )


def assign_dates(parsed: Parsed, person: Person, charges: list[Charge], dates: list[DateMention]) -> None:
    """Each count takes the date of its own episode when the court ties one to it, else the first act date."""
    lo, hi = parsed.bounds("description")
    first = min(dates, key=lambda d: (d.date, d.start)) if dates else None
    several = len({d.date for d in dates}) > 1
    by_keywords = _dates_by_keywords(parsed, charges, dates, lo, hi) if several else {}
    for i, charge in enumerate(charges):
        chosen, conf = _episode_date(parsed, charge, lo, hi, dates), 0.85
        if chosen is None and i in by_keywords:
            chosen, conf = by_keywords[i], 0.7
        if chosen is None and first is not None:
            chosen, conf = first, 0.6 if several else 0.8
            if several:
                parsed.flag(
                    "offense_date_ambiguous",
                    "charges.offense_date",
                    f"several act dates for {person.name.full}; {charge.cite()} took the earliest",
                    person.name.full,
                )
        if chosen is None:
            parsed.flag(
                "offense_date_missing",
                "charges.offense_date",
                f"no offence date found for {charge.cite()}",
                person.name.full,
            )
            continue
        charge.offense_date = chosen.date
        _flag_period_beyond_window(parsed, person, charge, chosen)
        charge.confidence = min(charge.confidence, conf)
        charge.evidence = charge.evidence + parsed.evidence(chosen.start, chosen.end, chosen.pattern_id)


def minor_at_offense(
    parsed: Parsed, person: Person, birth: Fact[dt.date], charges: list[Charge], acts: list[DateMention]
) -> Fact[bool]:
    """Under 18 on the (first) offence date; without charges (acquittal) the first act date is used.

    With only a birth year ("2001 года рождения") the answer is given when the year settles it either way.
    """
    dated = [(c.offense_date, date_evidence(c.evidence)) for c in charges if c.offense_date]
    if not dated and acts:
        first_act = min(acts, key=lambda d: d.date)
        dated = [(first_act.date, parsed.evidence(first_act.start, first_act.end, first_act.pattern_id))]
    if not dated:
        return Fact()
    first, evidence = min(dated, key=lambda d: d[0])
    if birth.value is not None:
        age = first.year - birth.value.year - ((first.month, first.day) < (birth.value.month, birth.value.day))
        return Fact(value=age < 18, confidence=min(birth.confidence, 0.9), evidence=birth.evidence + evidence)
    if person.birth_year is None:
        return Fact()
    year, start, end = person.birth_year
    youngest, oldest = first.year - year - 1, first.year - year
    year_evidence = parsed.evidence(start, end, "birth_year")
    if youngest >= 18 or oldest < 18:
        return Fact(value=oldest < 18, confidence=0.85, evidence=year_evidence + evidence)
    parsed.flag(
        "age_at_offense_unknown",
        "minor_at_offense",
        f"born in {year}: 17 or 18 on {first}, the day of birth decides",
        person.name.full,
    )
    return Fact()
