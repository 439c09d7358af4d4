"""Whether a change that should only make scoring faster changed any result: every field of every
result, before and after, on the samples and whatever real PDFs are at hand.

    # in a checkout of the code before the change, then after it:
    PYTHONPATH=<checkout>/src .venv/bin/python benchmarks/golden_results.py write before.json [--pdfs ../shared/real_pdfs]
    .venv/bin/python benchmarks/golden_results.py write after.json [--pdfs ../shared/real_pdfs]
    .venv/bin/python benchmarks/golden_results.py compare before.json after.json

``write`` also prints the seconds the scoring took in one process (run both on the same idle machine
to compare them).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def write(out: Path, pdfs: Path | None) -> None:
    from disclosure_check.classify.modelset import load_model_set
    from disclosure_check.pipeline import Scorer
    from disclosure_check.rubric import load_rubric
    from disclosure_check.store.codec import encode

    scorer = Scorer(load_rubric(None), load_model_set(ROOT / "models" / "default"))
    files = sorted((ROOT / "corpus" / "samples").glob("*.pdf")) + (sorted(pdfs.glob("*.pdf")) if pdfs else [])
    started = time.perf_counter()
    results = {f.name: encode(scorer.score_file(f)) for f in files}
    print(f"{len(files)} files scored in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    out.write_text(json.dumps(results, sort_keys=True, default=str))


def differences(a, b, path: str = "") -> list[str]:
    if type(a) is not type(b):
        return [f"{path}: {type(a).__name__} -> {type(b).__name__}"]
    if isinstance(a, dict):
        found = []
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                found.append(f"{path}/{key}: only {'after' if key in b else 'before'}")
            else:
                found += differences(a[key], b[key], f"{path}/{key}")
        return found
    if isinstance(a, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} items -> {len(b)}"]
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True)) for d in differences(x, y, f"{path}[{i}]")]
    return [] if a == b else [f"{path}: {str(a)[:80]!r} -> {str(b)[:80]!r}"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    w = sub.add_parser("write")
    w.add_argument("out", type=Path)
    w.add_argument("--pdfs", type=Path)
    c = sub.add_parser("compare")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "write":
        write(args.out, args.pdfs)
        return 0
    before, after = json.loads(args.before.read_text()), json.loads(args.after.read_text())
    found = differences(before, after)
    for line in found[:40]:
        print(line)
    print(f"{len(found)} differences in {len(before)} files")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
