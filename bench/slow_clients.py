"""Do slow clients stall the site? Open some connections that send half a request and then wait, then time a
normal page from another client, under gunicorn's sync worker (for comparison) and the asyncio worker that
production uses (gunicorn.conf.py).

    make demo                                   # a database with the demo register (SQLite is fine)
    .venv/bin/python bench/slow_clients.py      # --slow 3 --workers 1 --path /

Prints, for each worker class, how long the normal request took (or that it got no answer within --patience).
"""

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(port, deadline=60):
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"The server on port {port} did not start")


def start(worker_class, port, workers):
    app = "portal.asgi:application" if worker_class == "asgi" else "portal.wsgi:application"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "portal.settings.dev")}
    command = [sys.executable, "-m", "gunicorn", app, "-c", str(ROOT / "gunicorn.conf.py"), "--bind",
               f"127.0.0.1:{port}", "--workers", str(workers), "--worker-class", worker_class, "--timeout", "120",
               "--access-logfile", "/dev/null"]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def slow_client(port):
    """Headers of a 10 kB POST and the first few bytes of its body, then nothing."""
    conn = socket.create_connection(("127.0.0.1", port))
    conn.sendall(
        b"POST /feedback/1/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: 10000\r\n\r\ncomment=I am typing very slowly"
    )
    return conn


def timed_get(port, path, patience):
    started = time.monotonic()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=patience) as response:
            response.read()
            return response.status, time.monotonic() - started
    except OSError:
        return None, time.monotonic() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slow", type=int, default=3, help="slow clients to open")
    parser.add_argument("--workers", type=int, default=1, help="gunicorn worker processes")
    parser.add_argument("--path", default="/", help="the normal page to time")
    parser.add_argument("--patience", type=float, default=10.0, help="seconds to wait for the normal page")
    parser.add_argument("--worker-class", action="append", help="default: sync, then asgi")
    args = parser.parse_args()
    results = []
    for worker_class in args.worker_class or ["sync", "asgi"]:
        port = free_port()
        server = start(worker_class, port, args.workers)
        try:
            wait_until_up(port)
            baseline = timed_get(port, args.path, args.patience)
            slow = [slow_client(port) for _ in range(args.slow)]
            time.sleep(0.5)  # let the server take the slow connections first
            status, seconds = timed_get(port, args.path, args.patience)
            for conn in slow:
                conn.close()
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        answer = f"{status} in {seconds:.3f} s" if status else f"no answer within {args.patience:.0f} s"
        results.append((worker_class, f"{baseline[1]:.3f} s", answer))
    print(f"{args.slow} slow clients, {args.workers} worker process(es), GET {args.path}")
    print(f"{'worker':8} {'alone':>9}  with slow clients")
    for worker_class, alone, answer in results:
        print(f"{worker_class:8} {alone:>9}  {answer}")


if __name__ == "__main__":
    main()
