"""Combining two sets of entity spans: the one rule every combining component follows."""
from __future__ import annotations

from typing import Iterable, List

from spacy.tokens import Doc, Span
from spacy.util import filter_spans


def merge_spans(preferred: Iterable[Span], others: Iterable[Span]) -> List[Span]:
    """All ``preferred`` spans, plus the ``others`` that overlap none of them."""
    preferred = list(preferred)
    taken = set()
    for span in preferred:
        taken.update(range(span.start, span.end))
    kept = [s for s in others if taken.isdisjoint(range(s.start, s.end))]
    return sorted(filter_spans(preferred + kept), key=lambda s: s.start)


def set_entities(doc: Doc, spans: List[Span]) -> None:
    """Set ``doc.ents``; on a doc with no entity annotation yet, tokens outside the spans
    stay unannotated, so that a NER downstream may still find entities there."""
    if doc.has_annotation("ENT_IOB"):
        doc.ents = spans
    else:
        doc.set_ents(spans, default="unmodified")
