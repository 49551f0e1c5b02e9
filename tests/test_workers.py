"""The worker pool: one task that hangs, eats memory or crashes is stopped and reported; the others finish."""

from __future__ import annotations

import os
import subprocess
import time

import psutil

from extractor.workers import Limits, Pool, Stopped

MARKER = "4242.5"  # the length of a `sleep` a stuck task starts, to find it among the machine's processes


def behave(task: str) -> str:
    """A task function: most tasks return at once, some misbehave the way a pathological PDF does."""
    if task == "hang":  # a parser in an endless loop, with an OCR child process of its own
        subprocess.Popen(["sleep", MARKER])
        time.sleep(120)
    if task == "hog":  # a decompression bomb
        block = bytearray(700 * 2**20)
        for i in range(0, len(block), 4096):
            block[i] = 1
        time.sleep(120)
    if task == "crash":  # a segfault in a C library
        os._exit(139)
    return f"{task} by {os.getpid()}"


def no_size(_: str) -> int:
    return 0


def run(tasks: list[str], **limits: float) -> dict[str, object]:
    pool = Pool(behave, workers=2, limits=Limits(per_page=0, **limits), size=no_size)
    results = {}
    for task, finished in pool.imap_unordered(tasks):
        assert task not in results, f"{task} reported twice"
        results[task] = finished
    return results


def sleepers() -> list[psutil.Process]:
    return [p for p in psutil.process_iter(["cmdline"]) if MARKER in (p.info["cmdline"] or [])]


def test_a_hanging_task_is_stopped_at_its_time_limit_with_its_child_processes() -> None:
    start = time.monotonic()
    results = run(["a", "hang", "b", "c"], seconds=2)
    assert time.monotonic() - start < 20
    assert all(str(results[t].value).startswith(f"{t} by ") for t in "abc")
    stopped = results["hang"].value
    assert isinstance(stopped, Stopped) and stopped.reason == "time_limit"
    assert 2 <= results["hang"].seconds < 10
    deadline = time.monotonic() + 5
    while sleepers() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not sleepers(), "the stuck task's child process outlived it"


def test_a_task_over_the_memory_limit_is_stopped_and_the_rest_go_on() -> None:
    results = run(["hog", "a", "b"], seconds=60, memory_mb=400)
    stopped = results["hog"].value
    assert isinstance(stopped, Stopped) and stopped.reason == "memory_limit"
    assert "400 MB" in stopped.message
    assert all(str(results[t].value).startswith(t) for t in "ab")


def test_a_crashing_worker_costs_only_its_task() -> None:
    results = run(["a", "crash", "b", "c", "d"], seconds=60)
    stopped = results["crash"].value
    assert isinstance(stopped, Stopped) and stopped.reason == "worker_crashed"
    assert "exit status 139" in stopped.message
    assert sorted(t for t, r in results.items() if not isinstance(r.value, Stopped)) == ["a", "b", "c", "d"]


def test_workers_are_replaced_after_their_share_of_tasks() -> None:
    pool = Pool(behave, workers=1, limits=Limits(tasks_per_worker=2))
    pids = {str(f.value).split(" by ")[1] for _, f in pool.imap_unordered([str(i) for i in range(6)])}
    assert len(pids) == 3


def fail_to_start() -> None:
    raise OSError("the spaCy tables are missing")


def test_a_worker_that_cannot_start_fails_every_task_with_the_reason() -> None:
    pool = Pool(behave, workers=2, initializer=fail_to_start)
    results = dict(pool.imap_unordered(["a", "b", "c"]))
    assert {r.value.reason for r in results.values()} == {"worker_failed"}
    assert all("the spaCy tables are missing" in r.value.message for r in results.values())


def test_a_worker_that_dies_while_idle_is_replaced() -> None:
    import signal

    pool = Pool(behave, workers=2)
    done = []
    for task, finished in pool.imap_unordered([str(i) for i in range(8)]):
        done.append((task, finished.value))
        if len(done) == 2:  # the out-of-memory killer takes the workers while they wait for work
            for worker in pool.live:
                if not worker.busy:
                    os.kill(worker.process.pid, signal.SIGKILL)
                    worker.process.join()
    assert sorted(t for t, _ in done) == [str(i) for i in range(8)]
    assert not [v for _, v in done if isinstance(v, Stopped)]


KILLED_RUN = """
import functools, subprocess, sys
from extractor.workers import Pool
pool = Pool(functools.partial(subprocess.call), workers=1)
for _ in pool.imap_unordered([["sleep", sys.argv[1]]]):
    pass
"""


def test_killing_the_run_takes_its_workers_and_their_ocr_processes_with_it() -> None:
    import signal
    import sys

    marker = "4242.7"
    run = subprocess.Popen([sys.executable, "-c", KILLED_RUN, marker])
    deadline = time.monotonic() + 30
    while not [p for p in psutil.process_iter(["cmdline"]) if p.info["cmdline"] == ["sleep", marker]]:
        assert time.monotonic() < deadline and run.poll() is None, "the task never started"
        time.sleep(0.1)
    run.send_signal(signal.SIGKILL)
    run.wait()
    deadline = time.monotonic() + 10
    while [p for p in psutil.process_iter(["cmdline"]) if p.info["cmdline"] == ["sleep", marker]]:
        assert time.monotonic() < deadline, "a child of the killed run's worker is still running"
        time.sleep(0.1)
