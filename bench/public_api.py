"""Public reads under load: every public page and API read of Saylau against a bare Django look-up.

    python bench/public_api.py                # 2,000 stations, 20,000 addresses, 3 s a row
    python bench/public_api.py --full         # 10,223 stations, 1,000,000 addresses, 10 s a row
    python bench/public_api.py --stations 300 --addresses 3000 --seconds 1 --only station
    python bench/public_api.py --soak 10      # 10 minutes of the mix of public reads
    make bench BENCH_ARGS="--clients 64"      # through the embedded services

Runs with the services of `make bench` / `python -m core.devstack exec`, or those DATABASE_URL and
REDIS_URL name, at 32 clients by default. It builds a database of its own next to DATABASE_URL's
(<name>_bench): migrated, the demo (`load_demo`), then the national registry of bench/registry.py,
the one bench/address_lookup.py measures (--full: 10,223 stations, 77 of them abroad, in the demo's
20 regions; territories with 1,000,000 addresses; published decisions that change one station's
hours in 20). It serves Saylau with `gunicorn -c config/gunicorn.conf.py config.wsgi:application`
as `make run` and docker-compose do (WEB_WORKERS, WEB_THREADS etc. from the environment), serves
the baseline (bench/baseline_wsgi.py) and the floor (bench/floor_wsgi.py: the baseline's look-up
behind Saylau's settings and middleware, the most an uncached read can reach) with the same
gunicorn settings, and drives them with wrk (Debian's package, installed here if missing) so the
client costs the server little CPU. bench/paths.lua rotates each row over many paths (200 stations,
commissions ...) and counts non-2xx answers; the station finder's rows (typeahead, the API's
typeahead and look-up by address, the finder, the station pages, the changed-hours lists) rotate
over streets, addresses and stations of the registry (see `public_rows`).

Each warm row is measured after a warm-up over its paths, and just after every one of its paths has
been read once (`fill_cache`: cached entries expire during a long run); each cold row adds a unique
query parameter to every request (`_bench=...`), so that every request misses a cache keyed on the
query string. The public API's single-row reads (station, region, commission) are measured once more
on a second Saylau server with the cache of public reads off (PUBLIC_CACHE_ENABLED=false, the
"uncached" rows): what a read costs that no cache answers, without the cache's own look-up and store
that a cold row adds. The table gives req/s, p50/p99, errors (non-2xx by status, and socket errors),
the answers that missed Saylau's cache (its X-Saylau-Cache header: a warm row should have next to
none) and the ratio to the bare look-up, measured every few rows of the same run (the mean of the
measurements just before and after the row).

--soak MINUTES drives the mix of all public reads at the clients given, in 10 s runs of wrk,
sampling after each the server processes' memory (RSS of gunicorn's master and workers) and the
PostgreSQL connections to the bench database, and reports errors, the most connections and the
memory at the first and last sample.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.registry import FULL_ADDRESSES, FULL_STATIONS  # noqa: E402
from polling.addresses import STREET_TYPE_WORDS  # noqa: E402  (plain Python, no Django setup)

LUA = ROOT / "bench" / "paths.lua"
GUNICORN_CONF = "config/gunicorn.conf.py"
STATS_DAY = "2023-03-07"  # a day of the demo's accreditations
BASELINE = "bare Django look-up (baseline)"
FLOOR = "the same look-up behind Saylau's middleware (floor)"
VERIFICATION = "badge verification page (kk)"  # never cached: no cold row
# The public API's single-row reads, also measured on a server with the cache off ("uncached").
SINGLE_ROW_READS = ("API station detail", "API region detail", "API commission detail")
# What voters type into the station finder's street box (Kazakh and Russian, current and former).
STREET_QUERIES = ["%D0%90%D0%B1%D0%B0%D0%B9", "%D0%9B%D0%B5%D0%BD%D0%B8%D0%BD", "%D0%A2", "Abai"]
BASELINE_EVERY = 6  # rows (each warm and cold) between two measurements of the baseline
# Seconds between two rows: what a cold row left queued in the server finishes before the next
# row starts, instead of landing in that row's slowest answers (p99).
SETTLE_SECONDS = 1.0


# SERVICES AND SERVERS


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def services_env(key: str) -> str:
    """DATABASE_URL / REDIS_URL from the environment, else from the embedded services' file."""
    if os.environ.get(key):
        return os.environ[key]
    path = ROOT / "var" / "services.env"
    if path.exists():
        for line in path.read_text().splitlines():
            if line.startswith(key + "="):
                return line.split("=", 1)[1]
    raise SystemExit(f"{key} is not set: run through `make bench` or set it")


def conninfo(url: str, dbname: str) -> dict:
    import environ

    cfg = environ.Env.db_url_config(url)
    return {
        "dbname": dbname,
        "user": cfg["USER"] or None,
        "host": unquote(cfg["HOST"]) or None,
        "port": cfg["PORT"] or None,
        "password": cfg["PASSWORD"] or None,
    }


def bench_env(database_url: str, bench_db: str) -> dict[str, str]:
    """The served app's environment: production settings, throttle out of the way."""
    return {
        **os.environ,
        "DATABASE_URL": database_url.rsplit("/", 1)[0] + "/" + bench_db,
        "REDIS_URL": services_env("REDIS_URL"),
        "DEBUG": "false",
        "SECRET_KEY": "bench-" + "x" * 50,
        "PUBLIC_BASE_URL": "https://saylau.example.kz",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "API_ANON_RATE": "100000000/second",
        "LOG_LEVEL": "WARNING",
        "WEB_LOG_LEVEL": os.environ.get("WEB_LOG_LEVEL", "warning"),
        "DEMO_PASSWORD": "bench-demo-password",
    }


def prepare(env: dict[str, str], admin: dict, bench_db: str, stations: int, addresses: int):
    """A fresh bench database: migrated, the demo, the static files, then the national registry
    of bench/registry.py (shared with bench/address_lookup.py) with `stations` and `addresses`."""
    started = time.perf_counter()
    with psycopg.connect(**admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{bench_db}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{bench_db}"')
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    subprocess.run([*manage, "load_demo"], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)
    seed = ["-m", "bench.registry", f"--stations={stations}", f"--addresses={addresses}"]
    out = subprocess.run(
        [sys.executable, *seed], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    with psycopg.connect(**{**admin, "dbname": bench_db}, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    print(f"prepared {bench_db} in {time.perf_counter() - started:.0f} s: {out.strip()}")


def serve(app: str, env: dict[str, str], port: int, ready_path: str = "/") -> subprocess.Popen:
    """gunicorn with config/gunicorn.conf.py, as `make run` and docker-compose serve Saylau."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", GUNICORN_CONF, app],
        env={**env, "WEB_BIND": f"127.0.0.1:{port}"},
        cwd=ROOT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{app} exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{ready_path}", timeout=5):
                return proc
        except urllib.error.HTTPError as error:
            if error.code < 500:  # the baseline has no page at "/": it answers, so it is up
                return proc
        except OSError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"{app} did not start")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("installing wrk (apt-get install wrk) ...", flush=True)
        apt = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=apt)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, env=apt)
        found = shutil.which("wrk")
    if not found:
        raise SystemExit(
            "wrk is missing: install it (Debian/Ubuntu: `sudo apt-get install wrk`; "
            "macOS: `brew install wrk`) and run again"
        )
    return found


# LOAD


@dataclass
class Row:
    name: str
    paths: list[str]
    server: str = "saylau"  # or "baseline"
    cold: bool = False


@dataclass
class Result:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    non2xx: int
    statuses: dict[str, int]
    socket_errors: dict[str, int] = field(default_factory=dict)
    misses: int = 0  # answers that missed Saylau's cache (X-Saylau-Cache: miss)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        return self.non2xx + sum(self.socket_errors.values())

    def errors_text(self) -> str:
        if not self.requests:  # e.g. every worker restarting at once (WEB_MAX_REQUESTS)
            return "no answer in the row's time"
        if not self.errors:
            return "0"
        parts = [f"{n}×{status}" for status, n in sorted(self.statuses.items())]
        parts += [f"{n} {kind}" for kind, n in self.socket_errors.items() if n]
        return f"{self.errors} ({', '.join(parts)})"


class Load:
    """wrk with bench/paths.lua, one paths file a row."""

    def __init__(self, wrk: str, clients: int, workdir: Path):
        self.wrk, self.clients, self.workdir = wrk, clients, workdir
        self.runs = 0

    def run(self, port: int, paths: list[str], seconds: float, *, cold=False, clients=None):
        self.runs += 1
        paths_file = self.workdir / f"paths-{self.runs}.txt"
        paths_file.write_text("".join(p + "\n" for p in paths))
        clients = clients or self.clients
        extra = ["cold", f"{os.getpid()}x{time.time_ns()}"] if cold else []
        command = [
            self.wrk, f"-t{min(2, clients)}", f"-c{clients}", f"-d{max(1, round(seconds))}s",
            "--timeout", "10s", "-s", str(LUA), f"http://127.0.0.1:{port}",
            "--", str(paths_file), *extra,
        ]  # fmt: skip
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        line = next(x for x in out.splitlines() if x.startswith("WRK_JSON "))
        data = json.loads(line.removeprefix("WRK_JSON "))
        return Result(
            requests=data["requests"],
            seconds=data["duration_us"] / 1e6,
            p50_ms=data["p50_us"] / 1000,
            p99_ms=data["p99_us"] / 1000,
            max_ms=data["max_us"] / 1000,
            non2xx=data["non2xx"],
            statuses=data["statuses"],
            misses=data.get("misses", 0),
            socket_errors={k: data[k] for k in ("connect", "read", "write", "timeout")},
        )


def get_status(port: int, path: str) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def fill_cache(port: int, paths: list[str]) -> None:
    """Every path once, 8 at a time, just before a warm row is measured: a row's paths may be
    many (200 station pages), each missing the cache once costs what a cold request does, and
    entries live PUBLIC_CACHE_TIMEOUT seconds (300), less than a --full run, so the warm-up at
    the start of the run does not keep a row measured 15 minutes later warm."""
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda path: get_status(port, path), dict.fromkeys(paths)))


def check_paths(port: int, rows: list[Row]) -> None:
    """Each row's first paths answer 200 before anything is measured: a row of 404s or redirects
    would measure nothing."""
    for row in rows:
        for path in row.paths[:3]:
            status = get_status(port, path)
            if status != 200:
                raise SystemExit(f"{row.name}: GET {path} answered {status}, not 200")


# WHAT IS READ


def public_rows(bench: dict) -> list[Row]:
    """Every public read, warm, and cold for each page that may be cached (all but the
    never-cached verification page and the baseline). The finder's reads rotate over what the
    bench database holds (bench/registry.py): the start of streets' names (current and former,
    Kazakh and Russian) and whole names, addresses some station serves (a building in a range,
    a single building, a village), stations (one in four with changed hours) and the regions."""
    rng = random.Random(19032023)
    with psycopg.connect(**bench) as conn:
        (election,) = conn.execute(
            "SELECT id FROM commissions_election"
            " WHERE kind = 'mazhilis' AND election_day = '2023-03-19'"
        ).fetchone()
        changed = conn.execute(
            "SELECT DISTINCT ds.pollingstation_id FROM polling_votinghoursdecision_stations ds"
            " JOIN polling_votinghoursdecision d ON d.id = ds.votinghoursdecision_id"
            " WHERE d.election_id = %s AND d.status = 'published'",
            [election],
        ).fetchall()
        stations = conn.execute(
            "SELECT id, region_id FROM polling_pollingstation ORDER BY random() LIMIT 200"
        ).fetchall()
        commissions = [
            r[0]
            for r in conn.execute(
                "SELECT id FROM commissions_commission ORDER BY random() LIMIT 200"
            ).fetchall()
        ]
        regions = [r[0] for r in conn.execute("SELECT id FROM commissions_region ORDER BY id")]
        codes = [
            r[0]
            for r in conn.execute(
                "SELECT verification_code FROM observers_observer"
                " WHERE verification_code <> '' ORDER BY id LIMIT 200"
            )
        ]
        street_names = [
            r[0]
            for r in conn.execute("SELECT name FROM polling_streetname ORDER BY random() LIMIT 200")
        ]
        ranges = conn.execute(
            "SELECT street_id, number_from, number_to FROM polling_territoryrule"
            " WHERE kind = 'range' AND number_to IS NOT NULL ORDER BY random() LIMIT 170"
        ).fetchall()
        buildings = conn.execute(
            "SELECT street_id, building FROM polling_territoryrule"
            " WHERE kind = 'building' ORDER BY random() LIMIT 20"
        ).fetchall()
        villages = conn.execute(
            "SELECT locality_id FROM polling_territoryrule"
            " WHERE kind = 'locality' ORDER BY random() LIMIT 10"
        ).fetchall()
    changed_ids = [r[0] for r in rng.sample(changed, min(50, len(changed)))]
    page_ids = [s[0] for s in stations[:150]] + changed_ids
    rng.shuffle(page_ids)
    # What voters type: the start of a name without its "улица"/"көшесі" (3 letters or more:
    # many streets), or all of it.
    typed = []
    for n, name in enumerate(street_names):
        words = [w for w in name.split() if w.lower().strip(".") not in STREET_TYPE_WORDS]
        text = " ".join(words) or name
        typed.append(quote(text if n % 4 == 0 else text[: rng.randint(3, max(3, len(text)))]))
    typed += STREET_QUERIES
    addresses = [
        f"street={street}&building={rng.randrange(low, high + 1, 2)}"
        for street, low, high in ranges
    ]
    addresses += [f"street={street}&building={quote(building)}" for street, building in buildings]
    addresses += [f"locality={locality}" for (locality,) in villages]
    rng.shuffle(addresses)
    station_ids = [s[0] for s in stations]
    station_regions = sorted(({s[1] for s in stations} | set(regions)) - {None})
    day = f"election={election}&date={STATS_DAY}"
    api = "/api/v1"
    rows = [
        Row("API station detail", [f"{api}/polling-stations/{i}/" for i in station_ids]),
        Row(
            "API station list (50 a page)",
            [f"{api}/polling-stations/?region={r}&page_size=50" for r in station_regions],
        ),
        Row("API regions", [f"{api}/regions/"]),
        Row("API region detail", [f"{api}/regions/{r}/" for r in regions]),
        Row("API elections", [f"{api}/elections/"]),
        Row("API parties", [f"{api}/parties/"]),
        Row("API commission list", [f"{api}/commissions/?region={r}" for r in regions]),
        Row("API commission detail", [f"{api}/commissions/{i}/" for i in commissions]),
        Row("API nominating bodies", [f"{api}/nominating-bodies/"]),
        Row("API observers' statistics", [f"{api}/observers/stats/?{day}"]),
        Row("home page (kk)", ["/kk/"]),
        Row("observers' statistics page (kk)", [f"/kk/observers/stats/?{day}"]),
        Row("statistics CSV (kk)", [f"/kk/observers/stats.csv?{day}"]),
        Row("statistics JSON (kk)", [f"/kk/observers/stats.json?{day}"]),
        Row("accredited observers list (kk)", [f"/kk/observers/?election={election}"]),
        Row("revoked accreditations list (kk)", [f"/kk/observers/revoked/?election={election}"]),
        Row("station finder (kk)", ["/kk/polling/"]),
        Row("station finder, streets to choose (kk)", [f"/kk/polling/?street={q}" for q in typed]),
        Row("street typeahead (kk)", [f"/kk/polling/streets.json?q={q}" for q in typed]),
        Row("API street typeahead", [f"{api}/streets/?q={q}" for q in typed]),
        Row(
            "API station look-up by address",
            [f"{api}/polling-stations/lookup/?{a}" for a in addresses],
        ),
        Row(
            "station page (kk)",
            [f"/kk/polling/stations/{i}/?election={election}" for i in page_ids],
        ),
        Row(
            "stations with changed hours (kk)",
            [f"/kk/polling/changed-hours/?election={election}&region={r}" for r in regions]
            + [
                f"/kk/polling/changed-hours/?election={election}&region=abroad",
                f"/kk/polling/changed-hours/?election={election}",
            ],
        ),
        Row("stations CSV (kk)", [f"/kk/polling/stations.csv?election={election}"]),
        Row("stations JSON (kk)", [f"/kk/polling/stations.json?election={election}"]),
    ]
    if codes:
        rows.append(Row(VERIFICATION, [f"/kk/observers/verify/{c}/" for c in codes]))
    # The single-row reads with the cache of public reads off: what an uncached read costs
    # (the cold rows add the cache's own look-up and store to it).
    uncached = [
        Row(f"{row.name}, uncached", row.paths, server="uncached")
        for row in rows
        if row.name in SINGLE_ROW_READS
    ]
    baseline = Row(BASELINE, [f"/station/{i}" for i in station_ids], server="baseline")
    floor = Row(FLOOR, [f"/bench-floor/station/{i}" for i in station_ids], server="floor")
    return [baseline, floor, *rows, *uncached]


# REPORTS


def table(results: list[tuple[Row, Result, float]]) -> str:
    lines = [
        "| read | req/s | p50 ms | p99 ms | errors | cache misses | × baseline |",
        "|---|---:|---:|---:|---|---:|---:|",
    ]
    for row, r, baseline_rps in results:
        name = f"{row.name}, cold cache" if row.cold else row.name
        ratio = f"{r.rps / baseline_rps:.2f}" if baseline_rps else "-"
        lines.append(
            f"| {name} | {r.rps:,.0f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} | {r.errors_text()} "
            f"| {r.misses:,} | {ratio} |"
        )
    return "\n".join(lines)


def measure(load: Load, ports: dict[str, int], rows: list[Row], seconds: float, rounds: int):
    """Every row, warm and cold, with the baseline measured again every few rows: each row's
    ratio is to the mean of the baseline rows just before and just after it, so that a machine
    whose load changes during the run (other jobs) skews the ratios less."""
    check_paths(ports["saylau"], [r for r in rows if r.server == "saylau"])
    check_paths(ports["floor"], [r for r in rows if r.server == "floor"])
    check_paths(ports["uncached"], [r for r in rows if r.server == "uncached"])
    for row in rows:  # warm up every worker, connection and cache entry
        load.run(ports[row.server], row.paths, 1, clients=8)
    baseline, *others = rows
    plan = [baseline]
    for n, row in enumerate(others, 1):
        plan.append(row)
        if row.name != VERIFICATION and row.server == "saylau":
            plan.append(Row(row.name, row.paths, row.server, cold=True))
        if n % BASELINE_EVERY == 0 or n == len(others):
            plan.append(baseline)
    measured = []
    for row in plan:
        runs = []
        for _ in range(rounds):
            if row.server == "saylau" and not row.cold:
                fill_cache(ports[row.server], row.paths)
            time.sleep(SETTLE_SECONDS)
            runs.append(load.run(ports[row.server], row.paths, seconds, cold=row.cold))
        result = sorted(runs, key=lambda r: r.rps)[len(runs) // 2]
        measured.append((row, result))
        label = f"{row.name}{', cold' if row.cold else ''}"
        print(
            f"  {label:<48} {result.rps:8,.0f} req/s  p99 {result.p99_ms:6.1f} ms  "
            f"errors {result.errors_text()}  misses {result.misses:,}",
            flush=True,
        )
    baselines = [(i, r.rps) for i, (row, r) in enumerate(measured) if row.server == "baseline"]
    overall = statistics.mean(rps for _, rps in baselines)
    results = []
    for i, (row, result) in enumerate(measured):
        if row.server == "baseline":
            results.append((row, result, overall))
            continue
        before = max(rps_i for rps_i in baselines if rps_i[0] < i)[1]
        after = min(rps_i for rps_i in baselines if rps_i[0] > i)[1]
        results.append((row, result, (before + after) / 2))
    return results, overall


# SOAK


def process_tree(pid: int) -> dict[int, int]:
    """RSS in bytes of the process and its descendants, by pid."""
    try:
        import psutil
    except ImportError:
        return _proc_tree(pid)
    try:
        master = psutil.Process(pid)
        procs = [master, *master.children(recursive=True)]
    except psutil.NoSuchProcess:
        return {}
    rss = {}
    for proc in procs:
        with contextlib.suppress(psutil.NoSuchProcess):
            rss[proc.pid] = proc.memory_info().rss
    return rss


def _proc_tree(pid: int) -> dict[int, int]:
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo += [child for child, parent in parents.items() if parent == current]
    page = os.sysconf("SC_PAGE_SIZE")
    rss = {}
    for p in tree:
        with contextlib.suppress(OSError):
            rss[p] = int(Path(f"/proc/{p}/statm").read_text().split()[1]) * page
    return rss


def soak(load, port, server, rows, minutes, admin, bench_db, env) -> None:
    mix = [path for row in rows for path in row.paths[:20]]
    random.Random(7).shuffle(mix)
    limit = int(env.get("WEB_WORKERS") or 2) * int(env.get("WEB_THREADS") or 4)
    print(f"soak: {minutes:g} min, {load.clients} clients, {len(mix)} paths of {len(rows)} reads")
    print("| t s | req/s | p99 ms | errors | db connections | server RSS MB | workers |")
    print("|---:|---:|---:|---|---:|---:|---|")
    samples, workers_seen, total, errors = [], set(), 0, 0
    started = time.monotonic()
    with psycopg.connect(**admin, autocommit=True) as conn:
        while time.monotonic() - started < minutes * 60:
            result = load.run(port, mix, 10)
            connections = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [bench_db]
            ).fetchone()[0]
            rss = process_tree(server.pid)
            workers = sorted(set(rss) - {server.pid})
            workers_seen.update(workers)
            total += result.requests
            errors += result.errors
            samples.append((connections, sum(rss.values())))
            print(
                f"| {time.monotonic() - started:.0f} | {result.rps:,.0f} | {result.p99_ms:.1f} "
                f"| {result.errors_text()} | {connections} | {sum(rss.values()) / 2**20:.0f} "
                f"| {' '.join(map(str, workers))} |",
                flush=True,
            )
    first, last = samples[0][1] / 2**20, samples[-1][1] / 2**20
    print(
        f"\nsoak: {total:,} requests, {errors} errors; database connections at most "
        f"{max(c for c, _ in samples)} (bound {limit} = WEB_WORKERS × WEB_THREADS); "
        f"server RSS first {first:.0f} MB, last {last:.0f} MB, most "
        f"{max(m for _, m in samples) / 2**20:.0f} MB; {len(workers_seen)} worker processes seen"
    )


# MAIN


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--full",
        action="store_true",
        help="the national registry (10,223 stations, 1,000,000 addresses), 10 s a row",
    )
    parser.add_argument("--stations", type=int, help="stations to seed (default 2,000)")
    parser.add_argument(
        "--addresses", type=int, help="addresses in the territories (default 20,000)"
    )
    parser.add_argument("--seconds", type=int, help="seconds a row (default 3)")
    parser.add_argument("--rounds", type=int, default=1, help="runs a row; the median is shown")
    parser.add_argument("--clients", type=int, default=32, help="concurrent connections")
    parser.add_argument("--soak", type=float, metavar="MINUTES", help="soak instead of the table")
    parser.add_argument("--reuse", action="store_true", help="keep the bench database as it is")
    parser.add_argument(
        "--only", metavar="TEXT", help="only the reads whose name contains TEXT (and the baseline)"
    )
    args = parser.parse_args()
    stations = args.stations or (FULL_STATIONS if args.full else 2_000)
    addresses = args.addresses or (FULL_ADDRESSES if args.full else 20_000)
    seconds = args.seconds or (10 if args.full else 3)

    wrk = ensure_wrk()
    database_url = services_env("DATABASE_URL")
    bench_db = database_url.rsplit("/", 1)[1].split("?")[0] + "_bench"
    admin = conninfo(database_url, "postgres")
    env = bench_env(database_url, bench_db)
    if not args.reuse:
        prepare(env, admin, bench_db, stations, addresses)
    rows = public_rows({**admin, "dbname": bench_db})
    if args.only:
        rows = [
            r
            for r in rows
            if r.server in ("baseline", "floor") or args.only.lower() in r.name.lower()
        ]

    ports = {name: free_port() for name in ("baseline", "saylau", "floor", "uncached")}
    servers = []
    try:
        saylau = serve("config.wsgi:application", env, ports["saylau"], "/healthz")
        servers.append(saylau)
        with tempfile.TemporaryDirectory(prefix="saylau-bench-") as workdir:
            load = Load(wrk, args.clients, Path(workdir))
            if args.soak:
                saylau_rows = [r for r in rows if r.server == "saylau"]
                check_paths(ports["saylau"], saylau_rows)
                soak(load, ports["saylau"], saylau, saylau_rows, args.soak, admin, bench_db, env)
                return
            servers.append(serve("bench.baseline_wsgi:application", env, ports["baseline"]))
            servers.append(serve("bench.floor_wsgi:application", env, ports["floor"], "/healthz"))
            if any(r.server == "uncached" for r in rows):
                off = {**env, "PUBLIC_CACHE_ENABLED": "false"}
                servers.append(serve("config.wsgi:application", off, ports["uncached"], "/healthz"))
            print(
                f"{stations:,} stations, {addresses:,} addresses; {args.clients} clients; "
                f"{seconds:g} s a row; "
                f"gunicorn -c {GUNICORN_CONF} (WEB_WORKERS={env.get('WEB_WORKERS', '2')}, "
                f"WEB_THREADS={env.get('WEB_THREADS', '4')}) for both",
                flush=True,
            )
            results, baseline_rps = measure(load, ports, rows, seconds, args.rounds)
        print()
        print(table(results))
        print(
            f"\n× baseline: to the mean of the baseline rows just before and after the row "
            f"(baseline rows: to their mean, {baseline_rps:,.0f} req/s)"
        )
    finally:
        for proc in servers:
            stop(proc)


if __name__ == "__main__":
    main()
