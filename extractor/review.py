"""Review of uncertain extractions: what to look at first, applying a reviewer's corrections, deciding again.

The machine's facts are never overwritten: a document's reviewed facts live beside them (``reviewed_json``), every
change is an append-only row of ``corrections`` (who, when, which defendant and field, old and new value,
comment) and every decision after a save a row of ``decision_versions``. Saving names the version the reviewer
saw; if another reviewer saved since, the save is refused (``Conflict``) rather than silently overwriting.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from extractor.amnesty.engine import decide_all
from extractor.amnesty.law import AmnestyLaw
from extractor.store import Store, now, people_of
from models import Charge, Defendant, Sentence, VerdictFacts
from models.eligibility import Decision
from models.facts import Outcome, Recidivism, Regime, SentenceKind

GRANTS = {Decision.release.value, Decision.reduce.value}
# The facts a reviewer can accept or correct, with the kind of value each takes.
SCALARS: dict[str, type] = {
    "outcome": Outcome,
    "recidivism": Recidivism,
    "riots_connection": bool,
    "minor_at_offense": bool,
}
FIELDS = (*SCALARS, "sentence", "charges")


class Conflict(Exception):
    """Another reviewer saved this document since the version the reviewer opened."""


class ReviewError(ValueError):
    """A correction that cannot be applied (unknown field, bad value); the message says which."""


@dataclass(frozen=True)
class Edit:
    """One reviewer action on one defendant: ``accept`` a fact as read, ``correct`` it to ``value``, ``add`` a
    missed charge (``value`` = {article, part, paragraph}) or ``remove`` the charge at index ``value``."""

    field: str
    action: str
    value: Any = None


# -- what to look at first ---------------------------------------------------------------------------------------


def stakes(facts: VerdictFacts, index: int, law: AmnestyLaw) -> int:
    """How much the person's uncertain facts could change the decision: 2 if another value of one of them turns a
    release or cut into none (or back), 1 if it changes the decision otherwise, 0 if none would.

    Each uncertain scalar (below the act's review threshold) is tried with its other values and decided again."""
    person = facts.defendants[index]
    if person.eligibility is None:
        return 0
    base = person.eligibility.decision.value
    threshold = law.review.min_confidence
    worst = 0
    for name, kind in SCALARS.items():
        fact = getattr(person, name)
        if fact.value is None or fact.confidence >= threshold:
            continue
        for other in [True, False] if kind is bool else list(kind):
            if other == fact.value:
                continue
            trial = facts.model_copy(deep=True)
            tried = trial.defendants[index]
            getattr(tried, name).value = other
            decide_all(trial, law)
            decision = tried.eligibility.decision.value if tried.eligibility else base
            if decision != base:
                worst = max(worst, 2 if (decision in GRANTS) != (base in GRANTS) else 1)
    return worst


def lowest_confidence(person: Defendant) -> float:
    values = [getattr(person, n).confidence for n in SCALARS if getattr(person, n).value is not None]
    values += [c.confidence for c in person.charges]
    if person.sentence:
        values.append(person.sentence.confidence)
    return min(values, default=0.0)


@dataclass(frozen=True)
class QueueItem:
    path: str
    index: int
    name: str
    court: str
    decision: str
    needs_review: bool
    stakes: int
    confidence: float
    flags: tuple[str, ...]
    reviewed: bool


def queue(
    store: Store, law: AmnestyLaw, decision: str | None = None, court: str | None = None, flag: str | None = None
) -> list[QueueItem]:
    """Every defendant, those needing review first, then those whose uncertain facts could flip a release, then
    the least sure; filters by decision, court and flag code."""
    items = []
    for doc in store.documents():
        facts = current_facts(doc)
        if facts is None:
            continue
        for index, person in enumerate(facts.defendants):
            e = person.eligibility
            codes = tuple(
                sorted({f.code for f in facts.review_flags if f.defendant in (None, person.name.value)})
            )
            name, court_name = person.name.value or "?", facts.court.value or ""
            wanted = e.decision.value if e else ""
            if (decision and wanted != decision) or (court and court_name != court) or (flag and flag not in codes):
                continue
            item = QueueItem(
                path=doc["path"],
                index=index,
                name=name,
                court=court_name,
                decision=wanted,
                needs_review=bool(e and e.needs_review),
                stakes=stakes(facts, index, law) if e and e.needs_review else 0,
                confidence=lowest_confidence(person),
                flags=codes,
                reviewed=bool(doc["reviewed_json"]),
            )
            items.append(item)
    return sorted(items, key=lambda i: (not i.needs_review, -i.stakes, i.confidence, i.path, i.index))


# -- corrections -------------------------------------------------------------------------------------------------


def current_facts(doc: Any) -> VerdictFacts | None:
    """The reviewed facts of a store row when a reviewer saved it, else the machine's."""
    raw = doc["reviewed_json"] or doc["facts_json"]
    return VerdictFacts.model_validate_json(raw) if raw else None


def _dump(value: Any) -> str | None:
    if value is None:
        return None
    if hasattr(value, "model_dump"):
        return json.dumps(value.model_dump(mode="json", exclude={"evidence"}), ensure_ascii=False, sort_keys=True)
    return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)


def _sentence(value: dict[str, Any], old: Sentence | None) -> Sentence:
    try:
        kind = SentenceKind(value["kind"])
        months = int(value.get("years") or 0) * 12 + int(value.get("months") or 0)
        regime = Regime(value["regime"]) if value.get("regime") else None
    except (KeyError, ValueError) as exc:
        raise ReviewError(f"sentence: {exc}") from exc
    if months < 0 or int(value.get("months") or 0) > 11:
        raise ReviewError("sentence: months must be 0-11 and the term not negative")
    base = old.model_copy(deep=True) if old else Sentence(kind=kind)
    base.kind, base.regime = kind, regime
    base.term_months = months or None
    base.conditional = bool(value.get("conditional"))
    base.confidence = 1.0
    return base


def _charge(value: dict[str, Any]) -> Charge:
    """A charge a reviewer adds, with its gravity from the Code table in the wording of its offence date."""
    import datetime as dt

    from extractor.legal import code_table

    article = str(value.get("article") or "").strip()
    if not article or not article.replace("-", "").isdigit():
        raise ReviewError(f"charge: article {article!r} is not a Criminal Code article number")
    part = str(value.get("part") or "").strip() or None
    raw_date = str(value.get("offense_date") or "").strip()
    try:
        date = dt.date.fromisoformat(raw_date) if raw_date else None
    except ValueError:
        raise ReviewError(f"charge: offence date {raw_date!r} is not a date (YYYY-MM-DD)") from None
    found = code_table().lookup(article, part, date)
    if found.part is None:
        raise ReviewError(f"charge: {found.uncertain_reason}")
    return Charge(
        article=article,
        part=part,
        paragraph=str(value.get("paragraph") or "").strip() or None,
        gravity=found.part.gravity,
        gravity_source="derived",
        offense_date=date,
        confidence=1.0,
    )


def _index(value: Any, size: int, what: str) -> int:
    try:
        index = int(value)
    except (TypeError, ValueError):
        raise ReviewError(f"{what} {value!r} is not a number") from None
    if not 0 <= index < size:
        raise ReviewError(f"there is no {what} {index}")
    return index


def _bool(value: Any) -> bool:
    if value in (True, "true"):
        return True
    if value in (False, "false"):
        return False
    raise ReviewError(f"{value!r} is neither true nor false")


def apply(facts: VerdictFacts, index: int, edits: list[Edit]) -> list[tuple[str, str, str | None, str | None]]:
    """Apply ``edits`` to defendant ``index`` of ``facts`` (in place); returns (field, action, old, new) per edit.
    A fact accepted or corrected gets confidence 1 and the extractor's flags on that field are resolved."""
    person = facts.defendants[_index(index, len(facts.defendants), "defendant")]
    changes = []
    for edit in edits:
        if edit.field not in FIELDS:
            raise ReviewError(f"{edit.field}: not a field a reviewer can change ({', '.join(FIELDS)})")
        if edit.field in SCALARS:
            fact = getattr(person, edit.field)
            old = fact.value
            if edit.action == "correct":
                kind = SCALARS[edit.field]
                try:
                    fact.value = _bool(edit.value) if kind is bool else kind(edit.value)
                except ValueError as exc:
                    raise ReviewError(f"{edit.field}: {exc}") from exc
            elif edit.action != "accept":
                raise ReviewError(f"{edit.field}: {edit.action} is not possible here")
            fact.confidence = 1.0
            changes.append((edit.field, edit.action, _dump(old), _dump(fact.value)))
        elif edit.field == "sentence":
            old = person.sentence.model_copy(deep=True) if person.sentence else None
            if edit.action == "correct":
                person.sentence = _sentence(edit.value, person.sentence)
            elif edit.action == "accept" and person.sentence:
                person.sentence.confidence = 1.0
            else:
                raise ReviewError(f"sentence: {edit.action} is not possible here")
            changes.append(("sentence", edit.action, _dump(old), _dump(person.sentence)))
        else:  # charges
            if edit.action == "add":
                charge = _charge(edit.value)
                person.charges.append(charge)
                changes.append(("charges", "add", None, _dump(charge)))
            elif edit.action == "remove":
                removed = person.charges.pop(_index(edit.value, len(person.charges), "charge"))
                changes.append(("charges", "remove", _dump(removed), None))
            elif edit.action == "accept":
                for charge in person.charges:
                    charge.confidence = 1.0
                changes.append(("charges", "accept", _dump([c.cite() for c in person.charges]), None))
            else:
                raise ReviewError(f"charges: {edit.action} is not possible here")
        if edit.action in ("accept", "correct"):  # the reviewer vouches for this fact of this person, no more
            facts.review_flags = [
                f
                for f in facts.review_flags
                if not (f.defendant == person.name.value and f.field.split(".")[0] == edit.field)
            ]
    return changes


def save(
    store: Store,
    path: str,
    index: int,
    edits: list[Edit],
    *,
    reviewer: str,
    version: int,
    law: AmnestyLaw,
    comment: str = "",
) -> VerdictFacts:
    """Apply a reviewer's edits to one defendant, decide again, and record it all in one transaction; raises
    ``Conflict`` if the document's version is no longer ``version`` (someone saved in between)."""
    with store.transaction() as db:
        doc = db.execute("SELECT * FROM documents WHERE path = ?", (path,)).fetchone()
        if doc is None:
            raise ReviewError(f"{path}: not in this store")
        if doc["version"] != version:
            raise Conflict(
                f"{path}: saved by another reviewer since you opened it (version {doc['version']}, you had "
                f"{version}); reload to see their changes"
            )
        facts = current_facts(doc)
        if facts is None:
            raise ReviewError(f"{path}: the file failed to read; there are no facts to review")
        changes = apply(facts, index, edits)
        decide_all(facts, law)
        at, new_version = now(), version + 1
        db.executemany(
            "INSERT INTO corrections (at, reviewer, path, defendant, field, action, old_value, new_value, comment,"
            " version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(at, reviewer, path, index, f, a, old, new, comment, new_version) for f, a, old, new in changes],
        )
        db.execute(
            "INSERT INTO decision_versions (at, reviewer, path, version, rules_sha256, decisions)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (at, reviewer, path, new_version, law.sha256, json.dumps(decision_summary(facts), ensure_ascii=False)),
        )
        flagged = bool(facts.review_flags) or any(
            p.eligibility and p.eligibility.needs_review for p in facts.defendants
        )
        db.execute(
            "UPDATE documents SET reviewed_json = ?, version = ?, reviewed_by = ?, reviewed_at = ?, status = ?"
            " WHERE path = ?",
            (facts.model_dump_json(), new_version, reviewer, at, "needs_review" if flagged else "done", path),
        )
        store.set_defendants(path, people_of(facts))  # summaries, exports and the report follow the review
    return facts


def decision_summary(facts: VerdictFacts) -> list[dict[str, Any]]:
    return [
        {
            "defendant": p.name.value,
            "decision": p.eligibility.decision.value if p.eligibility else None,
            "effect": p.eligibility.effect.value if p.eligibility and p.eligibility.effect else None,
            "new_term": p.eligibility.new_term_text if p.eligibility else None,
            "needs_review": p.eligibility.needs_review if p.eligibility else None,
        }
        for p in facts.defendants
    ]
