"""The ``verdicts`` command line. Heavy libraries are imported inside commands so ``--help`` is instant."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from extractor.errors import ExitCode

app = typer.Typer(
    name="verdicts",
    help="Read Kazakhstan criminal verdicts (PDF) and extract the facts amnesty screening needs.",
    no_args_is_help=True,
    add_completion=False,
)

Inputs = Annotated[
    list[Path], typer.Argument(help="Verdict PDFs (or .txt with form-feed page breaks), or folders of PDFs.")
]


OcrLang = Annotated[str, typer.Option("--ocr-lang", help="Tesseract languages for scanned pages, joined with '+'.")]
SearchableDir = Annotated[
    Path | None,
    typer.Option("--searchable-dir", help="Also write each OCRed file here as a searchable PDF/A (for archives)."),
]


def read_options(ocr_lang: str, searchable_dir: Path | None):  # -> ReadOptions
    from extractor.batch import ReadOptions
    from extractor.ocr import OcrSettings

    languages = tuple(lang for lang in ocr_lang.split("+") if lang)
    if not languages:
        raise fail("--ocr-lang needs at least one Tesseract language, e.g. rus+kaz+eng")
    return ReadOptions(ocr=OcrSettings(languages=languages), searchable_dir=searchable_dir)


def cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def fail(message: str) -> typer.Exit:
    """One line on stderr and exit status 2 (bad arguments)."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(2)


def collect(inputs: list[Path]) -> list[Path]:
    """Expand folders into their PDFs (sorted, recursively, through linked folders); keep files as given so that a
    missing or bad one is reported as that file's failure, not skipped. A folder without PDFs yields its text
    verdicts (.txt with form-feed page breaks, as in ``fixtures/verdicts``)."""
    files: list[Path] = []
    for item in inputs:
        if item.is_dir():
            found = _walk(item, (".pdf",))
            if not found:
                found = _walk(item, (".txt",))
                if found:
                    typer.echo(f"note: {item}: no PDF files; reading its {len(found)} .txt verdicts", err=True)
            if not found:
                typer.echo(f"warning: {item}: no PDF or .txt verdicts in this folder", err=True)
            files.extend(found)
        else:
            files.append(item)
    return files


def _walk(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    """Files under ``folder`` with one of ``suffixes`` (any case), following linked folders once each. A broken
    link or an unreadable file is listed (its failure is recorded); an unreadable folder is warned about."""
    found: list[Path] = []
    seen: set[tuple[int, int]] = set()

    def unreadable(exc: OSError) -> None:
        typer.echo(f"warning: {exc.filename}: cannot list this folder ({exc.strerror}); left out", err=True)

    for root, dirs, names in os.walk(folder, followlinks=True, onerror=unreadable):
        st = os.stat(root)
        if (st.st_dev, st.st_ino) in seen:  # a link back up the tree, or the same folder linked twice
            dirs.clear()
            continue
        seen.add((st.st_dev, st.st_ino))
        found.extend(Path(root, n) for n in names if n.lower().endswith(suffixes))
    return sorted(found)


def unique_paths(files: list[Path]) -> list[str]:
    """Absolute, normalised paths, each document once: the same file given twice, through two overlapping folders
    or a link, is read and recorded once (under the first name met)."""
    paths, seen = [], set()
    for file in files:
        path = os.path.normpath(os.path.abspath(file))
        real = os.path.realpath(path)
        if real not in seen:
            seen.add(real)
            paths.append(path)
    return paths


@app.command()
def extract(
    inputs: Inputs,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write JSON Lines here instead of stdout.")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=0, help="Worker processes; 0 = all cores.")] = 0,
    ocr_lang: OcrLang = "rus+kaz+eng",
    searchable_dir: SearchableDir = None,
) -> None:
    """Extract facts from verdicts: one JSON object per document (JSON Lines). Scanned pages are OCRed."""
    from extractor.batch import run_batch

    options = read_options(ocr_lang, searchable_dir)
    files = collect(inputs)
    if not files:
        raise fail("no input files")
    try:
        sink = out.open("w", encoding="utf-8") if out else sys.stdout
    except OSError as exc:
        raise fail(f"{out}: cannot write the output ({exc.strerror})") from exc
    try:
        failed = run_batch(
            files, lambda facts: sink.write(facts.model_dump_json() + "\n"), jobs=jobs or cpu_count(), options=options
        )
    finally:
        if out:
            sink.close()
    raise typer.Exit(ExitCode.some_failed if failed else ExitCode.ok)


@app.command()
def evaluate(
    gold: Annotated[Path, typer.Option(help="Folder of gold *.json files.")],
    pred: Annotated[Path | None, typer.Option(help="Predictions as JSON Lines (from `verdicts extract`).")] = None,
    docs: Annotated[Path | None, typer.Option(help="Folder of verdict PDFs to extract now.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    show_errors: Annotated[
        bool, typer.Option("--errors", help="Also list every mismatch (the --json output always has them).")
    ] = False,
) -> None:
    """Per-field precision, recall, F1 and exact-match accuracy against gold annotations."""
    from extractor.batch import run_batch
    from extractor.evaluate import evaluate as run_eval
    from extractor.evaluate import load_gold, read_predictions

    if (pred is None) == (docs is None):
        raise fail("give exactly one of --pred FILE.jsonl or --docs DIR")
    for path, what in ((gold, "folder"), (docs, "folder"), (pred, "file")):
        if path is not None and not (path.is_dir() if what == "folder" else path.is_file()):
            raise fail(f"{path}: no such {what}")
    try:
        gold_docs = load_gold(gold)
        predictions = read_predictions(pred) if pred is not None else {}
    except (FileNotFoundError, ValueError, KeyError) as exc:
        raise fail(f"{exc}") from exc
    if docs is not None:
        predictions = {}
        files = [p for p in collect([docs]) if p.stem in gold_docs] or sorted(
            p for p in docs.glob("*.txt") if p.stem in gold_docs
        )
        failures = run_batch(
            files,
            lambda facts: predictions.__setitem__(facts.id, json.loads(facts.model_dump_json())),
            jobs=cpu_count(),
        )
        for path, message in failures:  # as a screening's export records them
            predictions[path.stem] = {"id": path.stem, "status": "failed", "defendants": [], "error": message}
    report = run_eval(gold_docs, predictions, title=str(gold))
    if as_json:
        typer.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        return
    from extractor.report import print_scores

    print_scores(report, show_errors=show_errors)


LawName = Annotated[str, typer.Option("--law", help="Rule set to apply (see `verdicts laws`).")]
RulesFile = Annotated[
    Path | None, typer.Option("--rules", help="A rules file (TOML) to apply instead, e.g. a corrected copy.")
]


def load_rules(law: str, rules: Path | None):  # -> AmnestyLaw
    from extractor.amnesty.law import RulesFileError, get_law

    try:
        return get_law(law, rules)
    except RulesFileError as exc:
        raise fail(str(exc)) from exc


Workers = Annotated[
    int, typer.Option("--workers", "--jobs", "-j", min=0, help="Worker processes; 0 = one per CPU core.")
]


@app.command()
def screen(
    inputs: Inputs,
    db: Annotated[
        Path, typer.Option("--db", help="The store (SQLite): results are committed per document; a re-run resumes.")
    ] = Path("screening.sqlite"),
    jsonl: Annotated[
        Path | None, typer.Option("--jsonl", help="Also export these documents' facts + decisions as JSON Lines.")
    ] = Path("screening.jsonl"),
    csv_out: Annotated[
        Path | None, typer.Option("--csv", help="Also export one row per defendant (UTF-8 with BOM, for Excel).")
    ] = Path("screening.csv"),
    exports: Annotated[
        bool, typer.Option("--export/--no-export", help="Write the --jsonl and --csv files (the store is always kept).")
    ] = True,
    law: LawName = "kz-2022-152-VII",
    rules: RulesFile = None,
    workers: Workers = 0,
    force: Annotated[bool, typer.Option("--force", help="Read again documents an earlier run finished.")] = False,
    retry_failed: Annotated[
        bool, typer.Option("--retry-failed", help="Read again documents that failed for a reason in the file.")
    ] = False,
    time_limit: Annotated[
        float, typer.Option("--time-limit", min=1, help="Seconds a document may take, plus --page-time-limit a page.")
    ] = 300.0,
    page_time_limit: Annotated[float, typer.Option("--page-time-limit", min=0, help="Seconds more per page.")] = 60.0,
    memory_limit: Annotated[
        float, typer.Option("--memory-limit", min=64, help="MB a worker (with its OCR processes) may use.")
    ] = 1024.0,
    max_pages: Annotated[int, typer.Option("--max-pages", min=1, help="Refuse longer files (too_many_pages).")] = 1000,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Run on a Dask cluster (tcp://host:8786) instead of local workers."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only failures and the summary.")] = False,
    ocr_lang: OcrLang = "rus+kaz+eng",
    searchable_dir: SearchableDir = None,
) -> None:
    """Screen verdicts into a store: extract the facts, decide amnesty eligibility for every defendant, resume
    where a killed run stopped; print a summary. Exit status 0: all read; 1: some failed; 2: bad arguments."""
    from dataclasses import replace

    from extractor import bulk
    from extractor.export import export
    from extractor.progress import ScreenProgress
    from extractor.report import decisions_table, make_console, print_run, print_summary
    from extractor.screen import Tally, rows
    from extractor.store import Store, StoreError
    from extractor.workers import Limits

    act = load_rules(law, rules)
    options = replace(read_options(ocr_lang, searchable_dir), max_pages=max_pages)
    files = collect(inputs)
    if not files:
        raise fail("no input files")
    paths = unique_paths(files)
    job = bulk.Job(options=options, act=act)
    workers = workers or cpu_count()
    if scheduler:
        outcomes = lambda chosen: bulk.dask_outcomes(chosen, job, scheduler)  # noqa: E731
    else:
        limits = Limits(seconds=time_limit, per_page=page_time_limit, memory_mb=memory_limit)
        outcomes = lambda chosen: bulk.local_outcomes(chosen, job, workers, limits)  # noqa: E731
    console, progress_console = make_console(), make_console(stderr=True)
    try:
        store = Store(db)
        store.lock()
    except StoreError as exc:
        raise fail(str(exc)) from exc
    with store:
        chosen = bulk.plan(paths, store, job, force, retry_failed)
        if chosen.skipped or chosen.reused:
            progress_console.print(
                f"{db}: {len(chosen.skipped)} documents done by an earlier run are skipped"
                + (f", {len(chosen.reused)} copied from the same content under another name" if chosen.reused else "")
            )
        with ScreenProgress(len(chosen.run), progress_console, quiet=quiet) as progress:
            totals = bulk.run(
                store, chosen, job, outcomes, workers=workers, backend=scheduler or "local",
                inputs=[str(i) for i in inputs], on_outcome=progress.update,
            )  # fmt: skip
        tally = Tally.from_store(store, paths)
        if not quiet and tally.defendants <= 200:
            console.print(decisions_table([r for r in rows(store, paths=paths) if r["defendant"]]))
        print_summary(tally, act.id, console)
        print_run(totals, len(chosen.skipped) + len(chosen.reused), console)
        written = []
        for out, fmt in ((jsonl, "jsonl"), (csv_out, "csv")):
            if exports and out is not None:
                try:
                    export(store, out, fmt, paths=paths)
                except OSError as exc:
                    raise fail(f"{exc.filename}: cannot write the output ({exc.strerror})") from exc
                written.append(str(out))
    console.print(f"store: {db}" + (f"; wrote {' and '.join(written)}" if written else ""))
    raise typer.Exit(ExitCode.some_failed if tally.failures else ExitCode.ok)


@app.command("export")
def export_cmd(
    db: Annotated[Path, typer.Option("--db", help="A store written by `verdicts screen`.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="The file to write.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="csv, jsonl or xlsx.")] = "csv",
    only: Annotated[
        str | None, typer.Option("--only", help="Only documents of this status: done, needs_review or failed.")
    ] = None,
    audit: Annotated[
        bool, typer.Option("--audit", help="Export the review audit trail (every change and decision version).")
    ] = False,
) -> None:
    """Export a store: one row per defendant (and per failed document) as CSV/Excel, or facts as JSON Lines."""
    from extractor.export import AUDIT_FORMATS, FORMATS, export, export_audit

    formats = AUDIT_FORMATS if audit else FORMATS
    if fmt not in formats:
        raise fail(f"--format {fmt}: one of {', '.join(formats)}" + (" with --audit" if audit else ""))
    if only not in (None, "done", "needs_review", "failed"):
        raise fail(f"--only {only}: one of done, needs_review, failed")
    with open_store(db) as store:
        try:
            written = export_audit(store, out, fmt) if audit else export(store, out, fmt, only)
        except OSError as exc:
            raise fail(f"{out}: cannot write ({exc.strerror})") from exc
    typer.echo(f"wrote {written} {'audit ' if audit else ''}rows to {out}", err=True)


@app.command()
def review(
    db: Annotated[Path, typer.Option("--db", help="A store written by `verdicts screen`.")],
    host: Annotated[str, typer.Option("--host", help="Address to listen on; beyond 127.0.0.1 needs accounts.")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8000,
    reviewer: Annotated[
        str | None, typer.Option("--reviewer", help="Your name in the audit trail (local use; default: login name).")
    ] = None,
    accounts: Annotated[
        bool, typer.Option("--accounts", help="Require reviewers to sign in even on 127.0.0.1.")
    ] = False,
    law: LawName = "kz-2022-152-VII",
    rules: RulesFile = None,
    certfile: Annotated[Path | None, typer.Option("--ssl-certfile", help="Serve HTTPS with this certificate.")] = None,
    keyfile: Annotated[Path | None, typer.Option("--ssl-keyfile", help="… and this key.")] = None,
    insecure: Annotated[
        bool, typer.Option("--insecure", help="Allow plain HTTP beyond 127.0.0.1 (a network you trust).")
    ] = False,
    allow_host: Annotated[
        list[str] | None, typer.Option("--allow-host", help="Another name reviewers reach this server by.")
    ] = None,
) -> None:
    """Start the review workspace: a local web application to confirm or correct uncertain extractions."""
    import getpass

    import uvicorn

    from extractor.webapp import LOOPBACK, create_app

    act = load_rules(law, rules)
    with open_store(db) as store:
        reviewers = store.db.execute("SELECT count(*) FROM reviewers").fetchone()[0]
    accounts = accounts or host not in LOOPBACK
    if accounts and not reviewers:
        raise fail(
            f"--host {host}: other machines can reach this address, so reviewers must sign in; add accounts first "
            f"with `verdicts reviewer add NAME --db {db}`"
        )
    if host not in LOOPBACK and not certfile and not insecure:
        raise fail(
            f"--host {host}: passwords and verdicts would cross the network unencrypted; give --ssl-certfile and "
            "--ssl-keyfile (or --insecure on a network you trust)"
        )
    names = tuple(h for h in (host, *(allow_host or ())) if h not in LOOPBACK and h not in ("0.0.0.0", "::"))
    if host not in LOOPBACK and not names:
        raise fail(f"--host {host}: say by which name or address reviewers reach it, e.g. --allow-host review.court.kz")
    application = create_app(
        db, act, reviewer=reviewer or getpass.getuser(), accounts=accounts, secure_cookies=certfile is not None,
        hosts=names,
    )  # fmt: skip
    typer.echo(f"review workspace on http{'s' if certfile else ''}://{host}:{port}/ (Ctrl-C stops it)", err=True)
    uvicorn.run(
        application, host=host, port=port, log_level="warning",
        ssl_certfile=str(certfile) if certfile else None, ssl_keyfile=str(keyfile) if keyfile else None,
    )  # fmt: skip


reviewer_app = typer.Typer(help="Reviewer accounts of a store (needed when the review workspace is shared).")
app.add_typer(reviewer_app, name="reviewer")


@reviewer_app.command("add")
def reviewer_add(
    name: Annotated[str, typer.Argument(help="The reviewer's name as it will appear in the audit trail.")],
    db: Annotated[Path, typer.Option("--db", help="The store.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Add a reviewer account (or set its password); the password is stored as an argon2 hash."""
    from extractor.store import now
    from extractor.webapp import hash_password

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    if len(password) < 10:
        raise fail("the password needs at least 10 characters")
    with open_store(db) as store:
        store.db.execute(
            "INSERT INTO reviewers VALUES (?, ?, ?)"
            " ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash",
            (name, hash_password(password), now()),
        )
    typer.echo(f"reviewer {name} can sign in", err=True)


@app.command()
def report(
    db: Annotated[Path, typer.Option("--db", help="A store written by `verdicts screen`.")],
    html: Annotated[Path, typer.Option("--html", help="Write one self-contained HTML page here.")],
) -> None:
    """A one-page report of a store for a court's head: totals, decisions by kind, court and month, failures."""
    from extractor.report_html import write_report
    from extractor.store import StoreError

    with open_store(db):
        pass  # a clear error for a missing or foreign file before the report reads it
    try:
        write_report(db, html)
    except StoreError as exc:
        raise fail(str(exc)) from exc
    except OSError as exc:
        raise fail(f"{html}: cannot write ({exc.strerror})") from exc
    typer.echo(f"wrote {html}", err=True)


def open_store(db: Path):  # -> Store
    from extractor.store import Store, StoreError

    if not db.is_file():
        raise fail(f"{db}: no such store (write one with `verdicts screen ... --db {db}`)")
    try:
        return Store(db)
    except StoreError as exc:
        raise fail(str(exc)) from exc


@app.command()
def check(
    facts_file: Annotated[
        Path, typer.Argument(help="Facts as `extract` or `screen` write them (JSON or JSON Lines), corrected or not.")
    ],
    law: LawName = "kz-2022-152-VII",
    rules: RulesFile = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the facts with eligibility as JSON Lines.")] = False,
) -> None:
    """Decide again from facts, e.g. after a reviewer corrected them by hand; explains every decision."""
    from pydantic import ValidationError

    from extractor.amnesty.engine import decide_all
    from extractor.report import make_console, print_explanation
    from models import VerdictFacts

    act = load_rules(law, rules)
    try:
        text = facts_file.read_text(encoding="utf-8")
    except OSError as exc:
        raise fail(f"{facts_file}: cannot read ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise fail(f"{facts_file}: not UTF-8 text (byte {exc.start}); facts files are JSON in UTF-8") from exc
    if not text.strip():
        raise fail(f"{facts_file}: empty; expected the facts of one or more verdicts as JSON")
    try:
        try:
            documents = [json.loads(text)]
        except json.JSONDecodeError:
            documents = [json.loads(line) for line in text.splitlines() if line.strip()]
        # Files that failed (in a `screen` export) have no facts to decide from.
        verdicts = [VerdictFacts.model_validate(doc) for doc in documents if doc.get("status") != "failed"]
    except json.JSONDecodeError as exc:
        raise fail(f"{facts_file}: not JSON or JSON Lines (line {exc.lineno}: {exc.msg})") from exc
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        raise fail(f"{facts_file}: not verdict facts ({where}: {first['msg']})") from exc
    console = make_console()
    for facts in verdicts:
        decide_all(facts, act)
        if as_json:
            typer.echo(facts.model_dump_json())
        else:
            console.print(f"[bold]{facts.id}[/bold] ({facts.source.path}) — {act.id}")
            print_explanation(facts, console)


laws_app = typer.Typer(help="The amnesty acts the tool knows (rule sets).", no_args_is_help=False)
app.add_typer(laws_app, name="laws")


@laws_app.callback(invoke_without_command=True)
def laws(ctx: typer.Context) -> None:
    """List the bundled rule sets; `verdicts laws show NAME` prints one."""
    if ctx.invoked_subcommand is not None:
        return
    from rich.table import Table

    from extractor.amnesty.law import bundled_laws
    from extractor.report import make_console

    table = Table(title="Rule sets")
    for column in ("name", "title", "in force", "file"):
        table.add_column(column, overflow="fold")
    for name in bundled_laws():
        act = load_rules(name, None)
        table.add_row(name, act.title_en, str(act.in_force), str(bundled_laws()[name]))
    make_console().print(table)


@laws_app.command("show")
def laws_show(
    name: Annotated[str, typer.Argument(help="A rule set name, or the path of a rules file.")] = "kz-2022-152-VII",
) -> None:
    """Print every rule of one act with its source: scope, covered offences, exclusions, effects, options."""
    from extractor.report import make_console, print_law

    path = Path(name)
    act = load_rules(name, path if path.suffix == ".toml" or path.is_file() else None)
    print_law(act, make_console())


@app.command()
def ocr(
    source: Annotated[Path, typer.Argument(help="A scanned verdict (PDF).")],
    target: Annotated[Path, typer.Argument(help="Where to write the searchable PDF/A.")],
    ocr_lang: OcrLang = "rus+kaz+eng",
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=0, help="Pages OCRed at once; 0 = all cores.")] = 0,
) -> None:
    """Write a searchable PDF/A of a scanned verdict: its pages with the OCR text layer, for archives."""
    import shutil
    from concurrent.futures import ProcessPoolExecutor

    from extractor.errors import VerdictError
    from extractor.ocr import OcrSettings, ocr_to_hocr, routing_reason
    from extractor.pages import _read_pdf, sha256_of

    if not source.is_file():
        raise fail(f"{source}: no such file")
    settings = read_options(ocr_lang, None).ocr
    settings = OcrSettings(languages=settings.languages, jobs=jobs or cpu_count())
    try:
        needed = [p.number for p in _read_pdf(source) if routing_reason(p.text, p.image_coverage)]
        if not needed:
            shutil.copyfile(source, target)
            typer.echo(f"{source}: every page has a usable text layer; copied unchanged to {target}", err=True)
            return
        # In a child process: OCRmyPDF keeps process-wide state (logging, plugins) that is not ours to share.
        with ProcessPoolExecutor(max_workers=1) as pool:
            pool.submit(ocr_to_hocr, source, sha256_of(source), needed, settings, target).result()
    except VerdictError as exc:
        typer.echo(f"error: {exc.describe()}", err=True)
        raise typer.Exit(exc.exit_code) from exc
    typer.echo(f"{source}: OCRed pages {', '.join(map(str, needed))}; wrote {target}", err=True)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the extracted facts."""
    from models import VerdictFacts

    typer.echo(json.dumps(VerdictFacts.model_json_schema(), ensure_ascii=False, indent=2))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
