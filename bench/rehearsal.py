"""A compose-free rehearsal of several app servers on one machine (issue 12).

Starts, on free ports: a local S3 server (moto's server mode), two gunicorn app servers
(deploy/gunicorn.conf.py) and two queue workers (`flask worker`), all against one fresh PostgreSQL
database (``rehearsal_<pid>``, dropped at the end), one Redis database number (page cache, rate
limits and job queue; flushed before and after, nothing else in Redis is touched) and the S3
bucket. The demo is loaded, then, through HTTP only, it checks what must hold across servers:

- sessions: signed in on server 1, the same cookie is signed in on server 2;
- cache invalidation: server 2's item list (cached in Redis) shows an edit made on server 1;
- rate limits: failed sign-ins spread over both servers add up, and the next try is refused;
- documents: a PDF asked for on server 1 is rendered by a worker and downloaded from server 2;
- uploads: a photo sent with a monthly report on server 2 is read back (and its preview) on server 1;
- metrics: both servers answer /metrics;

then drives a mixed read load through both servers for ``--seconds`` and prints requests/s, p50,
p95 and errors. One PASS/FAIL line per check; exits 1 on any failure. Every process started is
stopped (its whole process group) whatever happens.

    .venv/bin/python bench/rehearsal.py [--seconds 20] [--clients 4] [--redis-db 13]
    .venv/bin/python bench/rehearsal.py --quick       # 1 second of load
    make rehearsal

Needs PostgreSQL (--pg, default postgres@127.0.0.1:5432; the user may create databases) and Redis
(--redis, default redis://127.0.0.1:6379).
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests
from harness import (  # bench/harness.py, beside this script
    BIN,
    Processes,
    flask,
    form_values,
    free_port,
    links,
    page_errors,
    png,
    replaced,
    sign_in,
    wait_for,
)

failures: list[str] = []


def check(name: str, ok: bool, detail: str) -> bool:
    print(f"{'PASS' if ok else 'FAIL'}  {name:18} {detail}", flush=True)
    if not ok:
        failures.append(name)
    return ok


def attempt(name: str, run, *args) -> None:
    """One check; an error in it (an unexpected page) fails that check, and the others still run."""
    try:
        run(*args)
    except Exception as error:
        check(name, False, f"{error.__class__.__name__}: {error}")


# ---- the checks ---------------------------------------------------------------------------------


def check_sessions(s1: str, s2: str) -> requests.Session:
    chair = requests.Session()
    answer = sign_in(chair, s1, "chair")
    home = chair.get(f"{s2}/items/", allow_redirects=False, timeout=30)
    check(
        "sessions",
        answer.status_code == 302 and home.status_code == 200,
        f"sign-in on server 1: {answer.status_code}; server 2 with that cookie: {home.status_code} "
        "(200 = signed in)",
    )
    return chair


def check_cache(chair: requests.Session, s1: str, s2: str, redis_client) -> None:
    before = chair.get(f"{s2}/items/", timeout=30).text  # fills the shared cache
    cached = len(redis_client.keys("*"))
    mark = f"演练{secrets.token_hex(3)}"
    refusals = []
    for item_id in links(before, r'href="/items/(\d+)"')[:15]:
        form = chair.get(f"{s1}/items/{item_id}/edit", timeout=30)
        if form.status_code != 200 or 'name="title"' not in form.text:
            continue
        fields = form_values(form.text, "title")
        title = dict(fields)["title"][:180] + mark
        fields = replaced(fields, title=title, reason="多服务器联调演练")
        saved = chair.post(f"{s1}/items/{item_id}/edit", data=fields, allow_redirects=False, timeout=30)
        if saved.status_code != 302:  # e.g. a closed item may no longer be changed: another one
            refusals.append(f"{item_id}: {saved.status_code}{page_errors(saved.text)}")
            continue
        after = chair.get(f"{s2}/items/", timeout=30).text
        check(
            "cache invalidation",
            mark in after and mark not in before,
            f"item {item_id} renamed on server 1; server 2's cached list shows the new title: "
            f"{mark in after} ({cached} keys in Redis after the first visit)",
        )
        return
    check("cache invalidation", False, f"no item on the chair's list could be edited: {refusals}")


def check_rate_limit(s1: str, s2: str, free: int) -> None:
    who = f"nobody-{secrets.token_hex(3)}"
    statuses = []
    for n in range(free + 1):  # the free failures and one more, alternating servers
        statuses.append(sign_in(requests.Session(), (s1, s2)[n % 2], who, "wrong-password").status_code)
    refused = sign_in(requests.Session(), (s1, s2)[(free + 1) % 2], who, "wrong-password")
    check(
        "rate limit",
        all(s == 200 for s in statuses) and refused.status_code == 429,
        f"{free + 1} failures split over both servers: {statuses}; the next try: {refused.status_code} "
        "(429 = refused)",
    )


def check_document(chair: requests.Session, s1: str, s2: str, wait: float) -> None:
    listing = chair.get(f"{s1}/sheets/", timeout=30).text
    for sheet_id in links(listing, r'href="/sheets/(\d+)"')[:8]:
        first = chair.get(f"{s1}/sheets/{sheet_id}/pdf", timeout=30)
        if first.status_code != 202:
            continue  # stored already, or not printable: another one
        started = time.monotonic()
        while time.monotonic() - started < wait:
            answer = chair.get(f"{s2}/sheets/{sheet_id}/pdf", timeout=30)
            if answer.status_code != 202:
                break
            time.sleep(0.25)
        took = time.monotonic() - started
        check(
            "documents",
            answer.status_code == 200 and answer.content.startswith(b"%PDF-"),
            f"sheet {sheet_id} PDF asked on server 1 (202, progress page), made by a worker, "
            f"downloaded from server 2: {answer.status_code}, {len(answer.content) // 1024} KiB "
            f"after {took:.1f} s",
        )
        return
    check("documents", False, "no follow-up sheet answered 202 (being made) on server 1")


def check_upload(s1: str, s2: str) -> None:
    gov = requests.Session()
    sign_in(gov, s2, "gov")
    pages = gov.get(f"{s2}/", timeout=30).text + gov.get(f"{s2}/progress/office", timeout=30).text
    items = links(pages, r"/progress/items/(\d+)/report")
    if not items:
        check("uploads", False, "the office has no monthly report to send")
        return
    item_id = items[0]
    form = gov.get(f"{s2}/progress/items/{item_id}/report", timeout=30)
    fields = replaced(
        form_values(form.text, "percent"),
        percent="60",
        done="完成主体工程，正在进行附属设施施工（联调演练）。",
        problems="无",
        correction_reason="联调演练更正",
    )
    photo = png()
    sent = gov.post(
        f"{s2}/progress/items/{item_id}/report",
        data=fields,
        files=[("files", ("现场照片.png", photo, "image/png"))],
        allow_redirects=False,
        timeout=60,
    )
    page = gov.get(f"{s1}/items/{item_id}", timeout=30).text
    newest = max((int(n) for n in links(page, r"/files/(\d+)")), default=0)  # the photo just sent
    got = gov.get(f"{s1}/files/{newest}", timeout=30)
    preview = gov.get(f"{s1}/files/{newest}/preview", timeout=30)
    same = got.status_code == 200 and got.content == photo
    check(
        "uploads",
        sent.status_code == 302 and same and preview.headers.get("Content-Type") == "image/jpeg",
        f"photo sent with a monthly report on server 2 ({sent.status_code}); read on server 1: "
        f"{got.status_code}, same bytes: {same}, its preview: {preview.status_code}",
    )


def check_metrics(s1: str, s2: str, token: str) -> None:
    answers = [
        requests.get(f"{base}/metrics", headers={"Authorization": f"Bearer {token}"}, timeout=30)
        for base in (s1, s2)
    ]
    check(
        "metrics",
        all(a.status_code == 200 and "supervise_queue_pending_tasks" in a.text for a in answers),
        f"/metrics on both servers: {[a.status_code for a in answers]}",
    )


# ---- the load -----------------------------------------------------------------------------------


def mixed_load(
    servers: list[str], sessions: dict[str, requests.Session], seconds: float, clients: int
) -> None:
    anonymous = requests.Session()
    board = anonymous.get(f"{servers[0]}/public/", timeout=30).text
    slugs = links(board, r'href="/public/([\w-]+)/"')
    notices = links(
        anonymous.get(f"{servers[0]}/public/{slugs[0]}/", timeout=30).text,
        r'href="(/public/[\w-]+/notices/\d+)"',
    )
    items = links(sessions["chair"].get(f"{servers[0]}/items/", timeout=30).text, r'href="(/items/\d+)"')[:20]
    paths = (
        [(None, "/public/"), (None, f"/public/{slugs[0]}/")]
        + [(None, url) for url in notices[:3]]
        + [("chair", "/"), ("chair", "/items/"), ("chair", "/progress/grid"), ("gov", "/"), ("deputy", "/")]
        + [("chair", url) for url in items]
    )
    results: list[tuple[float, int, int]] = []  # (seconds, status, server)
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(n: int) -> None:
        rng = random.Random(n)  # noqa: S311
        mine = {name: requests.Session() for name in sessions}
        for name, http in mine.items():
            http.cookies.update(sessions[name].cookies)
        plain = requests.Session()
        while time.monotonic() < stop:
            who, path = rng.choice(paths)
            server = rng.randrange(len(servers))
            started = time.perf_counter()
            try:
                status = (mine[who] if who else plain).get(servers[server] + path, timeout=30).status_code
            except requests.RequestException:
                status = 0
            with lock:
                results.append((time.perf_counter() - started, status, server))

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    times = sorted(t for t, _s, _n in results)
    errors = [s for _t, s, _n in results if s == 0 or s >= 400]
    p95 = times[int(len(times) * 0.95)] if times else 0.0
    per_server = [sum(1 for _t, _s, n in results if n == k) for k in range(len(servers))]
    print(
        f"mixed load: {len(paths)} addresses, {clients} clients, {elapsed:.1f} s: {len(results)} requests "
        f"({per_server} per server), {len(results) / elapsed:.1f} req/s, "
        f"p50 {statistics.median(times) * 1000 if times else 0:.0f} ms, p95 {p95 * 1000:.0f} ms, "
        f"errors {len(errors)}"
    )
    check("mixed load", bool(results) and not errors, f"{len(errors)} errors in {len(results)} requests")


# ---- main ---------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20, help="mixed load duration")
    parser.add_argument("--clients", type=int, default=4, help="client threads of the mixed load")
    parser.add_argument("--quick", action="store_true", help="1 second of load")
    parser.add_argument("--pg", default=os.environ.get("SUPERVISE_REHEARSAL_PG", "postgres@127.0.0.1:5432"))
    parser.add_argument(
        "--redis", default=os.environ.get("SUPERVISE_REHEARSAL_REDIS", "redis://127.0.0.1:6379")
    )
    parser.add_argument("--redis-db", type=int, default=13, help="flushed before and after")
    parser.add_argument("--web-workers", type=int, default=2, help="gunicorn processes per server")
    parser.add_argument("--keep", action="store_true", help="keep the logs' folder")
    args = parser.parse_args()
    seconds = 1.0 if args.quick else args.seconds

    import psycopg
    import redis

    tmp = Path(tempfile.mkdtemp(prefix="supervise-rehearsal-"))
    procs = Processes(tmp)
    database = f"rehearsal_{os.getpid()}"
    admin = f"postgresql://{args.pg}/postgres"
    redis_url = f"{args.redis.rstrip('/')}/{args.redis_db}"
    redis_client = redis.Redis.from_url(redis_url)
    ports = [free_port() for _ in range(3)]
    token = secrets.token_hex(16)
    env = {
        **os.environ,
        "FLASK_APP": "wsgi.py",
        "SUPERVISE_CONFIG": "default",
        "SUPERVISE_SECRET_KEY": secrets.token_hex(32),
        "SUPERVISE_INSTANCE_DIR": str(tmp),
        "SUPERVISE_DATABASE_URL": f"postgresql+psycopg://{args.pg}/{database}",
        "SUPERVISE_DB_POOL_SIZE": "4",
        "SUPERVISE_DB_MAX_OVERFLOW": "2",
        "SUPERVISE_CACHE_URL": redis_url,
        "SUPERVISE_RATELIMIT_STORAGE": redis_url,
        "SUPERVISE_QUEUE": redis_url,
        "SUPERVISE_STORAGE": "s3",
        "SUPERVISE_S3_BUCKET": "supervise-rehearsal",
        "SUPERVISE_S3_ENDPOINT_URL": f"http://127.0.0.1:{ports[0]}",
        "SUPERVISE_S3_REGION": "us-east-1",
        "SUPERVISE_S3_ACCESS_KEY_ID": "rehearsal",
        "SUPERVISE_S3_SECRET_ACCESS_KEY": "rehearsal",
        "SUPERVISE_UPLOAD_DIR": str(tmp / "uploads"),
        "SUPERVISE_STORAGE_DIR": str(tmp / "storage"),
        "SUPERVISE_METRICS_TOKEN": token,
        "SUPERVISE_WEB_WORKERS": str(args.web_workers),
        "SUPERVISE_DOCUMENT_RETRY_DELAY": "1",
    }
    servers = [f"http://127.0.0.1:{port}" for port in ports[1:]]
    created = False
    started = time.monotonic()
    try:
        redis_client.flushdb()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{database}"')
        created = True
        moto = procs.start("s3", [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(ports[0])], env)
        wait_for(f"http://127.0.0.1:{ports[0]}/", moto, procs, "s3")
        flask(["storage", "check", "--create-bucket"], env)
        flask(["db", "upgrade"], env)
        # The seed's own documents are not queued, so that the documents check sees a first render.
        flask(["seed-demo"], {**env, "SUPERVISE_DOCUMENTS_RENDER_ON_CHANGE": "0"})
        ready = time.monotonic() - started
        print(f"database {database}, Redis db {args.redis_db}, S3 :{ports[0]}: ready in {ready:.1f} s")
        for n, port in enumerate(ports[1:], start=1):
            server_env = {
                **env,
                "SUPERVISE_BIND": f"127.0.0.1:{port}",
                "PROMETHEUS_MULTIPROC_DIR": str(tmp / f"prometheus{n}"),
            }
            procs.start(
                f"web{n}", [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "wsgi:app"], server_env
            )
        for n in (1, 2):
            procs.start(f"worker{n}", [str(BIN / "flask"), "worker", "--workers", "2"], env)
        for n, base in enumerate(servers, start=1):
            wait_for(f"{base}/login", procs.started[n][1], procs, f"web{n}")
        print(
            f"2 app servers ({', '.join(servers)}, {args.web_workers} gunicorn workers each) and 2 queue "
            f"workers up in {time.monotonic() - started:.1f} s"
        )
        s1, s2 = servers
        chair = check_sessions(s1, s2)
        attempt("cache invalidation", check_cache, chair, s1, s2, redis_client)
        attempt(
            "rate limit", check_rate_limit, s1, s2, int(os.environ.get("SUPERVISE_LOGIN_FREE_FAILURES", "5"))
        )
        attempt("documents", check_document, chair, s1, s2, 120)
        attempt("uploads", check_upload, s1, s2)
        attempt("metrics", check_metrics, s1, s2, token)
        sessions = {"chair": chair}
        for name in ("gov", "deputy"):
            sessions[name] = requests.Session()
            sign_in(sessions[name], s1, name)
        mixed_load(servers, sessions, seconds, args.clients)
        dead = [name for name, process in procs.started if process.poll() is not None]
        check("processes", not dead, f"exited during the rehearsal: {dead or 'none'}")
    except Exception as error:  # a setup step failed: say which, then clean up
        check("setup", False, f"{error.__class__.__name__}: {error}")
    finally:
        procs.stop_all()
        try:
            redis_client.flushdb()
        except redis.RedisError as error:
            print(f"could not flush Redis db {args.redis_db}: {error}")
        if created:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        if args.keep or failures:
            print(f"logs kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    verdict = f"FAIL: {len(failures)} failed check(s) {failures}" if failures else "PASS: every check"
    print(f"{verdict}, {time.monotonic() - started:.0f} s in all")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
