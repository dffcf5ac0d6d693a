"""``train``: validate a gold corpus, convert it to DocBin, and run spaCy's training loop.

Conversion uses the tokenizer of the config being trained, so alignment problems are
reported against exactly the tokens the model will see.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Dict, Optional

import spacy
from spacy.cli.train import train as spacy_train

from .corpus import Alignment, convert_file, read_gold

logger = logging.getLogger(__name__)


def validate_corpus(corpus_dir: Path) -> Dict[str, Path]:
    """Both splits exist and every line is usable; raises CorpusError otherwise."""
    splits = {split: Path(corpus_dir) / f"{split}.jsonl" for split in ("train", "dev")}
    for path in splits.values():
        read_gold(path)
    return splits


def convert_corpus(config_path: Path, corpus_dir: Path, target_dir: Path,
                   overrides: Optional[Dict] = None) -> Dict[str, Alignment]:
    """``train.jsonl``/``dev.jsonl`` -> ``train.spacy``/``dev.spacy`` in ``target_dir``."""
    splits = validate_corpus(corpus_dir)
    config = spacy.util.load_config(config_path, overrides=overrides or {}, interpolate=False)
    nlp = spacy.blank(config["nlp"]["lang"], config={"nlp": {"tokenizer": config["nlp"]["tokenizer"]}})
    return {split: convert_file(nlp, source, target_dir / f"{split}.spacy")
            for split, source in splits.items()}


def train_model(config_path: Path, corpus_dir: Path, output_dir: Path,
                overrides: Optional[Dict] = None, use_gpu: int = -1) -> Dict[str, Alignment]:
    """Train a pipeline from ``config_path`` on a gold corpus folder into ``output_dir``."""
    overrides = dict(overrides or {})
    output_dir = Path(output_dir)
    docbin_dir = output_dir / "corpus"
    alignments = convert_corpus(config_path, corpus_dir, docbin_dir, overrides)
    overrides.update({"paths.train": str(docbin_dir / "train.spacy"),
                      "paths.dev": str(docbin_dir / "dev.spacy")})
    spacy_train(config_path, output_dir, use_gpu=use_gpu, overrides=overrides)
    return alignments
