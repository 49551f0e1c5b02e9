"""Reading PDFs: body text without running headers and page numbers, offsets that point back to pages,
and one clear error per bad file."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

from extractor.document import build_document
from extractor.errors import CorruptPdfError, EmptyFileError, EncryptedVerdictError, NotAPdfError
from extractor.fixtures import render_pdf, render_scan
from extractor.ocr import OcrSettings
from extractor.pages import PageText, read_pages
from extractor.pipeline import process_verdict


def test_running_header_and_page_numbers_are_not_body(rendered: dict[str, Path]) -> None:
    pages = read_pages(rendered["ru-001-theft-prior-conviction"])
    assert len(pages) >= 3
    assert all("Страница" in page.text for page in pages)  # the furniture is on the page...
    body = build_document(pages)
    assert "Страница" not in body.text  # ...but not in the body
    assert body.text.count("Дело № 1-312/2022") <= 1


def test_sentence_across_a_page_break_is_contiguous(tmp_path: Path) -> None:
    pdf = tmp_path / "split.pdf"
    text = "Дело № 1-1/2022\nПервая страница.\nпредусмотренного ч.2\n\f\nст.272 УК РК, и далее.\n\f\nТретья.\n"
    render_pdf(text, pdf)
    body = build_document(read_pages(pdf))
    start = body.text.index("ч.2")
    end = body.text.index("УК РК") + len("УК РК")
    assert "Страница" not in body.text[start:end]
    pieces = body.evidence(start, end)
    assert [piece.page for piece in pieces] == [1, 2]
    pages = read_pages(pdf)
    for piece in pieces:
        assert pages[piece.page - 1].text[piece.start : piece.end] == piece.text


def test_headers_detected_from_repetition_not_from_a_list() -> None:
    pages = [
        PageText(1, "Приговор по делу 1-5/2022\nТекст первой страницы.\n- 1 -"),
        PageText(2, "Приговор по делу 1-5/2022\nТекст второй страницы.\n- 2 -"),
        PageText(3, "Приговор по делу 1-5/2022\nТекст третьей страницы.\n- 3 -"),
    ]
    body = build_document(pages)
    assert body.text == "Текст первой страницы.\nТекст второй страницы.\nТекст третьей страницы."


def test_image_only_page_is_flagged(tmp_path: Path, rendered: dict[str, Path]) -> None:
    scan = tmp_path / "scan.pdf"
    render_scan(rendered["ru-020-termination-reconciliation"], scan, dpi=60)
    facts = process_verdict(scan, OcrSettings(enabled=False))  # with OCR off the page stays empty, and says so
    assert facts.source.pages >= 1
    assert {flag.code for flag in facts.review_flags} == {"no_text_layer"}
    assert facts.defendants == []


@pytest.fixture
def good_pdf(rendered: dict[str, Path]) -> Path:
    return rendered["ru-001-theft-prior-conviction"]


def test_encrypted_pdf(tmp_path: Path, good_pdf: Path) -> None:
    locked = tmp_path / "locked.pdf"
    with pikepdf.open(good_pdf) as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(owner="owner", user="secret", R=6))
    with pytest.raises(EncryptedVerdictError) as info:
        read_pages(locked)
    assert str(locked) in str(info.value)


def test_truncated_pdf(tmp_path: Path, good_pdf: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(good_pdf.read_bytes()[:2000])
    with pytest.raises(CorruptPdfError) as info:
        read_pages(broken)
    assert "broken.pdf" in str(info.value)


def test_empty_and_not_pdf(tmp_path: Path) -> None:
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(EmptyFileError):
        read_pages(empty)
    word = tmp_path / "verdict.pdf"
    word.write_bytes(b"PK\x03\x04 not a pdf at all")
    with pytest.raises(NotAPdfError) as info:
        read_pages(word)
    assert "verdict.pdf" in str(info.value)
