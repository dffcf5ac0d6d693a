"""Run a pipeline over gold documents and score it with the FORMATS.md metric."""
from __future__ import annotations

from typing import Dict, Iterable, List, Mapping

from spacy.language import Language

from .records import doc_to_record
from .scoring import index_by_id, score


def predict_records(nlp: Language, gold_docs: Iterable[Mapping], batch_size: int = 8) -> List[Dict]:
    """Predictions for each gold document's text, keyed by the gold id."""
    gold_docs = list(gold_docs)
    docs = nlp.pipe((g["text"] for g in gold_docs), batch_size=batch_size)
    return [doc_to_record(str(g["id"]), doc) for g, doc in zip(gold_docs, docs)]


def evaluate_pipeline(nlp: Language, gold_docs: Iterable[Mapping], batch_size: int = 8) -> Dict:
    gold_docs = list(gold_docs)
    predictions = predict_records(nlp, gold_docs, batch_size=batch_size)
    return score(index_by_id(gold_docs), index_by_id(predictions))
