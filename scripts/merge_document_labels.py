"""Merge the labellers' CSV batches into corpus/labels/documents.csv, with a fixed held-out split.

Usage: python scripts/merge_document_labels.py [--split test3] /tmp/label/out/batch_*.csv
The batches are added to the rows already in documents.csv (a batch row replaces the file's row for the
same document). Each batch row names a document as <source>_<key>.txt (source: uk = corpus/uk_texts row position,
wikirate = corpus/wikirate Answer ID, aims_au / aims_ca = AIMS statement_id). The split is fixed by the
document's name (sha1: 40% test, 60% dev), so adding labels never moves one between splits; `--split`
files a freshly drawn blind set under its own name instead (`test3`: scripts/pick_document_draw.py --draw test3).
"""

from __future__ import annotations

import csv
import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "corpus" / "labels" / "documents.csv"
FIELDS = ("source", "key", "split", "labeller", "doc_type", "organisation", "aliases", "organisation_quote",
          "company_number", "year", "period_end", "year_quote", "title_year", "industry", "financial", "subsector",
          "firm_kind", "sector_reason", "jurisdictions", "jurisdiction_quote", "confidence", "notes")


def source_and_key(name: str) -> tuple[str, str]:
    """"uk_12" -> ("uk", "12"); "aims_ca_SID_201" -> ("aims_ca", "SID_201")."""
    for source in ("aims_au", "aims_ca"):
        if name.startswith(source + "_"):
            return source, name[len(source) + 1:]
    source, _, key = name.partition("_")
    return source, key


def split_of(name: str) -> str:
    return "test" if int(hashlib.sha1(name.encode()).hexdigest()[:8], 16) % 5 < 2 else "dev"


def main(argv: list[str]) -> None:
    split = None
    if argv[:1] == ["--split"]:
        split, argv = argv[1], argv[2:]
    rows: dict[str, dict] = {}
    if OUT.exists():
        with OUT.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                rows[f"{row['source']}_{row['key']}"] = row
    for path in argv:
        with open(path, newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                name = row["file"].removesuffix(".txt")
                source, key = source_and_key(name)
                rows[name] = {**{f: row.get(f, "") for f in FIELDS}, "source": source, "key": key,
                              "split": split or split_of(name),
                              "labeller": "helper agent (LLM), reading the text by hand; guide: corpus/labels/README.md"}
    with OUT.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS)
        writer.writeheader()
        for name in sorted(rows):
            writer.writerow(rows[name])
    print(f"wrote {len(rows)} rows to {OUT}")


if __name__ == "__main__":
    main(sys.argv[1:])
