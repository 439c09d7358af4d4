"""PDF -> Document -> sentences: what a reader sees, in reading order, with every word's box.

``pdf_to_document`` reads a PDF (text layer, layout, tables, furniture, OCR for pages without
text); ``document_to_sentences`` cuts it into sentences with page, offsets and heading. Dates and
markers as statements write them are in ``dates``; the one sentence hash in ``segment``."""

from disclosure_check.faces import face

# The names other packages may use, and the module each lives in (imported when first used).
_FACE = {
    "pdf_to_document": "extract",
    "file_digest": "extract",
    "safe_doc_id": "extract",
    "DEFAULT_MAX_BYTES": "extract",
    "DEFAULT_MAX_PAGES": "extract",
    "DEFAULT_MAX_OCR_PAGES": "extract",
    "document_to_sentences": "segment",
    "texts_to_sentences": "segment",
    "sentence_hash": "segment",
    "parse_dates": "dates",
    "parse_pdf_date": "dates",
    "SCORED_LANGUAGES": "language",
    "language_name": "language",
}
__all__ = sorted(_FACE)
__getattr__ = face(__name__, _FACE)
