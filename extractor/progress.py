"""Progress of a screening run: a rich bar on a terminal, plain log lines (every ``every`` seconds) when the output
goes to a file or a scheduler's log. Failures are printed as they happen, one line each, naming the file."""

from __future__ import annotations

import datetime as dt
import time

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from extractor.bulk import RunTotals
from extractor.store import Outcome


def _eta(totals: RunTotals) -> str:
    if not totals.done or totals.done >= totals.total:
        return "—"
    left = totals.seconds / totals.done * (totals.total - totals.done)
    return str(dt.timedelta(seconds=round(left)))


def status_line(totals: RunTotals) -> str:
    rate = totals.pages / totals.seconds if totals.seconds else 0.0
    return (
        f"{totals.done}/{totals.total} documents, {totals.pages} pages, {rate:.1f} pages/s, "
        f"{totals.failed} failed, ETA {_eta(totals)}"
    )


class ScreenProgress:
    """Use as a context manager; call ``update`` with each committed outcome."""

    def __init__(self, total: int, console: Console, every: float = 30.0, quiet: bool = False) -> None:
        self.console, self.every, self.quiet = console, every, quiet
        self.live = console.is_terminal and total > 1
        self.last = time.monotonic()
        self.bar = Progress(
            TextColumn("screening"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("docs · {task.fields[pages]} pages · {task.fields[rate]:.1f} pages/s · "
                       "[red]{task.fields[failed]} failed[/red] · ETA"),
            TimeRemainingColumn(),
            console=console,
            transient=True,
            disable=not self.live,
        )  # fmt: skip
        self.task = self.bar.add_task("screening", total=total, pages=0, rate=0.0, failed=0)

    def __enter__(self) -> ScreenProgress:
        self.bar.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.bar.__exit__(*exc)

    def update(self, outcome: Outcome, totals: RunTotals) -> None:
        if outcome.status == "failed":
            reason = (outcome.error or "").split("\n")[0]
            self.console.print(f"failed [{outcome.reason}]: {reason}", markup=False, highlight=False)
        if self.live:
            rate = totals.pages / totals.seconds if totals.seconds else 0.0
            self.bar.update(self.task, completed=totals.done, pages=totals.pages, rate=rate, failed=totals.failed)
            return
        now = time.monotonic()
        if not self.quiet and (now - self.last >= self.every or totals.done == totals.total):
            self.last = now
            self.console.print(status_line(totals), markup=False, highlight=False)
