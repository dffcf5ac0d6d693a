"""Relation rules on short hand-written filings, with entities set by hand.

Entities are written inline as ``[text|LABEL]``; ``_doc`` strips the brackets, sets
``doc.ents`` and runs edgar_layout + edgar_relation_rules.
"""
import re

import pytest
import spacy

import pipeline.components.layout  # noqa: F401  (registers edgar_layout)
import pipeline.components.relation_rules  # noqa: F401
from pipeline.components.relation_rules import make_relation_rules

_MARK = re.compile(r"\[([^\[\]|]+)\|([A-Z]+)\]")


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("edgar_layout")
    nlp.add_pipe("edgar_relation_rules")
    return nlp


def _doc(nlp, marked):
    text, spans, pos, out = "", [], 0, []
    for m in _MARK.finditer(marked):
        out.append(marked[pos:m.start()])
        start = sum(len(x) for x in out)
        out.append(m.group(1))
        spans.append((start, start + len(m.group(1)), m.group(2)))
        pos = m.end()
    out.append(marked[pos:])
    text = "".join(out)
    doc = nlp.make_doc(text)
    doc.ents = [doc.char_span(s, e, label=lab, alignment_mode="expand") for s, e, lab in spans]
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def _triples(doc):
    return {(r["head"], r["label"], r["tail"]) for r in doc._.relations}


POA = """POWER OF ATTORNEY

KNOW ALL PERSONS BY THESE PRESENTS, that the undersigned hereby constitutes and appoints
each of [Daniel M. Junius|PERSON] of [ImmunoGen, Inc.|FIRM] and [Jonathan L. Kravetz|PERSON] and
[Megan Gates|PERSON] of [Mintz, Levin, Cohn, Ferris, Glovsky and Popeo, P.C.|FIRM], signing singly,
the undersigned's true and lawful [attorney-in-fact|ROLE] to execute for and on behalf of the
undersigned, in the undersigned's capacity as an [officer|ROLE], [director|ROLE] and/or
[10% shareholder|ROLE] of [ImmunoGen, Inc.|FIRM] (the "Company"), Forms 3, 4 and 5.

IN WITNESS WHEREOF, the undersigned has caused this Power of Attorney to be executed this
[4th day of May 2006|DATE].

/s/ [Nicole Onetto|PERSON]
"""


def test_power_of_attorney(nlp):
    t = _triples(_doc(nlp, POA))
    for att in ("Daniel M. Junius", "Jonathan L. Kravetz", "Megan Gates"):
        assert ("Nicole Onetto", "APPOINTS", att) in t
        assert (att, "HAS_ROLE", "attorney-in-fact") in t
    assert ("Daniel M. Junius", "AFFILIATED_WITH", "ImmunoGen, Inc.") in t
    assert ("Megan Gates", "AFFILIATED_WITH",
            "Mintz, Levin, Cohn, Ferris, Glovsky and Popeo, P.C.") in t
    assert ("Jonathan L. Kravetz", "AFFILIATED_WITH",
            "Mintz, Levin, Cohn, Ferris, Glovsky and Popeo, P.C.") in t
    assert ("Nicole Onetto", "AFFILIATED_WITH", "ImmunoGen, Inc.") in t
    assert ("Nicole Onetto", "SIGNS", "4th day of May 2006") in t


def test_hedged_capacity_gives_no_has_role(nlp):
    t = _triples(_doc(nlp, POA))
    assert not any(h == "Nicole Onetto" and lab == "HAS_ROLE" for h, lab, _ in t)
    assert ("Daniel M. Junius", "AFFILIATED_WITH", "Mintz, Levin, Cohn, Ferris, Glovsky and Popeo, P.C.") not in t


def test_unhedged_capacity_gives_has_role(nlp):
    text = ("LIMITED POWER OF ATTORNEY\nThe undersigned, as an [Officer|ROLE] of [Acme Motors, Inc.|FIRM] "
            "(the \"Company\"), hereby constitutes and appoints [Todd Maron|PERSON] and "
            "[Yun Huh|PERSON], the undersigned's true and lawful [attorney-in-fact|ROLE].\n"
            "/s/[Elon Tusk|PERSON]\n[January 10, 2018|DATE]\n")
    t = _triples(_doc(nlp, text))
    assert ("Elon Tusk", "HAS_ROLE", "Officer") in t
    assert ("Elon Tusk", "AFFILIATED_WITH", "Acme Motors, Inc.") in t
    assert ("Elon Tusk", "SIGNS", "January 10, 2018") in t
    assert ("Elon Tusk", "APPOINTS", "Yun Huh") in t


def test_nobody_appoints_themselves_in_a_signature_table(nlp):
    text = """POWER OF ATTORNEY

KNOW ALL PERSONS BY THESE PRESENTS, that each person whose signature appears below constitutes and appoints [Robert H. Schwartz|PERSON] and [Timothy A. Gray|PERSON], and each of them, his or her true and lawful [attorneys-in-fact|ROLE] and agents, with full power of substitution, for him or her and in any and all capacities, to sign any and all amendments to this registration statement.

Pursuant to the requirements of the Securities Act of 1933, this registration statement has been signed below by the following persons on behalf of the registrant and in the capacities and on the dates indicated.

Signature Title Date

/s/ [Robert H. Schwartz|PERSON]

[Robert H. Schwartz|PERSON]
[President|ROLE] and [Chief Executive Officer|ROLE] [June 30, 2022|DATE]

/s/ [Timothy A. Gray|PERSON]

[Timothy A. Gray|PERSON]
[Chief Financial Officer|ROLE] [June 30, 2022|DATE]

/s/ [Paul Saleh|PERSON]

[Paul Saleh|PERSON]
[Director|ROLE] [June 30, 2022|DATE]
"""
    doc = _doc(nlp, "[Anterix Inc.|FIRM] (the \"Company\")\n\n" + text)
    t = _triples(doc)
    assert ("Robert H. Schwartz", "APPOINTS", "Timothy A. Gray") in t
    assert ("Timothy A. Gray", "APPOINTS", "Robert H. Schwartz") in t
    assert ("Paul Saleh", "APPOINTS", "Robert H. Schwartz") in t
    assert ("Robert H. Schwartz", "APPOINTS", "Robert H. Schwartz") not in t
    assert ("Timothy A. Gray", "APPOINTS", "Timothy A. Gray") not in t
    assert ("Paul Saleh", "SIGNS", "Anterix Inc.") in t
    assert ("Paul Saleh", "SIGNS", "June 30, 2022") in t
    assert ("Paul Saleh", "HAS_ROLE", "Director") in t
    assert ("Timothy A. Gray", "HAS_ROLE", "attorneys-in-fact") in t
    assert ("Paul Saleh", "HAS_ROLE", "Chief Financial Officer") not in t


def test_signature_block_of_an_8k(nlp):
    text = """SIGNATURE

Pursuant to the requirements of the Securities Exchange Act of 1934, the registrant has duly caused this report to be signed on its behalf by the undersigned hereunto duly authorized.

[TRITON ENERGY CORPORATION|FIRM]

Date: [April 19, 1994|DATE] By: /s/ [Robert B. Holland, III|PERSON]
[Robert B. Holland, III|PERSON], [Senior Vice President|ROLE] and [General Counsel|ROLE]
"""
    t = _triples(_doc(nlp, text))
    assert ("Robert B. Holland, III", "SIGNS", "TRITON ENERGY CORPORATION") in t
    assert ("Robert B. Holland, III", "SIGNS", "April 19, 1994") in t
    assert ("Robert B. Holland, III", "HAS_ROLE", "General Counsel") in t
    assert ("Robert B. Holland, III", "AFFILIATED_WITH", "TRITON ENERGY CORPORATION") in t


def test_general_partner_chain(nlp):
    text = """SIGNATURE

After reasonable inquiry and to the best of its knowledge and belief, each of the undersigned certifies that the information set forth in this statement is true, complete, and correct.

Dated: [January 5, 2024|DATE]

[ICS OPPORTUNITIES, LTD.|FIRM]
By: [Millennium Management LLC|FIRM], its Investment Manager
By: /s/[Gil Raviv|PERSON]
Name: [Gil Raviv|PERSON]
Title: [Global General Counsel|ROLE]

/s/ [Israel A. Englander|PERSON]
[Israel A. Englander|PERSON]
"""
    t = _triples(_doc(nlp, text))
    assert ("Gil Raviv", "SIGNS", "ICS OPPORTUNITIES, LTD.") in t
    assert ("Gil Raviv", "SIGNS", "Millennium Management LLC") in t
    assert ("Gil Raviv", "AFFILIATED_WITH", "Millennium Management LLC") in t
    assert ("Gil Raviv", "SIGNS", "January 5, 2024") in t
    # an individual signer after the entity blocks signs for nobody else
    assert ("Israel A. Englander", "SIGNS", "January 5, 2024") in t
    assert not any(h == "Israel A. Englander" and lab in ("SIGNS", "AFFILIATED_WITH")
                   and "LLC" in tail for h, lab, tail in t)


def test_signature_through_attorney_in_fact(nlp):
    text = """[Acme Widgets, Inc.|FIRM] (the "Company")

Pursuant to the requirements of the Securities Exchange Act of 1934, this report has been signed below by the following persons on behalf of the registrant and in the capacities and on the dates indicated.

/s/ [Jane Roe|PERSON] [Chief Executive Officer|ROLE] [June 30, 2021|DATE]

[Jane Roe|PERSON]

* [Director|ROLE] [June 30, 2021|DATE]

[John Ryan|PERSON]

* By: /s/ [Jane Roe|PERSON]

[Jane Roe|PERSON], [Attorney-in-fact|ROLE]
"""
    t = _triples(_doc(nlp, text))
    assert ("John Ryan", "SIGNS", "Acme Widgets, Inc.") in t
    assert ("John Ryan", "SIGNS", "June 30, 2021") in t
    assert ("John Ryan", "HAS_ROLE", "Director") in t
    assert ("Jane Roe", "HAS_ROLE", "Attorney-in-fact") in t
    assert ("Jane Roe", "HAS_ROLE", "Director") not in t


def test_company_appointment_in_an_8k(nlp):
    text = ("Item 5.02 Departure of Directors or Certain Officers.\n\n"
            "On May 1, 2023, the Board of Directors of [Acme Corp.|FIRM] (the \"Company\") appointed "
            "[Jane Roe|PERSON] as [Chief Operating Officer|ROLE] of the Company. "
            "[Mr. Smith|PERSON] resigned as [Chief Financial Officer|ROLE].\n")
    t = _triples(_doc(nlp, text))
    assert ("Acme Corp.", "APPOINTS", "Jane Roe") in t
    assert ("Jane Roe", "HAS_ROLE", "Chief Operating Officer") in t
    assert ("Jane Roe", "AFFILIATED_WITH", "Acme Corp.") in t
    assert ("Acme Corp.", "APPOINTS", "Mr. Smith") not in t


def test_appositive_roles_and_registrant(nlp):
    text = ("[Triton Energy Corporation|FIRM] (the \"Company\") today announced results. The purchasers "
            "included [Thomas G. Finck|PERSON], [president|ROLE] and [CEO|ROLE]; and "
            "[Al Turner|PERSON], [senior vice president, operations|ROLE]. \"We are pleased,\" said "
            "[Finck|PERSON].\n")
    t = _triples(_doc(nlp, text))
    assert ("Thomas G. Finck", "HAS_ROLE", "president") in t
    assert ("Thomas G. Finck", "HAS_ROLE", "CEO") in t
    assert ("Al Turner", "AFFILIATED_WITH", "Triton Energy Corporation") in t
    assert ("Al Turner", "HAS_ROLE", "CEO") not in t
    assert not any(h == "Finck" for h, _, _ in t)  # the fullest form names the person


def test_debentures_but_not_loans(nlp):
    text = ("[ImmunoGen, Inc.|FIRM] (the \"Company\") completed the sale of [$3.6 million|MONEY] of "
            "subordinated, convertible debentures to European investors. The Company also entered "
            "into a [$5 million|MONEY] term loan with [First Bank|FIRM].\n")
    t = _triples(_doc(nlp, text))
    assert ("ImmunoGen, Inc.", "ISSUES_DEBENTURES", "$3.6 million") in t
    assert ("ImmunoGen, Inc.", "ISSUES_DEBENTURES", "$5 million") not in t
    assert ("First Bank", "ISSUES_DEBENTURES", "$5 million") not in t


def test_press_release_contact_with_agency(nlp):
    text = ("[Acme Corp.|FIRM] (the \"Company\") announced results today.\n\n"
            "Contacts:\n[Jane Doe|PERSON], [Chief Financial Officer|ROLE]\n(555) 555-0100\n\n"
            "Media Contact:\n[John Poe|PERSON], [Gavin Anderson & Company|FIRM]\n(555) 555-0101\n")
    t = _triples(_doc(nlp, text))
    assert ("Jane Doe", "AFFILIATED_WITH", "Acme Corp.") in t
    assert ("Jane Doe", "HAS_ROLE", "Chief Financial Officer") in t
    assert ("John Poe", "AFFILIATED_WITH", "Gavin Anderson & Company") in t
    assert ("John Poe", "AFFILIATED_WITH", "Acme Corp.") not in t


def test_relations_are_rolled_up_and_carry_evidence(nlp):
    doc = _doc(nlp, POA)
    keys = [(r["head"], r["label"], r["tail"]) for r in doc._.relations]
    assert len(keys) == len(set(keys))
    for r in doc._.relations:
        assert r["source"] == "rules"
        s, e = r["evidence"]
        assert 0 <= s < e <= len(doc.text)


def test_no_entities_no_relations(nlp):
    doc = nlp("Nothing to see here.")
    assert doc._.relations == []


def test_factory_config():
    nlp = spacy.blank("en")
    pipe = nlp.add_pipe("edgar_relation_rules", config={"default_affiliation": False})
    assert pipe.default_affiliation is False
    assert callable(make_relation_rules)


# ------------------------------------------------ tolerance to predicted entities

def test_past_role_gives_role_and_affiliation(nlp):
    doc = _doc(nlp, "On May 1, 2023 [Jane Roe|PERSON] resigned as a [director|ROLE] of [Acme Corp.|FIRM] in 2023.\n")
    t = _triples(doc)
    assert ("Jane Roe", "HAS_ROLE", "director") in t
    assert ("Jane Roe", "AFFILIATED_WITH", "Acme Corp.") in t
    # near miss: a role the person only reports to
    doc = _doc(nlp, "[Jane Roe|PERSON] reports to the [Chief Executive Officer|ROLE] of [Acme Corp.|FIRM] now.\n")
    assert not any(r[1] == "HAS_ROLE" for r in _triples(doc))


def test_title_of_the_company_is_the_registrant(nlp):
    text = ("[Acme Corp.|FIRM] (the \"Company\") announced that [Jo Poe|PERSON], [Chairman|ROLE] "
            "of the Registrant, will speak.\n")
    t = _triples(_doc(nlp, text))
    assert ("Jo Poe", "AFFILIATED_WITH", "Acme Corp.") in t
    # near miss: the Company's own organ is no firm of the title
    text = ("[Acme Corp.|FIRM] (the \"Company\") announced that [Jo Poe|PERSON], [Chairman|ROLE] "
            "of the Company's audit committee, will speak.\n")
    nlp2 = spacy.blank("en")
    nlp2.add_pipe("edgar_layout")
    nlp2.add_pipe("edgar_relation_rules", config={"default_affiliation": False})
    assert ("Jo Poe", "AFFILIATED_WITH", "Acme Corp.") not in _triples(_doc(nlp2, text))


def test_registrant_defined_after_its_state_of_incorporation(nlp):
    text = ("[Beta Partners LLC|FIRM] and [Acme Corp.|FIRM], a Delaware corporation (the \"Company\"), "
            "agreed.\n\nSIGNATURES\n\nPursuant to the requirements of the Securities Exchange Act of "
            "1934, the registrant has duly caused this report to be signed.\n\n"
            "/s/ [Jo Poe|PERSON]\n[Chief Executive Officer|ROLE]\n")
    t = _triples(_doc(nlp, text))
    assert ("Jo Poe", "AFFILIATED_WITH", "Acme Corp.") in t
    assert ("Jo Poe", "AFFILIATED_WITH", "Beta Partners LLC") not in t


SECOND_COMPANY = """SIGNATURES

Pursuant to the requirements of the Securities Exchange Act of 1934, each of the registrants has
duly caused this report to be signed on its behalf.

Date: [December 17, 2013|DATE]

[ACME HOLDINGS INC.|FIRM]

By

/s/[Mary K. Poe|PERSON]

[Mary K. Poe|PERSON]

[Secretary|ROLE]

[ACME POWER COMPANY|FIRM]

By

/s/[Mary K. Poe|PERSON]

[Mary K. Poe|PERSON]

[Assistant Secretary|ROLE]
"""


def test_same_signer_under_a_second_company_line_signs_for_both(nlp):
    t = _triples(_doc(nlp, SECOND_COMPANY))
    assert ("Mary K. Poe", "SIGNS", "ACME HOLDINGS INC.") in t
    assert ("Mary K. Poe", "SIGNS", "ACME POWER COMPANY") in t


BY_TWICE = """SIGNATURES

Pursuant to the requirements of the Securities Exchange Act of 1934, the Company has duly caused
this report to be signed.

[ACME STORES, INC.|FIRM]

Dated: [November 22, 1994|DATE] By: /s/ [Jo Poe|PERSON]
[Jo Poe|PERSON]
[President|ROLE]

Dated: [November 22, 1994|DATE] By: /s/ [Al Roe|PERSON]
[Al Roe|PERSON]
[Chief Financial Officer|ROLE]
"""

TWO_PARTIES = BY_TWICE.replace("By: /s/ [Al Roe|PERSON]", "/s/ [Al Roe|PERSON]")


def test_each_by_line_under_one_company_signs_for_it(nlp):
    t = _triples(_doc(nlp, BY_TWICE))
    assert ("Al Roe", "SIGNS", "ACME STORES, INC.") in t
    assert ("Al Roe", "AFFILIATED_WITH", "ACME STORES, INC.") in t
    # near miss: a bare /s/ entry after the company's signer signs for itself only
    assert ("Al Roe", "SIGNS", "ACME STORES, INC.") not in _triples(_doc(nlp, TWO_PARTIES))


UNNAMED_ATTORNEYS = """LIMITED POWER OF ATTORNEY

The undersigned, as an [officer|ROLE] or [director|ROLE] of [Acme Technologies, Inc.|FIRM] (the
"Corporation"), hereby constitutes and appoints the responsible attorneys and paralegals of the
Corporation, and each of them, the undersigned's true and lawful [attorney-in-fact|ROLE].

Signature: /s/ [Peter A. Poe|PERSON]

Dated: [September 14, 2020|DATE]
"""


def test_capacity_clause_without_named_attorneys(nlp):
    t = _triples(_doc(nlp, UNNAMED_ATTORNEYS))
    assert ("Peter A. Poe", "AFFILIATED_WITH", "Acme Technologies, Inc.") in t
    # hedged capacity: no role
    assert not any(r[0] == "Peter A. Poe" and r[1] == "HAS_ROLE" for r in t)
    assert not any(r[1] == "APPOINTS" for r in t)


def test_contact_card_person_firm_address(nlp):
    text = ("Copies are available upon request to Stockholder Assistance, Mr. [Ronald C. Poe|PERSON], "
            "[Acme Financial Corporation|FIRM], P.O. Box 1448, Montgomery, Alabama.\n")
    assert ("Ronald C. Poe", "AFFILIATED_WITH", "Acme Financial Corporation") in _triples(_doc(nlp, text))
    # near miss: a list of a person and a firm, no address after it
    text = ("The plaintiffs are [Ronald C. Poe|PERSON], [Acme Financial Corporation|FIRM] and "
            "others.\n")
    assert not any(r[1] == "AFFILIATED_WITH" for r in _triples(_doc(nlp, text)))


def test_press_contact_under_a_bracketed_heading(nlp):
    text = ("[Acme Corp.|FIRM] (the \"Company\") reports.\n\n[Press Information Contact:]\n"
            "[Katie Poe|PERSON]\n[Beta Agency, Inc.|FIRM]\n(408) 555-0100\n")
    assert ("Katie Poe", "AFFILIATED_WITH", "Beta Agency, Inc.") in _triples(_doc(nlp, text))


def test_role_change_gives_both_roles(nlp):
    text = ("(i) [Gary Shedlin|PERSON] transitioned from the role of [Chief Financial Officer|ROLE] to "
            "[Vice Chairman|ROLE] and (ii) [Martin Small|PERSON] became [Chief Financial Officer|ROLE] "
            "of [Acme, Inc.|FIRM].\n")
    t = _triples(_doc(nlp, text))
    assert ("Gary Shedlin", "HAS_ROLE", "Chief Financial Officer") in t
    assert ("Gary Shedlin", "HAS_ROLE", "Vice Chairman") in t
    assert ("Martin Small", "HAS_ROLE", "Chief Financial Officer") in t


def test_resigns_as_gives_a_past_role_but_not_an_unrelated_mention(nlp):
    t = _triples(_doc(nlp, "[Jane Roe|PERSON] resigns as [Treasurer|ROLE] of [Acme, Inc.|FIRM].\n"))
    assert ("Jane Roe", "HAS_ROLE", "Treasurer") in t
    # near miss: a role after other words is not hers
    t = _triples(_doc(nlp, "[Jane Roe|PERSON] met the new [Treasurer|ROLE] of [Acme, Inc.|FIRM].\n"))
    assert ("Jane Roe", "HAS_ROLE", "Treasurer") not in t
