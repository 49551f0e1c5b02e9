"""Screen a folder tree into a store: skip what an earlier run finished, read the rest in workers, commit each
document as it ends. A crash, a power cut or Ctrl-C loses only the documents being read at that moment; the
next run picks up the rest.

The per-document task (``screen_one``) is plain data in, plain data out, so the same function runs in the local
pool (``extractor.workers``) or on a Dask cluster; only the parent writes the store.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from extractor import __version__
from extractor.amnesty.law import AmnestyLaw
from extractor.batch import PRELOAD, Failure, ReadOptions, extract_one, page_count, warm
from extractor.patterns import data_digest
from extractor.store import Outcome, Store
from extractor.workers import Finished, Limits, Pool, Stopped


@dataclass(frozen=True)
class Job:
    """What every document of a run is read and decided with; crosses to the workers once per worker."""

    options: ReadOptions
    act: AmnestyLaw

    @property
    def settings(self) -> str:
        """The reading settings a finished document is tied to; a change makes a re-run read it again."""
        ocr = self.options.ocr
        return json.dumps(
            {
                "tool": __version__,
                "patterns": data_digest(),  # new patterns (a language added, a cue tuned) read the files again
                "ocr": ocr.enabled,
                "ocr_languages": ocr.languages,
                "max_pages": self.options.max_pages,
            },
            sort_keys=True,
        )


def _stat(path: str) -> dict[str, int | None]:
    try:
        st = os.stat(path)
    except OSError:
        return {"size": None, "mtime_ns": None}
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns}


# Failures that say nothing lasting about the file: a re-run tries these again without --retry-failed.
RETRY_ALWAYS = frozenset(
    {
        "file_missing",
        "permission_denied",
        "input_file",
        "file_changed",
        "worker_crashed",
        "worker_failed",
        "unexpected_error",
    }
)


def _sha256(path: str) -> str | None:
    from extractor.pages import sha256_of

    try:
        return sha256_of(Path(path))
    except OSError:
        return None


def screen_one(path: str, job: Job) -> Outcome:
    """Read one file and decide every defendant; never raises for a bad file (the outcome says why).

    The content hash is taken before reading and the file's size and mtime are compared after it: a file replaced
    while it was read is recorded as ``file_changed`` (and read again by the next run), never with facts of one
    version under the hash of another."""
    import traceback

    from extractor.amnesty.engine import decide_all

    stat, sha = _stat(path), _sha256(path)
    start = time.perf_counter()
    try:
        got = extract_one(Path(path), job.options)
        if isinstance(got, Failure):
            error = got.message + (f"\n{got.traceback}" if got.traceback else "")
            outcome = Outcome.failed(path, got.reason, error, sha256=sha, **stat)
        else:
            decide_all(got, job.act)
            outcome = replace(Outcome.read(path, got, **stat), sha256=sha)
    except Exception as exc:  # a bug of ours in deciding: the file is not to blame, and the batch goes on
        message = f"{path}: unexpected error {type(exc).__name__}: {exc}\n{traceback.format_exc()}"
        outcome = Outcome.failed(path, "unexpected_error", message, **stat)
    if _stat(path) != stat:
        outcome = Outcome.failed(
            path, "file_changed", f"{path}: the file changed while it was read (still being copied?); run again", **stat
        )
    return replace(outcome, seconds=time.perf_counter() - start)


@dataclass(frozen=True)
class Plan:
    run: list[str]  # paths to read, in order
    skipped: list[str]  # finished earlier with the same content, rules and settings
    reused: list[tuple[str, str]] = field(default_factory=list)  # (new path, path with the same content) to copy


def plan(paths: list[str], store: Store, job: Job, force: bool = False, retry_failed: bool = False) -> Plan:
    """Which inputs a run must read. A document is skipped when an earlier run finished it (or failed it for a
    reason that lies in the file) with the same content (sha256; size + mtime spare the hashing when they
    match), the same rules and the same reading settings. A path the store does not know whose content it does
    know (a moved archive, the same verdict under two names) gets a copy of that result instead of a reading."""
    if force:
        return Plan(list(paths), [])
    known = store.known()
    settings, rules = job.settings, job.act.sha256
    by_content = {
        k.sha256: path
        for path, k in known.items()
        if k.sha256 and k.status != "failed" and k.settings == settings and k.rules_sha256 == rules
    }
    run, skipped, reused = [], [], []
    for path in paths:
        k = known.get(path)
        if k is None:
            same = by_content.get(_sha256(path) or "")
            if same:
                reused.append((path, same))
            else:
                run.append(path)
            continue
        stale = k.settings != settings or k.rules_sha256 != rules
        if not stale and k.status == "failed":
            stale = retry_failed or k.reason in RETRY_ALWAYS or k.sha256 is None
        if not stale and tuple(_stat(path).values()) != (k.size, k.mtime_ns):
            stale = _sha256(path) != k.sha256
        (run if stale else skipped).append(path)
    return Plan(run, skipped, reused)


def local_outcomes(paths: list[str], job: Job, workers: int, limits: Limits) -> Iterator[Outcome]:
    """Outcomes as documents end, from ``workers`` local processes with per-document limits."""
    job = replace(job, options=job.options.sharing_cores(workers, len(paths)))
    pool = Pool(partial(screen_one, job=job), workers, limits, size=page_count, initializer=warm, preload=PRELOAD)
    for path, finished in pool.imap_unordered(paths):
        yield _with_cost(path, finished)


def _with_cost(path: str, finished: Finished) -> Outcome:
    if isinstance(finished.value, Stopped):
        stop = finished.value
        return Outcome.failed(
            path, stop.reason, f"{path}: {stop.message}", seconds=finished.seconds,
            peak_rss_mb=finished.peak_rss_mb, sha256=_sha256(path), **_stat(path),
        )  # fmt: skip
    return replace(finished.value, peak_rss_mb=finished.peak_rss_mb)


def dask_outcomes(paths: list[str], job: Job, scheduler: str) -> Iterator[Outcome]:
    """Outcomes from a Dask distributed cluster. The workers must see the same paths (a shared folder) and have
    this tool installed; Dask's nannies restart a worker over its memory limit (the task is then retried on
    another, and recorded as ``worker_crashed`` after Dask gives up)."""
    from distributed import Client, as_completed

    with Client(scheduler, timeout="30s") as client:
        shared = client.scatter(job, broadcast=True)
        futures = {client.submit(screen_one, path, shared, pure=False): path for path in paths}
        for future in as_completed(futures):
            path = futures[future]
            try:
                yield future.result()
            except Exception as exc:  # the task itself never raises: this is the cluster failing it
                yield Outcome.failed(
                    path, "worker_crashed", f"{path}: the cluster could not run it ({type(exc).__name__}: {exc})",
                    **_stat(path),
                )  # fmt: skip
            future.release()


@dataclass
class RunTotals:
    """Counts of one run as it goes, for the progress display."""

    total: int
    done: int = 0
    failed: int = 0
    pages: int = 0
    started: float = 0.0

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started


def run(
    store: Store,
    chosen: Plan,
    job: Job,
    outcomes: Callable[[list[str]], Iterator[Outcome]],
    *,
    workers: int,
    backend: str,
    inputs: list[str],
    on_outcome: Callable[[Outcome, RunTotals], None] | None = None,
) -> RunTotals:
    """Copy what the plan reuses, then read and commit one document at a time; returns this run's totals."""
    run_id = store.start_run(
        tool_version=__version__, rules_id=job.act.id, rules_sha256=job.act.sha256, settings=job.settings,
        workers=workers, backend=backend, inputs=inputs,
    )  # fmt: skip
    for path, same in chosen.reused:
        store.copy(same, path, run_id=run_id, **_stat(path))
    totals = RunTotals(total=len(chosen.run), started=time.monotonic())
    interrupted = True
    try:
        for outcome in outcomes(chosen.run):
            store.record(
                outcome, run_id=run_id, tool_version=__version__, rules_sha256=job.act.sha256, settings=job.settings
            )
            totals.done += 1
            totals.failed += outcome.status == "failed"
            totals.pages += outcome.pages or 0
            if on_outcome:
                on_outcome(outcome, totals)
        interrupted = False
    finally:
        store.finish_run(
            run_id, documents=totals.done, skipped=len(chosen.skipped) + len(chosen.reused), failed=totals.failed,
            pages=totals.pages, seconds=totals.seconds, interrupted=interrupted,
        )  # fmt: skip
    return totals
