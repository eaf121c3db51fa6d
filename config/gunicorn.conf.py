"""gunicorn's settings for every way Saylau is served: `make run`, docker-compose and the tests.

    gunicorn -c config/gunicorn.conf.py config.wsgi:application

Each process serves with a fixed number of threads, and each thread keeps at most one database
connection (CONN_MAX_AGE), so the web server holds at most WEB_WORKERS x WEB_THREADS connections
to PostgreSQL however many clients connect: a crowd waits in the listen queue instead of
exhausting the database. A worker is replaced after about WEB_MAX_REQUESTS requests, so memory
stays flat over days. Environment variables (all optional):

    WEB_BIND          address to listen on (default 127.0.0.1:$PORT, PORT default 8000)
    WEB_WORKERS       processes (default 2: the measured best on 2 cores)
    WEB_THREADS       threads per process (default 4)
    WEB_TIMEOUT       seconds a request may take before its worker is restarted (default 60)
    WEB_KEEPALIVE     seconds an idle client connection is kept open (default 0: closed)
    WEB_MAX_REQUESTS  requests before a worker is replaced (default 50000; 0 never)
    WEB_RELOAD        restart the workers when the code changes (default off; `make run` on)
    WEB_ACCESS_LOG    "-" for an access log on stdout (default none)
"""

import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


bind = os.environ.get("WEB_BIND") or f"127.0.0.1:{_int('PORT', 8000)}"
workers = _int("WEB_WORKERS", 2)
threads = _int("WEB_THREADS", 4)
worker_class = "gthread"
# Connections beyond the threads wait in the kernel's queue, not in the application.
backlog = 2048
# Seconds an idle client connection is kept open. 0 closes each connection after its answer:
# with keep-alive a process keeps the clients it accepted, and on 2 cores a run of wrk's 32
# connections often landed mostly on one process, halving the throughput; closed connections are
# spread over the processes request by request. A proxy in front keeps its own connections.
keepalive = _int("WEB_KEEPALIVE", 0)
timeout = _int("WEB_TIMEOUT", 60)
graceful_timeout = 30
# Replacing a worker is cheap with the application loaded once in the master (preload_app): a
# fork. Measured at 2,000 req/s, a limit of 5,000 replaced a worker every few seconds and halved
# the throughput when each new worker loaded Django again.
max_requests = _int("WEB_MAX_REQUESTS", 50000)
max_requests_jitter = max_requests // 10
reload = os.environ.get("WEB_RELOAD", "").lower() in {"1", "true", "yes", "on"}
# Load Django once in the master and fork the workers from it, except when reloading on code
# changes (each worker must then import the code afresh). Nothing connects to PostgreSQL or
# Redis at import, so no connection is shared across the fork.
preload_app = not reload
accesslog = os.environ.get("WEB_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("WEB_LOG_LEVEL", "info")
# Request line and headers: refuse the absurd before Django sees it.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
# Behind the TLS proxy of docker-compose the client's scheme comes in X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn's control socket (gunicornc) is one path per user by default: two servers on a machine
# (make run, the bench, the serving tests) would take it over from each other. Not used here.
control_socket_disable = True


def pre_fork(server, worker):
    """Before each fork, move what the master loaded (Django, the URL configuration, the
    templates' code) out of the garbage collector's reach: a worker's full collections then walk
    only its own objects, not the whole application's, which shortens the pauses that made the
    slowest answers (p99) slow."""
    import gc

    gc.freeze()


def post_fork(server, worker):
    """Fewer collections in a worker: a request allocates tens of thousands of short-lived
    objects, and Python's default (a collection every 700 allocations) ran one many times a
    request; reference counting frees almost all of them anyway."""
    import gc

    gc.set_threshold(50_000, 20, 100)
