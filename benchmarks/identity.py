"""Organisation and statement year read from the text, against WikiRate's Company and Year.

Run: PYTHONPATH=src .venv/bin/python benchmarks/identity.py [--pdfs ../shared/real_pdfs]
     [--json benchmarks/results/identity.json]

The 146 WikiRate UK statement-years (corpus/wikirate/msa_training_labels_with_text.csv) are the test
set: the rules were written while reading corpus/uk_texts, never these. Match rules, fixed before the run:

- organisation: ``identity.same_organisation``: names compared without case, punctuation, legal forms
  (plc, Limited, Ltd, LLP, Inc., Group, Holdings...) or "the"/"UK"/"International", and equal when one
  is the other's first words ("Barclays" = "Barclays PLC", "Lush" = "Lush Retail Ltd"). A miss
  (no name found) counts as wrong.
- year: equal integers. Every disagreement is listed for reading in the JSON (with the years the text
  mentions) and classified by hand in benchmarks/results/identity.md.
- acronyms (rule written in round 2 before any measurement with it): a found name that is an acronym
  counts as the labelled organisation only when the text itself defines it for that name, as
  ``Voluntary Service Overseas ("VSO")`` or ``Voluntary Service Overseas (VSO)``.

Round 2 adds a dev set (``--dev``): 80 statements drawn from corpus/uk_texts with a fixed seed and
labelled by hand (corpus/labels/uk_identity.csv, organisation, year where the text states one, reason).
The rules of round 2 were tuned on that set; the WikiRate set is then measured once.

With ``--pdfs`` it also reads the real corporate PDFs (first 30 and last 3 pages, via pdftotext) and
lists what it finds, metadata fallback included; the PDFs stay outside the repository.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from disclosure_check.assess.identity import same_organisation, text_to_identity, with_fallback  # noqa: E402
from disclosure_check.types import Metadata  # noqa: E402

WIKIRATE = ROOT / "corpus" / "wikirate" / "msa_training_labels_with_text.csv"
UK_TEXTS = ROOT / "corpus" / "uk_texts" / "uk_statement_texts.csv"
DEV_LABELS = ROOT / "corpus" / "labels" / "uk_identity.csv"
DEFAULT_PDFS = ROOT.parent / "shared" / "real_pdfs"


def wikirate_rows() -> list[dict]:
    csv.field_size_limit(10_000_000)
    with WIKIRATE.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def defines_acronym(text: str, acronym: str | None, name: str) -> bool:
    """True when ``acronym`` is a short capitalised form the text defines for ``name`` in brackets."""
    if not acronym or not re.fullmatch(r"[A-Z][A-Za-z&]{1,7}", acronym.strip()):
        return False
    pattern = re.escape(name.strip()) + r"[^()\n]{0,40}?\(\s*[\"“'‘]?(?:the\s+)?" + re.escape(acronym.strip()) + r"[\"”'’]?\s*\)"
    return re.search(pattern, text, re.IGNORECASE) is not None


def organisation_matches(found: str | None, label: str, text: str) -> bool:
    return same_organisation(found, label) or defines_acronym(text, found, label)


def score_dev() -> dict:
    """The hand-labelled dev set: organisation on all 80, year on those whose text states one."""
    csv.field_size_limit(10_000_000)
    with UK_TEXTS.open(encoding="utf-8") as handle:
        texts = [row["text"] for row in csv.DictReader(handle)]
    with DEV_LABELS.open(encoding="utf-8") as handle:
        labels = list(csv.DictReader(handle))
    started = time.perf_counter()
    cases = []
    for label in labels:
        text = texts[int(label["row"])]
        found = text_to_identity(text)
        year = int(label["year"]) if label["year"].strip() else None
        cases.append({"row": int(label["row"]), "organisation": label["organisation"], "year": year,
                      "organisation_found": found.organisation, "year_found": found.year,
                      "organisation_ok": organisation_matches(found.organisation, label["organisation"], text),
                      "year_ok": year is not None and found.year == year})
    seconds = time.perf_counter() - started
    dated = [c for c in cases if c["year"] is not None]
    return {
        "statements": len(cases), "seconds": round(seconds, 2),
        "organisation_accuracy": round(sum(c["organisation_ok"] for c in cases) / len(cases), 3),
        "organisation_correct": sum(c["organisation_ok"] for c in cases),
        "organisation_missing": sum(c["organisation_found"] is None for c in cases),
        "dated_statements": len(dated),
        "year_accuracy": round(sum(c["year_ok"] for c in dated) / max(len(dated), 1), 3),
        "year_correct": sum(c["year_ok"] for c in dated),
        "undated_given_a_year": sum(c["year"] is None and c["year_found"] is not None for c in cases),
        "organisation_disagreements": [{k: c[k] for k in ("row", "organisation", "organisation_found")}
                                       for c in cases if not c["organisation_ok"]],
        "year_disagreements": [{k: c[k] for k in ("row", "organisation", "year", "year_found")}
                               for c in dated if not c["year_ok"]],
    }


def score_wikirate() -> dict:
    rows = wikirate_rows()
    started = time.perf_counter()
    cases = []
    for index, row in enumerate(rows):
        text = row["Text"] or ""
        found = text_to_identity(text)
        truth_year = int(row["Year"]) if row["Year"].strip().isdigit() else None
        years_in_text = sorted({int(y) for y in re.findall(r"(?<!\d)(20[12]\d)(?!\d)", text)})
        cases.append({
            "row": index, "company": row["Company"], "year": truth_year,
            "organisation_found": found.organisation, "year_found": found.year,
            "financial_year_end": found.financial_year_end, "company_number": found.company_number,
            "organisation_ok": organisation_matches(found.organisation, row["Company"], text),
            "year_ok": found.year == truth_year,
            "year_in_text": truth_year in years_in_text, "years_in_text": years_in_text,
            "chars": len(text),
        })
    seconds = time.perf_counter() - started
    n = len(cases)
    org_ok = sum(c["organisation_ok"] for c in cases)
    year_ok = sum(c["year_ok"] for c in cases)
    in_text = [c for c in cases if c["year_in_text"]]
    return {
        "statements": n,
        "organisation_accuracy": round(org_ok / n, 3), "organisation_correct": org_ok,
        "organisation_missing": sum(c["organisation_found"] is None for c in cases),
        "year_accuracy": round(year_ok / n, 3), "year_correct": year_ok,
        "year_missing": sum(c["year_found"] is None for c in cases),
        "texts_containing_their_year": len(in_text),
        "year_accuracy_where_text_has_it": round(sum(c["year_ok"] for c in in_text) / max(len(in_text), 1), 3),
        "seconds": round(seconds, 2),
        "organisation_disagreements": [
            {k: c[k] for k in ("row", "company", "organisation_found")} for c in cases if not c["organisation_ok"]],
        "year_disagreements": [
            {k: c[k] for k in ("row", "company", "year", "year_found", "financial_year_end", "years_in_text")}
            for c in cases if not c["year_ok"]],
    }


def pdf_text(path: Path) -> str:
    """The first 30 and last 3 pages by pdftotext (reading whole 400-page filings adds nothing here)."""
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, timeout=60).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1)) if "Pages:" in info else 0
    parts = [subprocess.run(["pdftotext", "-l", "30", str(path), "-"], capture_output=True, text=True,
                            timeout=120).stdout]
    if pages > 33:
        parts.append(subprocess.run(["pdftotext", "-f", str(pages - 2), str(path), "-"], capture_output=True,
                                    text=True, timeout=120).stdout)
    return "\n".join(parts)


def pdf_metadata(path: Path) -> Metadata:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, timeout=60).stdout
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    return Metadata(title=(fields.get("Title") or "").strip() or None, author=(fields.get("Author") or "").strip() or None)


def score_pdfs(folder: Path) -> list[dict]:
    out = []
    for path in sorted(folder.glob("*.pdf")):
        metadata = pdf_metadata(path)
        found = with_fallback(text_to_identity(pdf_text(path)), str(path), metadata)
        out.append({"file": path.name, "organisation": found.organisation, "year": found.year,
                    "financial_year_end": found.financial_year_end, "company_number": found.company_number,
                    "entities": len(found.entities), "sources": dict(found.sources)})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdfs", type=Path, default=DEFAULT_PDFS)
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results" / "identity.json")
    parser.add_argument("--dev", action="store_true", help="score only the hand-labelled dev set and print it")
    args = parser.parse_args()
    if args.dev:
        dev = score_dev()
        print(json.dumps({k: v for k, v in dev.items() if not k.endswith("disagreements")}))
        for case in dev["organisation_disagreements"]:
            print("  ORG", case)
        for case in dev["year_disagreements"]:
            print("  YEAR", case)
        return
    result = {"dev": score_dev(), "wikirate": score_wikirate()}
    if args.pdfs.is_dir():
        result["real_pdfs"] = score_pdfs(args.pdfs)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    w = result["wikirate"]
    print(f"organisation {w['organisation_accuracy']:.1%} ({w['organisation_correct']}/{w['statements']}), "
          f"year {w['year_accuracy']:.1%} ({w['year_correct']}/{w['statements']}); "
          f"year where the text has it {w['year_accuracy_where_text_has_it']:.1%} "
          f"({w['texts_containing_their_year']} texts); {w['seconds']}s")
    for row in result.get("real_pdfs", []):
        print(f"  {row['file']}: {row['organisation']} ({row['sources'].get('organisation')}), "
              f"{row['year']} ({row['sources'].get('year')})")


if __name__ == "__main__":
    main()
