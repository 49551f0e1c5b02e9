"""Load the pattern files in ``extractor/patterns/<language>/``: regex lines with named pieces, and token patterns.

Each language (``ru``, ``kk``, ``en``) has its own set with the same file names and the same ids: the fact builders
ask for a cue by id and get the one of the verdict's language. A line is ``{"label", "id", "pattern"}``. A regex
pattern is a string in which ``{NAME}`` expands to a piece from the language's ``pieces.json`` (or
``MONTH``/``NUMWORD``/``ORDINAL`` from its vocabulary); a token pattern is a spaCy list. A missing, empty or
malformed file is an error, never a silent warning.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from extractor.grammar.vocab import LANGUAGES, number_forms, vocab

PATTERN_DIR = Path(__file__).parent / "patterns"
PLACEHOLDER = re.compile(r"\{([A-Z_]+)\}")


class PatternFileError(RuntimeError):
    pass


@dataclass(frozen=True)
class RegexPattern:
    label: str
    id: str
    regex: re.Pattern[str]


def pattern_path(name: str, lang: str) -> Path:
    if lang not in LANGUAGES:
        raise PatternFileError(f"no pattern set for language {lang!r} (known: {', '.join(LANGUAGES)})")
    return PATTERN_DIR / lang / name


@cache
def data_digest() -> str:
    """A sha256 over every pattern and vocabulary file (and the Code table): a store's earlier results were read
    with other data when it differs, so ``verdicts screen`` reads those files again."""
    import hashlib

    digest = hashlib.sha256()
    for folder in (PATTERN_DIR, PATTERN_DIR.parent / "data"):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(path.relative_to(folder.parent).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


@cache
def pieces(lang: str = "ru") -> dict[str, str]:
    raw = json.loads(pattern_path("pieces.json", lang).read_text(encoding="utf-8"))
    raw.pop("_comment", None)
    words = vocab(lang)
    raw["MONTH"] = "|".join(sorted(words["months"], key=len, reverse=True))
    raw["ORDINAL"] = "|".join(words["ordinals"])
    raw["NUMWORD"] = "|".join(sorted(number_forms(lang), key=len, reverse=True))
    return raw


def expand(pattern: str, lang: str = "ru", depth: int = 0) -> str:
    """Replace ``{NAME}`` with ``(?:piece)``, recursively."""
    if depth > 10:
        raise PatternFileError(f"pattern pieces nest too deep near {pattern[:60]!r}")
    table = pieces(lang)

    def sub(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in table:
            raise PatternFileError(f"unknown pattern piece {{{name}}} ({lang})")
        return f"(?:{expand(table[name], lang, depth + 1)})"

    return PLACEHOLDER.sub(sub, pattern)


def read_lines(name: str, lang: str = "ru") -> list[dict]:
    path = pattern_path(name, lang)
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


def _compile(entry: dict, where: str, lang: str) -> re.Pattern[str]:
    try:
        return re.compile(expand(entry["pattern"], lang), re.IGNORECASE if entry.get("ignore_case") else 0)
    except re.error as exc:
        raise PatternFileError(f"{where}: pattern {entry['id']} does not compile: {exc}") from exc


@cache
def regex_patterns(name: str, lang: str = "ru") -> tuple[RegexPattern, ...]:
    return tuple(
        RegexPattern(entry["label"], entry["id"], _compile(entry, f"{lang}/{name}", lang))
        for entry in read_lines(name, lang)
    )


@cache
def _cue_entries(lang: str) -> dict[str, dict]:
    return {entry["id"]: entry for entry in read_lines("cues.jsonl", lang)}


@cache
def cue(name: str, lang: str = "ru") -> re.Pattern[str]:
    """A named cue from the language's ``cues.jsonl``: the words that tell the fact builders what a sentence says
    (a negation, a party's request, a detention date...). Edit the file, not the code, to tune them."""
    entries = _cue_entries(lang)
    if name not in entries:
        raise PatternFileError(f"{lang}/cues.jsonl has no cue {name!r}")
    return _compile(entries[name], f"{lang}/cues.jsonl", lang)
