"""An amnesty act as data: the rules file (``extractor/laws/*.toml``) loaded into checked pydantic models.

The file is the only place the act's content lives; the engine reads it and never hard-codes an article.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tomllib
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from models import ExclusionMarkerKind, Gravity, Recidivism
from models.eligibility import Effect

LAWS = Path(__file__).resolve().parent.parent / "laws"
DEFAULT_LAW = "kz-2022-152-VII"


class Strict(BaseModel):
    # A misspelt key in a hand-corrected file must stop the load, not be ignored.
    model_config = ConfigDict(extra="forbid", frozen=True)


class CodeRef(Strict):
    """An article, optionally narrowed to a part and a paragraph; compared as strings ("269-1", "3-1")."""

    article: str
    part: str | None = None
    paragraph: str | None = None

    def covers(self, article: str, part: str | None, paragraph: str | None = None) -> bool:
        return (
            self.article == article
            and (self.part is None or self.part == part)
            and (self.paragraph is None or self.paragraph == paragraph)
        )


class Covered(Strict):
    """One Art. 1 entry: an article, the parts it covers (all when empty), and a condition on the offender."""

    article: str
    parts: list[str] = Field(default_factory=list)
    only_if_minor: bool = False
    citation: str
    title: str

    def covers(self, article: str, part: str | None) -> bool:
        return self.article == article and (not self.parts or part in self.parts)

    def label(self) -> str:
        parts = f" ч.{', '.join(self.parts)}" if self.parts else ""
        return f"ст.{self.article}{parts}" + (" (only if committed by a minor)" if self.only_if_minor else "")


class Scope(Strict):
    citation: str
    text: str
    offence_from: dt.date
    offence_to: dt.date
    riots_connection_required: bool
    covered: list[Covered]

    @property
    def article(self) -> str:
        """The article the scope's citation names ("Art. 1"), for reasons about the list as a whole."""
        return self.citation.split(" para")[0]

    @model_validator(mode="after")
    def _dates_ordered(self) -> Scope:
        if self.offence_to < self.offence_from:
            raise ValueError(f"offence_to {self.offence_to} is before offence_from {self.offence_from}")
        return self


class Exclusion(Strict):
    """One Art. 2 item: the Criminal Code crimes it names, and whom its exception spares."""

    id: str
    citation: str
    text: str
    marker: ExclusionMarkerKind
    list_source: str
    articles: list[str] = Field(default_factory=list)
    parts: list[CodeRef] = Field(default_factory=list)
    paragraphs: list[CodeRef] = Field(default_factory=list)
    victim_minor_by_part: list[CodeRef] = Field(default_factory=list)
    exception: Literal["offender_minor", "minor_against_minor_14_18"] | None = None

    def refs(self) -> list[CodeRef]:
        return [CodeRef(article=a) for a in self.articles] + self.parts + self.paragraphs

    def covers(self, article: str, part: str | None, paragraph: str | None = None) -> bool:
        return any(ref.covers(article, part, paragraph) for ref in self.refs())

    def may_cover(self, article: str, part: str | None, paragraph: str | None = None) -> bool:
        """Covered if the part or paragraph that was not read turned out to be the listed one."""
        return any(
            ref.article == article
            and (ref.part is None or part is None or ref.part == part)
            and (ref.paragraph is None or paragraph is None or ref.paragraph == paragraph)
            for ref in self.refs()
        )

    def certain(self, article: str, part: str | None) -> bool:
        """False when the crime counts only against a minor victim and the part does not say so."""
        if self.marker is not ExclusionMarkerKind.sexual_offense_minor:
            return True
        return any(ref.covers(article, part) for ref in self.victim_minor_by_part)


class RecidivismRule(Strict):
    id: str
    citation: str
    text: str
    excludes: list[Recidivism]


class ReleaseEffect(Strict):
    citation: str
    text: str
    gravities: list[Gravity]
    effect: Effect
    conditional_effect: Effect | None = None


class Cut(Strict):
    citation: str
    text: str
    gravity: Gravity
    cut: str  # the share taken off, e.g. "3/4"

    @field_validator("cut")
    @classmethod
    def _fraction(cls, value: str) -> str:
        share = Fraction(value)
        if not 0 < share < 1:
            raise ValueError(f"cut {value!r} must be a fraction between 0 and 1")
        return value

    @property
    def remaining(self) -> Fraction:
        return 1 - Fraction(self.cut)


class OneYearRule(Strict):
    citation: str
    text: str
    max_left_months: int


class Effects(Strict):
    pending: ReleaseEffect
    convicted: ReleaseEffect
    served: ReleaseEffect
    cuts: list[Cut]
    one_year: OneYearRule


class Option(Strict):
    default: str
    choices: list[str]
    note: str
    # An office that has settled the point sets this; its other readings then no longer send cases to review.
    settled: bool = False

    @model_validator(mode="after")
    def _default_is_a_choice(self) -> Option:
        if self.default not in self.choices:
            raise ValueError(f"default {self.default!r} is not one of {self.choices}")
        return self


# The options the engine reads, with the readings it knows; a rules file must define each (its own default).
OPTION_CHOICES = {
    "mixed_gravity": {"per_offence", "most_serious"},
    "one_year_basis": {"imposed", "reduced"},
    "reworded_articles": {"offence_date", "review"},
    "conditional_grave": {"reduce_term", "review"},
    "exclusion_by_prior_convictions": {"yes", "no"},
    "verdict_after_entry_into_force": {"pending", "convicted"},
}
OPTION_NAMES = tuple(OPTION_CHOICES)


class ReviewSettings(Strict):
    min_confidence: float = Field(ge=0, le=1)


class AmnestyLaw(Strict):
    id: str
    title: str
    title_en: str
    source_url: str
    signed: dt.date
    in_force: dt.date
    in_force_citation: str
    scope: Scope
    exclusions: list[Exclusion]
    recidivism: RecidivismRule
    effects: Effects
    options: dict[str, Option]
    review: ReviewSettings
    sha256: str = ""  # of the file it was read from: which rules a decision used

    @model_validator(mode="after")
    def _complete(self) -> AmnestyLaw:
        missing = [name for name in OPTION_NAMES if name not in self.options]
        if missing:
            raise ValueError(f"options missing: {', '.join(missing)}")
        unknown = [name for name in self.options if name not in OPTION_NAMES]
        if unknown:
            raise ValueError(f"unknown options: {', '.join(unknown)} (known: {', '.join(OPTION_NAMES)})")
        for name, option in self.options.items():
            unknown_choices = set(option.choices) - OPTION_CHOICES[name]
            if unknown_choices:
                raise ValueError(
                    f"options.{name}: the engine knows no reading {', '.join(sorted(unknown_choices))} "
                    f"(known: {', '.join(sorted(OPTION_CHOICES[name]))})"
                )
        cut_gravities = [c.gravity for c in self.effects.cuts]
        if len(set(cut_gravities)) != len(cut_gravities):
            raise ValueError("effects.cuts names a gravity twice")
        released = set(self.effects.convicted.gravities) | set(self.effects.pending.gravities)
        both = released & set(cut_gravities)
        if both:
            raise ValueError(f"{', '.join(sorted(g.value for g in both))}: both released and cut in effects")
        return self

    def option(self, name: str, chosen: dict[str, str] | None = None) -> str:
        return (chosen or {}).get(name, self.options[name].default)

    def cut_for(self, gravity: Gravity) -> Cut | None:
        return next((c for c in self.effects.cuts if c.gravity is gravity), None)

    def covered_entry(self, article: str, part: str | None) -> Covered | None:
        return next((c for c in self.scope.covered if c.covers(article, part)), None)


class RulesFileError(ValueError):
    """A rules file that cannot be used; the message names the file and the problem."""


def load_law(path: Path) -> AmnestyLaw:
    """Read and check one rules file."""
    try:
        raw_bytes = path.read_bytes()
        raw = tomllib.loads(raw_bytes.decode("utf-8"))
    except OSError as exc:
        raise RulesFileError(f"{path}: cannot read the rules file ({exc.strerror})") from exc
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise RulesFileError(f"{path}: not a valid TOML rules file ({exc})") from exc
    try:
        return AmnestyLaw.model_validate({**raw, "sha256": hashlib.sha256(raw_bytes).hexdigest()})
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors(include_url=False)
        )
        raise RulesFileError(f"{path}: {problems}") from exc


def bundled_laws() -> dict[str, Path]:
    """The rules files shipped with the tool, by id (their file name)."""
    return {path.stem: path for path in sorted(LAWS.glob("*.toml"))}


@lru_cache(maxsize=8)
def _load_cached(path: str) -> AmnestyLaw:
    return load_law(Path(path))


def get_law(name: str = DEFAULT_LAW, rules: Path | None = None) -> AmnestyLaw:
    """A bundled act by name, or the rules file given (which wins)."""
    if rules is not None:
        return _load_cached(str(rules.resolve()))
    laws = bundled_laws()
    if name not in laws:
        raise RulesFileError(f"no rule set named {name!r} (known: {', '.join(laws) or 'none'})")
    return _load_cached(str(laws[name]))
