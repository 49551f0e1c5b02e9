"""Where a deciding fact is missing, ambiguous or contradictory, the output says so instead of guessing."""

from __future__ import annotations

from pathlib import Path

from extractor.pipeline import process_verdict

HEAD = """ПРИГОВОР
ИМЕНЕМ РЕСПУБЛИКИ КАЗАХСТАН
Дело № 1-7/2022
14 июня 2022 года                 г. Алматы
Медеуский районный суд города Алматы в составе председательствующего судьи Касымовой А.Б.,
рассмотрев уголовное дело в отношении:
Ахметова Ерлана Сериковича, 02 марта 1995 года рождения, {record},
обвиняемого в совершении уголовного правонарушения, предусмотренного {charge} УК РК,
УСТАНОВИЛ:
{story}
Руководствуясь ст.ст. 394-396 УПК РК, суд
ПРИГОВОРИЛ:
Ахметова Ерлана Сериковича признать виновным в совершении уголовного правонарушения, предусмотренного {charge} УК РК, и назначить ему наказание в виде {punishment}.
"""
STORY = (
    "5 января 2022 года, примерно в 14 часов, Ахметов Е.С., находясь на площади Республики г. Алматы в период "
    "массовых беспорядков, умышленно похитил имущество. {extra}"
)


def run(tmp_path: Path, **parts: str) -> dict:
    values = {
        "record": "ранее не судимого",
        "charge": "п.1) ч.2 ст.188",
        "punishment": "лишения свободы сроком на 2 (два) года с отбыванием наказания в учреждении средней безопасности",
        "story": STORY.format(extra=parts.pop("extra", "Обстоятельств, отягчающих наказание, не установлено.")),
    }
    values.update(parts)
    path = tmp_path / "verdict.txt"
    path.write_text(HEAD.format(**values), encoding="utf-8")
    facts = process_verdict(path).model_dump(mode="json")
    return {"facts": facts, "codes": {flag["code"] for flag in facts["review_flags"]}}


def test_clean_verdict_has_no_flags(tmp_path: Path) -> None:
    out = run(tmp_path)
    (person,) = out["facts"]["defendants"]
    assert out["codes"] == set()
    assert person["charges"][0]["gravity"] == "medium" and person["riots_connection"]["value"] is True


def test_stated_gravity_that_contradicts_the_code(tmp_path: Path) -> None:
    out = run(tmp_path, extra="Данное преступление относится к категории тяжких преступлений.")
    assert "gravity_conflict" in out["codes"]
    assert out["facts"]["defendants"][0]["charges"][0]["confidence"] <= 0.5


def test_digits_and_words_of_the_term_disagree(tmp_path: Path) -> None:
    out = run(
        tmp_path,
        punishment="лишения свободы сроком на 3 (два) года с отбыванием наказания в учреждении средней безопасности",
    )
    assert "number_words_disagree" in out["codes"]
    assert out["facts"]["defendants"][0]["sentence"]["term_months"] == 36  # the digits win, flagged


def test_no_offence_date(tmp_path: Path) -> None:
    out = run(tmp_path, story="Ахметов Е.С. похитил имущество в торговом центре.")
    assert {"offense_date_missing", "riots_connection_unknown"} <= out["codes"]
    assert out["facts"]["defendants"][0]["riots_connection"]["value"] is None


def test_recidivism_under_the_old_code(tmp_path: Path) -> None:
    out = run(
        tmp_path,
        record="ранее судимого приговором Медеуского районного суда г. Алматы от 01.04.2015 года по ч.3 ст.188 УК РК",
        extra="Обстоятельством, отягчающим наказание Ахметова Е.С., суд признает особо опасный рецидив преступлений.",
    )
    assert out["facts"]["defendants"][0]["recidivism"]["value"] == "especially_dangerous"
    assert "recidivism_old_code" in out["codes"]


def test_sexual_offence_without_a_minor_part_needs_the_victims_age(tmp_path: Path) -> None:
    out = run(tmp_path, charge="ч.1 ст.120")
    assert "victim_age_unknown" in out["codes"]
    (marker,) = out["facts"]["defendants"][0]["exclusion_markers"]
    assert marker["value"] == "sexual_offense_minor" and marker["confidence"] < 0.9


def test_offence_in_the_window_without_a_riots_link(tmp_path: Path) -> None:
    out = run(
        tmp_path,
        story="5 января 2022 года, примерно в 14 часов, Ахметов Е.С., находясь в квартире, умышленно похитил телефон.",
    )
    assert out["facts"]["defendants"][0]["riots_connection"]["value"] is False
    assert "riots_connection_unclear" in out["codes"]


def test_wording_uncertain_between_the_2022_amendment_and_its_edition(tmp_path: Path) -> None:
    story = "1 августа 2022 года, примерно в 14 часов, Ахметов Е.С., находясь у здания акимата, применил насилие к полицейскому."
    out = run(tmp_path, charge="ч.2 ст.380", story=story)
    assert "gravity_uncertain" in out["codes"]
