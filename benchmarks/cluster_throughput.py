"""Documents per minute with ``score --jobs 2`` and with ``score --engine dask --workers 2``, on the
same files, each a fresh process with a fresh database, wall-clock from start to exit (start-up
included); CPU seconds per document and per page; peak resident memory of the main process and of
every worker (a Dask worker and its isolation process are counted apart); rows and bytes stored per
document (for docs/registry_scale.md). Also the main process's memory over a long local batch,
before and after the batch rewrite, when ``--before SRC`` names the old code's src folder.

Run: .venv/bin/python benchmarks/cluster_throughput.py [--docs 1000] [--pdfs ../shared/real_pdfs]
         [--before /tmp/before/src] [--json benchmarks/results/cluster_throughput.json]
         [--md benchmarks/results/cluster_throughput.md]

Scaling (does a second process pay?): ``--scaling [--docs 300] [--rounds 3] [--json ...] [--md ...]``
runs ``--jobs 1``, ``--jobs 2``, ``--engine dask --workers 1`` and ``--workers 2`` on the same files,
interleaved, ``--rounds`` times, and reports the medians: the speed-up of two processes over one for
each engine, and the Dask engine's time against the local engine's at the same width (the issue's
"within 15% of local per core"). Run it on an idle machine (it records the load average before and
after each run, and says when the machine was not idle): on a shared machine the other jobs take
the second core.

The distinct documents are copies of corpus/samples/*.pdf with a ``%distinct N`` comment after
``%%EOF`` (a new content hash each, the same pages). The real PDFs are read from ``--pdfs`` when
that folder exists (never copied into the repository).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
TABLES = ("documents", "results", "element_results", "evidence", "criterion_results", "theme_results")


def distinct_copies(folder: Path, n: int) -> list[Path]:
    samples = sorted((ROOT / "corpus" / "samples").glob("*.pdf"))
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        source = samples[i % len(samples)]
        path = folder / f"{i:05d}_{source.name}"
        path.write_bytes(source.read_bytes() + f"\n%distinct {i}\n".encode())
        out.append(path)
    return out


def role(process: psutil.Process, main_pid: int) -> str:
    """isolation (a process scoring documents), dask-worker, or other (a resource tracker)."""
    try:
        cmd = " ".join(process.cmdline())
        parent = process.ppid()
    except psutil.Error:
        return "other"
    if "resource_tracker" in cmd or "semaphore_tracker" in cmd:
        return "other"
    if parent == main_pid and ("spawn_main" in cmd or "forkserver" in cmd):
        return "dask-worker"
    return "isolation"  # forked from the CLI (local) or from a Dask worker: the same command line


def busy_cpu_seconds() -> float:
    """CPU seconds every process on the machine has used since boot (user, nice, system, irq)."""
    with open("/proc/stat") as handle:
        fields = handle.readline().split()[1:]
    return sum(int(x) for x in fields[:3] + fields[5:8]) / os.sysconf("SC_CLK_TCK")


def run(args: list[str], src: Path) -> dict:
    """Run the CLI to its end, sampling the resident memory of it and every descendant."""
    env = dict(os.environ, PYTHONPATH=f"{src}:{ROOT}")
    busy_before = busy_cpu_seconds()
    started = time.perf_counter()
    args = [*args, "--model", str(ROOT / "models" / "default")]  # the old code finds models beside its src
    process = subprocess.Popen([sys.executable, "-m", "disclosure_check", *args], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    main = psutil.Process(process.pid)
    peaks: dict[int, tuple[str, int]] = {}
    trace: list[tuple[float, int]] = []
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            try:
                rss = main.memory_info().rss
                trace.append((round(time.perf_counter() - started, 1), rss // 2**20))
                for child in main.children(recursive=True):
                    with_role = role(child, process.pid)
                    try:
                        child_rss = child.memory_info().rss
                    except psutil.Error:
                        continue
                    old = peaks.get(child.pid, (with_role, 0))
                    peaks[child.pid] = (with_role, max(old[1], child_rss))
            except psutil.Error:
                pass
            time.sleep(0.5)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    stderr = process.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    others = busy_cpu_seconds() - busy_before - (usage.ru_utime + usage.ru_stime)
    done.set()
    thread.join()
    by_role: dict[str, list[int]] = {}
    for kind, rss in peaks.values():
        by_role.setdefault(kind, []).append(rss // 2**20)
    return {"seconds": round(seconds, 1), "exit": os.waitstatus_to_exitcode(status),
            "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),  # the CLI and every reaped descendant
            "other_processes_cores": round(max(0.0, others) / seconds, 2),  # the machine's other work meanwhile
            "main_peak_mib": max((r for _, r in trace), default=0),
            "main_first_mib": trace[min(10, len(trace) - 1)][1] if trace else 0,
            "main_last_mib": trace[-1][1] if trace else 0,
            "child_peaks_mib": {k: sorted(v, reverse=True) for k, v in by_role.items()},
            "summary": [line for line in stderr.splitlines() if line.startswith("Scored")][-1:]}


def stored_stats(db: Path) -> dict:
    conn = sqlite3.connect(db)
    docs = conn.execute("SELECT COUNT(*) FROM results").fetchone()[0]
    pages = sum(json.loads(j).get("pages") or 0 for (j,) in conn.execute("SELECT result_json FROM results"))
    rows = {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return {"documents": docs, "pages": pages, "rows": rows, "rows_per_document": round(sum(rows.values()) / max(docs, 1), 1),
            "db_bytes": db.stat().st_size, "db_mib_per_1000_documents": round(db.stat().st_size / 2**20 / max(docs, 1) * 1000, 1)}


def compare(name: str, files: list[Path], work: Path, src: Path) -> dict:
    folder = work / name
    folder.mkdir(exist_ok=True)
    for f in files:
        target = folder / f.name
        if not target.exists():
            target.symlink_to(f)
    out = {"files": len(files)}
    for label, extra in (("jobs2", ["--jobs", "2"]), ("dask2", ["--engine", "dask", "--workers", "2"])):
        db = work / f"{name}-{label}.db"
        result = run(["score", str(folder), "--db", str(db), "-q", *extra], src)
        stats = stored_stats(db)
        minutes = result["seconds"] / 60
        result.update(stats, documents_per_minute=round(stats["documents"] / minutes, 1),
                      cpu_seconds_per_document=round(result["cpu_seconds"] / max(stats["documents"], 1), 3),
                      cpu_seconds_per_page=round(result["cpu_seconds"] / max(stats["pages"], 1), 4))
        out[label] = result
        print(name, label, json.dumps(result), flush=True)
    return out


SCALING = (("jobs1", ["--jobs", "1"]), ("jobs2", ["--jobs", "2"]),
           ("dask1", ["--engine", "dask", "--workers", "1"]), ("dask2", ["--engine", "dask", "--workers", "2"]))


def scaling(docs: int, rounds: int, src: Path) -> dict:
    """The four widths on the same ``docs`` distinct copies, interleaved ``rounds`` times (see the module docstring)."""
    runs: dict[str, list[dict]] = {label: [] for label, _ in SCALING}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        distinct_copies(work / "copies", docs)
        for r in range(rounds):
            for label, extra in SCALING:
                db = work / f"{label}-{r}.db"
                load_before = os.getloadavg()[0]
                result = run(["score", str(work / "copies"), "--db", str(db), "-q", *extra], src)
                result["load_before"], result["load_after"] = round(load_before, 2), round(os.getloadavg()[0], 2)
                result["documents"] = stored_stats(db)["documents"]
                runs[label].append(result)
                print("scaling", r, label, json.dumps({k: result[k] for k in (
                    "seconds", "cpu_seconds", "documents", "other_processes_cores", "load_before", "load_after")}), flush=True)

    def median(label: str, key: str) -> float:
        values = sorted(x[key] for x in runs[label])
        return values[len(values) // 2]

    wall = {label: median(label, "seconds") for label, _ in SCALING}
    cpu = {label: median(label, "cpu_seconds") for label, _ in SCALING}
    loads = [x[k] for rs in runs.values() for x in rs for k in ("load_before", "load_after")]
    others = [x["other_processes_cores"] for rs in runs.values() for x in rs]
    return {"docs": docs, "rounds": rounds, "median_seconds": wall, "median_cpu_seconds": cpu,
            "speedup_jobs2_over_jobs1": round(wall["jobs1"] / wall["jobs2"], 2),
            "speedup_dask2_over_dask1": round(wall["dask1"] / wall["dask2"], 2),
            "dask_over_local_time_1": round(wall["dask1"] / wall["jobs1"], 2),
            "dask_over_local_time_2": round(wall["dask2"] / wall["jobs2"], 2),
            "load_average": {"min": min(loads), "max": max(loads)},
            "other_processes_cores": {"median": sorted(others)[len(others) // 2], "max": max(others)},
            "idle": max(others) < 0.1, "runs": runs}


def scaling_markdown(report: dict) -> str:
    s = report["scaling"]
    lines = ["# Scaling: one process against two, local engine and Dask", "",
             f"Machine: {report['machine']['cpus']} CPUs; {s['docs']} distinct copies of the samples; medians of "
             f"{s['rounds']} interleaved rounds; fresh process and database per run, wall-clock including start-up. "
             f"Other processes on the machine used a median {s['other_processes_cores']['median']} cores (at most "
             f"{s['other_processes_cores']['max']}) during the runs; 1-minute load average {s['load_average']['min']}"
             f" to {s['load_average']['max']}: "
             f"{'idle' if s['idle'] else 'NOT idle: other jobs shared the cores, so the speed-ups are understated'}.",
             "", "| run | median s | median CPU s |", "|---|---|---|"]
    lines += [f"| {label} | {s['median_seconds'][label]} | {s['median_cpu_seconds'][label]} |" for label, _ in SCALING]
    lines += ["", f"- `--jobs 2` over `--jobs 1`: {s['speedup_jobs2_over_jobs1']}x",
              f"- Dask `--workers 2` over `--workers 1`: {s['speedup_dask2_over_dask1']}x",
              f"- Dask time / local time at one process: {s['dask_over_local_time_1']}, at two: {s['dask_over_local_time_2']}"]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=None, help="distinct copies (default 1000; 300 with --scaling)")
    parser.add_argument("--scaling", action="store_true", help="--jobs 1 against 2 and Dask --workers 1 against 2")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pdfs", type=Path, default=ROOT.parent / "shared" / "real_pdfs")
    parser.add_argument("--before", type=Path, help="the src folder of the code before the batch rewrite")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--md", type=Path)
    args = parser.parse_args()
    src = ROOT / "src"
    report: dict = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                "memory_gib": round(psutil.virtual_memory().total / 2**30, 1)}}
    if args.scaling:
        report["scaling"] = scaling(args.docs or 300, args.rounds, src)
        if args.json:
            args.json.write_text(json.dumps(report, indent=1) + "\n")
        if args.md:
            args.md.write_text(scaling_markdown(report))
        print(scaling_markdown(report))
        return
    args.docs = args.docs or 1000
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        copies = distinct_copies(work / "copies", args.docs)
        report["samples"] = compare("samples", copies, work, src)
        real = sorted(args.pdfs.glob("*.pdf")) if args.pdfs.is_dir() else []
        if real:
            report["real_pdfs"] = compare("real", real, work, src)
        if args.before:
            memory = {}
            for label, code in (("before", args.before), ("after", src)):
                db = work / f"memory-{label}.db"
                out = work / f"memory-{label}.csv"
                memory[label] = run(["score", str(work / "samples"), "--db", str(db), "--jobs", "2",
                                     "--out", str(out)], code)  # progress bar and --out on: the CLI's full path
                print("memory", label, json.dumps(memory[label]), flush=True)
            report["main_memory_local"] = memory
    if args.json:
        args.json.write_text(json.dumps(report, indent=1) + "\n")
    if args.md:
        args.md.write_text(to_markdown(report))


def to_markdown(report: dict) -> str:
    lines = ["# Cluster throughput: `score --jobs 2` against `score --engine dask --workers 2`", "",
             f"Machine: {report['machine']['cpus']} CPUs, {report['machine']['memory_gib']} GiB, Python "
             f"{report['machine']['python']}. Fresh process and database per run; wall-clock includes start-up.", "",
             "| files | engine | documents | pages | s | docs/min | CPU s/doc | CPU s/page | main peak MiB | "
             "worker peaks MiB | rows/doc | DB MiB/1000 docs |", "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for name in ("samples", "real_pdfs"):
        if name not in report:
            continue
        for label in ("jobs2", "dask2"):
            r = report[name][label]
            peaks = "; ".join(f"{k} {', '.join(map(str, v[:3]))}" for k, v in r["child_peaks_mib"].items())
            lines.append(f"| {name} | {label} | {r['documents']} | {r['pages']} | {r['seconds']} | "
                         f"{r['documents_per_minute']} | {r['cpu_seconds_per_document']} | {r['cpu_seconds_per_page']} | "
                         f"{r['main_peak_mib']} | {peaks} | {r['rows_per_document']} | {r['db_mib_per_1000_documents']} |")
    if "main_memory_local" in report:
        lines += ["", "Main process memory over the local batch (`--jobs 2`, progress bar and `--out .csv` on):", "",
                  "| code | s | main MiB after ~5 s | main MiB at the end | main peak MiB |", "|---|---|---|---|---|"]
        for label, r in report["main_memory_local"].items():
            lines.append(f"| {label} | {r['seconds']} | {r['main_first_mib']} | {r['main_last_mib']} | {r['main_peak_mib']} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
