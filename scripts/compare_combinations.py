"""Rerun the comparison behind the default model's design: how the trained components and
the rules combine, measured on the dev set with the FORMATS.md metric.

The variants are data, in ``configs/combinations.cfg``; each is the same trained
pipeline with other settings, so one training run serves them all:

    python scripts/compare_combinations.py models/default --corpus ../shared/corpus
"""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, Dict

import spacy
from spacy.language import Language

from pipeline.corpus import read_gold
from pipeline.evaluation import evaluate_pipeline
from pipeline.models import load_pipeline

VARIANTS = Path(__file__).resolve().parent.parent / "configs" / "combinations.cfg"
VARIANT_KEYS = {"title", "base", "exclude"}


def build_variant(model: Path, variant: Dict[str, Any]) -> Language:
    """The pipeline of one variant: ``base``, less ``exclude``, with component settings."""
    if variant["base"] == "rules":
        return load_pipeline("rules")
    nlp = spacy.load(model, exclude=variant.get("exclude", []))
    for name, settings in variant.items():
        if name in VARIANT_KEYS:
            continue
        component = nlp.get_pipe(name)
        for key, value in settings.items():
            configure(component, key, value)
    return nlp


def configure(component: Any, key: str, value: Any) -> None:
    """Set one config value on a built component: in its ``cfg`` (trainable components
    keep their settings there) or as the attribute of that name."""
    if isinstance(getattr(component, "cfg", None), dict) and key in component.cfg:
        component.cfg[key] = value
    elif hasattr(component, key):
        setattr(component, key, value)
    else:
        raise KeyError(f"{type(component).__name__} has no setting {key!r}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("model", type=Path)
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    parser.add_argument("--split", default="dev")
    parser.add_argument("--variants", type=Path, default=VARIANTS)
    args = parser.parse_args(argv)
    gold = read_gold(args.corpus / f"{args.split}.jsonl")
    variants = spacy.util.load_config(args.variants)
    print(f"{'variant':<52} {'ent P':>6} {'ent R':>6} {'ent F':>6} {'rel P':>6} {'rel R':>6} {'rel F':>6}")
    for variant in variants.values():
        result = evaluate_pipeline(build_variant(args.model, variant), gold)
        e, r = result["entities"]["ALL"], result["relations"]["ALL"]
        print(f"{variant['title']:<52} {e['p']:>6.3f} {e['r']:>6.3f} {e['f']:>6.3f} "
              f"{r['p']:>6.3f} {r['r']:>6.3f} {r['f']:>6.3f}", flush=True)


if __name__ == "__main__":
    main()
