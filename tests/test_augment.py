"""Synthetic training documents from templates: well-formed gold, aligned with the
tokenizer, reproducible, and kept out of the relation model's training pairs."""
from __future__ import annotations

import spacy

from pipeline.augment import SYNTHETIC_KIND, create_template_documents
from pipeline.corpus import Alignment, create_corpus_reader_v2, gold_to_doc, record_problems
from pipeline.schema import ENTITY_LABELS

from .conftest import make_gold_doc, write_jsonl


def _nlp():
    return spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "edgar_ie.Tokenizer.v1"}}})


def test_template_documents_are_valid_gold_with_every_entity_label():
    records = create_template_documents(n_docs=60, sentences_per_doc=8, seed=3)()
    assert len(records) == 60
    assert all(record_problems(r) == [] for r in records)
    assert all(r["kind"] == SYNTHETIC_KIND and r["relations"] == [] for r in records)
    assert {e["label"] for r in records for e in r["entities"]} == set(ENTITY_LABELS)


def test_template_entities_align_with_the_tokenizer():
    """A misaligned gold span would be dropped from training without a word (W030)."""
    alignment = Alignment()
    nlp = _nlp()
    for record in create_template_documents(n_docs=100, seed=1)():
        gold_to_doc(nlp.make_doc, record, alignment)
    assert alignment.total > 1000
    assert alignment.misaligned == []


def test_honorifics_stay_outside_person_spans():
    records = create_template_documents(n_docs=200, seed=0)()
    persons = [e["text"] for r in records for e in r["entities"] if e["label"] == "PERSON"]
    assert persons and not any(p.split()[0] in {"Mr.", "Ms.", "Mrs.", "Dr."} for p in persons)
    assert any(" " not in p for p in persons)  # surname-only mentions after an honorific


def test_same_seed_same_documents_other_seed_other_documents():
    assert create_template_documents(5, seed=7)() == create_template_documents(5, seed=7)()
    assert create_template_documents(5, seed=7)() != create_template_documents(5, seed=8)()


def test_reader_adds_the_synthetic_documents_after_the_gold_ones(tmp_path):
    train = write_jsonl(tmp_path / "train.jsonl", [make_gold_doc(i) for i in range(3)])
    reader = create_corpus_reader_v2(train, augment=create_template_documents(n_docs=4, seed=0))
    examples = list(reader(_nlp()))
    assert len(examples) == 7
    assert [eg.reference.user_data["kind"] == SYNTHETIC_KIND for eg in examples] == [False] * 3 + [True] * 4
