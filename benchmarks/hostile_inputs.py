"""Hostile inputs from outside the PDF's bytes: what each gets, and its wall time and peak memory.

Each case runs alone through the real command line (``disclosure-check score``), measured as
``benchmarks/hostile.py`` measures PDFs (the wrapper's RUSAGE_CHILDREN peak: the largest process,
workers included). Files, folders and web servers are made here, on loopback only:

- inputs that are not regular files (a FIFO, ``/dev/zero`` in a manifest, a symbolic-link loop), a
  1 TB sparse file, names that are not UTF-8 or hold terminal escapes;
- manifest URLs: a cloud metadata address, a redirect to one, credentials in the URL, a gzip bomb
  (50 MB of zeros in 50 KB, served from an allowed loopback mirror), a server that sends garbage.

    .venv/bin/python benchmarks/hostile_inputs.py [--json benchmarks/results/hostile_inputs.json]
        [--md benchmarks/results/hostile_inputs.md]
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import importlib.util
import json
import os
import shutil
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("hostile_bench", ROOT / "benchmarks" / "hostile.py")
assert _spec and _spec.loader
hostile_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hostile_bench)
run = hostile_bench.run
PDF = (ROOT / "corpus" / "samples" / "lv_2018.pdf").read_bytes()
BOMB = gzip.compress(bytes(50 * 2**20))


class Mirror(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/bomb.pdf":
            self.send_response(200)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(BOMB)))
            self.end_headers()
            self.wfile.write(BOMB)
        elif self.path == "/to-metadata.pdf":
            self.send_response(302)
            self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/garbage.pdf":
            self.wfile.write(os.urandom(300))
        else:
            self.send_response(200)
            self.send_header("Content-Length", str(len(PDF)))
            self.end_headers()
            self.wfile.write(PDF)


def cases(work: Path, mirror: str) -> list[tuple[str, str, list[str], str]]:
    """(name, what it does, score arguments, expected outcome: an error code, 'scored' or 'refused')."""
    made = work / "inputs"
    made.mkdir()
    os.mkfifo(made / "fifo.pdf")
    with open(made / "sparse.pdf", "wb") as handle:
        handle.truncate(2**40)
    os.symlink(made / "loop_b.pdf", made / "loop_a.pdf")
    os.symlink(made / "loop_a.pdf", made / "loop_b.pdf")
    latin1 = os.path.join(os.fsencode(made), b"d\xe9claration_2023.pdf")
    escape = os.path.join(os.fsencode(made), b"\x1b]0;owned\x07\nfailed: fake.pdf")
    for name in (latin1, escape):
        with open(name, "wb") as handle:
            handle.write(PDF)

    def manifest(name: str, body: str) -> list[str]:
        path = work / f"{name}.csv"
        path.write_text(body)
        return ["--manifest", str(path)]

    return [
        ("fifo", "a FIFO named .pdf (hung the run for ever)", [str(made / "fifo.pdf")], "DC100"),
        ("dev_zero", "/dev/zero as a manifest path", manifest("dev_zero", "path\n/dev/zero\n"), "DC100"),
        ("sparse_1tb", "a 1 TB sparse file (hashed for 19 minutes)", [str(made / "sparse.pdf")], "DC101"),
        ("symlink_loop", "a symbolic-link loop as a path", [str(made / "loop_a.pdf")], "DC100"),
        ("latin1_name", "a Latin-1 file name (aborted the batch when saved)", [os.fsdecode(latin1)], "scored"),
        ("escape_name", "terminal escapes and a newline in a name", [os.fsdecode(escape)], "scored"),
        ("url_metadata", "a manifest URL at the cloud metadata address",
         manifest("url_metadata", "url\nhttp://169.254.169.254/latest/meta-data/s.pdf\n"), "DC111"),
        ("url_redirect_private", "an allowed mirror redirecting to the metadata address",
         manifest("url_redirect", f"url\n{mirror}/to-metadata.pdf\n") + ["--allow-host", "127.0.0.1"], "DC111"),
        ("url_credentials", "a URL with a user name and password",
         manifest("url_credentials", "url\nhttps://registry:hunter2@example.org/s.pdf\n"), "refused"),
        ("url_gzip_bomb", "50 MB of zeros gzipped to 50 KB, from an allowed mirror",
         manifest("url_bomb", f"url\n{mirror}/bomb.pdf\n") + ["--allow-host", "127.0.0.1", "--max-mb", "20"], "DC111"),
        ("url_garbage", "a server that answers with random bytes",
         manifest("url_garbage", f"url\n{mirror}/garbage.pdf\n") + ["--allow-host", "127.0.0.1"], "DC111"),
        ("url_loopback", "a loopback URL nobody allowed",
         manifest("url_loopback", f"url\n{mirror}/s.pdf\n"), "DC111"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--md", type=Path)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="dc-hostile-inputs-"))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Mirror)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    rows = []
    try:
        for name, why, score_args, expect in cases(work, f"http://127.0.0.1:{httpd.server_address[1]}"):
            out = work / f"{name}.json"
            measured = run(["score", *score_args, "--db", str(work / f"{name}.db"), "--out", str(out), "-q"])
            items = json.loads(out.read_text()) if out.exists() and out.stat().st_size else []
            if not items:
                outcome = "refused" if measured["exit"] == 2 else "no outcome"
            else:
                outcome = items[0]["error_code"] or items[0]["status"]
            rows.append({"case": name, "why": why, "expect": expect, "outcome": outcome, "handled": outcome == expect,
                         "exit": measured["exit"], "seconds": measured["seconds"], "peak_mib": measured["peak_mib"],
                         "message": (items[0].get("error") if items else " ".join(measured["stderr_tail"]))})
            print(f"  {name:<22} {outcome:<8} {'ok' if outcome == expect else 'NOT HANDLED'} {measured['seconds']} s "
                  f"{measured['peak_mib']} MiB", file=sys.stderr)
    finally:
        httpd.shutdown()
        shutil.rmtree(work, ignore_errors=True)
    report = {"cases": rows, "handled": f"{sum(r['handled'] for r in rows)}/{len(rows)}",
              "worst_time": max(({"case": r["case"], "seconds": r["seconds"]} for r in rows), key=lambda r: r["seconds"]),
              "worst_memory": max(({"case": r["case"], "peak_mib": r["peak_mib"]} for r in rows),
                                  key=lambda r: r["peak_mib"])}
    print(json.dumps({k: report[k] for k in ("handled", "worst_time", "worst_memory")}))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1) + "\n")
    if args.md:
        lines = ["| case | what it does | expected | outcome | handled | s | peak MiB |", "|---|---|---|---|---|---|---|"]
        lines += [f"| {r['case']} | {r['why']} | {r['expect']} | {r['outcome']} | {'yes' if r['handled'] else '**no**'} "
                  f"| {r['seconds']} | {r['peak_mib']} |" for r in rows]
        args.md.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
