"""How well OCR reads the nine letters Kazakh adds to Cyrillic (ә ғ қ ң ө ұ ү һ і), measured on scans of fixture
verdicts against their source text.

A document's OCR text is aligned with its source text (``difflib``, whitespace collapsed; whole documents, since
a source page may flow over two printed pages); a Kazakh letter of the source counts as read when the aligned OCR
character is the same letter, and its misreadings are tallied ("ұ" read as "у", "і" as "!"). Running header
and footer lines that the renderer adds only shift the alignment. ``python -m extractor.bench --letters SCANS
--text FIXTURES`` prints the table.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher

KAZAKH_ONLY = "әғқңөұүһі"


@dataclass
class LetterScore:
    letter: str
    seen: int = 0  # in the source
    read: int = 0  # aligned with the same letter in the OCR text
    misread: Counter = field(default_factory=Counter)  # what OCR put in its place ("" = dropped)

    @property
    def accuracy(self) -> float:
        return self.read / self.seen if self.seen else 1.0


def _squash(text: str) -> str:
    return " ".join(text.split()).lower()


def score_page(source: str, ocr: str, scores: dict[str, LetterScore]) -> None:
    """Add one page's counts to ``scores`` (one entry per letter of ``KAZAKH_ONLY``).

    >>> scores = {ch: LetterScore(ch) for ch in KAZAKH_ONLY}
    >>> score_page("Қазақстан Республикасының", "Казақстан Республикасынын", scores)
    >>> scores["қ"].read, scores["қ"].seen, dict(scores["қ"].misread), dict(scores["ң"].misread)
    (1, 2, {'к': 1}, {'н': 1})
    """
    a, b = _squash(source), _squash(ocr)
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for k in range(i1, i2):
            letter = a[k]
            if letter not in scores:
                continue
            scores[letter].seen += 1
            if tag == "equal":
                scores[letter].read += 1
            elif tag == "replace" and i2 - i1 == j2 - j1:
                scores[letter].misread[b[j1 + k - i1]] += 1
            elif tag == "replace":
                scores[letter].misread[b[j1:j2]] += 1
            else:
                scores[letter].misread[""] += 1


def score_documents(pairs: list[tuple[list[str], list[str]]]) -> dict[str, LetterScore]:
    """Scores over (source pages, OCR pages) pairs, each document aligned as a whole."""
    scores = {ch: LetterScore(ch) for ch in KAZAKH_ONLY}
    for source_pages, ocr_pages in pairs:
        score_page("\n".join(source_pages), "\n".join(ocr_pages), scores)
    return scores
