"""Sector and financial sub-sector detection against hand labels of UK statements.

Run: PYTHONPATH=src .venv/bin/python benchmarks/sector.py [--split dev|test|both]
     [--json benchmarks/results/sector.json]

Labels: corpus/labels/uk_sector.csv (rows of corpus/uk_texts/uk_statement_texts.csv by position, each
with a reason). Split by row parity: even rows are dev (rules written while reading them), odd rows
test (scored once, after the rules were fixed). Accuracy is reported for the general sector, the
financial yes/no decision and the sub-sector (on rows labelled financial; "" = financial, no sub-sector).
The old keyword-rate rule's financial/sub-sector accuracy is reported beside it, from git history's
figures in benchmarks/results/sector.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from disclosure_check.assess.identity import text_to_identity  # noqa: E402
from disclosure_check.assess.profile import detect_sector  # noqa: E402

LABELS = ROOT / "corpus" / "labels" / "uk_sector.csv"
TEXTS = ROOT / "corpus" / "uk_texts" / "uk_statement_texts.csv"


def load() -> tuple[list[dict], list[str]]:
    csv.field_size_limit(10_000_000)
    with TEXTS.open(encoding="utf-8") as handle:
        texts = [row["text"] for row in csv.DictReader(handle)]
    with LABELS.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle)), texts


def evaluate(labels: list[dict], texts: list[str]) -> dict:
    cases = []
    for label in labels:
        text = texts[int(label["row"])]
        organisation = text_to_identity(text).organisation
        sector, subsector = detect_sector(text[:300_000].lower(), organisation)
        cases.append({"row": int(label["row"]), "organisation": label["organisation"],
                      "sector": label["sector"], "sector_found": sector,
                      "subsector": label["subsector"] or None, "subsector_found": subsector})
    financial = [c for c in cases if c["sector"] == "financial"]
    non_financial = [c for c in cases if c["sector"] != "financial"]
    return {
        "rows": len(cases),
        "sector_accuracy": round(sum(c["sector"] == c["sector_found"] for c in cases) / len(cases), 3),
        "financial_decision_accuracy": round(
            sum((c["sector"] == "financial") == (c["sector_found"] == "financial") for c in cases) / len(cases), 3),
        "non_financial_called_financial": sum(c["sector_found"] == "financial" for c in non_financial),
        "non_financial_rows": len(non_financial),
        "subsector_accuracy_on_financial": round(
            sum(c["subsector"] == c["subsector_found"] for c in financial) / max(len(financial), 1), 3),
        "financial_rows": len(financial),
        "disagreements": [c for c in cases if c["sector"] != c["sector_found"] or c["subsector"] != c["subsector_found"]],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["dev", "test", "both"], default="both")
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results" / "sector.json")
    args = parser.parse_args()
    labels, texts = load()
    result = {}
    for split in (["dev", "test"] if args.split == "both" else [args.split]):
        result[split] = evaluate([r for r in labels if r["split"] == split], texts)
        r = result[split]
        print(f"{split}: sector {r['sector_accuracy']:.1%}, financial yes/no {r['financial_decision_accuracy']:.1%} "
              f"({r['non_financial_called_financial']}/{r['non_financial_rows']} non-financial called financial), "
              f"sub-sector {r['subsector_accuracy_on_financial']:.1%} of {r['financial_rows']} financial; {r['rows']} rows")
    if args.split == "both":
        args.json.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
