"""How the trained NER and the entity rules combine: span merging, the merge component,
and the rule features the NER's embedding sees."""
from __future__ import annotations

import numpy
import pytest
import spacy
from spacy.tokens import Span
from thinc.api import Model

from pipeline.components.entity_merge import EntityMerge
from pipeline.embedding import POSITIONS, create_rule_aware_embed, rule_tags
from pipeline.spans import merge_spans, set_entities

LABELS = ["PERSON", "FIRM", "ROLE", "DATE", "MONEY"]


@pytest.fixture
def doc():
    return spacy.blank("en")("Jane Roe joined Acme Widgets Corp. on May 4, 2006 as Chief Executive Officer")


def test_merge_keeps_preferred_spans_and_adds_only_non_overlapping_others(doc):
    preferred = [Span(doc, 3, 6, "FIRM")]            # Acme Widgets Corp.
    others = [Span(doc, 0, 2, "PERSON"), Span(doc, 4, 6, "PERSON"), Span(doc, 7, 11, "DATE")]
    merged = merge_spans(preferred, others)
    assert [(s.text, s.label_) for s in merged] == [
        ("Jane Roe", "PERSON"), ("Acme Widgets Corp.", "FIRM"), ("May 4, 2006", "DATE")]


def test_set_entities_leaves_unmatched_tokens_open_for_a_ner(doc):
    set_entities(doc, [Span(doc, 0, 2, "PERSON")])
    assert doc[5].ent_iob_ == ""  # missing, not O: a NER may still label it
    set_entities(doc, [Span(doc, 3, 6, "FIRM")])  # once annotated, a full replacement
    assert [e.text for e in doc.ents] == ["Acme Widgets Corp."] and doc[0].ent_iob_ == "O"


@pytest.mark.parametrize("mode, expected", [
    ("model", {("Acme Widgets", "PERSON")}),
    ("rules_overwrite", {("Acme Widgets Corp.", "FIRM"), ("Jane Roe", "PERSON")}),
    ("rules_fill", {("Acme Widgets", "PERSON"), ("Jane Roe", "PERSON")}),
])
def test_merge_component_modes(doc, mode, expected):
    doc.spans["rule_ents"] = [Span(doc, 0, 2, "PERSON"), Span(doc, 3, 6, "FIRM")]
    doc.ents = [Span(doc, 3, 5, "PERSON")]  # a NER mistake the rules contradict
    EntityMerge("merge", "rule_ents", mode)(doc)
    assert {(e.text, e.label_) for e in doc.ents} == expected


def test_merge_component_keeps_model_spans_only_of_model_labels(doc):
    doc.spans["rule_ents"] = [Span(doc, 3, 6, "FIRM")]
    doc.ents = [Span(doc, 0, 2, "PERSON"), Span(doc, 7, 11, "DATE")]
    EntityMerge("merge", "rule_ents", "rules_overwrite", model_labels=["PERSON"])(doc)
    assert {(e.text, e.label_) for e in doc.ents} == {("Jane Roe", "PERSON"),
                                                       ("Acme Widgets Corp.", "FIRM")}


def test_merge_component_refuses_unknown_mode():
    with pytest.raises(ValueError, match="mode"):
        EntityMerge("merge", "rule_ents", "vote")


def test_rule_tags_mark_label_and_bilu_position(doc):
    doc.spans["rule_ents"] = [Span(doc, 3, 6, "FIRM"), Span(doc, 0, 1, "PERSON")]
    tags = rule_tags(doc, "rule_ents", LABELS)
    firm = 1 + len(POSITIONS) * LABELS.index("FIRM")
    assert tags.shape == (len(doc), 1 + len(POSITIONS) * len(LABELS))
    assert tags.sum(axis=1).tolist() == [1.0] * len(doc)  # exactly one tag a token
    assert tags[3, firm] == tags[4, firm + 1] == tags[5, firm + 2] == 1  # B, I, L
    assert tags[0, 1 + POSITIONS.index("U")] == 1  # a one-token PERSON: U
    assert tags[2, 0] == 1  # no match


def test_rule_aware_embed_output_depends_on_rule_matches(doc):
    embed = spacy.registry.architectures.get("spacy.MultiHashEmbed.v2")(
        width=16, attrs=["NORM"], rows=[100], include_static_vectors=False)
    model: Model = create_rule_aware_embed(embed, width=16, spans_key="rule_ents", labels=LABELS)
    model.initialize(X=[doc])
    plain = model.predict([doc])[0].copy()
    doc.spans["rule_ents"] = [Span(doc, 3, 6, "FIRM")]
    tagged, backprop = model.begin_update([doc])
    assert tagged[0].shape == (len(doc), 16)
    assert not numpy.allclose(plain[3:6], tagged[0][3:6])
    assert numpy.allclose(plain[:3], tagged[0][:3])
    backprop([numpy.ones_like(tagged[0])])  # gradients flow back to the hash embedding
