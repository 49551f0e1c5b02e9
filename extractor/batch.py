"""Run the pipeline over many files: one bad file is reported and skipped, never the end of the batch."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path

from extractor.errors import VerdictError
from models import VerdictFacts

log = logging.getLogger("verdicts")


def run_batch(files: list[Path], emit: Callable[[VerdictFacts], object]) -> list[tuple[Path, str]]:
    """Process ``files`` in order, passing each result to ``emit``; returns the failures (path, message).

    Known errors print one line naming the file; unknown ones also log their traceback. Progress goes to
    stderr so stdout stays clean JSON Lines.
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from extractor.pipeline import process_verdict

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
    with progress:
        task = progress.add_task("extracting", total=len(files))
        for path in files:
            progress.update(task, description=f"extracting {path.name}")
            try:
                emit(process_verdict(path))
            except VerdictError as exc:
                failures.append((path, exc.describe()))
                print(f"error: {exc.describe()}", file=sys.stderr, flush=True)
            except KeyboardInterrupt:
                print("interrupted: results so far were written", file=sys.stderr)
                raise
            except Exception as exc:
                log.exception("unexpected error in %s", path)
                message = f"{path}: unexpected error {type(exc).__name__}: {exc}"
                failures.append((path, message))
                print(f"error: {message}", file=sys.stderr, flush=True)
            progress.advance(task)
    if failures:
        print(f"{len(failures)} of {len(files)} files failed", file=sys.stderr)
    return failures
