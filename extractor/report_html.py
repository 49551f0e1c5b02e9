"""The screening store as one HTML page for the people who answer for a run: what was read, what the amnesty
does to how many defendants, where and when, what failed and why, and how fast it went.

The page is self-contained (inline CSS and SVG, no script, no external URL) so it can be mailed, archived and
printed on A4 in black and white: every bar carries its number as text and every chart is also a table. The
store is opened read-only, in one read transaction, so a run writing at the same time cannot make the sections
disagree.
"""

from __future__ import annotations

import datetime as dt
import math
import sqlite3
from collections import Counter, defaultdict
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from extractor.store import SCHEMA_VERSION, StoreError
from models.eligibility import Decision

TEMPLATES = Path(__file__).parent / "templates"
TOP_COURTS = 15
FAILURE_EXAMPLES = 5
BAR_WIDTH = 120  # px of the longest bar of a chart
UNDECIDED = "undecided"  # a defendant row without a decision (extracted, never screened)
UNKNOWN = "unknown"
OTHER = "other"
# From what the act does for the defendant to why it does nothing (the order of the charts and tables).
DECISIONS = (Decision.release, Decision.reduce, Decision.excluded, Decision.not_covered, Decision.not_applicable)


@dataclass(frozen=True)
class ReportTotals:
    """The numbers the page shows, for callers and tests. Defendant buckets count defendants."""

    documents: int = 0
    done: int = 0
    needs_review: int = 0  # documents
    failed: int = 0
    defendants: int = 0
    defendants_needing_review: int = 0
    pages: int = 0
    ocr_pages: int = 0
    decisions: dict[str, int] = field(default_factory=dict)
    review_by_decision: dict[str, int] = field(default_factory=dict)
    courts: dict[str, int] = field(default_factory=dict)  # the top 15 courts, then "other", then "unknown"
    months: dict[str, int] = field(default_factory=dict)  # month of the offence, YYYY-MM, then "unknown"
    failures: dict[str, int] = field(default_factory=dict)  # failed documents by reason
    runs: int = 0  # finished runs
    run_documents: int = 0
    run_pages: int = 0
    run_seconds: float = 0.0

    @property
    def review_rate(self) -> float:
        return self.defendants_needing_review / self.defendants if self.defendants else 0.0

    @property
    def pages_per_second(self) -> float:
        return self.run_pages / self.run_seconds if self.run_seconds else 0.0


# How a series is drawn: fill, and stripes (colour, width) where a fill alone would print as the same grey as
# another series on a black-and-white printer.
STYLES: dict[str, tuple[str, str | None, float]] = {
    "release": ("#1b7837", None, 0),
    "reduce": ("#7fbf7b", None, 0),
    "excluded": ("#f1e4f3", "#762a83", 2.4),
    "not_covered": ("#ffffff", "#555555", 0.8),
    "not_applicable": ("#ececec", None, 0),
    UNDECIDED: ("#ffffff", None, 0),
    "review": ("#fde0c5", "#b34700", 1.6),
    "clear": ("#4a6a85", None, 0),
}
DEFAULT_STYLE = ("#999999", None, 0)
STRIPE_STEP = 4.0


@dataclass(frozen=True)
class Segment:
    """One series' part of a bar: a rectangle from ``x``, with stripe positions if the series is striped."""

    key: str
    x: float
    width: float

    @property
    def fill(self) -> str:
        return STYLES.get(self.key, DEFAULT_STYLE)[0]

    @property
    def stripe(self) -> tuple[str | None, float]:
        return STYLES.get(self.key, DEFAULT_STYLE)[1:]

    @property
    def stripes(self) -> list[float]:
        """Left edges of the stripes: every ``STRIPE_STEP`` px of the chart, so that all bars line up."""
        colour, width = self.stripe
        if colour is None:
            return []
        first = math.ceil(self.x / STRIPE_STEP) * STRIPE_STEP + 1
        n = math.floor((self.x + self.width - width - first) / STRIPE_STEP) + 1
        return [round(first + i * STRIPE_STEP, 2) for i in range(max(0, n))]


@dataclass(frozen=True)
class Bar:
    label: str
    counts: dict[str, int]
    total: int
    segments: list[Segment]

    @property
    def end(self) -> float:
        return self.segments[-1].x + self.segments[-1].width if self.segments else 0.0


@dataclass(frozen=True)
class Chart:
    """Stacked horizontal bars, one per bucket, scaled to the largest total."""

    series: list[str]
    bars: list[Bar]
    width: int = BAR_WIDTH

    @property
    def total(self) -> int:
        return sum(bar.total for bar in self.bars)

    @property
    def legend(self) -> list[Segment]:
        return [Segment(key, 0.5, 11) for key in self.series]


def chart(buckets: dict[str, Counter[str]], series: list[str]) -> Chart:
    top = max((sum(c[k] for k in series) for c in buckets.values()), default=0) or 1
    bars = []
    for label, counts in buckets.items():
        x, segments = 0.0, []
        for key in series:
            width = counts[key] / top * BAR_WIDTH
            if width:
                segments.append(Segment(key, round(x, 2), round(width, 2)))
            x += width
        bars.append(Bar(label, {k: counts[k] for k in series}, sum(counts[k] for k in series), segments))
    return Chart(series, bars)


def write_report(store_path: Path, out: Path) -> ReportTotals:
    """Write the HTML report of the store at ``store_path`` to ``out``; returns the numbers it shows."""
    try:
        db = sqlite3.connect(
            f"file:{quote(str(store_path.resolve()))}?mode=ro", uri=True, timeout=30, isolation_level=None
        )
    except sqlite3.Error as exc:
        raise StoreError(f"{store_path}: cannot open the store ({exc})") from exc
    with closing(db):
        try:
            db.row_factory = sqlite3.Row
            db.execute("BEGIN")  # one snapshot for every query below
            context = _gather(db, store_path)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{store_path}: not a readable screening store ({exc})") from exc
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = _num
    env.filters["pct"] = _pct
    env.filters["breakable"] = lambda name: name.replace("_", "_\u200b")  # lets not_applicable wrap in a header
    out.write_text(env.get_template("report.html.j2").render(**context), encoding="utf-8")
    return context["totals"]


def _gather(db: sqlite3.Connection, store_path: Path) -> dict[str, Any]:
    version = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    if version is None or version[0] != str(SCHEMA_VERSION):
        found = version[0] if version else "none"
        raise StoreError(f"{store_path}: store schema version {found}, this tool reads version {SCHEMA_VERSION}")
    docs = db.execute(
        "SELECT COUNT(*), TOTAL(status = 'done'), TOTAL(status = 'needs_review'), TOTAL(status = 'failed'),"
        " TOTAL(pages), TOTAL(ocr_pages) FROM documents"
    ).fetchone()

    decisions: Counter[str] = Counter()
    review: Counter[str] = Counter()
    courts: defaultdict[str | None, Counter[str]] = defaultdict(Counter)
    months: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for decision, flagged, offense_date, court in db.execute(
        "SELECT p.decision, p.needs_review, p.offense_date, d.court FROM defendants p JOIN documents d USING (path)"
    ):
        key = decision or UNDECIDED
        decisions[key] += 1
        review[key] += bool(flagged)
        courts[court or None][key] += 1
        months[offense_date[:7] if offense_date else UNKNOWN][key] += 1
    order = _order(decisions)

    failures: defaultdict[str, list[sqlite3.Row]] = defaultdict(list)
    for row in db.execute("SELECT reason, path, error FROM documents WHERE status = 'failed' ORDER BY path"):
        failures[row["reason"] or UNKNOWN].append(row)
    by_reason = sorted(failures.items(), key=lambda item: (-len(item[1]), item[0]))

    runs = db.execute("SELECT * FROM runs ORDER BY id").fetchall()
    finished = [r for r in runs if r["state"] == "finished"]
    provenance = db.execute(
        "SELECT rules_sha256, tool_version, COUNT(*) AS documents FROM documents GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2"
    ).fetchall()

    court_buckets = _top_courts(courts)
    month_buckets = dict(sorted(months.items(), key=lambda item: (item[0] == UNKNOWN, item[0])))
    totals = ReportTotals(
        documents=docs[0],
        done=int(docs[1]),
        needs_review=int(docs[2]),
        failed=int(docs[3]),
        defendants=decisions.total(),
        defendants_needing_review=review.total(),
        pages=int(docs[4]),
        ocr_pages=int(docs[5]),
        decisions={k: decisions[k] for k in order},
        review_by_decision={k: review[k] for k in order},
        courts={k: c.total() for k, c in court_buckets.items()},
        months={k: c.total() for k, c in month_buckets.items()},
        failures={reason: len(rows) for reason, rows in by_reason},
        runs=len(finished),
        run_documents=sum(r["documents"] for r in finished),
        run_pages=sum(r["pages"] for r in finished),
        run_seconds=sum(r["seconds"] or 0.0 for r in finished),
    )
    return {
        "totals": totals,
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "store_path": str(store_path.resolve()),
        "latest_run": runs[-1] if runs else None,
        "other_runs": Counter(r["state"] for r in runs if r["state"] != "finished"),
        "decisions": chart(
            {k: Counter(review=review[k], clear=decisions[k] - review[k]) for k in order}, ["review", "clear"]
        ),
        "courts": chart(court_buckets, order),
        "months": chart(month_buckets, order),
        "failures": [(reason, len(rows), [_example(r) for r in rows[:FAILURE_EXAMPLES]]) for reason, rows in by_reason],
        "runs": finished,
        "provenance": provenance if len(provenance) > 1 else [],
    }


def _order(decisions: Counter[str]) -> list[str]:
    """The decisions present in ``DECISIONS`` order, then any value this tool does not know, then the undecided."""
    known = [d.value for d in DECISIONS if d.value in decisions]
    rest = sorted(k for k in decisions if k not in known and k != UNDECIDED)
    return known + rest + ([UNDECIDED] if UNDECIDED in decisions else [])


def _top_courts(courts: dict[str | None, Counter[str]]) -> dict[str, Counter[str]]:
    named = sorted((c for c in courts if c is not None), key=lambda c: (-courts[c].total(), c))
    buckets = {c: courts[c] for c in named[:TOP_COURTS]}
    if rest := named[TOP_COURTS:]:
        buckets[OTHER] = sum((courts[c] for c in rest), Counter())
    if None in courts:
        buckets[UNKNOWN] = courts[None]
    return buckets


def _example(row: sqlite3.Row) -> tuple[str, str]:
    return Path(row["path"]).name, row["error"] or ""


def _num(value: float | None, digits: int = 0) -> str:
    """Digits grouped by a narrow no-break space (12 345), as both Russian and SI print them."""
    if value is None:
        return "—"
    return f"{value:,.{digits}f}".replace(",", "\u202f")


def _pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "—"
