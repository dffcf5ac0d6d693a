"""Where a ``--model`` argument points: a shipped name, a folder, or an installed package.

``rules`` is built from ``configs/rules.cfg`` at load time rather than stored, so the
pattern files in the package are the only copy of the rules.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Union

import spacy
from spacy.language import Language

logger = logging.getLogger(__name__)

PROJECT_DIR = Path(__file__).resolve().parent.parent
MODELS_DIR = PROJECT_DIR / "models"
CONFIGS_DIR = PROJECT_DIR / "configs"
RULES_CONFIG = CONFIGS_DIR / "rules.cfg"
DEFAULT_MODEL = "default"
MAX_TEXT_CHARS = 3_000_000  # a long 10-K with exhibits; beyond this memory use grows fast


class ModelNotFoundError(LookupError):
    """A ``--model`` value that names nothing loadable."""


def load_pipeline(name: Union[str, Path] = DEFAULT_MODEL) -> Language:
    """``rules``, ``default`` (``models/default``), a pipeline folder, or a package name."""
    nlp = _load(str(name))
    nlp.max_length = max(nlp.max_length, MAX_TEXT_CHARS)
    return nlp


def _load(name: str) -> Language:
    if name == "rules":
        return build_rules_pipeline()
    shipped = MODELS_DIR / name
    if "/" not in name and (shipped / "config.cfg").is_file():
        return spacy.load(shipped)
    path = Path(name)
    if path.exists():
        if not (path / "config.cfg").is_file():
            raise ModelNotFoundError(f"{path}: not a spaCy pipeline folder (no config.cfg)")
        return spacy.load(path)
    if spacy.util.is_package(name):
        return spacy.load(name)
    raise ModelNotFoundError(
        f"model {name!r} not found: give 'rules', 'default', a pipeline folder, "
        f"or an installed pipeline package (shipped models are in {MODELS_DIR})")


def build_rules_pipeline() -> Language:
    if not RULES_CONFIG.is_file():
        raise ModelNotFoundError(f"{RULES_CONFIG}: the rules pipeline's config is missing")
    config = spacy.util.load_config(RULES_CONFIG)
    return spacy.util.load_model_from_config(config, auto_fill=True, validate=True)
