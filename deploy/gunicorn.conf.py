"""gunicorn settings for 清单监督: ``.venv/bin/gunicorn -c deploy/gunicorn.conf.py wsgi:app``.

Each value can be changed through the environment (the systemd unit's ``Environment=`` lines).
Sizing: every worker process has its own SQLAlchemy pool, so one app server opens at most
``workers × (SUPERVISE_DB_POOL_SIZE + SUPERVISE_DB_MAX_OVERFLOW)`` connections; with gthread give
each worker a pool at least as large as its threads. Across N app servers that total must fit
PgBouncer's ``max_client_conn`` (README, "Several app servers").
"""

import os
import shutil
from pathlib import Path

bind = os.environ.get("SUPERVISE_BIND", "127.0.0.1:8000")
# gthread: a few threads per process share one pool and wait on the database together; sync: one
# request per process. Rendering PDFs and other long work run on the job queue, not here.
worker_class = os.environ.get("SUPERVISE_WEB_WORKER_CLASS", "gthread")
workers = int(os.environ.get("SUPERVISE_WEB_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
threads = int(os.environ.get("SUPERVISE_WEB_THREADS", "4"))
# A request taking longer than this is killed and its worker replaced (gunicorn's default is 30 s).
timeout = int(os.environ.get("SUPERVISE_WEB_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("SUPERVISE_WEB_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# Replace each worker now and then (slow leaks of long-lived processes), not all at once.
max_requests = int(os.environ.get("SUPERVISE_WEB_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# No access log: requests to the voting addresses must leave no trace (README, secrecy of ballots).
accesslog = None
errorlog = "-"
# X-Forwarded-* are believed from the reverse proxy only (the app's ProxyFix reads them).
forwarded_allow_ips = os.environ.get("SUPERVISE_FORWARDED_ALLOW_IPS", "127.0.0.1")

# Prometheus (/metrics) with several workers: every process writes its values into this folder,
# emptied when gunicorn starts; a scrape answered by any worker adds up the live ones.
PROMETHEUS_DIR = os.environ.setdefault(
    "PROMETHEUS_MULTIPROC_DIR", str(Path(__file__).resolve().parent.parent / "instance" / "prometheus")
)


def on_starting(server):
    shutil.rmtree(PROMETHEUS_DIR, ignore_errors=True)
    Path(PROMETHEUS_DIR).mkdir(parents=True, exist_ok=True)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
