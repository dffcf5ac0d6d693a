"""The trained relation model: thinc code, apart from the spaCy component that uses it.

An instance is an ordered pair of entity mentions whose types ANNOTATION.md allows for
some relation. Each instance is represented by the pooled token vectors of its two
mentions plus a small vector of layout and rule features (same block, distance, trigger
words, and whether the relation rules already asserted the pair), and scored for every
relation label at once.
"""
from __future__ import annotations

from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy
import spacy
from spacy.attrs import SENT_START
from spacy.tokens import Doc, Span
from thinc.api import Dropout, Linear, Logistic, Model, Relu, chain
from thinc.types import Floats2d

from .aliases import AliasIndex
from .schema import RELATION_LABELS, RELATION_TYPES

Pair = Tuple[Span, Span]
GetPairs = Callable[[Doc], List[Pair]]
GetFeatures = Callable[[Doc, Sequence[Pair]], numpy.ndarray]

HEAD_LABELS = sorted(set().union(*(heads for heads, _ in RELATION_TYPES.values())))
TAIL_LABELS = sorted(set().union(*(tails for _, tails in RELATION_TYPES.values())))
DISTANCE_BUCKETS = (3, 10, 25, 60, 150)
BETWEEN_BUCKETS = (0, 1, 3, 6)
# Words between or just before the two mentions that signal a relation: lower-case
# token forms, a trailing * for a prefix.
TRIGGERS = {
    "signed": ("/s/", "by", "signature*", "signed", "sign"),
    "named": ("name", "title", "print", "its"),
    "date": ("date*", "executed", "effective"),
    "appoint": ("appoint*", "constitut*", "elect*", "named", "names", "promot*", "hire*"),
    "attorney": ("attorney*",),
    "of": ("of", "at", "with", "for"),
    "as": ("as", "serv*", "position*"),
    "debt": ("debenture*", "note", "notes", "bond", "bonds"),
    "issue": ("issu*", "sale", "sold", "offer*", "placement", "principal"),
    "contact": ("contact*", "phone", "tel", "telephone", "email", "e-mail"),
    "resign": ("resign*", "retire*", "depart*", "succeed*"),
    "list": ("and", ";"),
}
TRIGGER_NAMES = tuple(TRIGGERS)
BEFORE_TOKENS = 8


def _trigger_lexicon() -> Tuple[Dict[str, List[int]], List[Tuple[str, int]]]:
    exact: Dict[str, List[int]] = {}
    prefixes: List[Tuple[str, int]] = []
    for k, name in enumerate(TRIGGER_NAMES):
        for word in TRIGGERS[name]:
            if word.endswith("*"):
                prefixes.append((word[:-1], k))
            else:
                exact.setdefault(word, []).append(k)
    return exact, prefixes


_EXACT_TRIGGERS, _PREFIX_TRIGGERS = _trigger_lexicon()


def token_triggers(doc: Doc) -> numpy.ndarray:
    """Running counts of each trigger kind: row i counts tokens before token i."""
    flags = numpy.zeros((len(doc) + 1, len(TRIGGER_NAMES)), dtype="int32")
    cache: Dict[str, List[int]] = {}
    for i, token in enumerate(doc):
        lower = token.lower_
        if lower not in cache:
            kinds = list(_EXACT_TRIGGERS.get(lower, []))
            kinds += [k for prefix, k in _PREFIX_TRIGGERS if lower.startswith(prefix)]
            cache[lower] = kinds
        for k in cache[lower]:
            flags[i + 1, k] = 1
    return numpy.cumsum(flags, axis=0)


@spacy.registry.misc("edgar_ie.candidate_pairs.v1")
def create_candidate_pairs(max_distance: int = 150,
                           block_labels: Sequence[str] = ("SIGNATURE", "SIGNATURE_TABLE", "POA", "CONTACT")
                           ) -> GetPairs:
    """Type-allowed mention pairs within ``max_distance`` tokens, or inside one block of
    the given layout labels (signature blocks and powers of attorney run long), plus the
    closest mention pair of every entity pair the relation rules linked (a principal and
    the attorneys of a power of attorney may stand pages apart): the model sees, and may
    overrule, every rule decision."""
    linking = frozenset(block_labels)

    def get_pairs(doc: Doc) -> List[Pair]:
        ents = list(doc.ents)
        blocks_of = blocks_containing(doc, ents, linking)
        asserted = rule_linked_pairs(doc, ents)
        pairs = []
        for i, head in enumerate(ents):
            if head.label_ not in HEAD_LABELS:
                continue
            for j, tail in enumerate(ents):
                if i == j or tail.label_ not in TAIL_LABELS or not _allowed(head, tail):
                    continue
                if abs(head.start - tail.start) <= max_distance or blocks_of[i] & blocks_of[j] \
                        or (i, j) in asserted:
                    pairs.append((head, tail))
        return pairs

    return get_pairs


def rule_linked_pairs(doc: Doc, ents: Sequence[Span]) -> set:
    """Indices (i, j) of the closest mentions of each entity pair in ``doc._.relations``."""
    if not doc._.relations:
        return set()
    aliases = AliasIndex.from_doc(doc)
    mentions: Dict = {}
    for i, ent in enumerate(ents):
        mentions.setdefault(aliases.key(ent.text, ent.label_), []).append(i)
    out = set()
    for rel in doc._.relations:
        heads = mentions.get(aliases.key(rel["head"], rel["head_label"]), [])
        tails = mentions.get(aliases.key(rel["tail"], rel["tail_label"]), [])
        candidates = [(abs(ents[i].start - ents[j].start), i, j) for i in heads for j in tails if i != j]
        if candidates:
            _, i, j = min(candidates)
            out.add((i, j))
    return out


def _allowed(head: Span, tail: Span) -> bool:
    return any(head.label_ in heads and tail.label_ in tails
               for heads, tails in RELATION_TYPES.values())


def blocks_containing(doc: Doc, ents: Sequence[Span], labels=None) -> List[frozenset]:
    """For each entity, the indices of the layout blocks (of ``labels``) that hold it."""
    blocks = [(b.start, b.end) for b in doc.spans.get("blocks", [])
              if labels is None or b.label_ in labels]
    return [frozenset(k for k, (start, end) in enumerate(blocks) if start <= ent.start < end)
            for ent in ents]


@spacy.registry.misc("edgar_ie.pair_features.v1")
def create_pair_features(block_labels: List[str]) -> GetFeatures:
    """Layout, distance, trigger and rule-decision features of each pair, in [0, 1]."""
    block_slot = {label: i for i, label in enumerate(block_labels)}

    def get_features(doc: Doc, pairs: Sequence[Pair]) -> numpy.ndarray:
        width = n_pair_features(len(block_labels))
        features = numpy.zeros((len(pairs), width), dtype="f")
        if not pairs:
            return features
        context = _DocContext(doc)
        for row, (head, tail) in enumerate(pairs):
            features[row] = _pair_vector(doc, head, tail, context, block_slot, width)
        return features

    return get_features


def n_pair_features(n_block_labels: int) -> int:
    return (len(HEAD_LABELS) + len(TAIL_LABELS) + 1 + len(DISTANCE_BUCKETS) + 1
            + len(BETWEEN_BUCKETS) + 1 + 3 + 2 * (n_block_labels + 1) + 2 * len(TRIGGERS)
            + len(RELATION_LABELS) + 2)


class _DocContext:
    """What every pair of one document looks up: blocks, entity order, rule decisions."""

    def __init__(self, doc: Doc):
        ents = list(doc.ents)
        blocks = list(doc.spans.get("blocks", []))
        self.block_labels = [b.label_ for b in blocks]
        self.blocks_of = dict(zip((e.start for e in ents), blocks_containing(doc, ents)))
        self.ent_starts = [e.start for e in ents]
        self.text = doc.text  # doc.text is rebuilt on every access
        self.sent_of = _sentence_ids(doc)
        self.trigger_counts = token_triggers(doc)
        self.aliases = AliasIndex.from_mentions(
            [(e.text, e.label_, e.start_char) for e in doc.ents])
        self.rule_triples = {(self.key(r["head"], r["head_label"]), r["label"],
                              self.key(r["tail"], r["tail_label"]))
                             for r in (doc._.relations or [])}

    def key(self, text: str, label: str):
        return self.aliases.key(text, label)



def _sentence_ids(doc: Doc) -> Optional[numpy.ndarray]:
    """Sentence number of every token (None without sentence boundaries)."""
    if not doc.has_annotation("SENT_START"):
        return None
    starts = doc.to_array([SENT_START]).reshape(-1) == 1
    return numpy.cumsum(starts)


def _bucket(value: int, bounds: Sequence[int]) -> int:
    for i, bound in enumerate(bounds):
        if value <= bound:
            return i
    return len(bounds) - 1


def _pair_vector(doc: Doc, head: Span, tail: Span, ctx: _DocContext,
                 block_slot: Dict[str, int], width: int) -> numpy.ndarray:
    v = numpy.zeros((width,), dtype="f")
    i = 0
    v[i + HEAD_LABELS.index(head.label_)] = 1; i += len(HEAD_LABELS)
    v[i + TAIL_LABELS.index(tail.label_)] = 1; i += len(TAIL_LABELS)
    v[i] = head.start < tail.start; i += 1
    first, second = (head, tail) if head.start < tail.start else (tail, head)
    gap = max(0, second.start - first.end)
    v[i + _bucket(gap, DISTANCE_BUCKETS)] = 1; i += len(DISTANCE_BUCKETS)
    v[i] = gap > DISTANCE_BUCKETS[-1]; i += 1
    between = numpy.searchsorted(ctx.ent_starts, second.start) - \
        numpy.searchsorted(ctx.ent_starts, first.end)
    v[i + _bucket(int(between), BETWEEN_BUCKETS)] = 1; i += len(BETWEEN_BUCKETS)
    v[i] = int(between) > BETWEEN_BUCKETS[-1]; i += 1
    between_text = ctx.text[first.end_char:second.start_char]  # for the same-line test
    v[i] = ctx.sent_of is not None and ctx.sent_of[head.start] == ctx.sent_of[tail.start]
    v[i + 1] = "\n" not in between_text
    head_blocks, tail_blocks = ctx.blocks_of[head.start], ctx.blocks_of[tail.start]
    v[i + 2] = bool(head_blocks & tail_blocks)
    i += 3
    for blocks in (head_blocks, tail_blocks):
        for k in blocks:
            v[i + block_slot.get(ctx.block_labels[k], len(block_slot))] = 1
        i += len(block_slot) + 1
    counts = ctx.trigger_counts
    v[i:i + len(TRIGGER_NAMES)] = counts[second.start] > counts[min(first.end, second.start)]
    i += len(TRIGGER_NAMES)
    v[i:i + len(TRIGGER_NAMES)] = counts[first.start] > counts[max(0, first.start - BEFORE_TOKENS)]
    i += len(TRIGGER_NAMES)
    head_key, tail_key = ctx.key(head.text, head.label_), ctx.key(tail.text, tail.label_)
    for label in RELATION_LABELS:
        v[i] = (head_key, label, tail_key) in ctx.rule_triples
        i += 1
    v[i] = head_key == tail_key
    v[i + 1] = head.text[:1].isupper() and tail.text[:1].isupper()
    return v


@spacy.registry.architectures("edgar_ie.RelationModel.v1")
def create_relation_model(tok2vec: Model[List[Doc], List[Floats2d]], get_pairs: GetPairs,
                          get_features: GetFeatures, hidden_width: int = 64,
                          dropout: float = 0.1, nO: Optional[int] = None) -> Model[List[Doc], Floats2d]:
    """Pair representations, then a one-hidden-layer multi-label classifier."""
    instances = create_pair_tensor(tok2vec, get_pairs, get_features)
    classifier = chain(Relu(nO=hidden_width), Dropout(dropout), Linear(nO=nO), Logistic())
    model = chain(instances, classifier)
    model.attrs["get_pairs"] = get_pairs
    return model


def create_pair_tensor(tok2vec: Model, get_pairs: GetPairs,
                       get_features: GetFeatures) -> Model[List[Doc], Floats2d]:
    return Model("edgar_pair_tensor", _pair_tensor_forward, layers=[tok2vec],
                 refs={"tok2vec": tok2vec}, init=_pair_tensor_init,
                 attrs={"get_pairs": get_pairs, "get_features": get_features})


def _pair_tensor_init(model: Model, X: Optional[List[Doc]] = None, Y=None) -> Model:
    if X is not None:
        model.get_ref("tok2vec").initialize(X)
    return model


def _pair_tensor_forward(model: Model, docs: List[Doc], is_train: bool):
    """[mean(head vectors), mean(tail vectors), features] for every pair of every doc."""
    tok2vec = model.get_ref("tok2vec")
    get_pairs, get_features = model.attrs["get_pairs"], model.attrs["get_features"]
    tokvecs, backprop_tok2vec = tok2vec(docs, is_train)
    all_pairs = [get_pairs(doc) for doc in docs]
    ops = model.ops
    width = tokvecs[0].shape[1] if tokvecs else 0
    rows, feats = [], []
    for doc, pairs, vectors in zip(docs, all_pairs, tokvecs):
        for head, tail in pairs:
            rows.append(vectors[head.start:head.end].mean(axis=0))
            rows.append(vectors[tail.start:tail.end].mean(axis=0))
        feats.append(ops.asarray2f(get_features(doc, pairs)))
    n = sum(len(p) for p in all_pairs)
    if n == 0:
        output = ops.alloc2f(0, 2 * width + feats[0].shape[1] if feats else 0)
        return output, lambda d_output: backprop_tok2vec([ops.alloc2f(*v.shape) for v in tokvecs])
    pooled = ops.reshape2f(ops.xp.vstack(rows), n, 2 * width)
    output = ops.xp.hstack([pooled, ops.xp.vstack(feats)])

    def backprop(d_output: Floats2d) -> List[Doc]:
        d_pooled = d_output[:, :2 * width]
        d_tokvecs = [ops.alloc2f(*v.shape) for v in tokvecs]
        row = 0
        for d_vectors, pairs in zip(d_tokvecs, all_pairs):
            for head, tail in pairs:
                d_vectors[head.start:head.end] += d_pooled[row, :width] / (head.end - head.start)
                d_vectors[tail.start:tail.end] += d_pooled[row, width:] / (tail.end - tail.start)
                row += 1
        return backprop_tok2vec(d_tokvecs)

    return output, backprop
