"""Find the defendants in the introduction and the stretch of each part that speaks of each of them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.facts.context import DateMention, Parsed
from extractor.grammar.names import FULL_NAME, PersonName, mention_pattern, normalise, surname_pattern

BIRTH = re.compile(r"^[\s,]*(?:\d{1,2}[.\s]|«|родивш\w+\s|[0-3]?\d\s+[а-я]+\s+\d{4})")
BIRTH_TAIL = re.compile(r"^\s*(?:года\s+рождения|г\.\s?р\.|года\s+рожд|г\.р)")
INTRO_START = re.compile(r"в\s+отношении\s*:?|по\s+обвинению\s*:?|обвиняем\w+", re.IGNORECASE)
VERDICT_ANCHOR = re.compile(r"признать\b|оправдать|прекратить|невиновн", re.IGNORECASE)


@dataclass
class Person:
    name: PersonName
    start: int  # the full name in the introduction
    end: int
    birth: DateMention | None
    intro_block: tuple[int, int] = (0, 0)
    operative_block: tuple[int, int] = (0, 0)
    operative_anchor: tuple[int, int] | None = None  # the mention heading the operative block

    def mentions(self, text: str, lo: int, hi: int) -> list[re.Match[str]]:
        return list(surname_pattern(self.name).finditer(text, lo, hi))


def find_defendants(parsed: Parsed) -> list[Person]:
    """Defendants are full names in the introduction directly followed by a birth date."""
    lo, hi = parsed.bounds("introduction")
    people: list[Person] = []
    for match in FULL_NAME.finditer(parsed.text, lo, hi):
        birth = _birth_after(parsed, match.end())
        if birth is None:
            continue
        name = normalise(match.group("surname"), match.group("name"), match.group("patronymic"))
        if any(p.name.full == name.full for p in people):
            continue
        people.append(Person(name=name, start=match.start(), end=match.end(), birth=birth))
    parsed.person_patterns = [surname_pattern(p.name) for p in people]
    for i, person in enumerate(people):
        end = people[i + 1].start if i + 1 < len(people) else hi
        person.intro_block = (person.start, end)
    _operative_blocks(parsed, people)
    return people


def _birth_after(parsed: Parsed, pos: int) -> DateMention | None:
    """A date right after the name that reads as a birth date ("02.03.1995 г.р.", "2 марта 1995 года рождения")."""
    window = parsed.text[pos : pos + 80]
    if not BIRTH.match(window):
        return None
    for mention in parsed.dates_in(pos, pos + 80):
        tail = parsed.text[mention.end - 12 : mention.end + 30]
        if BIRTH_TAIL.match(parsed.text[mention.end :]) or "рожд" in tail or "г.р" in tail:
            return mention
        if "родивш" in parsed.text[pos : mention.start]:
            return mention
    return None


def _operative_blocks(parsed: Parsed, people: list[Person]) -> None:
    """Each defendant's operative block runs from the mention that carries the verdict on them
    ("Ахметова Е.С. признать виновным", "Признать Ахметова ... виновным", "оправдать") to the next one."""
    lo, hi = parsed.bounds("operative")
    if hi <= lo or not people:
        return
    anchors: list[tuple[int, int, Person]] = []
    for person in people:
        pattern = mention_pattern(person.name)
        for match in pattern.finditer(parsed.text, lo, hi):
            s_lo, s_hi = parsed.sentence_at(match.start(), lo, hi)
            verb = VERDICT_ANCHOR.search(parsed.text, s_lo, s_hi)
            if verb and abs(verb.start() - match.start()) < 200:
                anchors.append(
                    (min(match.start(), s_lo if verb.start() < match.start() else match.start()), match.end(), person)
                )
                break
    anchors.sort(key=lambda a: a[0])
    if len(people) == 1 and not anchors:
        people[0].operative_block = (lo, hi)
        return
    for i, (start, end, person) in enumerate(anchors):
        block_end = anchors[i + 1][0] if i + 1 < len(anchors) else hi
        person.operative_block = (start, block_end)
        person.operative_anchor = (start, end)


def mentions_person(parsed: Parsed, person: Person, lo: int, hi: int) -> bool:
    return bool(surname_pattern(person.name).search(parsed.text, lo, hi))


def concerns(parsed: Parsed, person: Person, lo: int, hi: int, single: bool, generic: bool = False) -> bool:
    """Whether a sentence speaks of this defendant: by name, because there is only one, or - for statements
    about "the defendants" (``generic``) - because it names none of them."""
    if single or mentions_person(parsed, person, lo, hi):
        return True
    return generic and parsed.people_in(lo, hi) == 0
