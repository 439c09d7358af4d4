"""A registry-sized soak: ``score --engine dask`` with several workers writing one PostgreSQL database,
each of scheduler, workers and database on a "machine" of its own (a Linux network namespace), with
a worker and then the client killed midway and the same command run again.

Run (as root, not in CI; the documents come from benchmarks/soak_docs.py):
    .venv/bin/python benchmarks/soak_docs.py --docs 20000 --out /tmp/soak-docs
    .venv/bin/python benchmarks/registry_soak.py run --docs /tmp/soak-docs --workers 2 --port 55440 \
        --json benchmarks/results/registry_soak.json --md benchmarks/results/registry_soak.md
    .venv/bin/python benchmarks/registry_soak.py down      # stop everything it started (also after a crash)

Topology (``--loopback`` runs the same processes on 127.0.0.1 instead): a bridge ``soakbr``
(10.231.0.1, the client's side, in this namespace) and one namespace per machine joined to it:
``soak-db`` (10.231.0.10, PostgreSQL), ``soak-sched`` (10.231.0.11, ``dask scheduler``) and
``soak-wK`` (10.231.0.2K, ``dask worker`` with one thread, under its nanny). They share the file
system (the documents are paths, as on a cluster with a shared volume) and nothing else but the
network. Everything runs under ``nice -n 19`` (the machine is shared).

Recorded every ``--every`` seconds: the resident memory of every process by role (client, scheduler,
each worker's nanny, Dask worker and isolation process, PostgreSQL's processes), the documents
stored, and /proc/loadavg. At the end: documents per minute, CPU seconds per page (all processes,
from the kernel's accounting of each process tree), the database's size and rows per document per
table, the resume check (every manifest document stored exactly once, none missing) and the
dashboard's overview cold and warm on the result (benchmarks/dashboard_load.py's measurement).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
VENV = Path(sys.executable).parent
NET = "10.231.0"
BRIDGE = "soakbr"
PG_DATA = Path("/tmp/soak-pg")
TABLES = ("documents", "results", "element_results", "evidence", "criterion_results", "theme_results",
          "document_texts")
STATE = Path("/tmp/soak-state.json")  # pids started, for `down`


def sh(*cmd: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=check, capture_output=True, text=True)


# -- machines -----------------------------------------------------------------------------------
class Net:
    """The namespaces (or, with ``loopback``, none: every address is 127.0.0.1)."""

    def __init__(self, workers: int, loopback: bool) -> None:
        self.workers, self.loopback = workers, loopback
        self.names = ["soak-db", "soak-sched", *(f"soak-w{k}" for k in range(1, workers + 1))]

    def ip(self, name: str) -> str:
        if self.loopback:
            return "127.0.0.1"
        if name == "client":
            return f"{NET}.1"
        return {"soak-db": f"{NET}.10", "soak-sched": f"{NET}.11"}.get(name) or f"{NET}.{20 + int(name[6:])}"

    def prefix(self, name: str) -> list[str]:
        return [] if self.loopback or name == "client" else ["ip", "netns", "exec", name]

    def up(self) -> None:
        if self.loopback:
            return
        self.down()
        sh("ip", "link", "add", BRIDGE, "type", "bridge")
        sh("ip", "addr", "add", f"{NET}.1/24", "dev", BRIDGE)
        sh("ip", "link", "set", BRIDGE, "up")
        for i, name in enumerate(self.names):
            host, peer = f"vs{i}h", f"vs{i}n"
            sh("ip", "netns", "add", name)
            sh("ip", "link", "add", host, "type", "veth", "peer", "name", peer)
            sh("ip", "link", "set", host, "master", BRIDGE)
            sh("ip", "link", "set", host, "up")
            sh("ip", "link", "set", peer, "netns", name)
            sh("ip", "netns", "exec", name, "ip", "addr", "add", f"{self.ip(name)}/24", "dev", peer)
            sh("ip", "netns", "exec", name, "ip", "link", "set", peer, "up")
            sh("ip", "netns", "exec", name, "ip", "link", "set", "lo", "up")

    def down(self) -> None:
        for name in sh("ip", "netns", "list", check=False).stdout.split("\n"):
            if name.startswith("soak-"):
                sh("ip", "netns", "del", name.split()[0], check=False)
        sh("ip", "link", "del", BRIDGE, check=False)


def pg_start(net: Net, port: int) -> str:
    """PostgreSQL on the db machine (initdb once under /tmp/soak-pg); returns the soak database's URL."""
    data = PG_DATA / "data"
    if not data.exists():
        PG_DATA.mkdir(exist_ok=True)
        shutil.chown(PG_DATA, "postgres")
        sh("runuser", "-u", "postgres", "--", "/usr/local/bin/initdb", "-D", str(data), "-U", "postgres",
           "-A", "trust", "-E", "UTF8", "--locale=C")
        with open(data / "pg_hba.conf", "a") as handle:
            handle.write(f"host all all {NET}.0/24 trust\n")
    host = net.ip("soak-db")
    sh(*net.prefix("soak-db"), "runuser", "-u", "postgres", "--", "nice", "-n", "19", "/usr/local/bin/pg_ctl",
       "-D", str(data), "-l", str(PG_DATA / "server.log"), "-w", "-o", f"-p {port} -h {host} -k {PG_DATA}", "start")
    import psycopg

    with psycopg.connect(f"postgresql://postgres@{host}:{port}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname='soak'").fetchone():
            conn.execute("CREATE DATABASE soak")
    return f"postgresql://postgres@{host}:{port}/soak"


def pg_stop() -> None:
    if (PG_DATA / "data" / "postmaster.pid").exists():
        sh("runuser", "-u", "postgres", "--", "/usr/local/bin/pg_ctl", "-D", str(PG_DATA / "data"), "-m", "fast",
           "stop", check=False)


def pg_pids() -> list[int]:
    pid_file = PG_DATA / "data" / "postmaster.pid"
    if not pid_file.exists():
        return []
    try:
        main = psutil.Process(int(pid_file.read_text().split()[0]))
        return [main.pid, *(c.pid for c in main.children(recursive=True))]
    except (psutil.Error, ValueError):
        return []


class Machines:
    """The scheduler and worker processes (each the root of its process tree), started and stopped."""

    def __init__(self, net: Net, logs: Path) -> None:
        self.net, self.logs = net, logs
        self.procs: dict[str, subprocess.Popen] = {}
        self.usage: dict[str, float] = {}  # CPU seconds of process trees that have ended (wait4)
        self.last_exit: int | None = None
        self.env = dict(os.environ, PYTHONPATH=f"{ROOT / 'src'}:{ROOT}", DASK_DISTRIBUTED__WORKER__DAEMON="False",
                        DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED="False")  # as docs/registry_scale.md advises

    @property
    def scheduler(self) -> str:
        return f"tcp://{self.net.ip('soak-sched')}:8786"

    def start(self, role: str, cmd: list[str]) -> subprocess.Popen:
        with open(self.logs / f"{role}.log", "a") as log:
            proc = subprocess.Popen([*self.net.prefix(self.machine(role)), "nice", "-n", "19", *cmd], env=self.env,
                                    stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                                    preexec_fn=default_interrupt)
        self.procs[role] = proc
        save_state(self)
        return proc

    def machine(self, role: str) -> str:
        return {"scheduler": "soak-sched", "client": "client"}.get(role) or f"soak-{role}"

    def start_scheduler(self) -> None:
        self.start("scheduler", [str(VENV / "dask"), "scheduler", "--host", self.net.ip("soak-sched"), "--port", "8786",
                                 "--no-dashboard"])

    def start_worker(self, k: int) -> None:
        role = f"w{k}"
        self.start(role, [str(VENV / "dask"), "worker", self.scheduler, "--nthreads", "1", "--nworkers", "1",
                          "--host", self.net.ip(f"soak-{role}"), "--name", role, "--no-dashboard"])

    def kill(self, role: str, sig: int = signal.SIGKILL) -> None:
        """The whole machine's processes at once (its process group): as a machine that dies."""
        proc = self.procs[role]
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        self.reap(role)

    def reap(self, role: str, wait: bool = True) -> int | None:
        """The exit status of ``role``'s process once it has ended (waiting for it, or not), noting
        the CPU time of its tree (itself and every descendant it reaped); None while it runs."""
        proc = self.procs[role]
        pid, status, usage = os.wait4(proc.pid, 0 if wait else os.WNOHANG)
        if pid == 0:
            return None
        del self.procs[role]
        self.last_exit = os.waitstatus_to_exitcode(status)
        self.usage[role] = self.usage.get(role, 0.0) + usage.ru_utime + usage.ru_stime
        save_state(self)
        return os.waitstatus_to_exitcode(status)

    def alive(self, role: str) -> bool:
        return role in self.procs and self.reap(role, wait=False) is None

    def stop_all(self) -> None:
        for role in list(self.procs):
            self.kill(role, signal.SIGTERM if role != "client" else signal.SIGINT)


def default_interrupt() -> None:
    """Ctrl-C (SIGINT) as a terminal gives it: a shell ignores it in commands it starts in the
    background (``cmd &``), and a Python started with it ignored never raises KeyboardInterrupt."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def save_state(machines: Machines) -> None:
    STATE.write_text(json.dumps({"pids": [p.pid for p in machines.procs.values()]}))


# -- sampling -----------------------------------------------------------------------------------
def role_of(proc: psutil.Process, roots: dict[int, str], pg: set[int]) -> str | None:
    if proc.pid in pg:
        return "postgres"
    if proc.pid in roots:
        return roots[proc.pid] + ("" if roots[proc.pid] in ("client", "scheduler") else " nanny")
    try:
        chain = [proc, *proc.parents()]
    except psutil.Error:
        return None
    for depth, ancestor in enumerate(chain):
        if ancestor.pid in roots:
            root = roots[ancestor.pid]
            cmd = " ".join(proc.cmdline())
            if "resource_tracker" in cmd:
                return f"{root} other"
            if root == "client":
                return "client child"
            return f"{root} {'dask-worker' if depth == 1 else 'isolation'}"
    return None


class Sampler(threading.Thread):
    def __init__(self, machines: Machines, url: str, every: float) -> None:
        super().__init__(daemon=True)
        self.machines, self.url, self.every = machines, url, every
        self.samples: list[dict] = []
        self.started = time.time()
        self.done = threading.Event()
        self.stored = 0
        self.cpu_live: dict[int, tuple[str, float]] = {}  # pid -> (role, CPU s) of processes seen alive

    def run(self) -> None:
        import psycopg

        conn = psycopg.connect(self.url, autocommit=True)
        while not self.done.is_set():
            roots = {p.pid: role for role, p in self.machines.procs.items()}
            pg = set(pg_pids())
            rss: dict[str, list[int]] = {}
            for pid in [*roots, *pg]:
                try:
                    procs = [psutil.Process(pid)]
                    if pid in roots:
                        procs += psutil.Process(pid).children(recursive=True)
                except psutil.Error:
                    continue
                for proc in procs:
                    role = role_of(proc, roots, pg)
                    try:
                        mem = proc.memory_info().rss // 2**20
                        times = proc.cpu_times()
                    except psutil.Error:
                        continue
                    if role:
                        rss.setdefault(role, []).append(mem)
                        self.cpu_live[proc.pid] = (role, times.user + times.system)
            with contextlib.suppress(Exception):  # the schema is made by the first client
                self.stored = conn.execute("SELECT COUNT(*) FROM results").fetchone()[0]
            self.samples.append({"t": round(time.time() - self.started), "load": os.getloadavg()[0],
                                 "stored": self.stored, "rss_mib": {k: sorted(v, reverse=True) for k, v in rss.items()}})
            self.done.wait(self.every)
        conn.close()


# -- the run ------------------------------------------------------------------------------------
def digest(path: str) -> str:
    from disclosure_check.read.extract import file_digest

    return file_digest(Path(path))


def client_cmd(manifest: Path, scheduler: str, url: str) -> list[str]:
    return [sys.executable, "-m", "disclosure_check", "score", "--manifest", str(manifest), "--engine", "dask",
            "--cluster", scheduler, "--db", url, "--model", str(ROOT / "models" / "default"), "-q"]


def wait_until(sampler: Sampler, stored: int, machines: Machines, deadline: float) -> bool:
    """Until ``stored`` documents are in the database; False when the client ended or time ran out first."""
    while sampler.stored < stored:
        if not machines.alive("client") or time.time() > deadline:
            return False
        time.sleep(2)
    return True


def soak(args: argparse.Namespace) -> dict:
    sys.path.insert(0, str(ROOT / "src"))
    manifest = args.docs / "manifest.csv"
    with open(manifest, newline="") as handle:
        paths = [row["path"] for row in csv.DictReader(handle)]
    if args.limit:
        paths = paths[:args.limit]
        manifest = args.docs / f"manifest-{args.limit}.csv"
        with open(args.docs / "manifest.csv", newline="") as src, open(manifest, "w", newline="") as dst:
            rows = list(csv.reader(src))
            csv.writer(dst).writerows(rows[:args.limit + 1])
    n = len(paths)
    logs = Path(args.logs)
    logs.mkdir(parents=True, exist_ok=True)
    net = Net(args.workers, args.loopback)
    net.up()
    url = pg_start(net, args.port)
    if args.fresh:
        import psycopg

        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS soak WITH (FORCE)")
            conn.execute("CREATE DATABASE soak")
    machines = Machines(net, logs)
    machines.start_scheduler()
    time.sleep(3)
    for k in range(1, args.workers + 1):
        machines.start_worker(k)
    sampler = Sampler(machines, url, args.every)
    sampler.start()
    started = time.time()
    deadline = started + args.time_box
    events: list[dict] = []

    def event(what: str) -> None:
        events.append({"t": round(time.time() - started), "stored": sampler.stored, "event": what})
        print(json.dumps(events[-1]), flush=True)

    runs = []
    cmd = client_cmd(manifest, machines.scheduler, url)
    finished = False
    try:
        machines.start("client", cmd)
        event("client started")
        if args.kill_worker_at and wait_until(sampler, int(n * args.kill_worker_at), machines, deadline):
            machines.kill("w1")
            event("worker w1 killed (its nanny, Dask worker and isolation process, SIGKILL)")
            if wait_until(sampler, sampler.stored + max(10, n // 50), machines, deadline):
                machines.start_worker(1)
                event("worker w1 started again")
        if args.kill_client_at and wait_until(sampler, int(n * args.kill_client_at), machines, deadline):
            machines.kill("client")
            event("client killed (SIGKILL)")
            runs.append("killed")
            time.sleep(5)
            machines.start("client", cmd)
            event("client started again (the same command)")
        while machines.alive("client") and time.time() < deadline:
            time.sleep(2)
        if machines.alive("client"):
            machines.kill("client", signal.SIGINT)
            event("time box reached: client stopped with Ctrl-C (SIGINT)")
            runs.append("stopped")
        else:
            code = machines.last_exit
            event(f"client finished, exit {code}")
            runs.append(f"exit {code}")
            finished = True
    finally:
        elapsed = time.time() - started
        time.sleep(args.every + 1)
        sampler.done.set()
        sampler.join()
        for role in [r for r in machines.procs if r != "client"]:
            machines.kill(role, signal.SIGTERM)  # nannies and the scheduler end their trees; wait4 counts them
        if "client" in machines.procs:
            machines.kill("client", signal.SIGINT)
    report = {"documents_planned": n, "workers": args.workers, "topology": "loopback" if args.loopback else
              "network namespaces on a bridge", "elapsed_s": round(elapsed), "finished": finished, "runs": runs,
              "events": events, "machine": {"cpus": os.cpu_count(), "memory_gib": round(psutil.virtual_memory().total / 2**30, 1)}}
    report.update(database(url, paths))
    cpu: dict[str, float] = {}  # each process's own CPU when last sampled, summed by role
    for role, seconds in sampler.cpu_live.values():
        cpu[role] = cpu.get(role, 0.0) + seconds
    total = sum(cpu.values())
    report["cpu_seconds"] = {k: round(v, 1) for k, v in sorted(cpu.items())}
    report["cpu_seconds_process_trees_reaped"] = {k: round(v, 1) for k, v in machines.usage.items()}
    stored, pages = report["stored_results"], report["stored_pages"]
    report["documents_per_minute"] = round(stored / (elapsed / 60), 1)
    report["cpu_seconds_per_document"] = round(total / max(stored, 1), 3)
    report["cpu_seconds_per_page"] = round(total / max(pages, 1), 4)
    loads = [s["load"] for s in sampler.samples]
    report["load_average_1min"] = {"min": min(loads), "median": sorted(loads)[len(loads) // 2], "max": max(loads)}
    report["memory"] = memory_summary(sampler.samples)
    report["samples"] = sampler.samples
    if args.dashboard:
        report["dashboard"] = dashboard(url)
    pg_stop()
    net.down()
    return report


def database(url: str, paths: list[str]) -> dict:
    """Rows per table and per document, the database's size, and the exactly-once check."""
    import psycopg

    with psycopg.connect(url) as conn:
        rows = {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}
        stored = rows["results"]
        size = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
        tables = {t: conn.execute("SELECT pg_total_relation_size(%s)", (t,)).fetchone()[0] for t in TABLES}
        per_doc = dict(conn.execute("SELECT doc_id, COUNT(*) FROM results GROUP BY doc_id").fetchall())
        statuses = dict(conn.execute("SELECT COALESCE(error_code, status), COUNT(*) FROM results GROUP BY 1").fetchall())
        pages = conn.execute("SELECT COALESCE(SUM(d.pages), 0) FROM documents d JOIN results r USING (doc_id)").fetchone()[0]
    wanted = [digest(p) for p in paths]
    missing = [p for p, d in zip(paths, wanted, strict=False) if d not in per_doc]
    return {"stored_results": stored, "stored_pages": int(pages), "statuses": statuses,
            "rows": rows, "rows_per_document": {t: round(c / max(stored, 1), 2) for t, c in rows.items()},
            "database_mib": round(size / 2**20, 1), "table_mib": {t: round(b / 2**20, 1) for t, b in tables.items()},
            "database_mib_per_1000_documents": round(size / 2**20 / max(stored, 1) * 1000, 1),
            "exactly_once": {"manifest_documents": len(paths), "distinct_contents": len(set(wanted)),
                             "stored_more_than_once": sum(1 for c in per_doc.values() if c > 1),
                             "missing": len(missing), "missing_first": missing[:5],
                             "stored_not_in_manifest": len(set(per_doc) - set(wanted))}}


def memory_summary(samples: list[dict]) -> dict:
    """Per role: RSS at the first and last quarter of the run and the peak (the largest process of that role)."""
    out: dict[str, dict] = {}
    roles = sorted({r for s in samples for r in s["rss_mib"]})
    for role in roles:
        series = [max(s["rss_mib"][role]) for s in samples if role in s["rss_mib"]]
        q = max(1, len(series) // 4)
        out[role] = {"samples": len(series), "first_quarter_median": sorted(series[:q])[len(series[:q]) // 2],
                     "last_quarter_median": sorted(series[-q:])[len(series[-q:]) // 2], "peak": max(series)}
    return out


def dashboard(url: str) -> dict:
    """The overview page cold and warm, and its query functions, on the soak's database (fresh processes)."""
    from dashboard_load import MEASURE, QUERIES, fresh

    return {"overview_apptest": fresh(MEASURE, url, str(ROOT / "app.py")), "query_functions": fresh(QUERIES, url)}


def down() -> None:
    if STATE.exists():
        for pid in json.loads(STATE.read_text())["pids"]:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)
        STATE.unlink()
    pg_stop()
    Net(0, False).down()


def to_markdown(r: dict) -> str:
    lines = [f"# Registry soak: {r['stored_results']:,} documents stored of {r['documents_planned']:,}", "",
             f"`score --engine dask --cluster` with {r['workers']} workers writing one PostgreSQL database; "
             f"{r['topology']}; {r['machine']['cpus']} CPUs shared with other jobs, everything under `nice -n 19`. "
             f"Finished: {r['finished']} (runs: {', '.join(r['runs'])}).", "",
             "| figure | value |", "|---|---|",
             f"| wall clock | {r['elapsed_s']} s |",
             f"| documents per minute (wall clock, shared machine) | {r['documents_per_minute']} |",
             f"| 1-min load average (min / median / max) | {r['load_average_1min']['min']} / "
             f"{r['load_average_1min']['median']} / {r['load_average_1min']['max']} |",
             f"| pages stored | {r['stored_pages']:,} |",
             f"| CPU s per document (all processes) | {r['cpu_seconds_per_document']} |",
             f"| CPU s per page (all processes) | {r['cpu_seconds_per_page']} |",
             f"| database size | {r['database_mib']} MiB ({r['database_mib_per_1000_documents']} MiB per 1,000 documents) |",
             f"| outcomes | {', '.join(f'{k}: {v}' for k, v in sorted(r['statuses'].items()))} |", "",
             "CPU seconds by process tree: " + ", ".join(f"{k} {v}" for k, v in r["cpu_seconds"].items()), "",
             "## Exactly once after the kills", "", "| check | value |", "|---|---|",
             *(f"| {k} | {v} |" for k, v in r["exactly_once"].items()), "",
             "Events: " + "; ".join(f"{e['t']} s ({e['stored']} stored): {e['event']}" for e in r["events"]), "",
             "## Memory (RSS MiB of the largest process of each role)", "",
             "| role | samples | first quarter median | last quarter median | peak |", "|---|---|---|---|---|",
             *(f"| {k} | {v['samples']} | {v['first_quarter_median']} | {v['last_quarter_median']} | {v['peak']} |"
               for k, v in r["memory"].items()), "",
             "## Rows and bytes", "", "| table | rows | rows per document | MiB |", "|---|---|---|---|",
             *(f"| {t} | {r['rows'][t]:,} | {r['rows_per_document'][t]} | {r['table_mib'][t]} |" for t in TABLES)]
    if "dashboard" in r:
        page = r["dashboard"]["overview_apptest"]
        lines += ["", "## Dashboard overview on the result", "",
                  f"Cold {page['cold_s']} s, warm {page['warm_s']} s, after a decision {page['after_a_decision_s']} s, "
                  f"peak {page['peak_rss_mb']} MB; Documents metric {page['documents_metric']}.", "",
                  "Query functions (s): " + ", ".join(f"{k} {v}" for k, v in r["dashboard"]["query_functions"].items())]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run")
    run.add_argument("--docs", type=Path, default=Path("/tmp/soak-docs"), help="a soak_docs.py folder (manifest.csv)")
    run.add_argument("--limit", type=int, default=0, help="only the manifest's first N documents")
    run.add_argument("--workers", type=int, default=2)
    run.add_argument("--port", type=int, default=55440)
    run.add_argument("--loopback", action="store_true", help="no namespaces: every process on 127.0.0.1")
    run.add_argument("--fresh", action="store_true", help="drop the soak database first")
    run.add_argument("--kill-worker-at", type=float, default=0.1, help="fraction stored when worker w1 is killed (0: never)")
    run.add_argument("--kill-client-at", type=float, default=0.2, help="fraction stored when the client is killed (0: never)")
    run.add_argument("--time-box", type=float, default=3600, help="seconds; then the client is stopped with Ctrl-C")
    run.add_argument("--every", type=float, default=5)
    run.add_argument("--no-dashboard", dest="dashboard", action="store_false")
    run.add_argument("--logs", default="/tmp/soak-logs")
    run.add_argument("--json", type=Path)
    run.add_argument("--md", type=Path)
    sub.add_parser("down")
    args = parser.parse_args()
    if args.command == "down":
        down()
        return
    try:
        report = soak(args)
    except BaseException:
        down()
        raise
    if args.json:
        args.json.write_text(json.dumps(report, indent=1) + "\n")
    if args.md:
        args.md.write_text(to_markdown(report))
    print(to_markdown(report))


if __name__ == "__main__":
    main()
