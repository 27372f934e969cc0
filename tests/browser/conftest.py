"""Chromium journeys: Debian's /usr/bin/chromium drives a live server on a migrated, seeded SQLite file.

These tests never use the sqlite/postgresql `app` fixture of tests/conftest.py: one live server per run,
on a port the system picks. Under pytest-xdist they all go to one worker, in order (tests/conftest.py
groups them), so the journeys share that server's data as in a run without workers.
"""

from __future__ import annotations

import logging
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from flask_migrate import upgrade
from playwright.sync_api import expect
from werkzeug.serving import make_server

from config import BASE_DIR, TestConfig
from supervise import create_app
from supervise.accounts.operations import DEMO_PASSWORD
from supervise.demo import seed_demo
from supervise.extensions import db

from ..conftest import require_or_skip

CHROMIUM = Path("/usr/bin/chromium")
# A CI machine running the suite's workers beside Chromium and the live server can take more than
# Playwright's default 5 s to answer a form and render the next page: wait up to 15 s for what a
# journey expects to see (a failure still fails, only later).
expect.set_options(timeout=15_000)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@contextmanager
def _logging_kept():
    """Alembic's env.py runs fileConfig, which would silence every logger for the rest of the run."""
    root = logging.getLogger()
    level, handlers = root.level, root.handlers[:]
    enabled = [lg for lg in logging.root.manager.loggerDict.values() if isinstance(lg, logging.Logger)]
    enabled = [lg for lg in enabled if not lg.disabled]
    try:
        yield
    finally:
        root.setLevel(level)
        root.handlers[:] = handlers
        for logger in enabled:
            logger.disabled = False


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """Serve the demo app on 127.0.0.1 with real CSRF; yields the base URL."""
    database = tmp_path_factory.mktemp("live") / "supervise.db"
    config = type(
        "BrowserConfig",
        (TestConfig,),
        # Documents made when their record changes, as in production (tasks run at once: immediate mode).
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "WTF_CSRF_ENABLED": True,
            "DOCUMENTS_RENDER_ON_CHANGE": True,
        },
    )
    app = create_app(config)
    with app.app_context(), _logging_kept():
        upgrade(directory=str(BASE_DIR / "migrations"))
        seed_demo()
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def base_url(live_server) -> str:
    """Relative page.goto('/login') goes to the live server."""
    return live_server


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch Debian's Chromium, never a downloaded one."""
    if not CHROMIUM.exists():
        require_or_skip(f"{CHROMIUM} is missing (apt-get install chromium chromium-driver)")
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def artifacts(pytestconfig) -> Path:
    """test-artifacts/ at the project root (gitignored) for screenshots."""
    path = pytestconfig.rootpath / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path


@dataclass
class Traffic:
    """What the browser asked for and complained about during one test."""

    base_url: str
    foreign: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def watch(self, context) -> None:
        """Record every request and console/page error of this context."""
        context.on("request", self._request)
        context.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        context.on("weberror", lambda err: self.errors.append(str(err.error)))

    def _request(self, request) -> None:
        url = request.url
        # blob: URLs of the live server's own origin are made in the page (photo previews on a phone).
        own = (self.base_url + "/", "blob:" + self.base_url + "/", "data:")
        if not url.startswith(own):
            self.foreign.append(url)


@pytest.fixture
def traffic(base_url) -> Traffic:
    return Traffic(base_url)


@pytest.fixture
def new_context(new_context, traffic):
    """Every context is watched; a test fails if a page reached outside 127.0.0.1 or logged an error."""

    def watched(**kwargs):
        context = new_context(**kwargs)
        traffic.watch(context)
        return context

    yield watched
    assert not traffic.foreign, f"requests left the live server: {traffic.foreign}"
    assert not traffic.errors, f"console errors (CSP violations show here): {traffic.errors}"


@pytest.fixture
def sign_in(base_url):
    """sign_in(page, 'chair') signs in a demo account through the login form."""

    def sign_in_as(page, username: str) -> None:
        page.goto("/login")
        page.get_by_label("用户名", exact=True).fill(username)
        page.get_by_label("密码", exact=True).fill(DEMO_PASSWORD)
        page.get_by_role("button", name="登录", exact=True).click()
        page.wait_for_url(f"{base_url}/")

    return sign_in_as


@pytest.fixture
def confirm():
    """confirm(page, '…') answers the dialog a step that cannot be undone opens (static/confirm.js)
    with 确认, after checking that it says what will happen."""
    from playwright.sync_api import expect

    def answer(page, says: str) -> None:
        dialog = page.locator("#confirm-dialog")
        expect(dialog).to_be_visible()
        expect(dialog).to_contain_text(says)
        dialog.get_by_role("button", name="确认", exact=True).click()

    return answer
