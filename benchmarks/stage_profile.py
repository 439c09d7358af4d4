"""Where the CPU time of scoring goes, stage by stage, in one process: read, segment, match (the rule
matcher), classify (the rest of classification: model features and probabilities, evidence), score
(identity, profile, sector, audiences, maturity, the assessment) and store (saving to SQLite).

    PYTHONPATH=src .venv/bin/python benchmarks/stage_profile.py corpus/samples [more files or folders] \\
        [--no-ocr] [--profile 25] [--json out.json]

Start-up (imports, rubric, models, ``Scorer()``, warm-up) is timed apart. Each stage's figure is
its own CPU time (``time.process_time``), the stages it calls excluded. ``--profile N`` also runs
cProfile over the documents and prints the N functions with the most time of their own.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STAGES = ("read", "segment", "match", "classify", "score", "store")

started = time.process_time()
from disclosure_check import pipeline  # noqa: E402  (the import is timed)

IMPORT_SECONDS = time.process_time() - started

spent: dict[str, float] = {}
_stack: list[list] = []


def timed(name: str, function):
    """``function``, its own CPU time (callees that are timed too excluded) added to ``spent[name]``."""

    def wrapper(*args, **kwargs):
        _stack.append([name, time.process_time(), 0.0])
        try:
            return function(*args, **kwargs)
        finally:
            _, begun, inner = _stack.pop()
            total = time.process_time() - begun
            spent[name] = spent.get(name, 0.0) + total - inner
            if _stack:
                _stack[-1][2] += total

    return wrapper


def files_of(paths: list[Path]) -> list[Path]:
    out = []
    for path in paths:
        out += sorted(path.glob("*.pdf")) if path.is_dir() else [path]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", type=Path, nargs="+")
    parser.add_argument("--no-ocr", action="store_true")
    parser.add_argument("--profile", type=int, default=0, help="print the N functions with most own time")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)

    from disclosure_check.classify.modelset import load_model_set
    from disclosure_check.classify.rules import RuleClassifier
    from disclosure_check.rubric import load_rubric
    from disclosure_check.run.warm import warm_up
    from disclosure_check.store.store import Store

    startup = {"import": IMPORT_SECONDS}
    mark = time.process_time()
    rubric = load_rubric(None)
    models = load_model_set(ROOT / "models" / "default")
    startup["rubric and models"] = time.process_time() - mark
    mark = time.process_time()
    scorer = pipeline.Scorer(rubric, models, pipeline.ScoreOptions(ocr=not args.no_ocr, max_pages=2000))
    startup["Scorer()"] = time.process_time() - mark
    mark = time.process_time()
    warm_up(scorer)
    startup["warm-up"] = time.process_time() - mark

    pipeline.pdf_to_document = timed("read", pipeline.pdf_to_document)
    pipeline.document_to_sentences = timed("segment", pipeline.document_to_sentences)
    RuleClassifier.match = timed("match", RuleClassifier.match)
    pipeline.Scorer.classify = timed("classify", pipeline.Scorer.classify)
    pipeline.Scorer.score_document = timed("score", pipeline.Scorer.score_document)
    Store.save = timed("store", Store.save)

    files = files_of(args.paths)
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile(time.process_time)
    per_file = {}
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "run.db", rubrics=rubric) as store:
        for path in files:
            before = dict(spent)
            if profiler:
                profiler.enable()
            result = scorer.score_file(path)
            store.save(result, origin="batch", options={})
            if profiler:
                profiler.disable()
            per_file[path.name] = {s: round(spent.get(s, 0.0) - before.get(s, 0.0), 4) for s in STAGES}
    total = sum(spent.get(s, 0.0) for s in STAGES)
    out = {"files": len(files), "startup": {k: round(v, 3) for k, v in startup.items()},
           "stages": {s: round(spent.get(s, 0.0), 3) for s in STAGES}, "documents_total": round(total, 3),
           "per_file": per_file}
    print(f"{len(files)} files; start-up " + ", ".join(f"{k} {v:.2f}" for k, v in startup.items()))
    for stage in STAGES:
        seconds = spent.get(stage, 0.0)
        print(f"  {stage:9s} {seconds:7.2f} s  {100 * seconds / total if total else 0:5.1f}%")
    print(f"  {'total':9s} {total:7.2f} s")
    if profiler:
        import pstats

        pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(args.profile)
    if args.json:
        args.json.write_text(json.dumps(out, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
