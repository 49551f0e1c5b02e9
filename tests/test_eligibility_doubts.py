"""Facts that look fine but must not release anyone silently (from a review of the engine), and rules-file checks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor.amnesty.engine import decide
from extractor.amnesty.law import RulesFileError, bundled_laws, get_law, load_law
from extractor.cli import app
from extractor.errors import ExitCode
from models import ExclusionMarker, ExclusionMarkerKind, Fact
from models.eligibility import Decision
from tests.eligibility.facts import verdict

LAW = get_law()
GRANTS = (Decision.release, Decision.reduce)


def run(case: dict, law=LAW):
    facts = verdict({"id": "probe", **case})
    return decide(facts, facts.defendants[0], law)


@pytest.mark.parametrize(
    ("about", "case"),
    [
        (
            "a stated gravity the Code table contradicts (293 ч.3 is grave)",
            {
                "charges": [{"article": "293", "part": "3", "gravity": "small"}],
                "sentence": {"kind": "imprisonment", "term_months": 60},
            },
        ),
        (
            "a custody start decades before the offence",
            {
                "charges": [{"article": "272", "part": "2", "gravity": "grave"}],
                "sentence": {"kind": "imprisonment", "term_months": 60},
                "credit_from": dt.date(1990, 1, 1),
            },
        ),
        (
            "no punishment read for a convicted person",
            {"charges": [{"article": "188", "part": "2", "gravity": "medium"}]},
        ),
        (
            "ст.272 without its part (part 1 is organising: excluded for adults, not listed)",
            {
                "charges": [{"article": "272", "gravity": "grave"}],
                "sentence": {"kind": "imprisonment", "term_months": 48},
            },
        ),
        (
            "no custody start, and under the other reading of the one-year rule it could apply",
            {
                "charges": [{"article": "272", "part": "2", "gravity": "grave"}],
                "sentence": {"kind": "imprisonment", "term_months": 80},
            },
        ),
        (
            "restriction of liberty for a grave crime: its start is not in the verdict",
            {
                "charges": [{"article": "380", "part": "2", "gravity": "grave"}],
                "sentence": {"kind": "restriction_of_liberty", "term_months": 24},
                "credit_from": dt.date(2022, 1, 6),
            },
        ),
        (
            "a prior conviction for rape, victim's age unknown",
            {
                "charges": [{"article": "188", "part": "2", "gravity": "medium"}],
                "sentence": {"kind": "imprisonment", "term_months": 24},
                "priors": [{"article": "120", "part": "1"}],
            },
        ),
        (
            "a prior conviction under 189 ч.3 whose paragraph (2: corruption) was not read",
            {
                "charges": [{"article": "188", "part": "2", "gravity": "medium"}],
                "sentence": {"kind": "imprisonment", "term_months": 24},
                "priors": [{"article": "189", "part": "3"}],
            },
        ),
        (
            "no recidivism read, but a grave charge follows a prior conviction for a grave crime (Art. 14)",
            {
                "charges": [{"article": "272", "part": "2", "gravity": "grave"}],
                "credit_from": dt.date(2022, 1, 6),  # 96 months: no reading of the one-year rule applies
                "sentence": {"kind": "imprisonment", "term_months": 96},
                "priors": [{"article": "188", "part": "3"}],
            },
        ),
        (
            "no recidivism read, but the regime is the one for dangerous recidivists",
            {
                "charges": [{"article": "188", "part": "2", "gravity": "medium"}],
                "sentence": {"kind": "imprisonment", "term_months": 24, "regime": "extraordinary_security"},
            },
        ),
        (
            "life imprisonment for a medium theft: a charge must have been missed",
            {
                "charges": [{"article": "188", "part": "2", "gravity": "medium"}],
                "sentence": {"kind": "life_imprisonment"},
            },
        ),
        (
            "25 years for a medium theft (the Code allows 5)",
            {
                "charges": [{"article": "188", "part": "2", "gravity": "medium"}],
                "sentence": {"kind": "imprisonment", "term_months": 300},
            },
        ),
        (
            "a verdict dated before the offence",
            {
                "charges": [{"article": "188", "part": "2", "gravity": "medium"}],
                "verdict_date": dt.date(2021, 12, 1),
                "sentence": {"kind": "imprisonment", "term_months": 24},
            },
        ),
        (
            "a prior conviction read with low confidence (it could be a missed exclusion)",
            {
                "charges": [{"article": "188", "part": "2", "gravity": "medium"}],
                "sentence": {"kind": "imprisonment", "term_months": 24},
                "priors": [{"article": "189", "part": "2", "confidence": 0.3}],
            },
        ),
    ],
)
def test_a_doubt_is_never_a_silent_release(about: str, case: dict) -> None:
    result = run(case)
    assert result.needs_review, (about, result.decision, [r.text for r in result.reasons])
    assert result.review_reasons


def test_gravity_contradicting_the_code_takes_the_more_serious_category() -> None:
    result = run(
        {
            "charges": [{"article": "293", "part": "3", "gravity": "small"}],
            "sentence": {"kind": "imprisonment", "term_months": 60},
        }
    )
    assert (result.decision, result.new_term_months) == (Decision.reduce, 15.0)


def test_a_custody_start_before_the_offence_is_not_used_for_release() -> None:
    result = run(
        {
            "charges": [{"article": "272", "part": "2", "gravity": "grave"}],
            "sentence": {"kind": "imprisonment", "term_months": 60},
            "credit_from": dt.date(2021, 6, 1),
        }
    )
    assert result.decision is Decision.reduce and any("cannot be right" in r for r in result.review_reasons)


def test_the_effect_follows_the_most_serious_count_whatever_their_order() -> None:
    counts = [
        {"article": "131", "part": "1", "gravity": "criminal_offense"},
        {"article": "293", "part": "1", "gravity": "small"},
    ]
    base = {"sentence": {"kind": "arrest", "term_days": 20}, "credit_from": dt.date(2022, 1, 6)}
    one, other = run({**base, "charges": counts}), run({**base, "charges": counts[::-1]})
    assert (one.decision, one.effect) == (other.decision, other.effect)
    assert one.effect.value == "conviction_removed"  # 293 ч.1 is a small crime: served, so the record goes


def test_a_low_confidence_verdict_date_sends_a_release_to_review() -> None:
    facts = verdict(
        {
            "id": "probe",
            "charges": [{"article": "188", "part": "2", "gravity": "medium"}],
            "sentence": {"kind": "imprisonment", "term_months": 24},
        }
    )
    facts.verdict_date = Fact(value=facts.verdict_date.value, confidence=0.3)
    result = decide(facts, facts.defendants[0], LAW)
    assert result.decision is Decision.release and result.needs_review


def test_markers_are_judged_under_the_rules_in_use() -> None:
    """A corrected rules file that strikes ст.269 from the terrorism list must not be overridden by the
    marker the extractor derived from that charge with the bundled lists."""
    terrorism = next(e for e in LAW.exclusions if e.marker is ExclusionMarkerKind.terrorism)
    struck = terrorism.model_copy(update={"articles": [a for a in terrorism.articles if a != "269"]})
    corrected = LAW.model_copy(update={"exclusions": [struck if e is terrorism else e for e in LAW.exclusions]})
    facts = verdict(
        {
            "id": "probe",
            "charges": [{"article": "269", "part": "2", "gravity": "grave"}],
            "sentence": {"kind": "imprisonment", "term_months": 96},
        }
    )
    person = facts.defendants[0]
    person.exclusion_markers = [ExclusionMarker(value=ExclusionMarkerKind.terrorism, article="269", confidence=0.95)]
    assert decide(facts, person, LAW).decision is Decision.excluded
    struck_result = decide(facts, person, corrected)
    assert struck_result.decision is Decision.not_covered  # 269 is not on the Art. 1 list
    assert any("not confirmed" in why for why in struck_result.review_reasons)  # the marker is not dropped silently
    person.exclusion_markers[0].article = None  # a marker a reviewer added, tied to no charge, still excludes
    assert decide(facts, person, corrected).decision is Decision.excluded


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace('choices = ["imposed", "reduced"]', 'choices = ["imposed", "reduce"]'), "reduce"),
        (
            lambda t: t.replace(
                'gravities = ["criminal_offense", "small", "medium"]\neffect = "release_from_p',
                'gravities = ["criminal_offense", "small", "medium", "grave"]\neffect = "release_from_p',
            ),
            "both released and cut",
        ),
    ],
)
def test_the_rules_file_rejects_what_the_engine_would_misread(tmp_path: Path, edit, message: str) -> None:
    text = bundled_laws()["kz-2022-152-VII"].read_text(encoding="utf-8")
    edited = edit(text)
    assert edited != text
    path = tmp_path / "edited.toml"
    path.write_text(edited, encoding="utf-8")
    with pytest.raises(RulesFileError, match=message):
        load_law(path)


@pytest.mark.parametrize(("content", "message"), [(b"\xff\xfe{", "not UTF-8"), (b"  \n", "empty")])
def test_check_names_an_unreadable_facts_file(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "facts.json"
    path.write_bytes(content)
    result = CliRunner().invoke(app, ["check", str(path)])
    assert result.exit_code == ExitCode.bad_args and str(path) in result.stderr and message in result.stderr
