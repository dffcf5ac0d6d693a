"""`edgar_relation_rules`: document-level relations from entities and layout blocks.

Reads ``doc.ents`` and ``doc.spans[blocks_key]`` (from ``edgar_layout``) and writes
``doc._.relations`` (dicts from ``pipeline.schema.make_relation``, ``source="rules"``,
``evidence`` = character offsets of the sentence or block that states the relation).

The rules follow ANNOTATION.md ("Decisions for the hard cases"):

- signature blocks and signature tables: SIGNS(signer -> firm(s) signed for, through a
  general-partner chain, and -> date), HAS_ROLE(signer -> each title),
  AFFILIATED_WITH(signer -> firm); signatures made by an attorney-in-fact;
- powers of attorney: the principal (the signer) APPOINTS each attorney named,
  HAS_ROLE(attorney -> attorney-in-fact), AFFILIATED_WITH(attorney -> firm after "of"),
  AFFILIATED_WITH(principal -> company of the capacity clause), no HAS_ROLE when hedged;
- "each person whose signature appears below constitutes and appoints X and Y": every
  signer below appoints each attorney, nobody appoints themselves;
- company appointments (8-K items, press releases), appositives "X, Chief Executive
  Officer of Acme", press-release contacts, debt issuance sentences;
- "the Company" / "the Registrant" / "we" resolve to the registrant's name;
- endpoints are the fullest alias (``pipeline.aliases``); one relation per entity pair
  and label.

Trigger words and connectors are data: the module-level tables below.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from typing import Dict, Iterable, List, Optional, Sequence, Set, Tuple

from spacy.language import Language
from spacy.tokens import Doc

from ..aliases import AliasIndex, words
from ..schema import allowed, make_relation, register_extensions

register_extensions()

# --------------------------------------------------------------------------- lexicons
LEXICON: Dict[str, str] = {
    # a company appoints / elects / names a person
    "appoint": r"\b(?:appoint(?:ed|s|ing|ment)?|elect(?:ed|s|ing|ion)|re-?elected|"
               r"named(?! executive)|names|"
               r"promot(?:ed|es|ion)|hired|nominated|selected|join(?:ed|s|ing)?)\b",
    # words that make a person in an appointment sentence someone else (leaving, replaced)
    "not_appointee": r"\b(?:succeed(?:s|ed|ing)?|replac(?:e|es|ed|ing)|resign\w*|retir\w*|"
                     r"depart\w*|terminat\w*|step(?:ped|s)? down|former(?:ly)?|predecessor)\b",
    "debt_instrument": r"\b(?:(?:convertible |subordinated |senior |promissory |secured |unsecured )*"
                       r"(?:debentures?|notes?|bonds?|debt securities|medium-term notes?))\b",
    "debt_exclude": r"\b(?:loans?|credit (?:facility|facilities|agreement|line)|line of credit|"
                    r"revolving|term loan|borrowings?)\b",
    "money_not_principal": r"^\s*(?:per\b|a share|each\b|in (?:cash|fees)|of (?:cash|interest|"
                           r"proceeds)|per share)",
    "money_not_principal_before": r"(?:price of|proceeds of|net proceeds|per share|interest of|"
                                  r"at a price|fee of|payments? of|dividends? of)\s*(?:approximately\s*)?$",
    # hedged capacity ("officer, director and/or 10% shareholder")
    "hedge": r"and/or|\bor\b",
    "attorney_role": r"attorney",
    "poa_appoint": r"\b(?:authorized to act as|have granted|constitut\w*(?:,)? (?:and|&) appoint\w*|hereby (?:make[s]?,? )?"
                   r"(?:appoint|designate|authorize|constitute)\w*|appoints?)\b",
    "poa_each_signer": r"(?:each|every) (?:person|individual|director|officer)s?[^.]{0,60}?"
                       r"(?:signature|name)s? appears? below|(?:persons|individuals) whose "
                       r"signatures? appears? below|the undersigned (?:directors|officers)",
    "capacity": r"(?:capacity as|undersigned,? (?:as|being)|in (?:his|her|their) capacity as)\s",
    "registrant_ref": r"\b(?:the Company|the Registrant|the registrant|the Corporation|we|our)\b",
    "table_opener": r"by the following persons?|signed below by|in the capacit(?:y|ies) and on the dates?",
    "letter": r"\b(?:Sincerely|Very truly yours|Yours truly|Respectfully(?: submitted)?|"
              r"Dear (?:Sir|Madam|Mr|Ms)|Ladies and Gentlemen)\b",
    "execution": r"\b(?:executed|signed|dated|IN WITNESS WHEREOF|set (?:my|his|her) hand)\b",
}

# connectors between entities, matched against the text between two entity mentions
GAPS: Dict[str, str] = {
    # PERSON -> first ROLE of an appositive or predicate
    "person_role": r"^\s*(?:,|\(|--|—|–|-|:)?\s*(?:(?:age[d]?\s+\d+|\d+)\s*,\s*)?"
                   r"(?:(?:who|which)\s+)?"
                   r"(?:(?:is|was|has|have|had|been|will|would|be|become|became|becomes|serve[sd]?|"
                   r"serving|currently|formerly|previously|also|now|as|the|a|an|its|our|his|her|"
                   r"their|new|newly|interim|acting|company['’]s|registrant['’]s|corporation['’]s|"
                   r"bank['’]s|s|"
                   # past and changing roles count (ANNOTATION.md): "resigned as a director"
                   r"resigned|retired|retiring|stepped|steps|down|continue[sd]?|continuing|remains?|"
                   r"remained|named|appointed|elected|re-elected|promoted|hired|to|resigns?|"
                   # "X transitioned from the role of Chief Financial Officer to Vice Chairman"
                   r"transition(?:ed|s|ing)?\s+(?:from\s+)?(?:the\s+)?(?:role|position|office)\s+of)\s+|,\s*)*$",
    # ROLE -> next ROLE of a list
    # (a change of role: "from the role of Chief Financial Officer to Vice Chairman")
    "role_role": r"^\s*(?:,|&|/|and|,\s*and|,\s*&|to)?\s*(?:(?:the|a|an|its|as|also)\s+)?$",
    # ROLE -> FIRM of which the person holds the role
    "role_firm": r"^\s*,?\s*(?:of|at|for|with|to)\s+(?:the\s+)?$|^\s*,\s*$",
    # ROLE (list) -> PERSON: "Chief Executive Officer John Smith"
    "role_person": r"^\s*,?\s*$",
    # PERSON list members
    "person_person": r"^\s*(?:,|and|,\s*and|&)\s*$",
    # PERSON -> FIRM of a contact card: "Mr. Jo Roe, Acme Corp., P.O. Box 1", "Jo Roe\nAcme Inc.\n(212)"
    "person_card": r"^\s*(?:,\s*|\n\s*)$",
    # PERSON -> FIRM after "of" (attorneys of a law firm)
    "person_firm": r"^\s*,?\s*(?:of|at|with)\s+(?:the\s+)?$",
}
# "<title> of the Company": the registrant is the firm of the title ("the Company" resolution)
OF_REGISTRANT = re.compile(r"^\s*,?\s*(?:of|at|for|with)\s+(?:the\s+)?(?:Company|Registrant|Corporation|"
                           r"Issuer|Bank)\b(?!\s*['’]s)")
# what follows the firm of a contact card: an address or a telephone number
CARD_TAIL = re.compile(r"^\s*[,\n]?\s*(?:P\.?\s?O\.?\s+Box\b|c/o\b|\d{1,6}\s+[A-Z][a-z]+|\(\d{3}\)\s*\d{3}|"
                       r"\d{3}[-./ ]\d{3}[-./ ]\d{4}|(?:Tel|Telephone|Phone)\b)")
# roles that are generic in an appositive and give no HAS_ROLE on their own
NON_HOLDER_ROLES = frozenset({"shareholder", "shareholders", "stockholder", "stockholders"})
# FIRMs never the registrant (regulators, exchanges)
NOT_REGISTRANT = re.compile(r"securities and exchange|^sec$|exchange commission|stock exchange|"
                            r"^nyse|nasdaq|^amex|federal reserve|^omb$|^fasb$|^pcaob$", re.I)

_RX = {k: re.compile(v, re.IGNORECASE) for k, v in LEXICON.items()}
_RX["registrant_ref"] = re.compile(LEXICON["registrant_ref"])
_GAP = {k: re.compile(v, re.IGNORECASE) for k, v in GAPS.items()}
_MARKER = re.compile(r"/[sS]/|(?<![A-Za-z])By:?(?=\s)|(?:(?<=\s)|^)\*+(?=\s|By)|(?<![A-Za-z])Signature:")
_DEFINED = re.compile(r"^\s*,?\s*(?:an?\s+[A-Z][\w.\s]{0,30}?(?:corporation|company|limited partnership|"
                      r"partnership|trust|bank|association)\s*,?\s*)?\((?:the\s+)?[\"“”']*(?:Company|Registrant|Corporation|Issuer|"
                      r"Bank|Partnership|Trust)[\"“”']*\)")


class Ent:
    __slots__ = ("start", "end", "label", "text", "i")

    def __init__(self, start: int, end: int, label: str, text: str, i: int):
        self.start, self.end, self.label, self.text, self.i = start, end, label, text, i

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"{self.label}:{self.text!r}@{self.start}"


class Relations:
    """Collects relations keyed by (head entity, label, tail entity) after alias merging."""

    def __init__(self, aliases: AliasIndex):
        self.aliases = aliases
        self.items: Dict[Tuple, dict] = {}

    def add(self, head: Ent, label: str, tail: Ent, evidence: Tuple[int, int],
            score: float = 1.0) -> None:
        if head is None or tail is None:
            return
        if not allowed(label, head.label, tail.label):
            return
        hkey = self.aliases.key(head.text, head.label)
        tkey = self.aliases.key(tail.text, tail.label)
        if hkey == tkey:
            return
        key = (hkey, label, tkey)
        if key in self.items:
            return
        self.items[key] = make_relation(
            self.aliases.canonical(head.text, head.label), head.label, label,
            self.aliases.canonical(tail.text, tail.label), tail.label,
            score=score, evidence=evidence, source="rules")

    def values(self) -> List[dict]:
        return list(self.items.values())


class Context:
    """The entities, blocks and sentences of one document, with fast look-ups."""

    def __init__(self, doc: Doc, blocks_key: str):
        self.doc = doc
        self.text = doc.text
        self.ents: List[Ent] = [Ent(e.start_char, e.end_char, e.label_, e.text, k)
                                for k, e in enumerate(doc.ents)]
        self.starts = [e.start for e in self.ents]
        self.blocks: List[Tuple[int, int, str]] = []
        if blocks_key in doc.spans:
            self.blocks = [(s.start_char, s.end_char, s.label_) for s in doc.spans[blocks_key]]
        self.sents: List[Tuple[int, int]] = []
        if len(doc) and doc.has_annotation("SENT_START"):
            self.sents = [(s.start_char, s.end_char) for s in doc.sents]
        else:
            self.sents = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*",
                                                                      self.text)]
        self.sent_starts = [s for s, _ in self.sents]
        self.aliases = AliasIndex.from_doc(doc)
        self.done_clauses: List[Tuple[int, int]] = []

    def in_range(self, s: int, e: int, labels: Optional[Iterable[str]] = None) -> List[Ent]:
        lo = bisect_left(self.starts, s)
        hi = bisect_left(self.starts, e)
        out = [x for x in self.ents[lo:hi] if x.end <= e]
        if labels is not None:
            labels = set(labels)
            out = [x for x in out if x.label in labels]
        return out

    def sent_of(self, pos: int) -> Tuple[int, int]:
        k = bisect_right(self.sent_starts, pos) - 1
        if k < 0:
            return (0, len(self.text))
        return self.sents[k]

    def blocks_of(self, label: str) -> List[Tuple[int, int]]:
        return [(s, e) for s, e, lab in self.blocks if lab == label]

    def in_blocks(self, pos: int, labels: Sequence[str]) -> bool:
        for s, e, lab in self.blocks:
            if lab in labels and s <= pos < e:
                return True
        return False

    def gap(self, a: Ent, b: Ent) -> str:
        return self.text[a.end:b.start]


# ------------------------------------------------------------------------ registrant
def find_registrant(ctx: Context) -> Optional[Ent]:
    text = ctx.text
    firms = [e for e in ctx.ents if e.label == "FIRM"]
    if not firms:
        return None
    # 1. cover page: the name above "(Exact name of registrant ...)"
    m = re.search(r"exact name of (?:the )?registrant", text, re.IGNORECASE)
    if m:
        before = [e for e in firms if e.end <= m.start() and m.start() - e.end < 300]
        if before:
            return before[-1]
    # 2. a definition: `Acme, Inc. (the "Company")`
    for e in firms:
        if _DEFINED.match(text[e.end:e.end + 90]) and not NOT_REGISTRANT.search(e.text):
            return e
    # 3. the company line of the first signature block
    for s, e in ctx.blocks_of("SIGNATURE"):
        cands = [f for f in ctx.in_range(s, e, ("FIRM",)) if not NOT_REGISTRANT.search(f.text)]
        if cands:
            return cands[0]
    # 4. the most frequent firm (by alias group)
    counts: Counter = Counter()
    first: Dict = {}
    for e in firms:
        if NOT_REGISTRANT.search(e.text):
            continue
        key = ctx.aliases.key(e.text, "FIRM")
        counts[key] += 1
        first.setdefault(key, e)
    if counts:
        return first[counts.most_common(1)[0][0]]
    return None


# ------------------------------------------------------------------- signature blocks
_FULL_DATE = re.compile(r"(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*\d"
                        r"|\d\s*(?:st|nd|rd|th)?\s+(?:day\s+of\s+)?(?:jan|feb|mar|apr|may|jun|jul|"
                        r"aug|sep|oct|nov|dec)|\d{1,2}/\d{1,2}/\d{2,4}")


class Signer:
    __slots__ = ("ent", "firms", "roles", "dates", "block", "table", "pos", "explicit")

    def __init__(self, ent: Ent, block: int, table: bool):
        self.ent = ent
        self.firms: List[Ent] = []
        self.roles: List[Ent] = []
        self.dates: List[Ent] = []
        self.block = block
        self.table = table
        self.pos = ent.start
        self.explicit = False  # signs for a firm named in its own block


def signature_regions(ctx: Context) -> List[Tuple[int, int]]:
    regions = sorted(ctx.blocks_of("SIGNATURE"))
    merged: List[Tuple[int, int]] = []
    for s, e in regions:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


_BLOCK_OPENER = re.compile(r"Pursuant\s+to\s+the\s+requirements|IN WITNESS WHEREOF|In witness whereof|"
                           r"After reasonable inquiry|signed below by|by the following persons?")


def is_prose(ctx: Context, pos: int, max_words: int = 30) -> bool:
    """Whether the sentence at pos is running prose (a POA clause inside a signature page)."""
    s, e = ctx.sent_of(pos)
    chunk = ctx.text[s:e]
    return chunk.count(" ") >= max_words and len(chunk.split()) > max_words \
        and not _MARKER.search(chunk)


def read_signatures(ctx: Context, registrant: Optional[Ent],
                    nonsigners: Optional[List[Signer]] = None) -> List[Signer]:
    """Signers of every signature region, with the firms, roles and dates of their entries.
    Persons listed in a signature table without a signature go to ``nonsigners``."""
    text = ctx.text
    signers: List[Signer] = []
    if nonsigners is None:
        nonsigners = []
    block_no = 0
    for rs, re_ in signature_regions(ctx):
        # events: block openers, entry markers and entities, in text order
        events: List[Tuple[int, int, object]] = []
        for m in _BLOCK_OPENER.finditer(text, rs, re_):
            events.append((m.start(), 0, ("open", m)))
        for m in _MARKER.finditer(text, rs, re_):
            events.append((m.start(), 1, ("mark", m)))
        for ent in ctx.in_range(rs, re_):
            events.append((ent.start, 2, ent))
        events.sort(key=lambda x: (x[0], x[1]))

        pending_firms: List[Ent] = []
        firms_used = False
        default_firms: List[Ent] = []
        table = False
        seg_person: Optional[Signer] = None
        seg_first: Optional[Signer] = None
        seg_buffer: List[Ent] = []
        seen_marker = False
        has_markers = bool(_MARKER.search(text, rs, re_))
        seg_quota = 0
        seg_signers = 0
        since_person: List[Ent] = []
        opener_end = rs
        block_signers: List[Signer] = []
        header_dates: List[Tuple[int, Ent]] = []
        opener_dates: List[Tuple[int, Ent]] = []
        by_key: Dict = {}
        by_marker = False

        def new_block(m) -> None:
            nonlocal block_no, table, pending_firms, default_firms, seen_marker
            nonlocal seg_person, seg_first, seg_buffer, opener_end, firms_used
            block_no += 1
            sent = ctx.sent_of(m.start())
            opener_end = max(sent[1], m.end())
            sent_text = text[sent[0]:sent[1]]
            table = bool(_RX["table_opener"].search(sent_text))
            default_firms = [registrant] if registrant is not None and (
                table or re.search(r"registrant|Registrant|REGISTRANT|on (?:its|their) behalf",
                                   sent_text)) else []
            pending_firms = []
            firms_used = False
            opener_dates.extend((block_no, d) for d in ctx.in_range(sent[0], sent[1], ("DATE",)))
            seen_marker = False
            seg_person, seg_first, seg_buffer = None, None, []

        def get_signer(ent: Ent) -> Signer:
            key = ctx.aliases.key(ent.text, "PERSON")
            sg = by_key.get((block_no, key))
            if sg is not None and pending_firms and not firms_used:
                # the same person signs again under a second company line: for it too
                fkeys = {ctx.aliases.key(f.text, "FIRM") for f in sg.firms}
                sg.firms += [f for f in pending_firms if ctx.aliases.key(f.text, "FIRM") not in fkeys]
            if sg is None:
                sg = Signer(ent, block_no, table)
                if pending_firms and not firms_used:
                    sg.firms = list(pending_firms)
                    sg.explicit = True
                elif pending_firms and by_marker:
                    # another "By:" under the same company line signs for that company
                    sg.firms = list(pending_firms)
                    sg.explicit = True
                elif table or not pending_firms:
                    sg.firms = list(default_firms) if not pending_firms or table else []
                by_key[(block_no, key)] = sg
                signers.append(sg)
                block_signers.append(sg)
            return sg

        new_block_started = False
        for pos, kind, ev in events:
            if kind == 0:
                _, m = ev
                new_block(m)
                new_block_started = True
                continue
            if kind == 1:
                _, mk = ev
                if mk.group().startswith("By"):
                    by_marker = True
                if seg_person is not None or seg_buffer:
                    seg_person, seg_first, seg_buffer = None, None, []
                    seg_quota, seg_signers = 0, 0
                seg_quota += 1
                seen_marker = True
                continue
            ent: Ent = ev  # type: ignore[assignment]
            if not new_block_started:
                block_no += 1
                new_block_started = True
            if ent.start < opener_end and ent.label != "FIRM":
                continue
            if ent.label != "FIRM" and is_prose(ctx, ent.start):
                continue
            if ent.label == "FIRM":
                if ent.start < opener_end:
                    continue
                if NOT_REGISTRANT.search(ent.text):
                    continue
                if seg_person is not None:
                    line_start = text.rfind("\n", 0, ent.start) + 1
                    before = text[max(seg_person.pos, line_start):ent.start]
                    if before.strip() and seg_person.ent.start < line_start:
                        # "Director, Credit Suisse AG", "President of Acme": the signer's firm
                        if all(ctx.aliases.key(f.text, "FIRM") != ctx.aliases.key(ent.text, "FIRM")
                               for f in seg_person.firms):
                            seg_person.firms.append(ent)
                        continue
                    if re.search(r"\b(?:of|for)\s+(?:the\s+)?$", before):
                        seg_person.firms.append(ent)
                        continue
                    seg_person, seg_first, seg_buffer = None, None, []
                if firms_used:
                    pending_firms = []
                    firms_used = False
                pending_firms.append(ent)
                continue
            if ent.label == "PERSON":
                key = ctx.aliases.key(ent.text, "PERSON")
                known = (block_no, key) in by_key
                if has_markers and not known and seg_signers >= seg_quota:
                    # a row without a signature ("did not sign"): roles, no SIGNS
                    ns = Signer(ent, block_no, table)
                    ns.firms = list(default_firms) if table else []
                    moved = [x for x in since_person if x.label == "ROLE"]
                    if seg_person is not None:
                        seg_person.roles = [r for r in seg_person.roles if r not in moved]
                    ns.roles = moved
                    nonsigners.append(ns)
                    seg_person = ns
                    since_person = []
                    continue
                if not known:
                    seg_signers += 1
                since_person = []
                sg = get_signer(ent)
                by_marker = False
                if pending_firms and not firms_used:
                    firms_used = True
                if seg_first is None:
                    seg_first = sg
                    for b in seg_buffer:
                        (sg.roles if b.label == "ROLE" else sg.dates).append(b)
                    seg_buffer = []
                seg_person = sg
                continue
            if ent.label in ("ROLE", "DATE"):
                if seg_person is None:
                    line_start = text.rfind("\n", 0, ent.start) + 1
                    if ent.label == "DATE" and not seen_marker and not any(
                            b.block == block_no for b in block_signers) and re.match(
                            r"^\s*(?:Dated?\s*:?\s*)?$", text[line_start:ent.start], re.I):
                        header_dates.append((block_no, ent))
                    else:
                        seg_buffer.append(ent)
                else:
                    (seg_person.roles if ent.label == "ROLE" else seg_person.dates).append(ent)
                since_person.append(ent)
        # dates: own, else the block's, else the most common date of the region
        region_dates = [d for sg in block_signers for d in sg.dates]
        common = None
        if region_dates:
            counts = Counter(" ".join(words(d.text)) for d in region_dates)
            top = counts.most_common(1)[0][0]
            common = next(d for d in region_dates if " ".join(words(d.text)) == top)
        for sg in block_signers:
            bd = [d for d in header_dates if d[0] == sg.block]
            if bd and not sg.table:
                sg.dates = [bd[0][1]] + sg.dates
            if not sg.dates:
                bd = [d for b, d in opener_dates if b == sg.block]
                if bd:
                    sg.dates = bd[:1]
                elif common is not None:
                    sg.dates = [common]
    return signers


def signature_relations(ctx: Context, rels: Relations, signers: List[Signer],
                        fallback_date: Optional[Ent]) -> None:
    for sg in signers:
        ev = (sg.ent.start, sg.ent.end)
        for f in sg.firms:
            rels.add(sg.ent, "SIGNS", f, ev)
            rels.add(sg.ent, "AFFILIATED_WITH", f, ev)
        dates = [d for d in sg.dates if _FULL_DATE.search(d.text)]
        if not dates and fallback_date is not None:
            dates = [fallback_date]
        for d in dates[:1]:
            rels.add(sg.ent, "SIGNS", d, ev)
        for r in sg.roles:
            rels.add(sg.ent, "HAS_ROLE", r, ev)


# ------------------------------------------------------------------ powers of attorney
def attorney_clause(ctx: Context, start: int) -> Tuple[int, int]:
    """From an appointing verb to the end of the list of attorneys."""
    text = ctx.text
    sent = ctx.sent_of(start)
    end = min(len(text), start + 1500)
    m = re.search(r"attorneys?[- ]+in[- ]+fact|true and lawful|lawful attorney|as (?:his|her|its|"
                  r"their|my) (?:true|attorney)|to act as|,? (?:each|any) of (?:whom|them)",
                  text[start:end], re.IGNORECASE)
    stop = start + m.end() if m else max(sent[1], start)
    return start, min(stop, end)


def listed_persons(ctx: Context, start: int, end: int, exclude: Set) -> List[Ent]:
    """Attorneys given as a list elsewhere: "listed on Exhibit A", "as follows:", "below"."""
    text = ctx.text
    window = text[start:min(len(text), end + 150)]
    m = re.search(r"\b(?:Exhibit|Schedule|Annex|Appendix)\s+([A-Z0-9]+)\b", window)
    if m:
        head = re.search(r"(?m)^\s*(?:EXHIBIT|Exhibit|SCHEDULE|Schedule|ANNEX|Annex|APPENDIX|Appendix)"
                         r"\s+" + re.escape(m.group(1)) + r"\s*$", text[end:])
        if head:
            s0 = end + head.end()
            return [p for p in ctx.in_range(s0, len(text), ("PERSON",))
                    if ctx.aliases.key(p.text, "PERSON") not in exclude]
        return []
    if re.search(r"\b(?:below|as follows|following)\b", window):
        colon = text.find(":", start, min(len(text), end + 200))
        s0 = colon + 1 if colon >= 0 else ctx.sent_of(end)[1]
        out: List[Ent] = []
        for x in ctx.in_range(s0, min(len(text), s0 + 2000)):
            ss, se = ctx.sent_of(x.start)
            if len(text[ss:se].split()) > 12:
                break
            if x.label == "PERSON" and ctx.aliases.key(x.text, "PERSON") not in exclude:
                out.append(x)
        return out
    return []


def poa_relations(ctx: Context, rels: Relations, signers: List[Signer],
                  registrant: Optional[Ent]) -> Set:
    """APPOINTS / HAS_ROLE / AFFILIATED_WITH of powers of attorney. Returns the attorneys' keys."""
    text = ctx.text
    attorneys_keys: Set = set()
    poa_blocks = ctx.blocks_of("POA")
    signer_keys = {ctx.aliases.key(sg.ent.text, "PERSON") for sg in signers}
    section16_principals: List[Ent] = []
    unnamed: List[Ent] = []
    for m in _RX["poa_appoint"].finditer(text):
        pos = m.start()
        if not any(s <= pos < e for s, e in poa_blocks):
            # outside a POA block only the "each person whose signature appears below" form
            sent = ctx.sent_of(pos)
            if not _RX["poa_each_signer"].search(text[max(0, sent[0] - 50):pos]):
                continue
        if any(c <= pos < d for c, d in ctx.done_clauses):
            continue
        cs, ce = attorney_clause(ctx, m.end())
        persons = ctx.in_range(cs, ce, ("PERSON",))
        sent = ctx.sent_of(pos)
        head_text = text[max(0, sent[0] - 50):pos]
        each_signer = bool(_RX["poa_each_signer"].search(head_text))
        if not persons and not each_signer:
            persons = listed_persons(ctx, cs, max(ce, sent[1]), signer_keys)
        if not persons:
            if not each_signer:
                # attorneys named by office only ("the paralegals of the Corporation"): the
                # signers are still principals whose capacity clause gives an affiliation
                unnamed.extend(sg.ent for sg in signers if sg.pos > pos and not sg.explicit)
            continue
        ctx.done_clauses.append((pos, ce))
        # the role word of the clause ("attorney-in-fact", "attorneys-in-fact")
        role_scope = ctx.in_range(max(0, sent[0] - 400), min(len(text), ce + 300), ("ROLE",))
        role_scope.sort(key=lambda r: abs(r.start - ce))
        attorney_role = next((r for r in role_scope if _RX["attorney_role"].search(r.text)), None)
        # attorneys' firms: "X and Y of Mintz, Levin"
        group: List[Ent] = []
        clause_ents = ctx.in_range(cs, ce + 200)
        for x in clause_ents:
            if x.label == "PERSON" and x.start < ce:
                group.append(x)
            elif x.label == "FIRM" and group:
                gap = ctx.gap(group[-1], x)
                if _GAP["person_firm"].match(gap) or re.match(r"^\s*,?\s*(?:each\s+)?of\s+(?:the\s+)?$", gap):
                    for p in group:
                        rels.add(p, "AFFILIATED_WITH", x, (cs, ce))
                group = []
            elif x.label == "ROLE" and group and x.start < ce:
                gap = ctx.gap(group[-1], x)
                if _GAP["person_role"].match(gap) and not _RX["attorney_role"].search(x.text):
                    rels.add(group[-1], "HAS_ROLE", x, (cs, ce))
        # principals: the signers after the clause (each-signer form) or the signers of the POA
        att_keys = {ctx.aliases.key(p.text, "PERSON") for p in persons}
        if each_signer:
            principals = [sg.ent for sg in signers if sg.pos > pos and not sg.explicit] or \
                [sg.ent for sg in signers if sg.pos > pos]
        else:
            psigners = [sg for sg in signers if sg.pos > ce
                        and ctx.aliases.key(sg.ent.text, "PERSON") not in att_keys]
            if not psigners:
                psigners = [sg for sg in signers
                            if ctx.aliases.key(sg.ent.text, "PERSON") not in att_keys]
            principals = []
            for sg in psigners:
                # a signer signing for an entity (a trust, a company) acts for that principal
                for x in (sg.firms if sg.explicit else [sg.ent]):
                    if x not in principals:
                        principals.append(x)
            if not principals:
                later = [p for p in ctx.in_range(ce, len(text), ("PERSON",))
                         if ctx.aliases.key(p.text, "PERSON") not in att_keys]
                if later:
                    principals = [later[-1]]
            firm_principal = None
            for f in ctx.in_range(sent[0], pos, ("FIRM",)):
                if re.search(r"undersigned\s*,?\s*$", text[max(sent[0], f.start - 20):f.start], re.I):
                    firm_principal = f
                    break
            if firm_principal is not None:
                principals = [firm_principal]
            else:
                section16_principals.extend(principals)
        attorneys_keys |= att_keys
        for a in persons:
            if attorney_role is not None:
                rels.add(a, "HAS_ROLE", attorney_role, (cs, ce))
        for p in principals:
            pkey = ctx.aliases.key(p.text, p.label)
            for a in persons:
                if ctx.aliases.key(a.text, "PERSON") != pkey:
                    rels.add(p, "APPOINTS", a, (sent[0], ce))
    # the principal's capacity clause (Section 16 powers of attorney)
    if section16_principals:
        capacity_relations(ctx, rels, section16_principals, registrant)
    elif unnamed:
        capacity_relations(ctx, rels, unnamed, registrant, fallback=False)
    return attorneys_keys


def capacity_relations(ctx: Context, rels: Relations, principals: List[Ent],
                       registrant: Optional[Ent], fallback: bool = True) -> None:
    """AFFILIATED_WITH(principal, company of the capacity clause), HAS_ROLE unless hedged;
    ``fallback``: with no capacity clause, the registrant."""
    text = ctx.text
    found = False
    for s, e in ctx.blocks_of("POA") or [(0, len(text))]:
        for m in _RX["capacity"].finditer(text, s, e):
            window_end = min(e, m.end() + 200)
            ents = ctx.in_range(m.end(), window_end)
            roles: List[Ent] = []
            firm = None
            for x in ents:
                if x.label == "ROLE":
                    roles.append(x)
                elif x.label == "FIRM":
                    firm = x
                    break
                elif x.label == "PERSON":
                    break
            seg = text[m.end():firm.start if firm else (roles[-1].end + 40 if roles else m.end())]
            hedged = bool(_RX["hedge"].search(seg))
            ev = ctx.sent_of(m.start())
            if firm is None and registrant is not None and re.match(
                    r"[^.;]{0,120}?\bof the (?:Company|Corporation|Issuer)\b", text[m.end():window_end]):
                firm = registrant
            for p in principals:
                if firm is not None:
                    found = True
                    rels.add(p, "AFFILIATED_WITH", firm, ev)
                if not hedged:
                    for r in roles:
                        rels.add(p, "HAS_ROLE", r, ev)
    if fallback and not found and registrant is not None and not NOT_REGISTRANT.search(registrant.text):
        for p in principals:
            rels.add(p, "AFFILIATED_WITH", registrant, (registrant.start, registrant.end))


# ------------------------------------------------------------ appositives and roles
def role_chain(ctx: Context, k: int) -> Tuple[List[Ent], Optional[Ent], int, bool]:
    """ROLEs following entity k through list connectors, then an optional FIRM.
    Returns (roles, firm, index after the chain, hedged)."""
    ents = ctx.ents
    roles: List[Ent] = []
    firm = None
    hedged = False
    j = k + 1
    prev = ents[k]
    while j < len(ents):
        x = ents[j]
        gap = ctx.gap(prev, x)
        if len(gap) > 80 or "\n\n" in gap:
            break
        if x.label == "ROLE":
            pattern = "person_role" if not roles else "role_role"
            if _GAP[pattern].match(gap):
                roles.append(x)
                prev = x
                j += 1
                continue
            if roles and re.match(r"^\s*(?:,\s*)?(?:and/or|or)\s*$", gap):
                hedged = True
                roles.append(x)
                prev = x
                j += 1
                continue
            break
        if x.label == "FIRM" and roles and _GAP["role_firm"].match(gap):
            firm = x
            j += 1
        break
    return roles, firm, j, hedged


def appositive_relations(ctx: Context, rels: Relations, registrant: Optional[Ent],
                         skip: Sequence[Tuple[int, int]], default_affiliation: bool) -> None:
    ents = ctx.ents
    text = ctx.text

    def skipped(pos: int) -> bool:
        return any(s <= pos < e for s, e in skip)

    for k, x in enumerate(ents):
        if x.label != "PERSON" or skipped(x.start):
            continue
        roles, firm, _, hedged = role_chain(ctx, k)
        ev = ctx.sent_of(x.start)
        if roles and not hedged:
            gap0 = ctx.gap(x, roles[0])
            for r in roles:
                if r.text.lower() in NON_HOLDER_ROLES:
                    continue
                rels.add(x, "HAS_ROLE", r, ev)
            if firm is None and re.search(r"company['’]s|registrant['’]s|\bour\b|\bits\b", gap0,
                                          re.IGNORECASE):
                firm = registrant
            after = text[roles[-1].end:roles[-1].end + 30]
            if firm is None and OF_REGISTRANT.match(after):
                firm = registrant
            if firm is None and default_affiliation:
                if not re.match(r"\s*,?\s*(?:of|at|for|with)\b", after):
                    firm = registrant
            if firm is not None and not NOT_REGISTRANT.search(firm.text):
                rels.add(x, "AFFILIATED_WITH", firm, ev)
        # roles before the name: "Chief Executive Officer John Smith", "Acme President Jo Roe"
        j = k - 1
        before: List[Ent] = []
        nxt = x
        while j >= 0:
            y = ents[j]
            gap = ctx.gap(y, nxt)
            if y.label == "ROLE" and (_GAP["role_person"].match(gap) if nxt is x
                                      else _GAP["role_role"].match(gap)) and "\n" not in gap:
                before.append(y)
                nxt = y
                j -= 1
                continue
            break
        if before:
            pre_firm = ents[j] if j >= 0 and ents[j].label == "FIRM" and re.match(
                r"^\s*(?:['’]s)?\s*$", ctx.gap(ents[j], nxt)) else None
            lead = text[max(0, nxt.start - 12):nxt.start]
            if re.search(r"\b(?:the|our|its|Company['’]s)\s*$", lead, re.IGNORECASE) or pre_firm \
                    or default_affiliation:
                for r in before:
                    if r.text.lower() not in NON_HOLDER_ROLES:
                        rels.add(x, "HAS_ROLE", r, ev)
                f = pre_firm or (registrant if default_affiliation or re.search(
                    r"\b(?:our|its|Company['’]s)\s*$", lead, re.IGNORECASE) else None)
                if f is not None and not NOT_REGISTRANT.search(f.text):
                    rels.add(x, "AFFILIATED_WITH", f, ev)


# -------------------------------------------------------------------- appointments
def card_relations(ctx: Context, rels: Relations) -> None:
    """A name, then a firm, then an address or telephone number (a contact card, in a
    press release or "requests may be directed to"): the person works for the firm."""
    ents = ctx.ents
    for k in range(len(ents) - 1):
        p, f = ents[k], ents[k + 1]
        if p.label != "PERSON" or f.label != "FIRM" or NOT_REGISTRANT.search(f.text):
            continue
        if _GAP["person_card"].match(ctx.gap(p, f)) and CARD_TAIL.match(ctx.text[f.end:f.end + 40]):
            rels.add(p, "AFFILIATED_WITH", f, (p.start, f.end))


def appointment_relations(ctx: Context, rels: Relations, registrant: Optional[Ent],
                          skip: Sequence[Tuple[int, int]]) -> None:
    text = ctx.text
    done: Set[Tuple[int, int]] = set()
    for m in _RX["appoint"].finditer(text):
        pos = m.start()
        if any(s <= pos < e for s, e in skip):
            continue
        ss, se = ctx.sent_of(pos)
        if (ss, se) in done:
            continue
        sent_ents = ctx.in_range(ss, se)
        persons = [x for x in sent_ents if x.label == "PERSON"]
        scope_end = se
        listed = False
        if not persons and (text[ss:se].rstrip().endswith(":") or re.search(
                r"\bthe following (?:\w+\s+){0,2}(?:persons|individuals|nominees|directors|"
                r"officers|people)\b", text[ss:se], re.I)):
            listed = True
            # "The following nominees were elected ...:" and a list after it
            nxt = ctx.in_range(se, min(len(text), se + 3000))
            for x in nxt:
                s2, e2 = ctx.sent_of(x.start)
                if len(text[s2:e2].split()) > 12:
                    break
                if x.label == "PERSON":
                    persons.append(x)
                    scope_end = x.end
        if not persons:
            continue
        done.add((ss, se))
        # the appointing firm: "the Board of Acme", a subject firm, else the registrant
        head = None
        for x in sent_ents:
            if x.label == "FIRM" and x.start < pos and not NOT_REGISTRANT.search(x.text):
                lead = text[max(ss, x.start - 40):x.start]
                if re.search(r"\bBoard(?: of Directors)?(?: of)?\s+(?:the\s+)?$", lead, re.I) \
                        or not re.search(r"\b(?:of|from|at|with|by|to|and)\s+(?:the\s+)?$", lead):
                    head = x
                    break
        if head is None:
            head = registrant
        if head is None:
            continue
        sent_text = text[ss:se]
        for p in persons:
            # a person leaving or being replaced is not appointed
            before = text[max(ss, p.start - 60):p.start]
            after = text[p.end:min(se, p.end + 60)]
            if _RX["not_appointee"].search(before[-35:]) or re.match(
                    r"\s*,?\s*(?:who\s+)?(?:has\s+)?(?:resigned|retired|will (?:retire|resign|step))", after):
                continue
            near = abs(p.start - pos) < 250 or p.start > se
            if not near:
                continue
            ev = (ss, max(se, scope_end))
            rels.add(head, "APPOINTS", p, ev)
            if not NOT_REGISTRANT.search(head.text):
                rels.add(p, "AFFILIATED_WITH", head, ev)
            if listed:
                for r in ctx.in_range(ss, se, ("ROLE",)):
                    rels.add(p, "HAS_ROLE", r, ev)
                continue
            # the office: roles after "as" / "to" following the trigger or the person
            for r in ctx.in_range(max(p.end, pos) if p.start < pos else p.end, se, ("ROLE",)):
                lead = text[max(ss, r.start - 60):r.start]
                nxt_p = [q for q in persons if p.end <= q.start < r.start]
                if nxt_p:
                    break
                if re.search(r"\b(?:as|to|of|new|the)\b[^.;]{0,50}$", lead, re.I) and not \
                        _RX["not_appointee"].search(lead[-40:]):
                    rels.add(p, "HAS_ROLE", r, ev)
        _ = sent_text


# ---------------------------------------------------------------------- contacts
def contact_relations(ctx: Context, rels: Relations, registrant: Optional[Ent]) -> None:
    for s, e in ctx.blocks_of("CONTACT"):
        ents = ctx.in_range(s, e)
        firms = [x for x in ents if x.label == "FIRM" and not NOT_REGISTRANT.search(x.text)]
        current = None
        for x in ents:
            if x.label == "PERSON":
                current = x
                # an agency named after the person in the block
                firm = None
                for f in firms:
                    if f.start > x.start:
                        between = ctx.in_range(x.end, f.start, ("PERSON",))
                        if not between:
                            firm = f
                        break
                if firm is None:
                    prev = [f for f in firms if f.end <= x.start]
                    firm = prev[-1] if prev else registrant
                if firm is not None:
                    rels.add(x, "AFFILIATED_WITH", firm, (s, e))
            elif x.label == "ROLE" and current is not None:
                rels.add(current, "HAS_ROLE", x, (s, e))


# -------------------------------------------------------------------------- debt
def debt_relations(ctx: Context, rels: Relations, registrant: Optional[Ent],
                   skip: Sequence[Tuple[int, int]]) -> None:
    text = ctx.text
    seen: Set[int] = set()
    for m in _RX["debt_instrument"].finditer(text):
        if any(s <= m.start() < e for s, e in skip):
            continue
        ss, se = ctx.sent_of(m.start())
        if ss in seen:
            continue
        seen.add(ss)
        sent_ents = ctx.in_range(ss, se)
        moneys = [x for x in sent_ents if x.label == "MONEY"]
        if not moneys:
            continue
        issuer = pick_issuer(ctx, sent_ents, moneys[0], ss, registrant)
        if issuer is None:
            continue
        for mo in moneys:
            after = text[mo.end:min(se, mo.end + 120)]
            before = text[max(ss, mo.start - 40):mo.start]
            if _RX["money_not_principal"].match(after) or _RX["money_not_principal_before"].search(before):
                continue
            # the amount names a series: the instrument follows it in the same clause
            clause = re.split(r"[;]|\.\s", after, maxsplit=1)[0]
            dm = _RX["debt_instrument"].search(clause)
            if not dm and not re.search(r"principal amount", before + clause[:40], re.I):
                continue
            span = clause[:dm.start()] if dm else clause
            if _RX["debt_exclude"].search(span) or "$" in span or re.search(
                    r"\b(?:repay|indebtedness|refinanc)", span, re.I):
                continue
            if re.search(r"\b(?:repay\w*|redeem\w*|redemption|prepay\w*|retire\w*|up to)\b[^$]{0,60}$",
                         text[max(ss, mo.start - 80):mo.start], re.I):
                continue
            rels.add(issuer, "ISSUES_DEBENTURES", mo, (ss, se))


def pick_issuer(ctx: Context, sent_ents: List[Ent], money: Ent, ss: int,
                registrant: Optional[Ent]) -> Optional[Ent]:
    """The issuer of a debt sentence: "sale by X" / "Note from X", else the registrant when
    named, else the first firm that is not the object of a preposition, else the registrant."""
    text = ctx.text
    firms = [x for x in sent_ents if x.label == "FIRM" and x.start < money.start
             and not NOT_REGISTRANT.search(x.text)]
    for x in reversed(firms):
        if re.search(r"\b(?:by|from)\s+(?:the\s+)?$", text[max(ss, x.start - 12):x.start], re.I):
            return x
    if registrant is not None:
        rkey = ctx.aliases.key(registrant.text, "FIRM")
        for x in firms:
            if ctx.aliases.key(x.text, "FIRM") == rkey:
                return x
    for x in firms:
        lead = text[max(ss, x.start - 30):x.start]
        if not re.search(r"\b(?:to|from|with|by|through|of|and|for|among)\s+(?:the\s+)?$|,\s*$",
                         lead, re.I):
            return x
    return registrant


# ------------------------------------------------------------------------ component
class RelationRules:
    def __init__(self, nlp: Language, name: str, blocks_key: str, default_affiliation: bool,
                 use_letter_date: bool):
        self.name = name
        self.blocks_key = blocks_key
        self.default_affiliation = default_affiliation
        self.use_letter_date = use_letter_date

    def __call__(self, doc: Doc) -> Doc:
        doc._.relations = extract_relations(doc, self.blocks_key, self.default_affiliation,
                                            self.use_letter_date)
        return doc


def extract_relations(doc: Doc, blocks_key: str = "blocks", default_affiliation: bool = True,
                      use_letter_date: bool = True) -> List[dict]:
    if not doc.ents:
        return []
    ctx = Context(doc, blocks_key)
    text = ctx.text
    rels = Relations(ctx.aliases)
    registrant = find_registrant(ctx)
    nonsigners: List[Signer] = []
    signers = read_signatures(ctx, registrant, nonsigners)
    # a date for signers whose block gives none: the execution clause, else a letter's date
    fallback = None
    for m in re.finditer(r"\b(?:executed|signed|dated|subscribed)\b[^.]{0,80}?"
                         r"\b(?:as of|this|on|the)\b", text, re.IGNORECASE):
        d = ctx.in_range(m.end(), min(len(text), m.end() + 25), ("DATE",))
        if d:
            fallback = d[0]
    if fallback is None and use_letter_date and _RX["letter"].search(text):
        head = ctx.in_range(0, min(len(text), 600), ("DATE",))
        if head:
            fallback = head[0]
    signature_relations(ctx, rels, signers, fallback)
    for ns in nonsigners:
        for f in ns.firms:
            rels.add(ns.ent, "AFFILIATED_WITH", f, (ns.ent.start, ns.ent.end))
        for r in ns.roles:
            rels.add(ns.ent, "HAS_ROLE", r, (ns.ent.start, ns.ent.end))
    poa_relations(ctx, rels, signers, registrant)
    sig_regions = signature_regions(ctx)
    clauses = ctx.done_clauses
    skip = sig_regions + clauses
    appointment_relations(ctx, rels, registrant, skip + ctx.blocks_of("POA"))
    appositive_relations(ctx, rels, registrant, skip + ctx.blocks_of("CONTACT"),
                         default_affiliation)
    contact_relations(ctx, rels, registrant)
    card_relations(ctx, rels)
    debt_relations(ctx, rels, registrant, sig_regions)
    return rels.values()


@Language.factory(
    "edgar_relation_rules",
    assigns=["doc._.relations"],
    requires=["doc.ents"],
    default_config={"blocks_key": "blocks", "default_affiliation": True,
                    "use_letter_date": True},
)
def make_relation_rules(nlp: Language, name: str, blocks_key: str, default_affiliation: bool,
                        use_letter_date: bool) -> RelationRules:
    return RelationRules(nlp, name, blocks_key, default_affiliation, use_letter_date)
