"""Score the rule-based entity component alone on a gold corpus (dev script).

    python scripts/eval_entity_rules.py /work/shared/corpus/dev.jsonl [--errors 30] [--label ROLE]

Prints the per-label P/R/F1 table (the FORMATS.md metric), the most frequent false
positives and false negatives, and the speed of tokenizer + component in words/s.
"""
from __future__ import annotations

import argparse
import json
import time
from collections import Counter

import spacy

from pipeline.scoring import format_tables, score


def build_nlp(**config):
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "edgar_ie.Tokenizer.v1"}}})
    nlp.add_pipe("edgar_entity_rules", config=config)
    return nlp


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--errors", type=int, default=25)
    ap.add_argument("--label", default=None)
    ap.add_argument("--context", action="store_true", help="print errors with context")
    args = ap.parse_args()
    gold = [json.loads(line) for line in open(args.corpus, encoding="utf8") if line.strip()]
    nlp = build_nlp()
    texts = [g["text"] for g in gold]
    n_words = sum(len(t.split()) for t in texts)
    t0, c0 = time.perf_counter(), time.process_time()
    docs = list(nlp.pipe(texts, batch_size=16))
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    preds = {}
    fp, fn = Counter(), Counter()
    ctx_fp, ctx_fn = [], []
    for g, doc in zip(gold, docs):
        ents = [{"start": e.start_char, "end": e.end_char, "label": e.label_, "text": e.text}
                for e in doc.ents]
        preds[g["id"]] = {"id": g["id"], "entities": ents}
        gs = {(e["start"], e["end"], e["label"]) for e in g["entities"]}
        ps = {(e["start"], e["end"], e["label"]) for e in ents}
        t = g["text"]
        for s, e, lab in ps - gs:
            if args.label in (None, lab):
                fp[(lab, t[s:e])] += 1
                ctx_fp.append((g["id"], lab, repr(t[max(0, s - 40):s] + "[" + t[s:e] + "]" + t[e:e + 30])))
        for s, e, lab in gs - ps:
            if args.label in (None, lab):
                fn[(lab, t[s:e])] += 1
                ctx_fn.append((g["id"], lab, repr(t[max(0, s - 40):s] + "[" + t[s:e] + "]" + t[e:e + 30])))
    # a second, warm pass (vocab and tokenizer cache filled), as in a long-running process
    c1 = time.process_time()
    for _ in nlp.pipe(texts, batch_size=16):
        pass
    warm = time.process_time() - c1
    result = score({g["id"]: g for g in gold}, preds)
    print(format_tables({**result, "relations": {}}).split("\nrelations")[0])
    print(f"\nspeed: {n_words} words in {elapsed:.2f}s wall = {n_words / elapsed:,.0f} words/s; "
          f"{cpu:.2f}s CPU = {n_words / cpu:,.0f} words/s; warm pass {n_words / warm:,.0f} words/s CPU")
    print("\nmost frequent false positives:")
    for (lab, text), c in fp.most_common(args.errors):
        print(f"  {c:4d} {lab:7s} {text!r}")
    print("\nmost frequent false negatives:")
    for (lab, text), c in fn.most_common(args.errors):
        print(f"  {c:4d} {lab:7s} {text!r}")
    if args.context:
        print("\nFP in context:")
        for x in ctx_fp:
            print("  ", *x)
        print("\nFN in context:")
        for x in ctx_fn:
            print("  ", *x)


if __name__ == "__main__":
    main()
