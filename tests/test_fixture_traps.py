"""Each fixture verdict against its gold annotation: the traps each was written for must hold."""

from __future__ import annotations

import pytest

from models import VerdictFacts
from tests.conftest import gold_files

IDS = [path.stem for path in gold_files()]


def _by_name(facts: VerdictFacts) -> dict[str, dict]:
    return {d["name"]["value"]: d for d in facts.model_dump(mode="json")["defendants"]}


@pytest.mark.parametrize("doc_id", IDS)
def test_defendants_are_the_accused_only(doc_id: str, extracted: dict, gold: dict) -> None:
    """Witnesses, victims, relatives and lawyers are named in full too; only the accused are defendants."""
    assert sorted(_by_name(extracted[doc_id])) == sorted(d["name"] for d in gold[doc_id]["defendants"])


@pytest.mark.parametrize("doc_id", IDS)
def test_charges_are_the_final_qualification(doc_id: str, extracted: dict, gold: dict) -> None:
    """Not prior convictions, not the prosecution's version, not УПК or general-part articles."""
    predicted = _by_name(extracted[doc_id])
    for g in gold[doc_id]["defendants"]:
        got = {
            (c["article"], c["part"], c["paragraph"], c["attempt"], c["complicity"])
            for c in predicted[g["name"]]["charges"]
        }
        want = {(c["article"], c["part"], c["paragraph"], c["attempt"], c["complicity"]) for c in g["charges"]}
        assert got == want, g["name"]


@pytest.mark.parametrize("doc_id", IDS)
def test_sentence_outcome_and_history(doc_id: str, extracted: dict, gold: dict) -> None:
    predicted = _by_name(extracted[doc_id])
    for g in gold[doc_id]["defendants"]:
        p = predicted[g["name"]]
        assert p["outcome"]["value"] == g["outcome"], g["name"]
        if g["sentence"] is None:
            assert p["sentence"] is None, f"{g['name']}: acquitted or terminated, so no sentence"
        else:
            for key in ("kind", "term_months", "term_days", "hours", "amount_mrp", "conditional", "probation_months"):
                assert p["sentence"][key] == g["sentence"][key], (g["name"], key)
        assert p["recidivism"]["value"] == g["recidivism"], g["name"]
        assert {(x["article"], x["part"], x["date"]) for x in p["prior_convictions"]} == {
            (x["article"], x["part"], x["date"]) for x in g["prior_convictions"]
        }, g["name"]
        assert {m["value"] for m in p["exclusion_markers"]} == set(g["exclusion_markers"]), g["name"]
        assert p["riots_connection"]["value"] == g["riots_connection"], g["name"]
