"""`edgar_layout`: the blocks of a filing and sentence boundaries suited to filings.

Works on characters with a handful of compiled regular expressions and maps the result
onto tokens once, so it costs little next to tokenization. It marks blocks in
``doc.spans[spans_key]`` (labels below) and sets ``token.is_sent_start`` so that no
parser is needed:

- COVER: the cover page of a form, up to the first Item;
- ITEM: an `Item 5.02` section, up to the next Item / signatures / exhibit;
- PARAGRAPH: a run of non-blank lines (or one line of collapsed text);
- SIGNATURE: a signature section (`SIGNATURE(S)`, "Pursuant to the requirements of the
  Securities ... Act", "IN WITNESS WHEREOF", `/s/`, `By:`) up to the first prose paragraph;
- SIGNATURE_TABLE: the part of a signature section "signed below by the following persons";
- POA: a power of attorney ("Power of Attorney", "KNOW ALL ... BY THESE PRESENTS",
  "constitutes and appoints");
- EXHIBIT: an exhibit (press release) after an `Exhibit 99.1` heading;
- CONTACT: a press-release contact block (`Contact:`, `Media Contact`, ...).

Texts come as layout-preserving originals (wrapped prose, indented signature columns) or
collapsed (each HTML block on one line); both are handled by line-level rules plus
in-line markers (`/s/`, `By:`, `Name:`, `Title:`, `Date:`, rules of dashes).
"""
from __future__ import annotations

import re
from bisect import bisect_left
from typing import Dict, List, Optional, Sequence, Set, Tuple

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

Block = Tuple[int, int, str]

# ----------------------------------------------------------------------- data tables
HEADING_PATTERNS: Dict[str, str] = {
    "SIGNATURE": r"^\s*SIGNATURES?\b|^\s*Signatures?\s*$",
    "ITEM": r"^\s*ITEM\s*:?\s*\d+(?:\.\d+)?\b|^\s*Item\s+\d+(?:\.\d+)?\b|^ITEM:\s",
    "EXHIBIT": r"^\s*(?:EXHIBIT|Exhibit|SCHEDULE|Schedule|ANNEX|Annex)\s+(?:\d+(?:\.\d+)?[A-Za-z]?|[A-Z]|[IVX]+)\s*$"
               r"|^\s*EX-\d+(?:\.\d+)?\s*$",
    "EXHIBIT_INDEX": r"^\s*(?:EXHIBIT INDEX|Exhibit Index|INDEX TO EXHIBITS)\s*$",
    "POA": r"^\s*(?:LIMITED\s+|SPECIAL\s+)?POWERS?\s+OF\s+ATTORNEY\b|^\s*(?:Limited\s+)?Power\s+of\s+Attorney\s*$",
    # "Contact:", "Media and Investor Contacts", "[Press Information Contact:]",
    # "Investor Relations Contact:", "Editorial Contact:"
    "CONTACT": r"^\s*\[?\s*(?:(?:Media|Investors?|Press|Company|Analysts?|Editorial|Public|Corporate|"
               r"Financial|Information|Relations|News|and|&|/)\s*)*"
               r"(?:Contacts?|CONTACTS?)\s*(?::|\]|$|\s{2,})|^\s*(?:MEDIA|INVESTOR|PRESS)S?\s+CONTACTS?\b"
               r"|^\s*(?:For (?:further|more|additional) information|FOR (?:FURTHER|MORE) INFORMATION)\b",
}
# sentences that open a signature block (anywhere in a line)
SIGNATURE_OPENERS = (
    r"Pursuant\s+to\s+the\s+requirements\s+of\s+(?:Section\s+13\s+or\s+15\s*\(d\)\s+(?:of\s+)?)?"
    r"the\s+Securities\s+(?:and\s+)?(?:Exchange\s+)?Act"
    r"|IN WITNESS WHEREOF|In witness whereof"
    r"|After reasonable inquiry and to the best of (?:my|our|its) knowledge")
SIGNATURE_TABLE_OPENERS = (
    r"(?:signed|executed) (?:below )?by the following persons"
    r"|signed below by the following|in the capacities and on the dates indicated")
POA_OPENERS = (r"\bPower of Attorney\b|KNOW ALL (?:PERSONS|MEN|PEOPLE)?\s*(?:BY THESE PRESENTS)?|Know all (?:persons|men) by these presents"
               r"|constitutes? and appoints?|hereby (?:makes?,? )?(?:constitutes?|appoints?|designates?)")
# in-line markers that start a new line-like unit inside signature blocks
SIGNATURE_MARKERS = (r"/s/|(?<![A-Za-z])By:|(?<![A-Za-z])Name:|(?<![A-Za-z])Title:|(?<![A-Za-z])Its:"
                     r"|(?<![A-Za-z])Date[sd]?:|(?<![A-Za-z])Signature:|-{4,}|_{4,}|={4,}")
# abbreviations after which a period does not end a sentence
ABBREVIATIONS = frozenset("""mr mrs ms dr messrs prof st jr sr inc corp co ltd no nos
    u.s u.s.a l.p n.a s.a p.c l.l.c esq ph.d m.d jan feb mar apr jun jul aug sep sept oct nov
    dec vs v etc al approx ave blvd dept fig e.g i.e cf ex sec gen col gov hon rev reg""".split())
# sentence starters that end a sentence even after an abbreviation (`... Acme, Inc. The ...`)
STARTERS = frozenset("""The This These Those In On As At It We Our He She They His Her Their
    Such Each Pursuant Following Under Upon Prior After Before Effective Mr. Ms. Mrs. Dr.
    There A An If For All Any Also No""".split())
CONTINUATION_END = re.compile(r"(?:[,;&(/\-]|\b(?:and|or|of|the|to|for|by|in|with|a|an))\s*$",
                              re.IGNORECASE)

_HEAD = {k: re.compile(v, re.MULTILINE) for k, v in HEADING_PATTERNS.items()}
_SIG_OPEN = re.compile(SIGNATURE_OPENERS)
_SIG_TABLE = re.compile(SIGNATURE_TABLE_OPENERS, re.IGNORECASE)
_POA_OPEN = re.compile(POA_OPENERS)
_MARKER = re.compile(SIGNATURE_MARKERS)
_LINE = re.compile(r"[^\n]*")
_SENT_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s+[\"“(\[]?[A-Z0-9])")
_SIG_LINE = re.compile(r"/s/|^\s*By\b|^\s*\*|^\s*(?:Name|Title|Date|Its|Signature)\s*:", re.MULTILINE)


class Line:
    __slots__ = ("start", "end", "text", "indent", "blank")

    def __init__(self, start: int, end: int, text: str):
        self.start, self.end, self.text = start, end, text
        stripped = text.lstrip()
        self.indent = len(text) - len(stripped)
        self.blank = not stripped


def split_lines(text: str) -> List[Line]:
    out = []
    pos = 0
    for raw in text.split("\n"):
        out.append(Line(pos, pos + len(raw), raw))
        pos += len(raw) + 1
    return out


_UNIT_BREAK = re.compile(
    "|".join([HEADING_PATTERNS["SIGNATURE"], HEADING_PATTERNS["ITEM"], HEADING_PATTERNS["EXHIBIT"],
              HEADING_PATTERNS["POA"], HEADING_PATTERNS["CONTACT"],
              HEADING_PATTERNS["EXHIBIT_INDEX"],
              r"^\s*(?:" + SIGNATURE_OPENERS + ")",
              r"^\s*(?:/s/|By:|Signature:|\*\s*By\b)"]))


def paragraphs(lines: Sequence[Line], long_line: int = 200) -> List[Tuple[int, int]]:
    """Units of text as (first line index, last line index): runs of non-blank lines, split
    before heading-like lines and around long (collapsed) lines."""
    out = []
    first = None
    prev_sig = False
    for i, line in enumerate(lines):
        if line.blank:
            if first is not None:
                out.append((first, i - 1))
                first = None
            prev_sig = False
            continue
        is_long = len(line.text) > long_line
        brk = False
        if first is not None:
            if is_long or len(lines[i - 1].text) > long_line:
                brk = True
            elif _UNIT_BREAK.match(line.text):
                sig_like = bool(re.match(r"\s*(?:/s/|By:|Signature:|\*)", line.text))
                brk = not (sig_like and prev_sig)
        if brk:
            out.append((first, i - 1))
            first = None
        if first is None:
            first = i
        prev_sig = bool(_SIG_LINE.search(line.text))
    if first is not None:
        out.append((first, len(lines) - 1))
    return out


def _is_prose(text: str, long_line: int) -> bool:
    if _MARKER.search(text) or _SIG_OPEN.search(text) or _SIG_TABLE.search(text) \
            or _POA_OPEN.search(text):
        return False
    ws = text.split()
    return len(text) > long_line or (len(ws) >= 12 and sum(w[:1].islower() for w in ws) >= 6)


def find_blocks(text: str, long_line: int = 200) -> List[Block]:
    """The blocks of a filing as (start_char, end_char, label), sorted by start."""
    lines = split_lines(text)
    paras = paragraphs(lines, long_line)
    n = len(text)
    blocks: List[Block] = []
    para_spans = [(lines[a].start + lines[a].indent, lines[b].end) for a, b in paras]
    para_texts = [text[s:e] for s, e in para_spans]
    for (s, e) in para_spans:
        blocks.append((s, e, "PARAGRAPH"))

    # headings, by paragraph (a heading is a paragraph's first line)
    first_lines = [lines[a].text for a, _ in paras]
    items, exhibits, contacts, sig_starts, poa_starts = [], [], [], [], []
    ends_sections: List[int] = []
    for k, line in enumerate(first_lines):
        if _HEAD["ITEM"].match(line):
            items.append(k)
        elif _HEAD["EXHIBIT"].match(line):
            exhibits.append(k)
        elif _HEAD["EXHIBIT_INDEX"].match(line):
            ends_sections.append(k)
        if _HEAD["CONTACT"].match(line):
            contacts.append(k)
        if _HEAD["SIGNATURE"].match(line) or _SIG_OPEN.match(para_texts[k].lstrip()) or (
                len(line) <= long_line and re.match(r"\s*(?:/s/|By:|Signature:|\*\s*By\b)", line)):
            sig_starts.append(k)
        elif _HEAD["POA"].match(line) or _POA_OPEN.search(para_texts[k][:400]):
            poa_starts.append(k)
    # collapsed text: a signature section may start inside a long line
    for k, ptext in enumerate(para_texts):
        if k not in sig_starts and ("/s/" in ptext or " By: " in ptext) and _SIG_OPEN.search(ptext):
            sig_starts.append(k)
    sig_starts.sort()

    def span_of(k0: int, k1: int) -> Tuple[int, int]:
        return para_spans[k0][0], para_spans[k1][1]


    def next_head(k: int, heads: Sequence[int]) -> int:
        j = bisect_left(heads, k + 1)
        return heads[j] if j < len(heads) else len(paras)

    # COVER: start of a form up to its first Item (or first signature section)
    if paras and re.search(r"Exact name of registrant|Name of Issuer|CURRENT REPORT",
                           text[:4000], re.IGNORECASE):
        stop = min([k for k in items + sig_starts if k > 0] or [len(paras)])
        if stop > 0:
            blocks.append((para_spans[0][0], para_spans[stop - 1][1], "COVER"))
    # ITEM
    item_stops = sorted(set(items) | set(exhibits) | set(ends_sections) | set(sig_starts))
    for k in items:
        stop = next_head(k, item_stops)
        s, e = span_of(k, stop - 1)
        blocks.append((s, e, "ITEM"))
    # EXHIBIT
    exhibit_stops = sorted(set(exhibits) | set(ends_sections))
    for k in exhibits:
        stop = next_head(k, exhibit_stops)
        if stop - 1 >= k:
            s, e = span_of(k, stop - 1)
            blocks.append((s, e, "EXHIBIT"))
    # SIGNATURE / SIGNATURE_TABLE: from the opener through signature-like paragraphs
    hard_stops = sorted(set(items) | set(exhibits) | set(ends_sections))
    covered = -1
    for k in sig_starts:
        if k <= covered:
            continue
        stop = next_head(k, hard_stops)
        last = k
        for j in range(k + 1, stop):
            pt = para_texts[j]
            if j in contacts:
                break
            if _is_prose(pt, long_line):
                break
            last = j
        covered = last
        s, e = span_of(k, last)
        if lines[paras[k][0]].end - lines[paras[k][0]].start > long_line:
            # collapsed line: start at the opener inside it
            m = _HEAD["SIGNATURE"].search(text, s, e) or _SIG_OPEN.search(text, s, e)
            if m:
                s = m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
        elif re.match(r"\s*(?:/s/|By:|Signature:|\*\s*By\b)", lines[paras[k][0]].text):
            # a bare signature: take in the company / date / closing lines just above it
            i = paras[k][0] - 1
            taken = 0
            while i >= 0 and taken < 4:
                ln = lines[i]
                if ln.blank:
                    i -= 1
                    continue
                t = ln.text.strip()
                if len(t) > 60 or (t.endswith(".") and len(t.split()) > 2) or t[:1].islower() \
                        or _HEAD["EXHIBIT"].match(ln.text):
                    break
                s = ln.start + ln.indent
                taken += 1
                i -= 1
        blocks.append((s, e, "SIGNATURE"))
        m = _SIG_TABLE.search(text, s, e)
        if m:
            t0 = text.rfind("\n", s, m.start())
            t0 = s if t0 < 0 else t0 + 1
            blocks.append((max(s, t0 + (len(text[t0:m.start()]) - len(text[t0:m.start()].lstrip()))), e,
                           "SIGNATURE_TABLE"))
    # POA: the appointing text; in a stand-alone power of attorney the whole rest
    for k in poa_starts:
        if any(b[2] == "POA" and b[0] <= para_spans[k][0] < b[1] for b in blocks):
            continue
        stop = len(paras)
        for j in range(k + 1, len(paras)):
            if j in sig_starts or j in items or j in exhibits:
                stop = j
                break
        s, e = span_of(k, stop - 1)
        blocks.append((s, e, "POA"))
    # CONTACT: the heading line and the short lines after it
    for k in contacts:
        a, b = paras[k]
        s = lines[a].start + lines[a].indent
        e = lines[b].end
        blank_run = 0
        count = 0
        for i in range(b + 1, min(len(lines), b + 16)):
            ln = lines[i]
            if ln.blank:
                blank_run += 1
                if blank_run > 1:
                    break
                continue
            if len(ln.text.strip()) > 100 or re.match(r"\s*(?:#|About\b|ABOUT\b|-\s*\d+\s*-)", ln.text):
                break
            blank_run = 0
            count += 1
            e = ln.end
        if len(text[s:e]) > 100 and "\n" not in text[s:e]:
            # collapsed: the contact block is the rest of the line, up to 400 characters
            e = min(e, s + 400)
        blocks.append((s, e, "CONTACT"))
    blocks = [(s, e, lab) for s, e, lab in blocks if 0 <= s < e <= n]
    blocks.sort(key=lambda b: (b[0], -b[1]))
    return blocks


def _line_range(para: Tuple[int, int]) -> Tuple[int, int]:
    return para[0], para[1] + 1


# ---------------------------------------------------------------- sentence boundaries
def sentence_starts(text: str, blocks: Sequence[Block], short_line: int = 45,
                    line_labels: Sequence[str] = ("SIGNATURE", "SIGNATURE_TABLE", "COVER",
                                                  "CONTACT")) -> Set[int]:
    """Character offsets where sentences start."""
    starts: Set[int] = {0}
    line_regions = [(s, e) for s, e, lab in blocks if lab in line_labels]
    sig_regions = [(s, e) for s, e, lab in blocks if lab in ("SIGNATURE", "SIGNATURE_TABLE")]

    def inside(pos: int, regions) -> bool:
        for s, e in regions:
            if s <= pos < e:
                return True
        return False

    lines = split_lines(text)
    prev: Optional[Line] = None
    for line in lines:
        if line.blank:
            prev = None
            continue
        pos = line.start + line.indent
        stripped = line.text.strip()
        if prev is None:
            starts.add(pos)
        else:
            ptext = prev.text.strip()
            cont = bool(CONTINUATION_END.search(ptext))
            if inside(pos, line_regions):
                if _SIG_LINE.match(line.text) or (not cont and (
                        len(ptext) < 60 or _SIG_LINE.search(prev.text)
                        or re.search(r"[.:;!?)][\"'”’]*$", ptext))):
                    starts.add(pos)
            elif (len(ptext) < short_line and not cont) or re.match(
                    r"(?:\(?[a-z0-9ivx]{1,4}[.)]|[•·●▪\-*]\s)", stripped):
                starts.add(pos)
            elif re.search(r"[.:;!?][\"'”’)]*$", ptext) and stripped[:1].isupper() \
                    and len(ptext) < 0.8 * max(len(prev.text), 60):
                starts.add(pos)
        prev = line
    # sentence punctuation
    for m in _SENT_END.finditer(text):
        end = m.end()
        word_start = max(text.rfind(" ", 0, m.start()), text.rfind("\n", 0, m.start())) + 1
        word = text[word_start:m.start()].lower().strip("(\"'“")
        nxt = end
        while nxt < len(text) and text[nxt].isspace():
            nxt += 1
        if text[m.start()] == ".":
            if (word in ABBREVIATIONS or (len(word) == 1 and word.isalpha())
                    or re.fullmatch(r"(?:[a-z]\.)+[a-z]", word)):
                nword = text[nxt:nxt + 12].split(" ", 1)[0]
                if nword not in STARTERS:
                    continue
        starts.add(nxt)
    # in-line markers inside signature blocks (collapsed text puts a block on one line)
    for s, e in sig_regions:
        last_end = -10
        for m in _MARKER.finditer(text, s, e):
            tok = m.group(0)
            if tok[0] in "-_=":
                starts.add(m.end())
            elif not text[last_end:m.start()].strip(" \t_") == "" or last_end < 0:
                starts.add(m.start())
            last_end = m.end()
    return starts


def set_sentences(doc: Doc, starts: Set[int]) -> None:
    n = len(doc)
    if n == 0:
        return
    idx = [t.idx for t in doc]
    values = numpy.full((n, 1), -1, dtype="int32")
    values[0, 0] = 1
    # tokens inside an entity never start a sentence
    blocked = set()
    for ent in doc.ents:
        blocked.update(range(ent.start + 1, ent.end))
    for c in starts:
        i = bisect_left(idx, c)
        while i < n and doc[i].is_space:
            i += 1
        if i < n and i not in blocked:
            values[i, 0] = 1
    # whitespace-only tokens right after a boundary stay in the previous sentence
    doc.from_array([SENT_START], values.astype("uint64"))


class Layout:
    def __init__(self, nlp: Language, name: str, spans_key: str, long_line: int,
                 short_line: int, set_sents: bool):
        self.name = name
        self.spans_key = spans_key
        self.long_line = long_line
        self.short_line = short_line
        self.set_sents = set_sents

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        blocks = find_blocks(text, self.long_line)
        spans = []
        for s, e, label in blocks:
            span = doc.char_span(s, e, label=label, alignment_mode="expand")
            if span is not None and len(span):
                spans.append(span)
        doc.spans[self.spans_key] = spans
        if self.set_sents:
            set_sentences(doc, sentence_starts(text, blocks, self.short_line))
        return doc


@Language.factory(
    "edgar_layout",
    assigns=["doc.spans", "token.is_sent_start"],
    default_config={"spans_key": "blocks", "long_line": 200, "short_line": 45,
                    "set_sents": True},
)
def make_layout(nlp: Language, name: str, spans_key: str, long_line: int, short_line: int,
                set_sents: bool) -> Layout:
    return Layout(nlp, name, spans_key, long_line, short_line, set_sents)
