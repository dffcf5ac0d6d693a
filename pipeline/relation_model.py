"""The trained relation model: thinc code, apart from the spaCy component that uses it.

An instance is an ordered pair of entity mentions whose types ANNOTATION.md allows for
some relation. Each instance is represented by the pooled token vectors of its two
mentions plus a small vector of layout and rule features (same block, distance, trigger
words, and whether the relation rules already asserted the pair), and scored for every
relation label at once.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Callable, Dict, List, Optional, Sequence, Tuple, Union

import numpy
import spacy
from spacy.attrs import LOWER, ORTH, SENT_START
from spacy.tokens import Doc, Span
from thinc.api import Dropout, Linear, Logistic, Model, Relu, chain
from thinc.types import Floats2d

from .aliases import AliasIndex
from .schema import RELATION_LABELS, RELATION_TYPES

Pair = Tuple[Span, Span]
GetPairs = Callable[[Doc], List[Pair]]
GetFeatures = Callable[[Doc, Sequence[Pair]], numpy.ndarray]
DocsWithPairs = Tuple[List[Doc], List[List[Pair]]]

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


@lru_cache(maxsize=65536)
def _trigger_kinds(lower: str) -> Tuple[int, ...]:
    """The trigger kinds a lower-case token form counts for (cached: forms repeat a lot)."""
    kinds = list(_EXACT_TRIGGERS.get(lower, []))
    kinds += [k for prefix, k in _PREFIX_TRIGGERS if lower.startswith(prefix)]
    return tuple(kinds)


def token_triggers(doc: Doc) -> numpy.ndarray:
    """Running counts of each trigger kind: row i counts tokens before token i.

    Reads the LOWER ids with ``doc.to_array`` and looks up each distinct form once:
    creating a Token object per token cost more than everything else here.
    """
    flags = numpy.zeros((len(doc) + 1, len(TRIGGER_NAMES)), dtype="int32")
    forms, form_of_token = numpy.unique(doc.to_array([LOWER]).reshape(-1), return_inverse=True)
    hits = [(row, kind) for row, form in enumerate(forms.tolist())
            for kind in _trigger_kinds(doc.vocab.strings[form])]
    if hits:
        form_flags = numpy.zeros((len(forms), len(TRIGGER_NAMES)), dtype="int32")
        form_flags[tuple(numpy.asarray(hits).T)] = 1
        flags[1:] = form_flags[form_of_token.reshape(-1)]
    return numpy.cumsum(flags, axis=0)


def _newline_counts(doc: Doc) -> numpy.ndarray:
    """Running count of tokens with a newline in their text: row i counts tokens before i.

    The text between two mentions holds a newline exactly when a token between them
    does: a token's trailing whitespace is at most one space (spaCy makes any other
    whitespace a token of its own), so this answers the same-line test without
    building ``doc.text``.
    """
    forms, form_of_token = numpy.unique(doc.to_array([ORTH]).reshape(-1), return_inverse=True)
    has_newline = numpy.asarray(["\n" in doc.vocab.strings[form] for form in forms.tolist()],
                                dtype=bool)
    counts = numpy.zeros(len(doc) + 1, dtype=numpy.intp)
    numpy.cumsum(has_newline[form_of_token.reshape(-1)], out=counts[1:])
    return counts


# (head label, tail label) combinations that some relation type allows
_ALLOWED_LABEL_PAIRS = frozenset((head, tail) for heads, tails in RELATION_TYPES.values()
                                 for head in heads for tail in tails)
# get_pairs scores this many head mentions at a time against all mentions, so that
# a long filing with thousands of mentions never needs a full mention x mention matrix
_HEAD_CHUNK = 512


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
        """Pairs (head, tail) in the order head index, then tail index (doc.ents order)."""
        ents = list(doc.ents)
        starts = numpy.asarray([e.start for e in ents], dtype=numpy.intp)
        label_ids, allowed = _allowed_label_table([e.label_ for e in ents])
        blocks = _blocks_holding(starts, _block_bounds(doc, linking))
        asserted = numpy.asarray(sorted(rule_linked_pairs(doc, ents)), dtype=numpy.intp).reshape(-1, 2)
        pairs = []
        for lo in range(0, len(ents), _HEAD_CHUNK):
            rows = numpy.arange(lo, min(lo + _HEAD_CHUNK, len(ents)))
            keep = numpy.abs(starts[rows, None] - starts[None, :]) <= max_distance
            keep |= _share_a_block(blocks[rows, None], blocks[None, :])
            mine = asserted[(asserted[:, 0] >= rows[0]) & (asserted[:, 0] <= rows[-1])]
            keep[mine[:, 0] - lo, mine[:, 1]] = True
            keep &= allowed[label_ids[rows, None], label_ids[None, :]]
            keep[rows - lo, rows] = False  # no mention pairs with itself
            heads, tails = numpy.nonzero(keep)  # row-major: the order of a nested loop
            pairs += [(ents[lo + i], ents[j]) for i, j in zip(heads.tolist(), tails.tolist())]
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


def _allowed_label_table(labels: Sequence[str]) -> Tuple[numpy.ndarray, numpy.ndarray]:
    """A small id for each label, and a table: may an id-a head relate to an id-b tail?"""
    names = list(dict.fromkeys(labels))
    id_of = {name: k for k, name in enumerate(names)}
    table = numpy.asarray([[(head, tail) in _ALLOWED_LABEL_PAIRS for tail in names]
                           for head in names], dtype=bool).reshape(len(names), len(names))
    return numpy.asarray([id_of[label] for label in labels], dtype=numpy.intp), table


def _block_bounds(doc: Doc, labels=None) -> numpy.ndarray:
    """(start, end) token offsets of the layout blocks (of ``labels``), in span order."""
    bounds = [(b.start, b.end) for b in doc.spans.get("blocks", [])
              if labels is None or b.label_ in labels]
    return numpy.asarray(bounds, dtype=numpy.intp).reshape(-1, 2)


def _blocks_holding(starts: numpy.ndarray, bounds: numpy.ndarray) -> numpy.ndarray:
    """The blocks that hold each token of ``starts``, as a (len(starts), depth) table of
    block indices padded with -1.

    Blocks nest (paragraphs inside items), so a token may lie in several; a padded
    table keeps long filings (thousands of paragraphs and mentions) small where a
    mention x block matrix would not. A block [start, end) holds a contiguous run of
    the sorted token offsets, found with two binary searches per block.
    """
    order = numpy.argsort(starts, kind="stable")
    first = numpy.searchsorted(starts[order], bounds[:, 0], side="left")
    stop = numpy.searchsorted(starts[order], bounds[:, 1], side="left")
    size = numpy.maximum(stop - first, 0)
    # one (token row, block) incidence per member of each run
    block = numpy.repeat(numpy.arange(len(bounds)), size)
    within = numpy.arange(size.sum()) - numpy.repeat(numpy.cumsum(size) - size, size)
    row = order[numpy.repeat(first, size) + within]
    depth = numpy.bincount(row, minlength=len(starts))
    table = numpy.full((len(starts), max(int(depth.max(initial=0)), 1)), -1, dtype=numpy.intp)
    by_row = numpy.argsort(row, kind="stable")
    column = numpy.arange(len(row)) - numpy.repeat(numpy.cumsum(depth) - depth, depth)
    table[row[by_row], column] = block[by_row]
    return table


def _share_a_block(a: numpy.ndarray, b: numpy.ndarray) -> numpy.ndarray:
    """Whether rows of two padded block tables (see _blocks_holding) have a block in
    common; broadcasts over all but the last axis."""
    same = (a[..., :, None] == b[..., None, :]) & (a[..., :, None] >= 0)
    return same.any(axis=(-2, -1))


@spacy.registry.misc("edgar_ie.pair_features.v1")
def create_pair_features(block_labels: List[str]) -> GetFeatures:
    """Layout, distance, trigger and rule-decision features of each pair, in [0, 1]."""
    block_slot = {label: i for i, label in enumerate(block_labels)}
    width = n_pair_features(len(block_labels))

    def get_features(doc: Doc, pairs: Sequence[Pair]) -> numpy.ndarray:
        if not pairs:
            return numpy.zeros((0, width), dtype="f")
        context = _DocContext(doc, block_slot)
        return _pair_features(context, _Mentions(pairs, context))

    return get_features


def n_pair_features(n_block_labels: int) -> int:
    return (len(HEAD_LABELS) + len(TAIL_LABELS) + 1 + len(DISTANCE_BUCKETS) + 1
            + len(BETWEEN_BUCKETS) + 1 + 3 + 2 * (n_block_labels + 1) + 2 * len(TRIGGERS)
            + len(RELATION_LABELS) + 2)


class _DocContext:
    """What every pair of one document looks up, computed once per document."""

    def __init__(self, doc: Doc, block_slot: Dict[str, int]):
        ents = list(doc.ents)
        blocks = list(doc.spans.get("blocks", []))
        self.block_bounds = _block_bounds(doc)
        # a block label outside the configured ones takes the last slot
        self.block_slots = numpy.asarray([block_slot.get(b.label_, len(block_slot)) for b in blocks],
                                         dtype=numpy.intp)
        self.n_block_slots = len(block_slot) + 1
        self.ent_starts = numpy.asarray([e.start for e in ents], dtype=numpy.intp)
        self.newline_counts = _newline_counts(doc)
        self.sent_of = _sentence_ids(doc)
        self.trigger_counts = token_triggers(doc)
        self.aliases = AliasIndex.from_mentions([(e.text, e.label_, e.start_char) for e in ents])
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


class _Mentions:
    """The distinct spans of a pair list as arrays, and the rows of each pair's head and
    tail (``head``, ``tail``).

    get_pairs hands out the same Span objects again and again (a mention takes part in
    dozens of pairs), so reading span attributes, texts and alias keys once per span
    object is what makes the per-pair work pure numpy.
    """

    def __init__(self, pairs: Sequence[Pair], ctx: _DocContext):
        spans = list({id(span): span for pair in pairs for span in pair}.values())
        row_of = {id(span): k for k, span in enumerate(spans)}
        self.head = numpy.asarray([row_of[id(head)] for head, _ in pairs], dtype=numpy.intp)
        self.tail = numpy.asarray([row_of[id(tail)] for _, tail in pairs], dtype=numpy.intp)
        self.start, self.end = numpy.asarray([(s.start, s.end) for s in spans], dtype=numpy.intp).T
        labels = [s.label_ for s in spans]
        texts = [s.text for s in spans]
        self.head_label = _label_index(labels, HEAD_LABELS)
        self.tail_label = _label_index(labels, TAIL_LABELS)
        self.capitalized = numpy.asarray([t[:1].isupper() for t in texts], dtype=bool)
        self.blocks = _blocks_holding(self.start, ctx.block_bounds)
        self.block_slots = numpy.zeros((len(spans), ctx.n_block_slots), dtype=bool)
        rows, depth = numpy.nonzero(self.blocks >= 0)
        self.block_slots[rows, ctx.block_slots[self.blocks[rows, depth]]] = True
        keys = [ctx.key(text, label) for text, label in zip(texts, labels)]
        key_ids: Dict = {}
        self.key = numpy.asarray([key_ids.setdefault(k, len(key_ids)) for k in keys], dtype=numpy.intp)
        self.n_keys = len(key_ids)
        # rule triples between keys of these spans, by relation label: head key id * n_keys + tail key id
        self.rule_codes = {label: [] for label in RELATION_LABELS}
        for head_key, label, tail_key in ctx.rule_triples:
            if head_key in key_ids and tail_key in key_ids and label in self.rule_codes:
                self.rule_codes[label].append(key_ids[head_key] * self.n_keys + key_ids[tail_key])


def _label_index(labels: Sequence[str], names: Sequence[str]) -> numpy.ndarray:
    """Position of each label in ``names``; -1 where absent (an error if a pair uses it)."""
    return numpy.asarray([names.index(label) if label in names else -1 for label in labels],
                         dtype=numpy.intp)


def _one_hot(index: numpy.ndarray, n: int, what: str = "value") -> numpy.ndarray:
    if len(index) and (index.min() < 0 or index.max() >= n):
        raise ValueError(f"{what} out of range for a one-hot feature")
    return numpy.eye(n, dtype=bool)[index]


def _bucket(values: numpy.ndarray, bounds: Sequence[int]) -> numpy.ndarray:
    """Index of the first bound >= each value; the last bucket also takes larger values."""
    return numpy.minimum(numpy.searchsorted(bounds, values, side="left"), len(bounds) - 1)


def _pair_features(ctx: _DocContext, m: _Mentions) -> numpy.ndarray:
    """The (n_pairs, n_pair_features) matrix, one column group per feature, in order:
    labels, order, distance, mentions between, same sentence / line / block, blocks of
    head and tail, triggers between and before, rule decisions, alias and case."""
    head, tail = m.head, m.tail
    head_first = m.start[head] < m.start[tail]
    # the mentions in text order; on equal starts the tail counts as the first
    first, second = numpy.where(head_first, head, tail), numpy.where(head_first, tail, head)
    first_start, first_end, second_start = m.start[first], m.end[first], m.start[second]
    gap = numpy.maximum(0, second_start - first_end)
    between = (numpy.searchsorted(ctx.ent_starts, second_start, side="left")
               - numpy.searchsorted(ctx.ent_starts, first_end, side="left"))
    if ctx.sent_of is None:
        same_sentence = numpy.zeros(len(head), dtype=bool)
    else:
        same_sentence = ctx.sent_of[m.start[head]] == ctx.sent_of[m.start[tail]]
    # no newline in text[first.end_char:second.start_char] (see _newline_counts)
    newlines = ctx.newline_counts
    same_line = newlines[second_start] <= newlines[numpy.minimum(first_end, second_start)]
    counts = ctx.trigger_counts
    triggers_between = counts[second_start] > counts[numpy.minimum(first_end, second_start)]
    triggers_before = counts[first_start] > counts[numpy.maximum(0, first_start - BEFORE_TOKENS)]
    pair_codes = m.key[head] * m.n_keys + m.key[tail]
    rule_decisions = numpy.stack([numpy.isin(pair_codes, m.rule_codes[label])
                                  for label in RELATION_LABELS], axis=1)
    columns = [
        _one_hot(m.head_label[head], len(HEAD_LABELS), "head label"),
        _one_hot(m.tail_label[tail], len(TAIL_LABELS), "tail label"),
        head_first,
        _one_hot(_bucket(gap, DISTANCE_BUCKETS), len(DISTANCE_BUCKETS)),
        gap > DISTANCE_BUCKETS[-1],
        _one_hot(_bucket(between, BETWEEN_BUCKETS), len(BETWEEN_BUCKETS)),
        between > BETWEEN_BUCKETS[-1],
        same_sentence,
        same_line,
        _share_a_block(m.blocks[head], m.blocks[tail]),
        m.block_slots[head],
        m.block_slots[tail],
        triggers_between,
        triggers_before,
        rule_decisions,
        m.key[head] == m.key[tail],
        m.capitalized[head] & m.capitalized[tail],
    ]
    return numpy.column_stack(columns).astype("f")


@spacy.registry.architectures("edgar_ie.RelationModel.v1")
def create_relation_model(tok2vec: Model[List[Doc], List[Floats2d]], get_pairs: GetPairs,
                          get_features: GetFeatures, hidden_width: int = 64,
                          dropout: float = 0.1, nO: Optional[int] = None) -> Model[List[Doc], Floats2d]:
    """Pair representations, then a one-hidden-layer multi-label classifier.

    The model takes a list of docs, or (docs, the ``get_pairs`` list of each doc), and
    scores every pair of every doc, in order.
    """
    return create_relation_model_v2(tok2vec, get_pairs, get_features, hidden_width,
                                    dropout, grad_factor=1.0, nO=nO)


@spacy.registry.architectures("edgar_ie.RelationModel.v2")
def create_relation_model_v2(tok2vec: Model[List[Doc], List[Floats2d]], get_pairs: GetPairs,
                             get_features: GetFeatures, hidden_width: int = 64,
                             dropout: float = 0.1, grad_factor: float = 1.0,
                             nO: Optional[int] = None) -> Model[List[Doc], Floats2d]:
    """As v1, with the gradient it passes to a shared ``tok2vec`` scaled by
    ``grad_factor``. At 0 the token vectors are the NER's alone and the relation model
    reads them as they are: its pair features carry most of its decisions, and on dev
    that gave the better relations (micro-F1 0.901 against 0.898 at 1, entities equal)."""
    instances = create_pair_tensor(tok2vec, get_pairs, get_features, grad_factor)
    classifier = chain(Relu(nO=hidden_width), Dropout(dropout), Linear(nO=nO), Logistic())
    model = chain(instances, classifier)
    model.attrs["get_pairs"] = get_pairs
    return model


def create_pair_tensor(tok2vec: Model, get_pairs: GetPairs, get_features: GetFeatures,
                       grad_factor: float = 1.0) -> Model[List[Doc], Floats2d]:
    return Model("edgar_pair_tensor", _pair_tensor_forward, layers=[tok2vec],
                 refs={"tok2vec": tok2vec}, init=_pair_tensor_init,
                 attrs={"get_pairs": get_pairs, "get_features": get_features,
                        "grad_factor": grad_factor})


def _pair_tensor_init(model: Model, X=None, Y=None) -> Model:
    if X is not None:
        model.get_ref("tok2vec").initialize(_docs_and_pairs(model, X)[0])
    return model


def _docs_and_pairs(model: Model, X: Union[List[Doc], DocsWithPairs]) -> DocsWithPairs:
    """The docs and the candidate pairs of each. Callers that list the pairs anyway (the
    component reads its scores back by pair) pass them along, so get_pairs runs once."""
    if isinstance(X, tuple) and len(X) == 2 and not isinstance(X[0], Doc):
        return X
    return list(X), [model.attrs["get_pairs"](doc) for doc in X]


def _pair_tensor_forward(model: Model, X: Union[List[Doc], DocsWithPairs], is_train: bool):
    """[mean(head vectors), mean(tail vectors), features] for every pair of every doc.

    X is a list of docs, or (docs, the get_pairs list of each doc).
    """
    docs, all_pairs = _docs_and_pairs(model, X)
    tokvecs, backprop_tok2vec = model.get_ref("tok2vec")(docs, is_train)
    get_features = model.attrs["get_features"]
    ops = model.ops
    width = tokvecs[0].shape[1] if tokvecs else 0
    feats = [ops.asarray2f(get_features(doc, pairs)) for doc, pairs in zip(docs, all_pairs)]
    n = sum(len(p) for p in all_pairs)
    if n == 0:
        output = ops.alloc2f(0, 2 * width + feats[0].shape[1] if feats else 0)
        return output, lambda d_output: backprop_tok2vec([ops.alloc2f(*v.shape) for v in tokvecs])
    bounds = [ops.asarray2i(pair_bounds(pairs)) for pairs in all_pairs]
    pooled = [mean_pool_pairs(ops, vectors, b) for vectors, b in zip(tokvecs, bounds)]
    output = ops.xp.vstack([ops.xp.hstack([p, f]) for p, f in zip(pooled, feats)])

    def backprop(d_output: Floats2d) -> List[Doc]:
        # a shared tok2vec updates when its last listener hands its gradient back, so
        # even a gradient scaled to nothing is handed back
        grad_factor = model.attrs.get("grad_factor", 1.0)
        d_tokvecs, row = [], 0
        for vectors, b in zip(tokvecs, bounds):
            d_pooled = d_output[row:row + len(b), :2 * width] * grad_factor
            d_tokvecs.append(mean_pool_pairs_backward(ops, d_pooled, b, vectors.shape[0]))
            row += len(b)
        return backprop_tok2vec(d_tokvecs)

    return output, backprop


def pair_bounds(pairs: Sequence[Pair]) -> numpy.ndarray:
    """(n_pairs, 4) token offsets: head start, head end, tail start, tail end."""
    return numpy.asarray([(h.start, h.end, t.start, t.end) for h, t in pairs],
                         dtype="int32").reshape(-1, 4)


def mean_pool_pairs(ops, vectors: Floats2d, bounds) -> Floats2d:
    """(n_pairs, 2 * width): the mean token vector of each head, then of each tail.

    Differences of a running sum over the tokens give every span mean at once; the sum
    runs in float64 so that the differences lose nothing to cancellation on long docs.
    """
    xp = ops.xp
    sums = xp.zeros((vectors.shape[0] + 1, vectors.shape[1]), dtype="float64")
    xp.cumsum(vectors, axis=0, dtype="float64", out=sums[1:])
    means = []
    for start, end in ((bounds[:, 0], bounds[:, 1]), (bounds[:, 2], bounds[:, 3])):
        means.append((sums[end] - sums[start]) / (end - start)[:, None])
    return xp.hstack(means).astype("float32")


def mean_pool_pairs_backward(ops, d_pooled: Floats2d, bounds, n_tokens: int) -> Floats2d:
    """Gradient of mean_pool_pairs for the token vectors: each token of a span gets the
    span's gradient divided by its length.

    Built as a difference array (+share at the span start, -share at its end, then a
    running sum over the tokens) so that no Python loop runs over the pairs.
    """
    xp = ops.xp
    width = d_pooled.shape[1] // 2
    delta = xp.zeros((n_tokens + 1, width), dtype="float64")
    for column, (start, end) in enumerate(((bounds[:, 0], bounds[:, 1]), (bounds[:, 2], bounds[:, 3]))):
        share = d_pooled[:, column * width:(column + 1) * width] / (end - start)[:, None]
        ops.scatter_add(delta, start, share.astype("float64"))
        ops.scatter_add(delta, end, -share.astype("float64"))
    return xp.cumsum(delta, axis=0)[:-1].astype("float32")
