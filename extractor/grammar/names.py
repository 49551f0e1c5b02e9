"""Person names: find "Surname Name Patronymic" and put them in the nominative case with pymorphy3.

Kazakh verdicts name a defendant in the nominative in the introduction and glue case endings to the surname
afterwards ("Бекеновтің", "Сейітованың", "Тілеуберді Н.Ж.-ның"), often with the initials first ("Д.М.Бекенов");
English translations write the names in Latin letters ("Zhaksylykov Daniyar Maratovich", "Kim A.V.").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from extractor.grammar.vocab import morph

# Cyrillic with the Kazakh letters (Серікбаев Дәурен Бақытжанұлы).
UP = "А-ЯЁӘҒҚҢӨҰҮҺІ"
LOW = "а-яёәғқңөұүһі"
WORD = rf"[{UP}][{LOW}]+(?:-[{UP}]?[{LOW}]+)?"
CAPS = rf"[{UP}]{{2,}}(?:-[{UP}]{{2,}})?"  # some courts capitalise: ОРАЗБАЕВА Асхата, ТУЛЕГЕНОВА АЛИХАНА ...
# A patronymic in any case: -ович/-евич/-ич, -овна/-евна/-ична, or Kazakh -улы/-уулу/-кызы.
_PATRONYMIC_END = (
    "вич|вича|вичу|вичем|виче|вна|вны|вне|вну|вной|ична|ичны|ичне|ичну|ичной|ич|ича|ичу|ичем|ули|улы|ұлы|уулу|кызы|қызы"
)
PATRONYMIC = rf"[{UP}][{LOW}]+(?:{_PATRONYMIC_END})|[{UP}]{{2,}}(?:{_PATRONYMIC_END.upper()})"
FULL_NAME = re.compile(
    rf"(?<![{UP}{LOW}])(?P<surname>{WORD}|{CAPS})\s+(?P<name>{WORD}|{CAPS})\s+(?P<patronymic>{PATRONYMIC})"
    rf"(?![{UP}{LOW}])"
)
# Kazakh declines only the last word of a name: "Тілеуберді Нұрсұлтан Жақсылықұлына", "Әлімжанов Руслан
# Бекеновичке"; the patronymic is read without its case ending.
KAZAKH_FULL_NAME = re.compile(
    rf"(?<![{UP}{LOW}])(?P<surname>{WORD}|{CAPS})\s+(?P<name>{WORD}|{CAPS})\s+"
    rf"(?P<patronymic>[{UP}][{LOW}]+?(?:вич|вна|ична|ич|улы|ұлы|уулу|кызы|қызы))[{LOW}]{{0,4}}(?![{UP}{LOW}])"
)
FEMALE_PATRONYMIC = re.compile(r"(вн|ичн|кызы|қызы|ovna|evna|ichna|kyzy|qyzy)\w*$")
_LATIN_WORD = r"[A-Z][a-z]+(?:-[A-Z]?[a-z]+)?"
_LATIN_PATRONYMIC = (
    r"[A-Z][a-z]+(?:ovich|evich|ich|ovna|evna|ichna|uly|ly|kyzy|qyzy)|[A-Z]{2,}(?:OVICH|EVICH|OVNA|EVNA|ULY|KYZY)"
)
LATIN_FULL_NAME = re.compile(
    rf"(?<![A-Za-z])(?P<surname>{_LATIN_WORD}|[A-Z]{{2,}})\s+(?P<name>{_LATIN_WORD}|[A-Z]{{2,}})\s+(?P<patronymic>{_LATIN_PATRONYMIC})"
    r"(?![A-Za-z])"
)


@dataclass(frozen=True)
class NameRules:
    """How one language's text refers to a person after the introduction."""

    up: str
    low: str
    endings: int  # letters of case ending a surname may carry ("Бекеновтің": 3)
    initials_before: bool  # "Д.М.Бекенов" as well as "Бекенов Д.М."


RULES = {
    "ru": NameRules(UP, LOW, 3, False),
    "kk": NameRules(UP, LOW, 5, True),
    "en": NameRules("A-Z", "a-z", 2, True),  # no cases, but "Omarova"/"OMAROVA" share the stem "Omarov"
}


def full_name_pattern(lang: str = "ru") -> re.Pattern[str]:
    """ "Surname Name Patronymic" in the letters of the language."""
    return {"en": LATIN_FULL_NAME, "kk": KAZAKH_FULL_NAME}.get(lang, FULL_NAME)


# Fallback endings (oblique case -> nominative) when pymorphy3 does not know the word, e.g. Kazakh names.
MALE_FALLBACK = [
    ("ович", "ович"),
    ("евич", "евич"),
    ("овичу", "ович"),
    ("овича", "ович"),
    ("евича", "евич"),
    ("ича", "ич"),
    ("ову", "ов"),
    ("еву", "ев"),
    ("ова", "ов"),
    ("ева", "ев"),
    ("ина", "ин"),
    ("ына", "ын"),
    ("ия", "ий"),
    ("ая", "ай"),
    ("ея", "ей"),
    ("а", ""),
    ("у", ""),
]
FEMALE_FALLBACK = [
    ("овну", "овна"),
    ("евну", "евна"),
    ("овны", "овна"),
    ("евны", "евна"),
    ("ичны", "ична"),
    ("ичну", "ична"),
    ("овой", "ова"),
    ("евой", "ева"),
    ("иной", "ина"),
    ("ову", "ова"),
    ("еву", "ева"),
    ("ину", "ина"),
    ("ой", "а"),
    ("ы", "а"),
    ("у", "а"),
    ("ю", "я"),
    ("и", "я"),
]

ROLE = {"surname": "Surn", "name": "Name", "patronymic": "Patr"}


@dataclass(frozen=True)
class PersonName:
    surname: str
    name: str
    patronymic: str
    female: bool

    @property
    def full(self) -> str:
        return f"{self.surname} {self.name} {self.patronymic}"

    @property
    def initials(self) -> str:
        return f"{self.name[0]}.{self.patronymic[0]}."


def _nominative(word: str, role: str, female: bool) -> str:
    if role == "patronymic" and word.lower().endswith(("улы", "ұлы", "уулу", "кызы", "қызы")):
        return word  # Kazakh patronymics do not decline: "Ерланқызы", "Бақытжанұлы"
    gender = "femn" if female else "masc"
    for parse in morph().parse(word):
        if ROLE[role] in parse.tag and gender in parse.tag:
            if "nomn" in parse.tag:
                return word
            form = parse.inflect({"nomn", "sing"})
            if form is not None:
                result = (
                    form.word if "ё" in word.lower() else form.word.replace("ё", "е")
                )  # keep the verdict's spelling
                return result.capitalize() if "-" not in word else _keep_hyphen_caps(result)
    if female and role == "name" and word[-1] not in "ыуюи":
        return word  # Kazakh female names (Айгерим, Асель) do not decline
    for ending, replacement in FEMALE_FALLBACK if female else MALE_FALLBACK:
        if word.endswith(ending) and len(word) > len(ending) + 2:
            return word[: len(word) - len(ending)] + replacement
    return word


def _keep_hyphen_caps(word: str) -> str:
    return "-".join(piece.capitalize() for piece in word.split("-"))


def normalise(surname: str, name: str, patronymic: str, lang: str = "ru") -> PersonName:
    """Put a name found in any case into the nominative, surname first.

    >>> normalise("Ахметова", "Ерлана", "Сериковича").full
    'Ахметов Ерлан Серикович'
    >>> normalise("Жумабаеву", "Айгерим", "Болатовну").full
    'Жумабаева Айгерим Болатовна'
    >>> normalise("Кима", "Виталия", "Олеговича").full
    'Ким Виталий Олегович'
    >>> normalise("Серікбай", "Айжан", "Ерланқызы").full
    'Серікбай Айжан Ерланқызы'
    """
    surname, name, patronymic = (
        _keep_hyphen_caps(word.lower()) if word.isupper() else word for word in (surname, name, patronymic)
    )
    female = bool(FEMALE_PATRONYMIC.search(patronymic.lower()))
    if lang != "ru":
        # Kazakh and English introductions give the nominative; there is nothing to decline.
        return PersonName(surname=surname, name=name, patronymic=patronymic, female=female)
    return PersonName(
        surname=_nominative(surname, "surname", female),
        name=_nominative(name, "name", female),
        patronymic=_nominative(patronymic, "patronymic", female),
        female=female,
    )


def surname_stem(surname: str) -> str:
    """The part of a surname that all its case forms share.

    >>> surname_stem("Ахметова"), surname_stem("Ахметов"), surname_stem("Ким"), surname_stem("Серикбай")
    ('Ахметов', 'Ахметов', 'Ким', 'Серикба')
    """
    for ending in ("ова", "ева", "ина", "ына", "ova", "eva", "ina"):
        if surname.endswith(ending):
            return surname[:-1]
    if surname.endswith("ая"):
        return surname[:-2]
    if surname.endswith(("ий", "ой", "ый")):
        return surname[:-2]
    if surname.endswith("й"):  # Серикбай -> Серикбая, Серикбаю
        return surname[:-1]
    return surname


def _stem_alternatives(person: PersonName, rules: NameRules) -> str:
    stem = surname_stem(person.surname)
    n = rules.endings
    return f"(?:{re.escape(stem)}[{rules.low}]{{0,{n}}}|{re.escape(stem.upper())}[{rules.up}]{{0,{n}}})"


@cache
def mention_pattern(person: PersonName, lang: str = "ru") -> re.Pattern[str]:
    """Matches the person's surname in any case (also in capitals) followed by the first name or initials
    (or, in Kazakh and English, preceded by the initials: "Д.М.Бекеновтің")."""
    rules = RULES[lang]
    up, low = rules.up, rules.low
    stem = _stem_alternatives(person, rules)
    first = re.escape(person.name[:3])
    initial = re.escape(person.name[0])
    # A first name OCR garbled after its first letter (a capital or a Latin letter inside it, which no first name
    # has) still names the person when the patronymic follows: "Мухтарова ЕржаНа Талгатовича". A brother "Ерлана
    # Талгатовича", spelt right, does not (nor a misreading in small letters: it cannot be told from him).
    patronymic = re.escape(person.patronymic[:4])
    odd = up if "a-z" in low else f"{up}A-Za-z"  # a Latin letter is odd only inside a Cyrillic name
    garbled = rf"|{initial}[{low}]*[{odd}][{up}{low}A-Za-z]*\s+{patronymic}" if len(person.patronymic) >= 4 else ""
    after = rf"\s+(?:{first}[{low}]*|{first.upper()}[{up}]*|{initial}\.\s?[{up}]\.?{garbled})"
    before = rf"|{initial}\.\s?[{up}]\.\s?{stem}(?![{low}])" if rules.initials_before else ""
    return re.compile(rf"(?<![{up}{low}])(?:{stem}{after}{before})")


@cache
def surname_pattern(person: PersonName, lang: str = "ru") -> re.Pattern[str]:
    """The surname in any case, alone or with this person's name or initials - not followed by another
    first name ("Ахметова Е.С." and "подсудимый Ахметов", not the witness "Ахметова Гульнар")."""
    rules = RULES[lang]
    up, low = rules.up, rules.low
    first = re.escape(person.name[:3])
    initial = re.escape(person.name[0])
    other = rf"\s+(?!{first}|{first.upper()}|{initial}\.)[{up}][{low}]+"
    return re.compile(rf"(?<![{up}{low}]){_stem_alternatives(person, rules)}(?![{up}{low}])(?!{other})")
