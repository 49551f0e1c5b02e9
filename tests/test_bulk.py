"""Bulk screening into a store: resume after a kill, skip what is done, re-read what changed, export."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from typer.testing import CliRunner

from extractor.cli import app
from extractor.errors import ExitCode
from extractor.store import Store

runner = CliRunner()
WIDE = {"COLUMNS": "200"}


@pytest.fixture
def folder(tmp_path: Path, rendered: dict[str, Path]) -> Path:
    """Twelve verdicts of the development set, as a clerk drops them."""
    docs = tmp_path / "in"
    docs.mkdir()
    for doc_id in sorted(rendered)[:12]:
        shutil.copy(rendered[doc_id], docs / f"{doc_id}.pdf")
    return docs


def screen(*args: str) -> object:
    return runner.invoke(app, ["screen", *args, "--quiet", "--workers", "2"], env=WIDE)


def decisions(db: Path) -> dict[tuple[str, int], tuple]:
    with sqlite3.connect(db) as con:
        return {
            (Path(r[0]).name, r[1]): r[2:]
            for r in con.execute("SELECT path, idx, name, charges, decision, effect, needs_review FROM defendants")
        }


def documents(db: Path) -> list[sqlite3.Row]:
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    with con:
        return con.execute("SELECT * FROM documents ORDER BY path").fetchall()


def test_a_second_run_skips_what_is_done_and_reads_what_changed(folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite"
    first = screen(str(folder), "--db", str(db), "--jsonl", str(tmp_path / "a.jsonl"), "--csv", str(tmp_path / "a.csv"))
    assert first.exit_code == 0, first.output
    assert "12 documents: 12 read" in first.stdout
    before = documents(db)
    assert {r["status"] for r in before} <= {"done", "needs_review"} and len(before) == 12

    again = screen(str(folder), "--db", str(db), "--jsonl", str(tmp_path / "b.jsonl"), "--csv", str(tmp_path / "b.csv"))
    assert again.exit_code == 0
    assert "this run: 0 documents read" in again.stdout and "12 done by an earlier run were skipped" in again.stdout
    assert "12 documents: 12 read" in again.stdout  # the summary covers the folder, not only this run
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()

    # One file replaced by another verdict, one only touched: only the first is read again.
    changed, touched = sorted(folder.glob("*.pdf"))[:2]
    shutil.copy(sorted(folder.glob("*.pdf"))[5], changed)
    os.utime(touched, ns=(time.time_ns(), time.time_ns()))
    third = screen(str(folder), "--db", str(db), "--no-export")
    assert "this run: 1 documents read" in third.stdout, third.stdout
    after = {r["path"]: r for r in documents(db)}
    assert after[str(changed)]["attempts"] == 2 and after[str(touched)]["attempts"] == 1

    forced = screen(str(folder), "--db", str(db), "--force", "--no-export")
    assert "this run: 12 documents read" in forced.stdout


def test_other_rules_or_settings_mean_reading_again(folder: Path, tmp_path: Path) -> None:
    from extractor.amnesty.law import bundled_laws

    db = tmp_path / "s.sqlite"
    assert screen(str(folder), "--db", str(db), "--no-export").exit_code == 0
    corrected = tmp_path / "corrected.toml"
    corrected.write_text(
        bundled_laws()["kz-2022-152-VII"].read_text(encoding="utf-8").replace("min_confidence = 0.75", "min_confidence = 0.8"),
        encoding="utf-8",
    )
    rerun = screen(str(folder), "--db", str(db), "--rules", str(corrected), "--no-export")
    assert "this run: 12 documents read" in rerun.stdout
    other_ocr = screen(str(folder), "--db", str(db), "--rules", str(corrected), "--ocr-lang", "rus", "--no-export")
    assert "this run: 12 documents read" in other_ocr.stdout


def test_new_patterns_mean_reading_again(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files read with other pattern data (a Kazakh verdict once recorded as unreadable, a cue tuned since) are
    read again by the next run, without --force."""
    import extractor.bulk

    db = tmp_path / "p.sqlite"
    assert screen(str(folder), "--db", str(db), "--no-export").exit_code == 0
    monkeypatch.setattr(extractor.bulk, "data_digest", lambda: "patterns of another release")
    rerun = screen(str(folder), "--db", str(db), "--no-export")
    assert "this run: 12 documents read" in rerun.stdout, rerun.stdout


def _screen_process(folder: Path, db: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "extractor.cli", "screen", str(folder), "--db", str(db), "--workers", "2",
         "--no-export", "--quiet"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _committed(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as con:
            return con.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def test_sigkill_mid_run_then_rerun_reads_every_document_exactly_once(folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "killed.sqlite"
    proc = _screen_process(folder, db)
    deadline = time.monotonic() + 120
    while _committed(db) < 3 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, f"the run ended before it could be killed: {proc.stderr.read()}"
    family = psutil.Process(proc.pid).children(recursive=True)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done_before = {r["path"]: r["run_id"] for r in documents(db)}
    assert 3 <= len(done_before) < 12
    # Nothing of the killed run goes on working (workers die with their parent).
    _, alive = psutil.wait_procs(family, timeout=15)
    assert not alive, [p.cmdline() for p in alive]

    rerun = _screen_process(folder, db)
    assert rerun.wait(timeout=300) == 0, rerun.stderr.read()
    rows = documents(db)
    assert sorted(Path(r["path"]).name for r in rows) == sorted(p.name for p in folder.glob("*.pdf"))
    assert all(r["status"] != "failed" and r["attempts"] == 1 for r in rows)
    for r in rows:  # what the killed run committed was kept, not read again
        if r["path"] in done_before:
            assert r["run_id"] == done_before[r["path"]]
    with sqlite3.connect(db) as con:
        states = [s for (s,) in con.execute("SELECT state FROM runs ORDER BY id")]
    assert states == ["interrupted", "finished"]

    clean = tmp_path / "clean.sqlite"
    assert screen(str(folder), "--db", str(clean), "--no-export").exit_code == 0
    assert decisions(db) == decisions(clean)


def test_exports_one_row_per_defendant_and_per_failed_file(folder: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    (folder / "broken.pdf").write_bytes(b"%PDF-1.7\n" + b"\x00" * 300)
    db = tmp_path / "s.sqlite"
    result = screen(str(folder), "--db", str(db), "--no-export")
    assert result.exit_code == ExitCode.some_failed == 1
    assert "corrupt_pdf" in result.stdout and "broken.pdf" in result.output
    people = len(decisions(db))

    out_csv, out_xlsx, out_jsonl = tmp_path / "x.csv", tmp_path / "x.xlsx", tmp_path / "x.jsonl"
    for out, fmt in ((out_csv, "csv"), (out_xlsx, "xlsx"), (out_jsonl, "jsonl")):
        done = runner.invoke(app, ["export", "--db", str(db), "--format", fmt, "--out", str(out)])
        assert done.exit_code == 0, done.output
    raw = out_csv.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and "ПРИГОВОР".encode() not in raw[:3]
    table = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert len(table) == people + 1
    failed = [r for r in table if r["status"] == "failed"]
    assert [(r["file"], r["failure_reason"]) for r in failed] == [("broken.pdf", "corrupt_pdf")]
    assert any(re_cyrillic(r["defendant"]) for r in table)

    sheet = load_workbook(out_xlsx, read_only=True)["defendants"]
    values = [[c if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)]
    assert values[0] == list(table[0].keys())
    assert values[1:] == [list(r.values()) for r in table]

    records = [json.loads(line) for line in out_jsonl.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 13 and sum(r["status"] == "failed" for r in records) == 1

    flagged = tmp_path / "review.csv"
    runner.invoke(app, ["export", "--db", str(db), "--only", "needs_review", "--out", str(flagged)])
    only = list(csv.DictReader(flagged.read_text(encoding="utf-8-sig").splitlines()))
    assert only and {r["status"] for r in only} == {"needs_review"}
    assert {r["status"] for r in table} >= {"done", "needs_review", "failed"}


def re_cyrillic(text: str) -> bool:
    return any("а" <= ch.lower() <= "я" for ch in text)


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    not_a_store = tmp_path / "x.sqlite"
    not_a_store.write_text("hello, not SQLite")
    for args in (
        ["export", "--db", str(tmp_path / "none.sqlite"), "--out", str(tmp_path / "o.csv")],
        ["export", "--db", str(not_a_store), "--out", str(tmp_path / "o.csv")],
        ["export", "--db", str(not_a_store), "--out", str(tmp_path / "o.csv"), "--format", "pdf"],
        ["screen", str(tmp_path), "--db", str(not_a_store)],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == ExitCode.bad_args, (args, result.output)
        assert "error:" in result.output


def test_store_rejects_a_foreign_schema(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    with Store(path) as store:
        store.db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(Exception, match="schema version 99"):
        Store(path)


def test_a_dask_cluster_screens_into_the_same_store(folder: Path, tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    local = tmp_path / "local.sqlite"
    assert screen(str(folder), "--db", str(local), "--no-export").exit_code == 0
    (folder / "not-a-pdf.pdf").write_text("Счет на оплату № 17", encoding="utf-8")
    db = tmp_path / "cluster.sqlite"
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1"
    ) as cluster:
        result = screen(str(folder), "--db", str(db), "--no-export", "--scheduler", cluster.scheduler_address)
    assert result.exit_code == ExitCode.some_failed, result.output
    assert decisions(db) == decisions(local)
    rows = {Path(r["path"]).name: r for r in documents(db)}
    assert rows["not-a-pdf.pdf"]["reason"] == "not_a_pdf"
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT backend, state FROM runs").fetchall() == [(cluster.scheduler_address, "finished")]


def test_progress_is_plain_log_lines_when_not_on_a_terminal() -> None:
    import io

    from rich.console import Console

    from extractor.bulk import RunTotals
    from extractor.progress import ScreenProgress
    from extractor.store import Outcome

    out = io.StringIO()
    totals = RunTotals(total=3, started=time.monotonic() - 10)
    with ScreenProgress(3, Console(file=out, width=200), every=0) as progress:
        for i, status in enumerate(("done", "failed", "needs_review"), start=1):
            totals.done, totals.pages = i, 4 * i
            totals.failed += status == "failed"
            outcome = Outcome(path=f"/in/{i}.pdf", status=status, reason="encrypted" if status == "failed" else None,
                              error=f"/in/{i}.pdf: the PDF is encrypted" if status == "failed" else None)
            progress.update(outcome, totals)
    lines = out.getvalue().splitlines()
    assert "failed [encrypted]: /in/2.pdf: the PDF is encrypted" in lines
    assert lines[-1].startswith("3/3 documents, 12 pages, 1.") and "1 failed" in lines[-1]
    assert not any("\x1b[" in line for line in lines), "no terminal escapes in a log file"


def test_a_zoo_of_bad_files_is_recorded_file_by_file_and_never_stops_the_batch(
    tmp_path: Path, rendered: dict[str, Path]
) -> None:
    from extractor.corpus import write_zoo

    expected = write_zoo(tmp_path, seed=1)
    zoo = tmp_path / "zoo"
    good = sorted(rendered)[:3]
    for doc_id in good:
        shutil.copy(rendered[doc_id], zoo / f"{doc_id}.pdf")
    db = tmp_path / "zoo.sqlite"
    result = runner.invoke(
        app,
        ["screen", str(zoo), "--db", str(db), "--no-export", "--quiet", "--workers", "2",
         "--time-limit", "3", "--page-time-limit", "6"],  # the 23 s page stops at 9 s; 3 OCR pages get 21 s
        env=WIDE,
    )  # fmt: skip
    assert result.exit_code == ExitCode.some_failed, result.output
    rows = {Path(r["path"]).name: r for r in documents(db)}
    assert len(rows) == len(expected) + len(good)
    for doc_id in good:
        assert rows[f"{doc_id}.pdf"]["status"] != "failed"
    for name, outcome in expected.items():
        row = rows[name]
        if outcome == "permission_denied" and os.geteuid() == 0:
            outcome = "read"  # root reads any file whatever its mode
        got = "read" if row["status"] != "failed" else row["reason"]
        assert got == outcome, f"{name}: {row['error']}"
        if got != "read":
            assert name in row["error"], "the message names the file"
            assert row["reason"] in result.stdout  # the failures-by-reason table
    assert "Failures by reason" in result.stdout


def test_failures_in_the_file_are_not_retried_but_failures_on_the_way_in_are(folder: Path, tmp_path: Path) -> None:
    import pikepdf

    verdicts = sorted(folder.glob("*.pdf"))
    with pikepdf.open(verdicts[0]) as pdf:
        pdf.save(folder / "locked.pdf", encryption=pikepdf.Encryption(user="secret", owner="secret"))
    later = tmp_path / "arrives-later.pdf"
    (folder / "link.pdf").symlink_to(later)
    db = tmp_path / "s.sqlite"
    first = screen(str(folder), "--db", str(db), "--no-export")
    assert first.exit_code == ExitCode.some_failed
    reasons = {Path(r["path"]).name: r["reason"] for r in documents(db)}
    assert reasons["locked.pdf"] == "encrypted" and reasons["link.pdf"] == "file_missing"

    shutil.copy(verdicts[1], later)  # the file the link points to turns up
    second = screen(str(folder), "--db", str(db), "--no-export")
    assert second.exit_code == ExitCode.some_failed  # the encrypted file is still failed (and not read again)
    assert "this run: 1 documents read" in second.stdout
    rows = {Path(r["path"]).name: r for r in documents(db)}
    assert rows["link.pdf"]["status"] != "failed", rows["link.pdf"]["error"]
    assert rows["locked.pdf"]["attempts"] == 1

    third = screen(str(folder), "--db", str(db), "--no-export", "--retry-failed")
    assert "this run: 1 documents read" in third.stdout
    assert {Path(r["path"]).name: r for r in documents(db)}["locked.pdf"]["attempts"] == 2


def test_each_document_once_whatever_the_way_it_is_given(folder: Path, tmp_path: Path) -> None:
    expected = sorted([p.name for p in folder.glob("*.pdf")] + ["linked-in.pdf"])
    sub = folder / "court2"
    sub.mkdir()
    for pdf in sorted(folder.glob("*.pdf"))[:2]:
        pdf.rename(sub / pdf.name)
    (tmp_path / "outside").mkdir()
    shutil.copy(sorted(folder.glob("*.pdf"))[0], tmp_path / "outside" / "linked-in.pdf")
    (folder / "linked-folder").symlink_to(tmp_path / "outside")  # a folder linked into the archive
    (folder / "loop").symlink_to(folder)  # and a link back up the tree
    db = tmp_path / "s.sqlite"
    given = [str(folder), str(sub), str(folder / ".." / folder.name / "court2"), str(next(sub.glob("*.pdf")))]
    result = screen(*given, "--db", str(db), "--no-export")
    assert result.exit_code == 0, result.output
    names = sorted(Path(r["path"]).name for r in documents(db))
    assert names == expected
    assert "this run: 13 documents read" in result.stdout


def test_the_same_content_under_a_new_name_is_copied_not_read(folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite"
    assert screen(str(folder), "--db", str(db), "--no-export").exit_code == 0
    moved = tmp_path / "moved"
    shutil.copytree(folder, moved)
    result = screen(str(moved), "--db", str(db), "--no-export")
    assert "this run: 0 documents read" in result.stdout and "12 copied" in result.output
    rows = {r["path"]: r for r in documents(db)}
    for path in moved.glob("*.pdf"):
        copy, original = rows[str(path)], rows[str(folder / path.name)]
        assert copy["attempts"] == 0 and copy["sha256"] == original["sha256"]
        assert json.loads(copy["facts_json"])["source"]["path"] == str(path)
    assert {k[0] for k in decisions(db)} == {p.name for p in folder.glob("*.pdf")}


def test_a_second_run_on_the_same_store_is_refused_while_one_writes(folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite"
    with Store(db) as running:
        running.lock()
        result = screen(str(folder), "--db", str(db), "--no-export")
        assert result.exit_code == ExitCode.bad_args
        assert f"pid {os.getpid()}" in result.output and "is writing this store" in result.output
    assert screen(str(folder), "--db", str(db), "--no-export").exit_code == 0


def test_a_file_replaced_while_it_is_read_is_not_recorded_with_the_other_version(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from extractor import bulk
    from extractor.amnesty.law import get_law
    from extractor.batch import ReadOptions

    first, second = sorted(folder.glob("*.pdf"))[:2]
    real = bulk.extract_one

    def read_then_replace(path: Path, options: ReadOptions):
        facts = real(path, options)
        shutil.copy(second, path)  # a re-scan copied over the file while it was being read
        return facts

    monkeypatch.setattr(bulk, "extract_one", read_then_replace)
    outcome = bulk.screen_one(str(first), bulk.Job(ReadOptions(), get_law("kz-2022-152-VII")))
    assert outcome.status == "failed" and outcome.reason == "file_changed"
    assert "changed while it was read" in (outcome.error or "")
    assert "file_changed" in bulk.RETRY_ALWAYS
