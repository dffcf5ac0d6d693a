"""Tests for pipeline.readers: every input format, the bad-input errors, and file discovery."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest

from pipeline import readers
from pipeline.readers import ReaderError, SourceText, document_id, iter_input_files, read_document

DATA = Path(__file__).parent / "data" / "readers"
SHARED = Path(__file__).resolve().parents[2] / "shared"
ORIGINALS = SHARED / "filings" / "original"
PLAIN_TEXTS = SHARED / "filings" / "text"


def _write(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def _lines(text: str) -> list[str]:
    return text.split("\n")


# --------------------------------------------------------------------------- plain text


def test_plain_txt_is_returned_unchanged_with_offsets(tmp_path):
    content = "Acme Widgets, Inc.\n  Jane Q. Doe was appointed CFO.  \n\n\nEnd of report\n"
    path = _write(tmp_path, "plain.txt", content.encode("utf-8"))

    result = read_document(path)

    assert result == SourceText(content, "text", True)
    start = content.index("Jane Q. Doe")
    assert result.text[start : start + len("Jane Q. Doe")] == "Jane Q. Doe"


def test_crlf_txt_gets_newlines_normalized_and_is_not_plain(tmp_path):
    path = _write(tmp_path, "crlf.txt", b"Line one\r\nLine two\rLine three\r\n")

    result = read_document(path)

    assert result.text == "Line one\nLine two\nLine three\n"
    assert result.source_format == "text"
    assert result.plain is False


def test_cp1252_smart_quotes_are_decoded(tmp_path):
    path = _write(tmp_path, "cp1252.txt", b"the \x93Company\x94 paid \x80 5 \x96 net\n")

    result = read_document(path)

    assert result.text == "the \u201cCompany\u201d paid \u20ac 5 \u2013 net\n"
    assert result.plain is True


def test_latin1_fallback_for_bytes_cp1252_does_not_define(tmp_path):
    # 0x8D is undefined in cp1252, so only latin-1 can decode this file.
    path = _write(tmp_path, "latin1.txt", b"Soci\xe9t\xe9 G\xe9n\xe9rale \x8d\n")

    result = read_document(path)

    assert result.text == "Soci\u00e9t\u00e9 G\u00e9n\u00e9rale \x8d\n"
    assert result.plain is True


def test_utf8_bom_is_removed_and_marks_text_not_plain(tmp_path):
    path = _write(tmp_path, "bom.txt", b"\xef\xbb\xbfCaf\xc3\xa9 filing\n")

    result = read_document(path)

    assert result.text == "Caf\u00e9 filing\n"
    assert result.plain is False


def test_txt_with_html_at_the_top_is_read_as_html(tmp_path):
    path = _write(tmp_path, "page.txt", b"<html><body><p>First</p><p>Second &amp; last</p></body></html>")

    result = read_document(path)

    assert result.source_format == "html"
    assert result.text == "First\n\nSecond & last\n"


def test_txt_mentioning_tags_later_stays_plain(tmp_path):
    content = "The notice said: use <b> for bold.\n<p> is a paragraph tag.\n"
    path = _write(tmp_path, "notes.txt", content.encode())

    assert read_document(path) == SourceText(content, "text", True)


# --------------------------------------------------------------------------- HTML


@pytest.fixture(scope="module")
def filing_html() -> SourceText:
    return read_document(DATA / "filing.html")


def test_html_format_flags(filing_html):
    assert filing_html.source_format == "html"
    assert filing_html.plain is False


def test_html_drops_head_script_style_hidden_and_ix_header(filing_html):
    for absent in ("HEAD TITLE", "SCRIPT_SHOULD", "STYLE_SHOULD", "color:"):  # head, script, style
        assert absent not in filing_html.text
    for absent in ("HIDDEN_FACT", "INVISIBLE", "HIDDEN_ATTRIBUTE"):  # ix:header, display:none, hidden
        assert absent not in filing_html.text


def test_html_inline_tags_and_entities_stay_on_one_line(filing_html):
    lines = _lines(filing_html.text)
    assert "Item 5.02 Departure of Directors & Officers." in lines
    assert (
        "On March 3, 2021, Jane Q. Doe was appointed Chief Financial Officer1 of "
        "Acme Widgets, Inc. (the \u201cCompany\u201d)." in lines
    )
    assert "\xa0" not in filing_html.text


def test_html_blocks_and_breaks_start_new_lines(filing_html):
    text = filing_html.text
    assert text.startswith("Acme Widgets, Inc.\n\nItem 5.02")
    assert "First block\n\nSecond block\nafter break\n" in text
    assert "First item\nSecond item\n" in text
    assert "Signature:\n/s/ Jane Q. Doe\nJane Q. Doe\n" in text


def test_html_table_rows_are_lines_with_cells_separated(filing_html):
    lines = _lines(filing_html.text)
    sep = readers.CELL_SEP
    assert f"Name{sep}Title{sep}Salary" in lines
    # "$" and "(" ... ")" cells are glued to the amount; the empty &nbsp; cell disappears.
    assert f"Jane Q. Doe{sep}Chief Financial Officer{sep}$450,000" in lines
    assert f"John R. Roe{sep}Director{sep}(12)" in lines


def test_html_output_is_tidy(filing_html):
    lines = _lines(filing_html.text)
    assert filing_html.text.endswith("\n") and not filing_html.text.endswith("\n\n")
    assert all(line == line.strip() for line in lines)
    assert all("  " not in line.replace(readers.CELL_SEP, "|") for line in lines)
    assert "\n\n\n" not in filing_html.text


def test_malformed_html_keeps_all_text():
    result = read_document(DATA / "malformed.html")

    assert result.text == (
        "Opening paragraph with bold text that never closes\n\n"
        "Second paragraph with an unclosed font\n\n"
        f"Cell one{readers.CELL_SEP}Cell two\nRow two\n\n"
        "Trailing words & more\n"
    )


def test_html_with_xml_declaration_and_crlf(tmp_path):
    markup = (
        '<?xml version="1.0" encoding="utf-8"?>\r\n'
        "<html><body><div>A\r\nB</div><pre>x  1\r\ny  2</pre></body></html>"
    )
    path = _write(tmp_path, "x.htm", markup.encode())

    result = read_document(path)

    assert result.text == "A B\n\nx 1\ny 2\n"


def test_layout_table_with_one_cell_keeps_its_paragraphs(tmp_path):
    markup = b"<table><tr><td><p>First paragraph.</p><p>Second paragraph.</p></td><td>&nbsp;</td></tr></table>"
    path = _write(tmp_path, "layout.html", markup)

    assert read_document(path).text == "First paragraph.\n\nSecond paragraph.\n"


def test_html_nested_deeper_than_the_parser_limit_is_never_silently_truncated(tmp_path):
    path = _write(tmp_path, "deep.htm", ("<p>" + "<font>x" * 3000 + "END</p>").encode())

    try:
        text = read_document(path).text
    except ReaderError as exc:
        assert "nested too deeply" in str(exc)
    else:
        assert text.rstrip().endswith("END")


def test_ix_header_is_dropped_even_when_not_inside_a_hidden_div(tmp_path):
    markup = (
        '<html><body><ix:header><ix:references>REFERENCE_FACT</ix:references></ix:header>'
        '<p>Shares: <ix:nonFraction name="us-gaap:Shares">1,000</ix:nonFraction></p></body></html>'
    )
    path = _write(tmp_path, "ix.htm", markup.encode())

    assert read_document(path).text == "Shares: 1,000\n"


def test_html_nested_a_few_hundred_levels_deep_is_read_completely(tmp_path):
    path = _write(tmp_path, "deepish.htm", ("<p>" + "<font>x" * 500 + "END</p><p>after</p>").encode())

    assert read_document(path).text == "x" * 500 + "END\n\nafter\n"


def test_html_with_only_hidden_content_is_an_error(tmp_path):
    markup = b'<html><head><title>T</title></head><body><div style="display:none">x</div></body></html>'
    path = _write(tmp_path, "hidden.htm", markup)

    with pytest.raises(ReaderError, match=r"hidden\.htm: no text left after html conversion"):
        read_document(path)


# --------------------------------------------------------------------------- SGML


@pytest.fixture(scope="module")
def submission() -> SourceText:
    return read_document(DATA / "submission.txt")


def test_sgml_keeps_main_document_and_exhibit_in_order(submission):
    assert submission.source_format == "sgml"
    assert submission.plain is False
    text = submission.text
    main = text.index("SECURITIES AND EXCHANGE COMMISSION")
    exhibit = text.index("Acme Widgets names Jane Q. Doe Chief Financial Officer")
    assert main < exhibit
    assert "By: /s/ Jane Q. Doe\n\nAcme Widgets names" in text  # one blank line between documents
    assert f"Revenue{readers.CELL_SEP}$1,234" in _lines(text)


def test_sgml_drops_header_graphic_and_xbrl(submission):
    text = submission.text
    for absent in ("HEADER NAME", "ACCESSION NUMBER", "begin 644", "logo.jpg", "XBRL_INSTANCE_NAME", "M_]C_X"):
        assert absent not in text


def test_sgml_drops_non_exhibits_encoded_exhibits_data_schedules_and_viewer_files(submission):
    text = submission.text
    for absent in ("COVER LETTER", "investor-deck", "M)5!$1", "MULTIPLIER", "12,345", "XBRL_VIEWER_REPORT"):
        assert absent not in text
    assert not re.search(r"<(?:/?DOCUMENT|TYPE|SEQUENCE|FILENAME|DESCRIPTION|/?TEXT|PAGE|S|C|/?TABLE|CAPTION)>", text)


def test_sgml_plain_document_keeps_layout_lines(submission):
    lines = _lines(submission.text)
    assert lines[0] == "                       SECURITIES AND EXCHANGE COMMISSION"
    assert "Item 5.02  Departure of Directors or Certain Officers." in lines  # rstripped, inner spacing kept
    assert "Jane Q. Doe                    47" in lines
    # The <PAGE> marker between the pages became an empty line.
    assert "Jane Q. Doe                    47\n\n                                   SIGNATURES" in submission.text


def test_truncated_sgml_takes_what_is_there():
    result = read_document(DATA / "truncated_submission.txt")

    assert result.text == (
        "Acme Widgets, Inc. announced the appointment of John R. Roe.\n\nPress release text that is cut off\n"
    )


def test_pem_wrapped_submission_with_missing_closing_tags(tmp_path):
    content = (
        "-----BEGIN PRIVACY-ENHANCED MESSAGE-----\nProc-Type: 2001,MIC-CLEAR\n\n"
        "<SEC-DOCUMENT>x\n<SEC-HEADER>x\nFILER: ACME WIDGETS HEADER\n</SEC-HEADER>\n"
        "<DOCUMENT>\n<TYPE>8-K\n<TEXT>\nMain body without closing TEXT tag.\n</DOCUMENT>\nSTRAY LINE\n"
        "<DOCUMENT>\n<TYPE>EX-99\n<TEXT>\nExhibit body, file cut here.\n"
        "</SEC-DOCUMENT>\n-----END PRIVACY-ENHANCED MESSAGE-----\n"
    )
    path = _write(tmp_path, "pem.txt", content.encode())

    result = read_document(path)

    assert result.source_format == "sgml"
    assert result.text == "Main body without closing TEXT tag.\n\nExhibit body, file cut here.\n"


def test_sgml_header_followed_by_text_without_document_tags(tmp_path):
    content = "<SEC-DOCUMENT>x\n<SEC-HEADER>x\nFILER: ACME\n</SEC-HEADER>\nBody text after the header.\n"
    path = _write(tmp_path, "nodoc.txt", content.encode())

    assert read_document(path).text == "Body text after the header.\n"


def test_sgml_single_document_htm_does_not_leak_metadata(tmp_path):
    content = (
        "<DOCUMENT>\n<TYPE>8-K\n<SEQUENCE>1\n<FILENAME>acme8k.htm\n<DESCRIPTION>CURRENT REPORT\n<TEXT>\n"
        "<html><body><p>Body text only.</p></body></html>\n</TEXT>\n</DOCUMENT>\n"
    )
    path = _write(tmp_path, "acme8k.htm", content.encode())

    result = read_document(path)

    assert result.source_format == "sgml"
    assert result.text == "Body text only.\n"


def test_sgml_inline_xbrl_main_document_inside_xbrl_wrapper(tmp_path):
    content = (
        "<SEC-DOCUMENT>x\n<SEC-HEADER>x\n</SEC-HEADER>\n<DOCUMENT>\n<TYPE>8-K\n<SEQUENCE>1\n<TEXT>\n<XBRL>\n"
        '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns:ix="http://www.xbrl.org/2013/inlineXBRL"><body>'
        '<div style="display:none"><ix:header>HIDDEN</ix:header></div>'
        '<p>Registrant: <ix:nonNumeric name="dei:EntityRegistrantName">Acme Widgets</ix:nonNumeric></p>'
        "</body></html>\n</XBRL>\n</TEXT>\n</DOCUMENT>\n"
        "<DOCUMENT>\n<TYPE>EX-99.1\n<SEQUENCE>2\n<FILENAME>ex.pdf\n<TEXT>\n"
        "<PDF>\nbegin 644 ex.pdf\nM0000\nend\n</PDF>\n</TEXT>\n</DOCUMENT>\n"
        "<DOCUMENT>\n<TYPE>EX-99.2\n<SEQUENCE>3\n<TEXT>\n"
        + "\n".join(["QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0MTIzNDU2Nzg5"] * 5)
        + "\n</TEXT>\n</DOCUMENT>\n"
        "<DOCUMENT>\n<TYPE>EX-99.3\n<SEQUENCE>4\n<TEXT>\n"
        "<XBRL>\n<xbrli:xbrl>XBRL_DATA</xbrli:xbrl>\n</XBRL>\n</TEXT>\n</DOCUMENT>\n"
        "<DOCUMENT>\n<TYPE>EX-99.4\n<SEQUENCE>5\n<FILENAME>chart.jpg\n<TEXT>\nJPEG_BY_NAME\n</TEXT>\n</DOCUMENT>\n"
        "<DOCUMENT>\n<TYPE>EX-99.5\n<SEQUENCE>6\n<TEXT>\n<PDF>\n%PDF-1.4 PDF_PAYLOAD\n</PDF>\n</TEXT>\n</DOCUMENT>\n"
    )
    path = _write(tmp_path, "ixbrl.txt", content.encode())

    assert read_document(path).text == "Registrant: Acme Widgets\n"


def test_sgml_with_only_data_documents_is_an_error(tmp_path):
    content = "<SEC-DOCUMENT>x\n<DOCUMENT>\n<TYPE>GRAPHIC\n<TEXT>\nbegin 644 a.jpg\nM00\nend\n</TEXT>\n</DOCUMENT>\n"
    path = _write(tmp_path, "graphic.txt", content.encode())

    with pytest.raises(ReaderError, match="no readable document in SGML submission"):
        read_document(path)


def test_sgml_header_without_documents_is_an_error(tmp_path):
    path = _write(tmp_path, "header.txt", b"<SEC-HEADER>0000999999-21-000003.hdr.sgml\nFILER: ACME\n")

    with pytest.raises(ReaderError, match="without <DOCUMENT> sections"):
        read_document(path)


# --------------------------------------------------------------------------- bad input


def test_empty_file_is_an_error(tmp_path):
    path = _write(tmp_path, "foo.txt", b"")

    with pytest.raises(ReaderError) as info:
        read_document(path)

    assert str(info.value) == f"{path}: file is empty"
    assert info.value.path == path
    assert info.value.reason == "file is empty"


def test_whitespace_only_file_is_an_error(tmp_path):
    path = _write(tmp_path, "blank.htm", b"  \r\n\t\n\xc2\xa0\n")

    with pytest.raises(ReaderError, match=r"blank\.htm: file contains only whitespace"):
        read_document(path)


def test_file_with_nul_bytes_is_binary(tmp_path):
    path = _write(tmp_path, "x.htm", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + b"A" * 100)

    with pytest.raises(ReaderError) as info:
        read_document(path)

    assert str(info.value) == f"{path}: binary content (NUL bytes), not a text filing"


def test_file_full_of_control_characters_is_binary(tmp_path):
    path = _write(tmp_path, "noise.txt", bytes([0x01, 0x02, 0x1B, 0x7F, 0x41]) * 50)

    with pytest.raises(ReaderError, match=r"noise\.txt: binary content \(\d+ control characters"):
        read_document(path)


def test_few_form_feeds_and_tabs_are_not_binary(tmp_path):
    content = "Page one\tcol\n\x0cPage two\n" * 20
    path = _write(tmp_path, "ff.txt", content.encode())

    assert read_document(path).text == content


def test_too_large_file_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_BYTES", 10)
    path = _write(tmp_path, "big.txt", b"x" * 11)

    with pytest.raises(ReaderError, match=r"big\.txt: file too large \(11 bytes, limit 10\)"):
        read_document(path)


def test_file_at_the_size_limit_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_BYTES", 10)
    path = _write(tmp_path, "ok.txt", b"x" * 10)

    assert read_document(path).text == "x" * 10


def test_missing_file_is_an_error(tmp_path):
    with pytest.raises(ReaderError, match=r"gone\.txt: cannot read file"):
        read_document(tmp_path / "gone.txt")


def test_reader_error_is_an_exception_and_survives_pickling(tmp_path):
    error = ReaderError(tmp_path / "a.txt", "file is empty")

    copy = pickle.loads(pickle.dumps(error))

    assert isinstance(copy, Exception)
    assert str(copy) == str(error) == f"{tmp_path / 'a.txt'}: file is empty"


# --------------------------------------------------------------------------- discovery and ids


def test_iter_input_files_recurses_sorts_filters_and_skips_hidden(tmp_path):
    for name in [
        "b.txt",
        "A.HTM",
        "a/z.html",
        "a/b/c.Txt",
        "a/notes.md",
        "image.jpg",
        "noext",
        ".hidden.txt",
        ".git/x.txt",
        "a/.cache/y.htm",
    ]:
        _write(tmp_path, name, b"x")
    (tmp_path / "folder.txt").mkdir()

    found = [p.relative_to(tmp_path).as_posix() for p in iter_input_files(tmp_path)]

    assert found == ["A.HTM", "a/b/c.Txt", "a/z.html", "b.txt"]
    assert list(iter_input_files(tmp_path)) == list(iter_input_files(tmp_path))


def test_iter_input_files_works_inside_a_hidden_parent_folder(tmp_path):
    root = tmp_path / ".cache" / "inputs"
    _write(root, "f.txt", b"x")

    assert list(iter_input_files(root)) == [root / "f.txt"]


def test_iter_input_files_refuses_a_missing_folder(tmp_path):
    with pytest.raises(FileNotFoundError):
        list(iter_input_files(tmp_path / "missing"))


def test_document_id(tmp_path):
    assert document_id(tmp_path / "a" / "b.txt", tmp_path) == "a/b"
    assert document_id(tmp_path / "x.y.htm", tmp_path) == "x.y"
    assert document_id(Path("in/0001_8k.HTML"), Path("in")) == "0001_8k"
    with pytest.raises(ValueError):
        document_id(Path("/elsewhere/a.txt"), tmp_path)


# --------------------------------------------------------------------------- real filings


@pytest.mark.skipif(not ORIGINALS.is_dir(), reason="../shared/filings/original not available")
def test_every_original_filing_reads_cleanly():
    paths = list(iter_input_files(ORIGINALS))
    assert paths
    for path in paths:
        text = read_document(path).text
        assert text.strip(), path
        assert not re.search(r"<(?:/?DOCUMENT|TYPE|SEQUENCE|FILENAME|/?TEXT|/?SEC-HEADER)>", text), path
        assert not re.search(r"^begin [0-7]{3} ", text, re.MULTILINE), path


@pytest.mark.skipif(not PLAIN_TEXTS.is_dir(), reason="../shared/filings/text not available")
def test_every_plain_text_filing_reads_as_plain_text():
    paths = list(iter_input_files(PLAIN_TEXTS))
    assert paths
    for path in paths:
        result = read_document(path)
        assert result.source_format == "text", path
        assert result.text.strip(), path


@pytest.mark.skipif(not ORIGINALS.is_dir() or not PLAIN_TEXTS.is_dir(), reason="../shared/filings not available")
def test_html_lines_match_a_human_made_text_version():
    original = ORIGINALS / "1341439_0001193125-14-242424_d740679d8k.htm"
    reference = PLAIN_TEXTS / "1341439_20140619_1.txt"
    ours = [" ".join(line.split()) for line in read_document(original).text.split("\n")]
    expected = [" ".join(line.split()) for line in reference.read_text(encoding="utf-8").split("\n") if line.strip()]

    missing = [line for line in expected if not any(line in our_line for our_line in ours)]

    assert not missing
    assert "SIGNATURE" in ours and "ORACLE CORPORATION" in ours
