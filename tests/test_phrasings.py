"""Phrasings that broke earlier versions (found in review), each a small verdict in tests/phrasings/.

Each row: file -> expected facts of the (first) defendant and flags that must or must not be raised.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.pipeline import process_verdict

HERE = Path(__file__).parent / "phrasings"

CASES = [
    # file, expected facts of the first defendant, flags that must be raised
    ("00_base.txt", {"outcome": "convicted", "charges": [("188", "3", "3")], "term": 36, "riots": True}, set()),
    ("01_acquit.txt", {"outcome": "acquitted", "charges": [], "sentence": None}, set()),
    ("02_partial_term.txt", {"charges": [("188", "3", "3")], "markers": []}, set()),
    (
        "03_cancel_conditional.txt",
        {"charges": [("188", "3", "3")], "term": 48, "conditional": False, "regime": "medium_security"},
        set(),
    ),
    ("04_aggregate.txt", {"charges": [("188", "3", "3"), ("293", "1", None)], "term": 39}, set()),
    ("05_period.txt", {"dates": ["2022-01-05"], "riots": True}, set()),
    ("06_prokuratura.txt", {"dates": ["2022-01-05"], "riots": True}, set()),
    ("07_riots_neg.txt", {"riots": False}, set()),
    ("08_recid_then_neg.txt", {"recidivism": "simple"}, {"recidivism_ambiguous"}),
    ("08b_recid_then_55.txt", {"recidivism": "simple"}, set()),
    ("09_not_expunged.txt", {"priors": [("188", "2019-06-04")], "recidivism": None}, {"recidivism_not_stated"}),
    ("10_chp.txt", {"riots": False}, {"riots_connection_unclear"}),
    ("11_conv_acq_one_sentence.txt", {"charges": [("188", "3", "3")]}, set()),
    ("12_prior_gravity.txt", {"stated": None, "charges": [("188", "2", None)]}, set()),
    ("13_brothers.txt", {"recidivism": "dangerous", "priors": [("188", "2019-06-04")]}, set()),
    ("14_brothers_group.txt", {"outcome": "convicted", "term": 60}, set()),
    ("15_zaderzhanie.txt", {"dates": ["2022-01-06"], "riots": True}, set()),
    ("16_pp_corruption.txt", {"markers": ["corruption"]}, set()),
    ("17_initials_sentence_end.txt", {"recidivism": "dangerous"}, set()),
    # Second review: each of these once made a person look more eligible than the verdict says.
    ("r2_A_srok_pogasheniya.txt", {"priors": [("188", "2019-06-04")], "recidivism": None}, {"recidivism_not_stated"}),
    ("r2_B_two_priors_comma.txt", {"priors": [("188", "2019-06-04")]}, set()),
    ("r2_C_double_space.txt", {"priors": [("188", "2019-06-04")]}, set()),
    ("r2_D1_riots_denial.txt", {"riots": False}, set()),
    ("r2_D4_chp_because_of_riots.txt", {"riots": False}, {"riots_connection_unclear"}),
    ("r2_E_omar_omarov.txt", {"riots": False}, {"riots_connection_unclear"}),
    ("r2_F_acquit_other_count.txt", {"outcome": "convicted", "charges": [("188", "3", "3")]}, set()),
    ("r2_G_recid_yavlyaetsya.txt", {"recidivism": "dangerous"}, set()),
    ("r2_G2_recid_party.txt", {"recidivism": "dangerous"}, set()),
    ("r2_H2_birthday.txt", {"dates": ["2022-01-08"], "riots": False}, set()),
    ("r2_I_part_words.txt", {"charges": [("272", "1", None)], "markers": ["mass_riots_organizer"]}, set()),
    ("r2_J_recid_neg_other.txt", {"recidivism": "dangerous"}, {"recidivism_ambiguous"}),
    ("r2_K2_prior_nodetail.txt", {"priors": [], "recidivism": None}, {"priors_unreadable"}),
    ("r2_R_range_numeric.txt", {"dates": ["2022-01-05"]}, {"offense_period_beyond_window"}),
    ("r2_P_trailing_paragraph.txt", {"charges": [("189", "3", "2")], "markers": ["corruption"]}, set()),
    # Kazakh and English, from the second adversarial review of those languages.
    ("kk_amnesty_already_applied.txt", {"term": 24}, {"amnesty_already_applied"}),  # the court cut it already
    ("kk_episode_dates.txt", {"dates": ["2022-01-05", "2022-01-10"]}, set()),  # "... эпизод бойынша" per count
    ("kk_custody_ended.txt", {"term": 36}, {"custody_ended"}),  # "7 қаңтардан 2022 жылғы 9 қаңтарға дейін"
    ("kk_term_aylyq.txt", {"term": 42}, set()),  # "3 (үш) жыл 6 (алты) айлық мерзімге"
    ("kk_appeal_acquittal.txt", {"outcome": "acquitted", "sentence": None}, set()),  # "танылып" tells of the past
    ("kk_termination_ruling.txt", {"outcome": "case_terminated", "sentence": None}, set()),
    ("en_one_and_a_half_years.txt", {"term": 18}, set()),  # "1.5 (one and a half) years"
]


def _first(facts: dict) -> dict:
    return facts["defendants"][0]


@pytest.mark.parametrize(("name", "expected", "flags"), CASES, ids=[c[0] for c in CASES])
def test_phrasing(name: str, expected: dict, flags: set[str]) -> None:
    facts = process_verdict(HERE / name).model_dump(mode="json")
    person = _first(facts)
    sentence = person["sentence"]
    checks = {
        "outcome": lambda: person["outcome"]["value"],
        "charges": lambda: [(c["article"], c["part"], c["paragraph"]) for c in person["charges"]],
        "dates": lambda: [c["offense_date"] for c in person["charges"]],
        "term": lambda: sentence and sentence["term_months"],
        "conditional": lambda: sentence and sentence["conditional"],
        "regime": lambda: sentence and sentence["regime"],
        "sentence": lambda: sentence,
        "riots": lambda: person["riots_connection"]["value"],
        "recidivism": lambda: person["recidivism"]["value"],
        "priors": lambda: [(p["article"], p["date"]) for p in person["prior_convictions"]],
        "markers": lambda: [m["value"] for m in person["exclusion_markers"]],
        "stated": lambda: person["gravity_stated_in_text"]["value"],
    }
    for key, want in expected.items():
        assert checks[key]() == want, key
    assert flags <= {f["code"] for f in facts["review_flags"]}


def test_brothers_are_told_apart() -> None:
    """Two defendants named Ахметов: the recidivism and the prior belong to the elder only."""
    for name in ("13_brothers.txt", "14_brothers_group.txt"):
        younger = process_verdict(HERE / name).model_dump(mode="json")["defendants"][1]
        assert younger["recidivism"]["value"] == "none", name
        assert younger["prior_convictions"] == [], name


def test_a_finding_about_one_defendant_stays_with_them() -> None:
    """ "... подсудимого Бекова Н.М. В действиях подсудимого Ахметова Е.С. суд признает опасный рецидив"."""
    people = process_verdict(HERE / "17_initials_sentence_end.txt").model_dump(mode="json")["defendants"]
    assert [p["recidivism"]["value"] for p in people] == ["dangerous", "none"]


def test_a_defendant_introduced_with_an_iin_is_found() -> None:
    """ "Бекова Нурлана Маратовича, ИИН 950303300123, 3 марта 1995 года рождения": both defendants, each with
    their own facts (the recidivism is Беков's, not Ахметов's)."""
    people = process_verdict(HERE / "r2_X_missed_second.txt").model_dump(mode="json")["defendants"]
    assert [p["name"]["value"] for p in people] == ["Ахметов Ерлан Серикович", "Беков Нурлан Маратович"]
    assert [p["recidivism"]["value"] for p in people] == ["none", "dangerous"]


def test_kazakh_document_kinds() -> None:
    """An appeal ruling says so in its heading; a termination ruling's closing words on how to appeal do not."""
    assert process_verdict(HERE / "kk_appeal_acquittal.txt").document_kind.value == "appeal_ruling"
    assert process_verdict(HERE / "kk_termination_ruling.txt").document_kind.value == "termination_order"


def test_a_punishment_named_to_compare_is_not_the_one_imposed() -> None:
    """ "бас бостандығынан айыруға қарағанда жеңілірек жаза түрі – 2 (екі) жыл ... бас бостандығын шектеу"."""
    second = process_verdict(HERE / "kk_restriction_compared.txt").defendants[1].sentence
    assert (second.kind.value, second.term_months) == ("restriction_of_liberty", 24)
