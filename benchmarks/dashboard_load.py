"""Dashboard page load times with 5,000 documents in the database.

Run: .venv/bin/python benchmarks/dashboard_load.py [--documents 5000]
     (writes benchmarks/results/dashboard_load.json)

The database is filled with copies of the 12 scored sample statements under new ids, names and
years (the content is real, the volume is made up), then each page is run through Streamlit's
AppTest: first load (cold caches) and second load (warm), in seconds of server-side script time.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def build(db: Path, n: int) -> float:
    from disclosure_check.classify.modelset import load_model_set
    from disclosure_check.pipeline import Scorer
    from disclosure_check.rubric import load_rubric
    from disclosure_check.store import Store
    from disclosure_check.types import Metadata

    scorer = Scorer(load_rubric(), load_model_set(ROOT / "models/default"))
    base = [scorer.score_file(p) for p in sorted((ROOT / "corpus/samples").glob("*.pdf"))]
    started = time.perf_counter()
    with Store(db) as store:
        for i in range(n):
            result = base[i % len(base)]
            organisation = f"{result.metadata.author} {i // len(base):04d}"
            store.save(replace(result, doc_id=f"{i:064d}", path=f"/statements/{i}_{2016 + i % 8}.pdf",
                               metadata=replace(result.metadata, author=organisation) if result.metadata else Metadata()))
    return time.perf_counter() - started


def load_times(db: Path) -> dict:
    from streamlit.testing.v1 import AppTest

    os.environ["DISCLOSURE_CHECK_DB"] = str(db)
    os.environ.pop("DISCLOSURE_CHECK_STAFF_PASSWORD", None)
    out = {}
    for page in ("ui/overview.py", "ui/review.py", "ui/compare.py"):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
        if page != "ui/overview.py":
            at.run()
            at.switch_page(page)
        times = []
        for _ in range(2):
            started = time.perf_counter()
            at.run()
            times.append(round(time.perf_counter() - started, 2))
            assert not at.exception, at.exception
        # The overview's first load is the cold start: it reads all 5,000 results into the shared table.
        out[page] = {"first_load_s": times[0], "warm_load_s": times[1]}
        if page == "ui/overview.py":
            from disclosure_check.store import Store

            with Store(db) as store:  # a reviewer decides: only that document is read again
                store.add_review(f"{7:064d}", "criterion", "C14", "adjust", reviewer="bench", new_value="3")
            started = time.perf_counter()
            at.run()
            out[page]["after_a_review_decision_s"] = round(time.perf_counter() - started, 2)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=5000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "load.db"
        build_seconds = build(db, args.documents)
        result = {"documents": args.documents, "build_seconds": round(build_seconds, 1),
                  "database_mb": round(db.stat().st_size / 2**20, 1), "pages": load_times(db)}
    print(json.dumps(result, indent=1))
    out = ROOT / "benchmarks/results/dashboard_load.json"
    out.write_text(json.dumps(result, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
