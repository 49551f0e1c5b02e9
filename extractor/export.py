"""Exports of a screening store: CSV (UTF-8 with a byte-order mark, so Excel keeps the Cyrillic), Excel and
JSON Lines. One row per defendant; a document that failed or has no defendant still gets its row."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from extractor.screen import COLUMNS, rows
from extractor.store import Store

FORMATS = ("csv", "jsonl", "xlsx")
AUDIT_FORMATS = ("csv", "jsonl")


def export(store: Store, out: Path, fmt: str, only: str | None = None, paths: list[str] | None = None) -> int:
    """Write the store's documents (``only`` one status; ``paths`` only those) to ``out``; returns rows written."""
    if fmt == "csv":
        return _csv(store, out, only, paths)
    if fmt == "xlsx":
        return _xlsx(store, out, only, paths)
    if fmt == "jsonl":
        return _jsonl(store, out, only, paths)
    raise ValueError(f"unknown export format {fmt!r}; one of {', '.join(FORMATS)}")


def _csv(store: Store, out: Path, only: str | None, paths: list[str] | None) -> int:
    with out.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=COLUMNS)
        writer.writeheader()
        written = 0
        for line in rows(store, only, paths):
            writer.writerow(line)
            written += 1
    return written


def _xlsx(store: Store, out: Path, only: str | None, paths: list[str] | None) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)  # streams rows: ten thousand verdicts do not sit in memory
    sheet = book.create_sheet("defendants")
    sheet.freeze_panes = "A2"
    header = []
    for name in COLUMNS:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    written = 0
    for line in rows(store, only, paths):
        sheet.append([_text(sheet, line[c]) for c in COLUMNS])
        written += 1
    book.save(out)
    return written


def _text(sheet, value: str):  # -> WriteOnlyCell
    """A text cell, whatever the value looks like: openpyxl would store a value starting with '=' as a formula,
    and quotes from verdicts are not formulas."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    # Control characters (from a broken text layer or a file name) are not allowed in the file format.
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("\ufffd", value))
    cell.data_type = "s"
    return cell


def _jsonl(store: Store, out: Path, only: str | None, paths: list[str] | None) -> int:
    n = 0
    with out.open("w", encoding="utf-8") as stream:
        for doc in store.documents(only=only, paths=paths):
            if doc["facts_json"]:
                record = json.loads(doc["reviewed_json"] or doc["facts_json"])
                record["status"] = doc["status"]
                record["reviewed_by"] = doc["reviewed_by"]  # None: the machine's facts as read
            else:  # the same keys a reader of facts looks up first, so a failed file is seen, not a crash
                record = {
                    "id": Path(doc["path"]).stem,
                    "status": "failed",
                    "source": {"path": doc["path"], "sha256": doc["sha256"]},
                    "defendants": [],
                    "reason": doc["reason"],
                    "error": doc["error"],
                }
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
            n += 1
    return n


AUDIT_COLUMNS = ("kind", "at", "reviewer", "path", "defendant", "field", "action", "old_value", "new_value", "comment",
                 "version", "rules_sha256")  # fmt: skip


def audit_rows(store: Store) -> list[dict[str, str]]:
    """Every reviewer change and every decision version, in the order they happened."""
    rows = []
    for c in store.db.execute("SELECT * FROM corrections ORDER BY id"):
        rows.append({**dict.fromkeys(AUDIT_COLUMNS, ""), **{k: "" if c[k] is None else str(c[k]) for k in c.keys()}})
        rows[-1]["kind"] = "correction"
    for d in store.db.execute("SELECT * FROM decision_versions ORDER BY id"):
        row = dict.fromkeys(AUDIT_COLUMNS, "")
        row.update(kind="decision", at=d["at"], reviewer=d["reviewer"], path=d["path"], field="eligibility",
                   new_value=d["decisions"], version=str(d["version"]), rules_sha256=d["rules_sha256"])  # fmt: skip
        rows.append(row)
    rows.sort(key=lambda r: (r["at"], r["version"], r["kind"] != "correction"))
    return [{k: r[k] for k in AUDIT_COLUMNS} for r in rows]


def export_audit(store: Store, out: Path, fmt: str) -> int:
    """The audit trail as CSV (UTF-8 with BOM) or JSON Lines; returns rows written."""
    rows = audit_rows(store)
    if fmt == "csv":
        with out.open("w", encoding="utf-8-sig", newline="") as stream:
            writer = csv.DictWriter(stream, fieldnames=AUDIT_COLUMNS)
            writer.writeheader()
            writer.writerows(rows)
    elif fmt == "jsonl":
        with out.open("w", encoding="utf-8") as stream:
            stream.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    else:
        raise ValueError(f"the audit trail exports as {' or '.join(AUDIT_FORMATS)}, not {fmt}")
    return len(rows)
