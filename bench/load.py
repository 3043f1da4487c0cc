"""How bench/pages.py asks a server for pages and reads what it cost: one keep-alive
connection for latency, wrk (Debian's `wrk`) to saturate the server, and the server
process's CPU time and memory from /proc.

CPU time per request (user + system of the server process over a run, divided by the
requests answered) is the figure that stays steady on a shared machine: the wall-clock
times move with whatever else runs, the CPU a request costs hardly does.
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import NamedTuple

# wrk's own summary has no p95 and counts non-2xx answers apart: this prints what we read.
WRK_REPORT = """
done = function(summary, latency, requests)
  io.write(string.format("TAFEL-WRK %d %d %d %d %.3f %.3f %.3f\\n",
    summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000))
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, proc: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server on port {port} stopped (exit {proc.returncode})")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"nothing answered on port {port}")


def start(cmd, port, env=None, cwd=None) -> subprocess.Popen:
    proc = subprocess.Popen(
        cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    wait_for(port, proc)
    return proc


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


# The Host every request names (TAFEL_BENCH_HOST; bench/pages.py --host): a federation
# answers each organisation on its own host.
HOST = os.environ.get("TAFEL_BENCH_HOST", "")


class Client:
    """One keep-alive HTTP/1.1 connection with a cookie."""

    def __init__(self, port: int, cookie: str = ""):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.cookie = cookie

    def request(self, method: str, path: str, body: str | None = None):
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if HOST:  # one organisation of several: its host name (issue 24)
            headers["Host"] = HOST
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        return response.status, data

    def get(self, path: str) -> bytes:
        status, data = self.request("GET", path)
        if status != 200:
            raise SystemExit(f"GET {path} answered {status}")
        return data


class Latency(NamedTuple):
    p50: float  # ms
    p95: float  # ms
    size: int  # bytes of the answer
    cpu: float  # server CPU ms per request (0 when no pid was given)


def one_connection(port: int, cookie: str, path: str, rounds: int, pid: int | None = None):
    """Latency at one connection: `rounds` requests after two warm-ups (at least 5 in about
    20 s for slow pages), with the server's CPU per request when `pid` is given."""
    client = Client(port, cookie)
    size = len(client.get(path))
    client.get(path)
    cpu = cpu_seconds(pid) if pid else 0.0
    times = []
    give_up = time.perf_counter() + 20
    for _ in range(rounds):
        if len(times) >= 5 and time.perf_counter() > give_up:
            break
        begin = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - begin) * 1000)
    cpu_ms = (cpu_seconds(pid) - cpu) * 1000 / len(times) if pid else 0.0
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return Latency(statistics.median(times), p95, size, cpu_ms)


class Load(NamedTuple):
    rps: float
    p50: float  # ms, under that load
    p95: float
    cpu: float  # server CPU ms per request
    requests: int
    client: str  # "wrk" or "python"


def saturate(port: int, cookie: str, path: str, seconds: float, pid: int | None,
             wrk: str = "", connections: int = 8) -> Load:  # fmt: skip
    """Requests per second with `connections` asking at once for `seconds`: wrk when it is
    there (one thread of C keeps a one-process Python server busy), else Python threads
    (which on two cores take CPU from the server: the req/s is then a floor)."""
    cpu = cpu_seconds(pid) if pid else 0.0
    if wrk:
        load = _wrk(wrk, port, cookie, path, seconds, connections)
    else:
        load = _threads(port, cookie, path, seconds, connections)
    if pid and load.requests:
        load = load._replace(cpu=(cpu_seconds(pid) - cpu) * 1000 / load.requests)
    return load


def _wrk(wrk, port, cookie, path, seconds, connections) -> Load:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_REPORT)
    try:
        cmd = [wrk, "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "60s",
               "-s", script.name, *(["-H", f"Cookie: {cookie}"] if cookie else []),
               *(["-H", f"Host: {HOST}"] if HOST else []),
               f"http://127.0.0.1:{port}{path}"]  # fmt: skip
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(script.name)
    found = re.search(r"TAFEL-WRK (\d+) (\d+) (\d+) (\d+) ([\d.]+) ([\d.]+) ([\d.]+)", out)
    if found is None:
        raise SystemExit(f"wrk said nothing we can read:\n{out}")
    requests, micros, bad, broken = (int(found.group(i)) for i in range(1, 5))
    if bad or broken:
        raise SystemExit(f"GET {path} under load: {bad} answers not 2xx/3xx, {broken} errors")
    p50, p95 = float(found.group(5)), float(found.group(6))
    return Load(requests / (micros / 1e6), p50, p95, 0.0, requests, "wrk")


def _threads(port, cookie, path, seconds, connections) -> Load:
    done = [[] for _ in range(connections)]
    stop_at = time.perf_counter() + seconds

    def run(i):
        client = Client(port, cookie)
        while time.perf_counter() < stop_at:
            begin = time.perf_counter()
            client.get(path)
            done[i].append((time.perf_counter() - begin) * 1000)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(connections)]
    begin = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    times = sorted(t for each in done for t in each)
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))] if times else 0.0
    rps = len(times) / (time.perf_counter() - begin)
    return Load(rps, statistics.median(times) if times else 0.0, p95, 0.0, len(times), "python")
