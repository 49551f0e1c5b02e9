"""A small Kazakh language class for spaCy, which ships none.

Kazakh glues case endings to numbers and abbreviations with a hyphen ("188-бабының" = "of article 188",
"ҚК-нің" = "of the Criminal Code", "2022 жылғы"), and spaCy's default character classes lack ғ, қ, ұ and і, so a
blank multi-language tokenizer keeps "188-бабының" whole. This class splits the hyphen off between a number or an
upper-case abbreviation and a lower-case ending ("188", "-", "бабының"; "ҚК", "-", "нің"), the way the Russian
tokenizer splits "ст.188", and knows the Kazakh number words for ``like_num``.

>>> [t.text for t in Kazakh()("ҚР ҚК-нің 188-бабының 2-бөлігінің 4) тармағымен")]
['ҚР', 'ҚК', '-', 'нің', '188', '-', 'бабының', '2', '-', 'бөлігінің', '4', ')', 'тармағымен']
>>> [t.like_num for t in Kazakh()("5 (бес) жыл")]
[True, False, True, False, False]
"""

from __future__ import annotations

from typing import ClassVar

from spacy.attrs import LIKE_NUM
from spacy.lang.punctuation import TOKENIZER_INFIXES, TOKENIZER_PREFIXES, TOKENIZER_SUFFIXES
from spacy.language import BaseDefaults, Language
from spacy.util import registry

UPPER = "А-ЯЁӘҒҚҢӨҰҮҺІ"
LOWER = "а-яёәғқңөұүһі"
# "188-бабының", "2-бөлігінің", "ҚК-нің", "ҚПК-нің": the hyphen before an ending is a token of its own.
ENDING_HYPHEN = rf"(?<=[0-9{UPPER}])-(?=[{LOWER}])"
# Hyphenated Kazakh words ("мінез-құлық") where spaCy's classes miss the Kazakh letters.
WORD_HYPHEN = rf"(?<=[{LOWER}])-(?=[{LOWER}])"


def _like_num(text: str) -> bool:
    from extractor.grammar.vocab import number_forms

    text = text.replace(",", "").replace(".", "").replace(" ", "")
    return text.isdigit() or text.lower() in number_forms("kk")


class KazakhDefaults(BaseDefaults):
    infixes: ClassVar = [ENDING_HYPHEN, WORD_HYPHEN, *TOKENIZER_INFIXES]
    prefixes: ClassVar = TOKENIZER_PREFIXES
    suffixes: ClassVar = TOKENIZER_SUFFIXES
    lex_attr_getters: ClassVar = {LIKE_NUM: _like_num}
    writing_system: ClassVar = {"direction": "ltr", "has_case": True, "has_letters": True}


@registry.languages("kk")
class Kazakh(Language):
    lang = "kk"
    Defaults = KazakhDefaults
