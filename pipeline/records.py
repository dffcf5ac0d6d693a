"""A processed Doc as the ``extract`` JSONL record of FORMATS.md."""
from __future__ import annotations

from typing import Dict, List, Optional

from spacy.tokens import Doc

from .schema import Relation



def entity_records(doc: Doc) -> List[Dict]:
    return [{"start": ent.start_char, "end": ent.end_char, "label": ent.label_, "text": ent.text}
            for ent in doc.ents]


def relation_records(doc: Doc) -> List[Relation]:
    """Relations as the components left them, one per (head, label, tail)."""
    seen = set()
    out: List[Relation] = []
    for rel in doc._.relations or []:
        key = (rel["head"], rel["label"], rel["tail"])
        if key not in seen:
            seen.add(key)
            out.append(dict(rel))
    return out


def doc_to_record(doc_id: str, doc: Doc, text: Optional[str] = None) -> Dict:
    """The output line for one document; ``text`` is added when offsets do not refer to
    the input file itself (HTML, SGML, or a text whose newlines were normalized)."""
    record: Dict = {"id": doc_id}
    if text is not None:
        record["text"] = text
    record["entities"] = entity_records(doc)
    record["relations"] = relation_records(doc)
    return record
