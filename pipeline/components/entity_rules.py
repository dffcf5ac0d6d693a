"""Rule-based entity recognition for SEC filings: PERSON, FIRM, ROLE, DATE, MONEY.

The rules are data. ``pipeline/patterns/`` holds

* ``*.jsonl``: token patterns for a spaCy ``SpanRuler`` (dates, money, fixed firm
  names, and ``_BLOCK`` spans such as ``Act of 1934`` or ``Board of Directors`` that
  only exist to out-compete the shorter mentions inside them). A pattern ``id`` may
  carry ``|trim_left=N`` / ``|trim_right=N`` to keep a context word out of the span
  (``in 1998`` -> ``1998``);
* ``*.txt`` lexicons, one entry a line, ``#`` comments: role titles and their
  qualifiers, legal suffixes, honorifics, name suffixes, given names, and words that
  are never part of a name.

Where a pattern cannot say it, small registered functions (``edgar_ie.*.v1`` in
``spacy.registry.misc``) propose spans: names after ``/s/``, ``By:``, ``Name:``,
``Mr.``; lists of appointees; the registrant's cover-page name; firm names ending in a
legal suffix; names defined in parentheses. A last step repeats every PERSON and FIRM
name (and its short forms: surname, name without legal suffix) wherever it occurs
again in the document.

Candidates are resolved greedily: higher priority first, then longer, then earlier;
``_BLOCK`` winners are dropped at the end.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Set, Tuple

import spacy
import srsly
from spacy.attrs import IS_SPACE, ORTH, SHAPE, SPACY
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.pipeline import SpanRuler
from spacy.tokens import Doc, Span

from ..schema import ENTITY_LABELS
from ..spans import merge_spans, set_entities

PACKAGE_PATTERNS = Path(__file__).resolve().parent.parent / "patterns"
BLOCK = "_BLOCK"
END = "\0end"
DEFAULT_EXTRACTORS = [
    "edgar_ie.role_titles.v1",
    "edgar_ie.registrant.v1",
    "edgar_ie.suffix_firms.v1",
    "edgar_ie.defined_names.v1",
    "edgar_ie.signature_persons.v1",
    "edgar_ie.honorific_persons.v1",
    "edgar_ie.appointee_lists.v1",
    "edgar_ie.given_name_persons.v1",
]
LEXICONS = ("role_titles", "role_qualifiers", "legal_suffixes", "honorifics",
            "name_suffixes", "name_stopwords", "given_names", "firm_generic_words")

# priorities of candidate sources (higher wins before length is compared)
PRIO_PATTERN = 1
PRIO_CUE = 2
PRIO_REPEAT = 0


@dataclass
class Resources:
    """Lexicons and derived sets, shared by all extractors."""

    lex: Dict[str, List[str]]
    sets: Dict[str, Set[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.sets = {name: set(words) for name, words in self.lex.items()}
        roles = self.sets.get("role_titles", set())
        self.role_words = {w for title in roles for w in title.split()} - {"of", "the", "and", "in"}
        # head nouns of the titles ("officer", "president"): never inside a firm name
        self.role_heads = {title.split()[-1] for title in roles} | {"ceo", "cfo", "chairman", "chair"}
        self.suffix_words = self.sets.get("legal_suffixes", set())
        self.stop = self.sets.get("name_stopwords", set())


@dataclass
class Candidate:
    start: int
    end: int
    label: str
    priority: int


class Ctx:
    """One document's token features, computed once for all extractors."""

    def __init__(self, doc: Doc, res: Resources, pattern_spans: List[Candidate]):
        self.doc = doc
        self.res = res
        # token strings from the string store: no Token objects (they are slow), and
        # Doc.text itself iterates over Token objects
        rows = doc.to_array([ORTH, SPACY, IS_SPACE, SHAPE]).tolist() if len(doc) else []
        strings = doc.vocab.strings
        self.text = [strings[orth] for orth, _, _, _ in rows]
        self.doc_text = "".join([t + " " if sp else t for t, (_, sp, _, _) in zip(self.text, rows)])
        self.lower = [t.lower() for t in self.text]
        offsets, pos = [], 0
        for t, (_, sp, _, _) in zip(self.text, rows):
            offsets.append(pos)
            pos += len(t) + (1 if sp else 0)
        self.offsets = offsets + [pos]  # character offset of each token (and the end)
        self.space = [bool(sp) for _, _, sp, _ in rows]
        self.shape = [sh for _, _, _, sh in rows]
        self.pattern_spans = pattern_spans
        self.found: List[Candidate] = []
        self.firm_names: List[Tuple[int, int]] = []  # (start, end) of firm names to repeat
        self.n = len(doc)
        # a wide gap: a run of 2+ spaces or a tab on one line, the cell separator of
        # HTML-derived tables ("Ken Bond   Deborah Hellinger"); no entity crosses one.
        # Justified text after a comma ("March 18,  1997") is no cell separator.
        self.wide = [sp and "\n" not in t and not (k and self.text[k - 1] == ",")
                     for k, (t, sp) in enumerate(zip(self.text, self.space))]
        acc, total = [0], 0
        for w in self.wide:
            total += w
            acc.append(total)
        self.wide_acc = acc  # prefix counts: a span [s, e) crosses one iff acc[e] > acc[s]

    def next_word(self, i: int) -> int:
        """Index of the first non-space token at or after i (n if none)."""
        while i < self.n and self.space[i]:
            i += 1
        return i

    def prev_word(self, i: int) -> int:
        while i >= 0 and self.space[i]:
            i -= 1
        return i

    def crosses_gap(self, s: int, e: int) -> bool:
        """Whether tokens s..e-1 hold a wide gap (table cells are separate mentions)."""
        return self.wide_acc[e] > self.wide_acc[s]

    def has_newline_between(self, i: int, j: int) -> bool:
        return any("\n" in self.text[k] for k in range(i, j) if self.space[k])


# ---------------------------------------------------------------- token shapes

_CAP_WORD = re.compile(r"^[A-Z][A-Za-z'’\-]*[a-z][A-Za-z'’\-]*$|^[A-Z][A-Z'’\-]+$|^(Mc|Mac|O['’]|De|Di|La|Le|Van|Von)[A-Z]\w+$")
_INITIAL = re.compile(r"^[A-Z]\.$|^[A-Z]\.[A-Z]\.$")
_FIRM_WORD = re.compile(r"^[A-Z0-9][\w.'’\-]*$|^[a-z]+[A-Z][\w\-]*$")


# lower-case particles inside a surname ("Sharda Caro del Castillo", "Ludwig van Beethoven")
NAME_PARTICLES = frozenset({"de", "del", "della", "der", "den", "da", "di", "du", "van", "von",
                            "la", "le", "dos", "das", "ter", "ten"})
_NAME_PUNCT = frozenset("'’-")


def _cap_word(t: str) -> bool:
    """A capitalized word; ``_CAP_WORD`` for ASCII, the same shape over any alphabet
    otherwise (``Körner``, ``Döpfner``, ``Chávez``: accented names are names too)."""
    if t.isascii():
        return bool(_CAP_WORD.match(t))
    if not t[:1].isupper() or not all(c.isalpha() or c in _NAME_PUNCT for c in t):
        return False
    return any(c.islower() for c in t) or (len(t) > 1 and t.isupper())


def is_name_word(ctx: Ctx, i: int) -> bool:
    t = ctx.text[i]
    return _cap_word(t) and ctx.lower[i] not in ctx.res.stop \
        and ctx.lower[i] not in ctx.res.role_words and ctx.lower[i] not in ctx.res.suffix_words


def is_initial(ctx: Ctx, i: int) -> bool:
    return bool(_INITIAL.match(ctx.text[i]))


def _hyphen_part(ctx: Ctx, j: int) -> bool:
    """``-Thompson`` glued to a name word: the second half of a double surname."""
    return j + 1 < ctx.n and ctx.text[j] in {"-", "‐"} and not ctx.space[j + 1] \
        and not ctx.space[j - 1] and is_name_word(ctx, j + 1)


def read_person(ctx: Ctx, i: int, min_tokens: int = 2, max_tokens: int = 5,
                cross_line: bool = False) -> Optional[Tuple[int, int]]:
    """A person's name starting at token i on one line: [A.] First [M.] Last [, Jr.].

    A name is complete after ``M. Last``: the next capitalized word on the line
    belongs to something else (``Kevin G. Lowery Alcoa Inc.``); with a leading initial
    (``H. Davis Thames``, ``R. Andrew Dickson III``) after the second word. A surname
    may be a stop word after a middle initial (``Erin L. May``, ``Robin L. Washington``),
    may be double (``Wilson-Thompson``) or carry a particle (``Caro del Castillo``).
    ``cross_line``: a single line break may split the name (``Ryno\nBlignaut`` in a list
    of attorneys)."""
    i = ctx.next_word(i)
    j = i
    words = 0
    seen_initial_then_word = False
    lead_initial = i < ctx.n and is_initial(ctx, i)
    suffixes = ctx.res.sets["name_suffixes"]
    while j < ctx.n and j - i < max_tokens + 2:
        if ctx.space[j]:
            if ctx.wide[j]:
                break
            if "\n" in ctx.text[j] and not (cross_line and words and ctx.text[j].count("\n") == 1
                                             and j + 1 < ctx.n and is_name_word(ctx, j + 1)):
                break
            j += 1
            continue
        if seen_initial_then_word and ctx.lower[j] not in suffixes and ctx.text[j] != ",":
            break
        if is_initial(ctx, j):
            words += 1
            j += 1
            continue
        prev = ctx.prev_word(j - 1)
        after_initial = words >= 2 and prev > i and is_initial(ctx, prev)
        if is_name_word(ctx, j) or (after_initial and _cap_word(ctx.text[j])
                                    and ctx.lower[j] in ctx.res.stop and len(ctx.text[j]) > 2):
            if words and prev >= i and is_initial(ctx, prev) and prev != i:
                seen_initial_then_word = True
            elif lead_initial and words == 2:
                seen_initial_then_word = True
            words += 1
            j += 1
            while _hyphen_part(ctx, j):
                j += 2
            continue
        if words >= 1 and ctx.lower[j] in NAME_PARTICLES and j + 1 < ctx.n and \
                is_name_word(ctx, j + 1):
            j += 1
            continue
        if words >= 2 and ctx.lower[j] in suffixes:
            j += 1
            words += 1
            continue
        if words >= 1 and ctx.text[j] == "," and j + 1 < ctx.n and \
                ctx.lower[ctx.next_word(j + 1)] in suffixes:
            j = ctx.next_word(j + 1) + 1
            words += 1
            break
        break
    # trim trailing spaces
    while j > i and ctx.space[j - 1]:
        j -= 1
    if words < min_tokens or j <= i:
        return None
    last = j - 1
    if all(is_initial(ctx, k) for k in range(i, j) if not ctx.space[k]):
        return None
    if is_initial(ctx, last):
        # "John A." at a line end: drop the dangling initial
        j = last
        while j > i and ctx.space[j - 1]:
            j -= 1
        if sum(1 for k in range(i, j) if not ctx.space[k]) < min_tokens:
            return None
    # not the start of a firm name ("Millennium Management LLC", "John Hancock Life ...")
    nxt = ctx.next_word(j)
    if nxt < ctx.n and ctx.lower[nxt] in {"and", "&"}:
        nxt = ctx.next_word(nxt + 1)
    if nxt < ctx.n and ctx.lower[nxt] in ctx.res.suffix_words and ctx.text[nxt][:1].isupper():
        return None
    return i, j


# ---------------------------------------------------------------- extractors

Extractor = Callable[[Ctx], Iterable[Candidate]]


@spacy.registry.misc("edgar_ie.role_titles.v1")
def role_titles() -> Extractor:
    """ROLE titles of the lexicon, longest first; a qualifier after ``,``/``-``/``of``
    joins the title (``Executive Vice President, Operations``)."""
    trie_cache: Dict[int, dict] = {}

    def build(res: Resources) -> dict:
        key = id(res)
        if key not in trie_cache:
            trie: dict = {}
            for title in res.lex["role_titles"]:
                node = trie
                for w in _split_words(title):
                    node = node.setdefault(w, {})
                node[END] = True
            qual: dict = {}
            for q in res.lex["role_qualifiers"]:
                node = qual
                for w in _split_words(q):
                    node = node.setdefault(w, {})
                node[END] = True
            trie_cache.clear()
            heads = {q.split()[-1] for q in res.lex["role_qualifiers"]}
            trie_cache[key] = {"titles": trie, "quals": qual, "heads": heads}
        return trie_cache[key]

    def longest(ctx: Ctx, trie: dict, i: int) -> int:
        node, j, best = trie, i, -1
        while j < ctx.n:
            if ctx.space[j]:
                if ctx.wide[j]:
                    break
                j += 1
                continue
            nxt = node.get(ctx.lower[j])
            if nxt is None:
                break
            node = nxt
            j += 1
            if END in node:
                best = j
        return best

    def area_phrase(ctx: Ctx, q: int) -> int:
        """``Barre Manufacturing Operations``: up to four capitalized words on the
        line that end in a qualifier word of the lexicon."""
        heads = build(ctx.res)["heads"]
        best, j, words = -1, q, 0
        while j < ctx.n and words < 5:
            if ctx.space[j]:
                if "\n" in ctx.text[j]:
                    break
                j += 1
                continue
            t = ctx.text[j]
            if not (t[:1].isupper() or t in {"&", "and"}) or ctx.lower[j] in ctx.res.suffix_words \
                    or ctx.lower[j] in build(ctx.res)["titles"]:
                break
            words += 1
            j += 1
            if ctx.lower[j - 1] in heads:
                best = j
        return best

    def extract(ctx: Ctx) -> Iterable[Candidate]:
        tries = build(ctx.res)
        titles, quals = tries["titles"], tries["quals"]
        i = 0
        while i < ctx.n:
            if ctx.lower[i] not in titles:
                i += 1
                continue
            end = longest(ctx, titles, i)
            if end < 0:
                i += 1
                continue
            # lower-case text only counts where the title is lower case throughout or
            # title case; qualifier after the title
            k = ctx.next_word(end)
            if k < ctx.n and ctx.text[k] in {",", "-", "–", "—"} or (k < ctx.n and ctx.lower[k] == "of"):
                q = ctx.next_word(k + 1)
                if q < ctx.n and ctx.text[q][:1].isupper():
                    qend = longest(ctx, quals, q)
                    if qend < 0 and ctx.lower[k] == "of" and not ctx.has_newline_between(end, q):
                        qend = area_phrase(ctx, q)
                    if qend > 0:
                        end = qend
            elif k < ctx.n and ctx.text[k][:1].isupper() and ctx.lower[k] in quals and \
                    ctx.lower[i] in {"vice", "senior", "executive"}:
                qend = longest(ctx, quals, k)
                if qend > 0 and not ctx.has_newline_between(end, k):
                    end = qend
            yield Candidate(i, end, "ROLE", PRIO_PATTERN)
            i = end
    return extract


def _split_words(phrase: str) -> List[str]:
    """Lexicon phrase -> token lowers as the project tokenizer splits them."""
    out = []
    for w in phrase.split():
        if re.match(r"^\d+%$", w):
            out.extend([w[:-1], "%"])
        elif "-" in w and not re.match(r"(?i)^attorneys?-in-facts?$", w) and w != "-":
            parts = w.split("-")
            for p_i, p in enumerate(parts):
                if p_i:
                    out.append("-")
                out.append(p)
        else:
            out.append(w)
    return out


_REGISTRANT_CUE = re.compile(r"(?i)\(?\s*exact\s+name\s+of\s+(the\s+)?registrant")
_SEGMENT_BREAK = re.compile(r"\n|-{3,}|={3,}|_{3,}| {3,}")


@spacy.registry.misc("edgar_ie.registrant.v1")
def registrant() -> Extractor:
    """The registrant's name on the cover page, the text just before "(Exact name of
    registrant as specified in its charter)"."""

    def extract(ctx: Ctx) -> Iterable[Candidate]:
        text = ctx.doc_text
        m = _REGISTRANT_CUE.search(text)
        if not m:
            return
        before = text[max(0, m.start() - 300):m.start()]
        offset = max(0, m.start() - 300)
        segs = [s for s in _SEGMENT_BREAK.finditer(before)]
        # last non-empty segment
        bounds = [0] + [s.end() for s in segs]
        ends = [s.start() for s in segs] + [len(before)]
        for b, e in reversed(list(zip(bounds, ends))):
            seg = before[b:e].strip(" \t\r-=_")
            if seg and not seg.startswith("(") and re.search(r"[A-Za-z]", seg):
                start = offset + b + before[b:e].index(seg)
                end = start + len(seg)
                # cut after a date that precedes the name on the same segment
                seg_start = start
                for c in ctx.pattern_spans:
                    if c.label == "DATE":
                        ds_start, ds_end = ctx.offsets[c.start], ctx.offsets[c.end - 1] + len(ctx.text[c.end - 1])
                        if seg_start <= ds_start < end and ds_end < end:
                            start = max(start, ds_end)
                span = ctx.doc.char_span(start, end, alignment_mode="contract")
                if span is None or not len(span):
                    return
                s, t = span.start, span.end
                while s < t and (ctx.space[s] or ctx.lower[s] in {"the", ",", ":"}):
                    s += 1
                while t > s and (ctx.space[t - 1] or ctx.text[t - 1] in {",", ":", ";", ")"}):
                    t -= 1
                if t - s > 12 or s >= t:
                    return
                ctx.firm_names.append((s, t))
                yield Candidate(s, t, "FIRM", PRIO_CUE + 1)
                return
    return extract


def _person_ending_at(ctx: Ctx, first: int, end: int) -> bool:
    """Whether tokens first..end-1 are exactly a person's name opening with a known given
    name: a contact's name on the line above a firm (``Katie Cotton\nApple Computer, Inc.``)
    or before ``, Apple Inc.'s`` is no part of the firm's name."""
    first = ctx.next_word(first)
    if first >= end or ctx.lower[first] not in ctx.res.sets["given_names"]:
        return False
    got = read_person(ctx, first, min_tokens=2, max_tokens=4)
    return got is not None and got[1] == end


def _line_start(ctx: Ctx, k: int) -> int:
    """First token of the line that ends before token k."""
    p = k - 1
    while p >= 0 and not (ctx.space[p] and "\n" in ctx.text[p]):
        p -= 1
    return p + 1


@spacy.registry.misc("edgar_ie.suffix_firms.v1")
def suffix_firms() -> Extractor:
    """Firm names ending in a legal suffix (``Inc.``, ``Corporation``, ``N.A.`` ...):
    scan left over capitalized words, ``&``, ``and``/``of`` inside the name, and a
    comma right before the suffix."""
    connectors = {"&", "and", "of", "de", "du"}

    def name_word(ctx: Ctx, k: int) -> bool:
        t = ctx.text[k]
        lw = ctx.lower[k]
        if lw in ctx.res.stop and lw not in {"united", "states", "state", "new", "york", "national",
                                              "georgia", "texas", "florida", "california", "securities"}:
            return False
        if lw in ctx.res.role_heads:
            return False
        return bool(_FIRM_WORD.match(t)) and not t.isdigit() or bool(re.match(r"^\d+[A-Za-z\-]", t)) \
            or (t.isdigit() and len(t) <= 4 and False)

    def extract(ctx: Ctx) -> Iterable[Candidate]:
        suffixes = ctx.res.suffix_words
        for i in range(ctx.n):
            lw = ctx.lower[i]
            if lw not in suffixes:
                continue
            if not (ctx.text[i][:1].isupper() or lw == "inc."):
                continue
            end = i + 1
            # "Company" etc. followed by Act/Rule/'s: keep, but Exchange Act is a law
            nxt = ctx.next_word(end)
            if nxt < ctx.n and ctx.lower[nxt] in {"act", "rule", "rules"}:
                continue
            # extend over a following suffix ("Co. Inc.", "Company, N.A.")
            while True:
                k = ctx.next_word(end)
                if k < ctx.n and ctx.text[k] == ",":
                    k2 = ctx.next_word(k + 1)
                    if k2 < ctx.n and ctx.lower[k2] in {"inc.", "inc", "n.a.", "l.p.", "llc", "ltd.", "p.c.",
                                                        "llp", "plc", "s.a.", "corp."} and ctx.text[k2][:1].isupper():
                        end = k2 + 1
                        continue
                    if k2 + 1 < ctx.n and ctx.lower[k2] == "national" and ctx.lower[ctx.next_word(k2 + 1)] == "association":
                        end = ctx.next_word(k2 + 1) + 1
                        continue
                if k < ctx.n and ctx.lower[k] in {"inc.", "inc", "incorporated", "llc", "l.p.", "n.a."} and ctx.text[k][:1].isupper() and k == end + (1 if k > end else 0):
                    end = k + 1
                    continue
                break
            end = _designator(ctx, end)
            # "Savings Bank of Western Kentucky", "Trust Company of Connecticut"
            k = ctx.next_word(end)
            if lw in OF_SUFFIXES and k < ctx.n and ctx.lower[k] == "of":
                k2 = ctx.next_word(k + 1)
                e2 = k2
                while e2 < ctx.n and e2 - k2 < 3 and _CAP_WORD.match(ctx.text[e2]) and \
                        ctx.lower[e2] not in ctx.res.role_heads and ctx.lower[e2] not in {"the", "directors"}:
                    e2 += 1
                if e2 > k2 and not ctx.has_newline_between(end, k2):
                    end = e2
                    kc = ctx.next_word(end)
                    if kc < ctx.n and ctx.text[kc] == ",":
                        k3 = ctx.next_word(kc + 1)
                        if k3 + 1 < ctx.n and ctx.lower[k3] == "national" and ctx.lower[ctx.next_word(k3 + 1)] == "association":
                            end = ctx.next_word(k3 + 1) + 1
            # scan left
            j = i
            words = 0
            k = i - 1
            while k >= 0 and i - k < 14:
                if ctx.space[k]:
                    if ctx.wide[k]:
                        break
                    # names run over a line break in prose, not in all-caps headings (the
                    # case of the name words decides: "Sequoia\nCapital Operations, LLC")
                    if "\n\n" in ctx.text[k] or ("\n" in ctx.text[k] and _caps_name(ctx, j, i)):
                        break
                    if "\n" in ctx.text[k] and _person_ending_at(ctx, _line_start(ctx, k), k):
                        break
                    k -= 1
                    continue
                t = ctx.text[k]
                if t == "," and words == 0 and j == i:
                    k -= 1
                    continue
                if name_word(ctx, k) or ctx.lower[k] in suffixes and ctx.text[k][:1].isupper() and words:
                    if ctx.lower[k] in suffixes and k != i - 1 and words == 0:
                        pass
                    j = k
                    words += 1
                    k -= 1
                    continue
                if (t == "&" or (ctx.lower[k] in connectors and words) or
                        (ctx.lower[k] == "and" and lw in {"company", "co."})) and \
                        (t != "of" or _caps_name(ctx, j, i)):
                    # "Sachs & Co.", "Bank and Trust Company"; lower-case "of" only
                    # inside all-caps names ("BANCORP OF WISCONSIN, INC.", not
                    # "Alison Haggerty of Cooley LLP")
                    p = ctx.prev_word(k - 1)
                    if p >= 0 and name_word(ctx, p) and (ctx.lower[p] not in suffixes or (
                            ctx.lower[k] == "and" and ctx.lower[p] == "bank" and ctx.lower[j] == "trust")):
                        k = p
                        continue
                    break
                if t == "," and words and name_word(ctx, j) and ctx.lower[j] not in suffixes:
                    # "Bear, Stearns & Co.", "Mintz, Levin, ..., P.C.": single words
                    p = ctx.prev_word(k - 1)
                    nx = ctx.next_word(end)
                    if nx < ctx.n and ctx.lower[nx] in {"'s", "’s"} and \
                            _person_ending_at(ctx, _line_start(ctx, k), k):
                        break  # "Betsy Rafael, Apple Inc.'s Vice President"
                    if p >= 0 and name_word(ctx, p) and ctx.lower[p] not in suffixes:
                        pp = ctx.prev_word(p - 1)
                        if pp < 0 or not name_word(ctx, pp):
                            k = p
                            continue
                        ppp = ctx.prev_word(pp - 1)  # two words: "Merrill Lynch, Pierce, ..."
                        if ctx.lower[pp] not in suffixes and (ppp < 0 or not name_word(ctx, ppp)):
                            k = p
                            continue
                break
            if words == 0:
                continue
            while j < i and (ctx.space[j] or ctx.lower[j] in connectors or ctx.text[j] == ","):
                j += 1
            # hyphenated names: "Hewlett-Packard Company" yes, "Non-Cash Inc. Tax" no
            while j >= 2 and ctx.text[j - 1] == "-" and name_word(ctx, j - 2) and \
                    not ctx.doc_text[ctx.offsets[j - 2]:ctx.offsets[j]].count(" ") and \
                    ctx.lower[j - 2] not in HYPHEN_PREFIXES:
                j -= 2
            if j and ctx.text[j - 1] == "-" and ctx.offsets[j - 1] + 1 == ctx.offsets[j]:
                continue
            ctx.firm_names.append((j, end))
            yield Candidate(j, end, "FIRM", PRIO_PATTERN)
    return extract


def _caps_name(ctx: Ctx, j: int, i: int) -> bool:
    """Whether the name words read so far (j..i) are written in capitals, as in a
    heading: the suffix alone (``LLP``, ``LLC``) says nothing about the name."""
    return all(ctx.text[x].isupper() for x in range(j, i + 1)
               if not ctx.space[x] and ctx.text[x][:1].isalpha())


# a series letter or number after a fund or partnership name ("Partners Z", "Bank USA")
_DESIGNATOR = re.compile(r"^(?:[B-HJ-Z]|II|III|IV|VI|VII|VIII|IX|USA)$")


def _designator(ctx: Ctx, end: int) -> int:
    """Extend a firm name ending at ``end`` over a designator on the same line
    (``Reinvent Technology Partners Z``, ``Goldman Sachs Bank USA``) unless a capitalized
    word follows it (then it opens a new name)."""
    k = end
    if k >= ctx.n or ctx.space[k] or not _DESIGNATOR.match(ctx.text[k]) or \
            ctx.offsets[k] != ctx.offsets[end - 1] + len(ctx.text[end - 1]) + 1:
        return end  # not one space away on the same line
    nxt = ctx.next_word(k + 1)
    if nxt < ctx.n and _cap_word(ctx.text[nxt]) and not ctx.has_newline_between(k + 1, nxt):
        return end
    return k + 1


FUNCTION_WORDS = {"the", "a", "an", "on", "in", "at", "by", "to", "for", "from", "with", "as", "of",
                  "and", "or", "if", "this", "that", "each", "its", "our", "their", "his", "her",
                  "we", "it", "i", "mr.", "ms.", "mrs.", "dr."}
HYPHEN_PREFIXES = {"non", "pre", "post", "anti", "multi", "semi", "sub", "co", "ex", "inter", "intra"}
OF_SUFFIXES = {"bank", "association", "company", "trust", "commission", "authority", "fund"}
_ACRONYM = re.compile(r"^[A-Z][A-Z&]{1,7}$")
_DEFINED = re.compile(r"^[\"“”']$")
GENERIC_DEFINED = {"company", "registrant", "corporation", "issuer", "bank", "trust", "partnership",
                   "fund", "notes", "note", "agreement", "plan", "parent", "purchaser", "buyer",
                   "seller", "borrower", "lender", "agent", "trustee", "guarantor", "merger",
                   "offering", "debentures", "securities", "shares", "act", "exchange act",
                   "securities act", "sec", "commission", "board", "we", "us", "our",
                   "subsidiary", "holdings", "group", "partners", "operating partnership",
                   "issuers", "issuer", "borrowers", "guarantors", "sellers", "purchasers", "lenders",
                   "banks", "underwriters", "underwriter", "companies", "parties", "holders",
                   "investors", "sponsor", "manager", "adviser", "advisor", "administrator"}


# words that may open a definition before its quoted name
DEFINITION_LEADS = {"collectively", "together", "individually", "each", "hereinafter", "herein",
                    "also", "formerly"}


# generic names a definition gives a firm: the name before `(the "Company")` is a firm's
DEFINES_A_FIRM = {"company", "registrant", "issuer", "corporation", "firm", "partnership", "bank",
                  "fund", "trust", "parent", "employer"}


def _name_before(ctx: Ctx, paren: int, firm_ends: Dict[int, int]) -> Optional[Tuple[int, int]]:
    """The capitalized name right before the parenthesis at ``paren`` on its line
    (``securities of Founder SPAC (the "Company")``), when no firm ends there already.
    Up to six words; a person's name (read from a given name) is no firm."""
    e = paren
    while e > 0 and ctx.space[e - 1] and not ctx.wide[e - 1] and "\n" not in ctx.text[e - 1]:
        e -= 1
    if e in firm_ends or e == 0:
        return None
    k, s = e - 1, e
    while k >= 0 and e - k <= 12:
        if ctx.space[k]:
            if ctx.wide[k] or "\n" in ctx.text[k]:
                break
            k -= 1
            continue
        t, lw = ctx.text[k], ctx.lower[k]
        if lw in FUNCTION_WORDS or lw in ctx.res.role_heads or lw in ctx.res.stop and not t.isupper():
            break
        if not (_FIRM_WORD.match(t) and t[:1].isupper() or t in {"&", "-"}):
            break
        s = k
        k -= 1
    while s < e and (ctx.space[s] or not ctx.text[s][:1].isalnum()):
        s += 1
    words = sum(1 for x in range(s, e) if not ctx.space[x])
    if not words or words > 6 or _person_ending_at(ctx, s, e):
        return None
    if words == 1 and not (ctx.text[s].isupper() or ctx.lower[s] not in ctx.res.stop):
        return None
    return s, e


def _run_together(short: str, full_words: List[str]) -> bool:
    """``JPMorganChase`` of ``JPMorgan Chase & Co.``: the short name is the first words
    of the full name written without spaces."""
    if " " in short or len(short) < 4:
        return False
    glued = ""
    for w in full_words:
        if not w.isalnum():
            continue
        glued += w
        if glued == short:
            return len(glued) > len(full_words[0])
        if not short.startswith(glued):
            return False
    return False


@spacy.registry.misc("edgar_ie.defined_names.v1")
def defined_names() -> Extractor:
    """A short name defined in parentheses after a firm name:
    ``Southern Fidelity Loans ("SFDL")`` -> FIRM ``SFDL`` (and its later repeats)."""

    def extract(ctx: Ctx) -> Iterable[Candidate]:
        firm_ends = {e: s for s, e in ctx.firm_names}
        firm_ends.update({c.end: c.start for c in ctx.pattern_spans if c.label == "FIRM"})
        for i in range(ctx.n):
            if ctx.text[i] != "(":
                continue
            k = ctx.next_word(i + 1)
            # (collectively, "Grace"), (together, the "Sellers")
            if k < ctx.n and ctx.lower[k] in DEFINITION_LEADS:
                k = ctx.next_word(k + 1)
                if k < ctx.n and ctx.text[k] == ",":
                    k = ctx.next_word(k + 1)
            if k < ctx.n and ctx.lower[k] == "the":
                k = ctx.next_word(k + 1)
            if k >= ctx.n:
                continue
            if _ACRONYM.match(ctx.text[k]) and ctx.text[ctx.next_word(k + 1)] == ")":
                s, e = k, k + 1  # (RCPI)
            elif _DEFINED.match(ctx.text[k]):
                s = ctx.next_word(k + 1)
                e = s
                while e < ctx.n and not _DEFINED.match(ctx.text[e]) and e - s < 6:
                    e += 1
                if e >= ctx.n or not _DEFINED.match(ctx.text[e]) or e == s:
                    continue
            else:
                continue
            short = " ".join(ctx.lower[x] for x in range(s, e) if not ctx.space[x])
            if short in DEFINES_A_FIRM:
                got = _name_before(ctx, i, firm_ends)
                if got:
                    ctx.firm_names.append(got)
                    yield Candidate(got[0], got[1], "FIRM", PRIO_PATTERN)
                continue
            if short in GENERIC_DEFINED or not ctx.text[s][:1].isupper():
                continue
            # the name before the parenthesis must be a firm we found
            p = ctx.prev_word(i - 1)
            if p >= 0 and ctx.text[p] == ",":
                p = ctx.prev_word(p - 1)
            if p + 1 not in firm_ends:
                continue
            full_start = firm_ends[p + 1]
            full_words = {ctx.lower[x].strip(",") for x in range(full_start, p + 1)}
            short_words = short.split()
            acronym = ctx.text[s].isupper() and e - s == 1 and len(ctx.text[s]) >= 2
            if not acronym and not all(w in full_words for w in short_words) and \
                    not _run_together(short, [ctx.lower[x] for x in range(full_start, p + 1)]):
                continue
            ctx.firm_names.append((s, e))
            yield Candidate(s, e, "FIRM", PRIO_CUE)
    return extract


@spacy.registry.misc("edgar_ie.signature_persons.v1")
def signature_persons() -> Extractor:
    """Names after ``/s/``, ``By:``, ``Name:``, ``Print Name:``, ``Contact:``."""
    cue_words = {"name", "by", "contact", "contacts", "attn", "attention", "signer", "signatory"}

    def extract(ctx: Ctx) -> Iterable[Candidate]:
        for i in range(ctx.n):
            lw = ctx.lower[i]
            start = None
            if lw == "/s/":
                start = i + 1
            elif lw in cue_words and i + 1 < ctx.n and ctx.text[i + 1] == ":":
                start = i + 2
            elif lw.endswith(":") and lw[:-1] in cue_words:
                start = i + 1
            if start is None:
                continue
            k = ctx.next_word(start)
            while k < ctx.n and (ctx.text[k] in {"_", "*"} or set(ctx.text[k]) <= {"_"}):
                k = ctx.next_word(k + 1)
            if k < ctx.n and ctx.lower[k] == "/s/":
                continue  # handled by the /s/ cue itself
            if k < ctx.n and ctx.lower[k] in ctx.res.sets["honorifics"]:
                k = ctx.next_word(k + 1)
            got = read_person(ctx, k, min_tokens=2)
            if got:
                yield Candidate(got[0], got[1], "PERSON", PRIO_CUE)
    return extract


@spacy.registry.misc("edgar_ie.honorific_persons.v1")
def honorific_persons() -> Extractor:
    """``Mr. Smith``, ``Ms. Jane Roe``, ``Messrs. Smith and Jones``: the name without
    the honorific."""

    def extract(ctx: Ctx) -> Iterable[Candidate]:
        hon = ctx.res.sets["honorifics"]
        for i in range(ctx.n):
            if ctx.lower[i] not in hon or not ctx.text[i][:1].isupper():
                continue
            k = i + 1
            while True:
                got = read_person(ctx, k, min_tokens=1, max_tokens=4)
                if not got:
                    break
                yield Candidate(got[0], got[1], "PERSON", PRIO_CUE)
                if ctx.lower[i] not in {"messrs.", "mses."}:
                    break
                k = ctx.next_word(got[1])
                if k < ctx.n and ctx.text[k] == ",":
                    k = ctx.next_word(k + 1)
                if k < ctx.n and ctx.lower[k] == "and":
                    k = ctx.next_word(k + 1)
                if k >= ctx.n:
                    break
    return extract


@spacy.registry.misc("edgar_ie.appointee_lists.v1")
def appointee_lists() -> Extractor:
    """``constitutes and appoints X, Y and Z`` / ``appoints each of X and Y``: each name."""
    cues = {"appoints", "appoint", "appointed", "designates", "designate", "authorizes", "authorize"}
    fillers = {"each", "of", "any", "and", "or", "jointly", "severally", ",", "the", "following",
               "persons", "individuals", ":"}

    def extract(ctx: Ctx) -> Iterable[Candidate]:
        for i in range(ctx.n):
            if ctx.lower[i] not in cues:
                continue
            k = ctx.next_word(i + 1)
            steps = 0
            while k < ctx.n and steps < 40:
                steps += 1
                got = read_person(ctx, k, min_tokens=2, max_tokens=5, cross_line=True)
                if got:
                    yield Candidate(got[0], got[1], "PERSON", PRIO_CUE)
                    k = got[1]
                    # "of Firm, Inc." between the names: skip to the next separator
                    continue
                if ctx.space[k] or ctx.lower[k] in fillers or ctx.text[k] in {",", ";"}:
                    k += 1
                    continue
                break
    return extract


@spacy.registry.misc("edgar_ie.given_name_persons.v1")
def given_name_persons() -> Extractor:
    """``First [M.] Last``: a capitalized given name of the lexicon, then name words."""

    def firm_cores(ctx: Ctx) -> Set[Tuple[str, ...]]:
        """Firm names of the document without their legal suffix (``Aaron Rents`` of
        ``Aaron Rents, Inc.``): a given name opening a firm's name is no person."""
        out = set()
        for s0, e0 in ctx.firm_names:
            key = [w for w in _key(ctx, s0, e0) if w != ","]
            while key and key[-1] in ctx.res.suffix_words:
                key.pop()
            if len(key) >= 2:
                out.add(tuple(key))
        return out

    def extract(ctx: Ctx) -> Iterable[Candidate]:
        given = ctx.res.sets["given_names"]
        firms = firm_cores(ctx)
        i = 0
        while i < ctx.n:
            if ctx.lower[i] in given and ctx.text[i][:1].isupper():
                got = read_person(ctx, i, min_tokens=2, max_tokens=5)
                if got:
                    # a leading initial on the same line: "R. Charles Loudermilk"
                    p = i - 1 if i and not ctx.space[i - 1] else i - 2 if i > 1 and ctx.text[i - 1] == " " else -1
                    if p >= 0 and is_initial(ctx, p):
                        got = (p, got[1])
                    # not the start of a firm name: "John Hancock Life Insurance Company"
                    nxt = ctx.next_word(got[1])
                    if not (nxt < ctx.n and ctx.lower[nxt] in ctx.res.suffix_words and ctx.text[nxt][:1].isupper()) \
                            and _key(ctx, got[0], got[1]) not in firms:
                        yield Candidate(got[0], got[1], "PERSON", PRIO_PATTERN)
                    i = got[1]
                    continue
            i += 1
    return extract


# ---------------------------------------------------------------- repeats

def _key(ctx: Ctx, s: int, e: int) -> Tuple[str, ...]:
    return tuple(ctx.lower[k] for k in range(s, e) if not ctx.space[k])


def _continues_name(ctx: Ctx, k: int) -> bool:
    """Whether token k (next to a repeated name, same line) is a capitalized word."""
    if k < 0 or k >= ctx.n or ctx.space[k]:
        return False
    t = ctx.text[k]
    # a title after a firm's name is no part of it ("said Alcoa Chairman Alain Belda")
    return bool(_CAP_WORD.match(t)) and ctx.lower[k] not in FUNCTION_WORDS \
        and ctx.lower[k] not in ctx.res.role_heads and ctx.lower[k] not in TITLE_OPENERS


# words that open a title ("Alcoa Senior Vice President"): no part of a firm name before them
TITLE_OPENERS = frozenset({"senior", "executive", "chief", "vice", "general", "managing", "deputy"})


def _sentence_start(ctx: Ctx, k: int) -> bool:
    p = k - 1
    while p >= 0 and ctx.space[p] and "\n" not in ctx.text[p]:
        p -= 1
    return p < 0 or ctx.text[p] in {".", "!", "?", ":", ";"} or "\n" in ctx.text[p]


def repeat_candidates(ctx: Ctx, chosen: List[Candidate]) -> List[Candidate]:
    """Every later (or earlier) occurrence of a PERSON or FIRM name and its short forms."""
    forms: Dict[Tuple[str, ...], str] = {}
    firsts: Dict[str, Set[str]] = {}  # given name -> surnames found with it
    res = ctx.res
    for c in chosen:
        if c.label not in {"PERSON", "FIRM"}:
            continue
        key = _key(ctx, c.start, c.end)
        if not key:
            continue
        forms.setdefault(key, c.label)
        if c.label == "PERSON":
            words = [w for w in key if w not in res.sets["name_suffixes"] and w != ","]
            if len(words) >= 2 and not re.match(r"^[a-z]\.$", words[-1]):
                surname = words[-1]
                if surname not in res.stop and len(surname) > 2:
                    forms.setdefault((surname,), "PERSON")
                first_last = (words[0], words[-1])
                if len(words) > 2:
                    forms.setdefault(first_last, "PERSON")
                if words[0] in res.sets["given_names"]:
                    firsts.setdefault(words[0], set()).add(words[-1])
        else:
            words = list(key)
            if words and words[0] == "the":
                words = words[1:]
            while words and (words[-1] in res.suffix_words or words[-1] in {",", "&"}) and len(words) > 1:
                words = words[:-1]
            if words and tuple(words) != key and (len(words) > 1 or words[0] not in res.stop):
                if not (len(words) == 1 and (words[0] in res.sets["given_names"] or len(words[0]) < 3)):
                    forms.setdefault(tuple(words), "FIRM")
            # the first word alone when it is distinctive ("Apple Computer, Inc." -> Apple)
            first = words[0] if words else ""
            # an acronym opening a name in mixed case ("LIN Broadcasting Corporation")
            acronym = len(first) >= 3 and ctx.text[c.start].isupper() and not ctx.text[c.end - 1].isupper()
            if len(words) > 1 and (len(first) >= 4 or acronym) and first.isalpha() and first not in res.stop \
                    and first not in res.sets["firm_generic_words"] and first not in res.sets["given_names"] \
                    and first not in res.role_words:
                forms.setdefault((first,), "FIRM")
    # a given name alone ("Steve") when only one person found has it
    for first, surnames in firsts.items():
        if len(surnames) == 1:
            forms.setdefault((first,), "PERSON")
    for s, e in ctx.firm_names:
        key = _key(ctx, s, e)
        if key:
            forms.setdefault(key, "FIRM")
    if not forms:
        return []
    by_first: Dict[str, List[Tuple[Tuple[str, ...], str]]] = {}
    for key, label in forms.items():
        by_first.setdefault(key[0], []).append((key, label))
    for lst in by_first.values():
        lst.sort(key=lambda kl: -len(kl[0]))
    out = []
    i = 0
    while i < ctx.n:
        lst = by_first.get(ctx.lower[i])
        if not lst or not ctx.text[i][:1].isupper():
            i += 1
            continue
        for key, label in lst:
            j, m = i, 0
            while j < ctx.n and m < len(key):
                if ctx.space[j] and m:
                    j += 1
                    continue
                if ctx.lower[j] != key[m]:
                    break
                m += 1
                j += 1
            if m == len(key):
                # not a part of a longer capitalized name ("Adobe Fonts", "Georgia PSC")
                if label == "PERSON":
                    ok = not (j < ctx.n and not ctx.space[j] and is_name_word(ctx, j)) and \
                        not (i and not ctx.space[i - 1] and is_name_word(ctx, i - 1))
                else:
                    ok = not _continues_name(ctx, j) and not (
                        _continues_name(ctx, i - 1) and not _sentence_start(ctx, i - 1))
                if ok:
                    out.append(Candidate(i, j, label, PRIO_REPEAT))
                i = j - 1
                break
        i += 1
    return out


# ---------------------------------------------------------------- resolution

def resolve(cands: Sequence[Candidate], n: int) -> List[Candidate]:
    order = sorted(cands, key=lambda c: (-c.priority, -(c.end - c.start), c.start, c.label))
    taken = bytearray(n)
    out = []
    for c in order:
        if c.end <= c.start or any(taken[c.start:c.end]):
            continue
        taken[c.start:c.end] = b"\x01" * (c.end - c.start)
        out.append(c)
    out.sort(key=lambda c: c.start)
    return out


def _parse_label(label: str) -> Tuple[str, str]:
    """``repr((label, id))`` as the SpanRuler writes its match keys."""
    m = re.match(r"^\('(.*)', '(.*)'\)$", label, re.S)
    return (m.group(1), m.group(2)) if m else (label, "")


def _trim_id(pattern_id: str, s: int, e: int) -> Tuple[int, int]:
    for part in (pattern_id or "").split("|")[1:]:
        name, _, val = part.partition("=")
        if name == "trim_left":
            s += int(val)
        elif name == "trim_right":
            e -= int(val)
    return s, e


COMMON_WORDS = frozenset({"in", "and", "to", "for", "by", "or", "of", "the", "from", "a", "on", "at",
                          "year", "years", "end", "first", "second", "third", "fourth", "new",
                          "public", "board", "-", ",", "."})


def _word_set(tok: dict) -> Set[str]:
    out: Set[str] = set()
    for key in ("LOWER", "ORTH", "TEXT", "NORM"):
        val = tok.get(key)
        if isinstance(val, str):
            out.add(val.lower())
        elif isinstance(val, dict) and "IN" in val:
            out.update(v.lower() for v in val["IN"])
    return out


def _shape_set(tok: dict) -> Set[str]:
    val = tok.get("SHAPE")
    if isinstance(val, str):
        return {val}
    if isinstance(val, dict) and "IN" in val:
        return set(val["IN"])
    return set()


def _is_numeric_spec(tok: dict) -> bool:
    regexes = [v["REGEX"] for v in tok.values() if isinstance(v, dict) and "REGEX" in v]
    return bool(tok.get("LIKE_NUM") or tok.get("IS_DIGIT") or "d" in str(tok.get("SHAPE", ""))
                or any(re.search(r"\\d|0-9", rx) for rx in regexes))


def _space_out(pattern: List[dict]) -> List[dict]:
    """Allow line breaks between the tokens of a pattern, except after a token marked
    ``"_NOBREAK": true``."""
    out: List[dict] = []
    nobreak = False
    for k, tok in enumerate(pattern):
        if k and not nobreak:
            out.append({"IS_SPACE": True, "OP": "*"})
        # "_NOBREAK": no line break after this token ("UNITED STATES" heading line)
        nobreak = bool(tok.get("_NOBREAK"))
        out.append({key: val for key, val in tok.items() if key != "_NOBREAK"})
    return out


class EntityRules:
    """The ``edgar_entity_rules`` component: sets ``doc.ents`` from rules."""

    def __init__(self, nlp: Language, name: str, *, overwrite_ents: bool,
                 patterns_dir: Optional[str], extractors: List[str], repeat_names: bool,
                 spans_key: Optional[str] = None):
        self.nlp = nlp
        self.name = name
        self.overwrite_ents = overwrite_ents
        self.spans_key = spans_key
        self.patterns_dir = patterns_dir
        self.extractor_names = list(extractors)
        self.repeat_names = repeat_names
        self.scorer: Optional[Callable] = None
        self.extractors = [spacy.registry.misc.get(n)() for n in self.extractor_names]
        self.load(Path(patterns_dir) if patterns_dir else PACKAGE_PATTERNS)

    # -- data
    def load(self, path: Path) -> None:
        self.files: Dict[str, str] = {}
        for p in sorted(path.glob("*.jsonl")) + sorted(path.glob("*.txt")):
            self.files[p.name] = p.read_text(encoding="utf8")
        self._build()

    def _build(self) -> None:
        lex = {}
        for stem in LEXICONS:
            text = self.files.get(stem + ".txt", "")
            lex[stem] = [ln.strip().lower() for ln in text.splitlines()
                         if ln.strip() and not ln.strip().startswith("#")]
        self.res = Resources(lex)
        self.ruler = SpanRuler(self.nlp, name=self.name + "_ruler", spans_key=None,
                               annotate_ents=False, validate=False)
        patterns = []
        for fname, text in sorted(self.files.items()):
            if fname.endswith(".jsonl"):
                for line in text.splitlines():
                    if line.strip():
                        pat = srsly.json_loads(line)
                        if isinstance(pat["pattern"], list):
                            pat = dict(pat, pattern=_space_out(pat["pattern"]))
                        patterns.append(pat)
        self.ruler.add_patterns(patterns)
        self._triggers(patterns)

    def _triggers(self, patterns: List[dict]) -> None:
        """Group the patterns by anchor and give each group its own Matcher.

        The Matcher tries every pattern at every token (calling Python for each set or
        regex test), which is slow on long filings. So each pattern gets an anchor, a
        token it cannot match without: a required word from a set without common
        words (the longest such words), else a required number shape, else the words
        that can start it. A group's Matcher then runs only on short windows around
        its anchors."""
        groups: Dict[tuple, dict] = {}
        for pat in patterns:
            key, back, fwd = self._anchor(pat)
            g = groups.setdefault(key, {"patterns": [], "back": 0, "fwd": 1})
            g["patterns"].append(pat)
            g["back"], g["fwd"] = max(g["back"], back), max(g["fwd"], fwd)
        self.groups = []
        self.anchor_lower: Dict[str, List[int]] = {}
        self.anchor_shape: Dict[int, List[int]] = {}
        self.anchor_all: List[int] = []
        # a fixed group order (frozenset reprs depend on the hash seed)
        order = sorted(groups.items(), key=lambda kv: (kv[0][0], sorted(kv[0][1] or [])))
        for gid, (key, g) in enumerate(order):
            matcher = Matcher(self.nlp.vocab)
            phrases = PhraseMatcher(self.nlp.vocab)
            for pat in g["patterns"]:
                label = repr((pat["label"], pat.get("id", "")))
                self.nlp.vocab.strings.add(label)
                if isinstance(pat["pattern"], str):
                    phrases.add(label, [self.nlp.make_doc(pat["pattern"])])
                else:
                    matcher.add(label, [pat["pattern"]])
            self.groups.append((matcher, phrases, min(g["back"], 16), min(g["fwd"], 24)))
            kind, values = key
            if kind == "lower":
                for v in values:
                    self.anchor_lower.setdefault(v, []).append(gid)
            elif kind == "shape":
                for v in values:
                    self.anchor_shape.setdefault(self.nlp.vocab.strings.add(v), []).append(gid)
            else:
                self.anchor_all.append(gid)

    def _anchor(self, pat: dict) -> Tuple[tuple, int, int]:
        spec = pat["pattern"]
        if isinstance(spec, str):
            toks = [t for t in self.nlp.make_doc(spec) if not t.is_space]
            return ("lower", frozenset([toks[0].lower_])), 0, 2 * len(toks) + 1
        toks = [t for t in spec if not t.get("IS_SPACE")]
        size = [4 if t.get("OP") in ("*", "+") else 1 for t in toks]
        required = [k for k, t in enumerate(toks) if t.get("OP") not in ("?", "*")]
        rare = [k for k in required if _word_set(toks[k]) and not _word_set(toks[k]) & COMMON_WORDS]
        shaped = [k for k in required if _shape_set(toks[k])]
        if rare:
            k = max(rare, key=lambda k: (min(len(w) for w in _word_set(toks[k])), -k))
            key: tuple = ("lower", frozenset(_word_set(toks[k])))
        elif shaped:
            k = shaped[0]
            key = ("shape", frozenset(_shape_set(toks[k])))
        elif toks and _word_set(toks[0]) and toks[0].get("OP") not in ("?", "*"):
            k = 0
            key = ("lower", frozenset(_word_set(toks[0])))
        else:
            k = 0
            key = ("all", None)
        return key, 2 * sum(size[:k]), 2 * sum(size[k:]) + 1

    def match_patterns(self, doc: Doc, lower: List[str], space: List[bool],
                       shape: List[int]) -> List[Candidate]:
        n = len(doc)
        hits: Dict[int, List[int]] = {}
        get_lower, get_shape = self.anchor_lower.get, self.anchor_shape.get
        for i, lw in enumerate(lower):
            gids = get_lower(lw)
            if gids:
                for gid in gids:
                    hits.setdefault(gid, []).append(i)
            gids = get_shape(shape[i])
            if gids:
                for gid in gids:
                    hits.setdefault(gid, []).append(i)
        for gid in self.anchor_all:
            hits[gid] = [-1]
        out = []
        seen = set()
        strings = self.nlp.vocab.strings
        for gid, positions in hits.items():
            matcher, phrases, back, fwd = self.groups[gid]
            windows: List[List[int]] = []
            for i in positions:
                start, end = (0, n) if i < 0 else (max(0, i - back), min(n, i + fwd))
                if windows and start <= windows[-1][1]:
                    windows[-1][1] = max(windows[-1][1], end)
                else:
                    windows.append([start, end])
            for ws, we in windows:
                span = doc[ws:we]
                found = list(matcher(span)) if len(matcher) else []
                if len(phrases):
                    found += list(phrases(span))
                for m_id, s, e in found:
                    label, pattern_id = _parse_label(strings[m_id])
                    s2, e2 = _trim_id(pattern_id, s + ws, e + ws)
                    while s2 < e2 and space[s2]:
                        s2 += 1
                    while e2 > s2 and space[e2 - 1]:
                        e2 -= 1
                    if e2 > s2 and (s2, e2, label) not in seen:
                        seen.add((s2, e2, label))
                        out.append(Candidate(s2, e2, label, PRIO_PATTERN))
        out.sort(key=lambda c: (c.start, c.end, c.label))
        return out

    # -- processing
    def __call__(self, doc: Doc) -> Doc:
        ctx = Ctx(doc, self.res, [])
        pattern_spans = self.match_patterns(doc, ctx.lower, ctx.space, ctx.shape)
        ctx.pattern_spans = pattern_spans
        cands = list(pattern_spans)
        for extract in self.extractors:
            cands.extend(extract(ctx))
        cands = [c for c in cands if not ctx.crosses_gap(c.start, c.end)]
        chosen = resolve(cands, len(doc))
        if self.repeat_names:
            repeats = [c for c in repeat_candidates(ctx, chosen) if not ctx.crosses_gap(c.start, c.end)]
            chosen = resolve(chosen + repeats, len(doc))
        spans = [Span(doc, c.start, c.end, label=c.label) for c in chosen
                 if c.label in ENTITY_LABELS]
        if self.spans_key:  # matches as features for a model downstream
            doc.spans[self.spans_key] = spans
            return doc
        existing = list(doc.ents)
        merged = merge_spans(spans, existing) if self.overwrite_ents else merge_spans(existing, spans)
        set_entities(doc, merged)
        return doc

    def score(self, examples, **kwargs):
        return self.scorer(examples, **kwargs) if self.scorer else {}

    # -- serialization: the pattern files travel with the pipeline
    def to_disk(self, path, *, exclude: Iterable[str] = tuple()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        for fname, text in self.files.items():
            (path / fname).write_text(text, encoding="utf8")

    def from_disk(self, path, *, exclude: Iterable[str] = tuple()) -> "EntityRules":
        path = Path(path)
        if path.exists() and any(path.glob("*.jsonl")):
            self.load(path)
        return self

    def to_bytes(self, *, exclude: Iterable[str] = tuple()) -> bytes:
        return srsly.msgpack_dumps({"files": self.files})

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = tuple()) -> "EntityRules":
        self.files = dict(srsly.msgpack_loads(data)["files"])
        self._build()
        return self


@Language.factory(
    "edgar_entity_rules",
    assigns=["doc.ents", "doc.spans"],
    default_config={
        "overwrite_ents": False,
        "patterns_dir": None,
        "extractors": DEFAULT_EXTRACTORS,
        "repeat_names": True,
        "spans_key": None,
        "scorer": {"@scorers": "spacy.ner_scorer.v1"},
    },
    default_score_weights={"ents_f": 1.0, "ents_p": 0.0, "ents_r": 0.0, "ents_per_type": None},
)
def make_entity_rules(nlp: Language, name: str, overwrite_ents: bool, patterns_dir: Optional[str],
                      extractors: List[str], repeat_names: bool, spans_key: Optional[str],
                      scorer: Optional[Callable]) -> EntityRules:
    """Rule matches go to ``doc.ents`` (merged with any there), or, with ``spans_key``,
    to ``doc.spans[spans_key]`` as features for a trained NER downstream."""
    comp = EntityRules(nlp, name, overwrite_ents=overwrite_ents, patterns_dir=patterns_dir,
                       extractors=extractors, repeat_names=repeat_names, spans_key=spans_key)
    comp.scorer = scorer
    return comp
