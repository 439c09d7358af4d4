"""Speed and memory of whole runs, each a fresh process timed from start to exit (start-up included).

Run: .venv/bin/python benchmarks/speed_memory.py [--pdfs ../shared/real_pdfs] [--json benchmarks/results/speed_memory.json]

1. Side by side, on the same files, one worker: a bare pdfplumber ``extract_text()`` dump of every
   page (the baseline) and ``disclosure-check score`` (extraction, OCR where needed, segmentation,
   classification, maturity scoring, storing). Target: scoring at least 2x (aim 3x) faster.
2. Scoring one file from a cold start (a new process), median of five. Target: under 2 s.
3. Peak memory on a 500-page PDF, assembled from the real PDFs' pages (or the samples'). Target: under 1 GiB.
4. Peak memory of batches of 20, 80 and 320 documents: it should not grow with the batch.

Peak memory is the process's maximum resident set size (``os.wait4``). The real PDFs are read from
``--pdfs`` when that folder exists (they are not part of the repository); otherwise the rendered
samples in corpus/samples are used.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CLI = str(BIN / "disclosure-check")
DUMP = """
import sys, pdfplumber
for path in sys.argv[1:]:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.close()
"""


def run(args: list[str]) -> dict:
    """Run a command to its end; its wall time and peak resident memory."""
    started = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
    return {"seconds": round(seconds, 2), "peak_mib": round(usage.ru_maxrss / 1024), "exit": os.waitstatus_to_exitcode(status),
            "stderr_tail": stderr.strip().splitlines()[-1:] if stderr.strip() else []}


def score(paths: list[str], db: Path, *extra: str) -> dict:
    return run([CLI, "score", *paths, "--db", str(db), "--rescore", "-q", *extra])


def side_by_side(pdfs: list[Path], work: Path) -> dict:
    paths = [str(p) for p in pdfs]
    dump = run([sys.executable, "-c", DUMP, *paths])
    ours = score(paths, work / "side.db", "--max-pages", "2000", "--jobs", "1")
    return {"files": len(pdfs), "pdfplumber_dump": dump, "score": ours,
            "speedup": round(dump["seconds"] / ours["seconds"], 2)}


def cold_start(sample: Path) -> dict:
    times = [run([CLI, "score", str(sample), "--db", ":memory:", "-q"])["seconds"] for _ in range(5)]
    return {"file": sample.name, "runs": times, "median_seconds": statistics.median(times)}


def big_pdf(sources: list[Path], target: Path, pages: int = 500) -> Path:
    """A ``pages``-page PDF made of the sources' pages, in order, repeated as needed."""
    import pypdfium2 as pdfium

    out = pdfium.PdfDocument.new()
    while len(out) < pages:
        for source in sources:
            src = pdfium.PdfDocument(str(source))
            take = min(len(src), pages - len(out))
            out.import_pages(src, list(range(take)))
            src.close()
            if len(out) >= pages:
                break
    out.save(str(target))
    out.close()
    return target


def batches(samples: list[Path], work: Path) -> list[dict]:
    """Peak memory for growing batches of distinct documents (each copy made unique by a trailing
    comment, so none is skipped as already stored)."""
    rows = []
    for size in (20, 80, 320):
        folder = work / f"batch{size}"
        folder.mkdir()
        for n in range(size):
            source = samples[n % len(samples)]
            (folder / f"{n:04d}_{source.name}").write_bytes(source.read_bytes() + f"\n% copy {n}\n".encode())
        result = score([str(folder)], work / f"batch{size}.db", "--out", str(work / f"batch{size}.csv"))
        rows.append({"documents": size, **result})
        shutil.rmtree(folder)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdfs", type=Path, default=ROOT.parent / "shared" / "real_pdfs")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--skip", default="", help="comma-separated parts to skip: side,cold,big,batch")
    args = parser.parse_args(argv)
    skip = set(args.skip.split(","))
    samples = sorted((ROOT / "corpus" / "samples").glob("*.pdf"))
    real = sorted(args.pdfs.glob("*.pdf")) if args.pdfs.is_dir() else []
    result: dict = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
                    "corpus": "real_pdfs" if real else "corpus/samples"}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if "side" not in skip:
            result["side_by_side"] = side_by_side(real or samples, work)
            print(json.dumps(result["side_by_side"]), flush=True)
        if "cold" not in skip:
            result["cold_start"] = cold_start(ROOT / "corpus" / "samples" / "lv_2018.pdf")
            print(json.dumps(result["cold_start"]), flush=True)
        if "big" not in skip:
            big = big_pdf(real or samples, work / "big.pdf")
            result["pdf_500_pages"] = {"source": "real_pdfs" if real else "corpus/samples",
                                      **score([str(big)], work / "big.db", "--max-pages", "500")}
            print(json.dumps(result["pdf_500_pages"]), flush=True)
        if "batch" not in skip:
            result["batches"] = batches(samples, work)
            print(json.dumps(result["batches"]), flush=True)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
