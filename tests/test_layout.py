"""edgar_layout: blocks of a filing and sentence boundaries from line structure."""
import pytest
import spacy

import pipeline.components.layout  # noqa: F401  (registers edgar_layout)
from pipeline.components.layout import find_blocks, sentence_starts


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("edgar_layout")
    return nlp


EIGHT_K = """SECURITIES AND EXCHANGE COMMISSION

FORM 8-K

ACME CORP.
(Exact name of registrant as specified in its charter)

Item 5.02 Departure of Directors or Certain Officers.

On May 1, 2023, the Board of Acme Corp. appointed Jane Roe as Chief Operating Officer.
Mr. Roe will report to the Chief Executive Officer. She joined Acme Corp. in 2001.

SIGNATURE

Pursuant to the requirements of the Securities Exchange Act of 1934, the registrant has
duly caused this report to be signed on its behalf by the undersigned hereunto duly
authorized.

ACME CORP.

Date: May 3, 2023          By: /s/ John Smith
                               John Smith
                               Chief Financial Officer

Exhibit 99.1

Acme Corp. Names Jane Roe Chief Operating Officer

Contact:
Mary Major
Investor Relations
(555) 555-0100
"""


def _labels(doc):
    return {(s.label_, s.text.split("\n", 1)[0].strip()) for s in doc.spans["blocks"]}


def test_blocks_of_an_8k(nlp):
    doc = nlp(EIGHT_K)
    labels = {lab for lab, _ in _labels(doc)}
    assert {"COVER", "ITEM", "SIGNATURE", "EXHIBIT", "CONTACT", "PARAGRAPH"} <= labels
    sig = [s for s in doc.spans["blocks"] if s.label_ == "SIGNATURE"][0]
    assert sig.text.startswith("SIGNATURE")
    assert "John Smith" in sig.text and "Exhibit 99.1" not in sig.text
    item = [s for s in doc.spans["blocks"] if s.label_ == "ITEM"][0]
    assert "Jane Roe" in item.text and "Pursuant" not in item.text
    contact = [s for s in doc.spans["blocks"] if s.label_ == "CONTACT"][0]
    assert "Mary Major" in contact.text


def test_sentences_split_on_punctuation_not_on_abbreviations(nlp):
    doc = nlp(EIGHT_K)
    sents = [s.text.strip() for s in doc.sents]
    assert any(s.startswith("Mr. Roe will report") for s in sents)
    assert not any(s == "Mr." for s in sents)
    assert any(s.startswith("She joined Acme Corp. in 2001") for s in sents)


def test_signature_lines_are_sentences(nlp):
    doc = nlp(EIGHT_K)
    sents = [s.text.strip() for s in doc.sents]
    assert "Chief Financial Officer" in sents
    assert any(s.startswith("By: /s/ John Smith") for s in sents)


def test_wrapped_prose_is_not_split_at_line_ends(nlp):
    doc = nlp(EIGHT_K)
    sents = [s.text for s in doc.sents]
    assert any("Pursuant to the requirements" in s and "authorized." in s for s in sents)


def test_power_of_attorney_and_signature_table():
    text = ("POWER OF ATTORNEY\n\nKNOW ALL PERSONS BY THESE PRESENTS, that each person whose "
            "signature appears below constitutes and appoints Jane Roe and John Poe.\n\n"
            "Pursuant to the requirements of the Securities Exchange Act of 1934, this report has "
            "been signed below by the following persons on behalf of the registrant and in the "
            "capacities and on the dates indicated.\n\n/s/ Jane Roe Director May 1, 2023\n\nJane Roe\n")
    labels = {lab for _, _, lab in find_blocks(text)}
    assert {"POA", "SIGNATURE", "SIGNATURE_TABLE"} <= labels
    table = [(s, e) for s, e, lab in find_blocks(text) if lab == "SIGNATURE_TABLE"][0]
    assert "appoints" not in text[table[0]:table[1]]


def test_collapsed_text_signature_markers():
    text = ("ITEM 1.01. ENTRY INTO AN AGREEMENT The Company did things. It was good.\n"
            "SIGNATURES Pursuant to the requirements of the Securities Exchange Act of 1934, the "
            "registrant has duly caused this report to be signed on its behalf by the undersigned "
            "hereunto duly authorized. ACME CORP. By: /s/ Jane Roe ---------- Jane Roe Executive "
            "Vice President Date: May 1, 2023\n")
    blocks = find_blocks(text)
    sig = [(s, e) for s, e, lab in blocks if lab == "SIGNATURE"]
    assert sig and text[sig[0][0]:].startswith("SIGNATURES")
    starts = sentence_starts(text, blocks)
    assert text.index("By: /s/") in starts
    assert text.index("Date: May") in starts


def test_bare_signature_takes_company_line_above(nlp):
    text = ("Very truly yours,\n\nTHE BOEING COMPANY\n\nBy:\n\n/s/ Robert Verbeck\n\n"
            "Robert Verbeck\n\nSenior Vice President\n")
    sig = [(s, e) for s, e, lab in find_blocks(text) if lab == "SIGNATURE"]
    assert sig and "THE BOEING COMPANY" in text[sig[0][0]:sig[0][1]]


def test_no_sentence_start_inside_an_entity(nlp):
    doc = nlp.make_doc("SIGNATURE\n\nBy: /s/ Jo Roe\nJo Roe, Senior Vice\nPresident\n")
    start = doc.text.index("Senior")
    doc.ents = [doc.char_span(start, start + len("Senior Vice\nPresident"), label="ROLE")]
    doc = nlp.get_pipe("edgar_layout")(doc)
    ent = doc.ents[0]
    assert all(not t.is_sent_start for t in ent[1:])


@pytest.mark.parametrize("heading", ["[Press Information Contact:]", "Investor Relations Contact:",
                                     "Editorial Contact:", "Media and Investor Contacts"])
def test_contact_heading_variants(heading):
    text = f"Acme Corp. reports results.\n\n{heading}\nJane Roe\nAcme Corp.\n(212) 555-0100\n"
    assert any(lab == "CONTACT" for _, _, lab in find_blocks(text))


def test_contact_word_in_prose_is_no_contact_heading():
    text = "Acme Corp. reports results.\n\nInvestors may contact the Company at any time.\n"
    assert not any(lab == "CONTACT" for _, _, lab in find_blocks(text))
