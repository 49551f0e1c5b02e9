"""The ``verdicts`` command line. Heavy libraries are imported inside commands so ``--help`` is instant."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    name="verdicts",
    help="Read Kazakhstan criminal verdicts (PDF) and extract the facts amnesty screening needs.",
    no_args_is_help=True,
    add_completion=False,
)

Inputs = Annotated[
    list[Path], typer.Argument(help="Verdict PDFs (or .txt with form-feed page breaks), or folders of PDFs.")
]


def cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def fail(message: str) -> typer.Exit:
    """One line on stderr and exit status 2 (bad arguments)."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(2)


def collect(inputs: list[Path]) -> list[Path]:
    """Expand folders into their PDFs (sorted, recursively); keep files as given so that a missing or bad one
    is reported as that file's failure, not skipped."""
    files: list[Path] = []
    for item in inputs:
        if item.is_dir():
            found = sorted(p for p in item.rglob("*") if p.suffix.lower() == ".pdf")
            if not found:
                typer.echo(
                    f"warning: {item}: no PDF files in this folder (.txt verdicts are taken one by one)", err=True
                )
            files.extend(found)
        else:
            files.append(item)
    return files


@app.command()
def extract(
    inputs: Inputs,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write JSON Lines here instead of stdout.")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=0, help="Worker processes; 0 = all cores.")] = 0,
) -> None:
    """Extract facts from verdicts: one JSON object per document (JSON Lines)."""
    from extractor.batch import run_batch

    files = collect(inputs)
    if not files:
        raise fail("no input files")
    try:
        sink = out.open("w", encoding="utf-8") if out else sys.stdout
    except OSError as exc:
        raise fail(f"{out}: cannot write the output ({exc.strerror})") from exc
    try:
        failed = run_batch(files, lambda facts: sink.write(facts.model_dump_json() + "\n"), jobs=jobs or cpu_count())
    finally:
        if out:
            sink.close()
    raise typer.Exit(3 if failed else 0)


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
        run_batch(
            files,
            lambda facts: predictions.__setitem__(facts.id, json.loads(facts.model_dump_json())),
            jobs=cpu_count(),
        )
    report = run_eval(gold_docs, predictions, title=str(gold))
    if as_json:
        typer.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        return
    from extractor.report import print_scores

    print_scores(report, show_errors=show_errors)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the extracted facts."""
    from models import VerdictFacts

    typer.echo(json.dumps(VerdictFacts.model_json_schema(), ensure_ascii=False, indent=2))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
