"""Copy a trained pipeline into ``models/NAME`` with a meta.json that states its training
data, dev scores (the FORMATS.md metric) and version.

The shipped model is replaced only when the new one scores better on dev (entity F1 +
relation F1), unless ``--force``: a retrain must never silently make the default worse.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
from pathlib import Path

import spacy
from spacy.cli._util import parse_config_overrides

import pipeline
from pipeline.corpus import read_gold
from pipeline.evaluation import evaluate_pipeline

MAX_MB = 25


def corpus_fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def combined(scores: dict) -> float:
    return scores["entities"]["ALL"]["f"] + scores["relations"]["ALL"]["f"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("source", type=Path, help="trained pipeline, e.g. training/default/model-best")
    parser.add_argument("target", type=Path, help="e.g. models/default")
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    parser.add_argument("--force", action="store_true", help="replace even if dev scores drop")
    args, extra = parser.parse_known_args(argv)
    # settings of untrained components chosen on dev, e.g. --components.entity_merge.mode
    overrides = parse_config_overrides(extra)
    nlp = spacy.load(args.source, config=overrides)

    dev = read_gold(args.corpus / "dev.jsonl")
    scores = evaluate_pipeline(nlp, dev)
    print(f"dev: entity F1 {scores['entities']['ALL']['f']:.4f}, "
          f"relation F1 {scores['relations']['ALL']['f']:.4f}")
    old_meta = args.target / "meta.json"
    if old_meta.is_file() and not args.force:
        old = json.loads(old_meta.read_text()).get("edgar_ie", {}).get("dev_scores")
        if old and combined(old) >= combined(scores):
            print(f"kept {args.target}: its dev scores are not lower "
                  f"({combined(old):.4f} >= {combined(scores):.4f}); --force to replace")
            return 1
    nlp.meta["name"] = args.target.name
    nlp.meta["version"] = pipeline.__version__
    nlp.meta["description"] = "edgar-ie default pipeline: CNN tok2vec + NER combined with entity and relation rules"
    nlp.meta["edgar_ie"] = {
        "training_data": {split: {"path": str(args.corpus / f"{split}.jsonl"),
                                  "documents": len(read_gold(args.corpus / f"{split}.jsonl")),
                                  "sha256_16": corpus_fingerprint(args.corpus / f"{split}.jsonl")}
                          for split in ("train", "dev")},
        # synthetic documents from templates (pipeline/augment.py), training only
        "synthetic_training_documents":
            dict(nlp.config.interpolate()["corpora"]["train"].get("augment") or {}),
        "dev_scores": {part: scores[part] for part in ("entities", "relations")},
    }
    tmp = args.target.with_name(args.target.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    nlp.to_disk(tmp)
    size_mb = sum(p.stat().st_size for p in tmp.rglob("*") if p.is_file()) / 2**20
    if size_mb > MAX_MB:
        shutil.rmtree(tmp)
        print(f"{args.source}: {size_mb:.1f} MB is over the {MAX_MB} MB limit", file=sys.stderr)
        return 1
    shutil.rmtree(args.target, ignore_errors=True)
    tmp.rename(args.target)
    print(f"wrote {args.target} ({size_mb:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
