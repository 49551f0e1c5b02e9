"""Run the pipeline over many files: one bad file is reported and skipped, never the end of the batch.

With ``jobs > 1`` the files are read in worker processes (PDF parsing is CPU-bound and pdfplumber holds
the GIL); results still come back in input order.
"""

from __future__ import annotations

import logging
import os
import sys
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from extractor.errors import VerdictError
from extractor.ocr import OcrSettings
from extractor.pages import MAX_PAGES
from models import VerdictFacts

log = logging.getLogger("verdicts")


@dataclass(frozen=True)
class ReadOptions:
    """How files are read; crosses process boundaries with each file."""

    ocr: OcrSettings = field(default_factory=OcrSettings)
    searchable_dir: Path | None = None  # write a searchable PDF/A of every OCRed file here
    max_pages: int = MAX_PAGES  # a longer file is refused (too_many_pages) rather than read for an hour

    def sharing_cores(self, workers: int, files: int) -> ReadOptions:
        """OCR shares the cores with the worker processes: when fewer files than cores are read at once, each
        file's pages are OCRed several at a time. Explicit in the options (not the environment), because the
        workers are forked from a server started before this batch."""
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
        at_once = max(1, min(workers, files))
        return replace(self, ocr=replace(self.ocr, jobs=self.ocr.jobs or max(1, cores // at_once)))


@dataclass(frozen=True)
class FileResult:
    """What happened to one file; crosses process boundaries, so it holds plain data."""

    path: Path
    facts_json: str | None = None
    error: str | None = None
    traceback: str | None = None


@dataclass(frozen=True)
class Failure:
    """A file that could not be read: ``reason`` is the error's code (see ``extractor.errors``)."""

    path: Path
    reason: str
    message: str
    traceback: str | None = None


def extract_one(path: Path, options: ReadOptions | None = None) -> VerdictFacts | Failure:
    """Extract one file; any exception becomes a ``Failure`` naming the file (never raises, but for Ctrl-C)."""
    from extractor.pipeline import process_verdict

    options = options or ReadOptions()
    searchable = options.searchable_dir / f"{path.stem}.pdf" if options.searchable_dir else None
    try:
        return process_verdict(path, options.ocr, searchable, options.max_pages)
    except VerdictError as exc:
        return Failure(path, exc.code, exc.describe())
    except MemoryError:
        return Failure(path, "memory_limit", f"{path}: out of memory while reading this file")
    except Exception as exc:
        message = f"{path}: unexpected error {type(exc).__name__}: {exc}"
        return Failure(path, "unexpected_error", message, traceback.format_exc())


def process_one(path: Path, options: ReadOptions | None = None) -> FileResult:
    """``extract_one`` as plain data for a process pool."""
    got = extract_one(path, options)
    if isinstance(got, Failure):
        return FileResult(path, error=got.message, traceback=got.traceback)
    return FileResult(path, facts_json=got.model_dump_json())


# Imported by the workers' forkserver once, so every worker starts with the pipeline's modules loaded.
PRELOAD = ("extractor.pipeline", "extractor.nlp", "extractor.amnesty.engine")


def warm() -> None:
    """Build the spaCy pipelines (one per language) in a new worker before its first file."""
    from extractor.grammar.vocab import LANGUAGES
    from extractor.nlp import build_nlp

    for lang in LANGUAGES:
        build_nlp(lang)


def page_count(path: str | Path) -> int | None:
    """Pages of a PDF without reading them (for the time limit); None when it cannot be opened."""
    import pypdfium2

    try:
        doc = pypdfium2.PdfDocument(str(path))
    except Exception:
        return None
    try:
        return len(doc)
    finally:
        doc.close()


def _numbered(task: tuple[int, Path], options: ReadOptions) -> FileResult:
    return process_one(task[1], options)


def _numbered_pages(task: tuple[int, Path]) -> int | None:
    return page_count(task[1])


def _outcomes(files: list[Path], jobs: int, options: ReadOptions) -> Iterator[FileResult]:
    """Results in input order. Two or more files go through the worker pool, so a file that hangs the parser,
    eats memory or crashes a C library costs only itself (``extractor.workers``)."""
    from extractor.workers import Pool, Stopped

    if len(files) < 2:
        yield from (process_one(path, options) for path in files)
        return
    pool = Pool(partial(_numbered, options=options), jobs, size=_numbered_pages, initializer=warm, preload=PRELOAD)
    waiting: dict[int, FileResult] = {}
    position = 0
    for (index, path), finished in pool.imap_unordered(enumerate(files)):
        result = finished.value
        if isinstance(result, Stopped):
            result = FileResult(path, error=f"{path}: {result.message}")
        waiting[index] = result
        while position in waiting:
            yield waiting.pop(position)
            position += 1


def run_batch(
    files: list[Path],
    emit: Callable[[VerdictFacts], object],
    jobs: int = 1,
    options: ReadOptions | None = None,
) -> list[tuple[Path, str]]:
    """Process ``files``, passing each result to ``emit`` in input order; returns the failures (path, message).

    Known errors print one line naming the file; unknown ones also log their traceback. Progress goes to
    stderr so stdout stays clean JSON Lines.
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    console = Console(stderr=True)
    failures: list[tuple[Path, str]] = []
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=len(files) < 2 or not console.is_terminal,
    )
    try:
        with progress:
            task = progress.add_task("extracting", total=len(files))
            for result in _outcomes(files, jobs, (options or ReadOptions()).sharing_cores(jobs, len(files))):
                if result.facts_json is not None:
                    emit(VerdictFacts.model_validate_json(result.facts_json))
                else:
                    if result.traceback:
                        log.error("unexpected error in %s\n%s", result.path, result.traceback)
                    failures.append((result.path, result.error or "unknown error"))
                    print(f"error: {result.error}", file=sys.stderr, flush=True)
                progress.update(task, advance=1, description=f"extracted {result.path.name}")
    except KeyboardInterrupt:
        print("interrupted: results so far were written", file=sys.stderr)
        raise
    if failures:
        print(f"{len(failures)} of {len(files)} files failed", file=sys.stderr)
    return failures
