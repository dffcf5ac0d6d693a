"""`edgar_entity_merge`: the final say between the trained NER and the entity rules.

The entity rules can run early and leave their matches in ``doc.spans`` (as features
for the NER); this component then decides per span which source wins, so the choice of
combination is a config value that dev measurements settle.
"""
from __future__ import annotations

from typing import List, Optional, Sequence

from spacy.language import Language
from spacy.tokens import Doc

from ..spans import merge_spans, set_entities

MODES = ("model", "rules_overwrite", "rules_fill")


class EntityMerge:
    """``model_labels``: the labels the NER may contribute on its own; on dev its own
    DATE, MONEY and ROLE spans were nearly all wrong where the rules are near perfect."""

    def __init__(self, name: str, spans_key: str, mode: str,
                 model_labels: Optional[Sequence[str]] = None):
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        self.name = name
        self.spans_key = spans_key
        self.mode = mode
        self.model_labels = None if model_labels is None else frozenset(model_labels)

    def __call__(self, doc: Doc) -> Doc:
        model = [e for e in doc.ents if self.model_labels is None or e.label_ in self.model_labels]
        if self.mode == "model":
            if len(model) != len(doc.ents):
                set_entities(doc, model)
            return doc
        rules = list(doc.spans.get(self.spans_key, []))
        if self.mode == "rules_overwrite":
            set_entities(doc, merge_spans(rules, model))
        else:
            set_entities(doc, merge_spans(model, rules))
        return doc


@Language.factory(
    "edgar_entity_merge",
    requires=["doc.ents", "doc.spans"],
    assigns=["doc.ents"],
    default_config={"spans_key": "rule_ents", "mode": "rules_overwrite", "model_labels": None},
)
def make_entity_merge(nlp: Language, name: str, spans_key: str, mode: str,
                      model_labels: Optional[List[str]]) -> EntityMerge:
    return EntityMerge(name, spans_key, mode, model_labels)
