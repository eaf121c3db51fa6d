"""Real concurrency in tests: work in other threads, each on its own database connection,
whose transactions stay open while the test checks what they hold (locks, rows)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import connections, transaction
from django.utils import translation

WAIT = 10  # seconds a thread or the test waits for the other before giving up


@contextmanager
def held_transactions(wait: float = WAIT) -> Iterator[Callable[[Callable[[], object]], None]]:
    """Yields `hold(work)`: runs `work()` in a new thread's transaction and returns once it has
    run, leaving that transaction open (its locks held, its rows uncommitted) until the block
    ends; then every transaction commits and its thread closes its connection. The threads
    speak English, like the tests. Fails the test if `work` does not finish within `wait`."""
    release = threading.Event()
    threads: list[threading.Thread] = []

    def hold(work: Callable[[], object]) -> None:
        done = threading.Event()

        def run():
            translation.activate("en")
            try:
                with transaction.atomic():
                    work()
                    done.set()
                    release.wait(timeout=4 * wait)
            finally:
                connections.close_all()

        thread = threading.Thread(target=run)
        thread.start()
        threads.append(thread)
        assert done.wait(timeout=wait), "the work in the other thread did not finish in time"

    try:
        yield hold
    finally:
        release.set()
        for thread in threads:
            thread.join(timeout=wait)


def in_threads(target, arguments: list[tuple]) -> list:
    """Run target(*args) for each args in its own thread and connection, all released at the
    same instant (a barrier); returns what each raised, in order (None for those that did not).
    The threads speak English, like the tests."""
    barrier = threading.Barrier(len(arguments))
    raised: list = [None] * len(arguments)

    def run(index, args):
        translation.activate("en")
        try:
            barrier.wait(timeout=WAIT)
            target(*args)
        except Exception as exc:  # reported to the test
            raised[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(arguments)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=4 * WAIT)
    return raised
