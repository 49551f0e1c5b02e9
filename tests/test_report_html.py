"""The HTML report of a screening store, built from real extractions of the fixture verdicts: its numbers are the
ones counted from the facts themselves, its tables agree with its charts, and it is one safe, self-contained page.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from contextlib import closing
from html.parser import HTMLParser
from pathlib import Path

import pytest

from extractor import __version__
from extractor.amnesty.engine import decide_all
from extractor.amnesty.law import get_law
from extractor.batch import process_one
from extractor.errors import EncryptedVerdictError, NotAPdfError
from extractor.report_html import ReportTotals, write_report
from extractor.store import Outcome, Store, StoreError
from models import VerdictFacts

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "verdicts"
SAMPLE = (
    "ru-001-theft-prior-conviction",  # release, needs review
    "ru-002-three-participants-riots",  # three defendants
    "ru-004-acquittal-and-conviction",  # not_applicable (acquitted, no offence date)
    "ru-007-boundary-date-8-january",  # not_covered
    "ru-009-torture-police-suppression",  # excluded
    "ru-010-terrorism-building-seizure",
    "ru-013-ordinary-theft-march-no-riots",  # March 2022
    "ru-014-corruption-bribe",  # February 2022
    "ru-020-termination-reconciliation",
)
EVIL = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
EVIL_FILE = "<img src=x onerror=alert(2)>.pdf"  # a file name cannot hold a slash
LAW = get_law("kz-2022-152-VII")
SECONDS = 4.0
VOID = {"meta", "br", "hr", "img", "input", "link", "wbr", "col", "area", "base", "source"}


@pytest.fixture(scope="module")
def screened() -> list[tuple[str, VerdictFacts]]:
    """(path, facts with eligibility) of the sample, read by the real pipeline from the fixture texts."""
    out = []
    for name in SAMPLE:
        path = FIXTURES / f"{name}.txt"
        result = process_one(path)
        assert result.facts_json is not None, result.error
        out.append((str(path), decide_all(VerdictFacts.model_validate_json(result.facts_json), LAW)))
    facts = dict(out)
    facts[str(FIXTURES / f"{SAMPLE[0]}.txt")].defendants[0].name.value = f"Тулегенов {EVIL}"
    facts[str(FIXTURES / f"{SAMPLE[6]}.txt")].court.value = f"Казыбекбийский {EVIL} суд"
    facts[str(FIXTURES / f"{SAMPLE[7]}.txt")].court.value = None  # the court was not read
    return out


FAILED = (
    ("scans/17.pdf", "not_a_pdf", NotAPdfError("scans/17.pdf").describe()),
    (f"scans/{EVIL_FILE}", "not_a_pdf", NotAPdfError(f"scans/{EVIL_FILE}").describe()),
    ("archive/locked.pdf", "encrypted", EncryptedVerdictError("archive/locked.pdf").describe()),
)


def _run(store: Store) -> int:
    return store.start_run(
        tool_version=__version__,
        rules_id=LAW.id,
        rules_sha256=LAW.sha256,
        settings="{}",
        workers=2,
        backend="process",
        inputs=[str(FIXTURES)],
    )


def _record(store: Store, run: int, outcome: Outcome) -> None:
    store.record(outcome, run_id=run, tool_version=__version__, rules_sha256=LAW.sha256, settings="{}")


def _expected(screened: list[tuple[str, VerdictFacts]]) -> ReportTotals:
    """The report's numbers counted from the facts, without the store."""
    people = [(facts, p) for _, facts in screened for p in facts.defendants]
    flagged = [bool(f.review_flags) or any(p.eligibility.needs_review for p in f.defendants) for _, f in screened]
    decisions = Counter(p.eligibility.decision.value for _, p in people)
    review = Counter(p.eligibility.decision.value for _, p in people if p.eligibility.needs_review)
    months = Counter(
        min(c.offense_date for c in p.charges if c.offense_date).strftime("%Y-%m")
        if any(c.offense_date for c in p.charges)
        else "unknown"
        for _, p in people
    )
    pages = sum(f.source.pages for _, f in screened)
    return ReportTotals(
        documents=len(screened) + len(FAILED),
        done=flagged.count(False),
        needs_review=flagged.count(True),
        failed=len(FAILED),
        defendants=len(people),
        defendants_needing_review=review.total(),
        pages=pages,
        ocr_pages=sum(len(f.source.ocr_pages) for _, f in screened),
        decisions=dict(decisions),
        review_by_decision={d: review[d] for d in decisions},
        courts=dict(Counter(f.court.value or "unknown" for f, _ in people)),
        months=dict(months),
        failures=dict(Counter(reason for _, reason, _ in FAILED)),
        runs=1,
        run_documents=len(screened),
        run_pages=pages,
        run_seconds=SECONDS,
    )


class Page(HTMLParser):
    """The parsed page: tag counts, every attribute, the text, and each table's rows as cell texts. Every
    element must be closed, in order (the SVG shapes close themselves)."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: Counter[str] = Counter()
        self.attributes: list[tuple[str, str]] = []
        self.chunks: list[str] = []
        self.tables: dict[str, list[tuple[str, list[str]]]] = {}
        self.open: list[str] = []
        self._table: list[tuple[str, list[str]]] | None = None
        self._section = "tbody"
        self._cell: list[str] | None = None
        self.feed(html)
        self.close()
        assert self.open == [], f"unclosed elements: {self.open}"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        self.attributes += [(name, value or "") for name, value in attrs]
        if tag not in VOID:
            self.open.append(tag)
        if tag == "table":
            self._table = self.tables.setdefault(dict(attrs).get("id") or f"table{len(self.tables)}", [])
            self._section = "tbody"
        elif tag in ("thead", "tbody", "tfoot"):
            self._section = tag
        elif tag == "tr" and self._table is not None:
            self._table.append((self._section, []))
        elif tag in ("td", "th") and self._table:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        assert self.open and self.open[-1] == tag, f"</{tag}> closes <{self.open[-1] if self.open else None}>"
        self.open.pop()
        if tag in ("td", "th") and self._table and self._cell is not None:
            self._table[-1][1].append(" ".join("".join(self._cell).replace("\u200b", "").split()))
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)
        if self._cell is not None:
            self._cell.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.chunks).split())

    def rows(self, table: str, section: str = "tbody") -> list[list[str]]:
        return [cells for where, cells in self.tables[table] if where == section]


def number(text: str) -> int:
    """A number as the page prints it (digit groups joined by a narrow no-break space)."""
    return int(text.replace("\u202f", ""))


@pytest.fixture(scope="module")
def report(screened: list[tuple[str, VerdictFacts]], tmp_path_factory: pytest.TempPathFactory):
    """A store written as a run would write it, and its report made while a second run is still writing."""
    folder = tmp_path_factory.mktemp("report")
    db, out = folder / "screening.db", folder / "report.html"
    with Store(db) as store:
        run = _run(store)
        for path, facts in screened:
            stat = Path(path).stat()
            _record(store, run, Outcome.read(path, facts, size=stat.st_size, mtime_ns=stat.st_mtime_ns))
        pages = sum(f.source.pages for _, f in screened)
        store.finish_run(run, documents=len(screened), skipped=0, failed=0, pages=pages, seconds=SECONDS)
        second = _run(store)
        for path, reason, error in FAILED:
            _record(store, second, Outcome.failed(path, reason, error))
        totals = write_report(db, out)
    html = out.read_text(encoding="utf-8")
    return db, totals, html, Page(html)


def test_totals_are_counted_from_the_facts(report, screened) -> None:
    _, totals, _, page = report
    expected = _expected(screened)
    assert totals == expected
    assert set(expected.decisions) == {"release", "reduce", "excluded", "not_covered", "not_applicable"}
    assert "unknown" in expected.courts and "unknown" in expected.months and len(expected.months) > 2
    shown = {cells[0]: cells[1] for cells in page.rows("totals")}
    assert number(shown["Documents"]) == expected.documents
    assert number(shown["done"]) == expected.done
    assert number(shown["needs review"]) == expected.needs_review
    assert number(shown["failed"]) == expected.failed
    assert number(shown["Defendants"]) == expected.defendants
    assert number(shown["needing review"]) == expected.defendants_needing_review
    assert number(shown["Pages"]) == expected.pages
    assert number(shown["read by OCR"]) == expected.ocr_pages
    assert f"review rate {100 * expected.review_rate:.1f} %" in page.text


def test_decision_counts_in_chart_and_table_agree(report) -> None:
    _, totals, _, page = report
    rows = page.rows("decisions")
    assert [cells[0] for cells in rows] == ["release", "reduce", "excluded", "not_covered", "not_applicable"]
    for label, bar, review, clear, total, _share in rows:
        assert number(bar) == number(total) == totals.decisions[label]  # the number drawn at the bar's end
        assert number(review) == totals.review_by_decision[label]
        assert number(review) + number(clear) == number(total)
    assert [c for c in page.rows("decisions", "thead")[0] if c] == [
        "decision",
        "needs review",
        "no review needed",
        "total",
        "share",
    ]


@pytest.mark.parametrize(("table", "field"), [("courts", "courts"), ("months", "months")])
def test_decisions_by_court_and_month(report, table: str, field: str) -> None:
    _, totals, _, page = report
    head = page.rows(table, "thead")[0]
    assert head[2:] == [*totals.decisions, "total"]
    rows = page.rows(table)
    assert {cells[0]: number(cells[-1]) for cells in rows} == getattr(totals, field)
    for cells in rows:
        assert number(cells[1]) == number(cells[-1]) == sum(number(c) for c in cells[2:-1])
    by_decision = [sum(number(cells[i]) for cells in rows) for i in range(2, len(head) - 1)]
    assert by_decision == list(totals.decisions.values())
    assert rows[-1][0] == "unknown"
    if table == "months":
        assert [cells[0] for cells in rows] == ["2022-01", "2022-02", "2022-03", "unknown"]


def test_failures_by_reason_name_the_files(report) -> None:
    _, totals, _, page = report
    rows = {cells[0]: cells for cells in page.rows("failures")}
    assert list(rows) == ["not_a_pdf", "encrypted"]  # most first
    assert (
        {reason: number(cells[1]) for reason, cells in rows.items()}
        == totals.failures
        == {"not_a_pdf": 2, "encrypted": 1}
    )
    assert "17.pdf" in rows["not_a_pdf"][2] and EVIL_FILE in rows["not_a_pdf"][2]
    assert "not a PDF file" in rows["not_a_pdf"][2]
    assert "locked.pdf" in rows["encrypted"][2] and "password-protected" in rows["encrypted"][2]


def test_throughput_and_run_details(report) -> None:
    db, totals, _, page = report
    (run,) = page.rows("runs")
    assert run[0] == "#1"
    assert number(run[2]) == totals.run_documents and number(run[5]) == totals.run_pages
    assert run[6] == f"{SECONDS:.1f}" and run[7] == f"{totals.run_pages / SECONDS:.2f}"
    assert run[8:] == ["2", "process"]
    (overall,) = page.rows("runs", "tfoot")
    assert overall[7] == f"{totals.pages_per_second:.2f}"
    assert "Not counted above: 1 running run(s)." in page.text  # the second run is still writing
    for needed in (LAW.id, LAW.sha256, __version__, str(db.resolve()), "Generated at"):
        assert needed in page.text
    assert "provenance" not in page.tables  # one rule set throughout


def test_page_is_self_contained_and_escaped(report) -> None:
    db, _, html, page = report
    assert html.startswith("<!DOCTYPE html>")
    assert page.tags["script"] == page.tags["link"] == page.tags["img"] == page.tags["iframe"] == 0
    assert page.tags["svg"] >= 3 and page.tags["style"] == 1
    assert not [value for name, value in page.attributes if name in ("src", "href", "xlink:href", "action")]
    assert not [value for _, value in page.attributes if "//" in value or value.startswith("url(")]
    for external in ("http:", "https:", "@import", "url(", "@font-face"):
        assert external not in html
    with closing(sqlite3.connect(db)) as raw:  # the name is in the store, and must not reach the page raw
        assert raw.execute("SELECT COUNT(*) FROM defendants WHERE name LIKE ?", (f"%{EVIL}%",)).fetchone() == (1,)
    assert EVIL not in html and "<img" not in html and "alert(1)" in html
    assert html.count(ESCAPED) == 1  # the court; people are counted, not named
    assert html.count("&lt;img src=x onerror=alert(2)&gt;.pdf") == 2  # the file's name and its error
    assert f"Казыбекбийский {EVIL} суд" in page.text  # shown as the words it is


def test_top_courts_then_other(tmp_path: Path, screened) -> None:
    path, facts = screened[0]
    assert len(facts.defendants) == 1
    db = tmp_path / "courts.db"
    with Store(db) as store:
        run = _run(store)
        for i in range(18):
            copy = facts.model_copy(deep=True)
            copy.court.value = f"Суд №{i:02d}"
            _record(store, run, Outcome.read(f"{path}#{i}", copy))
        copy = facts.model_copy(deep=True)
        copy.court.value = None  # and screened under other rules
        store.record(
            Outcome.read(f"{path}#none", copy), run_id=run, tool_version="0.0.9", rules_sha256="0" * 64, settings="{}"
        )
    totals = write_report(db, tmp_path / "courts.html")
    assert list(totals.courts) == [f"Суд №{i:02d}" for i in range(15)] + ["other", "unknown"]
    assert totals.courts["other"] == 3 and totals.courts["unknown"] == 1
    page = Page((tmp_path / "courts.html").read_text(encoding="utf-8"))
    assert [(cells[0], number(cells[-1])) for cells in page.rows("courts")][-2:] == [("other", 3), ("unknown", 1)]
    assert "No run has finished yet." in page.text
    assert "failures" not in page.tables
    assert page.rows("provenance") == [[LAW.sha256, __version__, "18"], ["0" * 64, "0.0.9", "1"]]


def test_empty_store_says_so(tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    Store(db).close()
    totals = write_report(db, tmp_path / "empty.html")
    assert totals == ReportTotals()
    page = Page((tmp_path / "empty.html").read_text(encoding="utf-8"))
    assert "Nothing has been screened yet" in page.text
    assert "No run has finished yet." in page.text
    assert "decisions" not in page.tables and page.tags["script"] == 0


def test_store_is_only_read(tmp_path: Path) -> None:
    missing = tmp_path / "missing.db"
    with pytest.raises(StoreError, match=r"missing\.db"):
        write_report(missing, tmp_path / "out.html")
    assert not missing.exists() and not (tmp_path / "out.html").exists()
    other = tmp_path / "notes.db"
    other.write_text("not a database", encoding="utf-8")
    with pytest.raises(StoreError, match=r"notes\.db"):
        write_report(other, tmp_path / "out.html")
    assert other.read_text(encoding="utf-8") == "not a database"
