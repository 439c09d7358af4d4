"""Parquet part files from a cluster run (``score --parquet DIR``) loaded into a results database.

Workers that cannot reach the database write part files instead; this puts them in the store as if
the workers had saved them: the latest row per document, rubric and model (by ``written_at``),
with the manifest's organisation and year and the options it was scored with, so the store's
resume and retry rules work on them afterwards. Loading twice changes nothing (saves are upserts).
The part files hold the result, not the document's full text, so keyword search does not find
documents loaded this way until they are scored again into the database.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from disclosure_check.errors import ConfigError
from disclosure_check.run.batch import latest_part_rows


@dataclass(frozen=True)
class LoadSummary:
    parts: int
    rows: int  # rows read (every attempt)
    loaded: int  # latest attempt per document, rubric and model: saved
    scored: int
    failed: int


def load_parts(folder: str | Path, store) -> LoadSummary:
    """Save the latest outcome of every document in ``folder``'s part files into ``store``."""
    import pyarrow.parquet as pq

    from disclosure_check.present.export import result_from_dict

    parts, rows, latest = latest_part_rows(folder)
    if not parts:
        raise ConfigError("no part files (part-*.parquet) in this folder", where=str(folder),
                          fix="give the folder a `score --parquet DIR` run wrote")
    by_part: dict[Path, list[int]] = {}
    for row in latest.values():
        by_part.setdefault(row["part"], []).append(row["index"])
    scored = failed = 0
    for part, indexes in sorted(by_part.items()):
        table = pq.read_table(part, columns=["result_json", "options", "organisation", "year"])
        for index in sorted(indexes):
            row = table.slice(index, 1).to_pylist()[0]
            try:
                result = result_from_dict(json.loads(row["result_json"]))
            except (ValueError, KeyError, TypeError) as exc:
                raise ConfigError(f"row {index} of a part file holds no readable result ({exc})", where=str(part),
                                  fix="the file was not written by `score --parquet`, or is damaged") from None
            store.save(result, options=json.loads(row["options"]) if row["options"] else None,
                       organisation=row["organisation"] or None,
                       year=None if row["year"] is None else int(row["year"]))
            if result.status == "failed":
                failed += 1
            else:
                scored += 1
    return LoadSummary(parts=parts, rows=rows, loaded=scored + failed, scored=scored, failed=failed)
