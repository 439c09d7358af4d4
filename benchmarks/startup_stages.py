"""CPU seconds of each start-up stage of scoring, then of scoring the given PDFs after warm-up, in one
process (issue 23: start-up and per-document fixed costs on short statements).

Run: PYTHONPATH=<checkout>/src .venv/bin/python benchmarks/startup_stages.py FILE.pdf ...
Prints one JSON line: import, rubric, model set, Scorer(), warm-up, and extraction and scoring totals.
"""

from __future__ import annotations

import json
import sys
import time


def main(paths: list[str]) -> dict:
    clock = time.process_time
    t0 = clock()
    from disclosure_check.pipeline import Scorer
    t1 = clock()
    from disclosure_check.classify.modelset import load_model_set
    from disclosure_check.rubric import load_rubric
    from disclosure_check.run.warm import warm_up

    rubric = load_rubric(None)
    t2 = clock()
    models = load_model_set(None)
    t3 = clock()
    scorer = Scorer(rubric, models)
    t4 = clock()
    warm_up(scorer)
    t5 = clock()
    out: dict = {"import_pipeline": t1 - t0, "load_rubric": t2 - t1, "load_models": t3 - t2, "scorer_init": t4 - t3,
                 "warm_up": t5 - t4}
    if paths:
        from disclosure_check.read.extract import pdf_to_document

        extract = score = 0.0
        for path in paths:
            a = clock()
            doc = pdf_to_document(path, max_pages=2000, ocr=False)
            b = clock()
            scorer.score_document(doc)
            extract, score = extract + b - a, score + clock() - b
        out.update(files=len(paths), extract_total=extract, score_total=score, score_per_doc=score / len(paths))
    return {key: round(value, 4) if isinstance(value, float) else value for key, value in out.items()}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
