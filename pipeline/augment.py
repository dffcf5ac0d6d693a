"""Synthetic training documents from sentence templates (``pipeline/templates/``).

The gold corpus is small, and on it the entity rules find nearly every entity, so a NER
that sees the rule matches as features learns to copy them and little else. Templates
put entities where the rules have no cue (firms without a legal suffix in prose and
lists, names without a signature line or honorific, headlines) so the NER learns those
contexts from the text. Synthetic documents are for training only, never for evaluation;
they carry no relations and have ``kind`` "synthetic", which the relation extractor
leaves out of its training.
"""
from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

import spacy

TEMPLATES = Path(__file__).resolve().parent / "templates"
PATTERNS = Path(__file__).resolve().parent / "patterns"
SYNTHETIC_KIND = "synthetic"
_SLOT = re.compile(r"\{([A-Z_]+)\}")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
LEGAL_SUFFIXES = ("Inc.", "Corporation", "Corp.", "LLC", "L.P.", "plc", "Company", "Ltd.")


def read_lines(path: Path) -> List[str]:
    """Non-empty lines of a template file, without ``#`` comments."""
    return [line.rstrip("\n") for line in path.read_text(encoding="utf8").splitlines()
            if line.strip() and not line.startswith("#")]


class TemplateFiller:
    """Fills one template at a time, keeping the character offsets of each entity."""

    def __init__(self, rng: random.Random, templates: Path = TEMPLATES):
        self.rng = rng
        self.sentences = read_lines(templates / "sentences.txt")
        self.surnames = read_lines(templates / "surnames.txt")
        self.firm_words = read_lines(templates / "firm_words.txt")
        self.firm_heads = read_lines(templates / "firm_heads.txt")
        # slots filled from a list as they are: no entity
        self.word_lists = {slot: read_lines(templates / f"{name}.txt") for slot, name in (
            ("PHRASE", "phrases"), ("QUOTE", "quotes"), ("CITY", "places"),
            ("STATE", "states"), ("TERM", "terms"))}
        self.products = read_lines(templates / "products.txt")
        rng = self.rng
        # slots made up on the spot: no entity either
        self.made_up: Dict[str, Callable[[], str]] = {
            "AGE": lambda: str(rng.randint(38, 74)),
            "NUMBER": lambda: str(rng.randint(1, 99)),
            "ZIP": lambda: f"{rng.randint(10000, 99999)}",
            "STREET": lambda: rng.choice(self.surnames),
            "TICKER": lambda: "".join(rng.choice("ABCDEFGHIKLMNOPRSTUVWXYZ") for _ in range(rng.randint(2, 4))),
            "CITY_UPPER": lambda: rng.choice(self.word_lists["CITY"]).upper(),
            "PRODUCT": lambda: f"{rng.choice(self.firm_words)} {rng.choice(self.products)}",
            "VOTES": lambda: f"{rng.randint(1, 999):,},{rng.randint(0, 999):03d},{rng.randint(0, 999):03d}",
            "PHONE": lambda: f"({rng.randint(200, 999)}) {rng.randint(200, 999)}-{rng.randint(1000, 9999)}",
            "EMAIL": lambda: f"{self.last_surname.lower()}@example.com",
        }
        self.given_names = [w.title() for w in read_lines(PATTERNS / "given_names.txt") if len(w) > 2]
        self.roles = [_title(r) for r in read_lines(PATTERNS / "role_titles.txt")
                      if not r.endswith("s") and " " in r]
        self.last_surname = "Smith"

    # -- slot values: (text, entity label or None, start and end of the entity in text)
    def person(self) -> Tuple[str, Optional[str], int, int]:
        rng = self.rng
        surname = rng.choice(self.surnames)
        parts = [rng.choice(self.given_names)]
        if rng.random() < 0.3:
            parts.append(rng.choice("ABCDEFGHJKLMNPRSTW") + ".")
        parts.append(surname)
        self.last_surname = surname
        name = " ".join(parts)
        if rng.random() < 0.1:
            name = name.upper()
        return name, "PERSON", 0, len(name)

    def surname(self) -> Tuple[str, Optional[str], int, int]:
        honorific = self.rng.choice(("Mr.", "Ms.", "Mrs.", "Dr."))
        return f"{honorific} {self.last_surname}", "PERSON", len(honorific) + 1, \
            len(honorific) + 1 + len(self.last_surname)

    def firm(self) -> Tuple[str, Optional[str], int, int]:
        rng = self.rng
        kind = rng.random()
        if kind < 0.35:
            name = f"{rng.choice(self.firm_words)} {rng.choice(self.firm_heads)}"
        elif kind < 0.55:
            name = f"{rng.choice(self.surnames)} {rng.choice(('&', 'and'))} {rng.choice(self.surnames)}"
        elif kind < 0.7:
            name = f"{rng.choice(self.surnames)} {rng.choice(self.surnames)}"
        elif kind < 0.85:
            name = "".join(rng.choice("ABCDEFGHIKLMNPRSTVW") for _ in range(rng.randint(2, 4)))
        else:
            name = rng.choice(self.firm_words)
        return name, "FIRM", 0, len(name)

    def firm_inc(self) -> Tuple[str, Optional[str], int, int]:
        base, _, _, _ = self.firm()
        suffix = self.rng.choice(LEGAL_SUFFIXES)
        name = f"{base}, {suffix}" if suffix in ("Inc.", "Ltd.") and self.rng.random() < 0.5 \
            else f"{base} {suffix}"
        return name, "FIRM", 0, len(name)

    def date(self) -> Tuple[str, Optional[str], int, int]:
        rng = self.rng
        month, year = rng.choice(MONTHS), rng.randint(1990, 2026)
        text = f"{month} {rng.randint(1, 28)}, {year}" if rng.random() < 0.8 else f"{month} {year}"
        return text, "DATE", 0, len(text)

    def money(self) -> Tuple[str, Optional[str], int, int]:
        rng = self.rng
        text = f"${rng.randint(1, 950)}.{rng.randint(0, 9)} million" if rng.random() < 0.5 \
            else f"${rng.randint(100, 999)},{rng.randint(0, 999):03d}"
        return text, "MONEY", 0, len(text)

    def value(self, slot: str) -> Tuple[str, Optional[str], int, int]:
        if slot in self.word_lists:
            return self.rng.choice(self.word_lists[slot]), None, 0, 0
        if slot in self.made_up:
            return self.made_up[slot](), None, 0, 0
        if slot == "ROLE":
            role = self.rng.choice(self.roles)
            return role, "ROLE", 0, len(role)
        return getattr(self, slot.lower())()

    def fill(self, template: str, offset: int) -> Tuple[str, List[Dict]]:
        """The filled sentence and its entities, offsets counted from ``offset``."""
        out, entities, pos = [], [], 0
        for match in _SLOT.finditer(template):
            out.append(template[pos:match.start()])
            at = offset + sum(len(part) for part in out)
            text, label, start, end = self.value(match.group(1))
            if label:
                entities.append({"start": at + start, "end": at + end, "label": label,
                                 "text": text[start:end]})
            out.append(text)
            pos = match.end()
        out.append(template[pos:])
        return "".join(out), entities


def _title(phrase: str) -> str:
    small = {"of", "and", "the", "in", "for"}
    return " ".join(w if w in small else w[:1].upper() + w[1:] for w in phrase.split())


@spacy.registry.misc("edgar_ie.template_documents.v1")
def create_template_documents(n_docs: int = 150, sentences_per_doc: int = 8,
                              seed: int = 0) -> Callable[[], List[Dict]]:
    """A function giving ``n_docs`` synthetic gold records (FORMATS.md corpus format)."""

    def make_documents() -> List[Dict]:
        rng = random.Random(seed)
        filler = TemplateFiller(rng)
        records = []
        for k in range(n_docs):
            text, entities = "", []
            for _ in range(sentences_per_doc):
                if text:
                    text += rng.choice((" ", "\n", "\n\n"))
                sentence, ents = filler.fill(rng.choice(filler.sentences), len(text))
                text += sentence
                entities += ents
            records.append({"id": f"synthetic_{seed}_{k}", "text": text, "entities": entities,
                            "relations": [], "kind": SYNTHETIC_KIND})
        return records

    return make_documents
