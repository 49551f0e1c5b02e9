"""Open a verdict file and return its per-page text: pdfplumber for PDFs, form feeds for plain text."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from extractor.errors import (
    CorruptPdfError,
    EmptyFileError,
    EncryptedVerdictError,
    InputFileError,
    NotAPdfError,
)
from models import TextSource

PAGE_BREAK = "\f"


@dataclass(frozen=True)
class PageText:
    """The extracted text of one page; evidence offsets index into ``text``."""

    number: int  # 1-based
    text: str
    source: TextSource = TextSource.text_layer
    has_text_layer: bool = True


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_pages(path: Path) -> list[PageText]:
    """Read a ``.pdf`` with pdfplumber or a ``.txt`` split on form-feed lines.

    Raises an ``InputFileError`` subclass, ``EncryptedVerdictError`` or ``CorruptPdfError``
    naming the file.
    """
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputFileError(path, exc.strerror) from exc
    if size == 0:
        raise EmptyFileError(path)
    if path.suffix.lower() == ".txt":
        return _read_text_file(path)
    with path.open("rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" not in head:
        raise NotAPdfError(path)
    return _read_pdf(path)


def _read_text_file(path: Path) -> list[PageText]:
    try:
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputFileError(path, "text files must be UTF-8") from exc
    chunks = raw.split(f"\n{PAGE_BREAK}\n") if f"\n{PAGE_BREAK}\n" in raw else raw.split(PAGE_BREAK)
    return [PageText(number=i, text=chunk) for i, chunk in enumerate(chunks, start=1)]


def _read_pdf(path: Path) -> list[PageText]:
    # Imported here so that `verdicts --help` does not pay for pdfminer.
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        with pdfplumber.open(path) as pdf:
            pages = []
            for page in pdf.pages:
                text = page.extract_text(x_tolerance=2, y_tolerance=3) or ""
                has_layer = bool(text.strip())
                pages.append(PageText(number=page.page_number, text=text, has_text_layer=has_layer))
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect) or "password" in type(cause).__name__.lower():
            raise EncryptedVerdictError(path) from exc
        raise CorruptPdfError(path, type(cause).__name__) from exc
    except (PDFSyntaxError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise CorruptPdfError(path, type(exc).__name__) from exc
    if not pages:
        raise CorruptPdfError(path, "the PDF has no pages")
    return pages
