"""The metric must agree with ../shared/tools/score.py number for number."""
from __future__ import annotations

import importlib.util
import json
import random

import pytest

from pipeline.scoring import normalize, score

from .conftest import SHARED_DIR, make_gold_doc, needs_shared


def _reference_scorer():
    spec = importlib.util.spec_from_file_location("reference_score", SHARED_DIR / "tools" / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _perturb(doc, rng: random.Random):
    """Drop, shift and relabel some entities; drop, rename and add some relations."""
    labels = ["PERSON", "FIRM", "ROLE", "DATE", "MONEY"]
    entities = []
    for ent in doc["entities"]:
        roll = rng.random()
        if roll < 0.15:
            continue
        ent = dict(ent)
        if roll < 0.3:
            ent["end"] = max(ent["start"] + 1, ent["end"] + rng.choice([-1, 1]))
        elif roll < 0.4:
            ent["label"] = rng.choice(labels)
        entities.append(ent)
    relations = []
    for rel in doc["relations"]:
        roll = rng.random()
        if roll < 0.2:
            continue
        rel = dict(rel)
        if roll < 0.3:
            rel["head"] = rel["head"].upper() + " Inc."
        elif roll < 0.4:
            rel["tail"] = "/s/ " + rel["tail"].lower()
        relations.append(rel)
        if roll > 0.9:
            relations.append({**rel, "label": "APPOINTS"})
    return {"id": doc["id"], "entities": entities, "relations": relations}


def test_normalize_matches_the_metric_definition():
    assert normalize("/s/ ImmunoGen, Inc.") == "immunogen inc"
    assert normalize("IMMUNOGEN INC") == "immunogen inc"
    assert normalize("$3.6\u00a0million") == "$3 6 million"
    assert normalize("10%_owner") == "10% owner"


def test_score_counts_tp_fp_fn_per_label():
    gold = make_gold_doc(1)
    pred = {"id": gold["id"], "entities": gold["entities"][1:],
            "relations": gold["relations"][:2] + [{"head": "Nobody", "label": "SIGNS", "tail": "x"}]}
    result = score({gold["id"]: gold}, {gold["id"]: pred})
    assert result["entities"]["ALL"]["fn"] == 1
    assert result["entities"]["ALL"]["fp"] == 0
    assert result["relations"]["SIGNS"] == {"p": 0.6667, "r": 1.0, "f": 0.8, "tp": 2, "fp": 1, "fn": 0}
    assert result["relations"]["ALL"]["fn"] == 3


def test_alias_groups_map_surface_forms_to_one_entity():
    gold = make_gold_doc(2)
    person = gold["relations"][0]["head"]
    surname = person.split()[-1]
    gold["aliases"] = [[person, surname]]
    pred = {"id": gold["id"], "entities": [],
            "relations": [{"head": surname, "label": "SIGNS", "tail": gold["relations"][0]["tail"]}]}
    assert score({gold["id"]: gold}, {gold["id"]: pred})["relations"]["SIGNS"]["tp"] == 1


def test_missing_prediction_counts_every_gold_item_as_missed():
    gold = make_gold_doc(3)
    result = score({gold["id"]: gold}, {})
    assert result["missing_predictions"] == [gold["id"]]
    assert result["entities"]["ALL"]["fn"] == len(gold["entities"])


@needs_shared
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_agrees_with_reference_scorer_on_perturbed_dev(seed):
    reference = _reference_scorer()
    gold = reference.read_jsonl(SHARED_DIR / "corpus" / "dev.jsonl")
    rng = random.Random(seed)
    pred = {doc_id: _perturb(doc, rng) for doc_id, doc in gold.items()}
    pred.pop(sorted(pred)[seed])  # one document without prediction
    ours = json.loads(json.dumps(score(gold, pred)))
    assert ours == reference.score(gold, pred)
    assert ours["relations"]["ALL"]["fp"] > 0 and ours["entities"]["ALL"]["fn"] > 0


@needs_shared
def test_agrees_with_reference_scorer_on_gold_itself():
    reference = _reference_scorer()
    gold = reference.read_jsonl(SHARED_DIR / "corpus" / "dev.jsonl")
    ours = score(gold, gold)
    assert ours == reference.score(gold, gold)
    assert ours["entities"]["ALL"]["f"] == 1.0
