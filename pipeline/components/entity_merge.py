"""`edgar_entity_merge`: the final say between the trained NER and the entity rules.

The entity rules can run early and leave their matches in ``doc.spans`` (as features
for the NER); this component then decides per span which source wins, so the choice of
combination is a config value that dev measurements settle.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..spans import merge_spans, set_entities

MODES = ("model", "rules_overwrite", "rules_fill")


class EntityMerge:
    def __init__(self, name: str, spans_key: str, mode: str):
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        self.name = name
        self.spans_key = spans_key
        self.mode = mode

    def __call__(self, doc: Doc) -> Doc:
        if self.mode == "model":
            return doc
        rules = list(doc.spans.get(self.spans_key, []))
        model = list(doc.ents)
        if self.mode == "rules_overwrite":
            set_entities(doc, merge_spans(rules, model))
        else:
            set_entities(doc, merge_spans(model, rules))
        return doc


@Language.factory(
    "edgar_entity_merge",
    requires=["doc.ents", "doc.spans"],
    assigns=["doc.ents"],
    default_config={"spans_key": "rule_ents", "mode": "rules_overwrite"},
)
def make_entity_merge(nlp: Language, name: str, spans_key: str, mode: str) -> EntityMerge:
    return EntityMerge(name, spans_key, mode)
