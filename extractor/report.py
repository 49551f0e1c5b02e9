"""Rich tables for people: evaluation scores."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from extractor.evaluate import Report


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def print_scores(report: Report, console: Console | None = None, show_errors: bool = False) -> None:
    console = console or Console()
    table = Table(title=f"Extraction vs gold: {report.title} ({report.documents} documents)")
    for column in ("field", "precision", "recall", "F1", "exact", "n"):
        table.add_column(column, justify="left" if column == "field" else "right")
    for name, score in report.scores.items():
        table.add_row(
            name, _fmt(score.precision), _fmt(score.recall), _fmt(score.f1), _fmt(score.accuracy), str(score.total)
        )
    console.print(table)
    if report.documents:
        codes = ", ".join(f"{code} {n}" for code, n in sorted(report.flag_codes.items())) or "none"
        console.print(
            f"review rate: {report.flagged_documents} of {report.documents} documents carry review flags ({codes})"
        )
    if report.missing_predictions:
        console.print(f"no prediction for: {', '.join(report.missing_predictions)}")
    if show_errors:
        for m in report.mismatches:
            console.print(
                f"{m['document']} | {m['defendant']} | {m['field']}: gold={m['gold']} predicted={m['predicted']}",
                markup=False,
                highlight=False,
            )
