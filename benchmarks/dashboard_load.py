"""Overview load time and memory at 5,000 and 50,000 documents, on SQLite or PostgreSQL.

Run: PYTHONPATH=src:. .venv/bin/python benchmarks/dashboard_load.py [--documents 5000 50000]
     (writes benchmarks/results/dashboard_load.json; the figures are copied into dashboard_load.md)
     With --db postgresql://...: built in that (empty) database or schema, one size per run, results in
     benchmarks/results/dashboard_load_postgres.json.

The database is built from the 12 bundled sample statements, scored once and stored with their
texts, then copied in bulk SQL under new ids, organisations, years (2016-2023) and sub-sectors; one
in 50 copies is a failure (with a real error code and reason) and one in 250 documents gets
reviewers' decisions through the store (so its reviewed rows are re-scored). The content is real,
the volume is made up.

Each measurement runs in a fresh Python process (empty Streamlit caches, nothing imported): the
overview page through Streamlit's AppTest, first run (cold) and second run (warm, cached), then
once more after a reviewer's decision (the caches are keyed on the store's versions, so every
query runs again); and the page's query functions timed one by one. Times are server-side script
time in seconds; memory is the process's peak RSS.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUBSECTORS = ("bank", "insurer", "asset_manager", "building_society", "payments", None)
FAILURES = (("DC104", "none of the 6 page(s) has a text layer (scanned or image-only PDF)"),
            ("DC102", "the PDF is encrypted and no password was given"),
            ("DC101", "the file is damaged: no PDF trailer"))


def build(db: Path | str, n: int) -> float:
    """A database of ``n`` results (see the module docstring); returns seconds taken."""
    from disclosure_check.assess.decisions import make_decision
    from disclosure_check.classify.modelset import load_model_set
    from disclosure_check.pipeline import Scorer
    from disclosure_check.present.export import result_to_dict
    from disclosure_check.rubric import load_rubric
    from disclosure_check.store.store import Store
    from disclosure_check.types import Failure

    scorer = Scorer(load_rubric(), load_model_set(ROOT / "models/default"))
    base = [scorer.score_file(p) for p in sorted((ROOT / "corpus/samples").glob("*.pdf"))]
    started = time.perf_counter()
    with Store(db) as store:
        for result in base:
            store.save(result, text=result.text, rubric=scorer.rubric)
        conn = store.conn
        templates = [r[0] for r in conn.execute("SELECT id FROM results ORDER BY id")]
        conn.begin()
        for i in range(len(base), n):
            template = templates[i % len(templates)]
            doc_id, year, copy = f"{i:064d}", 2016 + i % 8, i // len(templates)
            subsector = SUBSECTORS[(i // 7) % len(SUBSECTORS)]
            scored_at = f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:00+00:00"
            conn.execute("""INSERT INTO documents SELECT ?, '/statements/' || ? || '.pdf', ? || '.pdf', title, author,
                            producer, creator, created, modified, pages, first_seen, last_seen,
                            organisation || ' ' || ?, ?, origin FROM documents
                            WHERE doc_id = (SELECT doc_id FROM results WHERE id = ?)""",
                         (doc_id, str(i), str(i), f"{copy:04d}", year, template))
            if i % 50 == 0:
                code, reason = FAILURES[(i // 50) % len(FAILURES)]
                failure = Failure(doc_id, f"/statements/{i}.pdf", code, reason, base[0].rubric_version,
                                  base[0].model_version)
                conn.execute("""INSERT INTO results (doc_id, rubric_version, model_version, status, error_code, error,
                                scored_at, result_json) VALUES (?, ?, ?, 'failed', ?, ?, ?, ?)""",
                             (doc_id, failure.rubric_version, failure.model_version, code, reason, scored_at,
                              json.dumps(result_to_dict(failure))))
                continue
            cursor = conn.execute(
                """INSERT INTO results (doc_id, rubric_version, model_version, status, error_code, error, scored_at,
                       result_json, doc_type, financial, subsector, statutory_met, overall_level, language, pages_ocr,
                       options, reviewed_json, statutory_state, industry, decisions, gaps, top_gap,
                       machine_overall_level)
                   SELECT ?, rubric_version, model_version, status, error_code, error, ?, result_json, doc_type,
                       CASE WHEN ? = 1 THEN financial ELSE 1 END, COALESCE(?, subsector), statutory_met,
                       overall_level, language, pages_ocr, options, reviewed_json, statutory_state, industry, decisions,
                       gaps, top_gap, machine_overall_level FROM results WHERE id = ? RETURNING id""",
                (doc_id, scored_at, int(subsector is None), subsector, template))
            new = cursor.fetchone()[0]
            for table in ("criterion_results", "theme_results", "element_results", "gate_results", "letter_results"):
                columns = [c[0] for c in conn.execute(f"SELECT * FROM {table} LIMIT 0").description][1:]
                conn.execute(f"INSERT INTO {table} SELECT ?, {', '.join(columns)} FROM {table} WHERE result_id = ?",
                             (new, template))
            conn.execute("""INSERT INTO evidence (result_id, element, sentence_index, page, text, classifier, score,
                            detail, status, boxes, ocr) SELECT ?, element, sentence_index, page, text, classifier,
                            score, detail, status, boxes, ocr FROM evidence WHERE result_id = ?""", (new, template))
            columns = "text, pages, words, stems" if store.dialect.postgres else "text, pages"  # the search columns
            conn.execute(f"""INSERT INTO document_texts (doc_id, {columns}) SELECT ?, {columns} FROM document_texts
                            WHERE doc_id = (SELECT doc_id FROM results WHERE id = ?)""", (doc_id, template))
        conn.commit()
        if store.dialect.postgres:
            conn.execute("ANALYZE")  # as after any bulk load: the planner's statistics
        decided = [f"{i:064d}" for i in range(len(base), n, 250) if i % 50]
        store.add_decisions([make_decision(d, "criterion:C06", "set_level", reviewer="bench", level=3)
                             for d in decided])
    return time.perf_counter() - started


MEASURE = r"""
import json, os, sys, time
t0 = time.perf_counter()
os.environ["DISCLOSURE_CHECK_DB"] = sys.argv[1]
from streamlit.testing.v1 import AppTest
imported = time.perf_counter() - t0
out = {"import_s": round(imported, 2)}
at = AppTest.from_file(sys.argv[2], default_timeout=600)
for name in ("cold_s", "warm_s"):
    started = time.perf_counter()
    at.run()
    out[name] = round(time.perf_counter() - started, 3)
    assert not at.exception, at.exception
from disclosure_check.assess.decisions import make_decision
from disclosure_check.store.store import Store
with Store(sys.argv[1]) as store:
    doc = store.conn.execute("SELECT doc_id FROM results WHERE status='scored' ORDER BY id DESC LIMIT 1").fetchone()[0]
    store.add_decisions([make_decision(doc, "criterion:C14", "set_level", reviewer="bench", level=3)])
started = time.perf_counter()
at.run()
out["after_a_decision_s"] = round(time.perf_counter() - started, 3)
out["documents_metric"] = next(m.value for m in at.metric if m.label == "Documents")
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across fork and exec
out["peak_rss_mb"] = round(int(next(l.split()[1] for l in open("/proc/self/status") if l.startswith("VmHWM"))) / 1024)
print(json.dumps(out))
"""

QUERIES = r"""
import json, sys, time
t0 = time.perf_counter()
from disclosure_check.store import queries as q
from disclosure_check.rubric import load_rubric
from disclosure_check.store.store import Store
rubric = load_rubric()
out = {"import_s": round(time.perf_counter() - t0, 2)}
f = q.Filters()
calls = {
    "versions": lambda s: s.versions(),
    "filter_options": lambda s: q.filter_options(s),
    "summary": lambda s: q.summary(s, f, rubric),
    "document_count": lambda s: q.document_count(s, f),
    "documents (a page of 100)": lambda s: q.documents(s, f, rubric, limit=100),
    "level_counts": lambda s: q.level_counts(s, f),
    "statutory_counts": lambda s: q.statutory_counts(s, f),
    "theme_counts": lambda s: q.theme_counts(s, f),
    "criterion_counts": lambda s: q.criterion_counts(s, f),
    "summary, bank 2020": lambda s: q.summary(s, q.Filters(subsectors=("bank",), years=(2020,)), rubric),
    "search 'forced labour' not 'audit'": lambda s: q.search(s, ["forced labour"], ["audit"]),
    "failures": lambda s: q.failures(s),
    "documents (all rows, for a download)": lambda s: q.documents(s, f, rubric, limit=None, criteria=True),
}
with Store(sys.argv[1]) as store:
    for name, call in calls.items():
        started = time.perf_counter()
        call(store)
        out[name] = round(time.perf_counter() - started, 3)
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across fork and exec
out["peak_rss_mb"] = round(int(next(l.split()[1] for l in open("/proc/self/status") if l.startswith("VmHWM"))) / 1024)
print(json.dumps(out))
"""


def fresh(script: str, *args: str) -> dict:
    """Run ``script`` in a new Python process (empty caches) and return what it prints as JSON."""
    env = {"PYTHONPATH": f"{ROOT / 'src'}:{ROOT}", "PATH": "/usr/bin:/bin", "HOME": str(Path.home())}
    done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def postgres_size(url: str) -> int:
    """Bytes of the store's tables with their indexes and TOAST in the URL's schema."""
    from disclosure_check.store.store import Store

    with Store(url) as store:
        return int(store.conn.execute(
            "SELECT SUM(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = current_schema() AND c.relkind = 'r'").fetchone()[0])


def measure(n: int, folder: Path, url: str | None = None) -> dict:
    db = url or str(folder / f"load_{n}.db")
    build_seconds = build(db, n)
    size = postgres_size(db) if url else sum(p.stat().st_size for p in folder.glob(f"load_{n}.db*"))
    page = fresh(MEASURE, db, str(ROOT / "app.py"))
    functions = fresh(QUERIES, db)
    if not url:
        Path(db).unlink()
    return {"documents": n, "database": "postgresql" if url else "sqlite", "build_seconds": round(build_seconds, 1), "database_mb": round(size / 2**20),
            "overview_apptest": page, "query_functions": functions}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, nargs="+", default=[5000, 50000])
    parser.add_argument("--folder", type=Path, default=None, help="where to build the databases (default: a temp dir)")
    parser.add_argument("--db", default=None, help="an empty PostgreSQL database or schema URL to build in "
                        "(default: SQLite files in --folder); one --documents size per run")
    parser.add_argument("--json", type=Path, default=None, help="where to write the figures")
    args = parser.parse_args(argv)
    if args.db and len(args.documents) != 1:
        parser.error("--db takes one --documents size (the database is built once, in place)")
    results = []
    with tempfile.TemporaryDirectory(dir=args.folder) as folder:
        for n in args.documents:
            results.append(measure(n, Path(folder), args.db))
            print(json.dumps(results[-1], indent=1), flush=True)
    out = args.json or ROOT / ("benchmarks/results/dashboard_load_postgres.json" if args.db
                               else "benchmarks/results/dashboard_load.json")
    out.write_text(json.dumps({"runs": results, "builder_peak_rss_mb": round(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
