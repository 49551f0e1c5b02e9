"""Scanned verdicts through the whole pipeline: routing, OCR, confusion fixes, confidences, cache, archive copy.

The scans are made at test time from the fixture verdicts (grey paper, rotated up to 1.5°, noise; 300 dpi, and
one at 150 dpi), and OCRed with Tesseract into a cache in the test's temporary folder (the archive copy with
OCRmyPDF).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pikepdf
import pytest
from typer.testing import CliRunner

from extractor.cli import app
from extractor.errors import ExitCode
from extractor.fixtures import render_scan
from extractor.ocr import OcrSettings, OcrUnavailableError, _cached
from extractor.ocr_fixes import fix_ocr_text
from extractor.pages import read_pages
from extractor.pipeline import process_verdict
from models import TextSource, VerdictFacts

ROOT = Path(__file__).resolve().parent.parent
SCANNED = ("ru-001-theft-prior-conviction", "ru-008-dangerous-recidivism-robbery")
# A Kazakh verdict (two defendants) and an English translation, scanned the same way.
SCANNED_OTHER = ("kk-002-two-defendants-recidivism-taldykorgan", "en-002-theft-188-2-4-prior-conviction")
SETTINGS = OcrSettings(jobs=2)
KEY_FLAGS = {"charges", "sentence", "recidivism", "riots_connection", "exclusion_markers"}


@pytest.fixture(scope="session")
def ocr_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("ocr-cache")


@pytest.fixture(autouse=True)
def _cache(ocr_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VERDICTS_CACHE", str(ocr_cache))


@pytest.fixture(scope="session")
def scans(rendered: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Image-only scans of some fixtures at 300 dpi, one at 150 dpi, and a mixed file (text page + scans)."""
    out = tmp_path_factory.mktemp("scans")
    made = {}
    for seed, name in enumerate((*SCANNED, *SCANNED_OTHER), start=1):
        made[name] = out / f"{name}.pdf"
        render_scan(rendered[name], made[name], seed=seed)
    made["150dpi"] = out / "ru-016-arrest-insult-police-150dpi.pdf"
    render_scan(rendered["ru-016-arrest-insult-police"], made["150dpi"], dpi=150, seed=7)
    # Mixed: the born-digital first page, then the scanned others.
    source = rendered["ru-002-three-participants-riots"]
    scanned = out / "ru-002-scanned.pdf"
    render_scan(source, scanned, seed=3)
    made["mixed"] = out / "ru-002-three-participants-riots-mixed.pdf"
    with pikepdf.open(source) as text_pdf, pikepdf.open(scanned) as image_pdf:
        mixed = pikepdf.new()
        mixed.pages.append(text_pdf.pages[0])
        mixed.pages.extend(image_pdf.pages[1:])
        mixed.save(made["mixed"])
    return made


@pytest.fixture(scope="session")
def read(scans: dict[str, Path], ocr_cache: Path) -> dict[str, VerdictFacts]:
    import os

    os.environ["VERDICTS_CACHE"] = str(ocr_cache)
    return {name: process_verdict(path, SETTINGS) for name, path in scans.items()}


def gold(name: str) -> dict:
    (path,) = (ROOT / "fixtures" / "verdicts").glob(f"**/{name}.json")
    return json.loads(path.read_text(encoding="utf-8"))


def key_facts(person: dict) -> tuple:
    charges = sorted((c["article"], c.get("part"), c.get("paragraph")) for c in person["charges"])
    sentence = person.get("sentence") or {}
    return (
        charges,
        (sentence.get("kind"), sentence.get("term_months")),
        person["recidivism"],
        person["riots_connection"],
        sorted(person.get("exclusion_markers", [])),
    )


def plain(person) -> dict:
    data = json.loads(person.model_dump_json())
    for name in ("recidivism", "riots_connection"):
        data[name] = data[name]["value"]
    data["exclusion_markers"] = [m["value"] for m in data["exclusion_markers"]]
    return data


@pytest.mark.parametrize("name", (*SCANNED, *SCANNED_OTHER))
def test_a_300_dpi_scan_gives_the_gold_key_facts(read: dict[str, VerdictFacts], name: str) -> None:
    facts = read[name]
    assert facts.source.ocr_pages == list(range(1, facts.source.pages + 1))
    expected = {p["name"]: key_facts(p) for p in gold(name)["defendants"]}
    got = {p.name.value: key_facts(plain(p)) for p in facts.defendants}
    assert got == expected


def test_ocr_evidence_quotes_the_page_as_read(read: dict[str, VerdictFacts], scans: dict[str, Path]) -> None:
    """Evidence offsets index the OCR text as Tesseract read it, even where a confusion was fixed."""
    facts = read["ru-001-theft-prior-conviction"]
    pages = read_pages(scans["ru-001-theft-prior-conviction"], SETTINGS)
    pieces = [e for p in facts.defendants for c in p.charges for e in c.evidence]
    assert pieces and all(e.source is TextSource.ocr for e in pieces)
    for piece in pieces:
        assert pages[piece.page - 1].quoted[piece.start : piece.end] == piece.text
    # The operative citation quotes what Tesseract read; corrected, it is the charge the fact names.
    (charge,) = facts.defendants[0].charges
    citation = next(e.text for e in charge.evidence if e.pattern_id == "law_ref_chain")
    assert charge.cite() in fix_ocr_text(citation).text


def test_a_mixed_file_ocrs_only_its_image_pages(read: dict[str, VerdictFacts], scans: dict[str, Path]) -> None:
    facts = read["mixed"]
    assert facts.source.ocr_pages == list(range(2, facts.source.pages + 1))
    pages = read_pages(scans["mixed"], SETTINGS)
    assert pages[0].source is TextSource.text_layer and all(p.source is TextSource.ocr for p in pages[1:])
    expected = {p["name"]: key_facts(p) for p in gold("ru-002-three-participants-riots")["defendants"]}
    assert {p.name.value: key_facts(plain(p)) for p in facts.defendants} == expected


def test_a_poor_150_dpi_scan_is_flagged_where_it_is_wrong(read: dict[str, VerdictFacts]) -> None:
    """Degradation may cost facts, but never silently: each wrong key fact carries a review flag."""
    facts = read["150dpi"]
    expected = {p["name"]: p for p in gold("ru-016-arrest-insult-police")["defendants"]}
    flagged = {(f.defendant, f.field.split(".")[0]) for f in facts.review_flags}
    found = {p.name.value for p in facts.defendants}
    if set(expected) - found:  # a defendant lost to OCR must leave a document-level flag
        assert any(f.defendant is None for f in facts.review_flags)
    for person in facts.defendants:
        want = expected.get(person.name.value)
        if want is None:
            continue
        for field, got, wanted in zip(
            ("charges", "sentence", "recidivism", "riots_connection", "exclusion_markers"),
            key_facts(plain(person)),
            key_facts(want),
            strict=True,
        ):
            if got != wanted:
                assert (person.name.value, field) in flagged or (None, field) in flagged, (field, got, wanted)


def test_a_second_read_uses_the_cache(scans: dict[str, Path], read: dict[str, VerdictFacts], monkeypatch) -> None:
    from extractor import ocr

    def no_ocr(*args, **kwargs):
        raise AssertionError("OCR ran although the file's hOCR is cached")

    monkeypatch.setattr(ocr, "_tesseract", no_ocr)
    monkeypatch.setattr(ocr, "_ocrmypdf", no_ocr)
    started = time.perf_counter()
    again = process_verdict(scans["ru-008-dangerous-recidivism-robbery"], SETTINGS)
    assert time.perf_counter() - started < 10
    assert again.model_dump(exclude={"extractor_version"}) == read["ru-008-dangerous-recidivism-robbery"].model_dump(
        exclude={"extractor_version"}
    )


def test_ocr_command_writes_a_searchable_pdf(scans: dict[str, Path], tmp_path: Path) -> None:
    import pdfplumber

    target = tmp_path / "archive.pdf"
    result = CliRunner().invoke(app, ["ocr", str(scans["ru-001-theft-prior-conviction"]), str(target)])
    assert result.exit_code == 0, result.stderr
    with pdfplumber.open(target) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert "ПРИГОВОРИЛ" in text and "Тулегенов" in text


def test_missing_tesseract_is_a_clear_error(scans: dict[str, Path], monkeypatch, tmp_path: Path) -> None:
    import shutil

    monkeypatch.setenv("VERDICTS_CACHE", str(tmp_path / "empty-cache"))
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(OcrUnavailableError, match="tesseract-ocr") as raised:
        read_pages(scans["150dpi"], SETTINGS)
    assert str(scans["150dpi"]) in str(raised.value)
    assert raised.value.exit_code == ExitCode.other_error


@pytest.mark.parametrize("turn", [-2.5, -0.8, 1.5, 4.0])
def test_skew_is_measured_from_the_text_lines(rendered: dict[str, Path], turn: float) -> None:
    """A page turned by a known angle is measured back to within 0.2° (quarter turns are Tesseract's job)."""
    import pypdfium2

    from extractor.ocr import skew_angle

    document = pypdfium2.PdfDocument(str(rendered["ru-001-theft-prior-conviction"]))
    try:
        page = document[0].render(scale=150 / 72, grayscale=True).to_pil()
    finally:
        document.close()
    turned = page.rotate(turn, fillcolor=255)
    assert skew_angle(turned) == pytest.approx(-turn, abs=0.2)


def test_a_broken_cache_entry_is_a_miss_not_a_crash(tmp_path: Path) -> None:
    entry = tmp_path / "entry"
    entry.mkdir()
    (entry / "000001_ocr_hocr.hocr").write_text("<html/>")
    (entry / "done.json").write_text("")  # a write cut short
    assert not _cached(entry, [1])
    (entry / "done.json").write_text(json.dumps({"pages": [1, 2]}))
    assert not _cached(entry, [1, 2])  # page 2's hOCR is missing
    assert _cached(entry, [1])


def test_kazakh_letters_need_tesseracts_kazakh_model(scans: dict[str, Path], read: dict[str, VerdictFacts]) -> None:
    """A Kazakh scan read with rus+kaz keeps nearly all of ә ғ қ ң ө ұ ү һ і; read as Russian and English only,
    Tesseract turns them into their Russian look-alikes (қ -> к, ұ -> у, і -> !)."""
    from extractor.ocr_letters import score_documents

    name = "kk-002-two-defendants-recidivism-taldykorgan"
    assert read[name].source.language == "kk"
    (source,) = (ROOT / "fixtures" / "verdicts").glob(f"**/{name}.txt")
    text = source.read_text(encoding="utf-8").split("\f")

    def share(settings: OcrSettings) -> float:
        pages = [page.text for page in read_pages(scans[name], settings)]
        scores = score_documents([(text, pages)]).values()
        return sum(s.read for s in scores) / sum(s.seen for s in scores)

    with_kazakh = share(SETTINGS)
    without = share(OcrSettings(jobs=2, languages=("rus", "eng")))
    assert with_kazakh >= 0.9, with_kazakh
    assert without < with_kazakh - 0.2, (with_kazakh, without)


def test_every_kazakh_letter_survives_a_scan(tmp_path: Path) -> None:
    """The fixtures never use һ (it lives in loanwords), so a page of words with all nine letters, scanned like
    the fixtures, is read letter by letter: each of ә ғ қ ң ө ұ ү һ і comes back at least 9 times in 10."""
    from extractor.fixtures import render_pdf
    from extractor.ocr_letters import KAZAKH_ONLY, score_documents

    words = (
        "Қаһарман шаһардағы жиһаз дүкенінде әділ ғалым өзінің ұлына үнсіз қарады. Гауһар тасты Жиһангер "
        "ағасы сатып алды. Мұнда өнер, ғылым және әдебиет туралы көңілді әңгіме болды. Сотталушы Нұрланұлы "
        "Әлихан жәбірленуші Гүлнәр Ерғалиқызының талабын мойындады. Шаһизада ауылындағы қаһармандық іс."
    )
    text = "\n".join([words] * 6)
    pdf, scan = tmp_path / "letters.pdf", tmp_path / "letters-scan.pdf"
    render_pdf(text, pdf)
    render_scan(pdf, scan, seed=11)
    pages = [page.text for page in read_pages(scan, SETTINGS)]
    scores = score_documents([([text], pages)])
    for letter in KAZAKH_ONLY:
        assert scores[letter].seen >= 6, letter
        assert scores[letter].accuracy >= 0.9, (letter, scores[letter].accuracy, scores[letter].misread)


def test_a_scan_is_the_same_for_the_same_seed(rendered: dict[str, Path], tmp_path: Path) -> None:
    """The synthetic photocopies are reproducible: the tests and the README's scanned figures read the same
    pixels on every machine (Pillow's own noise, unseeded, once made CI read a heading this machine read)."""
    import pypdfium2

    def pixels(seed: int, name: str) -> list[bytes]:
        out = tmp_path / f"{name}.pdf"
        render_scan(rendered["ru-016-arrest-insult-police"], out, dpi=100, seed=seed)
        document = pypdfium2.PdfDocument(str(out))
        try:
            return [page.render(scale=1, grayscale=True).to_pil().tobytes() for page in document]
        finally:
            document.close()

    assert pixels(5, "a") == pixels(5, "b")
    assert pixels(5, "a") != pixels(6, "c")


@pytest.mark.parametrize("first_page_seconds", [0.0, 0.5])
def test_which_languages_read_a_page_does_not_depend_on_timing(
    scans: dict[str, Path], tmp_path: Path, monkeypatch, first_page_seconds: float
) -> None:
    """Pages 1 and 2 with every language, 3 and later with those page 1 showed, however long page 1 takes (the
    clock once decided it, so a slower machine read a page with other languages)."""
    import subprocess
    from types import SimpleNamespace

    from extractor import ocr

    asked: dict[int, str] = {}

    def tesseract(command, **kwargs):
        number = int(Path(command[2]).name[:6])
        if number == 1:
            time.sleep(first_page_seconds)
        asked[number] = command[command.index("-l") + 1]
        return SimpleNamespace(returncode=0, stderr="")

    monkeypatch.setattr(subprocess, "run", tesseract)
    monkeypatch.setattr(ocr, "read_hocr", lambda folder, number: SimpleNamespace(text="ҮКІМ Қазақстан"))
    ocr._tesseract(scans["kk-002-two-defendants-recidivism-taldykorgan"], tmp_path, [1, 2, 3, 4], SETTINGS)
    assert asked == {1: "rus+kaz+eng", 2: "rus+kaz+eng", 3: "rus+kaz", 4: "rus+kaz"}
