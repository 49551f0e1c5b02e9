"""The operative part's verbs and the clauses they govern, in one place for outcome, charges and sentence."""

from __future__ import annotations

import re

from extractor.facts.context import Parsed
from extractor.patterns import cue

CONVICTED = cue("convicted")
ACQUITTED = cue("acquitted")
TERMINATED = cue("terminated")
# Sentences about earlier verdicts: a cancelled conditional sentence, joined sentences (ст.60, ст.64).
EARLIER_VERDICT = cue("earlier_verdict")
# Where an operative block stops speaking of the verdict: custody, restraint, exhibits, costs, claims.
BLOCK_TAIL = cue("block_tail")
# ", а по ч.1 ст.293 УК РК оправдать": a new clause with its own verb.
CLAUSE_BREAK = cue("clause_break")


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
