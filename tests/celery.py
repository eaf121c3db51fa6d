"""A real Celery worker on the real Redis, for integration tests (never a mock of either).

    with real_worker():
        ...  # tasks queued here are run by a worker thread of this process
        wait_until(lambda: ...)

The `celery_app` fixture (tests/conftest.py) empties the queue before and after a test.
"""

from __future__ import annotations

import contextlib
import time


@contextlib.contextmanager
def real_worker():
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    with start_worker(
        app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=10
    ) as worker:
        yield worker


def wait_until(condition, timeout: float = 20.0, interval: float = 0.05):
    """Poll until `condition()` returns something true, and return it; fail after `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("timed out")
