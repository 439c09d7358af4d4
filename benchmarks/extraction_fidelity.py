"""Extraction fidelity on the rendered samples: extracted text against the text that was rendered.

Run: .venv/bin/python benchmarks/extraction_fidelity.py [--json benchmarks/results/extraction_fidelity.json]

Metrics per sample (the source is each sample's .source.json, headers/footers not included):
- word_similarity: difflib ratio of the word sequences (1.0 = same words in the same order);
  reading-order errors and header/footer leakage both lower it.
- paragraph_recall: share of source blocks found verbatim (whitespace-normalised) as extracted blocks,
  i.e. lines rejoined into the right paragraphs and hyphenated words rejoined (a source signature line
  counts as found as a line of an extracted signature block).
- leaked_running_lines: extracted blocks that contain the running header or a page-number footer.
- hyphen_errors: source words missing from the extraction that appear there split or glued wrongly.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import statistics
import sys
import time
from pathlib import Path

from disclosure_check.read.extract import pdf_to_document

ROOT = Path(__file__).resolve().parents[1]


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def words(text: str) -> list[str]:
    return re.findall(r"\w+(?:[-'’]\w+)*", text.lower())


def measure(pdf: Path) -> dict:
    source = json.loads(pdf.with_suffix(".source.json").read_text())
    blocks = [norm(b["text"]) for b in source["blocks"]]
    started = time.perf_counter()
    doc = pdf_to_document(pdf)
    seconds = time.perf_counter() - started
    extracted = [norm(b.text) for b in doc.blocks]
    src_words, out_words = words(" ".join(blocks)), words(doc.text)
    matcher = difflib.SequenceMatcher(None, src_words, out_words, autojunk=False)
    out_set = set(extracted)
    # A signature block is one block per signatory (name, title, date together), where the renderer
    # drew each of those lines as a block of its own: its lines count as found.
    out_set |= {norm(line) for b in doc.blocks if b.kind == "signature_block" for line in b.text.split("\n")}
    header = norm(f"{source['organisation']} - Modern Slavery Statement")
    leaked = sum(1 for b in extracted if header in b or re.fullmatch(r"(page )?-? ?\d{1,3} ?-?", b.lower()))
    src_vocab, out_vocab = set(src_words), set(out_words)
    hyphen_errors = sorted(w for w in src_vocab - out_vocab if len(w) > 3)
    return {
        "sample": pdf.stem,
        "layout": source["layout"],
        "pages": len(doc.pages),
        "word_similarity": round(matcher.ratio(), 4),
        "paragraph_recall": round(sum(b in out_set for b in blocks) / len(blocks), 4),
        "leaked_running_lines": leaked,
        "missing_words": len(hyphen_errors),
        "missing_examples": hyphen_errors[:5],
        "seconds": round(seconds, 3),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=Path, default=ROOT / "corpus/samples")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    rows = [measure(pdf) for pdf in sorted(args.samples.glob("*.pdf"))]
    for row in rows:
        print(f"{row['sample']:<36} {row['layout']:<18} pages={row['pages']:<2} "
              f"words={row['word_similarity']:.4f} paragraphs={row['paragraph_recall']:.4f} "
              f"leaked={row['leaked_running_lines']} missing={row['missing_words']} {row['missing_examples']}")
    summary = {
        "samples": len(rows),
        "mean_word_similarity": round(statistics.mean(r["word_similarity"] for r in rows), 4),
        "min_word_similarity": min(r["word_similarity"] for r in rows),
        "mean_paragraph_recall": round(statistics.mean(r["paragraph_recall"] for r in rows), 4),
        "leaked_running_lines": sum(r["leaked_running_lines"] for r in rows),
        "seconds_per_page": round(sum(r["seconds"] for r in rows) / sum(r["pages"] for r in rows), 4),
    }
    print(json.dumps(summary, indent=1))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"summary": summary, "samples": rows}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
