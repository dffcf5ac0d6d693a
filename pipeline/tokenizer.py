"""The project tokenizer: spaCy's English rules plus a few for SEC filing text.

Gold spans (ANNOTATION.md) must start and end on token boundaries. The English
defaults already get most of them; the extra rules cover what filings glue to names:

* ``/s/Frank`` and ``By:/s/Frank``: ``/s/`` is a prefix of its own;
* ``--`` dashes between words and numbers (``1994--Alcoa``, ``Danielson--$375,000``);
* underscores used as blanks (``By: /s/_Gary_L._Schwass___``);
* a colon glued to the next word (``reported):March 28, 1994``);
* a hyphen at the end of a token (``FDIC-`` before a line break);
* a dash between two amounts (``$10-$12 million``);
* ``attorney-in-fact`` / ``attorneys-in-fact`` stay one token (any case);
* all-caps legal suffixes with their period (``INC.``, ``CORP.``, ``CO.``, ``LTD.``)
  stay one token like their title-case forms.
"""
from __future__ import annotations

import re
from typing import Callable

import spacy
from spacy.language import Language
from spacy.lang.en import English
from spacy.tokenizer import Tokenizer
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

EXTRA_PREFIXES = [
    r"(?i:/s/)",  # signature mark glued to the name
    r"_+",  # underscores used as blanks
    r"--+",  # dashes glued to the next word
    r"(?i:by):(?=/s/)",  # By:/s/Name
]
EXTRA_SUFFIXES = [
    r"_+",
    r"--+",
    r"(?<=[A-Za-z0-9)])-",  # a hyphen left at the end of a line
]
EXTRA_INFIXES = [
    r"--+",  # em-dash written as two hyphens, between anything
    r"(?<=[A-Za-z0-9])\)(?=-)",  # 1994)--NAME, (Gain)-Name
    r"(?<=\))-(?=[A-Za-z])",
    r"(?<=-)\$(?=[0-9])",  # --$375,000 and -$12
    r"_+",  # underscores between words
    r"(?<=[0-9A-Za-z)\]])-(?=\$)",  # $10-$12
    r"(?<=[A-Za-z)\]]):(?=[A-Za-z/$(])",  # reported):March, By:/s/
    r"(?<=[a-z)\]])/(?=[A-Z][a-z])",  # and/Frank (slashes in dates are digits: kept)
]

# Kept whole: ``attorney-in-fact`` in any case and number.
TOKEN_MATCH = re.compile(r"(?i)^attorneys?-in-fact$")

# All-caps (and lower-case) legal suffixes keep their period like ``Inc.`` does:
# English splits the period after two capitals or a lower-case letter.
CAPS_ABBREVIATIONS = ["INC.", "CORP.", "CO.", "LTD.", "BROS.", "JR.", "SR.", "MR.", "MS.",
                      "MRS.", "DR.", "NO.", "inc.", "corp.", "ltd.", "Jr.", "Sr."]


def _customize(nlp: Language) -> Tokenizer:
    defaults = nlp.Defaults
    prefixes = list(defaults.prefixes or []) + EXTRA_PREFIXES
    suffixes = list(defaults.suffixes or []) + EXTRA_SUFFIXES
    infixes = EXTRA_INFIXES + list(defaults.infixes or [])  # ours first: leftmost-first
    rules = dict(defaults.tokenizer_exceptions)
    for abbr in CAPS_ABBREVIATIONS:
        rules.setdefault(abbr, [{"ORTH": abbr}])
    return Tokenizer(
        nlp.vocab,
        rules=rules,
        prefix_search=compile_prefix_regex(prefixes).search,
        suffix_search=compile_suffix_regex(suffixes).search,
        infix_finditer=compile_infix_regex(infixes).finditer,
        token_match=TOKEN_MATCH.match,
        url_match=defaults.url_match,
    )


@spacy.registry.tokenizers("edgar_ie.Tokenizer.v1")
def create_tokenizer() -> Callable[[Language], Tokenizer]:
    """The tokenizer factory named in the configs (``[nlp.tokenizer]``)."""

    def make(nlp: Language) -> Tokenizer:
        return _customize(nlp)

    return make


def make_tokenizer(nlp: Language | None = None) -> Tokenizer:
    """Convenience for scripts and tests: the tokenizer for an English vocab."""
    return _customize(nlp or English())
