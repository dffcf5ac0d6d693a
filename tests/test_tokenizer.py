"""The project tokenizer puts token boundaries where gold spans start and end."""
from __future__ import annotations

import json

import pytest
import spacy

from pipeline.tokenizer import make_tokenizer

from .conftest import SHARED_DIR, needs_shared


@pytest.fixture(scope="module")
def nlp():
    return spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "edgar_ie.Tokenizer.v1"}}})


def words(nlp, text):
    return [t.text for t in nlp.make_doc(text)]


def test_registered_tokenizer_is_used(nlp):
    assert words(nlp, "/s/Jane Roe") == ["/s/", "Jane", "Roe"]


@pytest.mark.parametrize("text, expected", [
    ("/s/Frank J. Pocher", ["/s/", "Frank", "J.", "Pocher"]),
    ("/S/ JANE ROE", ["/S/", "JANE", "ROE"]),
    ("By:/s/Walter Brine", ["By:", "/s/", "Walter", "Brine"]),
    ("$3.6 million", ["$", "3.6", "million"]),
    ("US$5 million", ["US$", "5", "million"]),
    ("$10-$12 million", ["$", "10", "-", "$", "12", "million"]),
    ("Brine--$375,000 each", ["Brine", "--", "$", "375,000", "each"]),
    ('Tallow Corp. (the "Company").', ["Tallow", "Corp.", "(", "the", '"', "Company", '"', ")", "."]),
    ("12/31/2010", ["12/31/2010"]),
    ("10% shareholder", ["10", "%", "shareholder"]),
    ("1994--Quarry Foods Inc. said", ["1994", "--", "Quarry", "Foods", "Inc.", "said"]),
    ("(May 2, 1994)--PELLUCID BANK", ["(", "May", "2", ",", "1994", ")", "--", "PELLUCID", "BANK"]),
    ("(Loss)-Vantage", ["(", "Loss", ")", "-", "Vantage"]),
    ("/s/_Ann_B._Sorrel___", ["/s/", "_", "Ann", "_", "B.", "_", "Sorrel", "___"]),
])
def test_glued_punctuation_is_split(nlp, text, expected):
    assert words(nlp, text) == expected


def test_colon_glued_to_a_date_is_split(nlp):
    toks = words(nlp, "(Date of event reported):March 3, 1994")
    assert toks[-5:] == [":", "March", "3", ",", "1994"]


def test_time_of_day_colon_is_kept(nlp):
    assert "10:30" in words(nlp, "at 10:30 a.m.")


@pytest.mark.parametrize("text", ["attorney-in-fact", "attorneys-in-fact", "Attorney-In-Fact"])
def test_attorney_in_fact_is_one_token(nlp, text):
    assert words(nlp, f"each {text}, jointly") == ["each", text, ",", "jointly"]


def test_hyphen_broken_attorney_in_fact_still_aligns(nlp):
    text = "such attorney-\nin-fact may act"
    doc = nlp.make_doc(text)
    start = text.index("attorney")
    assert doc.char_span(start, text.index(" may")) is not None


@pytest.mark.parametrize("suffix", ["Inc.", "INC.", "Corp.", "CORP.", "Co.", "Ltd.", "inc."])
def test_legal_suffix_keeps_its_period_at_sentence_end(nlp, suffix):
    doc = nlp.make_doc(f"The notes were sold to Harrow Mills {suffix}\nNext line")
    assert suffix in [t.text for t in doc]


def test_period_after_full_word_is_split(nlp):
    assert words(nlp, "sold by Harrow Corporation.")[-2:] == ["Corporation", "."]


def test_hyphen_at_line_end_is_split(nlp):
    assert words(nlp, "FDIC-\ninsured")[:2] == ["FDIC", "-"]


def test_make_tokenizer_matches_registered(nlp):
    text = "/s/Jane Roe, attorney-in-fact, on 12/31/2010 for $ 26,741 (the \"Bank\")."
    other = spacy.blank("en")
    other.tokenizer = make_tokenizer(other)
    assert words(nlp, text) == [t.text for t in other.make_doc(text)]


def test_tokenizer_serializes(nlp, tmp_path):
    nlp.to_disk(tmp_path / "m")
    loaded = spacy.load(tmp_path / "m")
    text = "/s/Frank J. Pocher--$3.6 million; attorneys-in-fact"
    assert words(loaded, text) == words(nlp, text)


@needs_shared
@pytest.mark.slow
def test_every_gold_span_aligns(nlp):
    bad = []
    for split in ("train", "dev"):
        for line in open(SHARED_DIR / "corpus" / f"{split}.jsonl", encoding="utf8"):
            doc = json.loads(line)
            tokens = nlp.make_doc(doc["text"])
            bad += [(doc["id"], e["text"]) for e in doc["entities"]
                    if tokens.char_span(e["start"], e["end"]) is None]
    assert bad == []
