"""Serve the dashboard for `make run`: start Streamlit on loopback, say where it is once it answers,
and keep it running until Ctrl-C. With --smoke (CI's proof of the README's first command), stop
once the server answers and the Overview renders for a local browser without an exception.

Usage: python scripts/serve.py --port 8501 --db data/disclosure_check.db [--smoke]
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
READY_SECONDS = 180  # a cold start on a small machine imports spaCy, pandas and Streamlit


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def wait_until_ready(server: subprocess.Popen, base: str) -> None:
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the dashboard stopped before it answered (exit status {server.returncode})")
        if answers(f"{base}/_stcore/health") and answers(f"{base}/"):
            return
        time.sleep(1)
    raise SystemExit(f"the dashboard did not answer on {base} within {READY_SECONDS} s")


def overview_renders(db: str) -> None:
    """The Overview as a browser on this machine sees it (local mode: no accounts), through the
    same script the server runs; any exception, shown or caught by the page guard, fails."""
    from streamlit.testing.v1 import AppTest

    os.environ["DISCLOSURE_CHECK_DB"] = db
    os.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    problems = [str(e.value) for e in at.exception] + [e.value for e in at.error if "Something went wrong" in e.value]
    if problems:
        raise SystemExit("the Overview failed to render: " + "; ".join(problems))
    titles = [t.value for t in at.title]
    if "Overview" not in titles:
        raise SystemExit(f"the first page is not the Overview (titles: {titles})")
    metrics = {m.label: m.value for m in at.metric}
    print(f"smoke: the Overview renders ({', '.join(f'{k}: {v}' for k, v in metrics.items())})", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8501)
    parser.add_argument("--address", default="127.0.0.1", help="where to listen (default: this machine only)")
    parser.add_argument("--db", default="data/disclosure_check.db")
    parser.add_argument("--smoke", action="store_true", help="stop once the dashboard answers and the Overview renders")
    args = parser.parse_args()
    env = {**os.environ, "DISCLOSURE_CHECK_DB": args.db}
    streamlit = Path(sys.executable).with_name("streamlit")
    server = subprocess.Popen(
        [str(streamlit), "run", str(ROOT / "app.py"), "--server.headless=true", "--browser.gatherUsageStats=false",
         f"--server.port={args.port}", f"--server.address={args.address}"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL if args.smoke else None, stderr=subprocess.STDOUT)
    base = f"http://{'localhost' if args.address in ('127.0.0.1', 'localhost') else args.address}:{args.port}"
    try:
        wait_until_ready(server, base)
        print(f"\nThe dashboard is running: open {base}/ in a browser on this machine (Ctrl-C stops it).\n",
              flush=True)
        if args.smoke:
            overview_renders(args.db)
            return 0
        return server.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(15)
            except subprocess.TimeoutExpired:
                server.kill()


if __name__ == "__main__":
    sys.exit(main())
