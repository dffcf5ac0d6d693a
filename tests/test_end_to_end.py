"""Train a tiny model on documents written here, extract with it, and evaluate it."""
from __future__ import annotations

import json

import spacy
from typer.testing import CliRunner

from pipeline.cli import app

from .conftest import PROJECT_DIR

runner = CliRunner()

# Small enough to train in seconds; the real settings live in configs/default.cfg.
TINY = ["--training.max_steps", "30", "--training.eval_frequency", "15",
        "--embedding.width", "32",
        "--components.tok2vec.model.encode.depth", "2",
        "--corpora.train.augment.n_docs", "10"]


def test_train_extract_evaluate(tiny_corpus, tmp_path):
    model_dir = tmp_path / "model"
    trained = runner.invoke(app, ["train", str(PROJECT_DIR / "configs" / "default.cfg"),
                                  "--corpus", str(tiny_corpus), "--output", str(model_dir), *TINY])
    assert trained.exit_code == 0, trained.output
    best = model_dir / "model-best"
    nlp = spacy.load(best)
    assert {"ner", "entity_rules", "relation_rules"} <= set(nlp.pipe_names)
    assert set(nlp.get_pipe("ner").labels) == {"PERSON", "FIRM", "ROLE", "DATE", "MONEY"}

    texts = tmp_path / "texts"
    texts.mkdir()
    dev = [json.loads(line) for line in (tiny_corpus / "dev.jsonl").read_text().splitlines()]
    for doc in dev:
        (texts / f"{doc['id']}.txt").write_text(doc["text"], encoding="utf-8")
    out = tmp_path / "pred.jsonl"
    extracted = runner.invoke(app, ["extract", str(texts), "-o", str(out), "--model", str(best)])
    assert extracted.exit_code == 0, extracted.output

    metrics = tmp_path / "metrics.json"
    evaluated = runner.invoke(app, ["evaluate", str(tiny_corpus / "dev.jsonl"), "-p", str(out),
                                    "-o", str(metrics)])
    assert evaluated.exit_code == 0, evaluated.output
    result = json.loads(metrics.read_text())
    assert result["missing_predictions"] == []
    # The rules alone find the firms, dates and money of these signed notices.
    assert result["entities"]["ALL"]["f"] > 0.5
    assert result["relations"]["ALL"]["tp"] > 0
