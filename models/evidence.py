"""Evidence: where in the verdict a fact was read, and the generic wrapper for one extracted value."""

from __future__ import annotations

from enum import StrEnum
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

T = TypeVar("T")


class TextSource(StrEnum):
    """Where a page's text came from; OCR text earns less trust than a text layer."""

    text_layer = "text_layer"
    ocr = "ocr"


class Evidence(BaseModel):
    """A quoted span of one page: ``text == page_text[start:end]`` for that page's extracted text."""

    model_config = ConfigDict(frozen=True)

    page: int = Field(ge=1, description="1-based page number")
    start: int = Field(ge=0, description="character offset into the page's extracted text")
    end: int = Field(ge=0)
    text: str
    pattern_id: str | None = Field(default=None, description="id of the pattern that matched")
    source: TextSource = TextSource.text_layer

    @model_validator(mode="after")
    def _span_is_ordered(self) -> Evidence:
        if self.end < self.start:
            raise ValueError(f"evidence end {self.end} is before start {self.start}")
        return self


class Fact(BaseModel, Generic[T]):
    """One extracted scalar value with its confidence and the words it rests on."""

    value: T | None = None
    confidence: float = Field(default=0.0, ge=0.0, le=1.0)
    evidence: list[Evidence] = Field(default_factory=list)
