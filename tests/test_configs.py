"""The shipped configs and model names resolve, and the variants differ only where they say."""
from __future__ import annotations

import importlib.util

import pytest
import spacy
from thinc.api import Config

from pipeline.models import ModelNotFoundError, load_pipeline
from pipeline.transformer import local_transformer

from .conftest import PROJECT_DIR

CONFIGS = PROJECT_DIR / "configs"


def _flatten(config, prefix=()):
    for key, value in config.items():
        if isinstance(value, dict):
            yield from _flatten(value, prefix + (key,))
        else:
            yield prefix + (key,), value


def test_trf_config_differs_from_default_only_in_the_embedding_layer():
    default = dict(_flatten(Config().from_disk(CONFIGS / "default.cfg", interpolate=False)))
    trf = dict(_flatten(Config().from_disk(CONFIGS / "trf.cfg", interpolate=False)))
    changed = {key for key in default.keys() | trf.keys() if default.get(key) != trf.get(key)}
    embedding = {("embedding",), ("components", "tok2vec", "model"), ("paths", "transformer")}
    assert changed
    assert all(any(key[:len(p)] == p for p in embedding) for key in changed), changed


@pytest.mark.parametrize("name", ["default.cfg", "trf.cfg", "rules.cfg"])
def test_every_config_builds_a_pipeline_from_registered_functions(name):
    """Entry points make the factories known without --code."""
    if name == "trf.cfg":
        pytest.importorskip("spacy_transformers")
    config = spacy.util.load_config(CONFIGS / name)
    nlp = spacy.util.load_model_from_config(config, auto_fill=True, validate=True)
    assert nlp.pipe_names == config["nlp"]["pipeline"]


def test_rules_is_a_model_name():
    nlp = load_pipeline("rules")
    assert nlp.pipe_names == ["entity_rules", "layout", "relation_rules"]
    doc = nlp("By: /s/ Jane Q. Roe\nName: Jane Q. Roe\nTitle: Chief Executive Officer\n")
    assert ("Jane Q. Roe", "PERSON") in {(e.text, e.label_) for e in doc.ents}


def test_unknown_model_names_what_was_asked(tmp_path):
    with pytest.raises(ModelNotFoundError, match="no-such-model"):
        load_pipeline("no-such-model")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelNotFoundError, match="no config.cfg"):
        load_pipeline(tmp_path / "empty")


def test_transformer_comes_from_a_local_folder_only(tmp_path):
    with pytest.raises(FileNotFoundError, match="--paths.transformer"):
        local_transformer(str(tmp_path))
    (tmp_path / "config.json").write_text("{}")
    assert local_transformer(str(tmp_path)) == str(tmp_path)


def _compare_combinations():
    spec = importlib.util.spec_from_file_location(
        "compare_combinations", PROJECT_DIR / "scripts" / "compare_combinations.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_combination_variant_sets_real_settings_of_the_default_pipeline():
    """A misspelt setting in configs/combinations.cfg would otherwise only fail in a rerun."""
    compare = _compare_combinations()
    config = spacy.util.load_config(CONFIGS / "default.cfg")
    nlp = spacy.util.load_model_from_config(config, auto_fill=True)
    variants = spacy.util.load_config(CONFIGS / "combinations.cfg")
    assert {v["base"] for v in variants.values()} == {"model", "rules"}
    for variant in variants.values():
        assert set(variant.get("exclude", [])) <= set(nlp.pipe_names)
        for name, settings in variant.items():
            if name not in compare.VARIANT_KEYS:
                for key, value in settings.items():
                    compare.configure(nlp.get_pipe(name), key, value)
    with pytest.raises(KeyError, match="no_such_setting"):
        compare.configure(nlp.get_pipe("entity_merge"), "no_such_setting", 1)
