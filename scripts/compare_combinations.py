"""Rerun the comparison behind the default model's design: how the trained components and
the rules combine, measured on the dev set with the FORMATS.md metric.

Every variant is the same trained pipeline arranged differently, so one training run
serves them all:

    python scripts/compare_combinations.py models/default --corpus ../shared/corpus
"""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Callable, Dict

import spacy
from spacy.language import Language

from pipeline.corpus import read_gold
from pipeline.evaluation import evaluate_pipeline
from pipeline.models import load_pipeline


def _merge_mode(mode: str, relation_model: bool = True,
                model_labels=None) -> Callable[[Path], Language]:
    def build(model: Path) -> Language:
        nlp = spacy.load(model, exclude=[] if relation_model else ["relation_extractor"])
        merge = nlp.get_pipe("entity_merge")
        merge.mode = mode
        merge.model_labels = None if model_labels is None else frozenset(model_labels)
        return nlp
    return build


def _trained_only(model: Path) -> Language:
    """The NER as trained (rule features in), relations from the relation model alone."""
    nlp = _merge_mode("model")(model)
    nlp.get_pipe("relation_extractor").cfg["combine"] = "model"
    return nlp


VARIANTS: Dict[str, Callable[[Path], Language]] = {
    "rules only": lambda model: load_pipeline("rules"),
    "NER (rule features) + relation model": _trained_only,
    "NER, rules fill in; relation rules": _merge_mode("rules_fill", relation_model=False),
    "NER, rules overwrite; relation rules": _merge_mode("rules_overwrite", relation_model=False),
    "NER alone; relation rules + model": _merge_mode("model"),
    "NER (all labels), rules overwrite; rules + model": _merge_mode("rules_overwrite"),
    "NER (PERSON, FIRM), rules overwrite; rules + model":
        _merge_mode("rules_overwrite", model_labels=["PERSON", "FIRM"]),
    "entity rules; relation rules + model (no NER)": lambda model: spacy.load(model, exclude=["ner"]),
    "as shipped": lambda model: spacy.load(model),
}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("model", type=Path)
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    parser.add_argument("--split", default="dev")
    args = parser.parse_args(argv)
    gold = read_gold(args.corpus / f"{args.split}.jsonl")
    print(f"{'variant':<52} {'ent P':>6} {'ent R':>6} {'ent F':>6} {'rel P':>6} {'rel R':>6} {'rel F':>6}")
    for name, build in VARIANTS.items():
        result = evaluate_pipeline(build(args.model), gold)
        e, r = result["entities"]["ALL"], result["relations"]["ALL"]
        print(f"{name:<52} {e['p']:>6.3f} {e['r']:>6.3f} {e['f']:>6.3f} "
              f"{r['p']:>6.3f} {r['r']:>6.3f} {r['f']:>6.3f}", flush=True)


if __name__ == "__main__":
    main()
