"""Results as plain dicts, and files: JSON (full evidence), CSV and Parquet (one row per document)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from .errors import ConfigError
from .rubric import ELEMENT_IDS
from .types import Assessment, Failure

FORMATS = (".json", ".csv", ".parquet")


def result_to_dict(result: Assessment | Failure) -> dict:
    """The documented JSON shape of one input (see README, "Output")."""
    if isinstance(result, Failure):
        return {
            "document": result.path, "doc_id": result.doc_id, "status": "failed",
            "error": result.reason, "error_code": result.code, "pages": None, "elements": {},
            "rubric_version": result.rubric_version, "model_version": result.model_version,
        }
    return {
        "document": result.path,
        "doc_id": result.doc_id,
        "status": "scored",
        "error": None,
        "error_code": None,
        "pages": result.pages,
        "pages_without_text": list(result.pages_without_text),
        "sentences": result.sentences,
        "rubric_version": result.rubric_version,
        "model_version": result.model_version,
        "metadata": asdict(result.metadata),
        "elements": {
            e.element: {
                "present": e.present,
                "confidence": e.confidence,
                "evidence": [
                    {"text": ev.text, "page": ev.page, "classifier": ev.classifier, "score": round(ev.score, 4),
                     "status": ev.status, "sentence_index": ev.sentence_index, "detail": ev.detail}
                    for ev in e.evidence
                ],
            }
            for e in result.elements
        },
    }


def flat_row(item: dict, element_ids: Sequence[str] = ELEMENT_IDS) -> dict:
    """One CSV/Parquet row: document fields plus present/confidence/evidence count/best page per element."""
    row = {k: item.get(k) for k in ("document", "doc_id", "status", "error", "error_code", "pages",
                                     "rubric_version", "model_version")}
    elements = item.get("elements") or {}
    for element in element_ids:
        entry = elements.get(element)
        row[f"{element}_present"] = entry["present"] if entry else None
        row[f"{element}_confidence"] = entry["confidence"] if entry else None
        row[f"{element}_evidence"] = len(entry["evidence"]) if entry else None
        row[f"{element}_page"] = entry["evidence"][0]["page"] if entry and entry["evidence"] else None
    return row


def write_results(items: Sequence[dict], path: str | Path) -> Path:
    """Write by extension: .json keeps everything, .csv and .parquet one flat row per document."""
    import pandas as pd

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ConfigError(f"unknown output format '{suffix or path.name}'", where=str(path),
                          fix=f"use a file name ending in one of {', '.join(FORMATS)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".json":
        path.write_text(json.dumps(list(items), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        return path
    frame = pd.DataFrame([flat_row(item) for item in items])
    if suffix == ".csv":
        frame.to_csv(path, index=False)
    else:
        frame.to_parquet(path, index=False)
    return path
