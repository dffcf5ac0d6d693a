"""The rule-based entity component on short texts written for the tests."""
from __future__ import annotations

import json

import pytest
import spacy
from spacy.tokens import Span

from pipeline.components.entity_rules import PACKAGE_PATTERNS

from .conftest import SHARED_DIR, needs_shared


def build(**config):
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "edgar_ie.Tokenizer.v1"}}})
    nlp.add_pipe("edgar_entity_rules", config=config)
    return nlp


@pytest.fixture(scope="module")
def nlp():
    return build()


def ents(nlp, text, label=None):
    return [(e.text, e.label_) for e in nlp(text).ents if label in (None, e.label_)]


def texts(nlp, text, label):
    return [e.text for e in nlp(text).ents if e.label_ == label]


# ------------------------------------------------------------------ DATE

@pytest.mark.parametrize("text, expected", [
    ("The merger closed on August 29, 1995 in Boston.", ["August 29, 1995"]),
    ("executed this 4th day of May 2006.", ["4th day of May 2006"]),
    ("executed as of the 21st day of March, 2011.", ["21st day of March, 2011"]),
    ("The plant opened in May 2006.", ["May 2006"]),
    ("for the period ended 12/31/2010, sales rose", ["12/31/2010"]),
    ("results for the second quarter of 2010 were", ["second quarter of 2010"]),
    ("guidance for fiscal 2010 is unchanged", ["fiscal 2010"]),
    ("its 7.5% Senior Notes due 2004 were redeemed", ["2004"]),
    ("The company was founded in 1998 by two engineers.", ["1998"]),
    ("Dated: SEPTEMBER 3, 1996", ["SEPTEMBER 3, 1996"]),
    ("on Dec. 20, 1996, the board", ["Dec. 20, 1996"]),
    ("signed on October\n14, 2003 by", ["October\n14, 2003"]),
])
def test_dates(nlp, text, expected):
    assert texts(nlp, text, "DATE") == expected


@pytest.mark.parametrize("text", [
    "pursuant to the Securities Exchange Act of 1934, as amended",
    "awards under the 2019 Equity Incentive Plan vest",
    "The notes mature in three years.",
    "The company announced today that it would",
    "The meeting starts at 10:30 a.m. sharp.",
    "the Company issued 1,500,000 shares",
])
def test_not_dates(nlp, text):
    assert texts(nlp, text, "DATE") == []


# ------------------------------------------------------------------ MONEY

@pytest.mark.parametrize("text, expected", [
    ("completed the sale of $3.6 million of debentures", ["$3.6 million"]),
    ("a principal amount of $3,600,000 was", ["$3,600,000"]),
    ("raised US$5 million from investors", ["US$5 million"]),
    ("a loan of EUR 50 million to", ["EUR 50 million"]),
    ("paid RMB 10,000 in fees", ["RMB 10,000"]),
    ("Net revenue    $ 26,741    $ 25,010", ["$ 26,741", "$ 25,010"]),
    ("expects $10 to $12 million in savings", ["$10", "$12 million"]),
    ("a dividend of $1.25 per share", ["$1.25"]),
    ("a 6 billion franc rights offering", ["6 billion franc"]),
    ("a net loss of $(1,204) for the quarter", ["$(1,204)"]),
])
def test_money(nlp, text, expected):
    assert texts(nlp, text, "MONEY") == expected


@pytest.mark.parametrize("text", [
    "holders of 10% of the shares may call a meeting",
    "the Company issued 1,500,000 shares of common stock",
    "interest at 7.25% per annum",
])
def test_not_money(nlp, text):
    assert texts(nlp, text, "MONEY") == []


def test_percent_is_no_role_or_money_but_10_percent_shareholder_is_a_role(nlp):
    assert texts(nlp, "holders of 10% of the shares", "ROLE") == []
    assert texts(nlp, "as an officer, director and/or 10% shareholder of", "ROLE") == \
        ["officer", "director", "10% shareholder"]


# ------------------------------------------------------------------ ROLE

@pytest.mark.parametrize("text, expected", [
    ("Dana Pell, Executive Vice President, Operations, said", ["Executive Vice President, Operations"]),
    ("Mr. Pell, Senior Vice President of Sales, joined", ["Senior Vice President of Sales"]),
    ("was elected Chairman of the Board in 2001", ["Chairman of the Board"]),
    ("(Principal Financial and Accounting Officer)", ["Principal Financial and Accounting Officer"]),
    ("Senior Vice President and Chief Financial Officer",
     ["Senior Vice President", "Chief Financial Officer"]),
    ("Chairman, Chief Executive Officer and Director", ["Chairman", "Chief Executive Officer", "Director"]),
    ("the undersigned's true and lawful attorney-in-fact", ["attorney-in-fact"]),
    ("said attorneys-in-fact shall", ["attorneys-in-fact"]),
    ("grants to such attorney-\nin-fact full power", ["attorney-\nin-fact"]),
    ("our directors and executive officers", ["directors", "executive officers"]),
    ("the CEO of the firm", ["CEO"]),
    ("was named Chief Customer Officer of", ["Chief Customer Officer"]),
    ("serves as Vice President of Barre Quarry Operations since", ["Vice President of Barre Quarry Operations"]),
])
def test_roles(nlp, text, expected):
    assert texts(nlp, text, "ROLE") == expected


@pytest.mark.parametrize("text", [
    "approved by the Board of Directors of the Company",
    "the Audit Committee met twice",
    "as transfer agent and registrar",
    "each employee of the bank",
    "This Power of Attorney shall remain in force",
    "Item 5.02 Departure of Directors or Certain Officers; Election of Directors",
    "4.1 Officer's Certificate of Tallow Corp.",
])
def test_not_roles(nlp, text):
    assert texts(nlp, text, "ROLE") == []


# ------------------------------------------------------------------ FIRM

@pytest.mark.parametrize("text, expected", [
    ("ImmunoGen, Inc. announced", ["ImmunoGen, Inc."]),
    ("shares of Tallow Industries Corp. rose", ["Tallow Industries Corp."]),
    ("advised by Pell, Marsh & Quint, P.C. in", ["Pell, Marsh & Quint, P.C."]),
    ("with Bear, Stearns & Co. Inc. as underwriter", ["Bear, Stearns & Co. Inc."]),
    ("The Boeing Company said", ["Boeing Company"]),
    ("filed with the Securities and Exchange Commission today", ["Securities and Exchange Commission"]),
    ("listed on the NYSE and reported to the SEC", ["NYSE", "SEC"]),
    ("trustee: Quarry Trust Company of Vermont, National Association",
     ["Quarry Trust Company of Vermont, National Association"]),
    ("sold to Vantage Bank, N.A. last week", ["Vantage Bank, N.A."]),
    ("Larkspur Capital Partners LLC will", ["Larkspur Capital Partners LLC"]),
    ("Goldman, Sachs & Co. acted as", ["Goldman, Sachs & Co."]),
])
def test_firms(nlp, text, expected):
    assert texts(nlp, text, "FIRM") == expected


@pytest.mark.parametrize("text", [
    "the Company will file the report",
    "pursuant to the Securities Exchange Act of 1934",
    "securities sold under Regulation S to",
    "the Registrant has duly caused this report",
    "IRS Employer Identification No.",
])
def test_not_firms(nlp, text):
    assert texts(nlp, text, "FIRM") == []


def test_registrant_from_cover_page_and_its_short_form(nlp):
    text = ("FORM 8-K\n\nDate of Report: March 3, 2004\n\nQUILLFEATHER HOLDINGS\n"
            "(Exact name of registrant as specified in its charter)\n\n"
            "Item 5. Quillfeather Holdings completed the sale. Quillfeather expects growth.")
    assert texts(nlp, text, "FIRM") == ["QUILLFEATHER HOLDINGS", "Quillfeather Holdings", "Quillfeather"]


def test_registrant_after_a_date_on_the_same_line(nlp):
    text = ("Date of Report (Date of earliest event reported): July 1, 2002 TALLOW INC. "
            "---------- (Exact name of Registrant as specified in its charter)")
    assert ents(nlp, text) == [("July 1, 2002", "DATE"), ("TALLOW INC.", "FIRM")]


def test_hyphenated_firm_names(nlp):
    text = "Hewlett-Packard Company bought it; Non-Cash Inc. Tax Provision rose."
    assert texts(nlp, text, "FIRM") == ["Hewlett-Packard Company"]


def test_defined_short_name_is_repeated(nlp):
    text = ('Northwind Savings Bank ("NSB") agreed. Later NSB paid the fee and NSB closed.')
    assert texts(nlp, text, "FIRM") == ["Northwind Savings Bank", "NSB", "NSB", "NSB"]


def test_short_form_not_repeated_inside_a_longer_name(nlp):
    text = "Harrow Mills, Inc. sells Harrow Fonts and Harrow Paper. Harrow said."
    assert texts(nlp, text, "FIRM") == ["Harrow Mills, Inc.", "Harrow"]


# ------------------------------------------------------------------ PERSON

@pytest.mark.parametrize("text, expected", [
    ("/s/Frank J. Pocher\nFrank J. Pocher\nVice President", ["Frank J. Pocher", "Frank J. Pocher"]),
    ("By: /s/ Tamsin Eldridge\nName: Tamsin Eldridge\nTitle: Secretary",
     ["Tamsin Eldridge", "Tamsin Eldridge"]),
    ("Signature: /s/ Quentin Y. Farrow\n\nPrint Name: Quentin Y. Farrow",
     ["Quentin Y. Farrow", "Quentin Y. Farrow"]),
    ("constitutes and appoints Odile Marchetti, Tobiah Grange and Ysolde Penhallow, and each of them",
     ["Odile Marchetti", "Tobiah Grange", "Ysolde Penhallow"]),
    ("Mr. Grange joined in 2001.", ["Grange"]),
    ("Messrs. Grange and Marchetti resigned", ["Grange", "Marchetti"]),
    ("Dr. Ysolde Penhallow will lead", ["Ysolde Penhallow"]),
    ("Contact: Linnea Sorrel, (555) 123-4567", ["Linnea Sorrel"]),
    ("said R. Charles Whitlow, Jr., Chairman", ["R. Charles Whitlow, Jr."]),
])
def test_persons(nlp, text, expected):
    assert texts(nlp, text, "PERSON") == expected


def test_later_mentions_and_surname_repeats(nlp):
    text = ("Dr. Mitchel Sayare, Chairman, said the results were strong. "
            "Sayare added that Mitchel Sayare would remain.")
    assert texts(nlp, text, "PERSON") == ["Mitchel Sayare", "Sayare", "Mitchel Sayare"]


@pytest.mark.parametrize("text", [
    "the undersigned hereby appoints the officers of the Company",
    "By: its General Partner",
    "Washington, D.C. 20549",
    "John Hancock Life Insurance Company agreed",
])
def test_not_persons(nlp, text):
    assert texts(nlp, text, "PERSON") == []


def test_honorific_is_left_out(nlp):
    doc = nlp("Ms. Tamsin Eldridge joined.")
    assert [e.text for e in doc.ents] == ["Tamsin Eldridge"]
    assert doc.ents[0].start_char == len("Ms. ")


# ------------------------------------------------------------------ component behaviour

def test_spans_never_overlap_and_never_start_with_space(nlp):
    text = ("UNITED STATES\n\nSECURITIES AND EXCHANGE COMMISSION\n\nTallow Corp.\n\n"
            "By: /s/ Tamsin Eldridge\nSenior Vice President, Treasurer and\nChief Financial Officer\n"
            "Date: June 30, 2004\n")
    doc = nlp(text)
    assert [e.text for e in doc.ents if e.label_ == "FIRM"] == [
        "SECURITIES AND EXCHANGE COMMISSION", "Tallow Corp."]
    for e in doc.ents:
        assert not e.text[0].isspace() and not e.text[-1].isspace()


def test_existing_entities_are_kept_unless_overwrite():
    text = "Ms. Tamsin Eldridge is Chief Financial Officer of Tallow Corp. since June 2004."

    def with_upstream(overwrite):
        nlp = build(overwrite_ents=overwrite)
        doc = nlp.make_doc(text)
        doc.ents = [Span(doc, 1, 3, label="FIRM")]  # a (wrong) upstream prediction
        return [(e.text, e.label_) for e in nlp.get_pipe("edgar_entity_rules")(doc).ents]

    kept = with_upstream(False)
    assert ("Tamsin Eldridge", "FIRM") in kept
    assert ("Chief Financial Officer", "ROLE") in kept and ("June 2004", "DATE") in kept
    replaced = with_upstream(True)
    assert ("Tamsin Eldridge", "PERSON") in replaced
    assert ("Tamsin Eldridge", "FIRM") not in replaced


def test_pipeline_roundtrip_to_disk(nlp, tmp_path):
    text = "/s/ Tamsin Eldridge, attorney-in-fact, sold $2.5 million of notes of Tallow Corp. on May 4, 2006."
    nlp.to_disk(tmp_path / "rules")
    loaded = spacy.load(tmp_path / "rules")
    assert ents(loaded, text) == ents(nlp, text)
    assert ents(loaded, text)  # not trivially empty


def test_blank_pipeline_roundtrip(tmp_path):
    nlp = spacy.blank("en")
    nlp.add_pipe("edgar_entity_rules")
    nlp.to_disk(tmp_path / "blank")
    loaded = spacy.load(tmp_path / "blank")
    text = "On August 29, 1995 the Securities and Exchange Commission received $3.6 million."
    assert ents(loaded, text) == ents(nlp, text) == [
        ("August 29, 1995", "DATE"), ("Securities and Exchange Commission", "FIRM"),
        ("$3.6 million", "MONEY")]


def test_to_bytes_roundtrip(nlp):
    other = build()
    other.get_pipe("edgar_entity_rules").from_bytes(nlp.get_pipe("edgar_entity_rules").to_bytes())
    text = "Ms. Tamsin Eldridge, Director"
    assert ents(other, text) == ents(nlp, text)


def test_custom_patterns_dir(tmp_path):
    for p in PACKAGE_PATTERNS.iterdir():
        if p.suffix in {".jsonl", ".txt"}:
            (tmp_path / p.name).write_text(p.read_text(encoding="utf8"), encoding="utf8")
    with open(tmp_path / "firms.jsonl", "a", encoding="utf8") as f:
        f.write(json.dumps({"label": "FIRM", "pattern": [{"LOWER": "zorbulon"}]}) + "\n")
    nlp = build(patterns_dir=str(tmp_path))
    assert texts(nlp, "shares of Zorbulon rose", "FIRM") == ["Zorbulon"]
    assert texts(build(), "shares of Zorbulon rose", "FIRM") == []


def test_extractors_are_configurable():
    nlp = build(extractors=["edgar_ie.role_titles.v1"])
    assert ents(nlp, "/s/ Tamsin Eldridge\nDirector") == [("Director", "ROLE")]


def test_patterns_are_valid_for_a_span_ruler():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("span_ruler", config={"validate": True})
    for path in sorted(PACKAGE_PATTERNS.glob("*.jsonl")):
        pats = [json.loads(line) for line in path.read_text(encoding="utf8").splitlines() if line.strip()]
        for pat in pats:
            if isinstance(pat["pattern"], list):
                pat["pattern"] = [{k: v for k, v in t.items() if k != "_NOBREAK"} for t in pat["pattern"]]
        ruler.add_patterns(pats)
    assert len(ruler) > 40


@needs_shared
@pytest.mark.slow
def test_dev_f1_and_precision():
    from pipeline.scoring import score
    gold = [json.loads(line) for line in open(SHARED_DIR / "corpus" / "dev.jsonl", encoding="utf8")]
    nlp = build()
    preds = {}
    for g, doc in zip(gold, nlp.pipe(g["text"] for g in gold)):
        preds[g["id"]] = {"entities": [{"start": e.start_char, "end": e.end_char, "label": e.label_}
                                       for e in doc.ents]}
    result = score({g["id"]: g for g in gold}, preds)["entities"]
    assert result["ALL"]["f"] >= 0.85
    assert result["ALL"]["p"] >= 0.9


# ------------------------------------------------------- names the relations need

@pytest.mark.parametrize("text, expected", [
    # a leading initial: the name goes on to the surname (and its suffix)
    ("By: /s/ H. Davis Thames\nSenior Vice President", ["H. Davis Thames"]),
    ("/s/ R. Andrew Dickson III\nManaging Director", ["R. Andrew Dickson III"]),
    # accented, double-barrelled names and surname particles
    ("/s/ Mathias Döpfner\nDirector", ["Mathias Döpfner"]),
    ("/s/ Kathleen Wilson-Thompson\nDirector", ["Kathleen Wilson-Thompson"]),
    ("hereby constitutes and appoints Sharda Caro del Castillo, signing singly",
     ["Sharda Caro del Castillo"]),
    # a stop word as a surname after a middle initial
    ("/s/ Erin L. May\nController", ["Erin L. May"]),
    # a list of attorneys wrapped at a line end
    ("hereby constitutes and appoints each of John Kunze, Ryno\nBlignaut and Christopher Ferro,",
     ["John Kunze", "Ryno\nBlignaut", "Christopher Ferro"]),
    # a rank before the name is left out, like an honorific
    ("/s/ Admiral Phil S. Davidson\nDirector", ["Phil S. Davidson"]),
])
def test_persons_that_relations_need(nlp, text, expected):
    assert texts(nlp, text, "PERSON") == expected


@pytest.mark.parametrize("text, expected", [
    # near misses: a name is still complete after "M. Last"; a month stays a date
    ("By: /s/ Kevin G. Lowery Alcoa Inc.", ["Kevin G. Lowery"]),
    ("Dated: May 4, 2006", []),
    # a line break splits a name only inside a list of attorneys
    ("The meeting was chaired by Ryno\nBlignaut Holdings.", []),
    ("/s/ John Smith-\nDirector", ["John Smith"]),
])
def test_person_near_misses(nlp, text, expected):
    assert texts(nlp, text, "PERSON") == expected


def test_contact_name_above_a_firm_is_not_part_of_the_firm(nlp):
    text = "Contact:\nKatie Cotton\nApple Computer, Inc.\n(408) 555-0100"
    assert texts(nlp, text, "PERSON") == ["Katie Cotton"]
    assert texts(nlp, text, "FIRM") == ["Apple Computer, Inc."]
    # a firm name wrapped at a line end stays whole
    assert texts(nlp, "shares of McCaw Cellular\nCommunications, Inc. rose.", "FIRM") == \
        ["McCaw Cellular\nCommunications, Inc."]


def test_person_before_a_possessive_firm(nlp):
    text = "Laura Smith, Acme Inc.'s Vice President, resigned."
    assert texts(nlp, text, "PERSON") == ["Laura Smith"]
    assert texts(nlp, text, "FIRM") == ["Acme Inc."]
    # near miss: a firm made of two surnames before a comma is one name
    assert texts(nlp, "Dean Witter, Discover & Co. and others", "FIRM") == ["Dean Witter, Discover & Co."]


def test_firm_opening_with_a_given_name_is_no_person(nlp):
    text = "Aaron Rents, Inc. said today that Aaron Rents will open stores."
    assert "Aaron Rents" not in texts(nlp, text, "PERSON")


# ------------------------------------------------------------------ wide gaps, firm names (recall)

def test_no_entity_crosses_a_table_cell_gap(nlp):
    text = "Directors:\nKen Bond   Deborah Hellinger\nRoger Miles\tJane Roe\n"
    people = texts(nlp, text, "PERSON")
    assert "Ken Bond" in people and "Deborah Hellinger" in people
    assert not any("  " in p or "\t" in p for p in people)
    doc = nlp(text)
    assert all("   " not in e.text and "\t" not in e.text for e in doc.ents)


def test_lower_case_of_joins_only_all_caps_firm_names(nlp):
    text = "appoints Nicole Brookshire and Alison Haggerty of Cooley LLP with full power.\n"
    assert texts(nlp, text, "FIRM") == ["Cooley LLP"]
    # near miss: an all-caps name keeps its "OF"
    assert texts(nlp, "ACME WIDGETS OF OHIO, INC.\n", "FIRM") == ["ACME WIDGETS OF OHIO, INC."]


def test_mixed_case_firm_name_runs_over_a_line_break(nlp):
    text = "a fund affiliated with Sequoia\nCapital Operations, LLC makes an investment.\n"
    assert texts(nlp, text, "FIRM") == ["Sequoia\nCapital Operations, LLC"]


def test_series_designator_after_a_firm_name(nlp):
    assert texts(nlp, "securities issued by Reinvent Technology Partners Z unless revoked.",
                 "FIRM") == ["Reinvent Technology Partners Z"]
    assert texts(nlp, "loan agreements with Goldman Sachs Bank USA, and a portion",
                 "FIRM") == ["Goldman Sachs Bank USA"]
    # near miss: a capitalized word after the letter opens something else
    assert texts(nlp, "by Acme Partners A Class shares", "FIRM") == ["Acme Partners"]


def test_name_defined_as_the_company_is_a_firm(nlp):
    text = 'beneficial ownership of securities of Pioneer SPAC (the "Company") on Schedule 13D.'
    assert texts(nlp, text, "FIRM") == ["Pioneer SPAC"]
    # near miss: a person defined as something else, and a generic definition
    assert texts(nlp, 'John Smith (the "Reporting Person") filed.', "FIRM") == []
    assert texts(nlp, 'the Merger Agreement (the "Agreement") was signed.', "FIRM") == []


def test_defined_short_name_after_collectively_and_run_together(nlp):
    text = ('Acme Widgets Corp. and its subsidiary (collectively, "Acme") agreed. '
            'JPMorgan Chase & Co. ("JPMorganChase" or the "Firm") announced. Later JPMorganChase said.')
    firms = texts(nlp, text, "FIRM")
    assert "JPMorganChase" in firms
    # near miss: a short name that is no part of the full name is not taken
    assert "Zeta" not in texts(nlp, 'Acme Widgets Corp. ("Zeta") agreed.', "FIRM")


def test_short_firm_name_before_a_title(nlp):
    text = "Alcoa Inc. announced results. \"Good,\" said Alcoa Chairman and CEO Alain Belda."
    assert texts(nlp, text, "FIRM").count("Alcoa") == 1
    # near miss: followed by another capitalized name word it is a different name
    assert "Alcoa" not in texts(nlp, "Alcoa Inc. sold Alcoa Fujikura to a buyer.", "FIRM")


def test_acronym_opening_a_firm_name_repeats(nlp):
    text = "LIN Broadcasting Corporation announced today. LIN now owns 98% of the system."
    assert texts(nlp, text, "FIRM") == ["LIN Broadcasting Corporation", "LIN"]
