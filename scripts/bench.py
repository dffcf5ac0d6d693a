"""Throughput and memory of a pipeline: words/s over the dev texts and over a filings folder.

Prints figures; nothing here asserts a time. Run with ``make bench [MODEL=rules]``.
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

from pipeline.models import load_pipeline
from pipeline.readers import iter_input_files, read_document


def words_per_second(nlp, texts, batch_size: int) -> tuple:
    words = sum(len(t.split()) for t in texts)
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=batch_size):
        pass
    seconds = time.perf_counter() - started
    return words, seconds


def per_component(nlp, texts) -> dict:
    """Seconds spent in each component, to see where the time goes."""
    timings = {"tokenizer": 0.0, **{name: 0.0 for name in nlp.pipe_names}}
    for text in texts:
        started = time.perf_counter()
        doc = nlp.make_doc(text)
        timings["tokenizer"] += time.perf_counter() - started
        for name, proc in nlp.pipeline:
            started = time.perf_counter()
            doc = proc(doc)
            timings[name] += time.perf_counter() - started
    return timings


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default="default")
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    parser.add_argument("--filings", type=Path, default=Path("../shared/filings/text"))
    parser.add_argument("--batch-size", type=int, default=16)
    args = parser.parse_args(argv)

    nlp = load_pipeline(args.model)
    sets = {}
    dev = args.corpus / "dev.jsonl"
    if dev.is_file():
        sets["dev texts"] = [json.loads(l)["text"] for l in dev.open(encoding="utf-8") if l.strip()]
    if args.filings.is_dir():
        sets[f"{args.filings}"] = [read_document(p).text for p in iter_input_files(args.filings)]
    if not sets:
        sys.exit("no texts to measure: give --corpus or --filings")
    nlp.pipe(["warm up"])
    print(f"model: {args.model}  components: {', '.join(nlp.pipe_names)}")
    for name, texts in sets.items():
        words, seconds = words_per_second(nlp, texts, args.batch_size)
        print(f"{name}: {len(texts)} documents, {words:,} words in {seconds:.2f} s "
              f"= {words / seconds:,.0f} words/s (one process)")
    first = next(iter(sets.values()))
    timings = per_component(nlp, first)
    spent = sum(timings.values())
    print("time per component (first set): " +
          ", ".join(f"{k} {v / spent:.0%}" for k, v in timings.items()))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (RSS): {peak_mb:,.0f} MB")


if __name__ == "__main__":
    main()
