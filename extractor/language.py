"""Which language a verdict page is written in: Russian, Kazakh or English.

Kazakh shares the Cyrillic alphabet with Russian but adds nine letters (ә ғ қ ң ө ұ ү һ і) that Russian never uses,
and its function words differ (және, бойынша, жылғы); English is written in Latin letters. A page is decided by
the share of those letters and by counting each language's commonest words; a page with too few letters says
nothing. A document takes the language of most of its letters; its pages' own languages are kept, so a Kazakh
verdict with a Russian page (a translation, an annex) shows as mixed.

>>> detect("Қазақстан Республикасының атынан ҮКІМ. Сот 2022 жылғы 5 қаңтарда және ...").language
'kk'
>>> detect("Именем Республики Казахстан. ПРИГОВОР. Суд в составе председательствующего ...").language
'ru'
>>> detect("VERDICT IN THE NAME OF THE REPUBLIC OF KAZAKHSTAN. The court established that ...").language
'en'
>>> detect("12.01.2022 — 7").language is None
True
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
WORD = re.compile(r"[^\W\d_]+")
# The commonest words of each language in verdicts (function words, court words), lower case.
COMMON = {
    "kk": {"және", "бойынша", "жылғы", "сот", "туралы", "бабының", "бөлігінің", "үкім", "бұрын", "оның", "деп",
           "мен", "бен", "пен", "үшін", "жоқ", "бар", "болып", "қылмыс", "жаза", "айыру", "етті", "анықтады"},
    "ru": {"и", "в", "на", "по", "с", "что", "не", "суд", "года", "статьи", "части", "от", "о", "к", "за", "его",
           "приговор", "наказание", "лишения", "свободы", "установил", "приговорил"},
    "en": {"the", "of", "and", "to", "in", "a", "court", "was", "by", "for", "on", "with", "article", "part",
           "years", "sentence", "criminal", "code"},
}  # fmt: skip
LANGUAGE_NAMES = {"ru": "Russian", "kk": "Kazakh", "en": "English"}
MIN_LETTERS = 40  # fewer letters (a page number, a stamp) decide nothing


@dataclass(frozen=True)
class Detected:
    language: str | None  # "ru", "kk", "en", or None when the text does not say
    confidence: float
    letters: int


def detect(text: str) -> Detected:
    """The language of one page's text."""
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < MIN_LETTERS:
        return Detected(None, 0.0, len(letters))
    latin = sum("a" <= ch.lower() <= "z" for ch in letters)
    kazakh = sum(ch in KAZAKH_LETTERS for ch in letters)
    words = Counter(w.lower() for w in WORD.findall(text))
    common = {lang: sum(words[w] for w in vocab) for lang, vocab in COMMON.items()}
    if latin / len(letters) > 0.5:
        return Detected("en", 0.95 if common["en"] > common["ru"] + common["kk"] else 0.7, len(letters))
    # Russian text never has these letters; OCR of a Russian page may invent one now and then, hence the share.
    cyrillic = len(letters) - latin
    share = kazakh / cyrillic if cyrillic else 0.0
    if share > 0.01 and common["kk"] >= common["ru"]:
        return Detected("kk", 0.95 if share > 0.02 else 0.8, len(letters))
    if share > 0.03:
        return Detected("kk", 0.75, len(letters))
    return Detected("ru", 0.95 if common["ru"] > common["kk"] else 0.75, len(letters))


def document_language(pages: list[str]) -> tuple[Detected, list[str | None]]:
    """The document's language (that of most of its letters) and each page's."""
    found = [detect(text) for text in pages]
    weight: Counter[str] = Counter()
    for page in found:
        if page.language:
            weight[page.language] += page.letters
    if not weight:
        return Detected(None, 0.0, 0), [p.language for p in found]
    language, letters = weight.most_common(1)[0]
    share = letters / sum(weight.values())
    confidence = min(p.confidence for p in found if p.language == language) * (1.0 if share > 0.9 else share)
    return Detected(language, round(confidence, 2), letters), [p.language for p in found]
