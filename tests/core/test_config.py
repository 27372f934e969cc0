"""Configuration: secrets never in code, production refuses unsafe settings, SQLite pragmas on."""

from __future__ import annotations

import importlib
import os
import stat

import pytest
from sqlalchemy import text

import config
from supervise import create_app
from supervise.extensions import db


@pytest.fixture
def fresh_config(monkeypatch, tmp_path):
    monkeypatch.setenv("SUPERVISE_INSTANCE_DIR", str(tmp_path))
    monkeypatch.delenv("SUPERVISE_SECRET_KEY", raising=False)
    yield lambda: importlib.reload(config)
    monkeypatch.undo()
    importlib.reload(config)


def test_secret_key_is_generated_once_with_mode_0600(fresh_config, tmp_path):
    module = fresh_config()
    module.Config.init()
    path = tmp_path / "secret_key"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    first = module.Config.SECRET_KEY
    assert len(first) >= 32
    again = fresh_config()
    again.Config.init()
    assert again.Config.SECRET_KEY == first


def test_production_refuses_to_start_without_a_real_secret(fresh_config):
    module = fresh_config()
    with pytest.raises(RuntimeError, match="SUPERVISE_SECRET_KEY"):
        module.ProductionConfig.init()


def test_production_refuses_to_start_in_debug(fresh_config, monkeypatch):
    monkeypatch.setenv("SUPERVISE_DEBUG", "1")
    monkeypatch.setenv("SUPERVISE_SECRET_KEY", "x" * 40)
    module = fresh_config()
    with pytest.raises(RuntimeError, match="DEBUG"):
        module.ProductionConfig.init()


def test_sqlite_file_uses_wal_and_foreign_keys(tmp_path):
    cfg = type(
        "FileConfig", (config.TestConfig,), {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"}
    )
    app = create_app(cfg)
    with app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        db.session.remove()
        db.engine.dispose()
