"""Token embeddings that also see the entity rules' decisions.

The NER learns from the rule matches (label and BILU position of each token, left in
``doc.spans`` by the entity rules) next to the hashed word features, so it can copy the
rules where they are reliable and learn what they miss: a learned combination instead of
a fixed precedence.
"""
from __future__ import annotations

from typing import List, Sequence

import numpy
import spacy
from spacy.tokens import Doc
from thinc.api import Maxout, Model, with_array
from thinc.types import Floats2d

POSITIONS = ("B", "I", "L", "U")


def rule_tags(doc: Doc, spans_key: str, labels: Sequence[str]) -> numpy.ndarray:
    """One-hot (no match, or label x BILU position) for every token of the doc."""
    tags = numpy.zeros((len(doc), 1 + len(POSITIONS) * len(labels)), dtype="f")
    tags[:, 0] = 1
    slot = {label: 1 + len(POSITIONS) * i for i, label in enumerate(labels)}
    for span in doc.spans.get(spans_key, []):
        if span.label_ not in slot:
            continue
        base = slot[span.label_]
        tags[span.start:span.end, 0] = 0
        if len(span) == 1:
            tags[span.start, base + 3] = 1
            continue
        tags[span.start, base] = 1
        tags[span.start + 1:span.end - 1, base + 1] = 1
        tags[span.end - 1, base + 2] = 1
    return tags


@spacy.registry.architectures("edgar_ie.RuleAwareEmbed.v1")
def create_rule_aware_embed(embed: Model[List[Doc], List[Floats2d]], width: int,
                            spans_key: str, labels: List[str]) -> Model[List[Doc], List[Floats2d]]:
    """``embed`` (of output ``width``) concatenated with the rule tags, mixed to ``width``."""
    n_tags = 1 + len(POSITIONS) * len(labels)
    mix = with_array(Maxout(nO=width, nI=width + n_tags, nP=3, normalize=True))
    return Model("rule_aware_embed", _forward, layers=[embed, mix], init=_init,
                 dims={"nO": width}, attrs={"spans_key": spans_key, "labels": list(labels)})


def _init(model: Model, X=None, Y=None) -> Model:
    embed, mix = model.layers
    embed.initialize(X=X)
    mix.initialize()
    return model


def _forward(model: Model, docs: List[Doc], is_train: bool):
    embed, mix = model.layers
    ops = model.ops
    vectors, backprop_embed = embed(docs, is_train)
    width = model.get_dim("nO")
    tags = [ops.asarray2f(rule_tags(doc, model.attrs["spans_key"], model.attrs["labels"]))
            for doc in docs]
    mixed, backprop_mix = mix([ops.xp.hstack([v, t]) for v, t in zip(vectors, tags)], is_train)

    def backprop(d_mixed: List[Floats2d]) -> List[Doc]:
        d_inputs = backprop_mix(d_mixed)
        return backprop_embed([d[:, :width] for d in d_inputs])

    return mixed, backprop
