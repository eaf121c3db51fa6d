"""A small closed-loop HTTP load generator (keep-alive connections in threads) for bench/ scripts.

It runs on the same 2 cores as the server, so absolute figures are low; the scripts compare
targets measured with this same client in the same run, and report ratios.
"""

from __future__ import annotations

import http.client
import threading
import time
from dataclasses import dataclass


@dataclass
class Result:
    name: str
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]

    def line(self, baseline: Result | None = None) -> str:
        ratio = f"  {self.rps / baseline.rps:5.2f}x baseline" if baseline and baseline.rps else ""
        return (
            f"{self.name:<40} {self.rps:8.0f} req/s  p50 {self.percentile(50):6.1f} ms  "
            f"p99 {self.percentile(99):6.1f} ms  errors {self.errors}{ratio}"
        )


def run(name: str, host: str, port: int, paths: list[str], *, clients: int, seconds: float):
    latencies: list[float] = []
    counts = {"ok": 0, "errors": 0}
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def worker(index: int) -> None:
        conn = http.client.HTTPConnection(host, port, timeout=10)
        mine: list[float] = []
        ok = errors = 0
        i = index
        while time.monotonic() < stop_at:
            path = paths[i % len(paths)]
            i += clients
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Accept-Language": "en"})
                response = conn.getresponse()
                response.read()
                if response.status == 200:
                    ok += 1
                    mine.append((time.perf_counter() - started) * 1000)
                else:
                    errors += 1
            except (OSError, http.client.HTTPException):
                errors += 1
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=10)
        conn.close()
        with lock:
            latencies.extend(mine)
            counts["ok"] += ok
            counts["errors"] += errors

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return Result(name, counts["ok"], counts["errors"], elapsed, latencies)


def median_result(results: list[Result]) -> Result:
    return sorted(results, key=lambda r: r.rps)[len(results) // 2]


__all__ = ["Result", "median_result", "run"]
