"""The usual Cyrillic OCR confusions in legal tokens, undone before the patterns run.

"11.3) ч.3 ст.188" is "п.3) ч.3 ст.188"; "ст.18В" is "ст.188"; "УК PK" (Latin) is "УК РК"; "Тулегенова A.B." has
Latin initials. Every change keeps a map from the corrected text back to the characters Tesseract read, so the
evidence of a fact quotes the page as it was read. The rules are data: ``patterns/ocr_fixes.jsonl``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PATTERNS = Path(__file__).parent / "patterns" / "ocr_fixes.jsonl"
# Latin letters that print like Cyrillic ones.
LOOKALIKES = str.maketrans("ABCEHKMOPTXYaceopxy", "АВСЕНКМОРТХУасеорху")
LOOKALIKE_LETTERS = set("ABCEHKMOPTXYaceopxy")
# A Latin capital after a small letter inside a word is a Cyrillic small letter of the same shape ("АрMaHa" is
# "Армана": Tesseract takes the small-capital shapes of м, н, к, т, в for M, H, K, T, B).
SMALL_LOOKALIKES = str.maketrans("ABCEHKMOPTXY", "авсенкмортху")
# Letters read in place of digits inside article, part and paragraph numbers.
DIGIT_TWINS = str.maketrans("ЗзОOоoбВBlI|", "330000688111")
WORD = re.compile(r"[A-Za-zА-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]+")
CYRILLIC = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")


@dataclass(frozen=True)
class Fixed:
    """Corrected text; ``offsets[i]`` is where its character ``i`` was in the text as read (one extra entry for
    the end), so a span ``[a, b)`` of the corrected text is ``[offsets[a], offsets[b])`` of the original."""

    text: str
    offsets: tuple[int, ...]


@lru_cache(maxsize=1)
def rules() -> list[dict]:
    """The regex rules: ``pattern``, ``replace`` (with ``{digits}`` meaning the match with digit twins fixed)."""
    out = []
    for line in PATTERNS.read_text(encoding="utf-8").splitlines():
        if line.strip():
            rule = json.loads(line)
            rule["regex"] = re.compile(rule["pattern"])
            out.append(rule)
    return out


def _apply(text: str, offsets: list[int], regex: re.Pattern[str], replace) -> tuple[str, list[int]]:
    pieces: list[str] = []
    new_offsets: list[int] = []
    pos = 0
    for match in regex.finditer(text):
        new = replace(match)
        if new == match.group(0):
            continue
        pieces.append(text[pos : match.start()])
        new_offsets.extend(offsets[pos : match.start()])
        pieces.append(new)
        if len(new) == len(match.group(0)):
            new_offsets.extend(offsets[match.start() : match.end()])
        else:  # a shorter or longer replacement: first and last characters stay aligned, the rest spread between
            old_len, span = len(match.group(0)), max(len(new) - 1, 1)
            new_offsets.extend(offsets[match.start() + round(j * (old_len - 1) / span)] for j in range(len(new)))
        pos = match.end()
    pieces.append(text[pos:])
    new_offsets.extend(offsets[pos:])
    return "".join(pieces), new_offsets


# All-Latin look-alike words that are Cyrillic words misread: only these, and one-letter initials ("A.B.");
# other Latin words (car plates "777 ABC 02", company names, Roman numerals) stay as they are.
CYRILLIC_WORDS_READ_AS_LATIN = {"PK", "YK", "TOO", "AO", "OOO", "KX"}


def _to_cyrillic(token: str) -> str:
    return "".join(
        ch.translate(SMALL_LOOKALIKES) if ch.isascii() and ch.isupper() and i and token[i - 1].islower() else ch
        for i, ch in enumerate(token)
    ).translate(LOOKALIKES)


def _latin_lookalikes(text: str, offsets: list[int]) -> tuple[str, list[int]]:
    """Latin look-alikes inside Cyrillic words; initials and a few known words next to Cyrillic ones."""
    words = list(WORD.finditer(text))
    index = {w.start(): k for k, w in enumerate(words)}

    def fix(match: re.Match[str]) -> str:
        token = match.group(0)
        latin = [ch for ch in token if ch.isascii()]
        if not latin or not all(ch in LOOKALIKE_LETTERS for ch in latin):
            return token
        if CYRILLIC.search(token):
            return _to_cyrillic(token)
        i = index[match.start()]
        if len(token) >= 3 and not token.isupper() and 0 < i < len(words) - 1:
            # a word in small letters read all in Latin look-alikes between two Cyrillic ones ("Мухтарова EpxaHa
            # Талгатовича"); a brand in capitals ("марки TOYOTA") stays Latin
            between = CYRILLIC.search(words[i - 1].group(0)) and CYRILLIC.search(words[i + 1].group(0))
            return _to_cyrillic(token) if between else token
        initial = len(token) == 1 and text[match.end() : match.end() + 1] == "."
        if not initial and token not in CYRILLIC_WORDS_READ_AS_LATIN:
            return token
        neighbours = [words[k].group(0) for k in range(i - 2, i + 3) if k != i and 0 <= k < len(words)]
        return token.translate(LOOKALIKES) if any(CYRILLIC.search(n) for n in neighbours) else token

    return _apply(text, offsets, WORD, fix)


def fix_ocr_text(text: str) -> Fixed:
    """Undo the OCR confusions of ``rules()`` and of Latin look-alikes.

    >>> fix_ocr_text("предусмотренного 11.3) ч.З ст.18В YK PK, Тулегенова A.B.").text
    'предусмотренного п.3) ч.3 ст.188 УК РК, Тулегенова А.В.'
    >>> fix_ocr_text("по 01.6) ч.2 ст.269 и по 4.3 ст.287").text
    'по п.6) ч.2 ст.269 и по ч.3 ст.287'
    >>> fixed = fix_ocr_text("по 11.3) ч.3")
    >>> fixed.text[3:7], fixed.offsets[3], fixed.offsets[4]
    ('п.3)', 3, 5)
    """
    offsets = list(range(len(text) + 1))
    body, tail = offsets[:-1], offsets[-1]
    for rule in rules():
        template = rule["replace"]
        text, body = _apply(
            text, body, rule["regex"], lambda m, t=template: t.format(digits=m.group(0).translate(DIGIT_TWINS))
        )
    text, body = _latin_lookalikes(text, body)
    return Fixed(text=text, offsets=(*body, tail))
