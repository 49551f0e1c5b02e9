"""The operative part's verbs and the clauses they govern, in one place for outcome, charges and sentence."""

from __future__ import annotations

from extractor.facts.context import Parsed


def verdict_clauses(parsed: Parsed, lo: int, hi: int, verb_cue: str) -> list[tuple[int, int]]:
    """Clauses of the sentences in ``[lo, hi)`` whose sentence carries the verb of ``verb_cue`` ("convicted",
    "terminated"), minus clauses that acquit, terminate or speak of an earlier verdict (unless that is the verb)."""
    verb = parsed.cue(verb_cue)
    others = [parsed.cue(name) for name in ("acquitted", "terminated") if name != verb_cue]
    tail = parsed.cue("block_tail").search(parsed.text, lo, hi)
    hi = tail.start() if tail and tail.start() > lo else hi
    clauses: list[tuple[int, int]] = []
    pos = lo
    while pos < hi:
        s_lo, s_hi = parsed.sentence_at(pos, lo, hi, marks=".")
        s_hi = max(s_hi, pos + 1)
        sentence = parsed.text[s_lo:s_hi]
        if verb.search(sentence) and not parsed.cue("earlier_verdict").search(sentence):
            start = s_lo
            for brk in [*parsed.cue("clause_break").finditer(parsed.text, s_lo, s_hi), None]:
                end = brk.start() if brk else s_hi
                clause = parsed.text[start:end]
                if not any(p.search(clause) for p in others) or verb.search(clause):
                    clauses.append((start, end))
                start = brk.end() if brk else s_hi
        pos = s_hi + 1
    return clauses
