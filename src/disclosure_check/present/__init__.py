"""Results as people read them: exports (JSON, CSV, Parquet), reports (Markdown, HTML, PDF), the
methodology generated from the rubric, and page images with the evidence boxed."""

from disclosure_check.faces import face

# The names other packages may use, and the module each lives in (imported when first used).
_FACE = {
    "ResultsWriter": "export",
    "export_view": "export",
    "flat_columns": "export",
    "flat_row": "export",
    "result_to_dict": "export",
    "write_results": "export",
    "write_report": "report",
    "methodology": "methodology",
    "to_markdown": "methodology",
    "evidence_image": "highlight",
}
__all__ = sorted(_FACE)
__getattr__ = face(__name__, _FACE)
