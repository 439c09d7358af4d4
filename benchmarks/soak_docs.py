"""Distinct statement PDFs for the registry soak (benchmarks/registry_soak.py), made deterministically
from a seed so they can be removed and made again.

Run: .venv/bin/python benchmarks/soak_docs.py --docs 20000 --out /tmp/soak-docs [--seed 23] [--procs 2]

Writes ``--out``/NNNNN_*.pdf and ``--out``/manifest.csv (path, organisation, year). Outside the
repository: the real PDFs are read from where they are and written to ``--out`` only as a copy
with a line after ``%%EOF`` that gives it its own content hash.

- 1 in 50 documents is a real statement PDF: corpus/samples/*.pdf and the statement-like files of
  ``--real`` (modern slavery and transparency statements, a human rights policy statement);
- the rest are the UK statement texts (shared/corpus/uk_texts/uk_statement_texts.csv, 979 real
  texts) rendered with the project's own renderer (train/samples.py, four layouts: one or two
  columns, sans or serif), each with its own reference line, organisation and year, and a length
  drawn from three shapes: the statement's opening part (a short statement), the whole text, or
  the whole text followed by a second statement (a group's statement with a subsidiary's).

So every document has its own content hash and text, lengths vary from a page to tens of pages,
and the mix of layouts is the sample renderer's.
"""

from __future__ import annotations

import argparse
import csv
import random
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = next((p for p in (ROOT.parent / "shared", Path("/work/shared")) if p.is_dir()), ROOT.parent / "shared")
TEXTS = SHARED / "corpus" / "uk_texts" / "uk_statement_texts.csv"
REAL = SHARED / "real_pdfs"
# statement-like files among the shared real PDFs (the rest are 100-500 page annual reports)
REAL_STATEMENTS = ("macrovesta_modern_slavery_statement_2024.pdf", "mtf_holding_modern_slavery_statement_2024.pdf",
                   "rsc_associates_transparency_statement_2017.pdf", "infosys_human_rights_policy_statement_2021.pdf")
REAL_EVERY = 50


def load_texts(path: Path) -> list[str]:
    csv.field_size_limit(10**9)
    with open(path, newline="", encoding="utf-8") as handle:
        texts = [row["text"] for row in csv.DictReader(handle)]
    return [t for t in texts if len(t) >= 800]  # a few rows are empty or a stub


def plan(n: int, seed: int, n_texts: int, reals: list[Path]) -> list[dict]:
    """What each document is: a real PDF copy or a rendered text, with its variation."""
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        organisation = f"Soak Registrant {rng.randrange(6000):04d} Ltd"
        year = 2017 + rng.randrange(8)
        if i % REAL_EVERY == REAL_EVERY - 1 and reals:
            docs.append({"i": i, "kind": "real", "source": str(reals[rng.randrange(len(reals))]),
                         "organisation": organisation, "year": year})
            continue
        shape = rng.choices(("opening", "whole", "group"), weights=(3, 5, 2))[0]
        docs.append({"i": i, "kind": "rendered", "text": rng.randrange(n_texts), "second": rng.randrange(n_texts),
                     "shape": shape, "cut": rng.uniform(0.3, 0.7), "layout": rng.randrange(4),
                     "organisation": organisation, "year": year})
    return docs


def make(doc: dict, out: Path, texts: list[str]) -> Path:
    """Write one planned document; returns its path."""
    if doc["kind"] == "real":
        source = Path(doc["source"])
        path = out / f"{doc['i']:05d}_{source.name}"
        path.write_bytes(source.read_bytes() + f"\n%soak {doc['i']}\n".encode())
        return path
    from disclosure_check.train.samples import LAYOUTS, SourceBlock, render_pdf, text_to_blocks

    blocks = text_to_blocks(texts[doc["text"]])
    if doc["shape"] == "opening":
        blocks = blocks[:max(8, int(len(blocks) * doc["cut"]))]
    elif doc["shape"] == "group":
        second = text_to_blocks(texts[doc["second"]])
        blocks = blocks + [SourceBlock("heading", "Statement of a subsidiary")] + \
            [b if b.kind != "title" else SourceBlock("heading", b.text) for b in second]
    reference = SourceBlock("paragraph", f"Register reference SOAK-{doc['i']:05d}. This statement is published by "
                                         f"{doc['organisation']} for the financial year {doc['year']}.")
    blocks = blocks[:1] + [reference] + blocks[1:]
    path = out / f"{doc['i']:05d}_rendered.pdf"
    title = f"{doc['organisation']} - Modern Slavery Statement"
    try:
        render_pdf(blocks, path, layout=LAYOUTS[doc["layout"]], title=title, author=doc["organisation"])
    except Exception:  # a block too tall for a column (reportlab's LayoutError): one column, long blocks cut
        blocks = [SourceBlock(b.kind, b.text[:3000]) for b in blocks]
        render_pdf(blocks, path, layout="one_column", title=title, author=doc["organisation"])
    return path


def _make_chunk(args: tuple[list[dict], str]) -> list[str]:
    docs, out = args
    texts = load_texts(TEXTS)
    return [str(make(doc, Path(out), texts)) for doc in docs]


def generate(n: int, out: Path, seed: int = 23, procs: int = 2, real: Path = REAL) -> Path:
    """Make the ``n`` documents in ``out`` (skipping those already there) and write its manifest."""
    out.mkdir(parents=True, exist_ok=True)
    reals = sorted((ROOT / "corpus" / "samples").glob("*.pdf")) + \
        [real / name for name in REAL_STATEMENTS if (real / name).exists()]
    docs = plan(n, seed, len(load_texts(TEXTS)), reals)
    have = {int(p.name[:5]) for p in out.glob("[0-9][0-9][0-9][0-9][0-9]_*.pdf")}
    todo = [d for d in docs if d["i"] not in have]
    chunks = [todo[k:k + 200] for k in range(0, len(todo), 200)]
    with ProcessPoolExecutor(max_workers=procs) as pool:
        for done, _ in enumerate(pool.map(_make_chunk, [(c, str(out)) for c in chunks]), 1):
            if done % 10 == 0:
                print(f"{done * 200} of {len(todo)} made", flush=True)
    manifest = out / "manifest.csv"
    with open(manifest, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["path", "organisation", "year"])
        made = {int(p.name[:5]): p for p in out.glob("[0-9][0-9][0-9][0-9][0-9]_*.pdf")}
        for doc in docs:
            writer.writerow([str(made[doc["i"]]), doc["organisation"], doc["year"]])
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20000)
    parser.add_argument("--out", type=Path, default=Path("/tmp/soak-docs"))
    parser.add_argument("--seed", type=int, default=23)
    parser.add_argument("--procs", type=int, default=2)
    parser.add_argument("--real", type=Path, default=REAL, help="the shared real PDFs (read, never copied into the repo)")
    args = parser.parse_args()
    print(generate(args.docs, args.out, args.seed, args.procs, args.real))


if __name__ == "__main__":
    main()
