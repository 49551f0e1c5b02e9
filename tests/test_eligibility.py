"""The eligibility engine against a table of cases computed by hand from Law 152-VII (tests/eligibility/cases.toml)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from extractor.amnesty.engine import decide
from extractor.amnesty.law import AmnestyLaw, get_law
from tests.eligibility.facts import verdict

CASES = tomllib.loads((Path(__file__).parent / "eligibility" / "cases.toml").read_text(encoding="utf-8"))["case"]


def settled(law: AmnestyLaw) -> AmnestyLaw:
    """The act with every open point settled at its default: review then comes from the facts alone."""
    options = {name: option.model_copy(update={"settled": True}) for name, option in law.options.items()}
    return law.model_copy(update={"options": options})


@pytest.fixture(scope="module")
def law() -> AmnestyLaw:
    return settled(get_law())


def _cites(provision: str, expected: str) -> bool:
    """ "Art. 3 item 3 para 1" cites "Art. 3 item 3"; "Art. 3 item 3 para 2" does not cite "Art. 3 item 3 para 1"."""
    return provision == expected or provision.startswith(expected + " ")


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_hand_computed_case(case: dict, law) -> None:
    facts = verdict(case)
    result = decide(facts, facts.defendants[0], law)
    expect = case["expect"]
    got = {
        "decision": result.decision.value,
        "effect": result.effect.value if result.effect else None,
        "new_term_months": result.new_term_months,
    }
    wanted = {
        "decision": expect["decision"],
        "effect": expect.get("effect"),
        "new_term_months": expect.get("new_term_months"),
    }
    assert got == wanted, f"{case['about']}\nreasons: {[r.text for r in result.reasons]}\n{result.review_reasons}"
    if "needs_review" in expect:
        assert result.needs_review == expect["needs_review"], result.review_reasons
    if "provision" in expect:
        decisive = [r.provision for r in result.reasons if r.decisive]
        assert any(_cites(p, expect["provision"]) for p in decisive), decisive
