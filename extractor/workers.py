"""A process pool that a pathological file cannot stall: per-task time and memory limits, results as they come.

``concurrent.futures`` cannot stop one running task, so a PDF that hangs the parser or a decompression bomb
would hold a worker for ever. Here each worker is a process of our own in its own process group (with the OCR
processes it starts): the parent watches the clock and the memory of each busy worker, kills the group of one
that goes over, records why, and starts a fresh worker. A worker dies with its parent (``PR_SET_PDEATHSIG``),
so killing a run leaves nothing behind.

Workers are forked from a forkserver that has the pipeline imported (a worker starts in a fraction of a second)
and are replaced after ``tasks_per_worker`` tasks, which keeps memory flat over runs of many hours.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

POLL_SECONDS = 0.1
_END = object()


@dataclass(frozen=True)
class Limits:
    """What one task may use. The time limit grows with the document: ``seconds + per_page * pages``."""

    seconds: float = 300.0
    per_page: float = 60.0  # OCR of a dense 300 dpi page takes ~2-5 s here; 60 is for slow machines and retries
    memory_mb: float = 1024.0  # the worker and the OCR processes it started (~250 MB reading a verdict)
    tasks_per_worker: int = 200


@dataclass(frozen=True)
class Stopped:
    """A task the pool had to give up: ``reason`` is a code (time_limit, memory_limit, worker_crashed)."""

    reason: str
    message: str


@dataclass(frozen=True)
class Finished:
    """A task's result with what it cost."""

    value: Any  # what the task function returned, or a ``Stopped``
    seconds: float
    peak_rss_mb: float | None


def _die_with_parent() -> None:
    """Ask Linux to signal this process when its parent, the forkserver, dies (no-op elsewhere); the handler takes
    the whole process group down, so OCR processes started for the file go too.

    The forkserver exits when the run's process is gone and no worker holds its "alive" pipe; every worker is
    handed a copy of that pipe, so each closes it here, or a killed run's workers would read on to their file's end.
    """
    from multiprocessing import forkserver

    alive = getattr(getattr(forkserver, "_forkserver", None), "_forkserver_alive_fd", None)
    if alive is not None:
        with contextlib.suppress(OSError):
            os.close(alive)
        forkserver._forkserver._forkserver_alive_fd = None
    signal.signal(signal.SIGUSR1, lambda *_: os.killpg(0, signal.SIGKILL))
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGUSR1)  # PR_SET_PDEATHSIG


def _serve(
    conn: Connection,
    fn: Callable[[Any], Any],
    size: Callable[[Any], int | None] | None,
    initializer: Callable[[], None] | None,
) -> None:
    """A worker's loop: receive a task, report its size (for the time limit), run it, send the result."""
    os.setpgid(0, 0)  # own group: the parent can kill us with our OCR processes; Ctrl-C goes to the parent only
    _die_with_parent()
    if os.getppid() == 1:  # our parent (the forkserver, which lives as long as the run) died before that
        os._exit(1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    broken = None
    if initializer:
        try:
            initializer()
        except Exception as exc:  # every task would fail the same way: say why, once per task, not as a crash
            broken = Stopped("worker_failed", f"a worker could not start: {type(exc).__name__}: {exc}")
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        conn.send(("size", size(task) if size and not broken else None))
        conn.send(("done", broken or fn(task)))


class _Worker:
    def __init__(self, ctx: Any, fn: Callable, size: Callable | None, initializer: Callable | None) -> None:
        self.conn, child = ctx.Pipe()
        # The worker's parent is the forkserver, which exits when the run's process does.
        self.process = ctx.Process(target=_serve, args=(child, fn, size, initializer), daemon=True)
        self.process.start()
        child.close()
        self.tasks = 0
        self.task: Any = None
        self.started = 0.0
        self.deadline = float("inf")
        self.peak_mb = 0.0

    @property
    def busy(self) -> bool:
        return self.task is not None

    def give(self, task: Any, limits: Limits) -> None:
        self.task, self.started, self.peak_mb = task, time.monotonic(), 0.0
        self.deadline = self.started + limits.seconds
        self.tasks += 1
        self.conn.send(task)

    def rss_mb(self) -> float:
        """Resident memory of the worker and everything it started (OCR processes), in MB."""
        import psutil

        try:
            root = psutil.Process(self.process.pid)
            total = root.memory_info().rss
            for child in root.children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    total += child.memory_info().rss
        except psutil.Error:
            return 0.0
        return total / 2**20

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError):
            self.process.kill()
        self.process.join(5)
        self.conn.close()

    def stop(self) -> None:
        with contextlib.suppress(OSError, BrokenPipeError):
            self.conn.send(None)
        self.process.join(2)
        if self.process.is_alive():
            self.kill()


class Pool:
    """``imap_unordered(tasks)`` yields ``(task, Finished)`` as tasks end; a stopped task's value is a ``Stopped``.

    ``fn`` must never raise for a bad input (turn errors into values); an exception that escapes it, a crash in
    a C library or the kernel's OOM killer ends the worker, and the task is reported as ``worker_crashed``.
    ``size(task)``, run in the worker first, gives the pages for the time limit.
    """

    def __init__(
        self,
        fn: Callable[[Any], Any],
        workers: int,
        limits: Limits | None = None,
        size: Callable[[Any], int | None] | None = None,
        initializer: Callable[[], None] | None = None,
        preload: Iterable[str] = (),
    ) -> None:
        self.fn, self.size, self.initializer = fn, size, initializer
        self.workers = max(1, workers)
        self.limits = limits or Limits()
        self.ctx = multiprocessing.get_context("forkserver")
        self.ctx.set_forkserver_preload(list(preload))
        self.live: list[_Worker] = []

    def _spawn(self) -> _Worker:
        worker = _Worker(self.ctx, self.fn, self.size, self.initializer)
        self.live.append(worker)
        return worker

    def _retire(self, worker: _Worker, kill: bool = False) -> None:
        self.live.remove(worker)
        worker.kill() if kill else worker.stop()

    def imap_unordered(self, tasks: Iterable[Any]) -> Iterator[tuple[Any, Finished]]:
        pending = iter(tasks)
        exhausted = False
        try:
            while True:
                while not exhausted and sum(w.busy for w in self.live) < self.workers:
                    task = next(pending, _END)
                    if task is _END:
                        exhausted = True
                        break
                    idle = next((w for w in self.live if not w.busy), None) or self._spawn()
                    try:
                        idle.give(task, self.limits)
                    except OSError:  # it died while idle (the kernel's OOM killer picks big processes)
                        self._retire(idle, kill=True)
                        self._spawn().give(task, self.limits)
                busy = [w for w in self.live if w.busy]
                if not busy:
                    return
                ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=POLL_SECONDS)
                for worker in busy:
                    yield from self._check(worker, ready)
        finally:
            for worker in list(self.live):
                self._retire(worker, kill=worker.busy)

    def _check(self, worker: _Worker, ready: list) -> Iterator[tuple[Any, Finished]]:
        task = worker.task
        if worker.conn in ready:
            try:
                kind, value = worker.conn.recv()
            except (EOFError, OSError):
                kind, value = "died", None
            if kind == "size":
                worker.deadline = worker.started + self.limits.seconds + self.limits.per_page * (value or 0)
                return
            if kind == "done":
                worker.task = None
                yield task, self._finished(worker, value)
                if worker.tasks >= self.limits.tasks_per_worker:
                    self._retire(worker)
                return
        elif worker.process.sentinel not in ready:
            yield from self._watch(worker)
            return
        worker.process.join(1)
        code = worker.process.exitcode
        how = f"killed by signal {-code}" if code is not None and code < 0 else f"exit status {code}"
        self._retire(worker, kill=True)
        yield (
            task,
            self._finished(
                worker,
                Stopped(
                    "worker_crashed",
                    f"the worker process died on this file ({how}): out of memory or a crash in a PDF or OCR library",
                ),
            ),
        )

    def _watch(self, worker: _Worker) -> Iterator[tuple[Any, Finished]]:
        now = time.monotonic()
        rss = worker.rss_mb()
        worker.peak_mb = max(worker.peak_mb, rss)
        if now > worker.deadline:
            stop = Stopped(
                "time_limit", f"stopped after {now - worker.started:.0f} s, over the time limit for this document"
            )
        elif rss > self.limits.memory_mb:
            stop = Stopped(
                "memory_limit", f"stopped at {rss:.0f} MB, over the memory limit of {self.limits.memory_mb:.0f} MB"
            )
        else:
            return
        task = worker.task
        self._retire(worker, kill=True)
        yield task, self._finished(worker, stop)

    @staticmethod
    def _finished(worker: _Worker, value: Any) -> Finished:
        return Finished(value, time.monotonic() - worker.started, worker.peak_mb or None)
