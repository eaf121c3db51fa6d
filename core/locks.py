"""Advisory locks in named namespaces, and gap-free numbering under them.

PostgreSQL's advisory locks take two 32-bit keys: here the first is a *namespace* (what is being
serialised: job runs, observers' accreditation numbers, resolution numbers…) and the second a
*scope* within it (a job, an election, a commission's session). Each namespace is declared once,
by name, where it is used:

    ACCREDITATION_NUMBERS = lock_namespace("observers.accreditation_number")

Its key is derived from the name (the first four bytes of its BLAKE2b digest, so the same in
every process and release); a second declaration of a name, or a name whose key another name
already has, is refused with `ImproperlyConfigured` when the module declaring it is imported.
Nobody picks lock numbers by hand, and two apps cannot share a lock by accident.

`xact_lock(namespace, scope)` holds a lock until the enclosing transaction ends (PostgreSQL's
`pg_advisory_xact_lock`), `session_lock` holds one for a block outside any transaction (a job
that commits as it goes), and `next_number` allocates the next number of a scope under its lock.
See https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS.
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Max, QuerySet

INT4_MIN, INT4_MAX = -(2**31), 2**31 - 1


@dataclass(frozen=True)
class LockNamespace:
    """A registered namespace: its name (`"<app>.<what>"`) and its 32-bit key."""

    name: str
    key: int

    def __str__(self) -> str:
        return f"{self.name} ({self.key})"


_REGISTRY: dict[str, LockNamespace] = {}  # name → namespace
_BY_KEY: dict[int, LockNamespace] = {}  # key → namespace


def _int4(text: str) -> int:
    """A stable signed 32-bit integer for `text` (BLAKE2b, not Python's per-process hash)."""
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=4).digest()
    return int.from_bytes(digest, "big", signed=True)


def namespace_key(name: str) -> int:
    """The key a namespace called `name` has (or would have): stable across processes."""
    return _int4("lock-namespace:" + name)


def lock_namespace(name: str) -> LockNamespace:
    """Declare the namespace `name` (once, at import time) and return it.

    Raises ImproperlyConfigured when `name` is declared already, or when its key is another
    declared name's (then choose another name: the keys are 32 bits, so this is rare).
    """
    if not name or name != name.strip():
        raise ImproperlyConfigured(f"lock namespace name {name!r} is empty or padded")
    if name in _REGISTRY:
        raise ImproperlyConfigured(f"lock namespace {name!r} is declared twice")
    key = namespace_key(name)
    if key in _BY_KEY:
        raise ImproperlyConfigured(
            f"lock namespace {name!r} has the key {key} of {_BY_KEY[key].name!r}: rename one"
        )
    namespace = LockNamespace(name, key)
    _REGISTRY[name] = namespace
    _BY_KEY[key] = namespace
    return namespace


def registered_namespaces() -> list[LockNamespace]:
    """Every namespace declared so far (by the modules imported), by name."""
    return sorted(_REGISTRY.values(), key=lambda namespace: namespace.name)


def scope_key(scope: Hashable) -> int:
    """The second lock key for `scope`: a 32-bit integer (a primary key) as it is, anything else
    (a tuple such as (commission_id, session_id), a string, a larger integer) hashed to 32 bits.

    Two scopes hashed to the same key only share a lock (one waits for the other); numbers stay
    right, because each is still counted over its own rows.
    """
    if isinstance(scope, int) and not isinstance(scope, bool) and INT4_MIN <= scope <= INT4_MAX:
        return scope
    return _int4(f"scope:{type(scope).__name__}:{scope!r}")


def _check_registered(namespace: LockNamespace) -> None:
    if _REGISTRY.get(namespace.name) is not namespace:
        raise ImproperlyConfigured(f"lock namespace {namespace.name!r} is not declared")


@contextmanager
def xact_lock(namespace: LockNamespace, scope: Hashable, *, using: str = DEFAULT_DB_ALIAS):
    """Lock (namespace, scope) until the transaction around the block ends.

    The block runs inside `transaction.atomic()`: called within a transaction, the lock is held
    until that outer transaction commits or rolls back (leaving the block does not release it);
    called outside one, the block is the transaction. Waits while another transaction holds the
    same (namespace, scope); other namespaces and other scopes are not held up.
    """
    _check_registered(namespace)
    with transaction.atomic(using=using):
        with connections[using].cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)", [namespace.key, scope_key(scope)]
            )
        yield


@contextmanager
def session_lock(
    namespace: LockNamespace, scope: Hashable, *, using: str = DEFAULT_DB_ALIAS
) -> Iterator[bool]:
    """Try to lock (namespace, scope) for the block, without waiting; yields whether it did.

    For work that commits as it goes (a job run), so the lock cannot be a transaction's: it is
    the connection's, released when the block ends (or the connection closes, so a dead worker
    never keeps it). A lock another connection holds yields False at once.
    """
    _check_registered(namespace)
    keys = [namespace.key, scope_key(scope)]
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", keys)
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", keys)


def next_number(
    namespace: LockNamespace, scope: Hashable, *, queryset: QuerySet, field: str, start: int = 1
) -> int:
    """The next number of `scope`: one more than the largest `field` of `queryset` (`start` for
    the first), allocated under the lock of (namespace, scope).

    `queryset` holds the rows numbered in this scope (e.g. an election's observers). The caller
    must be inside a transaction and save the number in it: the lock lasts until it ends, so no
    two transactions get the same number, and a rolled-back one leaves no gap (the next caller
    gets its number). Raises RuntimeError outside a transaction, where the lock would end before
    the number is saved.
    """
    using = queryset.db
    if not connections[using].in_atomic_block:
        raise RuntimeError("next_number must be called inside the transaction that saves it")
    with xact_lock(namespace, scope, using=using):
        last = queryset.aggregate(last=Max(field))["last"]
    return start if last is None else last + 1
