"""The gold corpus of FORMATS.md: reading it strictly, and turning it into spaCy Docs.

Validation runs over a whole file before anything trains, so that a broken line is
reported with its file and line number instead of surfacing as a crash mid-training.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterable, Iterator, List, Optional, Tuple

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span
from spacy.training import Example

from .schema import ENTITY_LABELS, RELATION_TYPES

logger = logging.getLogger(__name__)

KINDS = ("poa", "8k", "other")


class CorpusError(ValueError):
    """A gold file that cannot be used; the message names file, line and problem."""


def record_problems(record: Dict) -> List[str]:
    """What makes a gold record unusable for training or scoring (empty when fine)."""
    if not isinstance(record, dict):
        return ["a line must hold a JSON object"]
    problems: List[str] = []
    if not isinstance(record.get("id"), (str, int)) or str(record.get("id")) == "":
        problems.append("no 'id'")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        return problems + ["no 'text'"]
    problems += _entity_problems(text, record.get("entities", []))
    problems += _relation_problems(record)
    return problems


def _entity_problems(text: str, entities) -> List[str]:
    if not isinstance(entities, list):
        return ["'entities' must be a list"]
    problems: List[str] = []
    last_end = -1
    for ent in sorted(entities, key=lambda e: (e.get("start", -1), e.get("end", -1))
                      if isinstance(e, dict) else (-1, -1)):
        if not isinstance(ent, dict) or not {"start", "end", "label"} <= set(ent):
            problems.append(f"entity {ent!r} needs start, end and label")
            continue
        start, end, label = ent["start"], ent["end"], ent["label"]
        if label not in ENTITY_LABELS:
            problems.append(f"entity label {label!r} is not one of {', '.join(ENTITY_LABELS)}")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            problems.append(f"entity span {start}-{end} is out of range")
            continue
        if "text" in ent and text[start:end] != ent["text"]:
            problems.append(f"entity span {start}-{end} is {text[start:end]!r}, not {ent['text']!r}")
        if start < last_end:
            problems.append(f"entity span {start}-{end} overlaps the one before")
        last_end = max(last_end, end)
    return problems


def _relation_problems(record: Dict) -> List[str]:
    relations = record.get("relations", [])
    if not isinstance(relations, list):
        return ["'relations' must be a list"]
    problems: List[str] = []
    for rel in relations:
        if not isinstance(rel, dict) or not {"head", "label", "tail"} <= set(rel):
            problems.append(f"relation {rel!r} needs head, label and tail")
        elif rel["label"] not in RELATION_TYPES:
            problems.append(f"relation label {rel['label']!r} is not one of "
                            f"{', '.join(RELATION_TYPES)}")
    aliases = record.get("aliases", [])
    if not (isinstance(aliases, list) and all(isinstance(g, list) for g in aliases)):
        problems.append("'aliases' must be a list of lists of strings")
    return problems


def read_gold(path: Path) -> List[Dict]:
    """All records of a gold JSONL file, or CorpusError listing every bad line."""
    path = Path(path)
    if not path.is_file():
        raise CorpusError(f"{path}: no such corpus file")
    records, problems, seen = [], [], set()
    with path.open(encoding="utf-8", errors="strict") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                problems.append(f"{path}:{number}: not valid JSON ({err.msg}, column {err.colno})")
                continue
            problems += [f"{path}:{number}: {p}" for p in record_problems(record)]
            if isinstance(record, dict):
                if record.get("id") in seen:
                    problems.append(f"{path}:{number}: id {record.get('id')!r} repeated")
                seen.add(record.get("id"))
                records.append(record)
    if problems:
        raise CorpusError("\n".join(problems))
    if not records:
        raise CorpusError(f"{path}: holds no documents")
    return records


@dataclass
class Alignment:
    """Gold spans that the tokenizer cannot represent: they would be lost in training."""

    misaligned: List[Tuple[str, int, int, str]] = field(default_factory=list)
    total: int = 0


def gold_to_doc(make_doc: Callable[[str], Doc], record: Dict, alignment: Alignment) -> Doc:
    """The record's text with its gold entities, relations and aliases.

    Relations and aliases live in ``user_data`` so that they travel inside a DocBin.
    """
    doc = make_doc(record["text"])
    spans: List[Span] = []
    for ent in record.get("entities", []):
        alignment.total += 1
        span = doc.char_span(ent["start"], ent["end"], label=ent["label"])
        if span is None:
            alignment.misaligned.append((str(record["id"]), ent["start"], ent["end"],
                                         record["text"][ent["start"]:ent["end"]]))
            continue
        spans.append(span)
    doc.ents = spacy.util.filter_spans(spans)
    doc.user_data["doc_id"] = str(record["id"])
    doc.user_data["kind"] = record.get("kind", "other")
    doc.user_data["gold_relations"] = [dict(r) for r in record.get("relations", [])]
    doc.user_data["gold_aliases"] = [list(g) for g in record.get("aliases", [])]
    return doc


def records_to_docs(nlp: Language, records: Iterable[Dict]) -> Tuple[List[Doc], Alignment]:
    alignment = Alignment()
    docs = [gold_to_doc(nlp.make_doc, record, alignment) for record in records]
    return docs, alignment


def convert_file(nlp: Language, source: Path, target: Path) -> Alignment:
    """Validate a gold JSONL file and write it as a DocBin for ``spacy train``."""
    docs, alignment = records_to_docs(nlp, read_gold(source))
    for doc_id, start, end, text in alignment.misaligned:
        logger.warning("%s: %s: gold span %d-%d %r does not align with tokens; "
                       "it is left out of training", source, doc_id, start, end, text)
    target.parent.mkdir(parents=True, exist_ok=True)
    DocBin(docs=docs, store_user_data=True).to_disk(target)
    return alignment


@spacy.registry.readers("edgar_ie.Corpus.v1")
def create_corpus_reader(path: Optional[Path]) -> Callable[[Language], Iterator[Example]]:
    """Training examples from a gold ``.jsonl`` file or a ``.spacy`` DocBin.

    Reading JSONL directly lets ``python -m spacy train`` run on a corpus as users
    annotate it, without a conversion step.
    """
    return create_corpus_reader_v2(path, augment=None)


@spacy.registry.readers("edgar_ie.Corpus.v2")
def create_corpus_reader_v2(path: Optional[Path], augment: Optional[Callable[[], List[Dict]]]
                            ) -> Callable[[Language], Iterator[Example]]:
    """As v1, followed by the synthetic gold records that ``augment`` makes (training
    only: see ``pipeline/augment.py``)."""

    def read_examples(nlp: Language) -> Iterator[Example]:
        if path is None:
            raise CorpusError("no corpus path given: set --paths.train and --paths.dev")
        if Path(path).suffix == ".jsonl":
            docs, _ = records_to_docs(nlp, read_gold(path))
        else:
            docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
        if augment is not None:
            docs += records_to_docs(nlp, augment())[0]
        for doc in docs:
            yield Example(nlp.make_doc(doc.text), doc)

    return read_examples
