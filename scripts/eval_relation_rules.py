"""Relation rules with ORACLE entities: gold spans as ``doc.ents``, then layout + relation
rules, scored with the FORMATS.md metric (relations part).

    .venv/bin/python scripts/eval_relation_rules.py ../shared/corpus/dev.jsonl [--errors 8]
    [--doc ID] [--speed] [--predicted [--classify]]

``--predicted`` runs the whole rules pipeline instead (entities from the entity rules), and
``--classify`` sorts every end-to-end relation error by its cause: an endpoint entity
missing, mis-bounded or mislabelled in the prediction, a spurious predicted endpoint, or
the relation rule itself (split by whether the oracle run makes the same error).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import spacy
from spacy.util import filter_spans

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.records import doc_to_record  # noqa: E402
from pipeline.scoring import entity_keys, format_tables, normalize, relation_triples, score  # noqa: E402


def build_nlp():
    import pipeline.components.layout  # noqa: F401  (registers the factories)
    import pipeline.components.relation_rules  # noqa: F401
    nlp = spacy.blank("en")
    nlp.add_pipe("edgar_layout")
    nlp.add_pipe("edgar_relation_rules")
    return nlp


def gold_doc(nlp, gold):
    doc = nlp.make_doc(gold["text"])
    spans = []
    for e in gold["entities"]:
        span = doc.char_span(e["start"], e["end"], label=e["label"], alignment_mode="expand")
        if span is not None:
            spans.append(span)
    doc.ents = filter_spans(spans)
    return doc


def run(nlp, golds):
    preds = {}
    docs = {}
    for g in golds:
        doc = gold_doc(nlp, g)
        for _, proc in nlp.pipeline:
            doc = proc(doc)
        preds[g["id"]] = doc_to_record(g["id"], doc)
        docs[g["id"]] = doc
    return preds, docs


def run_predicted(golds):
    from pipeline.models import load_pipeline
    nlp = load_pipeline("rules")
    preds, docs = {}, {}
    for g, doc in zip(golds, nlp.pipe(g["text"] for g in golds)):
        preds[g["id"]] = doc_to_record(g["id"], doc)
        docs[g["id"]] = doc
    return preds, docs


def endpoint_status(gold, pred, key):
    """Why a gold entity (by its key) may be unusable in the prediction:
    ``ok`` (a predicted mention of the same label maps to it), ``mislabelled``,
    ``mis-bounded`` (a predicted mention overlaps one of its gold mentions), ``missing``."""
    keys = entity_keys(gold)
    gold_ments = [e for e in gold["entities"] if keys.get(normalize(e["text"])) == key]
    labels = {e["label"] for e in gold_ments}
    pred_ents = pred["entities"]
    if any(keys.get(normalize(e["text"])) == key and e["label"] in labels for e in pred_ents):
        return "ok"
    if any(keys.get(normalize(e["text"])) == key for e in pred_ents):
        return "mislabelled"
    for g in gold_ments:
        for e in pred_ents:
            if e["start"] < g["end"] and g["start"] < e["end"]:
                return "mislabelled" if e["label"] != g["label"] else "mis-bounded"
    return "missing"


def classify(golds, preds, oracle_preds):
    """Counts of end-to-end relation errors by cause, and the errors themselves."""
    counts = Counter()
    items = defaultdict(list)
    for g in golds:
        keys = entity_keys(g)
        gold_t = relation_triples(g, keys)
        pred_t = relation_triples(preds[g["id"]], keys)
        orc_t = relation_triples(oracle_preds[g["id"]], keys)
        for t in gold_t - pred_t:
            st = [endpoint_status(g, preds[g["id"]], k) for k in (t[0], t[2])]
            bad = [x for x in st if x != "ok"]
            if bad:
                kind = "FN endpoint " + bad[0]
            elif t in orc_t:
                kind = "FN rule (given predicted entities)"
            else:
                kind = "FN rule (oracle misses too)"
            counts[(t[1], kind)] += 1
            items[kind].append((g["id"], t))
        for t in pred_t - gold_t:
            if t[0].startswith("?") or t[2].startswith("?"):
                kind = "FP endpoint not a gold entity"
            elif t in orc_t:
                kind = "FP rule (oracle too)"
            else:
                kind = "FP rule (given predicted entities)"
            counts[(t[1], kind)] += 1
            items[kind].append((g["id"], t))
    return counts, items


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("path", type=Path)
    ap.add_argument("--errors", type=int, default=8, help="most frequent FP/FN per label")
    ap.add_argument("--doc", default=None, help="only this document id; print all its triples")
    ap.add_argument("--speed", action="store_true", help="time layout + relation rules")
    ap.add_argument("--predicted", action="store_true",
                    help="entities from the entity rules (the whole rules pipeline)")
    ap.add_argument("--classify", action="store_true",
                    help="with --predicted: relation errors by cause (entity or rule)")
    ap.add_argument("--show", type=int, default=0, help="with --classify: errors listed per cause")
    args = ap.parse_args(argv)

    golds = [json.loads(l) for l in args.path.open(encoding="utf-8") if l.strip()]
    if args.doc:
        golds = [g for g in golds if g["id"] == args.doc]
    nlp = build_nlp()
    preds, _ = run(nlp, golds)
    if args.predicted:
        oracle = preds
        preds, _ = run_predicted(golds)
    result = score({g["id"]: g for g in golds}, preds)
    print(format_tables({**result, "entities": {}} if not args.predicted else result))
    if args.predicted and args.classify:
        counts, items = classify(golds, preds, oracle)
        print("\nend-to-end relation errors by cause:")
        kinds = sorted({k for _, k in counts})
        for kind in kinds:
            per = {lab: c for (lab, k), c in counts.items() if k == kind}
            print(f"  {kind:<38} {sum(per.values()):4d}  " +
                  " ".join(f"{lab}={c}" for lab, c in sorted(per.items())))
            for doc_id, t in items[kind][:args.show]:
                print(f"      {doc_id}: {t[0]} -{t[1]}-> {t[2]}")

    fp_by, fn_by = defaultdict(Counter), defaultdict(Counter)
    per_doc = Counter()
    for g in golds:
        keys = entity_keys(g)
        gold_t = relation_triples(g, keys)
        pred_t = relation_triples(preds[g["id"]], keys)
        for t in pred_t - gold_t:
            fp_by[t[1]][(g["id"], t[0], t[2])] += 1
            per_doc[g["id"]] += 1
        for t in gold_t - pred_t:
            fn_by[t[1]][(g["id"], t[0], t[2])] += 1
            per_doc[g["id"]] += 1
        if args.doc:
            for t in sorted(gold_t | pred_t):
                mark = "TP" if t in gold_t and t in pred_t else ("FP" if t in pred_t else "FN")
                print(mark, t)
    if args.errors:
        for label in sorted(set(fp_by) | set(fn_by)):
            print(f"\n== {label}")
            for name, errs in (("FP", fp_by[label]), ("FN", fn_by[label])):
                for (doc_id, h, t), _ in errs.most_common(args.errors):
                    print(f"  {name} {doc_id}: {h} -> {t}")
        print("\nerrors per document:", per_doc.most_common(12))

    if args.speed:
        texts_docs = [gold_doc(nlp, g) for g in golds]
        words = sum(len(g["text"].split()) for g in golds)
        best = None
        for _ in range(3):
            docs = [gold_doc(nlp, g) for g in golds]
            started = time.perf_counter()
            for doc in docs:
                for _, proc in nlp.pipeline:
                    proc(doc)
            secs = time.perf_counter() - started
            best = secs if best is None else min(best, secs)
        print(f"\nspeed: {words} words in {best:.3f} s = {words / best:,.0f} words/s "
              f"(layout + relation rules, one core)")
        _ = texts_docs


if __name__ == "__main__":
    main()
