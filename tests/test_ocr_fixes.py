"""OCR confusion fixes: what they must correct, what they must leave alone, and the map back to the text read."""

from __future__ import annotations

import pytest

from extractor.ocr_fixes import fix_ocr_text


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("предусмотренного 11.3) ч.3 ст.188 УК РК", "предусмотренного п.3) ч.3 ст.188 УК РК"),
        ("по 01.6) ч.2 ст.269 УК РК", "по п.6) ч.2 ст.269 УК РК"),
        ("ч.2 ст.272, 1.3) ч.3 ст.188, ч.2 ст.293", "ч.2 ст.272, п.3) ч.3 ст.188, ч.2 ст.293"),  # ru-006's scan
        ("предусмотренного ч.2. ст.272 УК РК", "предусмотренного ч.2 ст.272 УК РК"),  # ru-021's, another draw
        ("Серікбаева Дәурена, 12.09.1999r.р., уроженца", "Серікбаева Дәурена, 12.09.1999г.р., уроженца"),  # ru-040's
        ("от 07.01.2022 r. постановлением", "от 07.01.2022 г. постановлением"),
        ("Дәурена, 12.09.1999r.p., уроженца", "Дәурена, 12.09.1999г.р., уроженца"),  # "р" in Latin too
        ("по 4.3 ст.287 УК РК", "по ч.3 ст.287 УК РК"),
        ("предусмотренного 4.2 ст.272 УК PK", "предусмотренного ч.2 ст.272 УК РК"),
        ("по ч.З ст.18В YK PK", "по ч.3 ст.188 УК РК"),
        ("по ст.З80 УК РК", "по ст.380 УК РК"),
        ("по п.б) ч.2 ст.269 УК РК", "по п.6) ч.2 ст.269 УК РК"),
        ("Тулегенова A.B. признать", "Тулегенова А.В. признать"),
        ("Мухтарова EpxaHa Талгатовича признать", "Мухтарова Ерхана Талгатовича признать"),  # ru-036, a draw
        ("Мамырова АрMaHa Жумабековича, 12.06.1988", "Мамырова Армана Жумабековича, 12.06.1988"),  # ru-019, a draw
        ("ПРИГOBOP", "ПРИГОВОР"),
        ("Сейткалиева Даулета Нурлановича, 27. 03. 1996 г.р.", "Сейткалиева Даулета Нурлановича, 27.03.1996 г.р."),
    ],
)
def test_confusions_are_corrected(read: str, meant: str) -> None:
    assert fix_ocr_text(read).text == meant


@pytest.mark.parametrize(
    "correct",
    [
        "(т.1 л.15) показания свидетеля",  # a volume and sheet reference, not a paragraph
        "осужден по п.«б» ч.2 ст.175 УК КазССР",  # a lettered paragraph of the old Code
        "в т.ч. В отношении подсудимого",  # "т.ч." is not a part
        "согласно пункту 4.3 статьи 72 Закона",  # a real "4.3"
        "1. 3) ч.2 ст.188 УК РК",  # a list's item 1, then a paragraph
        "автомобиль г/н 777 ABC 02, ТОО «KEY Trade», глава XXX",  # Latin that must stay Latin
        "телевизор марки «Samsung» модели UE50AU7100",
        "автомобиль марки TOYOTA белого цвета",  # a brand in capitals between Russian words
        "модель 2020r.5 прошивки",  # not a year's "г."
    ],
)
def test_correct_text_is_left_alone(correct: str) -> None:
    assert fix_ocr_text(correct).text == correct


def test_the_offset_map_points_back_to_the_characters_read() -> None:
    read = "виновным по 11.3) ч.3 ст.188 УК РК"
    fixed = fix_ocr_text(read)
    start = fixed.text.index("п.3) ч.3 ст.188")
    end = start + len("п.3) ч.3 ст.188")
    assert read[fixed.offsets[start] : fixed.offsets[end]] == "11.3) ч.3 ст.188"
    assert len(fixed.offsets) == len(fixed.text) + 1
