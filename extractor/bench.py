"""Benchmark: pages per second of the whole extraction (PDF -> facts) over a folder of verdict PDFs.

Usage: ``python -m extractor.bench build/fixtures/pdf [--repeat N] [--workers N]``. Reports pages/s with
the pipeline already loaded (steady state, what a batch of thousands sees) and the one-off start-up cost.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path


def _extract(path: str) -> int:
    from extractor.pipeline import process_verdict

    return process_verdict(Path(path)).source.pages


def _warm() -> None:
    from extractor.nlp import build_nlp

    build_nlp()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--repeat", type=int, default=3, help="passes over the folder")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    files = [str(p) for p in sorted(args.folder.glob("*.pdf"))] * args.repeat
    if not files:
        raise SystemExit(f"{args.folder}: no PDFs (run `make fixtures` first)")

    start = time.perf_counter()
    _warm()
    startup = time.perf_counter() - start

    start = time.perf_counter()
    pages = sum(_extract(f) for f in files)
    single = time.perf_counter() - start

    with ProcessPoolExecutor(max_workers=args.workers, initializer=_warm) as pool:
        list(pool.map(_extract, files[: args.workers]))  # start the workers before timing
        start = time.perf_counter()
        pages_parallel = sum(pool.map(_extract, files, chunksize=2))
        parallel = time.perf_counter() - start

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"documents: {len(files)} ({len(files) // args.repeat} distinct), pages: {pages}")
    print(f"start-up (spaCy + pymorphy3 + patterns): {startup:.2f} s")
    print(f"1 process:  {pages / single:.1f} pages/s ({single / len(files) * 1000:.0f} ms/document)")
    print(f"{args.workers} processes: {pages_parallel / parallel:.1f} pages/s")


if __name__ == "__main__":
    main()
