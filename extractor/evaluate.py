"""Compare extracted facts with gold annotations (``shared/GOLD_FORMAT.md``) field by field.

Set-valued fields (charges, prior convictions, exclusion markers, defendants) get micro precision, recall
and F1; every field also gets exact-match accuracy over gold defendants (an unmatched gold defendant
counts as wrong). The amnesty decision is scored too: the decision the gold facts lead to against the one
the extracted facts lead to; a difference the extracted decision does not send to review is a silent error.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DOC_FIELDS = ["document_kind", "court", "case_number", "verdict_date"]
DEFENDANT_FIELDS = [
    "birth_date",
    "minor_at_offense",
    "outcome",
    "gravity_stated_in_text",
    "time_served_credit_from",
    "recidivism",
    "riots_connection",
]
SENTENCE_TERM = ["kind", "term_months", "term_days", "hours", "amount_mrp"]


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    correct: int = 0
    total: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.total if self.total else None

    def add_sets(self, gold: set, pred: set) -> None:
        self.tp += len(gold & pred)
        self.fp += len(pred - gold)
        self.fn += len(gold - pred)
        self.correct += gold == pred
        self.total += 1

    def add_exact(self, gold: Any, pred: Any) -> None:
        self.correct += gold == pred
        self.total += 1


@dataclass
class Report:
    scores: dict[str, Score] = field(default_factory=dict)
    title: str = ""
    documents: int = 0
    missing_predictions: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # read and failed: the screening lists them with the reason
    errors: list[dict[str, Any]] = field(default_factory=list)
    mismatches: list[dict[str, Any]] = field(default_factory=list)
    flagged_documents: int = 0
    flag_codes: dict[str, int] = field(default_factory=dict)
    silent_decision_errors: list[dict[str, Any]] = field(default_factory=list)
    silent_fact_errors: list[dict[str, Any]] = field(default_factory=list)
    _where: tuple[str, str | None] = ("", None)

    def check(self, name: str, gold: Any, pred: Any, sets: bool = False) -> None:
        """Score one field and remember where it went wrong."""
        if sets:
            self.score(name).add_sets(gold, pred)
        else:
            self.score(name).add_exact(gold, pred)
        if gold != pred:
            doc, person = self._where
            self.mismatches.append(
                {"document": doc, "defendant": person, "field": name, "gold": _plain(gold), "predicted": _plain(pred)}
            )

    def score(self, name: str) -> Score:
        return self.scores.setdefault(name, Score())

    def as_dict(self) -> dict[str, Any]:
        def r(x: float | None) -> float | None:
            return None if x is None else round(x, 4)

        return {
            "gold": self.title,
            "documents": self.documents,
            "missing_predictions": self.missing_predictions,
            "failed": self.failed,
            "fields": {
                name: {
                    "precision": r(s.precision),
                    "recall": r(s.recall),
                    "f1": r(s.f1),
                    "exact": r(s.accuracy),
                    "support": s.total,
                }
                for name, s in self.scores.items()
            },
            "review_rate": round(self.flagged_documents / self.documents, 4) if self.documents else None,
            "silent_decision_errors": self.silent_decision_errors,
            "silent_fact_errors": self.silent_fact_errors,
            "review_flags": self.flag_codes,
            "errors": self.errors,
            "mismatches": self.mismatches,
        }


def _plain(value: Any) -> Any:
    if isinstance(value, set):
        return sorted(value, key=str)
    return value


def unwrap(value: Any) -> Any:
    """Scalar facts are ``{"value", "confidence", "evidence"}`` in predictions and plain in gold."""
    if isinstance(value, dict) and "value" in value and "evidence" in value:
        return value["value"]
    return value


def name_key(name: str | None) -> str:
    return " ".join((name or "").lower().replace("ё", "е").split())


def _charge_key(c: dict) -> tuple:
    return (str(c["article"]), c.get("part") and str(c["part"]), c.get("paragraph") and str(c["paragraph"]))


def _prior_key(p: dict) -> tuple:
    return (str(p["article"]), p.get("part") and str(p["part"]), p.get("date"))


def _markers(items: Iterable) -> set[str]:
    return {unwrap(m) if isinstance(m, dict) else m for m in items}


def _sentence_term(s: dict | None) -> tuple | None:
    return None if not s else tuple(s.get(k) for k in SENTENCE_TERM)


def match_defendants(gold: list[dict], pred: list[dict]) -> list[tuple[dict, dict | None]]:
    """Pair gold and predicted defendants by full name, then by surname and initials."""
    remaining = list(pred)
    pairs = []
    for g in gold:
        key = name_key(g["name"])
        hit = next((p for p in remaining if name_key(unwrap(p["name"])) == key), None)
        if hit is None:
            short = key.split()[:1] + [w[:1] for w in key.split()[1:]]
            hit = next(
                (
                    p
                    for p in remaining
                    if (lambda k: k.split()[:1] + [w[:1] for w in k.split()[1:]])(name_key(unwrap(p["name"]))) == short
                ),
                None,
            )
        if hit is not None:
            remaining.remove(hit)
        pairs.append((g, hit))
    pairs.extend((None, p) for p in remaining)  # type: ignore[arg-type]
    return pairs


def compare_document(report: Report, gold: dict, pred: dict) -> None:
    report.documents += 1
    flags = pred.get("review_flags", [])
    report.flagged_documents += bool(flags)
    for flag in flags:
        report.flag_codes[flag["code"]] = report.flag_codes.get(flag["code"], 0) + 1
    report._where = (gold.get("id", ""), None)
    for name in DOC_FIELDS:
        report.check(name, gold.get(name), unwrap(pred.get(name)))
    pairs = match_defendants(gold["defendants"], pred.get("defendants", []))
    decisions = _decisions(report, gold, pred)
    for g, p in pairs:
        names = report.score("defendants")
        if g is None:
            names.fp += 1
            report.score("charges").fp += len(p.get("charges", []))
            continue
        if p is None:
            names.fn += 1
            names.total += 1
        else:
            names.tp += 1
            names.correct += 1
            names.total += 1
        p = p or {}
        report._where = (gold.get("id", ""), g["name"])
        report.score("name").add_exact(name_key(g["name"]), name_key(unwrap(p.get("name"))))
        for name in DEFENDANT_FIELDS:
            report.check(name, g.get(name), unwrap(p.get(name)) if p else "<missing>")
        gold_charges = {_charge_key(c): c for c in g.get("charges", [])}
        pred_charges = {_charge_key(c): c for c in p.get("charges", [])}
        report.check("charges", set(gold_charges), set(pred_charges), sets=True)
        report.score("charges.article").add_sets({k[0] for k in gold_charges}, {k[0] for k in pred_charges})
        for key, gc in gold_charges.items():
            pc = pred_charges.get(key, {})
            for attr in ("attempt", "complicity", "gravity", "offense_date"):
                report.check(f"charges.{attr}", gc.get(attr), pc.get(attr, "<missing>"))
        gs, ps = g.get("sentence"), p.get("sentence")
        report.check("sentence.kind", gs and gs.get("kind"), ps and ps.get("kind"))
        report.check("sentence.kind+term", _sentence_term(gs), _sentence_term(ps))
        for attr in ("regime", "conditional", "probation_months", "amount_tenge"):
            report.check(f"sentence.{attr}", gs and gs.get(attr), ps and ps.get(attr))
        report.check(
            "sentence.additional",
            set(gs.get("additional", []) if gs else []),
            set(ps.get("additional", []) if ps else []),
            sets=True,
        )
        report.check(
            "prior_convictions",
            {_prior_key(x) for x in g.get("prior_convictions", [])},
            {_prior_key(x) for x in p.get("prior_convictions", [])},
            sets=True,
        )
        report.check(
            "exclusion_markers",
            _markers(g.get("exclusion_markers", [])),
            _markers(p.get("exclusion_markers", [])),
            sets=True,
        )
        _check_decision(report, decisions, g, p)
        _check_silent_facts(report, g, p, flags)


# The facts a decision turns on; a wrong one without a review flag on its defendant is a silent error.
KEY_FIELDS = ("charges", "sentence.kind+term", "recidivism", "riots_connection", "exclusion_markers")


def _check_silent_facts(report: Report, g: dict, p: dict, flags: list[dict]) -> None:
    doc, person = report._where
    if doc in report.missing_predictions or doc in report.failed:  # not read: a failure, reported as one
        return
    if not p:  # the defendant was not found at all: silent unless the document is flagged
        if not any(f.get("defendant") is None for f in flags):
            report.silent_fact_errors.append({"document": doc, "defendant": person, "fields": ["defendant"]})
        return
    wrong = [
        m["field"]
        for m in report.mismatches
        if m["document"] == doc and m["defendant"] == person and m["field"] in KEY_FIELDS
    ]
    name = unwrap(p.get("name"))
    flagged = any(f.get("defendant") in (None, name) for f in flags)
    if wrong and not flagged:
        report.silent_fact_errors.append({"document": doc, "defendant": person, "fields": wrong})


def _decisions(report: Report, gold: dict, pred: dict) -> dict[int, Any]:
    """Eligibility under the default act for every gold and predicted defendant, keyed by ``id()`` of its dict.

    The prediction is always decided again (an ``eligibility`` it carries may come from other rules). A gold
    file or prediction the models reject costs only its decision scores, recorded in ``report.errors``.
    """
    from pydantic import ValidationError

    from extractor.amnesty.engine import decide
    from extractor.amnesty.law import get_law
    from models import VerdictFacts

    law = get_law()
    out: dict[int, Any] = {}
    for side, raw, build in (("gold", gold, gold_to_facts), ("prediction", pred, VerdictFacts.model_validate)):
        if not raw.get("defendants"):
            continue
        try:
            facts = build(raw)
        except (ValidationError, KeyError, TypeError, ValueError) as exc:
            report.errors.append({"document": gold.get("id", ""), "problem": f"{side} facts unusable: {exc}"[:300]})
            continue
        for person_raw, person in zip(raw["defendants"], facts.defendants, strict=True):
            out[id(person_raw)] = decide(facts, person, law)
    return out


# How generous a decision is, to tell a silent error that grants too much from one that grants too little.
LENIENCY = {"not_applicable": 0, "not_covered": 0, "excluded": 0, "reduce": 1, "release": 2}


def _check_decision(report: Report, decisions: dict[int, Any], g: dict, p: dict | None) -> None:
    gold = decisions.get(id(g))
    pred = decisions.get(id(p)) if p else None
    if gold is None:
        return
    report.check("eligibility.decision", gold.decision.value, pred.decision.value if pred else "<missing>")
    gold_key = (gold.decision.value, gold.effect, gold.new_term_months)
    pred_key = (pred.decision.value, pred.effect, pred.new_term_months) if pred else None
    report.check("eligibility.decision+effect+term", gold_key, pred_key or "<missing>")
    if pred is None or pred_key == gold_key or pred.needs_review:
        return
    pred_rank = (LENIENCY[pred.decision.value], -(pred.new_term_months or 0))
    gold_rank = (LENIENCY[gold.decision.value], -(gold.new_term_months or 0))
    direction = "too lenient" if pred_rank > gold_rank else "too harsh" if pred_rank < gold_rank else "other effect"
    doc, person = report._where
    report.silent_decision_errors.append(
        {
            "document": doc,
            "defendant": person,
            "gold": " / ".join(str(x) for x in gold_key if x is not None),
            "predicted": " / ".join(str(x) for x in pred_key if x is not None),
            "direction": direction,
        }
    )


def gold_to_facts(doc: dict) -> Any:  # -> VerdictFacts
    """Gold annotations as verdict facts (certain, without evidence), so the engine can decide from them."""
    from models import (
        Charge,
        Defendant,
        ExclusionMarker,
        Fact,
        PriorConviction,
        Sentence,
        SourceInfo,
        VerdictFacts,
    )

    def sure(value: Any) -> Fact:
        return Fact(value=value, confidence=1.0 if value is not None else 0.0)

    people = [
        Defendant(
            name=sure(g["name"]),
            birth_date=sure(g.get("birth_date")),
            minor_at_offense=sure(g.get("minor_at_offense")),
            outcome=sure(g.get("outcome")),
            charges=[
                Charge.model_validate({**c, "gravity_source": "stated", "confidence": 1.0})
                for c in g.get("charges", [])
            ],
            gravity_stated_in_text=sure(g.get("gravity_stated_in_text")),
            sentence=Sentence.model_validate({**g["sentence"], "confidence": 1.0}) if g.get("sentence") else None,
            time_served_credit_from=sure(g.get("time_served_credit_from")),
            recidivism=sure(g.get("recidivism")),
            prior_convictions=[
                PriorConviction.model_validate({**x, "confidence": 1.0}) for x in g.get("prior_convictions", [])
            ],
            exclusion_markers=[ExclusionMarker(value=m, confidence=1.0) for m in g.get("exclusion_markers", [])],
            riots_connection=sure(g.get("riots_connection")),
        )
        for g in doc["defendants"]
    ]
    return VerdictFacts(
        id=doc.get("id", ""),
        source=SourceInfo(path=doc.get("id", ""), sha256="", pages=0),
        document_kind=sure(doc.get("document_kind")),
        court=sure(doc.get("court")),
        case_number=sure(doc.get("case_number")),
        verdict_date=sure(doc.get("verdict_date")),
        defendants=people,
    )


def load_gold(folder: Path) -> dict[str, dict]:
    gold = {}
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and "defendants" in data:
            gold[data.get("id") or path.stem] = data
    if not gold:
        raise FileNotFoundError(f"{folder}: no gold *.json files")
    return gold


def evaluate(gold: dict[str, dict], predictions: dict[str, dict], title: str = "") -> Report:
    report = Report(title=title)
    for doc_id, g in gold.items():
        pred = predictions.get(doc_id)
        if pred is None:
            report.missing_predictions.append(doc_id)
            pred = {"defendants": []}
        elif pred.get("status") == "failed":
            report.failed.append(doc_id)
        compare_document(report, g, pred)
    return report


def read_predictions(path: Path) -> dict[str, dict]:
    out = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{number}: not a JSON line ({exc.msg})") from exc
            if record["id"] in out:
                raise ValueError(f"{path}: document {record['id']} appears twice")
            out[record["id"]] = record
    return out
