"""Results as plain dicts, and files: JSON (full evidence), CSV and Parquet (one row per document)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from .errors import ConfigError
from .rubric import ELEMENT_IDS
from .types import Assessment, Failure, Maturity

MAX_CRITERION_EVIDENCE = 8

FORMATS = (".json", ".csv", ".parquet")


def maturity_to_dict(m: Maturity) -> dict:
    p = m.profile
    return {
        "doc_type": p.doc_type,
        "sector": {"financial": p.financial, "subsector": p.subsector, "jurisdiction": p.jurisdiction,
                   "source": p.source},
        "statutory": None if not m.gate else {
            "met": m.statutory_met,
            "checks": [{"id": g.id, "name": g.name, "met": g.met, "requirement": g.requirement,
                        "evidence": [{"page": page, "text": text} for page, text in g.evidence]} for g in m.gate],
        },
        "criteria": [
            {"id": c.id, "theme": c.theme, "level": c.level, "applies": c.applies, "flags": list(c.flags),
             "evidence": [{"text": e.text, "page": e.page, "status": e.status, "level": e.level,
                           "source": e.source} for e in c.evidence[:MAX_CRITERION_EVIDENCE]]}
            for c in m.criteria
        ],
        "themes": [{"id": t.id, "level": t.level} for t in m.themes],
        "overall": m.overall,
        "gaps": [{"criterion": g.criterion, "theme": g.theme, "level": g.level, "next_level": g.next_level,
                  "next_level_description": g.next_level_description, "recommendation": g.recommendation,
                  "sources": list(g.sources)} for g in m.gaps],
        "letter": [{"id": i.id, "kind": i.kind, "name": i.name, "level": i.level} for i in m.letter],
        "flags": list(m.flags),
    }


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
        **(maturity_to_dict(result.maturity) if result.maturity is not None else {}),
        **({"training_audiences": {
            "labels": list(result.training_audiences.labels),
            "evidence": [{"audience": a, "page": p, "text": t} for a, p, t in result.training_audiences.evidence],
            "model_version": result.training_audiences.model_version,
        }} if result.training_audiences is not None else {}),
    }


def flat_row(item: dict, element_ids: Sequence[str] = ELEMENT_IDS) -> dict:
    """One CSV/Parquet row: document fields plus present/confidence/evidence count/best page per element."""
    row = {k: item.get(k) for k in ("document", "doc_id", "status", "error", "error_code", "pages",
                                     "rubric_version", "model_version")}
    if "reviewed" in item:
        row.update(organisation=item.get("organisation"), year=item.get("year"), origin=item.get("origin"),
                   reviewed=item["reviewed"])
    elements = item.get("elements") or {}
    for element in element_ids:
        entry = elements.get(element)
        row[f"{element}_present"] = entry["present"] if entry else None
        row[f"{element}_confidence"] = entry["confidence"] if entry else None
        row[f"{element}_evidence"] = len(entry["evidence"]) if entry else None
        row[f"{element}_page"] = entry["evidence"][0]["page"] if entry and entry["evidence"] else None
    if "criteria" in item:
        row["doc_type"] = item["doc_type"]
        row["financial"] = item["sector"]["financial"]
        row["subsector"] = item["sector"]["subsector"]
        row["statutory_met"] = item["statutory"]["met"] if item["statutory"] else None
        row["overall_level"] = item["overall"]
        for theme in item["themes"]:
            row[f"{theme['id']}_level"] = theme["level"]
        for criterion in item["criteria"]:
            row[f"{criterion['id']}_level"] = criterion["level"] if criterion["applies"] else None
        row["top_gap"] = item["gaps"][0]["criterion"] if item["gaps"] else None
    if "training_audiences" in item:
        row["training_audiences"] = ";".join(item["training_audiences"]["labels"])
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
