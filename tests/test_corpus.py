"""Reading, validating and converting the gold corpus."""
from __future__ import annotations

import json

import pytest
import spacy
from spacy.tokens import DocBin

from pipeline.corpus import CorpusError, convert_file, read_gold, record_problems

from .conftest import make_gold_doc, write_jsonl


def test_valid_record_has_no_problems():
    assert record_problems(make_gold_doc(0)) == []


@pytest.mark.parametrize("breakage, problem", [
    (lambda d: d.pop("text"), "no 'text'"),
    (lambda d: d["entities"][0].update(label="ORG"), "entity label 'ORG'"),
    (lambda d: d["entities"][0].update(end=10_000), "out of range"),
    (lambda d: d["entities"][0].update(text="something else"), "not 'something else'"),
    (lambda d: d["entities"].append(dict(d["entities"][0], end=d["entities"][0]["end"] + 2)),
     "overlaps"),
    (lambda d: d["relations"].append({"head": "a", "label": "OWNS", "tail": "b"}),
     "relation label 'OWNS'"),
    (lambda d: d["relations"].append({"head": "a"}), "needs head, label and tail"),
])
def test_each_broken_record_is_named(breakage, problem):
    doc = make_gold_doc(0)
    breakage(doc)
    assert any(problem in p for p in record_problems(doc))


def test_read_gold_names_file_and_line_of_every_bad_line(tmp_path):
    path = tmp_path / "train.jsonl"
    good, bad = make_gold_doc(0), make_gold_doc(1)
    bad["entities"][0]["label"] = "ORG"
    path.write_text(json.dumps(good) + "\n\n{not json\n" + json.dumps(bad) + "\n", encoding="utf-8")
    with pytest.raises(CorpusError) as err:
        read_gold(path)
    lines = str(err.value).splitlines()
    assert lines[0].startswith(f"{path}:3: not valid JSON")
    assert lines[1].startswith(f"{path}:4: entity label 'ORG'")


def test_read_gold_rejects_repeated_ids_and_empty_files(tmp_path):
    repeated = write_jsonl(tmp_path / "a.jsonl", [make_gold_doc(0), make_gold_doc(0)])
    with pytest.raises(CorpusError, match="repeated"):
        read_gold(repeated)
    empty = tmp_path / "b.jsonl"
    empty.write_text("\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="no documents"):
        read_gold(empty)
    with pytest.raises(CorpusError, match="no such corpus file"):
        read_gold(tmp_path / "missing.jsonl")


def test_convert_keeps_entities_relations_and_aliases(tmp_path):
    record = make_gold_doc(4)
    record["aliases"] = [[record["relations"][0]["head"], record["relations"][0]["head"].split()[-1]]]
    source = write_jsonl(tmp_path / "dev.jsonl", [record])
    nlp = spacy.blank("en")
    alignment = convert_file(nlp, source, tmp_path / "dev.spacy")
    assert alignment.total == len(record["entities"]) and not alignment.misaligned
    (doc,) = DocBin().from_disk(tmp_path / "dev.spacy").get_docs(nlp.vocab)
    assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == \
        [(e["start"], e["end"], e["label"]) for e in record["entities"]]
    # msgpack gives tuples back for lists
    assert list(doc.user_data["gold_relations"]) == record["relations"]
    assert [list(group) for group in doc.user_data["gold_aliases"]] == record["aliases"]
    assert doc.user_data["doc_id"] == record["id"]


def test_misaligned_gold_span_is_reported_not_silently_dropped(tmp_path):
    record = make_gold_doc(0)
    text = record["text"]
    record["entities"] = [{"start": 1, "end": 4, "label": "FIRM", "text": text[1:4]}]
    alignment = convert_file(spacy.blank("en"), write_jsonl(tmp_path / "x.jsonl", [record]),
                             tmp_path / "x.spacy")
    assert alignment.misaligned == [(record["id"], 1, 4, text[1:4])]


def test_registered_reader_reads_jsonl_and_docbin(tmp_path):
    source = write_jsonl(tmp_path / "train.jsonl", [make_gold_doc(0), make_gold_doc(1)])
    nlp = spacy.blank("en")
    convert_file(nlp, source, tmp_path / "train.spacy")
    reader = spacy.registry.readers.get("edgar_ie.Corpus.v1")
    for path in (source, tmp_path / "train.spacy"):
        examples = list(reader(path)(nlp))
        assert len(examples) == 2
        assert len(examples[0].reference.ents) == len(make_gold_doc(0)["entities"])
