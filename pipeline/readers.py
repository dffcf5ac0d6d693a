"""Turn a filing file (plain text, HTML, or an EDGAR SGML submission) into one plain text.

The NLP pipeline works on plain text only. EDGAR filings come in three shapes:

* plain ``.txt`` files, read as they are so that character offsets refer to the file;
* HTML (``.htm``/``.html``, also inline XBRL), rendered to text with one line per block;
* SGML submissions (``<SEC-DOCUMENT>`` full submissions, or a single ``<DOCUMENT>`` wrapper
  around a text or HTML body), from which the main document and its text exhibits are kept
  and the header, graphics and XBRL/XML data files are dropped.

Anything that cannot become readable text raises :class:`ReaderError` with a one-line reason,
so the caller can skip that file and report it instead of feeding garbage to the models.
"""

from __future__ import annotations

import codecs
import logging
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import lxml.html
from lxml import etree

log = logging.getLogger(__name__)

MAX_BYTES = 50 * 1024 * 1024
"""Files larger than this are refused: no 8-K needs it, and it bounds memory per document."""

INPUT_SUFFIXES = frozenset({".txt", ".htm", ".html"})

CELL_SEP = "   "
"""Between table cells of one row. Cell text never holds two spaces in a row, so 2+ spaces mark cells."""

_SNIFF_CHARS = 4096
_BINARY_SNIFF_BYTES = 8192
_MAX_CONTROL_SHARE = 0.05
# ASCII control bytes that never occur in text files (tab, LF, VT, FF, CR are allowed).
_CONTROL_BYTES = frozenset(range(0x00, 0x09)) | frozenset(range(0x0E, 0x20)) | {0x7F}


class ReaderError(Exception):
    """A file that cannot be turned into text; ``str()`` is ``"<path>: <reason>"``."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(path, reason)  # keeps the exception picklable across processes
        self.path = Path(path)
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


class _ConversionError(Exception):
    """Raised inside the converters; read_document turns it into a ReaderError for the file."""


@dataclass(frozen=True)
class SourceText:
    """The text of one input file.

    ``plain`` is True only when ``text`` is exactly the decoded file content, i.e. when
    character offsets into ``text`` are also offsets into the (decoded) file.
    """

    text: str
    source_format: str  # "text", "html" or "sgml"
    plain: bool


# --------------------------------------------------------------------------- input files


def iter_input_files(in_dir: Path) -> Iterator[Path]:
    """Yield the filing files under ``in_dir`` (recursive), sorted by relative path.

    Sorting by the relative POSIX path makes the order (and so the output) the same on
    every machine. Hidden files and folders (``.git``, editor files) are skipped.
    """
    in_dir = Path(in_dir)
    if not in_dir.exists():
        raise FileNotFoundError(f"{in_dir}: input folder does not exist")
    if not in_dir.is_dir():
        raise NotADirectoryError(f"{in_dir}: not a folder")
    found = []
    for root, dirnames, filenames in os.walk(in_dir):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if not name.startswith(".") and Path(name).suffix.lower() in INPUT_SUFFIXES:
                found.append(Path(root) / name)
    yield from sorted(found, key=lambda p: p.relative_to(in_dir).as_posix())


def document_id(path: Path, in_dir: Path) -> str:
    """The id of a document: its path relative to ``in_dir``, POSIX separators, no final suffix.

    Stable across machines and operating systems, and unique inside one input folder as long
    as no two files differ only by suffix. Raises ValueError if ``path`` is not under ``in_dir``.
    """
    return Path(path).relative_to(in_dir).with_suffix("").as_posix()


# --------------------------------------------------------------------------- reading


def read_document(path: Path) -> SourceText:
    """Read one filing file and return its text; raise ReaderError if it has no usable text."""
    path = Path(path)
    data = _read_bytes(path)
    _check_not_binary(path, data)
    text, had_bom = _decode(data)
    if not text.strip():
        raise ReaderError(path, "file contains only whitespace")
    source_format = _sniff_format(path, text)
    if source_format == "text":
        return _plain_text(text, had_bom)
    normalized = _normalize_newlines(text)
    try:
        converted = _sgml_to_text(normalized) if source_format == "sgml" else _html_to_text(normalized)
    except _ConversionError as exc:
        raise ReaderError(path, str(exc)) from exc
    if not converted.strip():
        raise ReaderError(path, f"no text left after {source_format} conversion")
    return SourceText(converted, source_format, False)


def _read_bytes(path: Path) -> bytes:
    """Read the file, refusing empty and oversized files before any decoding work."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ReaderError(path, f"file too large ({size} bytes, limit {MAX_BYTES})")
        data = path.read_bytes()
    except OSError as exc:
        raise ReaderError(path, f"cannot read file ({exc.strerror or exc})") from exc
    if len(data) > MAX_BYTES:  # the file grew between stat and read
        raise ReaderError(path, f"file too large ({len(data)} bytes, limit {MAX_BYTES})")
    if not data:
        raise ReaderError(path, "file is empty")
    return data


def _check_not_binary(path: Path, data: bytes) -> None:
    """Refuse images, PDFs, UTF-16 and other non-text files that were given a text suffix."""
    head = data[:_BINARY_SNIFF_BYTES]
    if b"\x00" in head:
        raise ReaderError(path, "binary content (NUL bytes), not a text filing")
    controls = sum(1 for byte in head if byte in _CONTROL_BYTES)
    if controls / len(head) > _MAX_CONTROL_SHARE:
        raise ReaderError(
            path, f"binary content ({controls} control characters in the first {len(head)} bytes), not a text filing"
        )


def _decode(data: bytes) -> tuple[str, bool]:
    """Decode as UTF-8 (BOM removed), else cp1252 (older filings), else latin-1 (never fails).

    Returns the text and whether a BOM was removed.
    """
    had_bom = data.startswith(codecs.BOM_UTF8)
    if had_bom:
        data = data[len(codecs.BOM_UTF8):]
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding), had_bom
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), had_bom


def _normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _plain_text(text: str, had_bom: bool) -> SourceText:
    """A plain .txt keeps its content; only newlines are normalized (and the BOM was removed)."""
    normalized = _normalize_newlines(text)
    return SourceText(normalized, "text", plain=not had_bom and normalized == text)


# --------------------------------------------------------------------------- format sniffing

_SGML_START = re.compile(
    r"\A\s*(?:-----BEGIN PRIVACY-ENHANCED MESSAGE-----|<SEC-DOCUMENT>|<SEC-HEADER>|<IMS-DOCUMENT>|<IMS-HEADER>)",
    re.IGNORECASE,
)
_DOCUMENT_TAG = re.compile(r"^<DOCUMENT>[ \t]*$", re.MULTILINE | re.IGNORECASE)
_TYPE_LINE = re.compile(r"^<TYPE>", re.MULTILINE | re.IGNORECASE)
_HTML_START = re.compile(
    r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.IGNORECASE | re.DOTALL
)
# Tags that only HTML uses. <TABLE>, <CAPTION>, <PAGE>, <S>, <C> are left out on purpose:
# plain-text EDGAR documents of the 1990s use them as SGML layout tags.
_HTML_MARKERS = re.compile(r"<(?:html|body|p|div|br|font|td|tr|center|h[1-6])\b[^>]*>", re.IGNORECASE)


def _sniff_format(path: Path, text: str) -> str:
    """Decide how to read a file: "sgml", "html" or "text".

    The SGML wrapper is checked first for every suffix, because EDGAR ``.htm`` documents
    usually start with ``<DOCUMENT>``/``<TYPE>`` lines whose values would otherwise leak
    into the text.
    """
    if _is_sgml(text):
        return "sgml"
    if path.suffix.lower() in {".htm", ".html"} or _HTML_START.match(text[:_SNIFF_CHARS]):
        return "html"
    return "text"


def _is_sgml(text: str) -> bool:
    if _SGML_START.match(text):
        return True
    head = text[:_SNIFF_CHARS]
    return bool(_DOCUMENT_TAG.search(head) and _TYPE_LINE.search(head))


def _looks_like_html(body: str) -> bool:
    return bool(_HTML_MARKERS.search(body))


# --------------------------------------------------------------------------- SGML submissions

_DOCUMENT_END = re.compile(r"^</DOCUMENT>", re.MULTILINE | re.IGNORECASE)
_HEADER_END = re.compile(r"^</(?:SEC|IMS)-HEADER>[ \t]*$", re.MULTILINE | re.IGNORECASE)
_META_LINE = re.compile(r"<(TYPE|SEQUENCE|FILENAME|DESCRIPTION)>(.*)", re.IGNORECASE)
_TEXT_OPEN = re.compile(r"<TEXT>", re.IGNORECASE)
_TEXT_CLOSE = re.compile(r"</TEXT>", re.IGNORECASE)
_TRAILER_LINE = re.compile(
    r"^\s*(?:</SEC-DOCUMENT>|</IMS-DOCUMENT>|</DOCUMENT>|-----END PRIVACY-ENHANCED MESSAGE-----)\s*$", re.IGNORECASE
)
_WRAPPER = re.compile(r"\A\s*<(PDF|XBRL|XML)>[ \t]*\n?(.*?)(?:</\1>\s*)?\Z", re.IGNORECASE | re.DOTALL)
_UUENCODE_BEGIN = re.compile(r"begin [0-7]{3,4} \S")
_BASE64_LINE = re.compile(r"^[A-Za-z0-9+/]{20,}={0,2}$")

# Document types that hold data, images or archives rather than prose.
_DROP_TYPES = frozenset({"GRAPHIC", "ZIP", "EXCEL", "PDF", "XML", "JSON", "XBRL"})
# EX-101/EX-100: XBRL files; EX-27: the 1997-2001 financial data schedule (tag/value data).
_DROP_TYPE_PREFIXES = ("EX-101", "EX-100", "EX-27")
_DROP_FILENAME_SUFFIXES = (
    ".jpg", ".jpeg", ".gif", ".png", ".bmp", ".pdf", ".zip", ".xls", ".xlsx",
    ".xml", ".xsd", ".json", ".js", ".css",
)


@dataclass(frozen=True)
class _SgmlDocument:
    """One ``<DOCUMENT>`` section of a submission."""

    index: int
    doc_type: str
    sequence: str
    filename: str
    body: str


def _sgml_to_text(text: str) -> str:
    """Keep the main document and the text exhibits, in order, separated by a blank line."""
    documents = _split_documents(text)
    if not documents:
        raise _ConversionError("SGML submission without <DOCUMENT> sections")
    parts = []
    for doc in documents:
        reason = _drop_reason(doc)
        if reason:
            log.debug("dropping document %d (%s, %s): %s", doc.index, doc.doc_type, doc.filename, reason)
            continue
        converted = _document_to_text(doc)
        if converted:
            parts.append(converted)
    if not parts:
        raise _ConversionError("no readable document in SGML submission (only data, images or empty documents)")
    return "\n\n".join(parts) + "\n"


def _split_documents(text: str) -> list[_SgmlDocument]:
    """Cut the submission into documents; the header before the first one is dropped.

    Truncated files are common enough (missing ``</DOCUMENT>`` or ``</TEXT>``) that each
    section simply runs to the next ``<DOCUMENT>`` or the end of the file.
    """
    starts = [m.end() for m in _DOCUMENT_TAG.finditer(text)]
    if not starts:
        return _headerless_fallback(text)
    bounds = [m.start() for m in _DOCUMENT_TAG.finditer(text)][1:] + [len(text)]
    return [_parse_document(i, text[start:end]) for i, (start, end) in enumerate(zip(starts, bounds))]


def _headerless_fallback(text: str) -> list[_SgmlDocument]:
    """A submission with a header but no ``<DOCUMENT>`` tags: the text after the header is the document."""
    header_end = _HEADER_END.search(text)
    if not header_end:
        return []
    return [_parse_document(0, text[header_end.end():])]


def _parse_document(index: int, section: str) -> _SgmlDocument:
    end = _DOCUMENT_END.search(section)
    if end:
        section = section[: end.start()]
    meta, rest = _read_metadata(section)
    return _SgmlDocument(
        index=index,
        doc_type=meta.get("TYPE", "").upper(),
        sequence=meta.get("SEQUENCE", ""),
        filename=meta.get("FILENAME", ""),
        body=_strip_trailer(_text_body(rest)),
    )


def _read_metadata(section: str) -> tuple[dict[str, str], str]:
    """Read the ``<TYPE>``/``<SEQUENCE>``/``<FILENAME>``/``<DESCRIPTION>`` lines that open a document."""
    meta: dict[str, str] = {}
    lines = section.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        match = _META_LINE.fullmatch(line)
        if not line or match:
            if match:
                meta.setdefault(match.group(1).upper(), match.group(2).strip())
            i += 1
            continue
        break
    return meta, "\n".join(lines[i:])


def _text_body(rest: str) -> str:
    """The content between ``<TEXT>`` and ``</TEXT>``; without them, whatever is there."""
    opening = _TEXT_OPEN.search(rest)
    if opening:
        rest = rest[opening.end():]
    closings = list(_TEXT_CLOSE.finditer(rest))
    if closings:
        rest = rest[: closings[-1].start()]
    return rest


def _strip_trailer(body: str) -> str:
    """Drop closing tags of the enclosing submission left at the end of a truncated document."""
    lines = body.rstrip().split("\n")
    while lines and _TRAILER_LINE.match(lines[-1]):
        lines.pop()
    return "\n".join(lines)


def _drop_reason(doc: _SgmlDocument) -> str | None:
    """Why a document is left out, or None to keep it (main document and text exhibits only)."""
    if doc.index > 0 and not doc.doc_type.startswith("EX-"):
        return "neither the main document nor an exhibit"
    if doc.doc_type in _DROP_TYPES or doc.doc_type.startswith(_DROP_TYPE_PREFIXES):
        return "data or image document type"
    if doc.filename.lower().endswith(_DROP_FILENAME_SUFFIXES):
        return "data or image file name"
    return None


def _document_to_text(doc: _SgmlDocument) -> str:
    """Convert one kept document's body: HTML through the HTML renderer, plain text tidied."""
    wrapper, body = _unwrap(doc.body)
    if wrapper == "PDF" or _is_encoded(body):
        log.debug("dropping document %d (%s): encoded binary content", doc.index, doc.doc_type)
        return ""
    if _looks_like_html(body):
        return _html_to_text(body).strip("\n")
    if wrapper in ("XML", "XBRL"):
        log.debug("dropping document %d (%s): XML/XBRL data, not prose", doc.index, doc.doc_type)
        return ""
    return _tidy_plain_document(body)


def _unwrap(body: str) -> tuple[str | None, str]:
    """Remove a ``<PDF>``/``<XBRL>``/``<XML>`` wrapper; inline XBRL 8-Ks sit inside ``<XBRL>``."""
    match = _WRAPPER.match(body)
    if not match:
        return None, body
    return match.group(1).upper(), match.group(2)


def _is_encoded(body: str) -> bool:
    """True for uuencoded (``begin 644 name``) or base64 bodies: binary files, not text."""
    lines = [line.strip() for line in body.split("\n", 40)[:40] if line.strip()]
    if lines and _UUENCODE_BEGIN.match(lines[0]):
        return True
    return len(lines) >= 3 and all(_BASE64_LINE.match(line) for line in lines)


_PAGE_LINE = re.compile(r"^\s*<PAGE>\s*\d*\s*$", re.IGNORECASE)
# SGML layout tags of old plain-text filings; replaced by spaces to keep column alignment.
_LAYOUT_TAG = re.compile(r"</?(?:PAGE|TABLE|CAPTION|S|C|FN)>", re.IGNORECASE)


def _tidy_plain_document(body: str) -> str:
    """Keep the layout of a plain-text document; replace page markers and SGML layout tags only."""
    lines = []
    for line in body.split("\n"):
        if _PAGE_LINE.match(line):  # a page break: keep it as an empty line so pages do not run together
            lines.append("")
            continue
        had_tag = bool(_LAYOUT_TAG.search(line))
        line = _LAYOUT_TAG.sub(lambda m: " " * len(m.group()), line).replace("\x0c", "").rstrip()
        if had_tag and not line:
            continue
        lines.append(line)
    return "\n".join(lines).strip("\n")


# --------------------------------------------------------------------------- HTML

# Removed together with their content (``ix:header`` holds the hidden XBRL facts).
_DROP_TAGS = frozenset(
    {"head", "title", "script", "style", "noscript", "template", "object", "embed", "iframe", "svg", "ix:header"}
)
# Blocks separated by an empty line, like paragraphs.
_PARAGRAPH_TAGS = frozenset(
    {
        "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote", "pre", "hr", "center",
        "section", "article", "aside", "header", "footer", "nav", "main", "ul", "ol", "dl", "address",
        "figure", "form", "fieldset", "body", "html",
    }
)
# Blocks that start a new line without an empty line between them.
_LINE_TAGS = frozenset(
    {"br", "li", "tr", "dt", "dd", "caption", "figcaption", "legend", "option", "thead", "tbody", "tfoot"}
)
_CELL_TAGS = frozenset({"td", "th"})
_DISPLAY_NONE = re.compile(r"display\s*:\s*none", re.IGNORECASE)
# Zero-width characters, soft hyphens, and U+E000 (the cell separator placeholder, never taken from input).
_INVISIBLE_CHARS = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\xad\ue000"), None)
# Cells that belong to their neighbour: "$" | "1,234" -> "$1,234"; "(5" | ")" -> "(5)"; "12" | "%" -> "12%".
_CELL_OPENERS = frozenset({"$", "(", "$(", "($", "€", "£", "¥", "US$"})
_CELL_CLOSERS = frozenset({")", "%", ")%", "%)"})
_PARAGRAPH, _LINE = 2, 1


def _html_to_text(markup: str) -> str:
    """Render HTML (also inline XBRL, also malformed) to text with one line per block.

    lxml's HTML parser repairs broken markup; the walk is iterative because unclosed
    inline tags in old filings can nest deeper than Python's recursion limit.
    """
    root = _parse_html(markup)
    if root is None:
        return ""
    renderer = _HtmlRenderer()
    walker = etree.iterwalk(root, events=("start", "end", "comment", "pi"))
    for event, element in walker:
        if event == "start":
            if not renderer.start(element):
                walker.skip_subtree()
        elif event == "end":
            renderer.end(element)
        else:  # a comment or processing instruction: only its tail is text
            renderer.text(element.tail)
    lines = renderer.finish()
    return "\n".join(lines) + "\n" if lines else ""


def _parse_html(markup: str) -> etree._Element | None:
    """Parse with lxml; None when there is no element at all ("Document is empty")."""
    # Bytes plus an explicit encoding: lxml refuses str input that carries an XML encoding declaration.
    parser = lxml.html.HTMLParser(encoding="utf-8", huge_tree=True, remove_comments=False)
    try:
        root = lxml.html.document_fromstring(markup.encode("utf-8"), parser=parser)
    except etree.ParserError:
        return None  # lxml's way of saying the input has no content; the caller reports "no text"
    if any(error.type_name == "ERR_RESOURCE_LIMIT" for error in parser.error_log):
        raise _ConversionError("HTML nested too deeply for the parser; the text would be truncated")
    return root


def _is_hidden(element: etree._Element) -> bool:
    """Elements whose text a reader never sees."""
    if element.tag in _DROP_TAGS:
        return True
    if element.get("hidden") is not None:
        return True
    return bool(_DISPLAY_NONE.search(element.get("style", "")))


class _HtmlRenderer:
    """Receives the start/end events of the tree walk and builds the lines.

    A stack of sinks: the bottom one is the document, a new one is pushed for every table
    cell so that a row can be joined onto one line once all its cells are known.
    """

    def __init__(self) -> None:
        self._sinks = [_LineSink()]
        self._rows: list[list[list[str]]] = []
        self._pre_depth = 0

    def start(self, element: etree._Element) -> bool:
        """Open an element; False when it is hidden and its subtree must be skipped."""
        if _is_hidden(element):
            return False
        tag = element.tag
        if tag in _CELL_TAGS:
            self._sinks.append(_LineSink())
        elif tag == "tr":
            self._rows.append([])
        elif tag == "pre":
            self._pre_depth += 1
        self._break_for(tag)
        self.text(element.text)
        return True

    def end(self, element: etree._Element) -> None:
        if not _is_hidden(element):
            tag = element.tag
            if tag in _CELL_TAGS:
                self._end_cell()
            elif tag == "tr":
                self._emit_row(self._rows.pop())
            elif tag == "pre":
                self._pre_depth -= 1
            if tag != "br":
                self._break_for(tag)
        self.text(element.tail)

    def text(self, text: str | None) -> None:
        if not text:
            return
        sink = self._sinks[-1]
        if not self._pre_depth:
            sink.text(text.replace("\n", " "))
            return
        for i, piece in enumerate(text.split("\n")):
            if i:
                sink.brk(_LINE)
            sink.text(piece)

    def finish(self) -> list[str]:
        return [line.replace("\ue000", CELL_SEP) for line in self._sinks[0].finish()]

    def _break_for(self, tag: str) -> None:
        if tag in _PARAGRAPH_TAGS:
            self._sinks[-1].brk(_PARAGRAPH)
        elif tag in _LINE_TAGS:
            self._sinks[-1].brk(_LINE)

    def _end_cell(self) -> None:
        lines = self._sinks.pop().finish()
        if self._rows:
            self._rows[-1].append(lines)
        else:  # a cell outside any row: just its lines
            self._emit_lines(lines)

    def _emit_row(self, cells: list[list[str]]) -> None:
        """One line per row; a row with a single non-empty cell is a layout box and keeps its lines."""
        filled = [lines for lines in cells if any(lines)]
        if len(filled) == 1:
            self._emit_lines(filled[0])
        elif filled:
            texts = _merge_cells([" ".join(line for line in lines if line) for lines in filled])
            self._sinks[-1].line("\ue000".join(texts))

    def _emit_lines(self, lines: list[str]) -> None:
        sink = self._sinks[-1]
        for line in lines:
            if line:
                sink.line(line)
            else:
                sink.brk(_PARAGRAPH)


def _merge_cells(cells: list[str]) -> list[str]:
    """Glue currency signs, parentheses and percent signs that sit in cells of their own."""
    merged: list[str] = []
    for cell in cells:
        if merged and (cell in _CELL_CLOSERS or merged[-1] in _CELL_OPENERS):
            merged[-1] += cell
        else:
            merged.append(cell)
    return merged


class _LineSink:
    """Collects text runs and pending breaks; whitespace is collapsed per line at the end.

    A break is only written when text follows it, so nested blocks (``<div><div><p>``)
    give one break, not several. Table rows arrive as finished lines holding U+E000
    between cells; the renderer turns it into CELL_SEP at the very end, after all
    whitespace collapsing.
    """

    def __init__(self) -> None:
        self._lines: list[str] = []
        self._fragments: list[str] = []
        self._pending = 0

    def brk(self, level: int) -> None:
        self._pending = max(self._pending, level)

    def text(self, text: str) -> None:
        if not text or (self._pending and text.isspace()):
            return
        self._flush_break()
        self._fragments.append(text)

    def line(self, line: str) -> None:
        """Add an already clean line of its own (a table row)."""
        self.brk(_LINE)
        self._flush_break()
        self._lines.append(line)
        self.brk(_LINE)

    def finish(self) -> list[str]:
        """The clean lines: stripped, no empty line at either end, never two empty lines in a row."""
        self._end_line()
        lines: list[str] = []
        for line in self._lines:
            if line or (lines and lines[-1]):
                lines.append(line)
        while lines and not lines[-1]:
            lines.pop()
        return lines

    def _flush_break(self) -> None:
        if not self._pending:
            return
        self._end_line()
        if self._pending == _PARAGRAPH:
            self._lines.append("")
        self._pending = 0

    def _end_line(self) -> None:
        if self._fragments:
            self._lines.append(_clean_line("".join(self._fragments)))
            self._fragments = []


def _clean_line(line: str) -> str:
    """Collapse spaces, tabs and no-break spaces to one space; drop zero-width characters."""
    return " ".join(line.translate(_INVISIBLE_CHARS).split())
