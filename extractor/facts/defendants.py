"""Find the defendants in the introduction and the stretch of each part that speaks of each of them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.facts.context import DateMention, Parsed
from extractor.grammar.names import (
    PersonName,
    full_name_pattern,
    mention_pattern,
    normalise,
    surname_pattern,
    surname_stem,
)


@dataclass
class Person:
    name: PersonName
    start: int  # the full name in the introduction
    end: int
    birth: DateMention | None
    intro_block: tuple[int, int] = (0, 0)
    operative_block: tuple[int, int] = (0, 0)
    birth_year: tuple[int, int, int] | None = None  # (year, start, end) when only the year is given
    verdict_head: tuple[int, int] | None = None  # shared "Признать А., Б. ... виновными" of a group sentence

    @property
    def verdict_spans(self) -> list[tuple[int, int]]:
        """Where the verdict on this person is written: a shared head (if any) and their own block."""
        return [span for span in (self.verdict_head, self.operative_block) if span]

    pattern: re.Pattern[str] | None = None  # how the text refers to this person (see ``find_defendants``)

    def mentions(self, text: str, lo: int, hi: int) -> list[re.Match[str]]:
        assert self.pattern is not None
        return list(self.pattern.finditer(text, lo, hi))


def find_defendants(parsed: Parsed) -> list[Person]:
    """Defendants are full names in the introduction directly followed by a birth date - after "рассмотрев
    ... дело" and not introduced by a role ("законного представителя – отца ...")."""
    lo, hi = parsed.bounds("introduction")
    opening = parsed.cue("intro_start").search(parsed.text, lo, hi)
    people: list[Person] = []
    for match in full_name_pattern(parsed.lang).finditer(parsed.text, opening.end() if opening else lo, hi):
        line_start = parsed.text.rfind("\n", lo, match.start()) + 1
        if parsed.cue("participant_role").search(parsed.text[max(line_start, match.start() - 80) : match.start()]):
            continue
        birth = _birth_after(parsed, match.end())
        year = parsed.cue("birth_year").match(parsed.text, match.end()) if birth is None else None
        if birth is None and year is None:
            continue
        name = normalise(match.group("surname"), match.group("name"), match.group("patronymic"), parsed.lang)
        if any(p.name.full == name.full for p in people):
            continue
        person = Person(name=name, start=match.start(), end=match.end(), birth=birth)
        if year is not None:
            person.birth_year = (int(year.group("year")), year.start("year"), year.end("year"))
        people.append(person)
    # Defendants who share a surname (brothers) are told apart by name or initials; others by surname too.
    stems = [surname_stem(p.name.surname).lower() for p in people]
    for person, stem in zip(people, stems, strict=True):
        # "Ахметов" and "Ахметов", or "Омар" and "Омаров": one stem begins the other.
        shared = sum(other.startswith(stem) or stem.startswith(other) for other in stems) > 1
        person.pattern = (
            mention_pattern(person.name, parsed.lang) if shared else surname_pattern(person.name, parsed.lang)
        )
    parsed.person_patterns = [p.pattern for p in people]
    for i, person in enumerate(people):
        end = people[i + 1].start if i + 1 < len(people) else hi
        person.intro_block = (person.start, end)
    _operative_blocks(parsed, people)
    return people


def _birth_after(parsed: Parsed, pos: int) -> DateMention | None:
    """A date right after the name that reads as a birth date ("02.03.1995 г.р.", "2 марта 1995 года рождения")."""
    window = parsed.text[pos : pos + 110]
    if not parsed.cue("birth").match(window):
        return None
    for mention in parsed.dates_in(pos, pos + 110):
        if parsed.cue("birth_tail").match(parsed.text[mention.end :]) or parsed.cue("birth_near").match(
            parsed.text[mention.end - 12 : mention.end + 110]
        ):
            return mention
        if parsed.cue("born_before").search(parsed.text[pos : mention.start]):
            return mention
    return None


def _operative_blocks(parsed: Parsed, people: list[Person]) -> None:
    """Each defendant's operative block runs from the mention that carries the verdict on them
    ("Ахметова Е.С. признать виновным", "Признать Ахметова ... виновным", "оправдать") to the next one.

    When one sentence convicts several ("Признать А., Б. и В. виновными ... и назначить наказание: А. – 5 лет;
    Б. – 4 года"), its head up to the punishment list is shared (``verdict_head``) and each person's block is
    their own item of the list.
    """
    lo, hi = parsed.bounds("operative")
    if hi <= lo or not people:
        return
    anchors: list[tuple[int, int, int, Person]] = []  # (block start, mention end, sentence start, person)
    for person in people:
        for match in mention_pattern(person.name, parsed.lang).finditer(parsed.text, lo, hi):
            s_lo, s_hi = parsed.sentence_at(match.start(), lo, hi, marks=".")
            # The verb of the person's own clause first: "..., а Бекова оправдать", "..., ал Кравченко ... ақталсын".
            c_lo, c_hi = clause_at(parsed, match.start(), s_lo, s_hi)
            verb = parsed.cue("verdict_anchor").search(parsed.text, c_lo, c_hi)
            if verb is None:
                c_lo, verb = s_lo, parsed.cue("verdict_anchor").search(parsed.text, s_lo, s_hi)
            if verb and abs(verb.start() - match.start()) < 200:
                # "Признать А., Б. виновными" and "А. мен Б. ... кінәлі деп танылсын": one sentence for several
                shared = verb.start() < match.start() or parsed.people_in(c_lo, verb.start()) > 1
                start = c_lo if shared else match.start()
                anchors.append((start, match.end(), c_lo, person))
                break
    if len(people) == 1 and not anchors:
        people[0].operative_block = (lo, hi)
        return
    shared: dict[int, list[Person]] = {}
    for start, _, s_lo, person in anchors:
        if start == s_lo:
            shared.setdefault(s_lo, []).append(person)
    grouped = {id(p) for group in shared.values() if len(group) > 1 for p in group}
    anchors.sort(key=lambda a: a[0])
    for i, (start, _, _, person) in enumerate(anchors):
        later = [a[0] for a in anchors[i + 1 :] if a[0] > start]
        person.operative_block = (start, later[0] if later else hi)
    for s_lo, group in shared.items():
        if len(group) > 1:
            _split_shared_sentence(parsed, s_lo, group, [p for p in people if id(p) not in grouped], hi)


def clause_at(parsed: Parsed, pos: int, s_lo: int, s_hi: int) -> tuple[int, int]:
    """The clause of a sentence (between its clause breaks: ", а", ", ал", ", but", ";") that holds ``pos``."""
    c_lo, c_hi = s_lo, s_hi
    for brk in parsed.cue("clause_break").finditer(parsed.text, s_lo, s_hi):
        if brk.end() <= pos:
            c_lo = brk.end()
        elif brk.start() > pos:
            c_hi = brk.start()
            break
    return c_lo, c_hi


def _split_shared_sentence(parsed: Parsed, s_lo: int, group: list[Person], rest: list[Person], hi: int) -> None:
    _, s_hi = parsed.sentence_at(s_lo, s_lo, hi, marks=".")
    listing = parsed.cue("list_start").search(parsed.text, s_lo, s_hi)
    if listing is None:
        return  # one punishment for all of them: the whole sentence is everybody's block
    items = []
    for person in group:
        mention = person.pattern.search(parsed.text, listing.end(), s_hi)
        if mention is not None:
            items.append((mention.start(), person))
    items.sort(key=lambda item: item[0])
    for i, (start, person) in enumerate(items):
        end = items[i + 1][0] if i + 1 < len(items) else s_hi
        person.verdict_head = (s_lo, listing.end())
        person.operative_block = (start, end)


def mentions_person(parsed: Parsed, person: Person, lo: int, hi: int) -> bool:
    return bool(person.pattern and person.pattern.search(parsed.text, lo, hi))


def concerns(parsed: Parsed, person: Person, lo: int, hi: int, single: bool, generic: bool = False) -> bool:
    """Whether a sentence speaks of this defendant: by name; because there is only one; by a pronoun when
    the nearest sentence before that names anyone named them alone ("Омаров Б.Ж. совершил ... . ... в его
    действиях содержится"); or -
    for statements about "the defendants" (``generic``) - because it names none of them and speaks of them."""
    if single or mentions_person(parsed, person, lo, hi):
        return True
    if parsed.people_in(lo, hi):
        return False
    if parsed.cue("pronoun").search(parsed.text, lo, hi):
        # The pronoun refers to the person the nearest sentence before that names anyone names alone
        # ("Circumstances mitigating the liability of Zhaksylykov B.A. are ... There are no aggravating
        # circumstances. His previous conviction ..."), looking back at most three sentences.
        end = lo
        for _ in range(3):
            p_lo, _ = parsed.sentence_at(max(0, end - 2), 0, end, marks=".")
            named = parsed.people_in(p_lo, end)
            if named:
                return named == 1 and mentions_person(parsed, person, p_lo, end)
            if p_lo <= 0:
                break
            end = p_lo
    return generic and bool(parsed.cue("defendant_word").search(parsed.text, lo, hi))
