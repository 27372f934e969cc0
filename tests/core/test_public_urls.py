"""Absolute public addresses (QR codes, code slips): on the configured public base URL, else on the
request's root, with the script root counted once."""

from __future__ import annotations

from supervise.core.public_urls import public_base_url, public_url


def test_the_request_root_serves_when_nothing_is_configured(app):
    with app.test_request_context("/", base_url="http://example.org/renda/"):
        assert public_base_url() == "http://example.org/renda/"
        assert public_url("ballots.vote") == "http://example.org/renda/vote"


def test_the_configured_base_url_wins_and_the_script_root_is_not_repeated(app):
    app.config["PUBLIC_BASE_URL"] = "  https://gongshi.example.cn/renda  "
    with app.test_request_context("/", base_url="http://10.0.0.5:8000/renda/"):
        assert public_base_url() == "https://gongshi.example.cn/renda/"
        assert public_url("ballots.vote") == "https://gongshi.example.cn/renda/vote"
    with app.app_context():
        assert public_base_url() == "https://gongshi.example.cn/renda/"
