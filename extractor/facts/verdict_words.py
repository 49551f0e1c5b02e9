"""The operative part's verbs and the clauses they govern, in one place for outcome, charges and sentence."""

from __future__ import annotations

import re

from extractor.facts.context import Parsed

CONVICTED = re.compile(
    r"признать\s+(?:\S+\s+){0,8}?(?<![а-яё])виновн|(?<![а-яё])виновн\w+\s+в\s+совершении", re.IGNORECASE
)
ACQUITTED = re.compile(r"оправдать|(?<![а-яё])невиновн", re.IGNORECASE)
TERMINATED = re.compile(r"прекратить|прекращени", re.IGNORECASE)
# Sentences about earlier verdicts: a cancelled conditional sentence, joined sentences (ст.60, ст.64).
EARLIER_VERDICT = re.compile(r"отменить|по\s+приговору|присоединить|ст\.?\s*(?:60|64)\s+УК", re.IGNORECASE)
# Where an operative block stops speaking of the verdict: custody, restraint, exhibits, costs, claims.
BLOCK_TAIL = re.compile(
    r"Зачесть|Мер[ау]\s+пресечения|Вещественн|Процессуальн|Гражданск|Взыскать|Срок\s+(?:отбывания\s+)?наказания",
    re.IGNORECASE,
)
# ", а по ч.1 ст.293 УК РК оправдать": a new clause with its own verb.
CLAUSE_BREAK = re.compile(r",\s+(?:а|но|однако|при\s+этом)\s+|;")


def verdict_clauses(parsed: Parsed, lo: int, hi: int, verb: re.Pattern[str]) -> list[tuple[int, int]]:
    """Clauses of the sentences in ``[lo, hi)`` whose sentence carries ``verb``, minus clauses that acquit,
    terminate or speak of an earlier verdict (unless ``verb`` is that very verb)."""
    tail = BLOCK_TAIL.search(parsed.text, lo, hi)
    hi = tail.start() if tail and tail.start() > lo else hi
    clauses: list[tuple[int, int]] = []
    pos = lo
    while pos < hi:
        s_lo, s_hi = parsed.sentence_at(pos, lo, hi, marks=".")
        s_hi = max(s_hi, pos + 1)
        sentence = parsed.text[s_lo:s_hi]
        if verb.search(sentence) and not EARLIER_VERDICT.search(sentence):
            start = s_lo
            for brk in [*CLAUSE_BREAK.finditer(parsed.text, s_lo, s_hi), None]:
                end = brk.start() if brk else s_hi
                clause = parsed.text[start:end]
                others = [p for p in (ACQUITTED, TERMINATED) if p is not verb]
                if not any(p.search(clause) for p in others) or verb.search(clause):
                    clauses.append((start, end))
                start = brk.end() if brk else s_hi
        pos = s_hi + 1
    return clauses
