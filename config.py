"""Configuration, read from environment variables (see README for the list)."""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("SUPERVISE_INSTANCE_DIR", BASE_DIR / "instance"))


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _number(name: str) -> int | None:
    value = os.environ.get(name, "").strip()
    return int(value) if value else None


def _instance_secret() -> str:
    """Read the secret key from instance/, generating it once with mode 0600."""
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text().strip()


class Config:
    SECRET_KEY = os.environ.get("SUPERVISE_SECRET_KEY") or None
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "SUPERVISE_DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'supervise.db'}"
    )
    # Completed from the DB_* settings below by supervise/core/database.engine_options().
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    # Connection pool per process (PostgreSQL; SQLite keeps SQLAlchemy's own pool): at most
    # DB_POOL_SIZE + DB_MAX_OVERFLOW connections per gunicorn worker; unset: SQLAlchemy's 5 and 10.
    DB_POOL_SIZE = _number("SUPERVISE_DB_POOL_SIZE")
    DB_MAX_OVERFLOW = _number("SUPERVISE_DB_MAX_OVERFLOW")
    DB_POOL_TIMEOUT = _number("SUPERVISE_DB_POOL_TIMEOUT")  # seconds to wait for a free connection
    DB_POOL_RECYCLE = _number("SUPERVISE_DB_POOL_RECYCLE")  # seconds before a connection is renewed
    DB_POOL_PRE_PING = _flag("SUPERVISE_DB_POOL_PRE_PING", default=True)
    # Through PgBouncer in transaction mode: no server-side prepared statements (psycopg's
    # prepare_threshold=None). "1" on, "0" off; unset: on when the URL's port is 6432 (PgBouncer's).
    DB_PGBOUNCER = os.environ.get("SUPERVISE_DB_PGBOUNCER", "")
    SQLALCHEMY_RECORD_QUERIES = False

    HTTPS = _flag("SUPERVISE_HTTPS")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = HTTPS
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = HTTPS
    PREFERRED_URL_SCHEME = "https" if HTTPS else "http"

    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # a deputy may fill a form for a long time on a phone

    BABEL_DEFAULT_LOCALE = "zh_Hans_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")
    LANGUAGES = {"zh_Hans_CN": "中文", "en": "English"}

    BOOTSTRAP_SERVE_LOCAL = True

    # Flask-Limiter: memory:// for one process, redis://host:6379 for several.
    RATELIMIT_STORAGE_URI = os.environ.get("SUPERVISE_RATELIMIT_STORAGE", "memory://")
    RATELIMIT_HEADERS_ENABLED = False
    # Failed sign-ins (accounts/throttle.py): per (account, address) a few are free, then each one
    # makes that pair wait, doubling up to the maximum; per address (an office behind one NAT) a limit.
    LOGIN_FREE_FAILURES_PER_PAIR = int(os.environ.get("SUPERVISE_LOGIN_FREE_FAILURES", "5"))
    LOGIN_BACKOFF_SECONDS = int(os.environ.get("SUPERVISE_LOGIN_BACKOFF_SECONDS", "5"))
    LOGIN_BACKOFF_MAX_SECONDS = int(os.environ.get("SUPERVISE_LOGIN_BACKOFF_MAX_SECONDS", "900"))
    LOGIN_FAILURES_PER_ADDRESS = os.environ.get("SUPERVISE_LOGIN_FAILURES_PER_ADDRESS", "100/15minute")

    # Public notices: the address QR codes on printed notices open (behind a proxy, the public one),
    # e.g. https://renda.example.gov.cn; empty: the address of the request that renders the PDF.
    PUBLIC_BASE_URL = os.environ.get("SUPERVISE_PUBLIC_BASE_URL", "")
    # Residents' opinions accepted per address (Flask-Limiter's storage, see RATELIMIT_STORAGE_URI).
    OPINIONS_PER_ADDRESS = os.environ.get("SUPERVISE_OPINIONS_PER_ADDRESS", "5/hour")
    # Residents' livelihood proposals accepted per address, the same way.
    PROPOSALS_PER_ADDRESS = os.environ.get("SUPERVISE_PROPOSALS_PER_ADDRESS", "5/hour")

    # Item list cache: memory:// per process, redis://host:6379/1 shared by several, none to switch off.
    CACHE_URL = os.environ.get("SUPERVISE_CACHE_URL", "memory://")
    # Uploaded photos and documents: each file at most SUPERVISE_MAX_UPLOAD_MB; a form may carry several.
    UPLOAD_MAX_BYTES = int(os.environ.get("SUPERVISE_MAX_UPLOAD_MB", "10")) * 1024 * 1024
    MAX_CONTENT_LENGTH = int(os.environ.get("SUPERVISE_MAX_REQUEST_MB", "60")) * 1024 * 1024
    # The deputies' offline app resizes photos on the phone to at most this many pixels a side.
    APP_PHOTO_MAX_PX = int(os.environ.get("SUPERVISE_APP_PHOTO_MAX_PX", "1600"))
    # Before issue 12 uploads lived here; the b12s migration (and `flask storage import-uploads`) copies
    # them into the storage below. Read only by that step.
    UPLOAD_DIR = os.environ.get("SUPERVISE_UPLOAD_DIR", str(INSTANCE_DIR / "uploads"))
    # Uploads and generated documents go through supervise/core/storage.py: a local directory
    # (outside the web root), or S3-compatible object storage that several app servers share.
    STORAGE = os.environ.get("SUPERVISE_STORAGE", "local")  # local or s3
    STORAGE_DIR = os.environ.get("SUPERVISE_STORAGE_DIR", str(INSTANCE_DIR / "storage"))
    # `flask backup` writes its archives here unless given --output.
    BACKUP_DIR = os.environ.get("SUPERVISE_BACKUP_DIR", str(BASE_DIR / "instance" / "backups"))
    S3_BUCKET = os.environ.get("SUPERVISE_S3_BUCKET", "")
    S3_PREFIX = os.environ.get("SUPERVISE_S3_PREFIX", "")  # e.g. supervise/ to share a bucket
    S3_ENDPOINT_URL = os.environ.get("SUPERVISE_S3_ENDPOINT_URL", "")  # empty: AWS; else MinIO, Ceph…
    S3_REGION = os.environ.get("SUPERVISE_S3_REGION", "")
    # Empty: boto3's own chain (AWS_ACCESS_KEY_ID…, ~/.aws, an instance role).
    S3_ACCESS_KEY_ID = os.environ.get("SUPERVISE_S3_ACCESS_KEY_ID", "")
    S3_SECRET_ACCESS_KEY = os.environ.get("SUPERVISE_S3_SECRET_ACCESS_KEY", "")
    # The job queue (supervise/core/queue.py): a SQLite file by default, redis://host:6379/2 for several
    # servers, "immediate" to run every task at once in the process that asks (tests).
    QUEUE_URL = os.environ.get("SUPERVISE_QUEUE", f"sqlite:///{INSTANCE_DIR / 'queue.db'}")
    # Documents are queued when their record changes (a sheet issued, a notice published), not only on demand.
    DOCUMENTS_RENDER_ON_CHANGE = _flag("SUPERVISE_DOCUMENTS_RENDER_ON_CHANGE", default=True)
    # A failed render is tried again this many times, this many seconds apart, then shown as failed.
    DOCUMENT_RETRIES = int(os.environ.get("SUPERVISE_DOCUMENT_RETRIES", "2"))
    DOCUMENT_RETRY_DELAY = int(os.environ.get("SUPERVISE_DOCUMENT_RETRY_DELAY", "10"))
    DOCUMENT_REFRESH_SECONDS = 2  # how often the "being made" page reloads itself
    # An .xlsx export of more rows than this is made by a worker (progress page, then the download);
    # a shorter one is written in the request.
    EXPORT_QUEUE_ROWS = int(os.environ.get("SUPERVISE_EXPORT_QUEUE_ROWS", "2000"))
    # Stored exports and import templates, and finished or failed job rows, older than this many days
    # are pruned (daily by the workers, or `flask storage prune-exports`); official PDFs never are.
    EXPORT_KEEP_DAYS = int(os.environ.get("SUPERVISE_EXPORT_KEEP_DAYS", "7"))
    # The worker creates the day's reminders (and emails them) at this hour, China time.
    REMINDER_HOUR = int(os.environ.get("SUPERVISE_REMINDER_HOUR", "7"))
    IMPORT_MAX_ROWS = int(os.environ.get("SUPERVISE_IMPORT_MAX_ROWS", "10000"))

    # Reminder emails from `flask remind` (none are sent while SMTP_HOST is empty).
    SMTP_HOST = os.environ.get("SUPERVISE_SMTP_HOST", "")
    SMTP_PORT = int(os.environ.get("SUPERVISE_SMTP_PORT", "587"))
    SMTP_USER = os.environ.get("SUPERVISE_SMTP_USER", "")
    SMTP_PASSWORD = os.environ.get("SUPERVISE_SMTP_PASSWORD", "")
    SMTP_FROM = os.environ.get("SUPERVISE_SMTP_FROM", "")
    SMTP_STARTTLS = _flag("SUPERVISE_SMTP_STARTTLS", default=True)

    # /metrics (Prometheus) answers a request with "Authorization: Bearer <token>" or from these
    # addresses/networks (comma-separated, e.g. "127.0.0.1, 10.0.0.0/8"); with neither, it is a 404.
    METRICS_TOKEN = os.environ.get("SUPERVISE_METRICS_TOKEN", "")
    METRICS_ALLOW = os.environ.get("SUPERVISE_METRICS_ALLOW", "")

    # Behind a reverse proxy: how many proxies set X-Forwarded-For (sign-in throttling needs real addresses).
    PROXY_COUNT = int(os.environ.get("SUPERVISE_PROXY_COUNT", "0"))
    LOG_LEVEL = os.environ.get("SUPERVISE_LOG_LEVEL", "INFO")
    DEBUG = _flag("SUPERVISE_DEBUG")
    TESTING = False

    @classmethod
    def init(cls) -> None:
        """Fill values that need the file system."""
        if not cls.SECRET_KEY:
            cls.SECRET_KEY = _instance_secret()


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-not-for-production"  # noqa: S105 (tests only)
    SQLALCHEMY_DATABASE_URI = os.environ.get("SUPERVISE_TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    SMTP_HOST = ""  # tests that send mail set it and fake smtplib
    UPLOAD_DIR = tempfile.mkdtemp(prefix="supervise-test-uploads-")
    STORAGE = "local"  # tests of the S3 backend give their app an S3Storage of a local moto server
    STORAGE_DIR = tempfile.mkdtemp(prefix="supervise-test-storage-")
    # Tasks run at once inside the request that queues them; documents are made when asked for
    # (tests of rendering on change turn DOCUMENTS_RENDER_ON_CHANGE on).
    QUEUE_URL = "immediate"
    DOCUMENTS_RENDER_ON_CHANGE = False
    DOCUMENT_RETRY_DELAY = 0
    # argon2 at production cost makes a 300-test suite slow; tests still use argon2id.
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 8192

    @classmethod
    def init(cls) -> None:
        pass


class ProductionConfig(Config):
    @classmethod
    def init(cls) -> None:
        if cls.DEBUG:
            raise RuntimeError("ProductionConfig refuses to start with SUPERVISE_DEBUG on.")
        secret = os.environ.get("SUPERVISE_SECRET_KEY", "")
        if len(secret) < 32:
            raise RuntimeError("ProductionConfig needs SUPERVISE_SECRET_KEY (at least 32 random characters).")
        cls.SECRET_KEY = secret


CONFIGS = {"default": Config, "test": TestConfig, "production": ProductionConfig}
