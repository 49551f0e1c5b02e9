"""Rich tables for people: evaluation scores, amnesty decisions, rule sets."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from extractor.amnesty.law import AmnestyLaw
from extractor.bulk import RunTotals
from extractor.evaluate import Report
from extractor.screen import Tally
from models import VerdictFacts


def make_console(stderr: bool = False) -> Console:
    """A console for tables; when the output is a file or a pipe, wide enough that rows do not wrap."""
    import os
    import sys

    if (sys.stderr if stderr else sys.stdout).isatty() or "COLUMNS" in os.environ:
        return Console(stderr=stderr)
    return Console(width=200, stderr=stderr)


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def print_scores(report: Report, console: Console | None = None, show_errors: bool = False) -> None:
    console = console or make_console()
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
    if report.scores.get("eligibility.decision"):
        silent = report.silent_decision_errors
        where = ", ".join(f"{e['document']} / {e['defendant']} ({e['direction']})" for e in silent)
        console.print(
            f"silent decision errors (a decision the gold facts do not give, not sent to review): {len(silent)}"
            + (f" — {where}" if silent else "")
        )
    if report.documents:
        silent_facts = report.silent_fact_errors
        console.print(
            f"silent fact errors (a wrong key fact on a defendant without any review flag): {len(silent_facts)}"
            + (
                " — " + ", ".join(f"{e['document']} / {e['defendant']}: {', '.join(e['fields'])}" for e in silent_facts)
                if silent_facts
                else ""
            )
        )
    for error in report.errors:
        console.print(f"not scored: {error['document']}: {error['problem']}", markup=False, highlight=False)
    if report.missing_predictions:
        console.print(f"no prediction for: {', '.join(report.missing_predictions)}")
    if report.failed:
        console.print(f"failed to read (the screening lists each with its reason): {', '.join(report.failed)}")
    if show_errors:
        for m in report.mismatches:
            console.print(
                f"{m['document']} | {m['defendant']} | {m['field']}: gold={m['gold']} predicted={m['predicted']}",
                markup=False,
                highlight=False,
            )


def decisions_table(rows: list[dict[str, str]]) -> Table:
    """One line per defendant: what the amnesty does to them."""
    table = Table(title="Amnesty decisions", show_lines=False)
    for column in ("file", "defendant", "charges", "decision", "effect", "new term", "review"):
        table.add_column(column, overflow="fold")
    for r in rows:
        table.add_row(
            r["file"], r["defendant"], r["charges"], r["decision"], r["effect"], r["new_term"], r["needs_review"]
        )
    return table


def print_summary(tally: Tally, law_id: str, console: Console) -> None:
    table = Table(title=f"Summary: {law_id}")
    table.add_column("decision")
    table.add_column("defendants", justify="right")
    table.add_column("of them needs review", justify="right")
    for decision in tally.ordered():
        table.add_row(decision, str(tally.decisions[decision]), str(tally.reviewed_by_decision[decision]))
    table.add_row("total", str(tally.defendants), str(tally.needs_review), style="bold")
    console.print(table)
    console.print(
        f"{tally.documents + len(tally.failures)} documents: {tally.documents} read "
        f"({tally.documents_flagged} with review flags), {len(tally.failures)} failed; {tally.pages} pages; "
        f"review rate {tally.needs_review} of {tally.defendants} defendants ({tally.review_rate:.0%})"
    )
    if tally.failures:
        failed = Table(title="Failures by reason")
        for column in ("reason", "documents", "for example"):
            failed.add_column(column, overflow="fold")
        for reason, count in tally.failures_by_reason().most_common():
            example = next(message for _, code, message in tally.failures if code == reason)
            failed.add_row(reason, str(count), example)
        console.print(failed)


def print_run(totals: RunTotals, skipped: int, console: Console) -> None:
    """What this run itself did: documents read now, time, pages/s."""
    rate = totals.pages / totals.seconds if totals.seconds else 0.0
    console.print(
        f"this run: {totals.done} documents read in {totals.seconds:.1f} s ({totals.pages} pages, {rate:.1f} pages/s)"
        + (f"; {skipped} done by an earlier run were skipped" if skipped else "")
    )


def print_law(law: AmnestyLaw, console: Console) -> None:
    """Every rule of an act with its source, as a lawyer would check it against the text."""
    console.print(f"[bold]{law.title}[/bold]\n{law.title_en}\n{law.source_url}")
    console.print(
        f"signed {law.signed}, in force {law.in_force} ({law.in_force_citation}); rules file sha256 {law.sha256[:12]}"
    )
    scope = Table(title=f"Scope ({law.scope.citation})", show_header=False)
    scope.add_row("offence dates", f"{law.scope.offence_from} – {law.scope.offence_to} (both included)")
    scope.add_row("riots connection", "required" if law.scope.riots_connection_required else "not required")
    scope.add_row("text", law.scope.text)
    console.print(scope)
    covered = Table(title=f"Covered offences ({len(law.scope.covered)} entries)")
    for column in ("provision", "Criminal Code", "title"):
        covered.add_column(column, overflow="fold")
    for entry in law.scope.covered:
        covered.add_row(entry.citation, entry.label(), entry.title)
    console.print(covered)
    excl = Table(title="Exclusions")
    for column in ("provision", "who", "Criminal Code", "exception"):
        excl.add_column(column, overflow="fold")
    for item in law.exclusions:
        refs = ", ".join(
            f"ст.{r.article}" + (f" ч.{r.part}" if r.part else "") + (f" п.{r.paragraph}" if r.paragraph else "")
            for r in item.refs()
        )
        excl.add_row(item.citation, item.text, f"{refs} ({item.list_source})", item.exception or "")
    excl.add_row(
        law.recidivism.citation,
        law.recidivism.text,
        "recidivism found: " + ", ".join(r.value for r in law.recidivism.excludes),
        "",
    )
    console.print(excl)
    eff = Table(title="Effects")
    for column in ("provision", "gravity", "effect", "text"):
        eff.add_column(column, overflow="fold")
    e = law.effects
    for rule in (e.pending, e.convicted, e.served):
        effect = rule.effect.value + (
            f" (conditional: {rule.conditional_effect.value})" if rule.conditional_effect else ""
        )
        eff.add_row(rule.citation, ", ".join(g.value for g in rule.gravities), effect, rule.text)
    for cut in e.cuts:
        eff.add_row(cut.citation, cut.gravity.value, f"main punishment cut by {cut.cut}", cut.text)
    eff.add_row(
        e.one_year.citation,
        "grave, especially grave",
        f"rest written off if ≤ {e.one_year.max_left_months} months left",
        e.one_year.text,
    )
    console.print(eff)
    opts = Table(title="Open points (options)")
    for column in ("option", "default", "other readings", "note"):
        opts.add_column(column, overflow="fold")
    for name, option in law.options.items():
        others = ", ".join(c for c in option.choices if c != option.default)
        opts.add_row(name, option.default + (" (settled)" if option.settled else ""), others, option.note)
    console.print(opts)
    console.print(f"review: facts below confidence {law.review.min_confidence} send a release or reduction to review")


def print_explanation(facts: VerdictFacts, console: Console) -> None:
    """Each defendant's decision with its full chain of reasons and the verdict's words."""
    for person in facts.defendants:
        e = person.eligibility
        if e is None:
            continue
        term = f", new term {e.new_term_text}" if e.new_term_text else ""
        console.print(
            f"\n[bold]{person.name.value}[/bold]: {e.decision.value}"
            + (f" ({e.effect.value}{term})" if e.effect else "")
            + (" — [red]needs review[/red]" if e.needs_review else "")
        )
        for reason in e.reasons:
            mark = "▶" if reason.decisive else "·"
            console.print(
                f"  {mark} [{reason.outcome.value}] {reason.provision}: {reason.text}", markup=False, highlight=False
            )
            for ev in reason.evidence[:2]:
                console.print(
                    f"      p.{ev.page} {ev.start}-{ev.end}: «{ev.text[:140]}»", markup=False, highlight=False
                )
        for why in e.review_reasons:
            console.print(f"  ! review: {why}", markup=False, highlight=False)
