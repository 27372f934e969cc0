"""bench/scale.py is not run in CI: its generator and its page list are run here at a tiny size so
that they follow the schema and the pages as these change."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from sqlalchemy import func, select

from supervise.extensions import db
from supervise.lists.models import Item, ItemEvent
from supervise.progress.models import MonthlyReport

SCALE = Path(__file__).resolve().parents[1] / "bench" / "scale.py"


def load_scale():
    spec = importlib.util.spec_from_file_location("bench_scale", SCALE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_scale_generator_follows_the_schema_and_every_page_answers(tmp_path):
    scale = load_scale()
    app = scale.bench_app(f"sqlite:///{tmp_path / 'scale.db'}")
    counts = scale.generate(app, 2, per_year=6, years=2)
    assert counts["township"] == 2 * scale.TOWNSHIPS_PER_COUNTY
    assert counts["item"] == 2 * scale.TOWNSHIPS_PER_COUNTY * 6 * 2
    with app.app_context():
        assert db.session.execute(select(func.count(Item.id))).scalar_one() == counts["item"]
        assert db.session.execute(select(func.count(ItemEvent.id))).scalar_one() == counts["item_event"]
        assert db.session.execute(select(func.count(MonthlyReport.id))).scalar_one() > 0
        db.session.remove()
    visitor = scale.Visitor(app)  # signs in and opens every page twice, each answering 200
    assert set(visitor.pages) >= {
        "chair home",
        "month grid",
        "notice preview",
        "escalation",
        "evaluation results",
    }
    visitor.visit(1)
    figures = visitor.p50_ms()
    assert all(wall > 0 for wall, _cpu in figures.values())
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
