"""Flask-Limiter's per-request check is dropped while no default, application or blueprint limit
exists (supervise.skip_idle_rate_limit_check); limits counted by hand and decorated views still work."""

from __future__ import annotations

from supervise.extensions import limiter


def test_the_idle_per_request_check_is_dropped(app):
    assert limiter._check_request_limit not in app.before_request_funcs.get(None, [])
    assert not limiter.limit_manager.default_limits and not limiter.limit_manager.application_limits


def test_a_view_decorated_with_a_limit_still_checks_it(fresh_app):
    @fresh_app.get("/test-limited")
    @limiter.limit("2/minute")
    def limited():
        return "ok"

    client = fresh_app.test_client()
    assert [client.get("/test-limited").status_code for _ in range(3)] == [200, 200, 429]
