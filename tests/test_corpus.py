"""The corpus generator (extractor.corpus): variants differ from their source verdicts but keep every fact, the
manifest adds up, and each zoo file is what zoo.json says it is (not how `verdicts screen` handles it)."""

from __future__ import annotations

import json
import re
import zipfile
import zlib
from collections import Counter
from pathlib import Path

import pdfplumber
import pytest

from extractor import corpus
from extractor.fixtures import render_pdf

pikepdf = pytest.importorskip("pikepdf")

COUNT = 12
SEED = 7
FURNITURE = re.compile(r"^(?:Страница \d+ из \d+|Дело № \S+)$")  # running header and footer of every page


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    corpus.write_variants(folder, COUNT, seed=SEED, jobs=2)
    corpus.write_zoo(folder, seed=SEED)
    return folder


@pytest.fixture(scope="module")
def manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def sources() -> dict[str, corpus.Source]:
    return {source.relpath: source for source in corpus.load_sources()}


@pytest.fixture(scope="module")
def zoo(out: Path) -> dict[str, str]:
    return json.loads((out / "zoo.json").read_text(encoding="utf-8"))


def pdf_text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text(x_tolerance=2, y_tolerance=3) or "" for page in pdf.pages)


def tokens(text: str, case_numbers: list[str], officials: list[str]) -> Counter[str]:
    """Words of a verdict without page furniture, the case number and officials' surnames masked."""
    out: Counter[str] = Counter()
    for line in text.splitlines():
        if FURNITURE.match(line.strip()):
            continue
        for token in line.split():
            if any(number in token for number in case_numbers):
                token = "<case number>"
            elif any(token.lstrip("(«").startswith(stem) for stem in officials):
                token = "<official>"
            out[token] += 1
    return out


# --- variants ---------------------------------------------------------------------------------------------------


def test_variants_are_written_cycling_through_the_sources(out: Path, manifest: dict) -> None:
    ordered = corpus.load_sources()
    files = sorted(p.name for p in (out / "verdicts").iterdir())
    assert files == [Path(e["file"]).name for e in manifest["variants"]]
    assert len(files) == COUNT
    for i, entry in enumerate(manifest["variants"]):
        source = ordered[i % len(ordered)]
        assert entry["file"] == f"verdicts/{i + 1:04d}-{source.stem}.pdf"
        assert entry["source"] == source.relpath
        assert (corpus.REPO / entry["source"]).with_suffix(".json").exists()


def test_variants_differ_from_their_source(out: Path, manifest: dict, sources: dict, tmp_path: Path) -> None:
    numbers = [e["case_number"] for e in manifest["variants"]]
    assert len(set(numbers)) == len(numbers)
    originals = {s.gold["case_number"] for s in sources.values()}
    for entry in manifest["variants"][:4]:
        source = sources[entry["source"]]
        render_pdf(source.text, tmp_path / "source.pdf")
        assert (out / entry["file"]).read_bytes() != (tmp_path / "source.pdf").read_bytes()
        assert entry["case_number"] != entry["source_case_number"] == source.gold["case_number"]
        assert entry["case_number"] not in originals
        text = pdf_text(out / entry["file"])
        assert entry["case_number"] in text
        assert not re.search(rf"(?<![\w\-/]){re.escape(entry['source_case_number'])}(?![\w/])", text)
    assert any(e["officials"] for e in manifest["variants"])
    assert len({json.dumps(e["layout"], sort_keys=True) for e in manifest["variants"]}) == COUNT


def test_variants_keep_names_articles_and_terms(out: Path, manifest: dict, sources: dict) -> None:
    """Every word of the source but the case number, the officials' surnames and page furniture is in the
    variant's PDF text as often as in the source: defendants' names, dates, articles, terms."""
    for entry in manifest["variants"]:
        source = sources[entry["source"]]
        numbers = [entry["case_number"], entry["source_case_number"]]
        officials = [*entry["officials"], *entry["officials"].values()]
        before = tokens(source.text, numbers, officials)
        after = tokens(pdf_text(out / entry["file"]), numbers, officials)
        assert before == after, (entry["file"], (before - after) + (after - before))
        for person in source.gold["defendants"]:
            surname = person["name"].split()[0]
            stem = surname[:-1] if len(surname) > 4 else surname
            assert sum(n for t, n in after.items() if t.startswith(stem)) > 0, (entry["file"], surname)
        for charge in (c for p in source.gold["defendants"] for c in p["charges"]):
            assert sum(n for t, n in after.items() if re.search(rf"\b{charge['article']}\b", t)) > 0


def test_officials_swapped_consistently(out: Path, manifest: dict, sources: dict) -> None:
    entry = next(e for e in manifest["variants"] if e["officials"])
    text = pdf_text(out / entry["file"])
    for old, new in entry["officials"].items():
        assert new in text
        assert not re.search(rf"(?<!\w){old}{corpus.ENDINGS}(?!\w)", text)
    names = [p["name"] for p in sources[entry["source"]].gold["defendants"]]
    assert not any(old in name for old in entry["officials"] for name in names)


def test_manifest_totals_add_up(manifest: dict, sources: dict) -> None:
    entries = manifest["variants"]
    people = [d for e in entries for d in e["defendants"]]
    totals = manifest["totals"]
    assert totals["documents"] == len(entries) == COUNT
    assert totals["defendants"] == len(people)
    assert totals["decisions"] == dict(Counter(d["decision"] for d in people))
    assert sum(totals["decisions"].values()) == totals["defendants"]
    assert totals["needs_review"] == sum(d["needs_review"] for d in people)
    assert manifest["law"] == "kz-2022-152-VII"
    for entry in entries:
        gold = sources[entry["source"]].gold
        assert [d["name"] for d in entry["defendants"]] == [p["name"] for p in gold["defendants"]]
        assert entry["defendants"] == list(corpus.expected_decisions(gold))


def test_same_seed_same_bytes(out: Path, manifest: dict, tmp_path: Path) -> None:
    again = corpus.plan_variants(corpus.load_sources(), 3, SEED)
    assert [v.case_number for v in again] == [e["case_number"] for e in manifest["variants"][:3]]
    corpus.render_variants(again[:2], tmp_path, jobs=1)
    for variant in again[:2]:
        assert (tmp_path / variant.file_name).read_bytes() == (out / "verdicts" / variant.file_name).read_bytes()
    other = corpus.plan_variants(corpus.load_sources(), 3, SEED + 1)
    assert [v.text for v in other] != [v.text for v in again]


def test_a_variation_that_touches_a_fact_is_refused() -> None:
    source = corpus.load_sources()[0]
    tampered = source.text.replace("2022 года", "2021 года", 1)
    with pytest.raises(AssertionError):
        corpus.check_facts_kept(source.text, tampered, None, {})


# --- zoo --------------------------------------------------------------------------------------------------------


def test_zoo_lists_every_file_with_a_known_outcome(out: Path, zoo: dict[str, str]) -> None:
    folder = out / "zoo"
    assert sorted(p.name for p in folder.iterdir()) == sorted(zoo)
    assert set(zoo.values()) == {*corpus.REASONS, "read"}
    assert len(zoo) >= 20
    assert sum((folder / name).lstat().st_size for name in zoo) < 5_000_000


def test_zoo_files_that_are_not_pdfs(out: Path, zoo: dict[str, str]) -> None:
    folder = out / "zoo"
    for name in (n for n, outcome in zoo.items() if outcome == "not_a_pdf"):
        assert b"%PDF-" not in (folder / name).read_bytes()[:1024]
    assert (folder / "photo.pdf").read_bytes()[:3] == b"\xff\xd8\xff"
    with zipfile.ZipFile(folder / "word-document.pdf") as docx:
        assert "word/document.xml" in docx.namelist()
    assert (folder / "empty.pdf").stat().st_size == 0


def pages_read(path: Path) -> int | None:
    """How many pages pdfplumber opens and reads, or None when it raises."""
    try:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
            return len(pdf.pages)
    except Exception:  # pdfminer raises several kinds
        return None


def test_zoo_damaged_pdfs(out: Path) -> None:
    folder = out / "zoo"
    real = corpus.zoo_kit(SEED).verdict_pdf
    assert (folder / "truncated.pdf").read_bytes() == real[: len(real) // 2]
    assert (folder / "garbage-xref.pdf").read_bytes().startswith(b"%PDF-")
    assert pages_read(folder / "truncated.pdf") is None
    assert pages_read(folder / "garbage-xref.pdf") in (None, 0)  # pdfminer finds no page in it
    with pytest.raises(pikepdf.PdfError):
        pikepdf.open(folder / "garbage-xref.pdf")


def test_zoo_encrypted_pdfs(out: Path) -> None:
    folder = out / "zoo"
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(folder / "password-protected.pdf")
    with pikepdf.open(folder / "password-protected.pdf", password="password") as pdf:
        assert pdf.is_encrypted and len(pdf.pages) == 3
    with pikepdf.open(folder / "owner-password-no-copy.pdf") as pdf:
        assert pdf.is_encrypted
        assert not pdf.allow.extract and not pdf.allow.print_highres and not pdf.allow.modify_other
    assert "ПРИГОВОРИЛ" in pdf_text(folder / "owner-password-no-copy.pdf")


def test_zoo_pdfs_too_big_to_read(out: Path) -> None:
    folder = out / "zoo"
    with pikepdf.open(folder / "2000-pages.pdf") as pdf:
        assert len(pdf.pages) == 2000
    assert (folder / "2000-pages.pdf").stat().st_size < 1_000_000
    with pikepdf.open(folder / "image-bomb.pdf") as pdf:
        assert len(pdf.pages) == 1
        image = pdf.pages[0].Resources.XObject.Im0
        assert int(image.Width) * int(image.Height) > 1e9
        once = zlib.decompress(image.read_raw_bytes())  # the outer Flate layer; the inner one inflates to 1.6 GB
        assert zlib.decompressobj().decompress(once, 1 << 20) == bytes(1 << 20)
    assert (folder / "image-bomb.pdf").stat().st_size < 100_000


def test_zoo_slow_pdf_has_its_characters(out: Path) -> None:
    """How long it takes to read is not measured here (about 24 s on an idle core): only that its one page has the characters."""
    with pikepdf.open(out / "zoo" / "slow-text.pdf") as pdf:
        assert len(pdf.pages) == 1
        content = pdf.pages[0].Contents.read_bytes()
    assert len(re.findall(rb"\((.)\) Tj", content)) == corpus.SLOW_CHARS


def test_zoo_documents_that_are_not_verdicts(out: Path) -> None:
    folder = out / "zoo"
    civil = pdf_text(folder / "civil-decision.pdf")
    assert all(word in civil for word in ("РЕШИЛ:", "исковому заявлению", "Истец", "ответчик"))
    invoice = pdf_text(folder / "invoice.pdf")
    assert "Счет на оплату № 17" in invoice and "Итого к оплате" in invoice
    for name in ("civil-decision.pdf", "invoice.pdf", "blank-page.pdf"):
        with pdfplumber.open(folder / name) as pdf:
            assert len(pdf.pages) == 1
        assert not re.search(r"ПРИГОВОРИЛ|ПОСТАНОВИЛ|приговор", pdf_text(folder / name))
    assert pdf_text(folder / "blank-page.pdf").strip() == ""


def test_zoo_files_that_cannot_be_opened(out: Path) -> None:
    folder = out / "zoo"
    link = folder / "dangling-link.pdf"
    assert link.is_symlink() and not link.exists()
    assert (folder / "no-permission.pdf").stat().st_mode & 0o777 == 0


def test_zoo_awkward_verdicts_read_fine(out: Path, zoo: dict[str, str]) -> None:
    folder = out / "zoo"
    odd_name = next(name for name in zoo if name.endswith(".PDF"))
    assert " " in odd_name and re.search("[а-я]", odd_name)
    for name in (odd_name, "incremental-update.pdf", "linearized.pdf", "owner-password-no-copy.pdf"):
        assert zoo[name] == "read"
        text = pdf_text(folder / name)
        assert "ПРИГОВОРИЛ" in text and "Ермекова Бекзата Талгатовича" in text
    raw = (folder / "incremental-update.pdf").read_bytes()
    assert raw.count(b"%%EOF") == 2 and b"/Prev" in raw
    with pdfplumber.open(folder / "incremental-update.pdf") as pdf:
        assert pdf.metadata["Producer"] == "Court records 2.4"
        assert pdf.pages[0].annots[0]["contents"] == "Копия верна"
    with pikepdf.open(folder / "linearized.pdf") as pdf:
        assert pdf.is_linearized
    with pdfplumber.open(folder / "scan-150dpi.pdf") as pdf:
        assert not any(page.chars for page in pdf.pages)
        assert all(page.images for page in pdf.pages)
