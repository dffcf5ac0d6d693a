"""Shared fixtures: a tiny gold corpus written here, and the optional ../shared checkout."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Dict, List

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

PROJECT_DIR = Path(__file__).resolve().parent.parent
SHARED_DIR = PROJECT_DIR.parent / "shared"
needs_shared = pytest.mark.skipif(not (SHARED_DIR / "corpus" / "dev.jsonl").is_file(),
                                  reason="../shared (gold corpus) is not beside the project")

PEOPLE = [("Alice", "Q.", "Marlow"), ("Brendan", "T.", "Oyelaran"), ("Clara", "M.", "Voss"),
          ("Dmitri", "A.", "Hale"), ("Evelyn", "R.", "Castellano"), ("Farid", "K.", "Nakamura")]
FIRMS = ["Northwind Therapeutics, Inc.", "Bluestem Capital LLC", "Harrow Mills Corp.",
         "Quillfeather Holdings, Inc."]
MONTHS = ["January", "March", "June", "September", "November"]


def _mention(text: str, surface: str, label: str, start_at: int = 0) -> Dict:
    start = text.index(surface, start_at)
    return {"start": start, "end": start + len(surface), "label": label, "text": surface}


def make_gold_doc(i: int) -> Dict:
    """A short signed 8-K written for the tests: one firm, one signer, a role, a date, money."""
    first, middle, last = PEOPLE[i % len(PEOPLE)]
    person = f"{first} {middle} {last}"
    firm = FIRMS[i % len(FIRMS)]
    date = f"{MONTHS[i % len(MONTHS)]} {i % 27 + 1}, {2001 + i}"
    money = f"${i + 2}.5 million"
    text = (f"{firm} announced that it completed the sale of {money} of convertible notes.\n\n"
            f"SIGNATURE\n\n{firm}\n\nDate: {date}\n\nBy: /s/ {person}\n"
            f"Name: {person}\nTitle: Chief Financial Officer\n")
    entities = [_mention(text, firm, "FIRM"), _mention(text, money, "MONEY")]
    second_firm = text.index(firm, entities[0]["end"])
    entities.append({"start": second_firm, "end": second_firm + len(firm), "label": "FIRM",
                     "text": firm})
    entities.append(_mention(text, date, "DATE"))
    signed = text.index("/s/ ") + 4
    entities.append({"start": signed, "end": signed + len(person), "label": "PERSON", "text": person})
    entities.append(_mention(text, person, "PERSON", signed + len(person)))
    entities.append(_mention(text, "Chief Financial Officer", "ROLE"))
    entities.sort(key=lambda e: e["start"])
    relations = [{"head": person, "label": "SIGNS", "tail": firm},
                 {"head": person, "label": "SIGNS", "tail": date},
                 {"head": person, "label": "HAS_ROLE", "tail": "Chief Financial Officer"},
                 {"head": person, "label": "AFFILIATED_WITH", "tail": firm},
                 {"head": firm, "label": "ISSUES_DEBENTURES", "tail": money}]
    return {"id": f"test_{i:02d}", "kind": "8k", "text": text, "entities": entities,
            "relations": relations, "aliases": [], "meta": {"company": firm}}


def write_jsonl(path: Path, records: List[Dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture
def tiny_corpus(tmp_path: Path) -> Path:
    """train.jsonl (12 documents) and dev.jsonl (4) in a folder."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_jsonl(corpus / "train.jsonl", [make_gold_doc(i) for i in range(12)])
    write_jsonl(corpus / "dev.jsonl", [make_gold_doc(i) for i in range(12, 16)])
    return corpus
