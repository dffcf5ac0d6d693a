"""``extract`` over a folder: read each filing, run the pipeline, stream JSONL (and tables).

A file that cannot be read or processed is reported and skipped; the output is written
to a temporary file and moved into place only when the run ends, so an interrupted run
never leaves a half-written output behind or clobbers an earlier one.
"""
from __future__ import annotations

import json
import logging
import multiprocessing
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

from spacy.language import Language

from .models import load_pipeline
from .readers import ReaderError, document_id, iter_input_files, read_document
from .records import doc_to_record
from .tables import TableWriter, table_paths

logger = logging.getLogger(__name__)

# (document id, text to process, text to store in the record or None)
Item = Tuple[str, str, Optional[str]]
# (document id, record or None, error message or None, words)
Outcome = Tuple[str, Optional[Dict], Optional[str], int]


class OutputExistsError(FileExistsError):
    """An earlier output would be overwritten and ``--force`` was not given."""


@dataclass
class ExtractionSummary:
    documents: int = 0
    words: int = 0
    seconds: float = 0.0
    failures: List[Tuple[str, str]] = field(default_factory=list)

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds if self.seconds else 0.0


def check_outputs(output: Path, tables: Optional[Path], force: bool) -> None:
    existing = [p for p in [output, *(table_paths(tables) if tables else [])] if p.exists()]
    if existing and not force:
        raise OutputExistsError(f"{existing[0]}: already exists (use --force to overwrite)")


def read_items(paths: Iterable[Path], in_dir: Path,
               on_failure: Callable[[str, str], None]) -> Iterator[Item]:
    """Decoded texts; unreadable files go to ``on_failure`` instead of stopping the run."""
    for path in paths:
        doc_id = document_id(path, in_dir)
        try:
            source = read_document(path)
        except ReaderError as err:
            on_failure(doc_id, str(err))
            continue
        except OSError as err:
            on_failure(doc_id, f"{path}: cannot be read ({err.strerror or err})")
            continue
        yield doc_id, source.text, None if source.plain else source.text


def process_batch(nlp: Language, batch: Sequence[Item]) -> List[Outcome]:
    """Run a batch; if it fails, run its documents one by one to find the culprit."""
    try:
        docs = list(nlp.pipe([text for _, text, _ in batch]))
    except Exception:  # noqa: BLE001 -- retried per document below, where it is reported
        return [_process_one(nlp, item) for item in batch]
    return [(doc_id, doc_to_record(doc_id, doc, stored), None, len(text.split()))
            for (doc_id, text, stored), doc in zip(batch, docs)]


def _process_one(nlp: Language, item: Item) -> Outcome:
    doc_id, text, stored = item
    try:
        doc = nlp(text)
    except Exception as err:  # noqa: BLE001 -- one bad document must not stop a folder
        logger.debug("processing %s failed", doc_id, exc_info=True)
        return doc_id, None, f"{doc_id}: processing failed ({type(err).__name__}: {err})", 0
    return doc_id, doc_to_record(doc_id, doc, stored), None, len(text.split())


def batched(items: Iterable[Item], size: int) -> Iterator[List[Item]]:
    batch: List[Item] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


_worker_nlp: Optional[Language] = None


def _init_worker(model: str) -> None:
    """Each worker loads the model once; torch must not spin up threads per process."""
    global _worker_nlp
    _limit_torch_threads()
    _worker_nlp = load_pipeline(model)


def _worker_process(batch: Sequence[Item]) -> List[Outcome]:
    assert _worker_nlp is not None
    return process_batch(_worker_nlp, batch)


def _limit_torch_threads() -> None:
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.set_num_threads(1)


def run_batches(model: str, nlp: Language, batches: Iterable[List[Item]],
                n_process: int) -> Iterator[List[Outcome]]:
    if n_process <= 1:
        for batch in batches:
            yield process_batch(nlp, batch)
        return
    context = multiprocessing.get_context("spawn")
    with context.Pool(n_process, initializer=_init_worker, initargs=(model,)) as pool:
        yield from pool.imap(_worker_process, batches)


def extract_folder(in_dir: Path, output: Path, model: str = "default",
                   tables: Optional[Path] = None, n_process: int = 1, batch_size: int = 16,
                   force: bool = False,
                   on_start: Callable[[int], None] = lambda total: None,
                   on_failure: Callable[[str, str], None] = lambda doc_id, why: None,
                   on_progress: Callable[[int], None] = lambda n: None) -> ExtractionSummary:
    """Extract every filing under ``in_dir`` into ``output`` (one JSONL line each)."""
    in_dir, output = Path(in_dir), Path(output)
    if not in_dir.is_dir():
        raise NotADirectoryError(f"{in_dir}: not a folder")
    check_outputs(output, tables, force)
    nlp = load_pipeline(model)  # also with workers: a bad --model fails before any work
    summary = ExtractionSummary()

    def fail(doc_id: str, why: str) -> None:
        summary.failures.append((doc_id, why))
        on_failure(doc_id, why)
        on_progress(1)

    paths = list(iter_input_files(in_dir))
    on_start(len(paths))
    started = time.perf_counter()
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp_output = output.with_name(f".{output.name}.tmp")
    table_writer = TableWriter(tables) if tables else None
    try:
        with tmp_output.open("w", encoding="utf-8") as sink:
            items = read_items(paths, in_dir, fail)
            for outcomes in run_batches(model, nlp, batched(items, batch_size), n_process):
                for doc_id, record, error, words in outcomes:
                    if record is None:
                        fail(doc_id, error or f"{doc_id}: processing failed")
                        continue
                    sink.write(json.dumps(record, ensure_ascii=False) + "\n")
                    if table_writer:
                        table_writer.add(record)
                    summary.documents += 1
                    summary.words += words
                    on_progress(1)
        os.replace(tmp_output, output)
        if table_writer:
            table_writer.commit()
    except BaseException:
        tmp_output.unlink(missing_ok=True)
        if table_writer:
            table_writer.discard()
        raise
    summary.seconds = time.perf_counter() - started
    return summary

