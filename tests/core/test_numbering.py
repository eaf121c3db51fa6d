"""Lock namespaces and numbering under a lock: declared once, gap-free, no duplicate under
real concurrency (threads, each with its own connection), and namespaces that never hold each
other up."""

import time

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import OperationalError, connection, connections, models, transaction
from django.test.utils import isolate_apps

from core import jobs, locks
from core.locks import (
    lock_namespace,
    namespace_key,
    next_number,
    registered_namespaces,
    scope_key,
    session_lock,
    xact_lock,
)
from tests.concurrency import held_transactions, in_threads

TICKETS = lock_namespace("tests.numbering.tickets")
RECEIPTS = lock_namespace("tests.numbering.receipts")
WAIT = 10  # seconds a thread waits for another before the test gives up


@pytest.fixture
def ticket_model(transactional_db):
    """A numbered table of its own (scope, number unique together), created for the test and
    dropped after it, in an isolated app registry so no other test sees the model."""
    with isolate_apps("core"):

        class Ticket(models.Model):
            scope = models.IntegerField()
            number = models.IntegerField()

            class Meta:
                app_label = "core"
                db_table = "tests_numbering_ticket"
                constraints = [
                    models.UniqueConstraint(
                        fields=["scope", "number"], name="tests_numbering_ticket_unique"
                    )
                ]

            def __str__(self):
                return f"{self.scope}/{self.number}"

        with connection.schema_editor() as editor:
            editor.create_model(Ticket)
        try:
            yield Ticket
        finally:
            with connection.schema_editor() as editor:
                editor.delete_model(Ticket)


@pytest.fixture
def registry():
    """The declared namespaces, restored after a test that declares more."""
    saved = dict(locks._REGISTRY), dict(locks._BY_KEY)
    yield
    locks._REGISTRY.clear()
    locks._REGISTRY.update(saved[0])
    locks._BY_KEY.clear()
    locks._BY_KEY.update(saved[1])


def allocate(model, scope: int, fail: bool = False) -> None:
    """Take the scope's next number, wait a little (so a race without the lock would show),
    save it; `fail` rolls the transaction back after taking the number."""
    with transaction.atomic():
        number = next_number(
            TICKETS, scope, queryset=model.objects.filter(scope=scope), field="number"
        )
        time.sleep(0.05)
        model.objects.create(scope=scope, number=number)
        if fail:
            raise RuntimeError("the decision was withdrawn")


# THE REGISTRY


def test_a_namespace_key_is_stable_across_processes_and_releases():
    assert jobs.JOB_RUNS.key == namespace_key("core.job_run") == 561860568
    assert TICKETS.key == namespace_key("tests.numbering.tickets")
    assert -(2**31) <= TICKETS.key < 2**31


def test_the_registry_lists_every_declared_namespace():
    names = [namespace.name for namespace in registered_namespaces()]
    assert {"core.job_run", "tests.numbering.tickets", "tests.numbering.receipts"} <= set(names)
    assert names == sorted(names)


def test_a_namespace_declared_twice_is_refused(registry):
    with pytest.raises(ImproperlyConfigured, match="declared twice"):
        lock_namespace("core.job_run")


def test_a_name_whose_key_another_name_has_is_refused(registry):
    # Two names found to share a 32-bit key (a search over "tests.collision_<n>").
    assert namespace_key("tests.collision_66411") == namespace_key("tests.collision_93100")
    lock_namespace("tests.collision_66411")
    with pytest.raises(ImproperlyConfigured, match="has the key .* of 'tests.collision_66411'"):
        lock_namespace("tests.collision_93100")


def test_an_empty_namespace_name_is_refused(registry):
    with pytest.raises(ImproperlyConfigured):
        lock_namespace("")


@pytest.mark.django_db
def test_a_lock_in_an_undeclared_namespace_is_refused():
    stray = locks.LockNamespace("tests.numbering.stray", namespace_key("tests.numbering.stray"))
    with pytest.raises(ImproperlyConfigured, match="not declared"), xact_lock(stray, 1):
        pass


def test_a_primary_key_is_its_own_scope_and_a_composite_is_hashed():
    assert scope_key(42) == 42
    assert scope_key((3, 1)) == scope_key((3, 1))
    assert scope_key((3, 1)) != scope_key((1, 3))
    assert -(2**31) <= scope_key(2**40) < 2**31
    assert scope_key(2**40) != scope_key(2**40 + 1)


# NUMBERING


@pytest.mark.django_db
def test_numbers_start_at_one_and_follow_the_largest(ticket_model):
    with transaction.atomic():
        first = next_number(
            TICKETS, 1, queryset=ticket_model.objects.filter(scope=1), field="number"
        )
        ticket_model.objects.create(scope=1, number=first)
        ticket_model.objects.create(scope=1, number=7)  # a number given by hand
        after = next_number(
            TICKETS, 1, queryset=ticket_model.objects.filter(scope=1), field="number"
        )
    assert (first, after) == (1, 8)


@pytest.mark.django_db
def test_each_scope_counts_its_own_rows(ticket_model):
    for scope in (1, 1, 2):
        with transaction.atomic():
            query = ticket_model.objects.filter(scope=scope)
            ticket_model.objects.create(
                scope=scope, number=next_number(TICKETS, scope, queryset=query, field="number")
            )
    assert sorted(ticket_model.objects.values_list("scope", "number")) == [(1, 1), (1, 2), (2, 1)]


@pytest.mark.django_db
def test_numbering_outside_a_transaction_is_refused(ticket_model):
    with pytest.raises(RuntimeError, match="inside the transaction"):
        next_number(TICKETS, 1, queryset=ticket_model.objects.all(), field="number")


def test_concurrent_allocations_give_no_duplicate_and_no_gap(ticket_model):
    raised = in_threads(lambda: allocate(ticket_model, 1), [()] * 8)
    assert raised == [None] * 8
    numbers = sorted(ticket_model.objects.filter(scope=1).values_list("number", flat=True))
    assert numbers == list(range(1, 9))


def test_a_rolled_back_allocation_leaves_no_gap(ticket_model):
    fails = [False, True, False, True, False, False]
    raised = in_threads(lambda fail: allocate(ticket_model, 1, fail), [(f,) for f in fails])
    assert [isinstance(exc, RuntimeError) for exc in raised] == fails
    numbers = sorted(ticket_model.objects.filter(scope=1).values_list("number", flat=True))
    assert numbers == [1, 2, 3, 4]


def test_concurrent_scopes_number_independently(ticket_model):
    raised = in_threads(lambda scope: allocate(ticket_model, scope), [(1,), (2,)] * 3)
    assert raised == [None] * 6
    for scope in (1, 2):
        numbers = ticket_model.objects.filter(scope=scope).values_list("number", flat=True)
        assert sorted(numbers) == [1, 2, 3]


# LOCKS HOLD ONLY THEIR OWN NAMESPACE AND SCOPE


@pytest.fixture
def held_elsewhere(transactional_db):
    """Holds (namespace, scope) in another thread's open transaction until the test ends."""

    def take(namespace, scope):
        with xact_lock(namespace, scope):
            pass  # held until the other thread's transaction ends

    with held_transactions(WAIT) as hold:
        yield lambda namespace, scope: hold(lambda: take(namespace, scope))


def lock_within(namespace, scope, timeout="500ms") -> None:
    """Take the lock here, failing with OperationalError if it is not free within `timeout`."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{timeout}'")
        with xact_lock(namespace, scope):
            pass


def test_a_held_lock_makes_the_same_namespace_and_scope_wait(held_elsewhere):
    held_elsewhere(TICKETS, 1)
    with pytest.raises(OperationalError, match="lock timeout"):
        lock_within(TICKETS, 1)


def test_another_namespace_proceeds_while_one_is_held(held_elsewhere):
    held_elsewhere(TICKETS, 1)
    started = time.monotonic()
    lock_within(RECEIPTS, 1)
    assert time.monotonic() - started < 0.5


def test_another_scope_of_the_namespace_proceeds_while_one_is_held(held_elsewhere):
    held_elsewhere(TICKETS, 1)
    lock_within(TICKETS, 2)


def test_a_job_runs_lock_does_not_hold_up_numbering_with_the_same_key(held_elsewhere):
    held_elsewhere(TICKETS, 5)
    with session_lock(jobs.JOB_RUNS, 5) as acquired:
        assert acquired
    with session_lock(TICKETS, 5) as acquired:  # the same pair is held: refused without waiting
        assert not acquired


def test_a_lock_taken_inside_a_transaction_lasts_until_it_ends(held_elsewhere, transactional_db):
    other = connections.create_connection("default")
    try:
        with transaction.atomic():
            with xact_lock(RECEIPTS, 3):
                pass
            with other.cursor() as cursor:  # the block has ended, the transaction has not
                cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [RECEIPTS.key, 3])
                assert cursor.fetchone()[0] is False
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [RECEIPTS.key, 3])
            assert cursor.fetchone()[0] is True
    finally:
        other.close()
