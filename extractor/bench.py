"""Benchmark: pages per second of the whole extraction (PDF -> facts) over a folder of verdict PDFs.

Usage: ``python -m extractor.bench build/fixtures/verdicts/pdf [--repeat N]``. Reports the end-to-end rate
of a batch as ``verdicts screen`` runs it (worker start-up, decisions and the store's commits included) with
one worker and with all cores, their ratio, and the one-off cost of loading the pipeline.

``python -m extractor.bench --scans build/scans/fixtures/verdicts/scans [--limit N]`` does the same for
image-only scans with an empty OCR cache: scanned pages/s end to end with all cores, the share of the workers'
time spent outside OCR (reading, NLP, rules), and a second run over the same scans from the cache.

``python -m extractor.bench --bulk build/bulk`` runs ``verdicts screen`` over a corpus written by
``python -m extractor.corpus build/bulk --count 1000 --zoo`` as a clerk would (a child process, all cores),
samples the resident memory of the whole process tree, and checks the store against the corpus's manifest: every
variant's decisions, the totals, and every zoo file's recorded reason.

``python -m extractor.bench --letters build/scans/fixtures/verdicts/kk/scans --text fixtures/verdicts/kk`` OCRs
Kazakh scans twice, with the default languages (``rus+kaz+eng``; the first page shows Kazakh, so the rest are read
with ``rus+kaz``) and with ``rus+eng``, and prints how many of each Kazakh
letter (ә ғ қ ң ө ұ ү һ і) came out right against the source text, and what the others were read as.

``python -m extractor.bench --draws 3 build/draws --gold fixtures/verdicts --gold fixtures/verdicts/kk ...`` makes
other photocopies of each gold set (draws 1..N of the noise and skew; draw 0 is ``make scans``), reads them and
scores each set on each draw: how much the figures of the scanned sets owe to one lucky draw.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from functools import partial
from pathlib import Path


def _characters(paths: list[Path]) -> int:
    from extractor.pages import read_pages

    return sum(len(page.text) for path in paths for page in read_pages(path))


def _screen(files: list[Path], workers: int) -> tuple[int, float]:
    """``verdicts screen`` over copies of ``files`` (each a distinct document) into a fresh store."""
    import tempfile

    from extractor import bulk
    from extractor.amnesty.law import get_law
    from extractor.batch import ReadOptions
    from extractor.store import Store
    from extractor.workers import Limits

    job = bulk.Job(ReadOptions(), get_law("kz-2022-152-VII"))
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i, path in enumerate(files):
            copy = Path(tmp) / f"{i:04d}-{path.name}"
            copy.write_bytes(path.read_bytes())
            paths.append(str(copy))
        with Store(Path(tmp) / "bench.sqlite") as store:
            start = time.perf_counter()
            totals = bulk.run(
                store, bulk.plan(paths, store, job), job,
                lambda chosen: bulk.local_outcomes(chosen, job, workers, Limits()),
                workers=workers, backend="local", inputs=[tmp],
            )  # fmt: skip
            elapsed = time.perf_counter() - start
    if totals.failed:
        raise SystemExit(f"{totals.failed} files failed; the benchmark needs readable PDFs")
    return totals.pages, elapsed


def _run(files: list[Path], jobs: int) -> tuple[int, float]:
    from extractor.batch import run_batch

    pages: list[int] = []
    start = time.perf_counter()
    failures = run_batch(files, lambda facts: pages.append(facts.source.pages), jobs=jobs)
    elapsed = time.perf_counter() - start
    if failures:
        raise SystemExit(f"{len(failures)} files failed; the benchmark needs readable PDFs")
    return sum(pages), elapsed


def _scans(folder: Path, limit: int, cores: int) -> None:
    """Scanned pages/s with a cold OCR cache, the time outside OCR, and a warm second run."""
    import json
    import tempfile

    files = sorted(folder.glob("*.pdf"))[:limit]
    if not files:
        raise SystemExit(f"{folder}: no PDFs (run `make scans` first)")
    with tempfile.TemporaryDirectory() as cache:
        os.environ["VERDICTS_CACHE"] = cache
        pages, cold = _run(files, jobs=cores)
        ocr_seconds = sum(json.loads(p.read_text())["seconds"] for p in Path(cache).rglob("done.json"))
        _, warm = _run(files, jobs=cores)
    outside = 1 - ocr_seconds / (cold * min(cores, len(files)))
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"scans: {len(files)} documents, {pages} pages (300 dpi A4), {cores} worker processes")
    print(f"cold (OCR): {pages / cold:.2f} scanned pages/s end to end ({cold:.0f} s)")
    print(f"time outside OCR: {outside:.1%} of the workers' time (OCR {ocr_seconds:.0f} s of {cold * cores:.0f} s)")
    print(f"warm (cache): {pages / warm:.1f} pages/s ({warm:.1f} s), {cold / warm:.0f}x faster than the cold run")


def _letters(folder: Path, text: Path) -> None:
    """Accuracy of OCR on the Kazakh letters, with and without Tesseract's Kazakh model."""
    from extractor.ocr import OcrSettings
    from extractor.ocr_letters import KAZAKH_ONLY, score_documents
    from extractor.pages import read_pages

    files = sorted(folder.glob("*.pdf"))
    if not files:
        raise SystemExit(f"{folder}: no scans (run `make scans` first)")
    runs = {}
    for languages in (("rus", "kaz", "eng"), ("rus", "eng")):  # the default (as screening reads), then without kaz
        pairs = []
        for path in files:
            source = (text / f"{path.stem}.txt").read_text(encoding="utf-8").split("\f")
            pages = read_pages(path, OcrSettings(languages=languages))
            pairs.append((source, [page.text for page in pages]))
        runs["+".join(languages)] = score_documents(pairs)
    print(f"Kazakh letters in {len(files)} scans ({folder}):")
    print(f"{'letter':>6} {'in text':>8} " + " ".join(f"{name:>14}" for name in runs) + "  commonest misreadings")
    for letter in KAZAKH_ONLY:
        seen = runs["rus+kaz+eng"][letter].seen
        cells = " ".join(f"{runs[name][letter].accuracy:>14.1%}" if seen else f"{'—':>14}" for name in runs)
        wrong = "; ".join(
            f"{name}: " + (", ".join(f"{k or '∅'}×{n}" for k, n in runs[name][letter].misread.most_common(2)) or "-")
            for name in runs
        )
        print(f"{letter:>6} {seen:>8} {cells}  {wrong}")
    for name, scores in runs.items():
        seen = sum(s.seen for s in scores.values())
        print(f"{name}: {sum(s.read for s in scores.values()) / seen:.1%} of {seen} Kazakh letters read right")


def _tree_rss_mb(pid: int) -> float:
    import psutil

    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0.0
    total = 0
    for proc in procs:
        try:
            total += proc.memory_info().rss
        except psutil.Error:
            pass
    return total / 2**20


def _bulk(folder: Path, cores: int) -> None:
    """One screening run over a bulk corpus, its peak memory, and its results against the manifest."""
    import json
    import subprocess
    import sys
    import tempfile

    from extractor.screen import Tally
    from extractor.store import Store

    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    zoo = json.loads((folder / "zoo.json").read_text(encoding="utf-8")) if (folder / "zoo.json").exists() else {}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bulk.sqlite"
        # Short time limits so that the zoo's pathological file meets one; a verdict here takes about a second.
        command = [sys.executable, "-m", "extractor.cli", "screen", str(folder), "--db", str(db), "--no-export",
                   "--quiet", "--workers", str(cores), "--time-limit", "10", "--page-time-limit", "5"]  # fmt: skip
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        samples: list[float] = []
        while child.poll() is None:
            samples.append(_tree_rss_mb(child.pid))
            time.sleep(0.5)
        elapsed = time.perf_counter() - start
        summary = child.stdout.read() if child.stdout else ""
        with Store(db) as store:
            rows = {Path(r["path"]).relative_to(folder.absolute()).as_posix(): r for r in store.documents()}
            decided: dict[str, list[str | None]] = {}
            for person in store.defendants():
                decided.setdefault(Path(person["path"]).relative_to(folder.absolute()).as_posix(), []).append(
                    person["decision"]
                )
            tally = Tally.from_store(store)
    wrong = [
        e["file"]
        for e in manifest["variants"]
        if decided.get(e["file"], []) != [d["decision"] for d in e["defendants"]]
    ]
    root = os.geteuid() == 0
    zoo_wrong = []
    for name, expected in zoo.items():
        row = rows.get(f"zoo/{name}")
        got = "missing" if row is None else ("read" if row["status"] != "failed" else row["reason"])
        if root and expected == "permission_denied":
            expected = "read"  # root reads a file whatever its mode
        if got != expected:
            zoo_wrong.append(f"{name}: expected {expected}, recorded {got}")
    pages = tally.pages
    print(summary.rstrip())
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"bulk: {len(rows)} documents ({len(manifest['variants'])} verdicts + {len(zoo)} zoo files), {pages} pages")
    print(f"time: {elapsed:.0f} s end to end, {pages / elapsed:.1f} pages/s, {len(rows) / elapsed:.2f} documents/s")
    print(
        f"resident memory of the whole process tree: peak {max(samples, default=0):.0f} MB; "
        f"mean per quarter of the run {', '.join(f'{sum(q) / len(q):.0f}' for q in _quarters(samples))} MB"
    )
    expected = manifest["totals"]["decisions"]
    print(f"decisions: {tally.defendants} defendants, {dict(tally.decisions)} (manifest: {expected})")
    print(f"variants whose decisions differ from the manifest: {len(wrong)}" + (f" — {wrong[:10]}" if wrong else ""))
    print(f"zoo files recorded as expected: {len(zoo) - len(zoo_wrong)} of {len(zoo)}")
    for line in zoo_wrong:
        print(f"  {line}")


def _draws(out: Path, sets: list[Path], draws: int, cores: int) -> None:
    """Score each gold set on ``draws`` other photocopies of its verdicts: charges F1, sentence, decision, silent
    errors, documents that failed to read and documents sent to review."""
    from extractor.batch import run_batch
    from extractor.evaluate import evaluate, load_gold
    from extractor.fixtures import render_all

    print(f"{'draw':>4} {'set':<24} {'docs':>4} {'charges F1':>10} {'kind+term':>9} {'decision':>8} "
          f"{'silent':>6} {'failed':>6} {'flagged':>7}")  # fmt: skip
    for draw in range(1, draws + 1):
        files: dict[Path, list[Path]] = {}
        for gold_set in sets:
            target = out / str(draw) / gold_set
            render_all(gold_set, target, scans=True, draw=draw)
            files[gold_set] = sorted((target / "scans").glob("*.pdf"))
        predictions: dict[str, dict] = {}
        everything = [f for chosen in files.values() for f in chosen]
        for path, message in run_batch(everything, partial(_keep, predictions), jobs=cores):
            predictions[path.stem] = {"id": path.stem, "status": "failed", "defendants": [], "error": message}
        for gold_set in sets:
            report = evaluate(load_gold(gold_set), predictions, title=str(gold_set))
            silent = len(report.silent_fact_errors) + len(report.silent_decision_errors)
            name = gold_set.name if gold_set.name != "verdicts" else "verdicts (base)"
            print(
                f"{draw:>4} {name:<24} {report.documents:>4} {report.scores['charges'].f1 or 0:>10.3f} "
                f"{_exact(report, 'sentence.kind+term'):>9} {_exact(report, 'eligibility.decision'):>8} "
                f"{silent:>6} {len(report.failed):>6} {report.flagged_documents:>7}",
                flush=True,  # a draw takes minutes: show each as it ends, also into a file
            )


def _keep(predictions: dict[str, dict], facts) -> None:
    predictions[facts.id] = facts.model_dump(mode="json")


def _exact(report, name: str) -> str:
    value = report.scores[name].accuracy if name in report.scores else None
    return "—" if value is None else f"{value:.3f}"


def _quarters(values: list[float]) -> list[list[float]]:
    n = len(values)
    return [q for i in range(4) if (q := values[i * n // 4 : (i + 1) * n // 4])]


def main() -> None:
    from extractor.cli import cpu_count

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--repeat", type=int, default=3, help="passes over the folder")
    parser.add_argument("--scans", action="store_true", help="the folder holds scans: OCR benchmark")
    parser.add_argument("--limit", type=int, default=10, help="with --scans: documents to OCR")
    parser.add_argument("--bulk", action="store_true", help="the folder is a bulk corpus (python -m extractor.corpus)")
    parser.add_argument("--letters", action="store_true", help="the folder holds Kazakh scans: OCR of ә ғ қ ...")
    parser.add_argument("--text", type=Path, help="with --letters: the folder of the scans' source .txt files")
    parser.add_argument("--draws", type=int, help="other photocopies of each --gold set: how many draws to score")
    parser.add_argument("--gold", type=Path, action="append", default=[], help="with --draws: a gold set (repeat)")
    args = parser.parse_args()
    if args.draws:
        if not args.gold:
            parser.error("--draws needs at least one --gold FOLDER")
        _draws(args.folder, args.gold, args.draws, cpu_count())
        return
    if args.letters:
        if args.text is None:
            parser.error("--letters needs --text FOLDER (the source .txt files)")
        _letters(args.folder, args.text)
        return
    if args.bulk:
        _bulk(args.folder, cpu_count())
        return
    if args.scans:
        _scans(args.folder, args.limit, cpu_count())
        return
    distinct = sorted(args.folder.glob("*.pdf"))
    if not distinct:
        raise SystemExit(f"{args.folder}: no PDFs (run `make fixtures` first)")
    files = distinct * args.repeat
    cores = cpu_count()

    start = time.perf_counter()
    from extractor.grammar.vocab import LANGUAGES
    from extractor.nlp import build_nlp

    for lang in LANGUAGES:
        build_nlp(lang)
    startup = time.perf_counter() - start
    pages, single = _screen(files, workers=1)
    _, parallel = _screen(files, workers=cores)

    per_page = _characters(distinct) * args.repeat / pages
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"documents: {len(files)} ({len(distinct)} distinct), pages: {pages}, {per_page:.0f} characters/page")
    print(f"pipeline load (spaCy + pymorphy3 + patterns): {startup:.2f} s")
    print(f"screen --workers 1: {pages / single:.1f} pages/s ({single / len(files) * 1000:.0f} ms/document)")
    print(
        f"screen --workers {cores}: {pages / parallel:.1f} pages/s end to end (worker start-up included), "
        f"{single / parallel:.2f}x --workers 1"
    )


if __name__ == "__main__":
    main()
