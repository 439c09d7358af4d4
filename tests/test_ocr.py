"""Pages without a usable text layer are read by OCR; documents in other languages are reported.

Fixtures (tests/fixtures/layouts): a real statement page rendered to an image (no text layer), and
another under an invisible text layer of OCR garbage, as bad scanning software leaves it.
"""

from __future__ import annotations

import difflib
import json
import re
from pathlib import Path

import pytest

from disclosure_check.errors import LanguageError, NoTextLayerError
from disclosure_check.pipeline import check_language
from disclosure_check.present.export import result_to_dict
from disclosure_check.read.extract import pdf_to_document
from disclosure_check.read.language import detect_language, is_garbage
from disclosure_check.read.segment import document_to_sentences

pytestmark = pytest.mark.slow  # AppTest sessions, worker processes, clusters or training: `make test` runs them, `make check` does not

LAYOUTS = Path(__file__).parent / "fixtures" / "layouts"
PDF_SAMPLES = Path(__file__).parent / "fixtures" / "pdf_samples"


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def golden_text(name: str) -> str:
    return " ".join(b["text"] for b in json.loads((LAYOUTS / f"{name}.golden.json").read_text())["blocks"])


@pytest.mark.parametrize("name", ["scanned_page", "garbage_text_layer"])
def test_pages_without_a_usable_text_layer_are_read_by_ocr(name):
    doc = pdf_to_document(LAYOUTS / f"{name}.pdf")
    [page] = doc.pages
    assert page.source == "ocr" and page.ocr_confidence > 85
    assert doc.pages_ocr == ((1, page.ocr_confidence),)
    similarity = difflib.SequenceMatcher(None, words(golden_text(name)), words(doc.text), autojunk=False).ratio()
    assert similarity > 0.97, similarity
    assert doc.language == "en"
    sentences = document_to_sentences(doc)
    assert sentences and all(s.ocr and s.boxes for s in sentences)
    # Boxes from the image land on the page in PDF points, where the text block was drawn.
    assert all(b.x0 > 50 and b.x1 < 545 and b.top > 60 and b.bottom < 640 for s in sentences for b in s.boxes)


def test_garbage_layer_is_recognised_as_garbage_and_real_text_is_not():
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(LAYOUTS / "garbage_text_layer.pdf"))
    layer = pdf[0].get_textpage().get_text_range()
    pdf.close()
    assert is_garbage(layer, hidden=True)
    assert not is_garbage(golden_text("garbage_text_layer"), hidden=True)  # the same page, read properly
    assert not is_garbage(golden_text("three_columns"))


def test_ocr_off_leaves_a_scan_unread_with_a_clear_reason():
    with pytest.raises(NoTextLayerError) as info:
        pdf_to_document(LAYOUTS / "scanned_page.pdf", ocr=False)
    assert info.value.code == "DC104" and "OCR is off" in info.value.message and "--no-ocr" in info.value.message


def test_evidence_read_by_ocr_is_marked_in_the_output(scorer):
    result = scorer.score_file(LAYOUTS / "scanned_page.pdf")
    item = result_to_dict(result)
    assert item["status"] == "scored" and item["language"] == "en"
    assert [p["page"] for p in item["pages_ocr"]] == [1] and item["pages_ocr"][0]["confidence"] > 85
    evidence = [ev for element in item["elements"].values() for ev in element["evidence"]]
    assert evidence and all(ev["ocr"] and ev["boxes"] for ev in evidence)


def test_lorem_ipsum_is_latin_and_not_scored():
    doc = pdf_to_document(PDF_SAMPLES / "001-trivial_minimal-document.pdf")
    assert doc.language == "la"
    with pytest.raises(LanguageError) as info:
        check_language(doc)
    assert info.value.code == "DC105" and info.value.language == "la" and "Latin" in info.value.message


def test_languages_of_real_text():
    english = golden_text("three_columns")
    assert detect_language(english) == "en"
    assert detect_language("Lorem ipsum dolor sit amet, consetetur sadipscing elitr, sed diam nonumy eirmod tempor "
                           "invidunt ut labore et dolore magna aliquyam erat, sed diam voluptua.") == "la"
    assert detect_language("Modern Slavery Act") is None  # too little text to tell


def test_a_page_of_names_and_addresses_has_no_language():
    # uk_gate test4 row 57, rendered: the last page holds the CEO's signing line and the Swiss company's
    # address and registry footer; py3langid calls it German, which left the signature out as another
    # language's page. It has no running text in any language, so it is scored with the rest.
    page = ("Hapimag AG\n\nHassan Kadbi Chief Executive Officer Executive Committee\n\nHapimag AG | Sumpfstrasse 18 | "
            "6312 Steinhausen | Schweiz | COB: Dr. Giatgen Peder Fontana | CEO: Hassan Kadbi\n\nEingetragen: "
            "Handelsregister Kanton Zug | Firmennr./UID: CHE-101.391.790 | MwSt.-Nr.: CHE-101.391.790 MWST\n\n"
            "Service Line 00800 3030 8080 | T +41 41 767 80 00 | F +41 58 733 70 90 | info@hapimag.com")
    assert detect_language(page) is None
    assert detect_language("Diese Erklärung wurde vom Vorstand der Gesellschaft genehmigt und gilt für das "
                           "Geschäftsjahr, das am 31. Dezember 2019 endete, und für alle ihre Tochtergesellschaften.") == "de"


def test_pages_in_another_language_are_left_out_and_listed(scorer, documents):
    from dataclasses import replace

    doc = documents["lv_2018"]
    # The same statement, its second page marked as French (as in a bilingual Canadian statement).
    pages = tuple(replace(p, language="fr") if p.number == 2 else p for p in doc.pages)
    result = scorer.score_document(replace(doc, pages=pages))
    assert result.pages_other_language == ((2, "fr"),)
    assert all(ev.page == 1 for e in result.elements for ev in e.evidence)
    assert result_to_dict(result)["pages_other_language"] == [{"page": 2, "language": "fr"}]


@pytest.mark.parametrize("code, text", [
    # scripts written without spaces: a run of characters is one "word" and no stop word ever matches
    ("zh", "本声明是根据英国2015年现代奴隶法第54条作出的，构成本公司截至2019年12月31日财政年度的奴隶制和人口贩运声明。"
           "董事会已批准本声明。我们致力于确保我们的供应链中不存在现代奴隶制。"),
    ("ja", "本声明は、英国現代奴隷法2015年第54条に基づき作成されたものであり、2019年12月31日に終了した会計年度における"
           "当社の奴隷労働および人身取引に関する声明です。取締役会は本声明を承認しました。"),
    ("th", "แถลงการณ์นี้จัดทำขึ้นตามมาตรา 54 ของพระราชบัญญัติการค้าทาสสมัยใหม่ พ.ศ. 2558 และถือเป็นแถลงการณ์ของบริษัท"
           "เกี่ยวกับการค้าทาสและการค้ามนุษย์สำหรับปีการเงินสิ้นสุดวันที่ 31 ธันวาคม 2562 คณะกรรมการบริษัทได้อนุมัติแถลงการณ์นี้"),
])
def test_unspaced_scripts_are_told_by_their_characters(code, text):
    # a Chinese statement is refused as another language, and a bilingual statement's Chinese pages are left out
    assert detect_language(text) == code
    assert detect_language("董事会已批准本声明。") is None  # too little text to tell
