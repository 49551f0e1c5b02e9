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
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
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


def _warm_worker() -> None:
    from extractor.nlp import build_nlp

    build_nlp()


def _outcomes(files: list[Path], jobs: int, options: ReadOptions) -> Iterator[FileResult]:
    """Results in input order. A worker that dies (killed for memory, a crash in a C library) breaks the
    pool: the file it was on is retried alone to find out whether it is the culprit, and the rest go on in
    a new pool."""
    if jobs <= 1 or len(files) < 2:
        yield from (process_one(path, options) for path in files)
        return
    pending = list(files)
    while pending:
        with ProcessPoolExecutor(max_workers=min(jobs, len(pending)), initializer=_warm_worker) as pool:
            futures = [pool.submit(process_one, path, options) for path in pending]
            for i, (path, future) in enumerate(zip(pending, futures, strict=True)):
                try:
                    yield future.result()
                except BrokenProcessPool:
                    yield _alone(path, options)
                    pending = pending[i + 1 :]
                    break
            else:
                pending = []


def _alone(path: Path, options: ReadOptions) -> FileResult:
    with ProcessPoolExecutor(max_workers=1) as pool:
        try:
            return pool.submit(process_one, path, options).result()
        except BrokenProcessPool:
            return FileResult(
                path,
                error=f"{path}: the worker process died while reading this file "
                "(out of memory or a crash in a PDF library); try it on its own",
            )


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
    # OCR shares the cores with the worker processes: fewer files than workers leaves cores to each file's pages.
    os.environ["VERDICTS_OCR_JOBS"] = str(max(1, jobs // max(1, len(files))))
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
            for result in _outcomes(files, jobs, options or ReadOptions()):
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
