"""清单监督 (supervise): the township people's congress supervises the government's three lists."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from flask import Flask, has_request_context, request, session
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from config import CONFIGS, Config

from .core.fields import BoundedIntConverter
from .extensions import babel, bootstrap, csrf, db, limiter, login_manager, migrate


def create_app(config: str | type[Config] = "default") -> Flask:
    config_cls = CONFIGS[config] if isinstance(config, str) else config
    config_cls.init()
    app = Flask(__name__, template_folder="../templates", static_folder="static")
    app.config.from_object(config_cls)
    app.url_map.converters["int"] = BoundedIntConverter
    if app.config["PROXY_COUNT"]:
        app.wsgi_app = ProxyFix(
            app.wsgi_app, x_for=app.config["PROXY_COUNT"], x_proto=app.config["PROXY_COUNT"]
        )
    configure_logging(app)
    register_extensions(app)
    register_blueprints(app)
    skip_idle_rate_limit_check(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_cli(app)
    return app


def configure_logging(app: Flask) -> None:
    logging.basicConfig(
        level=app.config["LOG_LEVEL"], format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )


def select_locale() -> str:
    """The signed-in user's language, else the session's choice, else Chinese."""
    if not has_request_context():
        return "zh_Hans_CN"
    if current_user and current_user.is_authenticated and current_user.locale:
        return current_user.locale
    if request.path.startswith("/api/"):  # the API never reads the session cookie: Accept-Language
        return "en" if request.accept_languages.best_match(["zh", "en"]) == "en" else "zh_Hans_CN"
    return session.get("locale") or "zh_Hans_CN"


def register_extensions(app: Flask) -> None:
    from .core import database  # (importing it installs the SQLite pragmas)

    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = database.engine_options(app.config)
    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, directory=str(app.root_path + "/../migrations"))
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None
    login_manager.session_protection = "basic"
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    bootstrap.init_app(app)
    limiter.init_app(app)
    from .core.metrics import init_metrics, instrument_huey, register_queue_depth
    from .core.queue import huey, init_queue, queue_depth

    init_queue(app)
    init_metrics(app)  # its after_request runs after the commit's, so latencies include the commit
    register_queue_depth(app, queue_depth)  # /metrics shows the job queue's depth and task times
    instrument_huey(huey)
    from .core.pdf import harfbuzz_subset_available

    harfbuzz_subset_available()  # logs once if PDF font subsetting will be slow


def skip_idle_rate_limit_check(app: Flask) -> None:
    """Drop Flask-Limiter's check before every request while there is nothing for it to check.

    It checks default, application and blueprint limits (about 60 µs a request, a tenth of a cached
    page); this app has none: sign-in, votes and opinions count by hand with ``limiter.limiter``,
    and a view decorated with ``@limiter.limit`` checks its own limit (tests/core/test_rate_limits.py).
    """
    manager = limiter.limit_manager
    if manager.default_limits or manager.application_limits or manager._blueprint_limits:
        return
    hooks = app.before_request_funcs.get(None, [])
    if limiter._check_request_limit in hooks:  # absent when RATELIMIT_ENABLED is off
        hooks.remove(limiter._check_request_limit)


def register_blueprints(app: Flask) -> None:
    from .accounts.token_views import bp as api_tokens_bp
    from .accounts.views import bp as accounts_bp
    from .api.blueprint import init_app as init_api
    from .ballots.phone_views import bp as ballots_bp
    from .evaluation.public_views import bp as evaluation_public_bp
    from .evaluation.views import bp as evaluation_bp
    from .home.views import bp as home_bp
    from .inspections.views import bp as inspections_bp
    from .lists.excel_views import bp as lists_excel_bp
    from .lists.views import bp as lists_bp
    from .livelihood.public_views import bp as livelihood_public_bp
    from .livelihood.views import bp as livelihood_bp
    from .meetings.views import bp as meetings_bp
    from .notices.views import bp as notices_bp
    from .org.views import bp as org_bp
    from .progress.views import bp as progress_bp
    from .public.views import bp as public_bp
    from .sheets.views import bp as sheets_bp
    from .statistics.views import bp as statistics_bp
    from .uploads.views import bp as uploads_bp

    for blueprint in (
        home_bp,
        accounts_bp,
        api_tokens_bp,
        org_bp,
        lists_bp,
        lists_excel_bp,
        meetings_bp,
        sheets_bp,
        inspections_bp,
        uploads_bp,
        notices_bp,
        progress_bp,
        public_bp,
        ballots_bp,
        evaluation_bp,
        evaluation_public_bp,
        livelihood_bp,
        livelihood_public_bp,
        statistics_bp,
    ):
        app.register_blueprint(blueprint)
    init_api(app)  # /api/v1: flask-smorest registers its own blueprints, to document them


def register_errorhandlers(app: Flask) -> None:
    from .core.errors import register_errorhandlers as register
    from .core.security import register_input_guard, register_security_headers

    register(app)
    register_security_headers(app)
    register_input_guard(app)

    @app.teardown_request
    def _rollback_on_error(exc):
        if exc is not None:
            db.session.rollback()


def register_template_helpers(app: Flask) -> None:
    from .core.permissions import Role

    @app.context_processor
    def inject():
        from flask_babel import get_locale

        return {"Role": Role, "LANGUAGES": app.config["LANGUAGES"], "current_locale": str(get_locale())}

    from .core.amounts import wan_yuan
    from .core.cache import cached_block
    from .core.clock import today
    from .core.dates import chinese_date, reader_date

    app.add_template_global(today)
    app.add_template_global(cached_block)
    app.add_template_filter(chinese_date)
    app.add_template_filter(reader_date)
    app.add_template_filter(wan_yuan)

    @app.template_global()
    def url_with(**changes) -> str:
        """This page's URL with some query arguments changed (pagination, filters)."""
        args = request.args.to_dict()
        args.update({key: str(value) for key, value in changes.items()})
        return f"{request.path}?{urlencode(args)}"

    @app.after_request
    def commit_session(response):
        # One commit per request, at its end; operations only flush. A request that never touched
        # the session (a page served from the cache) has nothing to commit or roll back.
        if not db.session().in_transaction():
            return response
        if response.status_code < 400 and request.method != "OPTIONS":
            db.session.commit()
        else:
            db.session.rollback()
        return response


def register_cli(app: Flask) -> None:
    from .cli import register
    from .core import housekeeping  # noqa: F401  (the daily pruning, for the workers)
    from .progress import tasks  # noqa: F401  (the periodic reminders, for the workers)

    register(app)
