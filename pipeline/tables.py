"""The ``--tables`` output: entities and relations as CSV and Parquet, keyed by document.

Rows are appended to CSV while documents stream by; Parquet is written from the CSV in
chunks at the end, so memory stays flat however many files a folder holds.
"""
from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Dict, List

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

ENTITY_COLUMNS = ["document_id", "start", "end", "label", "text"]
RELATION_COLUMNS = ["document_id", "head", "head_label", "label", "tail", "tail_label",
                    "score", "source", "evidence_start", "evidence_end"]
TABLES = {"entities": ENTITY_COLUMNS, "relations": RELATION_COLUMNS}
CHUNK_ROWS = 50_000


def table_paths(tables_dir: Path) -> List[Path]:
    return [tables_dir / f"{name}.{ext}" for name in TABLES for ext in ("csv", "parquet")]


def entity_rows(record: Dict) -> List[Dict]:
    return [{"document_id": record["id"], **{k: e[k] for k in ("start", "end", "label", "text")}}
            for e in record["entities"]]


def relation_rows(record: Dict) -> List[Dict]:
    rows = []
    for rel in record["relations"]:
        start, end = rel.get("evidence") or (None, None)
        rows.append({"document_id": record["id"], "head": rel["head"],
                     "head_label": rel["head_label"], "label": rel["label"],
                     "tail": rel["tail"], "tail_label": rel["tail_label"],
                     "score": rel.get("score"), "source": rel.get("source"),
                     "evidence_start": start, "evidence_end": end})
    return rows


class TableWriter:
    """Writes into temporary files; ``commit`` moves them into place, ``discard`` drops them."""

    def __init__(self, tables_dir: Path):
        self.tables_dir = Path(tables_dir)
        self.tables_dir.mkdir(parents=True, exist_ok=True)
        self._files = {name: (self.tables_dir / f".{name}.csv.tmp").open("w", newline="",
                                                                        encoding="utf-8")
                       for name in TABLES}
        self._writers = {name: csv.DictWriter(self._files[name], fieldnames=columns)
                         for name, columns in TABLES.items()}
        for writer in self._writers.values():
            writer.writeheader()

    def add(self, record: Dict) -> None:
        self._writers["entities"].writerows(entity_rows(record))
        self._writers["relations"].writerows(relation_rows(record))

    def commit(self) -> None:
        for name in TABLES:
            self._files[name].close()
            tmp_csv = self.tables_dir / f".{name}.csv.tmp"
            tmp_parquet = self.tables_dir / f".{name}.parquet.tmp"
            _csv_to_parquet(tmp_csv, tmp_parquet, TABLES[name])
            os.replace(tmp_csv, self.tables_dir / f"{name}.csv")
            os.replace(tmp_parquet, self.tables_dir / f"{name}.parquet")

    def discard(self) -> None:
        for name, handle in self._files.items():
            handle.close()
            for suffix in ("csv", "parquet"):
                (self.tables_dir / f".{name}.{suffix}.tmp").unlink(missing_ok=True)


def _csv_to_parquet(source: Path, target: Path, columns: List[str]) -> None:
    """Typed Parquet: text columns stay strings even where a chunk looks numeric."""
    dtypes = {c: "string" for c in columns if c not in
              ("start", "end", "score", "evidence_start", "evidence_end")}
    writer = None
    try:
        for chunk in pd.read_csv(source, chunksize=CHUNK_ROWS, dtype=dtypes,
                                 keep_default_na=False, na_values={c: [""] for c in columns
                                                                   if c not in dtypes}):
            table = pa.Table.from_pandas(chunk, preserve_index=False, schema=_schema(columns))
            if writer is None:
                writer = pq.ParquetWriter(target, table.schema)
            writer.write_table(table)
        if writer is None:
            pq.write_table(_schema(columns).empty_table(), target)
    finally:
        if writer is not None:
            writer.close()


def _schema(columns: List[str]) -> pa.Schema:
    types = {"start": pa.int64(), "end": pa.int64(), "score": pa.float64(),
             "evidence_start": pa.int64(), "evidence_end": pa.int64()}
    return pa.schema([(c, types.get(c, pa.string())) for c in columns])
