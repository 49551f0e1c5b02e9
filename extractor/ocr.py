"""OCR for scanned pages: which pages need it, Tesseract to hOCR, and the words with their confidence.

For extraction each page is rendered at 300 dpi with pdfium and read by Tesseract (orientation and script
detection on), several pages at once with one Tesseract thread each. For an archive copy OCRmyPDF runs in two
halves (its ``_pdf_to_hocr`` / ``_hocr_to_ocr_pdf`` API): the first deskews, rotates and OCRs the page images into
hOCR, the second renders the searchable PDF/A from the same hOCR, so those pages are not OCRed twice. hOCR keeps
every word's box and confidence, and is cached under the file's sha256 and the OCR settings, so a second run
over the same scans reads the cache.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from PIL import Image

from extractor.errors import VerdictError
from extractor.ocr_fixes import CYRILLIC, LOOKALIKE_LETTERS

DEFAULT_LANGUAGES = ("rus", "kaz", "eng")
DPI = 300  # the resolution pages are rendered at for Tesseract
MAX_PIXELS = 60_000_000  # a page larger than ~A0 at 300 dpi is not a verdict page (and would exhaust memory)
# Routing: a text layer shorter than this (characters, spaces excluded) is not a page of a verdict's text.
MIN_LAYER_CHARS = 200
LATIN = re.compile(r"[A-Za-z]")
LATIN_WORD = re.compile(r"(?<![A-Za-z])[A-Za-z]{3,}(?![A-Za-z])")
KAZAKH_LETTERS = re.compile(r"[ӘәҒғҚқҢңӨөҰұҮүҺһІі]")
MOJIBAKE = re.compile(r"[ÐÑÃÂ][\x80-\xbf]|[\ufffd]|Ð[°-¿]|Ñ[€-]")
XHTML = "{http://www.w3.org/1999/xhtml}"
WCONF = re.compile(r"x_wconf (\d+)")
BBOX = re.compile(r"bbox (\d+) (\d+) (\d+) (\d+)")
LINE_CLASSES = {"ocr_line", "ocr_header", "ocr_caption", "ocr_textfloat"}


class OcrUnavailableError(VerdictError):
    """Pages need OCR and it cannot run: Tesseract, a language or Ghostscript missing, or OCRmyPDF failed."""

    code = "ocr_unavailable"
    message = "the page images need OCR, which could not run"


@dataclass(frozen=True)
class Word:
    """One recognised word: where it is in the page text, and how sure Tesseract was (0-1)."""

    start: int
    end: int
    confidence: float
    bbox: tuple[int, int, int, int] | None = None  # x0, top, x1, bottom in the 300 dpi page image (for highlights)


@dataclass(frozen=True)
class OcrPage:
    number: int
    text: str
    words: tuple[Word, ...] = field(default=())


def _default_jobs() -> int:
    # Pages at once per file when the settings do not say (batches set ``OcrSettings.jobs``); one by default.
    return int(os.environ.get("VERDICTS_OCR_JOBS", "1"))


@dataclass(frozen=True)
class OcrSettings:
    """How scanned pages are read.

    ``engine="tesseract"`` (for extraction) renders each page at 300 dpi with pdfium, levels it (``deskew``, by
    projection profile) and runs Tesseract with orientation and script detection (``--psm 1``: a page turned a
    quarter or upside down is read in its orientation). ``engine="ocrmypdf"`` runs OCRmyPDF, which deskews and
    rotates the page images with its own tools; it is what writes the searchable PDF/A, and costs about twice
    the time per page.
    """

    languages: tuple[str, ...] = DEFAULT_LANGUAGES
    engine: str = "tesseract"
    deskew: bool = True
    rotate_pages: bool = True  # ocrmypdf engine (the tesseract engine lets Tesseract's OSD turn pages)
    narrow_languages: bool = True  # tesseract engine: pages after the second only with those page 1 showed
    jobs: int = 0  # pages at once; 0: decided when OCR runs (see ``pages_at_once``)
    enabled: bool = True

    def pages_at_once(self) -> int:
        return self.jobs or _default_jobs()

    def key(self) -> str:
        langs = "+".join(self.languages)
        if self.engine == "ocrmypdf":
            return f"{langs}-ocrmypdf-d{int(self.deskew)}-r{int(self.rotate_pages)}"
        # n2: narrowed from the third page on (entries of n1 narrowed whenever the first page was done)
        narrow = "n2" if self.narrow_languages else "n0"
        return f"{langs}-tesseract-psm1-d{int(self.deskew)}-{narrow}"


def routing_reason(text: str, image_coverage: float = 1.0) -> str | None:
    """Why a page's text layer cannot be used (so the page needs OCR), or None when it can.

    ``image_coverage`` is the share of the page covered by images: a short text layer over a full-page image
    is a scan with a stamp or a caption in text, while a short text layer alone is a short page.

    >>> routing_reason("", image_coverage=0.98)
    'no text layer'
    >>> routing_reason("", image_coverage=0.0) is None  # a blank page
    True
    >>> routing_reason("Копия верна", image_coverage=0.95)
    'the text layer has only 10 characters over a page image'
    >>> routing_reason("Председательствующий Сапарова Г.К.", image_coverage=0.0) is None
    True
    >>> routing_reason("Ð¿Ñ€Ð¸Ð³Ð¾Ð²Ð¾Ñ€ " * 40)
    'the text layer is mojibake'
    """
    letters = "".join(text.split())
    if not letters:
        return "no text layer" if image_coverage > 0.05 else None
    if len(letters) < MIN_LAYER_CHARS and image_coverage >= 0.5:
        return f"the text layer has only {len(letters)} characters over a page image"
    if len(MOJIBAKE.findall(text)) > len(letters) // 50:
        return "the text layer is mojibake"
    cyrillic, latin = len(CYRILLIC.findall(text)), len(LATIN.findall(text))
    if latin > 2 * cyrillic and latin > 100 and _lookalike_share(text) > 0.9:
        return "the text layer has Latin look-alikes where Cyrillic belongs"
    return None


def _lookalike_share(text: str) -> float:
    """Share of Latin letters that have a Cyrillic twin (A, B, C, E, H, K, M, O, P, T, X ...)."""
    latin = LATIN.findall(text)
    return sum(ch in LOOKALIKE_LETTERS for ch in latin) / len(latin) if latin else 0.0


def cache_root() -> Path:
    """Where OCR results are kept: ``$VERDICTS_CACHE``, else ``$XDG_CACHE_HOME/verdicts``, else ``~/.cache``."""
    if os.environ.get("VERDICTS_CACHE"):
        return Path(os.environ["VERDICTS_CACHE"])
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "verdicts"


def cache_dir(sha256: str, settings: OcrSettings) -> Path:
    return cache_root() / "ocr" / sha256[:2] / f"{sha256}-{settings.key()}"


def preflight(path: Path, settings: OcrSettings) -> None:
    """Tesseract with the languages asked for (and its orientation model), and for OCRmyPDF Ghostscript,
    checked before the first page is OCRed."""
    if not shutil.which("tesseract"):
        raise OcrUnavailableError(path, "tesseract is not installed: apt-get install tesseract-ocr")
    if settings.engine == "ocrmypdf" and not shutil.which("gs"):
        raise OcrUnavailableError(path, "Ghostscript is not installed: apt-get install ghostscript")
    listed = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True).stdout.split()
    missing = {*settings.languages, "osd"} - set(listed)
    if missing:
        packages = " ".join(f"tesseract-ocr-{lang}" for lang in sorted(missing))
        raise OcrUnavailableError(path, f"Tesseract has no {', '.join(sorted(missing))}: apt-get install {packages}")


# What the cache keeps of the OCR work folder: the hOCR of each page (words, boxes, confidences).
KEEP = ("_ocr_hocr.hocr", "done.json")


def _cached(folder: Path, pages: list[int]) -> bool:
    """A complete cache entry for these pages: its ``done.json`` reads, and every page's hOCR is there."""
    try:
        done = json.loads((folder / "done.json").read_text())
    except (OSError, ValueError):
        return False
    return set(done.get("pages", [])) >= set(pages) and all((folder / f"{n:06d}_ocr_hocr.hocr").exists() for n in pages)


def ocr_to_hocr(
    path: Path, sha256: str, pages: list[int], settings: OcrSettings, searchable: Path | None = None
) -> Path:
    """OCR ``pages`` (1-based) of ``path`` into hOCR files in the cache folder, unless they are there already.

    With ``searchable``, OCRmyPDF does the work and also writes the searchable PDF/A there (the page images it
    needs are only kept until then, so asking for it on a cached file OCRs the file again). The work is done in
    a private folder moved into place when complete, so a crash or a second worker on the same file never leaves
    or reads a half-written entry.
    """
    if searchable is not None:
        settings = replace(settings, engine="ocrmypdf")
    folder = cache_dir(sha256, settings)
    if searchable is None and _cached(folder, pages):
        return folder
    preflight(path, settings)
    work = folder.with_name(f"{folder.name}.work-{os.getpid()}")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    started = time.perf_counter()
    try:
        if settings.engine == "ocrmypdf":
            # OCRmyPDF starts Tesseract itself: one thread each, as many pages at once as it is given jobs.
            os.environ["OMP_THREAD_LIMIT"] = "1"
            _ocrmypdf(path, work, pages, settings, searchable)
        else:
            _tesseract(path, work, pages, settings)
        for item in work.iterdir():
            if item.is_dir():
                shutil.rmtree(item)
            elif not item.name.endswith(KEEP):
                item.unlink()
        seconds = round(time.perf_counter() - started, 3)
        (work / "done.json").write_text(json.dumps({"pages": pages, "settings": settings.key(), "seconds": seconds}))
        shutil.rmtree(folder, ignore_errors=True)
        try:
            work.rename(folder)
        except OSError:  # another worker put the same entry in place first: theirs is as good as ours
            shutil.rmtree(work, ignore_errors=True)
    except OcrUnavailableError:
        shutil.rmtree(work, ignore_errors=True)
        raise
    except Exception as exc:  # pdfium, disk, a vanished file: one line naming the file, the batch goes on
        shutil.rmtree(work, ignore_errors=True)
        raise OcrUnavailableError(path, f"{type(exc).__name__}: {exc}") from exc
    return folder


def languages_needed(text: str, languages: tuple[str, ...]) -> tuple[str, ...]:
    """The languages a first page shows the document needs: Kazakh if its letters appear, English if Latin
    words do; the first language always. (Tesseract reads a page about a quarter faster with Russian alone.)

    >>> languages_needed("Приговор именем Республики Казахстан", ("rus", "kaz", "eng"))
    ('rus',)
    >>> languages_needed("Қазақстан Республикасының атынан ҮКІМ", ("rus", "kaz", "eng"))
    ('rus', 'kaz')
    >>> languages_needed("марки Samsung Galaxy, модель Toyota Camry", ("rus", "kaz", "eng"))
    ('rus', 'eng')
    """
    keep = [languages[0]]
    if "kaz" in languages[1:] and KAZAKH_LETTERS.search(text):
        keep.append("kaz")
    if "eng" in languages[1:] and len(LATIN_WORD.findall(text)) >= 2:
        keep.append("eng")
    keep += [lang for lang in languages[1:] if lang not in ("kaz", "eng")]
    return tuple(keep)


def _tesseract(path: Path, folder: Path, pages: list[int], settings: OcrSettings) -> None:
    """Render and level each page with pdfium (one at a time: pdfium is not thread-safe) while Tesseract reads
    the ones already rendered, ``settings.pages_at_once()`` at a time; at most one page waits rendered ahead
    of each running Tesseract, so images do not pile up in memory or on disk. Pages are read with all the
    languages asked for; with ``narrow_languages`` the third and later pages only with those the first page
    showed to be needed (the same pages with the same languages on every machine)."""
    import pypdfium2

    # One thread per Tesseract: several pages at once would oversubscribe the cores otherwise.
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    languages = settings.languages

    def read(number: int, image: Path, langs: tuple[str, ...]) -> None:
        command = ["tesseract", str(image), str(folder / f"{number:06d}_ocr_hocr"), "-l", "+".join(langs)]
        try:
            done = subprocess.run(
                [*command, "--psm", "1", "--dpi", str(DPI), "hocr"], capture_output=True, text=True, env=env
            )
        finally:
            image.unlink(missing_ok=True)
        if done.returncode != 0:
            raise OcrUnavailableError(path, f"Tesseract failed on page {number}: {done.stderr.strip()[:200]}")

    at_once = settings.pages_at_once()
    narrowing = settings.narrow_languages and len(languages) > 1
    document = pypdfium2.PdfDocument(str(path))
    try:
        with ThreadPoolExecutor(max_workers=at_once) as pool:
            running: list = []
            first = None
            for i, number in enumerate(pages):
                while len(running) > at_once:  # wait for the oldest before rendering more
                    running.pop(0).result()
                page = document[number - 1]
                width, height = page.get_size()
                if width * height * (DPI / 72) ** 2 > MAX_PIXELS:
                    raise OcrUnavailableError(path, f"page {number} is too large to OCR ({width:.0f}x{height:.0f} pt)")
                image = folder / f"{number:06d}.pgm"
                picture = page.render(scale=DPI / 72, grayscale=True).to_pil()
                (deskew(picture) if settings.deskew else picture).save(image)
                # The first page, once read, decides the languages of the third and later pages. The second is
                # read with all of them beside the first: waiting on the clock for the first instead would make
                # the text of a page depend on how fast the machine is.
                if narrowing and i >= 2:
                    first.result()
                    languages = languages_needed(read_hocr(folder, pages[0]).text, settings.languages)
                    narrowing = False
                running.append(pool.submit(read, number, image, languages))
                if i == 0:
                    first = running[0]
            for job in running:
                job.result()
    finally:
        document.close()


def skew_angle(image: Image.Image, limit: float = 5.0) -> float:
    """The angle (degrees, counter-clockwise) that makes the text lines of a page horizontal.

    Projection profile: the rotation under which the rows of ink are sharpest (the variance of the row sums is
    highest), searched coarse to fine on a quarter-size copy. Quarter turns are Tesseract's own job (OSD).
    """
    import numpy as np

    small = image.reduce(4)

    def sharpness(angle: float) -> float:
        turned = small.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=255)
        ink = 255 - np.asarray(turned, dtype=np.float32)
        return float(np.var(ink.sum(axis=1)))

    best = max(np.arange(-limit, limit + 0.01, 0.5), key=sharpness)
    return float(max(np.arange(best - 0.5, best + 0.51, 0.1), key=sharpness))


def deskew(image: Image.Image) -> Image.Image:
    """The page turned so its lines are level (a skew under 0.1° is left alone)."""
    angle = skew_angle(image)
    if abs(angle) < 0.1:
        return image
    return image.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=255)


def _ocrmypdf(path: Path, folder: Path, pages: list[int], settings: OcrSettings, searchable: Path | None) -> None:
    import ocrmypdf
    from ocrmypdf import api

    try:
        api._pdf_to_hocr(
            path,
            folder,
            language=list(settings.languages),
            jobs=settings.pages_at_once(),
            deskew=settings.deskew,
            rotate_pages=settings.rotate_pages,
            force_ocr=True,
            pages=",".join(str(p) for p in pages),
            progress_bar=False,
        )
        if searchable is not None:
            searchable.parent.mkdir(parents=True, exist_ok=True)
            api._hocr_to_ocr_pdf(
                folder, searchable, jobs=settings.pages_at_once(), output_type="pdfa", progress_bar=False
            )
    except ocrmypdf.exceptions.ExitCodeException as exc:
        raise OcrUnavailableError(path, f"OCRmyPDF: {type(exc).__name__}: {exc}") from exc


def cached_words(path: Path, number: int, settings: OcrSettings) -> list[tuple[int, int, tuple[int, int, int, int]]]:
    """(start, end, box) of the OCR words of page ``number`` from the cache, if the file was OCRed with
    ``settings``; empty otherwise (the review workspace then shows the quote without a box)."""
    from extractor.pages import sha256_of

    try:
        page = read_hocr(cache_dir(sha256_of(path), settings), number)
    except (OSError, ET.ParseError):
        return []
    return [(w.start, w.end, w.bbox) for w in page.words if w.bbox]


def read_hocr(folder: Path, number: int) -> OcrPage:
    """One page's hOCR as text (a line per OCR line) with each word's span and confidence."""
    source = folder / f"{number:06d}_ocr_hocr.hocr"
    root = ET.parse(source).getroot()
    lines: list[str] = []
    words: list[Word] = []
    pos = 0
    for line in root.iter(f"{XHTML}span"):
        if line.get("class") not in LINE_CLASSES:
            continue
        pieces: list[str] = []
        for word in line.iter(f"{XHTML}span"):
            if word.get("class") != "ocrx_word":
                continue
            text = "".join(word.itertext()).strip()
            if not text:
                continue
            start = pos + sum(len(p) + 1 for p in pieces)
            title = word.get("title", "")
            found, box = WCONF.search(title), BBOX.search(title)
            words.append(
                Word(
                    start,
                    start + len(text),
                    int(found.group(1)) / 100 if found else 0.0,
                    tuple(int(v) for v in box.groups()) if box else None,  # type: ignore[arg-type]
                )
            )
            pieces.append(text)
        if pieces:
            lines.append(" ".join(pieces))
            pos += len(lines[-1]) + 1
    return OcrPage(number=number, text="\n".join(lines), words=tuple(words))
