"""The label set of ANNOTATION.md and the shape of a predicted relation.

Every component and the output writer import the labels from here, so that the
contract with ``../shared/spec`` lives in one place.
"""
from __future__ import annotations

from typing import Dict, FrozenSet, Optional, Tuple, TypedDict

from spacy.tokens import Doc

ENTITY_LABELS: Tuple[str, ...] = ("PERSON", "FIRM", "ROLE", "DATE", "MONEY")

# label -> (allowed head labels, allowed tail labels)
RELATION_TYPES: Dict[str, Tuple[FrozenSet[str], FrozenSet[str]]] = {
    "APPOINTS": (frozenset({"PERSON", "FIRM"}), frozenset({"PERSON", "FIRM"})),
    "SIGNS": (frozenset({"PERSON"}), frozenset({"FIRM", "DATE"})),
    "ISSUES_DEBENTURES": (frozenset({"FIRM"}), frozenset({"MONEY"})),
    "HAS_ROLE": (frozenset({"PERSON"}), frozenset({"ROLE"})),
    "AFFILIATED_WITH": (frozenset({"PERSON"}), frozenset({"FIRM"})),
}
RELATION_LABELS: Tuple[str, ...] = tuple(RELATION_TYPES)


class Relation(TypedDict, total=False):
    """A document-level relation as ``extract`` writes it.

    A plain dict (not a class instance) so that it survives DocBin and
    multiprocessing serialization unchanged.
    """

    head: str
    head_label: str
    label: str
    tail: str
    tail_label: str
    score: float
    evidence: Tuple[int, int]  # character offsets of the sentence/block stating it
    source: str  # which component decided it ("rules", "model")


def allowed(label: str, head_label: str, tail_label: str) -> bool:
    """Whether ANNOTATION.md permits this relation between these entity types."""
    heads, tails = RELATION_TYPES[label]
    return head_label in heads and tail_label in tails


def make_relation(head: str, head_label: str, label: str, tail: str, tail_label: str,
                  score: float = 1.0, evidence: Optional[Tuple[int, int]] = None,
                  source: str = "rules") -> Relation:
    rel: Relation = {"head": head, "head_label": head_label, "label": label,
                     "tail": tail, "tail_label": tail_label, "score": round(float(score), 4),
                     "source": source}
    if evidence is not None:
        rel["evidence"] = (int(evidence[0]), int(evidence[1]))
    return rel


def register_extensions() -> None:
    """``doc._.relations`` holds the document's relations (a list of Relation)."""
    if not Doc.has_extension("relations"):
        Doc.set_extension("relations", default=None)


register_extensions()
