"""Results as people read them: exports (JSON, CSV, Parquet), reports (Markdown, HTML, PDF), the
methodology generated from the rubric, and page images with the evidence boxed."""

from importlib import import_module

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


def __getattr__(name: str):
    if name in _FACE:
        return getattr(import_module(f"{__name__}.{_FACE[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
