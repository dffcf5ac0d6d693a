"""Alias grouping (pipeline.aliases): which surface forms name one entity, and the fullest."""
from pipeline.aliases import AliasIndex, firm_core


def _index(*mentions):
    return AliasIndex.from_mentions([(t, lab, i * 10) for i, (t, lab) in enumerate(mentions)])


def test_surname_and_honorific_map_to_full_name():
    ix = _index(("Mitchel Sayare", "PERSON"), ("Mr. Sayare", "PERSON"), ("Sayare", "PERSON"))
    assert ix.canonical("Mr. Sayare", "PERSON") == "Mitchel Sayare"
    assert ix.canonical("Sayare", "PERSON") == "Mitchel Sayare"
    assert ix.key("Sayare", "PERSON") == ix.key("Mitchel Sayare", "PERSON")


def test_middle_initial_and_suffix_forms_group():
    ix = _index(("Robert B. Holland", "PERSON"), ("Robert B. Holland, III", "PERSON"),
                ("Robert B. Holland,III", "PERSON"))
    assert ix.canonical("Robert B. Holland", "PERSON") == "Robert B. Holland, III"


def test_different_suffixes_are_different_people():
    ix = _index(("R. Charles Loudermilk, Sr.", "PERSON"), ("Robert C. Loudermilk, Jr.", "PERSON"),
                ("Loudermilk, Sr.", "PERSON"), ("Loudermilk, Jr.", "PERSON"))
    assert ix.canonical("Loudermilk, Sr.", "PERSON") == "R. Charles Loudermilk, Sr."
    assert ix.canonical("Loudermilk, Jr.", "PERSON") == "Robert C. Loudermilk, Jr."
    assert ix.key("Loudermilk, Sr.", "PERSON") != ix.key("Loudermilk, Jr.", "PERSON")


def test_different_first_names_stay_apart():
    ix = _index(("Elon Musk", "PERSON"), ("Kimbal Musk", "PERSON"))
    assert ix.key("Elon Musk", "PERSON") != ix.key("Kimbal Musk", "PERSON")


def test_firm_short_name_and_case_variants():
    full = "Mintz, Levin, Cohn, Ferris, Glovsky and Popeo, P.C."
    ix = _index((full, "FIRM"), ("Mintz, Levin", "FIRM"), ("IMMUNOGEN, INC.", "FIRM"),
                ("ImmunoGen, Inc.", "FIRM"), ("ImmunoGen", "FIRM"))
    assert ix.canonical("Mintz, Levin", "FIRM") == full
    assert ix.key("ImmunoGen", "FIRM") == ix.key("IMMUNOGEN, INC.", "FIRM")
    assert ix.canonical("ImmunoGen", "FIRM") == "ImmunoGen, Inc."


def test_two_full_firm_names_sharing_a_prefix_are_not_merged():
    ix = _index(("Fifth Third Bancorp", "FIRM"), ("Fifth Third Bank of Kentucky, Inc.", "FIRM"))
    assert ix.key("Fifth Third Bancorp", "FIRM") != ix.key("Fifth Third Bank of Kentucky, Inc.", "FIRM")


def test_acronym_joins_its_long_name():
    ix = _index(("Securities and Exchange Commission", "FIRM"), ("SEC", "FIRM"))
    assert ix.canonical("SEC", "FIRM") == "Securities and Exchange Commission"


def test_firm_core_drops_legal_suffix_and_article():
    assert firm_core("The Boeing Company") == ("boeing",)
    assert firm_core("W. R. Grace & Co.") == firm_core("W.R. GRACE & CO")
