"""Vocabularies from ``extractor/data/vocab/<language>.toml``; Russian number words get all their inflected forms
from pymorphy3, Kazakh and English ones are listed as written (Kazakh numerals in parentheses do not decline)."""

from __future__ import annotations

import re
import tomllib
from functools import cache, lru_cache
from pathlib import Path

VOCAB_DIR = Path(__file__).resolve().parent.parent / "data" / "vocab"
LANGUAGES = ("ru", "kk", "en")
SECTIONS = (
    "months", "numbers", "gravity", "regimes", "sentence_kinds", "article_keywords", "ordinals", "headings",
)  # fmt: skip
# Letters of a word in any of the three languages: a stem must not match inside a longer word.
LETTER = "a-zа-яёәғқңөұүһі"


def vocab_file(lang: str) -> Path:
    if lang not in LANGUAGES:
        raise ValueError(f"no vocabulary for language {lang!r} (known: {', '.join(LANGUAGES)})")
    return VOCAB_DIR / f"{lang}.toml"


@cache
def vocab(lang: str = "ru") -> dict[str, dict[str, object]]:
    path = vocab_file(lang)
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    for section in SECTIONS:
        if not data.get(section):
            raise RuntimeError(f"{path}: section [{section}] is missing or empty")
    return data


@lru_cache(maxsize=1)
def morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@cache
def number_forms(lang: str = "ru") -> dict[str, float]:
    """Every written form of every number word: ``{"двух": 2, "пяти": 5, "бес": 5, "five": 5, ...}``."""
    forms: dict[str, float] = {}
    if lang != "ru":
        return dict(vocab(lang)["numbers"])
    analyzer = morph()
    for lemma, value in vocab(lang)["numbers"].items():
        forms[lemma] = value
        for parse in analyzer.parse(lemma):
            if parse.normal_form != lemma:
                continue
            for form in parse.lexeme:
                forms.setdefault(form.word.replace("ё", "е"), value)
            break
    return forms


@cache
def number_fillers(lang: str = "ru") -> frozenset[str]:
    """Words inside a number in words that add nothing ("and" in "four hundred and fifty")."""
    return frozenset(vocab(lang).get("number_fillers", ()))


@cache
def stem_patterns(section: str, lang: str = "ru") -> list[tuple[re.Pattern[str], str]]:
    """Regexes for a vocabulary of word stems ("лишени свобод" -> r"лишени\\w*\\s+свобод\\w*"), in file order."""
    out = []
    for stems, value in vocab(lang)[section].items():
        words = r"\s+".join(f"{re.escape(stem)}\\w*" for stem in stems.split())
        out.append((re.compile(rf"(?<![{LETTER}]){words}", re.IGNORECASE), value))
    return out
