"""Whether a change that should only make extraction faster changed what it reads, and how much
CPU time extraction takes per page, old code against new, side by side.

    # every Document (pages, blocks, spans, text) as JSON, one line per file, with each file's CPU seconds:
    PYTHONPATH=<old checkout>/src .venv/bin/python benchmarks/extraction_identity.py dump old.jsonl --pdfs ../shared/real_pdfs
    PYTHONPATH=src .venv/bin/python benchmarks/extraction_identity.py dump new.jsonl --pdfs ../shared/real_pdfs
    .venv/bin/python benchmarks/extraction_identity.py compare old.jsonl new.jsonl
    # CPU seconds per page, the two source trees interleaved file by file (one process per file and tree):
    .venv/bin/python benchmarks/extraction_identity.py speed --old <old checkout>/src --new src --pdfs ../shared/real_pdfs

CPU time (``time.process_time``) of ``pdf_to_document`` alone, after a warm-up read, so a shared,
busy machine disturbs the figures less than wall time would; OCR'd pages are included.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corpus" / "samples"


def pdf_files(pdfs: Path | None) -> list[Path]:
    return sorted(SAMPLES.glob("*.pdf")) + (sorted(pdfs.glob("*.pdf")) if pdfs else [])


def _warm_up() -> None:
    """Read one sample first: module imports and language models load on first use."""
    from disclosure_check.read.extract import pdf_to_document

    pdf_to_document(sorted(SAMPLES.glob("*.pdf"))[0])


def read_timed(path: Path) -> tuple[dict, float]:
    """The file's Document as plain data, and the CPU seconds reading it took."""
    from disclosure_check.read.extract import pdf_to_document

    started = time.process_time()
    document = pdf_to_document(path)
    seconds = time.process_time() - started
    return dataclasses.asdict(document), seconds


def dump(out: Path, pdfs: Path | None) -> None:
    _warm_up()
    with out.open("w") as handle:
        for path in pdf_files(pdfs):
            document, seconds = read_timed(path)
            handle.write(json.dumps({"file": path.name, "seconds": seconds, "document": document},
                                    sort_keys=True, default=str) + "\n")
            print(f"{path.name}: {len(document['pages'])} pages, {seconds:.2f} CPU s", file=sys.stderr)


def differences(a, b, path: str = "", limit: int = 20) -> list[str]:
    """Where two JSON values differ (at most ``limit`` places)."""
    if type(a) is not type(b):
        return [f"{path}: {type(a).__name__} -> {type(b).__name__}"]
    if isinstance(a, dict):
        found: list[str] = []
        for key in sorted(set(a) | set(b)):
            if len(found) >= limit:
                break
            if key not in a or key not in b:
                found.append(f"{path}/{key}: only {'new' if key in b else 'old'}")
            else:
                found += differences(a[key], b[key], f"{path}/{key}", limit - len(found))
        return found
    if isinstance(a, list):
        found = [f"{path}: {len(a)} items -> {len(b)}"] if len(a) != len(b) else []
        for i, (x, y) in enumerate(zip(a, b)):  # noqa: B905 - lengths may differ
            if len(found) >= limit:
                break
            found += differences(x, y, f"{path}[{i}]", limit - len(found))
        return found
    return [] if a == b else [f"{path}: {str(a)[:100]!r} -> {str(b)[:100]!r}"]


def _load(path: Path) -> dict[str, dict]:
    return {row["file"]: row for row in map(json.loads, path.read_text().splitlines())}


def compare(old: Path, new: Path) -> int:
    before, after = _load(old), _load(new)
    changed = 0
    for name in sorted(set(before) | set(after)):
        if name not in before or name not in after:
            print(f"{name}: only in {'new' if name in after else 'old'}")
            changed += 1
            continue
        found = differences(before[name]["document"], after[name]["document"])
        if found:
            changed += 1
            print(f"{name}: {len(found)}{'+' if len(found) >= 20 else ''} difference(s)")
            for line in found:
                print(f"    {line}")
    print(f"{len(set(before) | set(after))} files, {changed} with differences")
    return 1 if changed else 0


_CHILD = """
import json, sys
sys.path.insert(0, {bench!r})
from extraction_identity import _warm_up, read_timed
from pathlib import Path
_warm_up()
document, seconds = read_timed(Path({path!r}))
print(json.dumps({{"seconds": seconds, "pages": len(document["pages"])}}))
"""


def _child_seconds(source: str, path: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(Path(source).resolve()))
    code = _CHILD.format(bench=str(Path(__file__).resolve().parent), path=str(path))
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def speed(old: str, new: str, pdfs: Path | None, rounds: int, out: Path | None) -> None:
    """Each file read by the old and then the new tree (swapped every other round), in fresh
    processes; the median of ``rounds`` CPU times per file and tree."""
    rows = []
    for path in pdf_files(pdfs):
        times: dict[str, list[float]] = {"old": [], "new": []}
        pages = 0
        for r in range(rounds):
            for label in (("old", "new") if r % 2 == 0 else ("new", "old")):
                got = _child_seconds(old if label == "old" else new, path)
                times[label].append(got["seconds"])
                pages = got["pages"]
        row = {"file": path.name, "pages": pages, "old_s": statistics.median(times["old"]),
               "new_s": statistics.median(times["new"])}
        rows.append(row)
        print(f"{path.name:58s} {pages:4d} p  old {row['old_s']:6.2f} s  new {row['new_s']:6.2f} s  "
              f"x{row['old_s'] / max(row['new_s'], 1e-9):.2f}", file=sys.stderr)
    pages = sum(r["pages"] for r in rows)
    old_total, new_total = sum(r["old_s"] for r in rows), sum(r["new_s"] for r in rows)
    summary = {"files": len(rows), "pages": pages, "old_cpu_s": round(old_total, 2), "new_cpu_s": round(new_total, 2),
               "old_ms_per_page": round(1000 * old_total / pages, 2), "new_ms_per_page": round(1000 * new_total / pages, 2),
               "speed_up": round(old_total / new_total, 2), "rounds": rounds,
               "measure": "CPU seconds (time.process_time) of pdf_to_document, median of rounds, old and new interleaved"}
    print(json.dumps(summary, indent=1))
    if out:
        out.write_text(json.dumps({"summary": summary, "files": rows}, indent=1) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dump", help="every Document as JSON lines, with CPU seconds")
    d.add_argument("out", type=Path)
    d.add_argument("--pdfs", type=Path, help="a folder of more PDFs to read after the samples")
    c = sub.add_parser("compare", help="differences between two dumps")
    c.add_argument("old", type=Path)
    c.add_argument("new", type=Path)
    s = sub.add_parser("speed", help="CPU s per page, old and new source trees interleaved")
    s.add_argument("--old", required=True, help="the old tree's src folder")
    s.add_argument("--new", required=True, help="the new tree's src folder")
    s.add_argument("--pdfs", type=Path)
    s.add_argument("--rounds", type=int, default=1)
    s.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()
    if args.command == "dump":
        dump(args.out, args.pdfs)
        return 0
    if args.command == "compare":
        return compare(args.old, args.new)
    speed(args.old, args.new, args.pdfs, args.rounds, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
