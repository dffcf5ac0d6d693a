"""The metric of FORMATS.md: micro P/R/F1 over entity mentions and relation triples.

It must agree number for number with ``../shared/tools/score.py``; a test checks that.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from typing import Dict, Iterable, Mapping, Set, Tuple

Triple = Tuple[str, str, str]


def normalize(surface: str) -> str:
    """Relation endpoints are compared on a case- and punctuation-free form."""
    s = unicodedata.normalize("NFKC", surface).lower().strip()
    s = re.sub(r"^/s/\s*", "", s)
    s = re.sub(r"[^\w$%\s]|_", " ", s)
    return " ".join(s.split())


def entity_keys(gold: Mapping) -> Dict[str, str]:
    """Normalized surface form -> entity key, from alias groups then gold mentions."""
    keys: Dict[str, str] = {}
    for group in gold.get("aliases", []):
        key = normalize(group[0])
        for surface in group:
            keys[normalize(surface)] = key
    for ent in gold.get("entities", []):
        keys.setdefault(normalize(ent["text"]), normalize(ent["text"]))
    return keys


def relation_triples(doc: Mapping, keys: Mapping[str, str]) -> Set[Triple]:
    out: Set[Triple] = set()
    for rel in doc.get("relations", []):
        head, tail = normalize(rel["head"]), normalize(rel["tail"])
        out.add((keys.get(head, "?" + head), rel["label"], keys.get(tail, "?" + tail)))
    return out


def prf(tp: int, fp: int, fn: int) -> Dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f": round(f, 4), "tp": tp, "fp": fp, "fn": fn}


def _table(counts: Mapping[str, Counter]) -> Dict[str, Dict[str, float]]:
    total: Counter = sum(counts.values(), Counter())
    rows = {label: prf(c["tp"], c["fp"], c["fn"]) for label, c in sorted(counts.items())}
    rows["ALL"] = prf(total["tp"], total["fp"], total["fn"])
    return rows


def _count(counts: Dict[str, Counter], gold: Set, pred: Set, label_of) -> None:
    for kind, items in (("tp", gold & pred), ("fp", pred - gold), ("fn", gold - pred)):
        for item in items:
            counts[label_of(item)][kind] += 1


def score(gold_docs: Mapping[str, Mapping], pred_docs: Mapping[str, Mapping]) -> Dict:
    """Score predictions (by document id) against gold documents (by id)."""
    ents: Dict[str, Counter] = defaultdict(Counter)
    rels: Dict[str, Counter] = defaultdict(Counter)
    for doc_id, gold in gold_docs.items():
        pred = pred_docs.get(doc_id, {})
        gold_spans = {(e["start"], e["end"], e["label"]) for e in gold.get("entities", [])}
        pred_spans = {(e["start"], e["end"], e["label"]) for e in pred.get("entities", [])}
        _count(ents, gold_spans, pred_spans, lambda item: item[2])
        keys = entity_keys(gold)
        _count(rels, relation_triples(gold, keys), relation_triples(pred, keys),
               lambda item: item[1])
    return {"documents": len(gold_docs),
            "missing_predictions": sorted(set(gold_docs) - set(pred_docs)),
            "entities": _table(ents), "relations": _table(rels)}


def format_tables(result: Mapping) -> str:
    """The per-label tables as text, in the layout of the reference scorer."""
    lines = [f"documents: {result['documents']}  without prediction: "
             f"{len(result['missing_predictions'])}"]
    for part in ("entities", "relations"):
        lines.append(f"\n{part:<18} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'fp':>5} {'fn':>5}")
        for label, m in result[part].items():
            lines.append(f"{label:<18} {m['p']:>6.3f} {m['r']:>6.3f} {m['f']:>6.3f} "
                         f"{m['tp']:>5} {m['fp']:>5} {m['fn']:>5}")
    return "\n".join(lines)


def index_by_id(records: Iterable[Mapping]) -> Dict[str, Mapping]:
    return {str(r["id"]): r for r in records}
