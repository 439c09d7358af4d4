"""CPU cost of everything but PDF reading, two checkouts side by side: start-up, a batch of short
statements, and the scoring stages of long reports.

Run (e.g. before and after a change, both with this virtualenv):

    .venv/bin/python benchmarks/scoring_cost.py --before ../main --after . [--rounds 3] \\
        [--pdfs ../shared/real_pdfs] [--json benchmarks/results/scoring_cost.json] [--md benchmarks/results/scoring_cost.md]

Each figure is CPU seconds (user + system, worker processes included), not wall time, so a busy
machine changes it little; the checkouts run interleaved, round by round, and the median is kept.

1. start-up: ``disclosure-check score`` on the smallest sample (a 2-page statement), a fresh process.
2. samples: the 12 samples as one ``score --jobs 1`` batch, a fresh process (start-up included).
3. long reports: each report is read once, by the "after" checkout, and kept as its Document (a
   pickle: reading is not what this measures, and both checkouts then score the same Documents);
   then, in one process per checkout, scored from it, and the time of each stage inside
   ``Scorer.score_document`` is reported (segmentation, rule and model classification, the gate
   checks, identity, sector, the rest).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LONG_REPORTS = ("walmart_annual_report_2023.pdf", "fedex_annual_report_2023.pdf",
                "siemens_sustainability_report_fy2023.pdf")
# Run in a child process with the checkout's src first on sys.path: times the stages of score_document.
STAGES = r"""
import json, pickle, sys, time
from disclosure_check import pipeline
from disclosure_check.assess import maturity
from disclosure_check.classify.modelset import load_model_set
from disclosure_check.read.extract import pdf_to_document
from disclosure_check.rubric import load_rubric
from disclosure_check.run.warm import warm_up

spent = {}

def timed(name, function):
    def wrapper(*args, **kwargs):
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[name] = spent.get(name, 0.0) + time.process_time() - started
    return wrapper

pipeline.document_to_sentences = timed("segment", pipeline.document_to_sentences)
pipeline.document_to_identity = timed("identity", pipeline.document_to_identity)
pipeline.Scorer.classify = timed("classify", pipeline.Scorer.classify)
pipeline.Scorer.read_sector = timed("sector", pipeline.Scorer.read_sector)
maturity.score_checks = timed("gate", maturity.score_checks)
models, paths = sys.argv[1], sys.argv[2:]
scorer = pipeline.Scorer(load_rubric(None), load_model_set(models))
warm_up(scorer)
if paths[0] == "--read":  # read the reports and keep their Documents
    with open(paths[1], "wb") as handle:
        pickle.dump([pdf_to_document(path, max_pages=2000) for path in paths[2:]], handle)
    sys.exit(0)
with open(paths[0], "rb") as handle:
    docs = pickle.load(handle)
out = {}
for doc in docs:
    path = doc.path
    spent.clear()
    started = time.process_time()
    scorer.score_document(doc)
    total = time.process_time() - started
    stages = {name: round(seconds, 3) for name, seconds in spent.items()}
    stages["other"] = round(total - sum(spent.values()), 3)
    out[path.rsplit("/", 1)[-1]] = {"pages": len(doc.pages), "seconds": round(total, 3), "stages": stages}
print(json.dumps(out))
"""


def cpu_of(args: list[str], env: dict) -> float:
    """Run a command to its end; the CPU seconds it and the children it waited for used."""
    process = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) not in (0, 1):  # 1: a document failed, still a timed run
        raise RuntimeError(f"{args[:3]} exited with {status}: {process.stderr.read().decode()[-400:]}")
    return usage.ru_utime + usage.ru_stime


def environment(checkout: Path) -> dict:
    return {**os.environ, "PYTHONPATH": str(checkout / "src")}


def score_cpu(checkout: Path, paths: list[str], work: Path) -> float:
    db = work / "run.db"
    db.unlink(missing_ok=True)
    return round(cpu_of([sys.executable, "-m", "disclosure_check", "score", *paths, "--db", str(db), "-q",
                         "--jobs", "1", "--model", str(ROOT / "models" / "default")], environment(checkout)), 3)


def read_reports(checkout: Path, reports: list[Path], documents: Path) -> None:
    subprocess.run([sys.executable, "-c", STAGES, str(ROOT / "models" / "default"), "--read", str(documents),
                    *map(str, reports)], env=environment(checkout), check=True)


def stage_costs(checkout: Path, documents: Path) -> dict:
    found = subprocess.run([sys.executable, "-c", STAGES, str(ROOT / "models" / "default"), str(documents)],
                           env=environment(checkout), capture_output=True, text=True, check=True)
    return json.loads(found.stdout.strip().splitlines()[-1])


def median_stages(runs: list[dict]) -> dict:
    out = {}
    for name in runs[0]:
        stages = sorted({s for run in runs for s in run[name]["stages"]})
        out[name] = {"pages": runs[0][name]["pages"],
                     "seconds": round(statistics.median(run[name]["seconds"] for run in runs), 3),
                     "stages": {s: round(statistics.median(run[name]["stages"].get(s, 0.0) for run in runs), 3)
                                for s in stages}}
    return out


def measure(checkouts: dict[str, Path], rounds: int, reports: list[Path], work: Path) -> dict:
    samples = sorted((ROOT / "corpus" / "samples").glob("*.pdf"))
    tiny = min(samples, key=lambda p: p.stat().st_size)
    runs: dict[str, dict[str, list]] = {name: {"startup": [], "samples": [], "long": []} for name in checkouts}
    documents = work / "reports.pickle"
    if reports:
        read_reports(checkouts["after"], reports, documents)
    for _ in range(rounds):
        for name, checkout in checkouts.items():  # interleaved: before, after, before, after, ...
            runs[name]["startup"].append(score_cpu(checkout, [str(tiny)], work))
            runs[name]["samples"].append(score_cpu(checkout, [str(ROOT / "corpus" / "samples")], work))
            if reports:
                runs[name]["long"].append(stage_costs(checkout, documents))
            print(name, {k: v[-1] for k, v in runs[name].items() if k != "long"}, flush=True)
    result: dict = {"tiny_statement": tiny.name, "samples": len(samples), "rounds": rounds,
                    "long_reports": [p.name for p in reports]}
    for name, checkout in checkouts.items():
        mine = runs[name]
        result[name] = {"checkout": str(checkout), "startup_cpu_s": statistics.median(mine["startup"]),
                        "samples_batch_cpu_s": statistics.median(mine["samples"]), "startup_runs": mine["startup"],
                        "samples_runs": mine["samples"]}
        if reports:
            result[name]["long_reports"] = median_stages(mine["long"])
    return result


def markdown(result: dict) -> str:
    before, after = result["before"], result["after"]
    lines = ["# Scoring cost beyond PDF reading, before and after (CPU seconds, medians of "
             f"{result['rounds']} interleaved rounds)", "",
             f"Reproduce: `{result['command']}`", "",
             "| what | before | after | ratio |", "|---|---|---|---|",
             f"| start-up: `score` on {result['tiny_statement']} (fresh process) | {before['startup_cpu_s']:.2f} | "
             f"{after['startup_cpu_s']:.2f} | {before['startup_cpu_s'] / after['startup_cpu_s']:.2f}x |",
             f"| the {result['samples']} samples, one `score --jobs 1` batch | {before['samples_batch_cpu_s']:.2f} | "
             f"{after['samples_batch_cpu_s']:.2f} | {before['samples_batch_cpu_s'] / after['samples_batch_cpu_s']:.2f}x |"]
    for name in result["long_reports"]:
        b, a = before["long_reports"][name], after["long_reports"][name]
        lines.append(f"| {name} ({b['pages']} pages): `score_document` after reading | {b['seconds']:.2f} | "
                     f"{a['seconds']:.2f} | {b['seconds'] / a['seconds']:.2f}x |")
        for stage in b["stages"]:
            x, y = b["stages"][stage], a["stages"].get(stage, 0.0)
            lines.append(f"| &nbsp;&nbsp;{stage} | {x:.2f} | {y:.2f} | {x / y:.2f}x |" if y else
                         f"| &nbsp;&nbsp;{stage} | {x:.2f} | {y:.2f} | |")
    machine = result["machine"]
    lines += ["", f"Machine: {machine['cpus']} CPUs (shared with other work while measured), Python {machine['python']}, "
              f"PYTHONDONTWRITEBYTECODE={machine['dont_write_bytecode'] or 'unset'} (with it set, every start compiles "
              "the project's source again, in both checkouts alike)."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="a checkout of the code before the change")
    parser.add_argument("--after", type=Path, default=ROOT, help="a checkout after it (default: this one)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pdfs", type=Path, default=ROOT.parent / "shared" / "real_pdfs")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--md", type=Path)
    args = parser.parse_args(argv)
    reports = [args.pdfs / name for name in LONG_REPORTS if (args.pdfs / name).is_file()]
    checkouts = {"before": args.before.resolve(), "after": args.after.resolve()}
    with tempfile.TemporaryDirectory() as tmp:
        result = measure(checkouts, args.rounds, reports, Path(tmp))
    result["command"] = ".venv/bin/python benchmarks/scoring_cost.py " + " ".join(argv if argv is not None else sys.argv[1:])
    result["machine"] = {"cpus": os.cpu_count(), "python": platform.python_version(),
                         "dont_write_bytecode": os.environ.get("PYTHONDONTWRITEBYTECODE", "")}
    print(json.dumps(result, indent=1))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=1) + "\n")
    if args.md:
        args.md.write_text(markdown(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
