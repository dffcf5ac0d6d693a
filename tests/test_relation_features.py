"""The vectorized pair computations of the relation model against straightforward per-pair
references: candidate pairs, pair features, trigger counts and mean pooling must not
change by a bit (pooling: by float rounding only)."""
from __future__ import annotations

import random
from typing import Dict, List, Sequence

import numpy
import pytest
import spacy
from spacy.attrs import SENT_START
from spacy.tokens import Doc, Span
from thinc.api import Model, NumpyOps

from pipeline import relation_model
from pipeline.aliases import AliasIndex
from pipeline.models import load_pipeline
from pipeline.relation_model import (BEFORE_TOKENS, DISTANCE_BUCKETS, BETWEEN_BUCKETS, HEAD_LABELS,
                                     TAIL_LABELS, TRIGGER_NAMES, _EXACT_TRIGGERS, _PREFIX_TRIGGERS,
                                     create_candidate_pairs, create_pair_features, mean_pool_pairs,
                                     mean_pool_pairs_backward, n_pair_features, pair_bounds,
                                     rule_linked_pairs, token_triggers)
from pipeline.schema import RELATION_LABELS, RELATION_TYPES, make_relation

# as in configs/default.cfg, less EXHIBIT: blocks of other labels share the last slot
FEATURE_BLOCKS = ["COVER", "ITEM", "PARAGRAPH", "SIGNATURE", "SIGNATURE_TABLE", "POA", "CONTACT"]
LINKING_BLOCKS = ("SIGNATURE", "SIGNATURE_TABLE", "POA", "CONTACT")

POA = """POWER OF ATTORNEY

Know all by these presents, that the undersigned hereby constitutes and appoints
each of Ronald S. Bell, Kenneth A. Goldman and Aman S. Kothari, signing singly,
his true and lawful attorney-in-fact to execute for and on behalf of the undersigned,
in the undersigned's capacity as a Director of Yahoo! Inc., Forms 3, 4 and 5.

IN WITNESS WHEREOF, the undersigned has caused this Power of Attorney to be executed
as of March 14, 2013.

/s/ Maynard G. Webb, Jr.
Maynard G. Webb, Jr.
"""

SIGNED_8K = """Harrow Mills Corp. announced that it completed the sale of $12.5 million of its
7% convertible debentures due 2012 to Bluestem Capital LLC. Mr. Hale, President of
Harrow Mills, said the proceeds will repay notes.

SIGNATURES

Pursuant to the requirements of the Securities Exchange Act of 1934, the registrant
has duly caused this report to be signed on its behalf by the undersigned.

HARROW MILLS CORP.

Date: June 3, 2004                 By: /s/ Dmitri A. Hale
                                   Name: Dmitri A. Hale
                                   Title: President and Chief Executive Officer

For more information contact Clara M. Voss, Investor Relations, at (555) 010-2233.
"""


# --------------------------------------------------------------------------- reference
# The per-pair implementation the vectorized code replaced, kept here as the definition
# of the features.
def ref_token_triggers(doc: Doc) -> numpy.ndarray:
    flags = numpy.zeros((len(doc) + 1, len(TRIGGER_NAMES)), dtype="int32")
    for i, token in enumerate(doc):
        lower = token.lower_
        kinds = list(_EXACT_TRIGGERS.get(lower, []))
        kinds += [k for prefix, k in _PREFIX_TRIGGERS if lower.startswith(prefix)]
        for k in kinds:
            flags[i + 1, k] = 1
    return numpy.cumsum(flags, axis=0)


def ref_blocks_containing(doc: Doc, ents: Sequence[Span], labels=None) -> List[frozenset]:
    blocks = [(b.start, b.end) for b in doc.spans.get("blocks", [])
              if labels is None or b.label_ in labels]
    return [frozenset(k for k, (start, end) in enumerate(blocks) if start <= ent.start < end)
            for ent in ents]


def ref_allowed(head: Span, tail: Span) -> bool:
    return any(head.label_ in heads and tail.label_ in tails
               for heads, tails in RELATION_TYPES.values())


def ref_get_pairs(doc: Doc, max_distance: int, block_labels=LINKING_BLOCKS):
    ents = list(doc.ents)
    blocks_of = ref_blocks_containing(doc, ents, frozenset(block_labels))
    asserted = rule_linked_pairs(doc, ents)
    pairs = []
    for i, head in enumerate(ents):
        if head.label_ not in HEAD_LABELS:
            continue
        for j, tail in enumerate(ents):
            if i == j or tail.label_ not in TAIL_LABELS or not ref_allowed(head, tail):
                continue
            if abs(head.start - tail.start) <= max_distance or blocks_of[i] & blocks_of[j] \
                    or (i, j) in asserted:
                pairs.append((head, tail))
    return pairs


class RefContext:
    def __init__(self, doc: Doc):
        ents = list(doc.ents)
        blocks = list(doc.spans.get("blocks", []))
        self.block_labels = [b.label_ for b in blocks]
        self.blocks_of = dict(zip((e.start for e in ents), ref_blocks_containing(doc, ents)))
        self.ent_starts = [e.start for e in ents]
        self.text = doc.text
        self.sent_of = None
        if doc.has_annotation("SENT_START"):
            self.sent_of = numpy.cumsum(doc.to_array([SENT_START]).reshape(-1) == 1)
        self.trigger_counts = ref_token_triggers(doc)
        self.aliases = AliasIndex.from_mentions([(e.text, e.label_, e.start_char) for e in ents])
        self.rule_triples = {(self.key(r["head"], r["head_label"]), r["label"],
                              self.key(r["tail"], r["tail_label"]))
                             for r in (doc._.relations or [])}

    def key(self, text: str, label: str):
        return self.aliases.key(text, label)


def ref_bucket(value: int, bounds: Sequence[int]) -> int:
    for i, bound in enumerate(bounds):
        if value <= bound:
            return i
    return len(bounds) - 1


def ref_pair_vector(head: Span, tail: Span, ctx: RefContext, block_slot: Dict[str, int],
                    width: int) -> numpy.ndarray:
    v = numpy.zeros((width,), dtype="f")
    i = 0
    v[i + HEAD_LABELS.index(head.label_)] = 1; i += len(HEAD_LABELS)
    v[i + TAIL_LABELS.index(tail.label_)] = 1; i += len(TAIL_LABELS)
    v[i] = head.start < tail.start; i += 1
    first, second = (head, tail) if head.start < tail.start else (tail, head)
    gap = max(0, second.start - first.end)
    v[i + ref_bucket(gap, DISTANCE_BUCKETS)] = 1; i += len(DISTANCE_BUCKETS)
    v[i] = gap > DISTANCE_BUCKETS[-1]; i += 1
    between = numpy.searchsorted(ctx.ent_starts, second.start) - \
        numpy.searchsorted(ctx.ent_starts, first.end)
    v[i + ref_bucket(int(between), BETWEEN_BUCKETS)] = 1; i += len(BETWEEN_BUCKETS)
    v[i] = int(between) > BETWEEN_BUCKETS[-1]; i += 1
    between_text = ctx.text[first.end_char:second.start_char]
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


def ref_features(doc: Doc, pairs, block_labels: Sequence[str]) -> numpy.ndarray:
    width = n_pair_features(len(block_labels))
    block_slot = {label: i for i, label in enumerate(block_labels)}
    features = numpy.zeros((len(pairs), width), dtype="f")
    if pairs:
        ctx = RefContext(doc)
        for row, (head, tail) in enumerate(pairs):
            features[row] = ref_pair_vector(head, tail, ctx, block_slot, width)
    return features


# ----------------------------------------------------------------------------- docs
@pytest.fixture(scope="module")
def rules_docs() -> List[Doc]:
    nlp = load_pipeline("rules")
    docs = [nlp(text) for text in (POA, SIGNED_8K, POA + "\n\n" + SIGNED_8K)]
    assert all(len(doc.ents) > 5 and doc._.relations for doc in docs)
    return docs


def synthetic_doc(with_sentences: bool) -> Doc:
    """Hand-placed mentions, nested and overlapping blocks (one of a label outside the
    feature slots), newlines inside and between tokens, rule relations by alias."""
    words = ("Acme Corp. appoints Jane Roe as attorney-in-fact \n for the notes ; "
             "by : /s/ J. Roe Director Acme \n\n Date January 5 , 2001 and Bob Lee of "
             "Acme Corp. sold $ 5 million of debentures to Roe Partners LLC").split(" ")
    doc = Doc(spacy.blank("en").vocab, words=words)
    spans = [(0, 2, "FIRM"), (3, 5, "PERSON"), (6, 7, "ROLE"), (15, 17, "PERSON"),
             (17, 18, "ROLE"), (18, 19, "FIRM"), (21, 25, "DATE"), (26, 28, "PERSON"),
             (29, 31, "FIRM"), (32, 35, "MONEY"), (38, 41, "FIRM")]
    doc.ents = [Span(doc, s, e, label) for s, e, label in spans]
    doc.spans["blocks"] = [Span(doc, 0, 41, "ITEM"), Span(doc, 0, 12, "PARAGRAPH"),
                           Span(doc, 5, 20, "POA"), Span(doc, 12, 26, "SIGNATURE"),
                           Span(doc, 15, 19, "SIGNATURE_TABLE"), Span(doc, 25, 41, "EXHIBIT"),
                           Span(doc, 27, 30, "CONTACT")]
    if with_sentences:
        for i, token in enumerate(doc):
            token.is_sent_start = i in (0, 12, 20, 26)
    doc._.relations = [
        make_relation("J. Roe", "PERSON", "SIGNS", "Acme", "FIRM"),
        make_relation("Jane Roe", "PERSON", "HAS_ROLE", "Director", "ROLE"),
        make_relation("Acme Corp.", "FIRM", "APPOINTS", "Jane Roe", "PERSON"),
        make_relation("Acme Corp.", "FIRM", "ISSUES_DEBENTURES", "$ 5 million", "MONEY"),
        make_relation("Bob Lee", "PERSON", "AFFILIATED_WITH", "Roe Partners LLC", "FIRM"),
        make_relation("Nobody Here", "PERSON", "SIGNS", "Acme", "FIRM")]
    return doc


def all_docs(rules_docs) -> List[Doc]:
    return list(rules_docs) + [synthetic_doc(True), synthetic_doc(False)]


def every_typed_pair(doc: Doc):
    """All ordered mention pairs the features accept, far apart ones included."""
    ents = list(doc.ents)
    return [(h, t) for h in ents for t in ents
            if h is not t and h.label_ in HEAD_LABELS and t.label_ in TAIL_LABELS]


# ---------------------------------------------------------------------------- tests
def test_trigger_counts_match_reference(rules_docs):
    for doc in all_docs(rules_docs) + [Doc(rules_docs[0].vocab, words=[])]:
        counts = token_triggers(doc)
        expected = ref_token_triggers(doc)
        assert counts.dtype == expected.dtype and numpy.array_equal(counts, expected)


@pytest.mark.parametrize("max_distance", [0, 5, 40, 150])
def test_candidate_pairs_match_reference(rules_docs, max_distance):
    for doc in all_docs(rules_docs):
        pairs = create_candidate_pairs(max_distance, LINKING_BLOCKS)(doc)
        expected = ref_get_pairs(doc, max_distance)
        assert [(h.start, t.start) for h, t in pairs] == [(h.start, t.start) for h, t in expected]


def test_candidate_pairs_chunked_like_whole(rules_docs, monkeypatch):
    """Heads are scored a chunk at a time; chunk edges must not show."""
    monkeypatch.setattr(relation_model, "_HEAD_CHUNK", 3)
    for doc in all_docs(rules_docs):
        for max_distance in (2, 30):
            pairs = create_candidate_pairs(max_distance, LINKING_BLOCKS)(doc)
            expected = ref_get_pairs(doc, max_distance)
            assert [(h.start, t.start) for h, t in pairs] == \
                [(h.start, t.start) for h, t in expected]


def test_candidate_pairs_of_a_doc_without_entities():
    doc = spacy.blank("en")("Nothing to see here .")
    assert create_candidate_pairs()(doc) == []


@pytest.mark.parametrize("block_labels", [FEATURE_BLOCKS, [], ["SIGNATURE"]])
def test_features_match_reference(rules_docs, block_labels):
    get_features = create_pair_features(block_labels)
    for doc in all_docs(rules_docs):
        for pairs in (create_candidate_pairs(20, LINKING_BLOCKS)(doc), every_typed_pair(doc)):
            assert pairs
            features = get_features(doc, pairs)
            expected = ref_features(doc, pairs, block_labels)
            assert features.dtype == expected.dtype and features.shape == expected.shape
            assert numpy.array_equal(features, expected)


def test_features_of_any_pair_list(rules_docs):
    """Pairs in any order, repeated, and made of fresh Span objects for the same mentions."""
    get_features = create_pair_features(FEATURE_BLOCKS)
    rng = random.Random(0)
    for doc in all_docs(rules_docs):
        pairs = every_typed_pair(doc)
        fresh = list(doc.ents)  # other Span objects for the same mentions
        position = {e.start: k for k, e in enumerate(doc.ents)}
        mixed = [rng.choice([(h, t), (fresh[position[h.start]], fresh[position[t.start]])])
                 for h, t in rng.choices(pairs, k=3 * len(pairs))]
        assert numpy.array_equal(get_features(doc, mixed), ref_features(doc, mixed, FEATURE_BLOCKS))


def test_features_of_no_pairs(rules_docs):
    features = create_pair_features(FEATURE_BLOCKS)(rules_docs[0], [])
    assert features.shape == (0, n_pair_features(len(FEATURE_BLOCKS))) and features.dtype == "f"


def test_feature_columns_that_the_docs_exercise(rules_docs):
    """The docs above are worth comparing on: most columns take both values somewhere."""
    columns = numpy.vstack([create_pair_features(FEATURE_BLOCKS)(doc, every_typed_pair(doc))
                            for doc in all_docs(rules_docs)])
    varied = (columns.min(axis=0) == 0) & (columns.max(axis=0) == 1)
    assert varied.mean() > 0.8


def ref_pool(vectors: numpy.ndarray, pairs) -> numpy.ndarray:
    return numpy.vstack([numpy.concatenate([vectors[h.start:h.end].mean(axis=0),
                                            vectors[t.start:t.end].mean(axis=0)])
                         for h, t in pairs])


def ref_unpool(d_pooled: numpy.ndarray, pairs, n_tokens: int) -> numpy.ndarray:
    width = d_pooled.shape[1] // 2
    d_vectors = numpy.zeros((n_tokens, width), dtype="f")
    for row, (head, tail) in enumerate(pairs):
        d_vectors[head.start:head.end] += d_pooled[row, :width] / (head.end - head.start)
        d_vectors[tail.start:tail.end] += d_pooled[row, width:] / (tail.end - tail.start)
    return d_vectors


def test_mean_pooling_matches_per_pair_means(rules_docs):
    ops = NumpyOps()
    rng = numpy.random.default_rng(0)
    for doc in all_docs(rules_docs):
        pairs = every_typed_pair(doc)
        vectors = rng.normal(size=(len(doc), 24)).astype("f")
        bounds = ops.asarray2i(pair_bounds(pairs))
        pooled = mean_pool_pairs(ops, vectors, bounds)
        assert pooled.dtype == "float32"
        numpy.testing.assert_allclose(pooled, ref_pool(vectors, pairs), rtol=1e-6, atol=1e-6)
        d_pooled = rng.normal(size=pooled.shape).astype("f")
        d_vectors = mean_pool_pairs_backward(ops, d_pooled, bounds, len(doc))
        assert d_vectors.dtype == "float32" and d_vectors.shape == vectors.shape
        numpy.testing.assert_allclose(d_vectors, ref_unpool(d_pooled, pairs, len(doc)),
                                      rtol=1e-5, atol=1e-5)
        # tokens outside every mention get no gradient at all
        outside = numpy.ones(len(doc), dtype=bool)
        for e in doc.ents:
            outside[e.start:e.end] = False
        assert not d_vectors[outside].any()


def test_pair_tensor_rows_and_gradients_follow_the_docs(rules_docs):
    """The model layer stacks [head mean, tail mean, features] doc after doc, with or
    without the pairs handed in, and sends each doc its own gradient rows."""
    docs = all_docs(rules_docs)
    rng = numpy.random.default_rng(1)
    tokvecs = [rng.normal(size=(len(doc), 8)).astype("f") for doc in docs]
    received = []

    def stub_forward(model, docs_in, is_train):
        assert list(docs_in) == docs
        return tokvecs, received.append

    get_pairs = create_candidate_pairs(20, LINKING_BLOCKS)
    get_features = create_pair_features(FEATURE_BLOCKS)
    layer = relation_model.create_pair_tensor(Model("stub_tok2vec", stub_forward), get_pairs,
                                              get_features)
    all_pairs = [get_pairs(doc) for doc in docs]
    expected = numpy.vstack([numpy.hstack([ref_pool(v, pairs), ref_features(doc, pairs, FEATURE_BLOCKS)])
                             for doc, v, pairs in zip(docs, tokvecs, all_pairs)])
    for X in (docs, (docs, all_pairs)):
        output, backprop = layer(X, is_train=True)
        numpy.testing.assert_allclose(output, expected, rtol=1e-6, atol=1e-6)
        d_output = rng.normal(size=output.shape).astype("f")
        backprop(d_output)
        row = 0
        for doc, pairs, d_vectors in zip(docs, all_pairs, received.pop()):
            d_pooled = d_output[row:row + len(pairs), :16]
            numpy.testing.assert_allclose(d_vectors, ref_unpool(d_pooled, pairs, len(doc)),
                                          rtol=1e-5, atol=1e-5)
            row += len(pairs)
        assert row == len(output)


def test_grad_factor_zero_hands_back_a_zero_gradient(rules_docs):
    """A shared tok2vec updates when its last listener hands a gradient back, so the
    relation model must still call back, with nothing in it, at grad_factor 0."""
    docs = all_docs(rules_docs)
    tokvecs = [numpy.ones((len(doc), 8), dtype="f") for doc in docs]
    received = []
    get_pairs = create_candidate_pairs(20, LINKING_BLOCKS)
    layer = relation_model.create_pair_tensor(
        Model("stub_tok2vec", lambda model, X, is_train: (tokvecs, received.append)),
        get_pairs, create_pair_features(FEATURE_BLOCKS), grad_factor=0.0)
    output, backprop = layer(docs, is_train=True)
    backprop(numpy.ones_like(output))
    assert len(received) == 1
    assert [d.shape for d in received[0]] == [v.shape for v in tokvecs]
    assert not any(d.any() for d in received[0])
