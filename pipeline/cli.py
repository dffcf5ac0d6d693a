"""The ``edgar-ie`` command line: thin typer commands over the library's functions."""
from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path
from typing import Dict, Optional

import typer
from spacy.cli._util import parse_config_overrides

from .corpus import CorpusError, read_gold
from .evaluation import predict_records
from .extraction import extract_folder
from .models import DEFAULT_MODEL, ModelNotFoundError, load_pipeline
from .scoring import format_tables, index_by_id, score

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Extract persons, firms, roles, dates, money and their relations "
                       "from SEC EDGAR filings.")


@app.callback()
def main(verbose: bool = typer.Option(False, "--verbose", "-v", help="Log progress details.")):
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


def _fail(message: str, code: int = 2) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


@app.command()
def extract(
    in_dir: Path = typer.Argument(..., help="Folder of filings (.txt, .htm, .html; recursive)."),
    output: Path = typer.Option(..., "--output", "-o", help="JSONL file to write."),
    model: str = typer.Option(DEFAULT_MODEL, "--model", "-m", help="'default', 'rules', or a path."),
    tables: Optional[Path] = typer.Option(None, "--tables", help="Also write entity and relation tables (CSV, Parquet) here."),
    n_process: int = typer.Option(1, "--n-process", min=1, help="Worker processes."),
    batch_size: int = typer.Option(16, "--batch-size", min=1, help="Documents per batch."),
    force: bool = typer.Option(False, "--force", "-f", help="Overwrite existing outputs."),
):
    """Extract entities and relations from every filing in a folder, one JSONL line each."""
    progress = None

    def on_start(total: int) -> None:
        nonlocal progress
        if sys.stderr.isatty():  # a bar only for a person watching, not in logs
            progress = typer.progressbar(length=total, label="extracting", file=sys.stderr)
            progress.__enter__()

    def on_failure(doc_id: str, why: str) -> None:
        typer.echo(f"skipped: {why}", err=True)

    try:
        summary = extract_folder(in_dir, output, model=model, tables=tables,
                                 n_process=n_process, batch_size=batch_size, force=force,
                                 on_start=on_start, on_failure=on_failure,
                                 on_progress=lambda n: progress.update(n) if progress else None)
    except (OSError, ModelNotFoundError) as err:  # OutputExistsError, a missing folder, ...
        _fail(str(err))
    finally:
        if progress is not None:
            progress.__exit__(None, None, None)
    typer.echo(f"{summary.documents} documents written to {output}, "
               f"{len(summary.failures)} skipped; {summary.words:,} words in "
               f"{summary.seconds:.1f} s ({summary.words_per_second:,.0f} words/s)", err=True)
    if summary.failures:
        raise typer.Exit(1)


def _read_predictions(path: Path) -> Dict[str, Dict]:
    records = {}
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                records[str(record["id"])] = record
            except (json.JSONDecodeError, KeyError, TypeError) as err:
                raise CorpusError(f"{path}:{number}: not a prediction record ({err})") from err
    return records


@app.command()
def evaluate(
    gold: Path = typer.Argument(..., help="Gold corpus JSONL."),
    model: Optional[str] = typer.Option(None, "--model", "-m", help="Run this model on the gold texts."),
    predictions: Optional[Path] = typer.Option(None, "--predictions", "-p", help="Score this extract output instead."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the metrics as JSON here."),
):
    """Per-label precision, recall and F1 of a model or of predictions against gold."""
    if (model is None) == (predictions is None):
        _fail("give exactly one of --model or --predictions")
    try:
        gold_docs = read_gold(gold)
        if predictions is not None:
            predicted = _read_predictions(predictions)
            seconds = None
        else:
            nlp = load_pipeline(model)
            started = time.perf_counter()
            predicted = index_by_id(predict_records(nlp, gold_docs))
            seconds = time.perf_counter() - started
    except (CorpusError, ModelNotFoundError, FileNotFoundError) as err:
        _fail(str(err))
    result = score(index_by_id(gold_docs), predicted)
    typer.echo(format_tables(result))
    if seconds:
        words = sum(len(g["text"].split()) for g in gold_docs)
        result["words_per_second"] = round(words / seconds)
        typer.echo(f"\nspeed: {words:,} words in {seconds:.1f} s ({words / seconds:,.0f} words/s)")
    if output is not None:
        output.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def train(
    ctx: typer.Context,
    config: Path = typer.Argument(..., exists=True, dir_okay=False, help="spaCy training config."),
    corpus: Path = typer.Option(..., "--corpus", help="Folder with train.jsonl and dev.jsonl."),
    output: Path = typer.Option(..., "--output", "-o", help="Folder for the trained pipeline."),
    gpu_id: int = typer.Option(-1, "--gpu-id", help="GPU to use, -1 for the CPU."),
):
    """Validate and convert a gold corpus, then train a pipeline (overrides: --section.key value)."""
    from .training import train_model

    overrides = parse_config_overrides(ctx.args)
    try:
        alignments = train_model(config, corpus, output, overrides=overrides, use_gpu=gpu_id)
    except CorpusError as err:
        _fail(str(err))
    for split, alignment in alignments.items():
        if alignment.misaligned:
            typer.echo(f"{split}: {len(alignment.misaligned)} of {alignment.total} gold spans "
                       f"do not align with tokens and were left out", err=True)


if __name__ == "__main__":
    app()
