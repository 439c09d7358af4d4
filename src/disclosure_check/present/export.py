"""Results as plain dicts, and files: JSON (full evidence), CSV and Parquet (one row per document).

JSON and Parquet are data formats and keep every value as stored (text was cleaned of control
characters and capped where it entered, at extraction). CSV is opened by spreadsheets, which run a
cell starting with = + - @ as a formula: every CSV cell is neutralised (``sanitize.neutralise_cell``),
and ``spreadsheet_safe`` does the same for a table the dashboard offers as CSV or Excel.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path

from disclosure_check.errors import ConfigError
from disclosure_check.files import atomic_path
from disclosure_check.rubric import ELEMENT_IDS
from disclosure_check.sanitize import neutralise_cell
from disclosure_check.types import (
    IDENTITY_FIELDS,
    Assessment,
    Box,
    CriterionEvidence,
    CriterionResult,
    ElementResult,
    Evidence,
    Failure,
    Gap,
    GateResult,
    Identity,
    LetterItem,
    Maturity,
    Metadata,
    Profile,
    Quote,
    ThemeResult,
    TrainingAudiences,
    statutory_state,
)

MAX_CRITERION_EVIDENCE = 8
# identity_organisation, ..., then where the organisation and year came from ("text", "metadata", "file name")
IDENTITY_COLUMNS = [f"identity_{name}" for name in IDENTITY_FIELDS] + [
    "identity_organisation_source", "identity_year_source"]

FORMATS = (".json", ".csv", ".parquet")


def maturity_to_dict(m: Maturity) -> dict:
    p = m.profile
    return {
        "doc_type": p.doc_type,
        "sector": {"financial": p.financial, "subsector": p.subsector, "industry": p.industry,
                   "jurisdiction": p.jurisdiction, "source": p.source},
        "statutory": None if not m.gate else {
            "met": m.statutory_met,
            "state": m.statutory_state,
            "checks": [{"id": g.id, "name": g.name, "met": g.met, "state": g.state, "reason": g.reason,
                        "requirement": g.requirement,
                        **({"period": {"start": g.period[0], "end": g.period[1]}} if g.period else {}),
                        "evidence": [{"page": q.page, "text": q.text, "boxes": boxes_to_lists(q.boxes), "ocr": q.ocr}
                                     for q in g.evidence]} for g in m.gate],
        },
        "criteria": [
            {"id": c.id, "theme": c.theme, "level": c.level, "applies": c.applies, "flags": list(c.flags),
             "evidence": [criterion_evidence_to_dict(e) for e in c.evidence[:MAX_CRITERION_EVIDENCE]]}
            for c in m.criteria
        ],
        "themes": [{"id": t.id, "level": t.level} for t in m.themes],
        "overall": m.overall,
        "gaps": [{"criterion": g.criterion, "theme": g.theme, "level": g.level, "next_level": g.next_level,
                  "next_level_description": g.next_level_description, "recommendation": g.recommendation,
                  "sources": list(g.sources)} for g in m.gaps],
        "letter": [{"id": i.id, "kind": i.kind, "name": i.name, "level": i.level, "criteria": list(i.criteria),
                    "evidence": [criterion_evidence_to_dict(e) for e in i.evidence[:MAX_CRITERION_EVIDENCE]]}
                   for i in m.letter],
        "flags": list(m.flags),
        "scale": [{"level": level, "id": level_id, "name": name} for level, level_id, name in m.scale],
    }


def criterion_evidence_to_dict(e: CriterionEvidence) -> dict:
    return {"text": e.text, "page": e.page, "status": e.status, "level": e.level, "source": e.source,
            "sentence_index": e.sentence_index, "boxes": boxes_to_lists(e.boxes), "ocr": e.ocr}


def level_label(item: dict, level: int | None) -> str:
    """'3 Established': a level with its name from the scale the result was scored on."""
    if level is None:
        return ""
    names = {entry["level"]: entry["name"] for entry in item.get("scale") or []}
    return f"{level} {names.get(level, '')}".strip()


def identity_to_dict(identity: Identity) -> dict:
    """The ``identity`` object: exactly organisation, entities, company_number, financial_year_end, year."""
    return {"organisation": identity.organisation, "entities": list(identity.entities),
            "company_number": identity.company_number, "financial_year_end": identity.financial_year_end,
            "year": identity.year}


def gate_state(statutory: dict) -> str | None:
    """The gate's state from an exported dict; results stored before states existed have only ``met``."""
    return statutory_state([c.get("state") or ("met" if c["met"] else "not_met") for c in statutory["checks"]])


def boxes_to_lists(boxes) -> list[list]:
    """[[page, x0, top, x1, bottom], ...] in PDF points from the page's top-left corner."""
    return [[b.page, round(b.x0, 1), round(b.top, 1), round(b.x1, 1), round(b.bottom, 1)] for b in boxes]


def evidence_to_dict(ev: Evidence) -> dict:
    out = {"text": ev.text, "page": ev.page, "classifier": ev.classifier, "score": round(ev.score, 4),
           "status": ev.status, "sentence_index": ev.sentence_index, "detail": ev.detail,
           "boxes": boxes_to_lists(ev.boxes), "ocr": ev.ocr}
    if ev.found_by:
        out["found_by"] = list(ev.found_by)
    return out


def result_to_dict(result: Assessment | Failure) -> dict:
    """The documented JSON shape of one input (see README, "Output")."""
    if isinstance(result, Failure):
        return {
            "document": result.path, "doc_id": result.doc_id, "status": "failed",
            "error": result.reason, "error_code": result.code, "pages": None, "elements": {},
            "rubric_version": result.rubric_version, "model_version": result.model_version,
            "language": result.language,
        }
    return {
        "document": result.path,
        "doc_id": result.doc_id,
        "status": "scored",
        "error": None,
        "error_code": None,
        "pages": result.pages,
        "pages_without_text": list(result.pages_without_text),
        "pages_ocr": [{"page": page, "confidence": confidence} for page, confidence in result.pages_ocr],
        "language": result.language,
        "pages_other_language": [{"page": page, "language": code} for page, code in result.pages_other_language],
        "sentences": result.sentences,
        "rubric_version": result.rubric_version,
        "model_version": result.model_version,
        "metadata": asdict(result.metadata),
        "elements": {
            e.element: {
                "present": e.present,
                "confidence": e.confidence,
                "evidence": [evidence_to_dict(ev) for ev in e.evidence],
                "negative": [evidence_to_dict(ev) for ev in e.negative],
                **({"rejected": [evidence_to_dict(ev) for ev in e.rejected]} if e.rejected else {}),
            }
            for e in result.elements
        },
        **({"identity": identity_to_dict(result.identity), "identity_sources": dict(result.identity.sources)}
           if result.identity is not None else {}),
        **(maturity_to_dict(result.maturity) if result.maturity is not None else {}),
        **({"training_audiences": {
            "labels": list(result.training_audiences.labels),
            "evidence": [{"audience": a, "page": p, "text": t} for a, p, t in result.training_audiences.evidence],
            "model_version": result.training_audiences.model_version,
        }} if result.training_audiences is not None else {}),
    }


def _boxes(values) -> tuple[Box, ...]:
    return tuple(Box.from_list(b) for b in values or ())


def _criterion_evidence(criterion: str, e: dict) -> CriterionEvidence:
    return CriterionEvidence(criterion=criterion, level=int(e["level"]), status=e["status"], text=e["text"],
                             page=int(e["page"]), sentence_index=int(e.get("sentence_index", -1)), source=e["source"],
                             boxes=_boxes(e.get("boxes")), ocr=bool(e.get("ocr")))


def _evidence(element: str, e: dict) -> Evidence:
    return Evidence(element=element, sentence_index=int(e["sentence_index"]), text=e["text"], page=int(e["page"]),
                    classifier=e["classifier"], score=float(e["score"]), detail=e.get("detail", ""),
                    status=e.get("status", "implemented"), boxes=_boxes(e.get("boxes")), ocr=bool(e.get("ocr")),
                    found_by=tuple(e.get("found_by") or ()))


def maturity_from_dict(item: dict) -> Maturity:
    sector = item.get("sector") or {}
    profile = Profile(doc_type=item.get("doc_type", "statement"), financial=bool(sector.get("financial")),
                      subsector=sector.get("subsector"), jurisdiction=sector.get("jurisdiction", "uk"),
                      source=sector.get("source", "detected"), industry=sector.get("industry"))
    statutory = item.get("statutory") or {}
    gate = tuple(GateResult(
        id=c["id"], name=c["name"], state=c.get("state") or ("met" if c["met"] else "not_met"),
        requirement=c.get("requirement", ""), reason=c.get("reason", ""),
        evidence=tuple(Quote(page=int(q["page"]), text=q["text"], boxes=_boxes(q.get("boxes")), ocr=bool(q.get("ocr")))
                       for q in c.get("evidence", ())),
        period=(c["period"]["start"], c["period"]["end"]) if c.get("period") else None)
        for c in statutory.get("checks", ()))
    criteria = tuple(CriterionResult(id=c["id"], theme=c["theme"], level=int(c["level"]), applies=bool(c["applies"]),
                                     evidence=tuple(_criterion_evidence(c["id"], e) for e in c.get("evidence", ())),
                                     flags=tuple(c.get("flags", ()))) for c in item.get("criteria", ()))
    return Maturity(
        profile=profile, gate=gate, criteria=criteria,
        themes=tuple(ThemeResult(id=t["id"], level=t["level"]) for t in item.get("themes", ())),
        overall=int(item.get("overall") or 0),
        gaps=tuple(Gap(criterion=g["criterion"], theme=g["theme"], level=int(g["level"]), next_level=int(g["next_level"]),
                       next_level_description=g.get("next_level_description", ""),
                       recommendation=g.get("recommendation", ""), sources=tuple(g.get("sources", ())))
                   for g in item.get("gaps", ())),
        letter=tuple(LetterItem(id=i["id"], kind=i["kind"], name=i["name"], level=int(i["level"]),
                                criteria=tuple(i.get("criteria", ())),
                                evidence=tuple(_criterion_evidence(f"letter:{i['id']}", e) for e in i.get("evidence", ())))
                     for i in item.get("letter", ())),
        flags=tuple(item.get("flags", ())),
        scale=tuple((int(s["level"]), s["id"], s["name"]) for s in item.get("scale", ())),
    )


def result_from_dict(item: dict) -> Assessment | Failure:
    """The typed result back from its exported dict: ``result_to_dict(result_from_dict(d)) == d``
    for every dict ``result_to_dict`` wrote (the store keeps that dict; readers get types)."""
    if item.get("status") == "failed":
        return Failure(doc_id=item["doc_id"], path=item["document"], code=item.get("error_code") or "",
                       reason=item.get("error") or "", rubric_version=item.get("rubric_version", ""),
                       model_version=item.get("model_version", ""), language=item.get("language"))
    identity = None
    if "identity" in item:
        i = item["identity"]
        identity = Identity(organisation=i.get("organisation"), entities=tuple(i.get("entities") or ()),
                            company_number=i.get("company_number"), financial_year_end=i.get("financial_year_end"),
                            year=i.get("year"), sources=tuple((item.get("identity_sources") or {}).items()))
    audiences = None
    if "training_audiences" in item:
        a = item["training_audiences"]
        audiences = TrainingAudiences(labels=tuple(a["labels"]),
                                      evidence=tuple((e["audience"], int(e["page"]), e["text"]) for e in a["evidence"]),
                                      model_version=a.get("model_version", ""))
    return Assessment(
        doc_id=item["doc_id"], path=item["document"], pages=int(item["pages"] or 0),
        rubric_version=item["rubric_version"], model_version=item["model_version"],
        elements=tuple(ElementResult(element=e, present=bool(v["present"]), confidence=float(v["confidence"]),
                                     evidence=tuple(_evidence(e, ev) for ev in v.get("evidence", ())),
                                     negative=tuple(_evidence(e, ev) for ev in v.get("negative", ())),
                                     rejected=tuple(_evidence(e, ev) for ev in v.get("rejected", ())))
                       for e, v in (item.get("elements") or {}).items()),
        metadata=Metadata(**(item.get("metadata") or {})),
        pages_without_text=tuple(item.get("pages_without_text") or ()),
        sentences=int(item.get("sentences") or 0),
        maturity=maturity_from_dict(item) if "criteria" in item else None,
        training_audiences=audiences,
        language=item.get("language"),
        pages_ocr=tuple((int(p["page"]), float(p["confidence"])) for p in item.get("pages_ocr") or ()),
        pages_other_language=tuple((int(p["page"]), p["language"]) for p in item.get("pages_other_language") or ()),
        identity=identity,
    )


@lru_cache(maxsize=1)
def _bundled_rubric():
    from disclosure_check.rubric import load_rubric

    return load_rubric()


def flat_row(item: dict, element_ids: Sequence[str] = ELEMENT_IDS, rubric=None) -> dict:
    """One CSV/Parquet row: document fields plus present/confidence/evidence count/best page per element.
    ``rubric`` names the top gap (``top_gap_name``); default: the bundled rubric."""
    row = {k: item.get(k) for k in ("document", "doc_id", "status", "error", "error_code", "pages",
                                     "rubric_version", "model_version", "language")}
    ocr_pages = item.get("pages_ocr") or []
    row["pages_ocr"] = ";".join(str(p["page"]) for p in ocr_pages)
    row["pages_ocr_confidence"] = ";".join(f"{p['confidence']:g}" for p in ocr_pages)
    identity, sources = item.get("identity") or {}, item.get("identity_sources") or {}
    for name in IDENTITY_FIELDS:
        value = identity.get(name)
        row[f"identity_{name}"] = ";".join(value) if isinstance(value, list) else value
    row["identity_organisation_source"] = sources.get("organisation")
    row["identity_year_source"] = sources.get("year")
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
        row["industry"] = item["sector"].get("industry")  # absent from results scored before it was detected
        row["statutory_met"] = item["statutory"]["met"] if item["statutory"] else None
        row["statutory_state"] = gate_state(item["statutory"]) if item["statutory"] else None
        for check in (item["statutory"] or {}).get("checks", []):
            row[f"{check['id']}_state"] = check.get("state") or ("met" if check["met"] else "not_met")
        row["overall_level"] = item["overall"]
        row["overall_label"] = level_label(item, item["overall"])
        for theme in item["themes"]:
            row[f"{theme['id']}_level"] = theme["level"]
        for criterion in item["criteria"]:
            row[f"{criterion['id']}_level"] = criterion["level"] if criterion["applies"] else None
        row["top_gap"] = item["gaps"][0]["criterion"] if item["gaps"] else None
        row["top_gap_name"] = (rubric or _bundled_rubric()).label(row["top_gap"]) if row["top_gap"] else None
    if "training_audiences" in item:
        row["training_audiences"] = ";".join(item["training_audiences"]["labels"])
    return row


def flat_columns(rubric=None, *, reviewed: bool = False) -> list[str]:
    """The CSV/Parquet columns, in order, for results scored with ``rubric`` (every column a row of
    ``flat_row`` can have, so a file can be written one row at a time)."""
    columns = ["document", "doc_id", "status", "error", "error_code", "pages", "rubric_version", "model_version",
               "language", "pages_ocr", "pages_ocr_confidence", *IDENTITY_COLUMNS]
    if reviewed:
        columns += ["organisation", "year", "origin", "reviewed"]
    element_ids = rubric.element_ids if rubric is not None else ELEMENT_IDS
    for element in element_ids:
        columns += [f"{element}_present", f"{element}_confidence", f"{element}_evidence", f"{element}_page"]
    if rubric is not None and (rubric.criteria or rubric.gate):
        columns += ["doc_type", "financial", "subsector", "industry", "statutory_met", "statutory_state", "overall_level", "overall_label"]
        columns += [f"{check.id}_state" for check in rubric.gate]
        columns += [f"{t.id}_level" for t in rubric.themes] + [f"{c.id}_level" for c in rubric.criteria]
        columns += ["top_gap", "top_gap_name"]
    columns.append("training_audiences")
    return columns


def _arrow_type(column: str):
    import pyarrow as pa

    if column.endswith("_present") or column in ("financial", "statutory_met", "reviewed"):
        return pa.bool_()
    if column.endswith("_confidence") and column != "pages_ocr_confidence":
        return pa.float64()
    if column.endswith(("_evidence", "_page", "_level")) or column in ("pages", "year", "identity_year"):
        return pa.int64()
    return pa.string()


class ResultsWriter:
    """Writes results one at a time, as they are scored: ``.json`` (the full result dicts, a list),
    ``.csv`` or ``.parquet`` (one ``flat_row`` each, in ``columns``). Memory stays flat however long
    the batch. The file is written beside ``path`` and renamed over it on ``close``, so a run that is
    interrupted leaves the previous file (or none), never a half-written one."""

    PARQUET_ROWS = 500  # rows per Parquet row group

    def __init__(self, path: str | Path, columns: Sequence[str]) -> None:
        self.path = Path(path)
        self.suffix = check_output_path(self.path)
        self.columns = list(columns)
        self._atomic = ExitStack()  # a temporary file of its own beside ``path`` (files.atomic_path)
        self.tmp = self._atomic.enter_context(atomic_path(self.path))
        self.count = 0
        self._rows: list[dict] = []
        self._parquet = None
        if self.suffix == ".parquet":
            self._handle = None
        else:
            self._handle = self.tmp.open("w", encoding="utf-8", newline="")
        if self.suffix == ".json":
            self._handle.write("[")
        elif self.suffix == ".csv":
            self._csv = csv.DictWriter(self._handle, fieldnames=self.columns, extrasaction="ignore")
            self._csv.writerow({column: neutralise_cell(column) for column in self.columns})

    def write(self, item: dict) -> None:
        if self.suffix == ".json":
            self._handle.write(("," if self.count else "") + "\n" + json.dumps(item, indent=1, ensure_ascii=False))
        elif self.suffix == ".csv":
            self._csv.writerow({key: neutralise_cell(value) for key, value in flat_row(item).items()})
        else:
            self._rows.append(flat_row(item))
            if len(self._rows) >= self.PARQUET_ROWS:
                self._flush_parquet()
        self.count += 1

    def _flush_parquet(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = pa.schema([(c, _arrow_type(c)) for c in self.columns])
        if self._parquet is None:
            self._parquet = pq.ParquetWriter(str(self.tmp), schema)
        table = pa.Table.from_pylist([{c: row.get(c) for c in self.columns} for row in self._rows], schema=schema)
        self._parquet.write_table(table)
        self._rows.clear()

    def close(self) -> Path:
        """Finish the file and put it in place."""
        if self.suffix == ".json":
            self._handle.write("\n]\n")
        if self._handle is not None:
            self._handle.close()
        if self.suffix == ".parquet":
            if self._rows or self._parquet is None:
                self._flush_parquet()
            self._parquet.close()
        self._atomic.close()  # flushed to disk and renamed over ``path``
        return self.path

    def abort(self) -> None:
        """Drop the unfinished file; ``path`` keeps what it had."""
        if self._handle is not None:
            self._handle.close()
        if self._parquet is not None:
            self._parquet.close()
        self._atomic.__exit__(RuntimeError, RuntimeError("aborted"), None)  # removes the temporary file

    def __enter__(self) -> ResultsWriter:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            self.close()
        else:
            self.abort()


def check_output_path(path: str | Path) -> str:
    """The output format of ``path`` by its extension, or a ConfigError before any work is done."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ConfigError(f"unknown output format '{suffix or path.name}'", where=str(path),
                          fix=f"use a file name ending in one of {', '.join(FORMATS)}")
    return suffix


def write_results(items: Sequence[dict], path: str | Path) -> Path:
    """Write by extension: .json keeps everything, .csv and .parquet one flat row per document."""
    columns: dict[str, None] = {}
    if check_output_path(path) != ".json":
        for item in items:
            columns.update(dict.fromkeys(flat_row(item)))
    with ResultsWriter(path, list(columns)) as writer:
        for item in items:
            writer.write(item)
    return Path(path)


def spreadsheet_safe(frame):
    """A copy of a pandas DataFrame that a spreadsheet can open without running anything: every
    text cell, and every column name, that starts with = + - @ (or a tab or line break) gets a
    leading apostrophe (``sanitize.neutralise_cell``). Numbers, booleans and dates are unchanged.
    For the dashboard's CSV and Excel downloads; CSV files written here are neutralised already."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or str(safe[column].dtype) in ("string", "str", "category"):
            safe[column] = safe[column].astype(object).map(neutralise_cell)
    safe.columns = [neutralise_cell(column) for column in safe.columns]
    return safe
