"""Load the pattern files in ``extractor/patterns``: regex lines with named pieces, and token patterns.

A line is ``{"label", "id", "pattern"}``. A regex pattern is a string in which ``{NAME}`` expands to a piece
from ``pieces.json`` (or ``MONTH``/``NUMWORD`` from the vocabulary); a token pattern is a spaCy list. A
missing, empty or malformed file is an error, never a silent warning.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from extractor.grammar.vocab import number_forms, vocab

PATTERN_DIR = Path(__file__).parent / "patterns"
PLACEHOLDER = re.compile(r"\{([A-Z_]+)\}")


class PatternFileError(RuntimeError):
    pass


@dataclass(frozen=True)
class RegexPattern:
    label: str
    id: str
    regex: re.Pattern[str]


@lru_cache(maxsize=1)
def pieces() -> dict[str, str]:
    raw = json.loads((PATTERN_DIR / "pieces.json").read_text(encoding="utf-8"))
    raw.pop("_comment", None)
    raw["MONTH"] = "|".join(vocab()["months"])
    raw["ORDINAL"] = "|".join(vocab()["ordinals"])
    raw["NUMWORD"] = "|".join(sorted(number_forms(), key=len, reverse=True))
    return raw


def expand(pattern: str, depth: int = 0) -> str:
    """Replace ``{NAME}`` with ``(?:piece)``, recursively."""
    if depth > 10:
        raise PatternFileError(f"pattern pieces nest too deep near {pattern[:60]!r}")
    table = pieces()

    def sub(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in table:
            raise PatternFileError(f"unknown pattern piece {{{name}}}")
        return f"(?:{expand(table[name], depth + 1)})"

    return PLACEHOLDER.sub(sub, pattern)


def read_lines(name: str) -> list[dict]:
    path = PATTERN_DIR / name
    if not path.exists():
        raise PatternFileError(f"pattern file {path} is missing")
    lines = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as exc:
            raise PatternFileError(f"{path}:{number}: not JSON ({exc.msg})") from exc
        if not {"label", "id", "pattern"} <= entry.keys():
            raise PatternFileError(f"{path}:{number}: needs label, id and pattern")
        lines.append(entry)
    if not lines:
        raise PatternFileError(f"pattern file {path} has no patterns")
    ids = [entry["id"] for entry in lines]
    if len(ids) != len(set(ids)):
        raise PatternFileError(f"{path}: pattern ids are not unique")
    return lines


@cache
def regex_patterns(name: str) -> tuple[RegexPattern, ...]:
    out = []
    for entry in read_lines(name):
        try:
            compiled = re.compile(expand(entry["pattern"]), re.IGNORECASE if entry.get("ignore_case") else 0)
        except re.error as exc:
            raise PatternFileError(f"{name}: pattern {entry['id']} does not compile: {exc}") from exc
        out.append(RegexPattern(entry["label"], entry["id"], compiled))
    return tuple(out)


@cache
def cue(name: str) -> re.Pattern[str]:
    """A named cue from ``cues.jsonl``: the words that tell the fact builders what a sentence says
    (a negation, a party's request, a detention date...). Edit the file, not the code, to tune them."""
    entries = {entry["id"]: entry for entry in read_lines("cues.jsonl")}
    if name not in entries:
        raise PatternFileError(f"cues.jsonl has no cue {name!r}")
    entry = entries[name]
    try:
        return re.compile(expand(entry["pattern"]), re.IGNORECASE if entry.get("ignore_case") else 0)
    except re.error as exc:
        raise PatternFileError(f"cues.jsonl: cue {name} does not compile: {exc}") from exc
