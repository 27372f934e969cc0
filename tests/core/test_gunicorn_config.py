"""deploy/gunicorn.conf.py: sync or gthread workers, a timeout, no access log, Prometheus'
multiprocess folder emptied at start (tests/core/test_metrics.py runs it with two workers)."""

from __future__ import annotations

import runpy
from pathlib import Path

CONFIG = Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"


def test_workers_have_a_timeout_and_write_no_access_log(monkeypatch, tmp_path):
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path / "prometheus"))
    for name in ("SUPERVISE_WEB_WORKER_CLASS", "SUPERVISE_WEB_TIMEOUT", "SUPERVISE_WEB_WORKERS"):
        monkeypatch.delenv(name, raising=False)
    settings = runpy.run_path(str(CONFIG))
    assert settings["worker_class"] in {"sync", "gthread"}
    assert settings["timeout"] == 30
    assert settings["workers"] >= 3 and settings["threads"] >= 1
    assert settings["accesslog"] is None  # ballot secrecy (README)


def test_settings_follow_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path / "prometheus"))
    monkeypatch.setenv("SUPERVISE_WEB_WORKER_CLASS", "sync")
    monkeypatch.setenv("SUPERVISE_WEB_TIMEOUT", "45")
    monkeypatch.setenv("SUPERVISE_WEB_WORKERS", "2")
    settings = runpy.run_path(str(CONFIG))
    assert (settings["worker_class"], settings["timeout"], settings["workers"]) == ("sync", 45, 2)


def test_the_metrics_folder_is_emptied_when_gunicorn_starts(monkeypatch, tmp_path):
    folder = tmp_path / "prometheus"
    folder.mkdir()
    (folder / "counter_123.db").write_bytes(b"left by a previous run")
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(folder))
    settings = runpy.run_path(str(CONFIG))
    settings["on_starting"](None)
    assert folder.is_dir() and not any(folder.iterdir())
