"""Alias grouping: which surface forms of a document name one entity.

ANNOTATION.md asks relations to name the FULLEST mention of an entity
(`Mr. Sayare` / `Sayare` -> `Mitchel Sayare`; `Mintz, Levin` -> `Mintz, Levin, Cohn,
Ferris, Glovsky and Popeo, P.C.`). This module groups the mentions of one document and
picks the fullest form of each group. It only looks at the mention texts and their
order, so both the rule-based and a trained relation component can reuse it.

    index = AliasIndex.from_mentions([(text, label, start_char), ...])
    index.canonical("Sayare", "PERSON")  -> "Mitchel Sayare"
    index.key("Sayare", "PERSON")        -> a hashable group key
"""
from __future__ import annotations

import re
import unicodedata
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "messrs", "hon"})
NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "v"})
DEGREES = frozenset({"md", "phd", "esq", "cpa", "jd", "mba", "dds", "cfa"})
# legal-form words of firm names (normalized, dots and commas removed)
LEGAL_SUFFIXES = frozenset({
    "inc", "incorporated", "corp", "corporation", "corporations", "co", "company", "cos",
    "ltd", "limited", "llc", "lp", "llp", "plc", "na", "sa", "ag", "nv", "bv", "se", "gmbh",
    "pc", "pa", "fsb", "sca", "spa", "srl", "ab", "as", "oy", "kg", "group", "holdings",
    "the", "national", "association", "trust"})
# words that keep a short name from being a safe alias on their own
WEAK_FIRST_WORDS = frozenset({"first", "national", "american", "united", "general", "the",
                              "new", "international", "securities", "us", "north", "south"})
ACRONYM_STOP = frozenset({"and", "of", "the", "for", "&", "de", "du", "la", "des"})

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def words(text: str) -> List[str]:
    """Lower-cased, accent-free words; `O'Brien` -> `obrien`, `U.S.` -> `u`, `s`."""
    return [w.replace("'", "").replace("’", "") for w in _WORD.findall(_fold(text))]


def _joined_initials(text: str) -> List[str]:
    # `W.R.` / `O.M.` / `U.S.` become one token each letter; `L.P.` -> `lp` handled below
    return words(re.sub(r"\b([A-Za-z])\.(?=[A-Za-z]\.)", r"\1 ", text))


# ---------------------------------------------------------------------------- persons
class PersonName:
    __slots__ = ("text", "first", "middle", "last", "suffix", "n")

    def __init__(self, text: str):
        self.text = text
        ws = [w for w in words(text) if w not in HONORIFICS and w not in DEGREES]
        suffix = None
        while ws and ws[-1] in NAME_SUFFIXES and len(ws) > 1:
            suffix = ws.pop()
        self.suffix = suffix
        self.n = len(ws)
        if not ws:
            self.first, self.middle, self.last = None, (), ""
        elif len(ws) == 1:
            self.first, self.middle, self.last = None, (), ws[0]
        else:
            self.first, self.middle, self.last = ws[0], tuple(ws[1:-1]), ws[-1]

    def fullness(self) -> Tuple[int, int, int]:
        return (self.n + (1 if self.suffix else 0), len(self.text),
                0 if self.text.isupper() else 1)


def _initial_ok(a: Optional[str], b: Optional[str]) -> bool:
    if a is None or b is None:
        return True
    if a == b:
        return True
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    # nicknames: Herb/Herbert, Rick/Richard is not a prefix; accept prefixes only
    return a.startswith(b) or b.startswith(a)


def person_compatible(short: PersonName, full: PersonName) -> bool:
    """Whether `short` can be another form of `full` (same or fewer name parts)."""
    if not short.last or short.last != full.last:
        # `Robert B. Holland,III` vs `Robert B. Holland`: suffix glued to the surname
        return False
    if short.suffix and full.suffix and short.suffix != full.suffix:
        return False
    if short.first is None:
        return True
    if full.first is None:
        return False
    if not _initial_ok(short.first, full.first):
        # `R. Charles Loudermilk` vs `Charles Loudermilk`
        if not (full.middle and _initial_ok(short.first, full.middle[0])):
            return False
    if short.middle and full.middle and not _initial_ok(short.middle[0], full.middle[0]):
        return False
    return True


# ------------------------------------------------------------------------------ firms
def firm_core(text: str) -> Tuple[str, ...]:
    ws = _joined_initials(text.replace("&", " and "))
    # `L.P.` -> `l`, `p`: glue single letters back (`l p` -> `lp`, `n a` -> `na`)
    glued: List[str] = []
    for w in ws:
        if len(w) == 1 and glued and len(glued[-1]) == 1 and glued[-1].isalpha():
            glued[-1] = glued[-1] + w
        else:
            glued.append(w)
    while glued and glued[0] == "the":
        glued.pop(0)
    core = list(glued)
    while len(core) > 1 and core[-1] in LEGAL_SUFFIXES:
        core.pop()
    return tuple(core)


def has_legal_suffix(text: str) -> bool:
    ws = words(text.replace(".", ""))
    return bool(ws) and ws[-1] in LEGAL_SUFFIXES - {"the", "national", "group", "trust"}


def acronym(core: Sequence[str]) -> str:
    return "".join(w[0] for w in core if w not in ACRONYM_STOP)


# ------------------------------------------------------------------------------ index
class AliasIndex:
    """Groups of surface forms per label; `canonical` gives the fullest form."""

    def __init__(self) -> None:
        self._group_of: Dict[Tuple[str, str], int] = {}  # (label, text) -> group id
        self.groups: List[List[str]] = []
        self.labels: List[str] = []
        self._best: List[str] = []

    # public API ----------------------------------------------------------------
    @classmethod
    def from_doc(cls, doc, labels: Iterable[str] = ("PERSON", "FIRM")) -> "AliasIndex":
        return cls.from_mentions([(e.text, e.label_, e.start_char) for e in doc.ents], labels)

    @classmethod
    def from_mentions(cls, mentions: Iterable[Tuple[str, str, int]],
                      labels: Iterable[str] = ("PERSON", "FIRM")) -> "AliasIndex":
        index = cls()
        labels = set(labels)
        by_label: Dict[str, List[Tuple[str, int]]] = {}
        for text, label, start in mentions:
            by_label.setdefault(label, []).append((text, start))
        for label, items in by_label.items():
            if label == "PERSON" and label in labels:
                index._group_persons(items)
            elif label == "FIRM" and label in labels:
                index._group_firms(items)
            else:
                index._group_exact(label, items)
        return index

    def key(self, text: str, label: str):
        gid = self._group_of.get((label, text))
        return (label, gid) if gid is not None else (label, " ".join(words(text)))

    def canonical(self, text: str, label: str) -> str:
        gid = self._group_of.get((label, text))
        return self._best[gid] if gid is not None else text

    def group(self, text: str, label: str) -> List[str]:
        gid = self._group_of.get((label, text))
        return list(self.groups[gid]) if gid is not None else [text]

    def alias_groups(self) -> List[List[str]]:
        """Groups with more than one distinct surface form (fullest first)."""
        out = []
        for gid, forms in enumerate(self.groups):
            if len(forms) > 1:
                best = self._best[gid]
                out.append([best] + [f for f in forms if f != best])
        return out

    # grouping ------------------------------------------------------------------
    def _new_group(self, label: str, text: str) -> int:
        self.groups.append([text])
        self.labels.append(label)
        self._best.append(text)
        gid = len(self.groups) - 1
        self._group_of[(label, text)] = gid
        return gid

    def _add(self, gid: int, label: str, text: str) -> None:
        if (label, text) not in self._group_of:
            self._group_of[(label, text)] = gid
            self.groups[gid].append(text)

    def _group_exact(self, label: str, items: List[Tuple[str, int]]) -> None:
        seen: Dict[str, int] = {}
        for text, _ in items:
            if (label, text) in self._group_of:
                continue
            norm = " ".join(words(text))
            if norm in seen:
                self._add(seen[norm], label, text)
            else:
                seen[norm] = self._new_group(label, text)

    def _group_persons(self, items: List[Tuple[str, int]]) -> None:
        first_pos: Dict[str, int] = {}
        for text, start in items:
            first_pos.setdefault(text, start)
        names = {t: PersonName(t) for t in first_pos}
        order = sorted(names, key=lambda t: names[t].fullness(), reverse=True)
        reps: List[Tuple[int, PersonName]] = []  # group id, fullest name
        by_norm: Dict[Tuple, int] = {}
        for text in order:
            name = names[text]
            norm = (name.first, name.middle, name.last, name.suffix)
            if norm in by_norm:
                self._add(by_norm[norm], "PERSON", text)
                continue
            cands = [gid for gid, rep in reps if person_compatible(name, rep)]
            if len(cands) > 1:
                # ambiguous surname: the group mentioned last before this form
                pos = first_pos[text]
                best, best_pos = None, -1
                for gid in cands:
                    for form in self.groups[gid]:
                        p = first_pos.get(form, -1)
                        if best_pos < p < pos:
                            best, best_pos = gid, p
                cands = [best] if best is not None else []
            if cands and name.last:
                gid = cands[0]
                self._add(gid, "PERSON", text)
            else:
                gid = self._new_group("PERSON", text)
                reps.append((gid, name))
            by_norm[norm] = gid
        for gid, rep in reps:
            self._best[gid] = max(self.groups[gid], key=lambda t: names[t].fullness())

    def _group_firms(self, items: List[Tuple[str, int]]) -> None:
        texts: List[str] = []
        for text, _ in items:
            if text not in texts:
                texts.append(text)
        cores = {t: firm_core(t) for t in texts}
        # fullest first: more words, then a legal suffix, then mixed case
        order = sorted(texts, key=lambda t: (len(cores[t]), has_legal_suffix(t), len(t),
                                             not t.isupper()), reverse=True)
        group_cores: List[Tuple[int, Tuple[str, ...]]] = []
        by_core: Dict[Tuple[str, ...], int] = {}
        for text in order:
            core = cores[text]
            if not core:
                continue
            if core in by_core:
                self._add(by_core[core], "FIRM", text)
                continue
            cands = []
            if not has_legal_suffix(text) and core[0] not in WEAK_FIRST_WORDS:
                for gid, gcore in group_cores:
                    if len(core) < len(gcore) and gcore[:len(core)] == core:
                        cands.append(gid)
            if not cands and len(core) == 1 and core[0].isalpha() and 2 <= len(core[0]) <= 6 \
                    and text.replace(".", "").isupper():
                for gid, gcore in group_cores:
                    if len(gcore) > 1 and acronym(gcore) == core[0]:
                        cands.append(gid)
            if len(set(cands)) == 1:
                gid = cands[0]
                self._add(gid, "FIRM", text)
            else:
                gid = self._new_group("FIRM", text)
                group_cores.append((gid, core))
            by_core[core] = gid
        for gid in {g for g, _ in group_cores}:
            forms = self.groups[gid]
            self._best[gid] = max(forms, key=lambda t: (len(cores[t]), has_legal_suffix(t),
                                                       len(t), not t.isupper()))
