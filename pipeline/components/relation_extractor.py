"""The trained relation component: scores mention pairs, rolls them up to the document.

Training pairs come from the document-level gold relations of FORMATS.md: a mention pair
is positive for a label when its two mentions belong to the gold entities (alias groups
included) of a gold triple. The component trains on gold entities, and runs the layout
and relation-rule components on its training docs so that it learns from the same
features it sees at prediction time.
"""
from __future__ import annotations

from itertools import islice
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

import numpy
from spacy.language import Language
from spacy.pipeline import TrainablePipe
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import filter_spans
from thinc.api import Model, Optimizer, set_dropout_rate
from thinc.types import Floats2d

from ..aliases import AliasIndex
from ..augment import SYNTHETIC_KIND
from ..relation_model import Pair
from ..schema import RELATION_LABELS, allowed, make_relation
from ..scoring import entity_keys, normalize, prf, relation_triples


COMBINE_MODES = ("union", "model")


@Language.factory(
    "edgar_relation_extractor",
    requires=["doc.ents", "doc.spans", "doc._.relations"],
    assigns=["doc._.relations"],
    default_config={"threshold": 0.5, "combine": "union",
                    "feature_components": ["layout", "relation_rules"]},
    default_score_weights={"rel_micro_f": 1.0, "rel_micro_p": 0.0, "rel_micro_r": 0.0},
)
def make_relation_extractor(nlp: Language, name: str, model: Model, threshold: float,
                            combine: str, feature_components: List[str]) -> "RelationExtractor":
    if combine not in COMBINE_MODES:
        raise ValueError(f"combine must be one of {COMBINE_MODES}, not {combine!r}")
    return RelationExtractor(nlp, model, name, threshold=threshold, combine=combine,
                             feature_components=feature_components)


class RelationExtractor(TrainablePipe):
    def __init__(self, nlp: Language, model: Model, name: str = "relation_extractor", *,
                 threshold: float = 0.5, combine: str = "union",
                 feature_components: Sequence[str] = ()):
        self.vocab = nlp.vocab
        self.model = model
        self.name = name
        self._nlp = nlp  # to run the feature components on training docs
        self.cfg = {"labels": list(RELATION_LABELS), "threshold": threshold,
                    "combine": combine, "feature_components": list(feature_components)}

    @property
    def labels(self) -> Tuple[str, ...]:
        return tuple(self.cfg["labels"])

    # prediction -------------------------------------------------------------------
    def predict(self, docs: Iterable[Doc]) -> Tuple[List[List[Pair]], Floats2d]:
        """The candidate pairs of each doc, and their scores (a row a pair, docs in order).

        The pairs go to the model and on to set_annotations, so get_pairs runs once a doc.
        """
        docs = list(docs)
        get_pairs = self.model.attrs["get_pairs"]
        all_pairs = [get_pairs(doc) for doc in docs]
        if not docs:
            return all_pairs, numpy.zeros((0, 0))
        return all_pairs, self.model.ops.to_numpy(self.model.predict((docs, all_pairs)))

    def set_annotations(self, docs: Iterable[Doc],
                        predictions: Tuple[List[List[Pair]], Floats2d]) -> None:
        all_pairs, scores = predictions
        row = 0
        for doc, pairs in zip(docs, all_pairs):
            doc_scores = scores[row:row + len(pairs)]
            row += len(pairs)
            model_relations = self._roll_up(doc, pairs, doc_scores)
            doc._.relations = self._combine(doc._.relations or [], model_relations)

    def _roll_up(self, doc: Doc, pairs, scores) -> List[Dict]:
        """Mention-pair scores -> one relation per entity pair and label (the best score)."""
        aliases = AliasIndex.from_doc(doc)
        best: Dict[Tuple, Dict] = {}
        scores = numpy.asarray(scores)[:, :len(self.labels)]
        # most scores fall below the threshold: visit only the others, in the order of
        # a loop over pairs, then labels (``best`` keeps its first-seen order)
        rows, columns = numpy.nonzero(~(scores < self.cfg["threshold"]))
        for row, column in zip(rows.tolist(), columns.tolist()):
            (head, tail), label, score = pairs[row], self.labels[column], scores[row, column]
            if not allowed(label, head.label_, tail.label_):
                continue
            head_text = aliases.canonical(head.text, head.label_)
            tail_text = aliases.canonical(tail.text, tail.label_)
            if label == "APPOINTS" and aliases.key(head.text, head.label_) == \
                    aliases.key(tail.text, tail.label_):
                continue  # nobody appoints themselves
            key = (head_text, label, tail_text)
            if key not in best or score > best[key]["score"]:
                first, last = sorted((head, tail), key=lambda s: s.start)
                evidence = (first.sent.start_char, last.sent.end_char) \
                    if doc.has_annotation("SENT_START") else (first.start_char, last.end_char)
                best[key] = make_relation(head_text, head.label_, label, tail_text,
                                          tail.label_, score=float(score),
                                          evidence=evidence, source="model")
        return list(best.values())

    def _combine(self, rule_relations: List[Dict], model_relations: List[Dict]) -> List[Dict]:
        if self.cfg["combine"] == "model":
            return model_relations
        seen = {(r["head"], r["label"], r["tail"]) for r in rule_relations}
        return list(rule_relations) + [r for r in model_relations
                                       if (r["head"], r["label"], r["tail"]) not in seen]

    # training ---------------------------------------------------------------------
    def _training_docs(self, examples: Iterable[Example]) -> List[Doc]:
        """Copies of the predicted docs with the gold entities and the feature annotations.

        Copies keep the tokens, so the tok2vec listener still recognises the batch.
        """
        docs = []
        for eg in examples:
            doc = eg.predicted.copy()
            spans = [doc.char_span(e.start_char, e.end_char, label=e.label_)
                     for e in eg.reference.ents]
            doc.ents = filter_spans([s for s in spans if s is not None])
            doc._.relations = None
            for name in self.cfg["feature_components"]:
                doc = self._nlp.get_pipe(name)(doc)
            doc.user_data["kind"] = eg.reference.user_data.get("kind")
            doc.user_data["gold"] = {
                "entities": [{"text": e.text} for e in eg.reference.ents],
                "relations": list(eg.reference.user_data.get("gold_relations", [])),
                "aliases": [list(g) for g in eg.reference.user_data.get("gold_aliases", [])]}
            docs.append(doc)
        return docs

    def _truths(self, docs: Sequence[Doc], all_pairs: Sequence[List[Pair]]) -> numpy.ndarray:
        rows = []
        for doc, pairs in zip(docs, all_pairs):
            gold = doc.user_data["gold"]
            keys = entity_keys(gold)
            triples = relation_triples(gold, keys)
            for head, tail in pairs:
                h = keys.get(normalize(head.text), "?")
                t = keys.get(normalize(tail.text), "?")
                rows.append([float((h, label, t) in triples) for label in self.labels])
        return numpy.asarray(rows, dtype="f").reshape((-1, len(self.labels)))

    def _pairs(self, docs: Sequence[Doc]) -> List[List[Pair]]:
        """Training pairs; synthetic documents (``pipeline/augment.py``) give none: they
        carry entities but no relations, so their pairs would all read as negatives."""
        get_pairs = self.model.attrs["get_pairs"]
        return [[] if doc.user_data.get("kind") == SYNTHETIC_KIND else get_pairs(doc)
                for doc in docs]

    def update(self, examples: Iterable[Example], *, drop: float = 0.0,
               sgd: Optional[Optimizer] = None, losses: Optional[Dict[str, float]] = None
               ) -> Dict[str, float]:
        losses = {} if losses is None else losses
        losses.setdefault(self.name, 0.0)
        docs = self._training_docs(examples)
        all_pairs = self._pairs(docs)
        truths = self._truths(docs, all_pairs)
        set_dropout_rate(self.model, drop)
        # a batch without pairs (synthetic documents only) still runs and hands back its
        # empty gradient: a shared tok2vec only updates once its last listener does
        scores, backprop = self.model.begin_update((docs, all_pairs))
        loss, gradient = self.get_loss(scores, self.model.ops.asarray2f(truths))
        backprop(gradient)
        if sgd is not None:
            self.model.finish_update(sgd)
        losses[self.name] += loss
        return losses

    def get_loss(self, scores: Floats2d, truths: Floats2d) -> Tuple[float, Floats2d]:
        gradient = scores - truths
        if not len(gradient):
            return 0.0, gradient
        return float((gradient ** 2).sum(axis=1).mean()), gradient

    def initialize(self, get_examples: Callable[[], Iterable[Example]], *,
                   nlp: Optional[Language] = None) -> None:
        docs = self._training_docs(islice(get_examples(), 10))
        all_pairs = self._pairs(docs)
        truths = self._truths(docs, all_pairs)
        self.model.initialize(X=(docs, all_pairs), Y=self.model.ops.asarray2f(truths))

    def score(self, examples: Iterable[Example], **kwargs) -> Dict[str, float]:
        """Document-level relation P/R/F1 with the FORMATS.md metric."""
        tp = fp = fn = 0
        for eg in examples:
            gold = {"entities": [{"text": e.text} for e in eg.reference.ents],
                    "relations": list(eg.reference.user_data.get("gold_relations", [])),
                    "aliases": [list(g) for g in eg.reference.user_data.get("gold_aliases", [])]}
            keys = entity_keys(gold)
            gold_triples = relation_triples(gold, keys)
            pred_triples = relation_triples({"relations": eg.predicted._.relations or []}, keys)
            tp += len(gold_triples & pred_triples)
            fp += len(pred_triples - gold_triples)
            fn += len(gold_triples - pred_triples)
        result = prf(tp, fp, fn)
        return {"rel_micro_p": result["p"], "rel_micro_r": result["r"], "rel_micro_f": result["f"]}
