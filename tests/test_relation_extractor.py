"""The trained relation component: features, training on a few documents, serialization,
and how its decisions combine with the relation rules."""
from __future__ import annotations

import numpy
import pytest
import spacy
from spacy.training import Example

from pipeline.augment import create_template_documents
from pipeline.components.relation_extractor import RelationExtractor
from pipeline.corpus import gold_to_doc, Alignment
from pipeline.relation_model import (TRIGGER_NAMES, create_candidate_pairs, create_pair_features,
                                     n_pair_features, token_triggers)
from pipeline.schema import make_relation

from .conftest import make_gold_doc

BLOCKS = ["PARAGRAPH", "SIGNATURE"]


def _pipeline(combine: str = "union", threshold: float = 0.5):
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "edgar_ie.Tokenizer.v1"}}})
    nlp.add_pipe("tok2vec", config={"model": {
        "@architectures": "spacy.HashEmbedCNN.v2", "width": 32, "depth": 1, "embed_size": 500,
        "window_size": 1, "maxout_pieces": 2, "subword_features": True, "pretrained_vectors": None}})
    nlp.add_pipe("edgar_layout", name="layout")
    nlp.add_pipe("edgar_relation_rules", name="relation_rules")
    nlp.add_pipe("edgar_relation_extractor", name="relation_extractor", config={
        "threshold": threshold, "combine": combine,
        "model": {"@architectures": "edgar_ie.RelationModel.v1", "hidden_width": 16,
                  "tok2vec": {"@architectures": "spacy.Tok2VecListener.v1", "width": 32},
                  "get_pairs": {"@misc": "edgar_ie.candidate_pairs.v1", "max_distance": 80},
                  "get_features": {"@misc": "edgar_ie.pair_features.v1", "block_labels": BLOCKS}}})
    return nlp


def _examples(nlp, n: int):
    examples = []
    for i in range(n):
        reference = gold_to_doc(nlp.make_doc, make_gold_doc(i), Alignment())
        examples.append(Example(nlp.make_doc(reference.text), reference))
    return examples


def _with_gold_ents(nlp, i: int):
    record = make_gold_doc(i)
    doc = nlp.make_doc(record["text"])
    doc.ents = [doc.char_span(e["start"], e["end"], label=e["label"]) for e in record["entities"]]
    return doc


def test_candidate_pairs_respect_relation_types_and_distance():
    nlp = spacy.blank("en")
    doc = nlp.make_doc("Jane Roe signed for Acme Corp. on May 4, 2006 . " + "filler " * 50 + "Director")
    doc.ents = [doc.char_span(0, 8, "PERSON"), doc.char_span(20, 30, "FIRM"),
                doc.char_span(34, 45, "DATE"), doc.char_span(len(doc.text) - 8, len(doc.text), "ROLE")]
    pairs = {(h.text, t.text) for h, t in create_candidate_pairs(max_distance=20)(doc)}
    assert ("Jane Roe", "Acme Corp.") in pairs and ("Jane Roe", "May 4, 2006") in pairs
    assert ("Acme Corp.", "Jane Roe") in pairs  # APPOINTS may go firm -> person
    assert ("May 4, 2006", "Jane Roe") not in pairs  # no relation has a DATE head
    assert ("Jane Roe", "Director") not in pairs  # too far apart, no shared block
    assert ("Acme Corp.", "May 4, 2006") not in pairs  # no FIRM -> DATE relation


def test_trigger_counts_and_feature_width():
    doc = spacy.blank("en").make_doc("the undersigned hereby appoints Jane Roe as attorney-in-fact")
    counts = token_triggers(doc)
    assert counts.shape == (len(doc) + 1, len(TRIGGER_NAMES))
    assert counts[-1, TRIGGER_NAMES.index("appoint")] == 1
    assert counts[3, TRIGGER_NAMES.index("appoint")] == 0  # running count: not yet seen
    nlp = _pipeline()
    doc = _with_gold_ents(nlp, 0)
    for name in ("layout", "relation_rules"):
        doc = nlp.get_pipe(name)(doc)
    pairs = create_candidate_pairs(80)(doc)
    features = create_pair_features(BLOCKS)(doc, pairs)
    assert features.shape == (len(pairs), n_pair_features(len(BLOCKS)))
    assert set(numpy.unique(features)) <= {0.0, 1.0}


def test_tiny_relation_model_learns_and_survives_serialization(tmp_path):
    nlp = _pipeline(combine="model")
    examples = _examples(nlp, 8)
    optimizer = nlp.initialize(lambda: examples)
    first = last = None
    for _ in range(30):
        losses = nlp.update(examples, sgd=optimizer, losses={})
        first = losses["relation_extractor"] if first is None else first
        last = losses["relation_extractor"]
    assert last < first / 2
    probe = _with_gold_ents(nlp, 9)
    for name, proc in nlp.pipeline:
        probe = proc(probe)
    found = {(r["head"], r["label"], r["tail"]) for r in probe._.relations}
    gold = {(r["head"], r["label"], r["tail"]) for r in make_gold_doc(9)["relations"]}
    assert len(found & gold) >= 3
    assert all(r["source"] == "model" for r in probe._.relations)

    nlp.to_disk(tmp_path / "model")
    reloaded = spacy.load(tmp_path / "model")
    again = _with_gold_ents(reloaded, 9)
    for name, proc in reloaded.pipeline:
        again = proc(again)
    assert again._.relations == probe._.relations


def test_synthetic_documents_give_entities_but_no_relation_training_pairs():
    """Template documents have no gold relations; their pairs must not all read as negatives."""
    nlp = _pipeline()
    gold = make_gold_doc(0)
    synthetic = dict(create_template_documents(n_docs=1, seed=0)()[0])
    examples = []
    for record in (gold, synthetic):
        reference = gold_to_doc(nlp.make_doc, record, Alignment())
        examples.append(Example(nlp.make_doc(reference.text), reference))
    nlp.initialize(lambda: examples)
    extractor: RelationExtractor = nlp.get_pipe("relation_extractor")
    docs = extractor._training_docs(examples)
    real_pairs, synthetic_pairs = extractor._pairs(docs)
    assert real_pairs and synthetic_pairs == []
    assert len(docs[1].ents) > 3  # the synthetic doc does carry entities
    losses = nlp.update(examples, sgd=nlp.create_optimizer(), losses={})
    assert losses["relation_extractor"] > 0


def test_a_batch_without_pairs_still_lets_the_shared_tok2vec_learn_from_the_ner():
    """The relation extractor is the tok2vec's last listener: the tok2vec applies the
    NER's gradient only when the extractor hands its own back, pairs or none."""
    nlp = _pipeline()
    nlp.add_pipe("ner", before="layout", config={"model": {
        "@architectures": "spacy.TransitionBasedParser.v2", "state_type": "ner",
        "hidden_width": 16, "maxout_pieces": 2, "use_upper": True,
        "tok2vec": {"@architectures": "spacy.Tok2VecListener.v1", "width": 32}}})
    records = create_template_documents(n_docs=4, seed=2)()
    examples = [Example(nlp.make_doc(r["text"]), gold_to_doc(nlp.make_doc, r, Alignment()))
                for r in records]
    optimizer = nlp.initialize(lambda: examples)
    nlp.update(examples, sgd=optimizer)  # the NER's output layer starts at zero: no gradient yet
    tok2vec = nlp.get_pipe("tok2vec").model
    before = [p.copy() for p in _params(tok2vec)]
    losses = nlp.update(examples, sgd=optimizer, losses={})
    assert losses["relation_extractor"] == 0.0 and losses["ner"] > 0 and losses["tok2vec"] > 0
    assert any(not numpy.array_equal(a, b) for a, b in zip(before, _params(tok2vec)))


def _params(model):
    return [node.get_param(name) for node in model.walk() for name in node.param_names
            if node.has_param(name)]


@pytest.mark.parametrize("combine, expected", [
    ("union", {("Jane Roe", "SIGNS", "Acme Corp."), ("Jane Roe", "HAS_ROLE", "Director")}),
    ("model", {("Jane Roe", "SIGNS", "Acme Corp."), ("Jane Roe", "HAS_ROLE", "Director")}),
])
def test_combination_with_rule_relations(combine, expected):
    nlp = _pipeline(combine=combine)
    extractor: RelationExtractor = nlp.get_pipe("relation_extractor")
    rules = [make_relation("Jane Roe", "PERSON", "SIGNS", "Acme Corp.", "FIRM")]
    model = [make_relation("Jane Roe", "PERSON", "HAS_ROLE", "Director", "ROLE", source="model"),
             make_relation("Jane Roe", "PERSON", "SIGNS", "Acme Corp.", "FIRM", source="model")]
    combined = extractor._combine(rules, model)
    assert {(r["head"], r["label"], r["tail"]) for r in combined} == expected
    # union: a triple the rules decided keeps the rules' record; model: only the model's
    signs_source = "rules" if combine == "union" else "model"
    assert [r["source"] for r in combined if r["label"] == "SIGNS"] == [signs_source]


def test_unknown_combine_mode_is_refused():
    with pytest.raises(ValueError, match="combine"):
        _pipeline(combine="vote")
