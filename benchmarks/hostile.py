"""Hostile inputs: what every hostile PDF of tests/hostile.py gets, mixed into a real batch.

Two measurements, both through the real command line (``disclosure-check score``):

1. **The batch**: every hostile case, the 12 bundled samples and ``--mutants`` damaged copies of
   real PDFs (corpus/samples and tests/fixtures/pdf_samples) in one folder, scored with
   ``--jobs 2``. Every good sample must be scored and every file must have an outcome.
2. **Each case alone**, so its wall time and peak memory (the largest process of the run,
   workers included) can be read per case; the worst case is reported.

    .venv/bin/python benchmarks/hostile.py [--json benchmarks/results/hostile.json] [--md benchmarks/results/hostile.md]
        [--mutants 40] [-- extra score options, e.g. --time-limit 60 --memory-limit 1024]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import hostile  # noqa: E402

CLI = [str(Path(sys.executable).with_name("disclosure-check"))]
SAMPLES = ROOT / "corpus" / "samples"
REAL = [*sorted(SAMPLES.glob("*.pdf")), *sorted((ROOT / "tests" / "fixtures" / "pdf_samples").glob("*.pdf"))]


# A fresh wrapper per run: RUSAGE_CHILDREN's ru_maxrss is the largest process among everything the
# wrapper waited for (the CLI and, through it, its workers), and starts from zero each time.
WRAPPER = ("import resource, subprocess, sys\n"
           "code = subprocess.run(sys.argv[1:]).returncode\n"
           "print('PEAK_KIB', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
           "sys.exit(code)\n")


def run(args: list[str]) -> dict:
    """Run the CLI; wall time, exit code and the peak RSS of its largest process (MiB)."""
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", WRAPPER, *CLI, *args], capture_output=True, text=True)
    seconds = time.perf_counter() - started
    lines = proc.stderr.strip().splitlines()
    peak = next((int(line.split()[1]) for line in reversed(lines) if line.startswith("PEAK_KIB")), 0)
    return {"seconds": round(seconds, 2), "exit": proc.returncode, "peak_mib": round(peak / 1024),
            "stderr_tail": [line for line in lines if not line.startswith("PEAK_KIB")][-3:]}


def outcomes(out_json: Path) -> dict[str, dict]:
    items = json.loads(out_json.read_text())
    return {Path(i["document"]).name: i for i in items}


def handled(case: hostile.Case, item: dict | None) -> tuple[str, bool]:
    if item is None:
        return "no outcome", False
    outcome = "scored" if item["status"] == "scored" else item.get("error_code") or "failed"
    return outcome, outcome in case.expect


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--md", type=Path, help="write the matrix as a Markdown table here")
    parser.add_argument("--mutants", type=int, default=40, help="damaged copies of real PDFs in the batch")
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--skip-alone", action="store_true", help="only the mixed batch")
    parser.add_argument("extra", nargs="*", help="options passed to `score` (after --)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="dc-hostile-"))
    try:
        batch = work / "batch"
        written = hostile.write_cases(batch)
        for sample in sorted(SAMPLES.glob("*.pdf")):
            shutil.copy(sample, batch / f"sample_{sample.name}")
        rng = random.Random(args.seed)
        for n in range(args.mutants):
            source = rng.choice(REAL)
            (batch / f"mutant_{n:03d}_{source.stem[:30]}.pdf").write_bytes(hostile.mutate(source.read_bytes(), rng))
        files = sorted(batch.glob("*.pdf"))
        print(f"batch: {len(written)} hostile cases, 12 samples, {args.mutants} mutants ({len(files)} files)",
              file=sys.stderr)
        out = work / "out.json"
        result = run(["score", str(batch), "--jobs", "2", "--db", str(work / "batch.db"), "--out", str(out), "-q",
                      *args.extra])
        found = outcomes(out) if out.exists() else {}
        samples_scored = sum(1 for name, item in found.items() if name.startswith("sample_") and item["status"] == "scored")
        mutant_codes: dict[str, int] = {}
        for name, item in found.items():
            if name.startswith("mutant_"):
                code = "scored" if item["status"] == "scored" else item.get("error_code") or "failed"
                mutant_codes[code] = mutant_codes.get(code, 0) + 1
        report = {
            "batch": {**result, "files": len(files), "outcomes": len(found), "samples_scored": samples_scored,
                      "mutants": dict(sorted(mutant_codes.items())), "options": args.extra},
            "cases": [],
        }
        print(f"batch: {result['seconds']} s, exit {result['exit']}, {len(found)}/{len(files)} outcomes, "
              f"{samples_scored}/12 samples scored, mutants {mutant_codes}", file=sys.stderr)
        for case in hostile.CASES:
            outcome, ok = handled(case, found.get(f"{case.name}.pdf"))
            row = {"case": case.name, "why": case.why, "expect": sorted(case.expect), "batch_outcome": outcome,
                   "handled": ok, "reason": (found.get(f"{case.name}.pdf") or {}).get("error")}
            if not args.skip_alone:
                alone = work / f"alone_{case.name}"
                alone.mkdir()
                measured = run(["score", str(written[case.name]), "--db", str(alone / "db.sqlite"), "--out",
                                str(alone / "out.json"), "-q", *args.extra])
                single = outcomes(alone / "out.json").get(f"{case.name}.pdf") if (alone / "out.json").exists() else None
                row.update(alone_outcome=handled(case, single)[0], seconds=measured["seconds"],
                           peak_mib=measured["peak_mib"], exit=measured["exit"])
            report["cases"].append(row)
            print(f"  {case.name:<26} {outcome:<8} {'ok' if ok else 'NOT HANDLED'} "
                  f"{row.get('seconds', '')} s {row.get('peak_mib') or ''}", file=sys.stderr)
        timed = [r for r in report["cases"] if r.get("seconds") is not None]
        if timed:
            slowest = max(timed, key=lambda r: r["seconds"])
            report["worst_time"] = {"case": slowest["case"], "seconds": slowest["seconds"]}
            hungry = [r for r in timed if r.get("peak_mib")]
            if hungry:
                worst = max(hungry, key=lambda r: r["peak_mib"])
                report["worst_memory"] = {"case": worst["case"], "peak_mib": worst["peak_mib"]}
        report["handled"] = f"{sum(r['handled'] for r in report['cases'])}/{len(report['cases'])}"
        print(json.dumps({k: report[k] for k in ("handled", "worst_time", "worst_memory") if k in report}))
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(report, indent=1) + "\n")
        if args.md:
            lines = ["| case | what it does | expected | outcome | handled | alone: s | alone: peak MiB |",
                     "|---|---|---|---|---|---|---|"]
            for r in report["cases"]:
                lines.append(f"| {r['case']} | {r['why']} | {', '.join(r['expect'])} | {r['batch_outcome']} | "
                             f"{'yes' if r['handled'] else '**no**'} | {r.get('seconds', '')} | {r.get('peak_mib', '')} |")
            args.md.write_text("\n".join(lines) + "\n")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
