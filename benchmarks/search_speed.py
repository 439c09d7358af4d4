"""Keyword search time on a store of a few thousand statements, SQLite or PostgreSQL, and whether
the indexes answer it (the query plan).

Run: PYTHONPATH=src .venv/bin/python benchmarks/search_speed.py [--documents 3000] [--db URL]
         [--texts FOLDER ...] [--json OUT]
     Works on this checkout and on older ones (before stems): build once per checkout, on the same
     machine, and compare. Texts: pdftotext of every PDF under corpus/samples (and any --texts
     folders, e.g. /work/shared/real_pdfs: read, never copied into the repository), each stored
     cut to its first 60,000 characters' pages, many times with a line of its own (a made-up document number) so no two are the same.

Each query runs ``queries.search`` as the search page does (counts, the first 200 matching
statements, and, where the checkout has them, every hit of the first 20), five times; the figures
are the median wall seconds and the median CPU seconds of this process (on a shared machine the
CPU seconds are the steadier; PostgreSQL's own work shows in wall seconds only).
"""

from __future__ import annotations

import argparse
import inspect
import json
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LONGEST = 60_000  # characters of text kept per PDF
QUERIES = (("survivor",), ("survivors",), ("traffick*",), ('"forced labour"',), ("remediation", "grievance"))


def pdf_texts(folders: list[Path]) -> list[list[str]]:
    """Each PDF's pages' texts (pdftotext, form feeds between pages)."""
    out = []
    for folder in folders:
        for pdf in sorted(folder.glob("*.pdf")):
            run = subprocess.run(["pdftotext", "-q", str(pdf), "-"], capture_output=True, text=True, check=False)
            pages, size = [], 0
            for page in (p.strip() for p in run.stdout.split("\f")):
                if size > LONGEST:  # a statement's length: annual reports are cut to their first pages
                    break
                pages.append(page)
                size += len(page)
            if size > 1000:
                out.append(pages)
    return out


def build(db: str, n: int, texts: list[list[str]]) -> float:
    from disclosure_check.store.store import Store
    from disclosure_check.types import Assessment

    paged = "text_pages" in inspect.signature(Assessment).parameters
    started = time.perf_counter()
    with Store(db) as store:
        for i in range(n):
            pages = list(texts[i % len(texts)])
            pages[0] = f"Document number {i:06d}x{i * 7919 % 100003:05d}.\n\n" + pages[0]
            text, starts = "", []
            for number, page in enumerate(pages, start=1):
                text += "\n\n" if text else ""
                starts.append((len(text), number))
                text += page
            extra = {"text_pages": tuple(starts)} if paged else {}
            store.save(Assessment(doc_id=f"{i:064d}", path=f"/statements/{i}.pdf", pages=len(pages),
                                  rubric_version="bench@1", model_version="m", elements=(), text=text, **extra))
    if db.startswith("postgres"):  # as autovacuum would after a bulk load: GIN's statistics (VACUUM), the
        import psycopg  # planner's (ANALYZE); without them the planner reads every row instead of the index

        with psycopg.connect(db, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE document_texts")
    return time.perf_counter() - started


def plan(store, sql: str, params: list) -> str:
    if store.dialect.postgres:
        return "\n".join(r[0] for r in store.conn.execute("EXPLAIN " + sql, params).fetchall())
    return "\n".join(str(r[-1]) for r in store.conn.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall())


def measure(db: str) -> dict:
    from disclosure_check.store import queries
    from disclosure_check.store.store import Store

    every = queries.Filters(include_other=True)
    out = {}
    with Store(db) as store:
        for terms in QUERIES:
            walls, cpus = [], []
            for _ in range(5):
                wall, cpu = time.perf_counter(), time.process_time()
                found = queries.search(store, list(terms), filters=every, match_all=False)
                walls.append(time.perf_counter() - wall)
                cpus.append(time.process_time() - cpu)
            hits = getattr(found, "hits", {})
            counts = []  # the SQL alone: counts and the first 200 ids (no hits), where the checkout can say so
            if "hits_for" in inspect.signature(queries.search).parameters:
                for _ in range(5):
                    cpu = time.process_time()
                    queries.search(store, list(terms), filters=every, match_all=False, hits_for=0)
                    counts.append(time.process_time() - cpu)
            out[" ".join(terms)] = {"matching": found.matching, "searched": found.searched,
                                    "wall_s": round(statistics.median(walls), 4),
                                    "cpu_s": round(statistics.median(cpus), 4),
                                    "cpu_s_without_hits": round(statistics.median(counts), 4) if counts else None,
                                    "hits_of_first_20": sum(len(h.hits) for h in hits.values())}
        out["full_text"] = queries.has_full_text(store)
        if hasattr(queries, "_condition"):  # this checkout's SQL for one word, as search runs it
            sql, params = queries._condition(store, queries.to_term("survivors"))
            out["plan_survivors"] = plan(store, f"SELECT COUNT(*) FROM document_texts t WHERE {sql}", params)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=3000)
    parser.add_argument("--db", help="an empty PostgreSQL schema URL or a SQLite file (default: a SQLite file in a "
                                     "temp dir)")
    parser.add_argument("--reuse", action="store_true", help="measure --db as it is, built before")
    parser.add_argument("--texts", type=Path, nargs="*", default=[], help="more folders of PDFs to take texts from")
    parser.add_argument("--json", type=Path, help="where to write the figures")
    args = parser.parse_args()
    texts = [] if args.reuse else pdf_texts([ROOT / "corpus/samples", *args.texts])
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or str(Path(tmp) / "search.db")
        built = 0.0 if args.reuse else build(db, args.documents, texts)
        figures = {"documents": args.documents, "distinct_texts": len(texts) or None, "build_s": round(built, 1),
                   "backend": "postgresql" if db.startswith("postgres") else "sqlite", **measure(db)}
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
