"""The Criminal Code facts the extractor needs, loaded from ``extractor/data`` and checked on load.

``criminal_code.csv`` has one row per article part and wording (source: the dated official editions of
29.12.2021 and 12.09.2022, cited per row). The Art. 3 lists of special categories are part of each amnesty
act's rules file (``extractor/laws``), since an act names the categories it excludes.
"""

from __future__ import annotations

import csv
import datetime as dt
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, field_validator

from extractor.amnesty.law import Exclusion, get_law
from models import Gravity

DATA = Path(__file__).parent / "data"

# Law 136-VII of 11.07.2022 reworded 379/380; the 12.09.2022 edition carries the new text. Between the
# signature and that edition the exact day of entry into force was not checked, so offences in that gap
# get an uncertain wording (see criminal-code.md §0 and §5).
# Law 152-VII Art. 1: offences committed from 4 to 7 January 2022, both days included.
AMNESTY_WINDOW = (dt.date(2022, 1, 4), dt.date(2022, 1, 7))
REWORDING_SIGNED = dt.date(2022, 7, 11)
REWORDING_EDITION = dt.date(2022, 9, 12)


class CodePart(BaseModel):
    """One article part of the Criminal Code in one wording."""

    article: str
    part: str | None
    title_ru: str
    gravity: Gravity
    max_imprisonment_years: float
    life_imprisonment: bool
    intent: str
    wording: str  # all_2022 | jan_aug_2022 | from_sep_2022 | sep_2022_text_only_checked
    uncertain: bool
    note: str = ""
    source_url: str

    @field_validator("part", mode="before")
    @classmethod
    def _empty_part_is_none(cls, value: str | None) -> str | None:
        return value or None

    @field_validator("life_imprisonment", "uncertain", mode="before")
    @classmethod
    def _yes_no(cls, value: str | bool) -> bool:
        if isinstance(value, bool):
            return value
        if value not in ("yes", "no"):
            raise ValueError(f"expected yes/no, got {value!r}")
        return value == "yes"


def gravity_from_sanction(max_years: float, life: bool, intent: str) -> Gravity:
    """Criminal Code Art. 10-11: the category from the upper limit of the sanction.

    >>> gravity_from_sanction(5, False, "intentional").value
    'medium'
    >>> gravity_from_sanction(5, False, "negligent").value
    'small'
    >>> gravity_from_sanction(0, False, "intentional").value
    'criminal_offense'
    """
    if max_years == 0 and not life:
        return Gravity.criminal_offense
    if intent == "negligent":
        return Gravity.small if max_years <= 5 else Gravity.medium
    if life or max_years > 12:
        return Gravity.especially_grave
    if max_years > 5:
        return Gravity.grave
    return Gravity.medium if max_years > 2 else Gravity.small


class Lookup(BaseModel):
    part: CodePart | None
    uncertain_reason: str | None = None


class CodeTable:
    def __init__(self, rows: list[CodePart]) -> None:
        self.rows = rows
        self._by_key: dict[tuple[str, str | None], list[CodePart]] = {}
        for row in rows:
            self._by_key.setdefault((row.article, row.part), []).append(row)

    def lookup(self, article: str, part: str | None, on: dt.date | None) -> Lookup:
        """The part in the wording in force on ``on``; says why when that is uncertain."""
        candidates = self._by_key.get((article, part))
        if not candidates and part is not None and (article, None) in self._by_key:
            candidates = None  # the article has no parts: a cited part is a misreading
        if not candidates:
            return Lookup(part=None, uncertain_reason=f"ст.{article} ч.{part} is not in the Code table")
        if on is None:
            chosen = next((r for r in candidates if r.wording != "from_sep_2022"), candidates[0])
            reason = "offence date unknown: the January 2022 wording was assumed" if len(candidates) > 1 else None
        elif on < REWORDING_SIGNED:
            chosen = next((r for r in candidates if r.wording != "from_sep_2022"), None)
            reason = None
        elif on >= REWORDING_EDITION:
            chosen = next((r for r in candidates if r.wording != "jan_aug_2022"), None)
            reason = None
        else:
            chosen = next((r for r in candidates if r.wording != "from_sep_2022"), candidates[0])
            reason = "offence between Law 136-VII and its entry into force: wording uncertain"
        if chosen is None:
            return Lookup(part=None, uncertain_reason=f"ст.{article} ч.{part} did not exist in that wording on {on}")
        if chosen.uncertain:
            reason = "; ".join(filter(None, [reason, f"table row marked uncertain: {chosen.note}"]))
        return Lookup(part=chosen, uncertain_reason=reason)


@lru_cache(maxsize=1)
def code_table() -> CodeTable:
    with (DATA / "criminal_code.csv").open(encoding="utf-8", newline="") as fh:
        rows = [CodePart.model_validate(row) for row in csv.DictReader(fh)]
    if not rows:
        raise RuntimeError("extractor/data/criminal_code.csv is empty")
    return CodeTable(rows)


def categories_of(article: str, part: str | None, paragraph: str | None) -> list[tuple[Exclusion, bool]]:
    """The exclusions of the default amnesty act a charge falls in, each with whether the charge settles it.

    The Criminal Code lists behind them (Art. 3 points 29, 30, 39, 42) live in the act's rules file, the one
    place they are kept. Sexual offences count against minors only; unless the part is defined by the
    victim's age, the marker is uncertain.
    """
    return [(ex, ex.certain(article, part)) for ex in get_law().exclusions if ex.covers(article, part, paragraph)]
