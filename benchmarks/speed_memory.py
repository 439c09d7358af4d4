"""Speed and memory of whole runs, each a fresh process timed from start to exit (start-up included).

Run: .venv/bin/python benchmarks/speed_memory.py [--pdfs ../shared/real_pdfs] [--json benchmarks/results/speed_memory.json]
     [--src <before>/src --src <after>/src]  (two trees scored after the same dumps, for a before/after ratio)

1. Side by side, on the same files, one worker: a bare pdfplumber ``extract_text()`` dump of every
   page (the baseline) and ``disclosure-check score`` (extraction, segmentation, classification,
   maturity scoring, storing), on three sets: ``mixed`` (the samples and every real PDF), ``short``
   (the samples and the real PDFs of at most 12 pages: statements) and ``real`` (the real PDFs
   alone, the figure recorded before issue 23). Text-layer pages only (``--no-ocr``); OCR is
   measured apart (``ocr``: the files that need it scored with and without OCR, seconds per page
   read by OCR). Issue-23 targets: 10x on ``mixed``, 5x on ``short``.
2. Scoring one file from a cold start (a new process), median of five. Target: under 2 s.
3. Peak memory on a 500-page PDF, assembled from the real PDFs' pages (or the samples'). Target: under 1 GiB.
4. Peak memory of batches of 20, 80 and 320 documents: it should not grow with the batch.

Peak memory is the process's maximum resident set size (``os.wait4``). The real PDFs are read from
``--pdfs`` when that folder exists (they are not part of the repository); otherwise the rendered
samples in corpus/samples are used.
"""

from __future__ import annotations

import argparse
import csv
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
    with tempfile.TemporaryFile() as err:  # a file, not a pipe: a chatty child never blocks on it
        process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        err.seek(0)
        stderr = err.read().decode(errors="replace")
    # CPU of the process and of the children it waited for (the isolation worker included).
    return {"seconds": round(seconds, 2), "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
            "peak_mib": round(usage.ru_maxrss / 1024), "exit": os.waitstatus_to_exitcode(status),
            "stderr_tail": stderr.strip().splitlines()[-1:] if stderr.strip() else []}


def score(paths: list[str], db: Path, *extra: str, src: str | None = None) -> dict:
    """``disclosure-check score``; ``src``: the source tree it runs (PYTHONPATH), else the installed one."""
    if src is None:
        return run([CLI, "score", *paths, "--db", str(db), "--rescore", "-q", *extra])
    previous = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = src
    try:
        return run([CLI, "score", *paths, "--db", str(db), "--rescore", "-q", *extra])
    finally:
        if previous is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = previous


def side_by_side(pdfs: list[Path], work: Path, rounds: int = 1, trees: list[str] | None = None) -> dict:
    """The dump and the text-layer scoring of the same files, alternated ``rounds`` times; medians.
    ``trees``: source trees (e.g. before and after a change) each scored in every round right after
    the dump, so their ratios share the same dumps and the same moment's machine load."""
    paths = [str(p) for p in pdfs]
    dumps: list[dict] = []
    ours: dict[str | None, list[dict]] = {tree: [] for tree in trees or [None]}
    for n in range(rounds):
        dumps.append(run([sys.executable, "-c", DUMP, *paths]))
        for tree in list(ours) if n % 2 == 0 else list(ours)[::-1]:  # each tree first in turn
            ours[tree].append(score(paths, work / f"side{n}.db", "--max-pages", "2000", "--jobs", "1", "--no-ocr", src=tree))
    dump = min(dumps, key=lambda r: r["seconds"]) if rounds == 1 else _median(dumps)
    out: dict = {"files": len(pdfs), "pages": sum(_pages(p) for p in pdfs), "rounds": rounds, "pdfplumber_dump": dump}
    for tree, runs in ours.items():
        mine = min(runs, key=lambda r: r["seconds"]) if rounds == 1 else _median(runs)
        entry = {"score": mine, "speedup": round(dump["seconds"] / mine["seconds"], 2),
                 "speedup_cpu": round(dump["cpu_seconds"] / mine["cpu_seconds"], 2)}
        if tree is None:
            out.update(entry)
        else:
            out.setdefault("trees", {})[tree] = {**entry, "cpu_seconds_each_round": [r["cpu_seconds"] for r in runs]}
    out["dump_cpu_seconds_each_round"] = [r["cpu_seconds"] for r in dumps]
    return out


def _median(runs: list[dict]) -> dict:
    return {**runs[0], **{key: statistics.median(r[key] for r in runs) for key in ("seconds", "cpu_seconds", "peak_mib")}}


def _pages(path: Path) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return len(pdf)
    finally:
        pdf.close()


def scanned(sources: list[Path], work: Path, dpi: int = 150) -> list[Path]:
    """Image-only copies of ``sources`` (each page rendered and saved as a picture, no text layer):
    what a statement printed, signed and scanned looks like."""
    import pypdfium2 as pdfium

    out = []
    for source in sources:
        pdf = pdfium.PdfDocument(str(source))
        try:
            images = [page.render(scale=dpi / 72).to_pil().convert("L") for page in pdf]
        finally:
            pdf.close()
        target = work / f"scanned_{source.name}"
        images[0].save(target, save_all=True, append_images=images[1:], resolution=dpi)
        out.append(target)
    return out


def ocr_cost(pdfs: list[Path], work: Path) -> dict:
    """Seconds per page read by OCR: the files scored with OCR and without it, the difference over
    the pages OCR read (counted from ``--out``)."""
    paths = [str(p) for p in pdfs]
    out = work / "ocr.csv"
    with_ocr = score(paths, work / "ocr.db", "--max-pages", "2000", "--jobs", "1", "--out", str(out))
    without = score(paths, work / "no-ocr.db", "--max-pages", "2000", "--jobs", "1", "--no-ocr")
    with out.open(newline="") as handle:
        pages = sum(len([p for p in (row.get("pages_ocr") or "").split(";") if p]) for row in csv.DictReader(handle))
    extra = with_ocr["seconds"] - without["seconds"]
    # scanned_*: the image-only copies made by ``scanned``
    return {"files": [p.name for p in pdfs], "ocr_pages": pages, "with_ocr": with_ocr, "without_ocr": without,
            "seconds_per_ocr_page": round(extra / pages, 2) if pages else None}


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
    parser.add_argument("--skip", default="", help="comma-separated parts to skip: side,cold,big,batch,ocr")
    parser.add_argument("--sets", default="short,mixed", help="side-by-side sets: short,mixed,real")
    parser.add_argument("--rounds", type=int, default=1, help="side-by-side rounds, alternated (medians)")
    parser.add_argument("--src", action="append", help="side by side: a source tree to score with (PYTHONPATH); "
                        "give it twice (before, after) to compare two trees against the same dumps")
    parser.add_argument("--ocr-files", default="sugar_research_foundation_memo_scanned_ocr.pdf,bhp_climate_change_report_2020.pdf",
                        help="real PDFs (names in --pdfs) that need OCR and are scored (a document in another "
                             "language fails, and its OCR pages are not counted), for the seconds per OCR page")
    args = parser.parse_args(argv)
    skip = set(args.skip.split(","))
    samples = sorted((ROOT / "corpus" / "samples").glob("*.pdf"))
    real = sorted(args.pdfs.glob("*.pdf")) if args.pdfs.is_dir() else []
    result: dict = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
                    "corpus": "real_pdfs" if real else "corpus/samples"}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if "side" not in skip:
            short = samples + [p for p in real if _pages(p) <= 12 and p.name not in args.ocr_files.split(",")]
            sets = {"short": short, "mixed": samples + real, "real": real or samples}
            result["side_by_side_sets"] = {}
            for name in args.sets.split(","):
                found = side_by_side(sets[name], work, args.rounds, args.src)
                result["side_by_side_sets"][name] = {"set": name, **found}
                print(json.dumps(result["side_by_side_sets"][name]), flush=True)
        if "ocr" not in skip and real:
            wanted = [p for p in real if p.name in args.ocr_files.split(",")]
            wanted += scanned([p for p in real if _pages(p) <= 12 and p.name not in wanted and p.name not in
                               args.ocr_files.split(",")], work)
            if wanted:
                result["ocr"] = ocr_cost(wanted, work)
                print(json.dumps(result["ocr"]), flush=True)
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
