"""Generate a test corpus for bulk screening: many varied verdict PDFs with their expected decisions, and a zoo of
bad or awkward files with the outcome a screen should report for each.

Usage: ``python -m extractor.corpus OUT_DIR [--count 1000] [--zoo] [--seed 0] [--jobs 2]``.

Variants — ``OUT_DIR/verdicts/NNNN-<fixture stem>.pdf``: born-digital PDFs made from the fixture verdicts of every
set (``fixtures/verdicts/*.txt`` and its subfolders, each with its gold ``.json``), cycling through them. Each copy
differs from its source only where the legal facts do not: the case number's sequence digits (everywhere the
number appears; unique in the corpus), the surnames of the judge, secretaries and prosecutors when they can be
swapped safely (a regular -ов/-ев/-ин surname that no defendant or gold field shares; the case ending is kept),
extra blank lines between paragraphs and the page layout (font size, margins, line spacing, so page breaks move).
Defendants' names, dates, articles and terms are never touched; every variant is checked to differ from its
source in those replacements and whitespace only. ``OUT_DIR/manifest.json`` lists, for every file, its source
and the decision Law 152-VII gives each defendant when decided from the source's gold facts, with totals.
Bulk screening (thousands of files) needs volume that is still checkable, and different bytes, case numbers and
page breaks so that a store cannot deduplicate or cache its way to the right answers.

Zoo — ``OUT_DIR/zoo/`` (``--zoo``): about twenty bad or awkward files, and ``OUT_DIR/zoo.json`` mapping each file
name to the outcome a screen should report: a failure reason code (``REASONS``) or ``"read"``. See ``ZOO``.

Output is deterministic for a seed, except the bytes of two encrypted zoo files (random salts) and of the scan
(Pillow's noise).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import multiprocessing
import os
import random
import re
import tempfile
import time
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from extractor.fixtures import Layout, render_pdf, render_scan

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures" / "verdicts"
LAW = "kz-2022-152-VII"
REASONS = (
    "not_a_pdf",
    "empty_file",
    "corrupt_pdf",
    "encrypted",
    "too_many_pages",
    "image_too_large",
    "not_a_verdict",
    "file_missing",
    "permission_denied",
    "time_limit",
)
READ = "read"

# ---------------------------------------------------------------------------------------------------------------
# Sources: the fixture verdicts with their gold facts and the decisions those facts get.


@dataclass(frozen=True)
class Source:
    txt: Path
    text: str
    gold: dict[str, Any]
    expected: tuple[dict[str, Any], ...]  # per defendant, in gold order

    @property
    def stem(self) -> str:
        return self.txt.stem

    @property
    def relpath(self) -> str:
        """The ``.txt`` path relative to the repository (absolute when outside it)."""
        path = self.txt.resolve()
        return path.relative_to(REPO).as_posix() if path.is_relative_to(REPO) else path.as_posix()


def expected_decisions(gold: dict[str, Any]) -> tuple[dict[str, Any], ...]:
    """What Law 152-VII decides for each defendant of a gold file, decided from its (certain) gold facts."""
    from extractor.amnesty.engine import decide_all
    from extractor.amnesty.law import get_law
    from extractor.evaluate import gold_to_facts

    facts = decide_all(gold_to_facts(gold), get_law(LAW))
    out = []
    for raw, person in zip(gold["defendants"], facts.defendants, strict=True):
        result = person.eligibility
        out.append(
            {
                "name": raw["name"],
                "decision": result.decision.value,
                "effect": result.effect.value if result.effect else None,
                "new_term_months": result.new_term_months,
                "needs_review": result.needs_review,
            }
        )
    return tuple(out)


def load_sources(folder: Path = FIXTURES) -> list[Source]:
    """Every Russian fixture (``ru-*.txt``) in ``folder`` and its subfolders that has a gold ``.json`` beside it,
    ordered by name. The Kazakh and English fixtures stay out: the variations below rewrite Russian words
    (officials, courts, case numbers) and would leave those verdicts unchanged."""
    sources = []
    for txt in [*folder.glob("*.txt"), *folder.glob("*/*.txt")]:
        gold_path = txt.with_suffix(".json")
        if not txt.name.startswith("ru-") or not gold_path.exists():
            continue
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        sources.append(Source(txt, txt.read_text(encoding="utf-8"), gold, expected_decisions(gold)))
    if not sources:
        raise SystemExit(f"{folder}: no fixture verdicts (*.txt with a .json beside)")
    return sorted(sources, key=lambda s: s.stem)


# ---------------------------------------------------------------------------------------------------------------
# Variations that leave the legal facts alone.

_UP = "А-ЯЁӘҒҚҢӨҰҮҺІ"
_LO = "а-яёәғқңөұүһі"
_SURNAME = rf"(?<!\w)[{_UP}][{_LO}]+"
_GIVEN = rf"(?:[{_UP}]\.\s?[{_UP}]\.|[{_UP}][{_LO}]+\s+[{_UP}][{_LO}]+(?:вич|вн|ичн)[{_LO}]*)"  # or name + patronymic
_PERSON = rf"{_SURNAME}\s+{_GIVEN}"
PERSON = re.compile(rf"(?P<surname>{_SURNAME})\s+{_GIVEN}")
# The people named after "судьи", "секретаре(ях)", "обвинителя / прокурора ..." in the opening of a verdict.
OFFICIALS = re.compile(
    rf"(?:судьи|секретар[{_LO}]*(?:\s+судебного\s+заседания)?|(?:обвинител|прокурор)[{_LO}]*[^,;\n]{{0,150}}?)"
    rf"\s*(?:–\s*)?(?P<people>{_PERSON}(?:\s*(?:,|\sи)\s*{_PERSON})*)"
)
# A surname that declines like an adjective-less Russian one: stem in -ов/-ев/-ин/-ын plus a case ending.
SURNAME_STEM = re.compile(rf"^([{_UP}][{_LO}]{{2,}}(?:ов|ев|ёв|ин|ын))(?:а|ой|ою|у|ым|ом|е)?$")
ENDINGS = "(?:а|ой|ою|у|ым|ом|е)?"
OPERATIVE = re.compile(r"У\s?С\s?Т\s?А\s?Н\s?О\s?В\s?И\s?Л")
# Surnames for officials, none of them used in the fixtures (checked again for every document).
NEW_SURNAMES = (
    "Жолдыбаев Иманбеков Калмурзин Кушербаев Мусрепов Нургожин Оралбеков Рахымжанов Сагатов Тажиев Уалиев Шайхин "
    "Айтмуханов Бурабаев Есмуханов Келдибеков Мадиев Сейдуалин Толеубаев Абайханов Дуйсекеев Жунисбеков Карсыбаев "
    "Момышев"
).split()


def _gold_strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _gold_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _gold_strings(item)


def official_stems(text: str, gold: dict[str, Any]) -> list[str]:
    """Surname stems of the judge, secretaries and prosecutors that can be swapped without touching anyone else
    the gold facts name (a defendant sharing the surname, say), in order of appearance."""
    opening = text[: m.start()] if (m := OPERATIVE.search(text)) else text[:3000]
    gold_text = "\n".join(_gold_strings(gold))
    stems: list[str] = []
    for match in OFFICIALS.finditer(opening):
        for surname in (p.group("surname") for p in PERSON.finditer(match.group("people"))):
            stem = found.group(1) if (found := SURNAME_STEM.match(surname)) else None
            if stem and stem not in gold_text and stem not in stems:
                stems.append(stem)
    return stems


def _surname_pattern(stem: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(stem)}(?={ENDINGS}(?!\w))")


def swap_officials(text: str, gold: dict[str, Any], rng: random.Random) -> tuple[str, dict[str, str]]:
    """Give most of the officials a new surname (same case endings, so the grammar holds); returns the text and
    the stems swapped, old → new."""
    gold_text = "\n".join(_gold_strings(gold))
    free = [s for s in NEW_SURNAMES if s not in text and s not in gold_text]
    rng.shuffle(free)
    swaps: dict[str, str] = {}
    for stem in official_stems(text, gold):
        if free and rng.random() < 0.8:
            swaps[stem] = free.pop()
            text = _surname_pattern(stem).sub(swaps[stem], text)
    return text, swaps


def _sequence_span(number: str) -> tuple[int, int]:
    """Where the sequence number sits in a case number: ``1-[187]/2022``, ``7599-22-00-1/[318]``."""
    patterns = (r"(\d+)/(?:19|20)\d\d$", r"/(\d+)$", r"(\d+)\D*$")
    match = next((m for p in patterns if (m := re.search(p, number))), None)
    if not match:
        raise ValueError(f"no digits in case number {number!r}")
    return match.span(1)


def new_case_number(number: str, text: str, rng: random.Random, used: set[str]) -> str:
    """``number`` with another sequence number, unused in the corpus and absent from ``text``."""
    start, end = _sequence_span(number)
    high = 9999
    for attempt in range(1000):
        candidate = f"{number[:start]}{rng.randint(1, high)}{number[end:]}"
        if candidate not in used and candidate not in text:
            used.add(candidate)
            return candidate
        if attempt % 50 == 49:
            high *= 10
    raise RuntimeError(f"no free case number like {number!r}")


def _case_number_pattern(number: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w\-/]){re.escape(number)}(?![\w/])")


def add_blank_lines(text: str, rng: random.Random, rate: float = 0.25) -> str:
    """One or two more empty lines after some of the blank lines that separate paragraphs."""
    lines = text.split("\n")
    out: list[str] = []
    for i, line in enumerate(lines):
        out.append(line)
        blank = not line.strip() and "\f" not in line
        after_paragraph = i > 0 and bool(lines[i - 1].strip())
        if blank and after_paragraph and rng.random() < rate:
            out.extend([""] * rng.randint(1, 2))
    return "\n".join(out)


def random_layout(rng: random.Random) -> Layout:
    """A page layout within what courts' word processors produce: 9.5–11 pt, single to 1.5 line spacing."""
    size = round(rng.uniform(9.5, 11), 1)
    return Layout(
        font_size=size,
        line_height=round(size * rng.uniform(0.42, 0.56), 2),
        margin_left=round(rng.uniform(15, 30), 1),
        margin_top=round(rng.uniform(10, 20), 1),
        margin_right=round(rng.uniform(10, 20), 1),
        margin_bottom=round(rng.uniform(16, 25), 1),
        blank_line=round(rng.uniform(0.5, 4), 1),
    )


def check_facts_kept(original: str, varied: str, case_numbers: tuple[str, str] | None, swaps: dict[str, str]) -> None:
    """Raise unless ``varied`` is ``original`` with only the case number, officials' surnames and whitespace changed."""
    restored = varied
    if case_numbers:
        restored = _case_number_pattern(case_numbers[1]).sub(case_numbers[0], restored)
    for old, new in swaps.items():
        restored = _surname_pattern(new).sub(old, restored)
    if restored.split() != original.split():
        raise AssertionError("a variation changed more than the case number, officials' surnames and spacing")


# ---------------------------------------------------------------------------------------------------------------
# Variants: plan (sequential, seeded), render (in parallel), describe (manifest).


@dataclass(frozen=True)
class Variant:
    file_name: str
    source: Source
    text: str
    layout: Layout
    case_number: str | None
    officials: dict[str, str]  # surname stem in the source → in the variant


def make_variant(source: Source, file_name: str, rng: random.Random, used: set[str]) -> Variant:
    text = source.text
    old_number = source.gold.get("case_number")
    numbers = None
    if old_number and _case_number_pattern(old_number).search(text):
        numbers = (old_number, new_case_number(old_number, text, rng, used))
        text = _case_number_pattern(old_number).sub(numbers[1], text)
    text, swaps = swap_officials(text, source.gold, rng)
    text = add_blank_lines(text, rng)
    check_facts_kept(source.text, text, numbers, swaps)
    return Variant(file_name, source, text, random_layout(rng), numbers[1] if numbers else old_number, swaps)


def plan_variants(sources: list[Source], count: int, seed: int) -> list[Variant]:
    """``count`` variants cycling through ``sources``; the same seed gives the same variants."""
    rng = random.Random(seed)
    used = {s.gold["case_number"] for s in sources if s.gold.get("case_number")}
    width = max(4, len(str(count)))
    return [
        make_variant(source, f"{i:0{width}d}-{source.stem}.pdf", rng, used)
        for i, source in enumerate((sources[k % len(sources)] for k in range(count)), start=1)
    ]


def _render_job(job: tuple[str, str, Layout]) -> None:
    text, path, layout = job
    render_pdf(text, Path(path), layout)


def render_variants(variants: list[Variant], folder: Path, jobs: int = 2) -> None:
    """Write every variant's PDF into ``folder`` (removing variant PDFs a previous run left there)."""
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.pdf"):
        if re.match(r"\d{4,}-", stale.name):
            stale.unlink()
    work = [(v.text, str(folder / v.file_name), v.layout) for v in variants]
    if jobs <= 1 or len(work) < 8:
        for job in work:
            _render_job(job)
        return
    with multiprocessing.Pool(jobs) as pool:
        for _ in pool.imap_unordered(_render_job, work, chunksize=4):
            pass


def manifest(variants: list[Variant], seed: int) -> dict[str, Any]:
    """Each variant with its source and expected decisions, and the totals over them."""
    entries = [
        {
            "file": f"verdicts/{v.file_name}",
            "source": v.source.relpath,
            "case_number": v.case_number,
            "source_case_number": v.source.gold.get("case_number"),
            "officials": v.officials,
            "layout": asdict(v.layout),
            "defendants": list(v.source.expected),
        }
        for v in variants
    ]
    people = [d for e in entries for d in e["defendants"]]
    totals = {
        "documents": len(entries),
        "defendants": len(people),
        "decisions": dict(sorted(Counter(d["decision"] for d in people).items())),
        "needs_review": sum(d["needs_review"] for d in people),
    }
    return {"law": LAW, "seed": seed, "totals": totals, "variants": entries}


def write_variants(out: Path, count: int, seed: int = 0, jobs: int = 2, src: Path = FIXTURES) -> dict[str, Any]:
    """Plan, render and describe ``count`` variants under ``out``; returns the manifest written."""
    variants = plan_variants(load_sources(src), count, seed)
    render_variants(variants, out / "verdicts", jobs)
    data = manifest(variants, seed)
    (out / "manifest.json").write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return data


# ---------------------------------------------------------------------------------------------------------------
# The zoo: each entry is a file name, the outcome expected and a function that writes the file.

ZOO_VERDICT = "ru-023-hooliganism-fine-taraz"  # short (3 pages), one defendant: the real verdict inside zoo files
_CREATED = dt.datetime(2022, 12, 1, tzinfo=dt.UTC)  # fixed dates, reproducible bytes
ONE_PAGE = Layout(font_size=9.5, line_height=4.1, margin_left=18, margin_top=12, margin_right=10, margin_bottom=15)

CIVIL_DECISION = """\
Р Е Ш Е Н И Е
ИМЕНЕМ РЕСПУБЛИКИ КАЗАХСТАН

Дело № 2-3417/2022

14 сентября 2022 года                                                                 г. Караганда

Октябрьский районный суд города Караганды в составе председательствующего судьи Темирбековой А.С., при секретаре \
судебного заседания Жуматаевой Г.Н., с участием истца Ковальчук Н.В., представителя ответчика Байгабылова Е.М., \
действующего на основании доверенности от 03 января 2022 года,

рассмотрев в открытом судебном заседании гражданское дело по исковому заявлению Ковальчук Натальи Викторовны к \
товариществу с ограниченной ответственностью «КарагандаЖилСервис» о возмещении материального ущерба, причиненного \
затоплением квартиры, и компенсации морального вреда,

УСТАНОВИЛ:

Истец Ковальчук Н.В. обратилась в суд с исковым заявлением, указав, что является собственником квартиры № 45 в \
доме № 12 по ул. Ерубаева г. Караганды на основании договора купли-продажи от 17 июня 2015 года. 2 марта 2022 года \
в результате прорыва трубы центрального отопления на техническом этаже дома произошло затопление ее квартиры. \
Актом обследования от 3 марта 2022 года, составленным комиссией ответчика, зафиксированы повреждения потолка и \
стен в жилой комнате и на кухне, напольного покрытия и кухонного гарнитура. Согласно отчету об оценке № 118 от \
21 марта 2022 года стоимость восстановительного ремонта составляет 1 284 600 тенге. Претензия истца от 25 марта \
2022 года оставлена ответчиком без удовлетворения. Истец просит взыскать с ответчика 1 284 600 тенге в возмещение \
ущерба, 45 000 тенге расходов по оценке, 300 000 тенге компенсации морального вреда и расходы по оплате \
государственной пошлины.

В судебном заседании истец исковые требования поддержала в полном объеме по основаниям, изложенным в иске.

Представитель ответчика Байгабылов Е.М. иск признал частично, пояснив, что факт затопления и вину управляющей \
компании ответчик не оспаривает, однако считает стоимость ремонта завышенной, а требование о компенсации \
морального вреда не основанным на законе.

Выслушав стороны, исследовав материалы гражданского дела, суд приходит к следующему.

Согласно статье 917 Гражданского кодекса Республики Казахстан вред, причиненный неправомерными действиями \
(бездействием) имуществу гражданина, подлежит возмещению лицом, причинившим вред, в полном объеме. Ответчик как \
управляющая компания обязан содержать общее имущество объекта кондоминиума в надлежащем состоянии. Прорыв трубы \
отопления на техническом этаже свидетельствует о ненадлежащем исполнении ответчиком этой обязанности.

Доводы представителя ответчика о завышении стоимости ремонта суд находит несостоятельными: ходатайство о \
назначении судебной оценочной экспертизы ответчиком не заявлено, иного расчета суду не представлено.

Требование о компенсации морального вреда подлежит частичному удовлетворению с учетом требований разумности и \
справедливости в размере 50 000 тенге. В соответствии со статьей 109 Гражданского процессуального кодекса \
Республики Казахстан с ответчика в пользу истца подлежат взысканию расходы по оплате государственной пошлины \
пропорционально удовлетворенной части иска.

На основании изложенного, руководствуясь статьями 223–226 Гражданского процессуального кодекса Республики \
Казахстан, суд

РЕШИЛ:

Исковое заявление Ковальчук Натальи Викторовны к ТОО «КарагандаЖилСервис» о возмещении материального ущерба и \
компенсации морального вреда удовлетворить частично.

Взыскать с ТОО «КарагандаЖилСервис» в пользу Ковальчук Натальи Викторовны в возмещение материального ущерба \
1 284 600 (один миллион двести восемьдесят четыре тысячи шестьсот) тенге, расходы по оценке 45 000 тенге, \
компенсацию морального вреда 50 000 тенге, расходы по оплате государственной пошлины 12 846 тенге.

В удовлетворении остальной части иска отказать.

Решение может быть обжаловано и опротестовано в судебную коллегию по гражданским делам Карагандинского \
областного суда через Октябрьский районный суд города Караганды в течение одного месяца со дня получения копии \
решения.

Судья                                        (подпись)                                        Темирбекова А.С.
"""

INVOICE = """\
ТОО «Канцлер-Снаб»
БИН 150840012345, г. Алматы, ул. Толе би, д. 101, оф. 12, тел. +7 727 355 12 40

Образец платежного поручения
Бенефициар: ТОО «Канцлер-Снаб», БИН 150840012345, ИИК KZ12 8560 0000 0123 4567, Кбе 17
Банк бенефициара: АО «Банк ЦентрКредит», БИК KCJBKZKX          Код назначения платежа: 710

Счет на оплату № 17 от 12 октября 2022 года

Поставщик: ТОО «Канцлер-Снаб», БИН 150840012345, г. Алматы, ул. Толе би, д. 101, оф. 12
Покупатель: РГУ «Департамент по обеспечению деятельности судов при Верховном Суде Республики Казахстан по \
Алматинской области», БИН 010540004120, г. Конаев, ул. Абая, д. 37
Договор: № 45 от 1 сентября 2022 года

№    Наименование                                             Кол-во    Ед.        Цена          Сумма
1    Бумага офисная А4, 80 г/м², 500 листов                       40    пачка    2 150,00      86 000,00
2    Картридж лазерный HP 59A (CF259A)                             6    шт.     18 900,00     113 400,00
3    Папка-регистратор 75 мм, синяя                               50    шт.        890,00      44 500,00
4    Скобы для степлера № 24/6, 1000 шт.                          20    уп.        240,00       4 800,00
5    Конверт С4 с отрывной лентой                                500    шт.         45,00      22 500,00

Итого:                                                                                    271 200,00
В том числе НДС 12%:                                                                       29 057,14
Итого к оплате:                                                                           271 200,00

Всего наименований 5, на сумму 271 200,00 KZT
Всего к оплате: двести семьдесят одна тысяча двести тенге 00 тиын

Счет действителен к оплате в течение 10 банковских дней. Оплата данного счета означает согласие с условиями \
поставки товара.

Исполнитель                    ____________________                    /Сейткалиева Д.М./
Главный бухгалтер              ____________________                    /Ахметова Р.К./
"""

HTML_ERROR_PAGE = """<!DOCTYPE html>
<html lang="ru">
<head><meta charset="utf-8"><title>503 Service Temporarily Unavailable</title></head>
<body>
<h1>Сервис временно недоступен</h1>
<p>Запрошенный документ не может быть выдан. Повторите попытку позднее.</p>
<hr><address>nginx</address>
</body>
</html>
"""


@dataclass(frozen=True)
class ZooKit:
    """What zoo builders start from: a real verdict as text and as born-digital PDF bytes, and a seeded rng."""

    verdict_text: str
    verdict_pdf: bytes
    rng: random.Random


def _plain_text(path: Path, kit: ZooKit) -> None:
    """A verdict saved as plain text but named .pdf."""
    path.write_text(kit.verdict_text, encoding="utf-8")


def _jpeg(path: Path, kit: ZooKit) -> None:
    """A photo of a page (grey paper, dark strokes for lines of text) named .pdf."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (620, 877), 228)
    draw = ImageDraw.Draw(image)
    for y in range(70, 820, 18):
        draw.rectangle((60, y, 60 + kit.rng.randint(250, 500), y + 7), fill=kit.rng.randint(40, 90))
    image.save(path, format="JPEG", quality=60)


def _docx(path: Path, kit: ZooKit) -> None:
    """A Word document (a zip with the .docx parts) named .pdf."""
    from xml.sax.saxutils import escape

    paragraphs = "".join(
        f'<w:p><w:r><w:t xml:space="preserve">{escape(line)}</w:t></w:r></w:p>'
        for line in kit.verdict_text.splitlines()
        if line.strip()
    )
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/'
            'document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main'
            '+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'
        ),
        "word/document.xml": f'<?xml version="1.0" encoding="UTF-8"?><w:document {ns}><w:body>{paragraphs}'
        "</w:body></w:document>",
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2022, 12, 1, 0, 0, 0)), content)


def _html(path: Path, kit: ZooKit) -> None:
    """A portal's error page saved under the verdict's name."""
    path.write_text(HTML_ERROR_PAGE, encoding="utf-8")


def _empty(path: Path, kit: ZooKit) -> None:
    """Zero bytes."""
    path.write_bytes(b"")


def _truncated(path: Path, kit: ZooKit) -> None:
    """The first half of a real verdict PDF (an interrupted download): the pages are there, the embedded font is
    cut off and there is no xref or trailer. pdfminer fails on it; qpdf rebuilds it (without the font)."""
    path.write_bytes(kit.verdict_pdf[: len(kit.verdict_pdf) // 2])


def _garbage(path: Path, kit: ZooKit) -> None:
    """A PDF header, a body of random bytes and a cross-reference table of garbage pointing nowhere. qpdf and pdfium
    refuse it; pdfminer opens it and finds no page."""
    body = kit.rng.randbytes(12_000)
    xref = b"xref\n0 23\n" + b"".join(
        bytes(kit.rng.choice(b"0123456789abcdef ") for _ in range(18)) + b"\r\n" for _ in range(23)
    )
    start = len(b"%PDF-1.3\n") + len(body) + 1
    trailer = b"trailer\n<< /Size 23 /Root 2 0 R /Info 22 0 R >>\nstartxref\n%d\n%%%%EOF\n" % start
    path.write_bytes(b"%PDF-1.3\n" + body + b"\n" + xref + trailer)


def _encrypted(path: Path, kit: ZooKit, user: str, allow: Any = None) -> None:
    import pikepdf

    with pikepdf.open(io.BytesIO(kit.verdict_pdf)) as pdf:
        options = {"owner": "court-archive-owner", "user": user, "R": 6}
        if allow is not None:
            options["allow"] = allow
        pdf.save(path, encryption=pikepdf.Encryption(**options))


def _user_password(path: Path, kit: ZooKit) -> None:
    """A verdict that opens only with a password (AES-256)."""
    _encrypted(path, kit, user="password")


def _owner_password(path: Path, kit: ZooKit) -> None:
    """A verdict encrypted with only an owner password: opens without one, but printing, copying and editing are
    forbidden. Readers that honour the flags refuse to extract; pdfplumber reads it."""
    import pikepdf

    forbid = {name: False for name in ("extract", "print_lowres", "print_highres", "modify_annotation")}
    forbid |= {"modify_assembly": False, "modify_form": False, "modify_other": False}
    _encrypted(path, kit, user="", allow=pikepdf.Permissions(**forbid))


def _many_pages(path: Path, kit: ZooKit, pages: int = 2000) -> None:
    """2,000 pages sharing one tiny content stream and font (object streams keep it ~20 KB)."""
    import pikepdf
    from pikepdf import Array, Dictionary, Name

    pdf = pikepdf.new()
    font = Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
    resources = pdf.make_indirect(Dictionary(Font=Dictionary(F1=font)))
    content = pdf.make_indirect(pikepdf.Stream(pdf, b"BT /F1 24 Tf 72 760 Td (Case file, volume 1) Tj ET"))
    for _ in range(pages):
        page = Dictionary(Type=Name.Page, MediaBox=Array([0, 0, 595, 842]), Contents=content, Resources=resources)
        pdf.pages.append(pikepdf.Page(page))
    pdf.save(path, object_stream_mode=pikepdf.ObjectStreamMode.generate, deterministic_id=True)


def zeros_deflated(size: int, chunk: int = 1 << 22) -> bytes:
    """A zlib stream that inflates to ``size`` zero bytes, built in milliseconds: after a full flush deflate
    emits the same bytes for every chunk of zeros, so one compressed chunk is repeated (Adler-32 of n zeros is
    ``(n mod 65521) << 16 | 1``)."""
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = deflate.compress(bytes(chunk)) + deflate.flush(zlib.Z_FULL_FLUSH)
    full, rest = divmod(size, chunk)
    tail = deflate.compress(bytes(rest)) + deflate.flush(zlib.Z_FINISH)
    adler = ((size % 65521) << 16) | 1
    return b"\x78\xda" + block * full + tail + adler.to_bytes(4, "big")


def _image_bomb(path: Path, kit: ZooKit, side: int = 40_000) -> None:
    """One page showing a 40,000×40,000 grey image (1.6 GB decoded) whose zeros are deflated twice: 3 KB on disk."""
    import pikepdf
    from pikepdf import Array, Dictionary, Name

    pdf = pikepdf.new()
    image = pikepdf.Stream(pdf, b"")
    image.write(zlib.compress(zeros_deflated(side * side), 9), filter=Array([Name.FlateDecode, Name.FlateDecode]))
    image.Type, image.Subtype = Name.XObject, Name.Image
    image.Width, image.Height, image.ColorSpace, image.BitsPerComponent = side, side, Name.DeviceGray, 8
    content = pikepdf.Stream(pdf, b"q 595 0 0 842 0 0 cm /Im0 Do Q")
    resources = Dictionary(XObject=Dictionary(Im0=image))
    page = Dictionary(Type=Name.Page, MediaBox=Array([0, 0, 595, 842]), Contents=content, Resources=resources)
    pdf.pages.append(pikepdf.Page(page))
    # Written as is: qpdf would otherwise inflate the 1.6 GB to recompress it.
    pdf.save(
        path,
        stream_decode_level=pikepdf.StreamDecodeLevel.none,
        compress_streams=False,
        deterministic_id=True,
    )


SLOW_CHARS = 150_000
SLOW_STATE_SAVES = 10  # "q Q" pairs after each character


def _slow_text(path: Path, kit: ZooKit, chars: int = SLOW_CHARS) -> None:
    """One page of 150,000 half-point characters, each placed by its own operators and followed by ten graphics
    state saves and restores that change nothing (a generator gone wrong): about 24 s for pdfplumber to read on an
    idle core, ~0.4 GB of memory, 110 KB on disk. More characters would be slower but would cost memory too
    (~2.6 KB a character), and a worker over its memory limit is another failure than a time limit."""
    import pikepdf
    from pikepdf import Array, Dictionary, Name

    per_line, advance = 1000, 0.3
    words = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor".split()
    idle = " q Q" * SLOW_STATE_SAVES
    ops = [b"BT /F1 0.5 Tf 20 800 Td"]
    for _ in range(chars // per_line):
        line = " ".join(kit.rng.choice(words) for _ in range(per_line))[:per_line]
        ops.append(" ".join(f"({c}) Tj {advance} 0 Td{idle}" for c in line).encode("ascii"))
        ops.append(f"{-advance * per_line:.1f} -0.6 Td".encode("ascii"))
    ops.append(b"ET")
    pdf = pikepdf.new()
    font = Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Courier)
    content = pikepdf.Stream(pdf, b"\n".join(ops))
    resources = Dictionary(Font=Dictionary(F1=font))
    page = Dictionary(Type=Name.Page, MediaBox=Array([0, 0, 595, 842]), Contents=content, Resources=resources)
    pdf.pages.append(pikepdf.Page(page))
    pdf.save(path, compress_streams=True, deterministic_id=True)


def _rendered(text: str, layout: Layout | None = None) -> Callable[[Path, ZooKit], None]:
    def build(path: Path, kit: ZooKit) -> None:
        render_pdf(text, path, layout)

    return build


def _blank_page(path: Path, kit: ZooKit) -> None:
    """A valid PDF of one empty page: no text layer, nothing to OCR."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_creation_date(_CREATED)
    pdf.add_page()
    pdf.output(str(path))


def _dangling_link(path: Path, kit: ZooKit) -> None:
    """A symlink to a file that is not there."""
    os.symlink("deleted-verdict.pdf", path)


def _no_permission(path: Path, kit: ZooKit) -> None:
    """A real verdict with mode 000 (root still reads it)."""
    path.write_bytes(kit.verdict_pdf)
    path.chmod(0)


def _verdict(path: Path, kit: ZooKit) -> None:
    """A real verdict, as rendered (under an awkward name)."""
    path.write_bytes(kit.verdict_pdf)


def _incremental_update(path: Path, kit: ZooKit) -> None:
    """A real verdict with an incremental update appended, as an editor or a signing tool writes one: a new
    document-information revision and a "Копия верна" note on page 1, with an xref section chained by /Prev."""
    import pikepdf

    original = kit.verdict_pdf
    with pikepdf.open(io.BytesIO(original)) as pdf:
        size = int(pdf.trailer.Size)
        root = pdf.trailer.Root.objgen[0]
        info = pdf.trailer.Info.objgen[0]
        page_number = pdf.Root.Pages.Kids[0].objgen[0]
        trailer_id = pdf.trailer.ID.unparse().decode("latin-1")
    # The page as fpdf2 wrote it (a flat dictionary), not as qpdf shows it: qpdf pushes inherited attributes down
    # into new objects.
    page_dict = re.search(rb"\n%d 0 obj\s*(<<.*?>>)\s*endobj" % page_number, original, re.DOTALL).group(1)
    prev = int(re.findall(rb"startxref\s+(\d+)", original)[-1])
    note = "Копия верна".encode("utf-16-be").hex().upper()
    objects = {
        info: "<< /Producer (Court records 2.4) /ModDate (D:20221205093000+06'00') /Title (Verdict, certified copy) >>",
        size: f"<< /Type /Annot /Subtype /FreeText /Rect [380 790 560 812] /Contents <FEFF{note}> /DA (/Helv 10 Tf 0 g)"
        " /F 4 >>",
        page_number: page_dict.decode("latin-1")[:-2].rstrip() + f"\n/Annots [{size} 0 R]\n>>",
    }
    update = bytearray(b"\n")
    offsets = {}
    for number, body in objects.items():
        offsets[number] = len(original) + len(update)
        update += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref_at = len(original) + len(update)
    update += b"xref\n0 1\n0000000000 65535 f \n"
    for number in sorted(offsets):
        update += f"{number} 1\n{offsets[number]:010d} 00000 n \n".encode("ascii")
    update += (
        f"trailer\n<< /Size {size + 1} /Root {root} 0 R /Info {info} 0 R /ID {trailer_id} /Prev {prev} >>\n"
        f"startxref\n{xref_at}\n%%EOF\n"
    ).encode("latin-1")
    path.write_bytes(original + bytes(update))


def _linearized(path: Path, kit: ZooKit) -> None:
    """A real verdict saved linearized ("fast web view"), as court portals serve them."""
    import pikepdf

    with pikepdf.open(io.BytesIO(kit.verdict_pdf)) as pdf:
        pdf.save(path, linearize=True, deterministic_id=True)


def _scan(path: Path, kit: ZooKit) -> None:
    """The verdict as an image-only scan at 150 dpi (a poor photocopy): read by OCR."""
    with tempfile.TemporaryDirectory() as tmp:
        born_digital = Path(tmp) / "verdict.pdf"
        born_digital.write_bytes(kit.verdict_pdf)
        render_scan(born_digital, path, dpi=150, seed=kit.rng.randrange(1 << 30))


# name → (expected outcome, builder). Builders document what each file is.
ZOO: dict[str, tuple[str, Callable[[Path, ZooKit], None]]] = {
    "plain-text.pdf": ("not_a_pdf", _plain_text),
    "photo.pdf": ("not_a_pdf", _jpeg),
    "word-document.pdf": ("not_a_pdf", _docx),
    "html-error-page.pdf": ("not_a_pdf", _html),
    "empty.pdf": ("empty_file", _empty),
    "truncated.pdf": ("corrupt_pdf", _truncated),
    "garbage-xref.pdf": ("corrupt_pdf", _garbage),
    "password-protected.pdf": ("encrypted", _user_password),
    "owner-password-no-copy.pdf": (READ, _owner_password),
    "2000-pages.pdf": ("too_many_pages", _many_pages),
    "image-bomb.pdf": ("image_too_large", _image_bomb),
    "civil-decision.pdf": ("not_a_verdict", _rendered(CIVIL_DECISION, ONE_PAGE)),
    "invoice.pdf": ("not_a_verdict", _rendered(INVOICE)),
    "blank-page.pdf": ("not_a_verdict", _blank_page),
    "dangling-link.pdf": ("file_missing", _dangling_link),
    "no-permission.pdf": ("permission_denied", _no_permission),
    "slow-text.pdf": ("time_limit", _slow_text),
    "Приговор суда копия.PDF": (READ, _verdict),
    "incremental-update.pdf": (READ, _incremental_update),
    "linearized.pdf": (READ, _linearized),
    "scan-150dpi.pdf": (READ, _scan),
}


def zoo_kit(seed: int, src: Path = FIXTURES) -> ZooKit:
    txt = next(src.glob(f"**/{ZOO_VERDICT}.txt"))
    text = txt.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        pdf_path = Path(tmp) / "verdict.pdf"
        render_pdf(text, pdf_path)
        return ZooKit(text, pdf_path.read_bytes(), random.Random(seed))


def write_zoo(out: Path, seed: int = 0, src: Path = FIXTURES) -> dict[str, str]:
    """Write every zoo file into ``out/zoo`` (replacing earlier ones) and ``out/zoo.json``; returns the mapping."""
    folder = out / "zoo"
    folder.mkdir(parents=True, exist_ok=True)
    kit = zoo_kit(seed, src)
    for name, (_, build) in ZOO.items():
        path = folder / name
        path.unlink(missing_ok=True)  # also a dangling link or a mode-000 file from an earlier run
        build(path, kit)
    expected = {name: outcome for name, (outcome, _) in ZOO.items()}
    (out / "zoo.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return expected


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write verdicts/, manifest.json (and zoo/, zoo.json)")
    parser.add_argument("--count", type=int, default=1000, help="number of variant PDFs (default 1000; 0: none)")
    parser.add_argument("--zoo", action="store_true", help="also write the zoo of bad and awkward files")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=2, help="rendering processes (default 2)")
    parser.add_argument("--src", type=Path, default=FIXTURES, help="fixture verdicts (default: the bundled ones)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if args.count > 0:
        totals = write_variants(args.out, args.count, args.seed, args.jobs, args.src)["totals"]
        print(
            f"wrote {totals['documents']} variants ({totals['defendants']} defendants: "
            + ", ".join(f"{n} {kind}" for kind, n in totals["decisions"].items())
            + f") to {args.out / 'verdicts'} in {time.perf_counter() - started:.1f} s"
        )
    if args.zoo:
        print(f"wrote {len(write_zoo(args.out, args.seed, args.src))} zoo files to {args.out / 'zoo'}")


if __name__ == "__main__":
    main()
