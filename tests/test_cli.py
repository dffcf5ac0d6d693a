"""The ``edgar-ie`` commands, driven through typer's CliRunner."""
from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.scoring import score

from .conftest import PROJECT_DIR, make_gold_doc, write_jsonl

runner = CliRunner()


@pytest.fixture
def filings(tmp_path):
    """A folder with two good filings (one nested, one HTML) and two bad ones."""
    folder = tmp_path / "filings"
    (folder / "nested").mkdir(parents=True)
    (folder / "a.txt").write_text(make_gold_doc(0)["text"], encoding="utf-8")
    html = "<html><body><p>Harrow Mills Corp. announced results.</p><p>By: /s/ Jane Q. Roe</p></body></html>"
    (folder / "nested" / "b.htm").write_text(html, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 100)
    return folder


def _lines(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_extract_writes_one_record_per_readable_file_and_reports_the_rest(filings, tmp_path):
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["extract", str(filings), "--output", str(out), "--model", "rules"])
    assert result.exit_code == 1, result.output
    records = {r["id"]: r for r in _lines(out)}
    assert set(records) == {"a", "nested/b"}
    for record in records.values():
        assert {"id", "entities", "relations"} <= set(record)
    assert "text" not in records["a"]  # a plain file: offsets refer to the file itself
    assert records["nested/b"]["text"].startswith("Harrow Mills Corp.")
    text = (filings / "a.txt").read_text(encoding="utf-8")
    for ent in records["a"]["entities"]:
        assert text[ent["start"]:ent["end"]] == ent["text"]
    for rel in records["a"]["relations"]:
        assert {"head", "head_label", "label", "tail", "tail_label"} <= set(rel)
    stderr = result.stderr
    assert "empty.txt" in stderr and "binary.txt" in stderr


def test_extract_refuses_to_overwrite_without_force(filings, tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text("keep me\n", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(filings), "-o", str(out), "--model", "rules"])
    assert result.exit_code == 2
    assert "already exists" in result.stderr and "--force" in result.stderr
    assert out.read_text(encoding="utf-8") == "keep me\n"
    result = runner.invoke(app, ["extract", str(filings), "-o", str(out), "--model", "rules", "--force"])
    assert result.exit_code == 1 and len(_lines(out)) == 2


def test_extract_writes_entity_and_relation_tables(filings, tmp_path):
    out, tables = tmp_path / "out.jsonl", tmp_path / "tables"
    runner.invoke(app, ["extract", str(filings), "-o", str(out), "--model", "rules",
                        "--tables", str(tables)])
    records = _lines(out)
    entities = pd.read_parquet(tables / "entities.parquet")
    assert len(entities) == sum(len(r["entities"]) for r in records)
    assert set(entities["document_id"]) <= {"a", "nested/b"}
    assert pd.read_csv(tables / "entities.csv").shape == entities.shape
    relations = pd.read_parquet(tables / "relations.parquet")
    assert list(relations.columns)[:6] == ["document_id", "head", "head_label", "label", "tail", "tail_label"]
    assert len(relations) == sum(len(r["relations"]) for r in records)


def test_extract_with_two_processes_gives_the_same_records(filings, tmp_path):
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    runner.invoke(app, ["extract", str(filings), "-o", str(one), "--model", "rules"])
    runner.invoke(app, ["extract", str(filings), "-o", str(two), "--model", "rules",
                        "--n-process", "2", "--batch-size", "1"])
    assert _lines(one) == _lines(two)


def test_missing_model_is_one_clear_line(filings, tmp_path):
    result = runner.invoke(app, ["extract", str(filings), "-o", str(tmp_path / "x.jsonl"),
                                 "--model", str(tmp_path / "no-such-model")])
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0 and "no-such-model" in result.stderr
    assert not (tmp_path / "x.jsonl").exists()


def test_evaluate_predictions_matches_the_metric_and_writes_json(tmp_path):
    gold_docs = [make_gold_doc(i) for i in range(3)]
    gold = write_jsonl(tmp_path / "gold.jsonl", gold_docs)
    pred_docs = [{"id": d["id"], "entities": d["entities"][:-1], "relations": d["relations"][1:]}
                 for d in gold_docs]
    pred = write_jsonl(tmp_path / "pred.jsonl", pred_docs)
    metrics = tmp_path / "metrics.json"
    result = runner.invoke(app, ["evaluate", str(gold), "--predictions", str(pred), "-o", str(metrics)])
    assert result.exit_code == 0, result.output
    expected = score({d["id"]: d for d in gold_docs}, {d["id"]: d for d in pred_docs})
    assert json.loads(metrics.read_text()) == json.loads(json.dumps(expected))
    assert f"{expected['entities']['ALL']['f']:.3f}" in result.stdout


def test_evaluate_needs_exactly_one_source(tmp_path):
    gold = write_jsonl(tmp_path / "gold.jsonl", [make_gold_doc(0)])
    assert runner.invoke(app, ["evaluate", str(gold)]).exit_code == 2
    both = runner.invoke(app, ["evaluate", str(gold), "-m", "rules", "-p", str(gold)])
    assert both.exit_code == 2 and "exactly one" in both.stderr


def test_evaluate_reports_a_broken_prediction_line(tmp_path):
    gold = write_jsonl(tmp_path / "gold.jsonl", [make_gold_doc(0)])
    pred = tmp_path / "pred.jsonl"
    pred.write_text('{"id": "x", "entities": []}\n{broken\n', encoding="utf-8")
    result = runner.invoke(app, ["evaluate", str(gold), "-p", str(pred)])
    assert result.exit_code == 2 and f"{pred}:2" in result.stderr


def test_train_validates_the_corpus_before_training(tiny_corpus, tmp_path):
    broken = make_gold_doc(20)
    broken["entities"][0]["label"] = "COMPANY"
    with (tiny_corpus / "dev.jsonl").open("a", encoding="utf-8") as dev:
        dev.write(json.dumps(broken) + "\n")
    result = runner.invoke(app, ["train", str(PROJECT_DIR / "configs" / "default.cfg"), "--corpus", str(tiny_corpus),
                                 "--output", str(tmp_path / "model")])
    assert result.exit_code == 2
    assert f"{tiny_corpus / 'dev.jsonl'}:5: entity label 'COMPANY'" in result.stderr
    assert not (tmp_path / "model" / "model-last").exists()
