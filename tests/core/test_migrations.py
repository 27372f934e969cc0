"""The migrations build the same schema as the models, from an empty database, on each backend."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import func, inspect, select, text

from supervise import create_app
from supervise.accounts.models import User
from supervise.extensions import db
from tests import conftest

MIGRATIONS = str(Path(__file__).resolve().parents[2] / "migrations")


@pytest.fixture
def empty_database_url(backend, tmp_path):
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    app = create_app(conftest.make_config(conftest.PG_URL))
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.engine.dispose()
    yield conftest.PG_URL
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.engine.dispose()
    conftest._pg_schema_ready = False  # the next test rebuilds the schema


def test_upgrade_empty_database_to_head_matches_models(empty_database_url):
    app = create_app(conftest.make_config(empty_database_url))
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
        assert diff == [], f"models and migrations differ: {diff}"
        assert "alembic_version" in inspect(db.engine).get_table_names()
        # Demo accounts exist only in demo data, never in a migrated database.
        assert db.session.execute(select(func.count()).select_from(User)).scalar_one() == 0
        db.session.remove()
        db.engine.dispose()


def test_stored_pdfs_and_uploads_move_into_storage_and_back(empty_database_url, tmp_path):
    """b12s: the PDFs' bytes leave the database for storage() and come back on downgrade; uploads in
    the old UPLOAD_DIR are copied into storage (a deployment keeps its photos) and written back."""
    from flask_migrate import downgrade

    from supervise.core.storage import storage
    from supervise.evaluation.models import EvaluationDocument
    from supervise.notices.models import NoticeDocument
    from tests.factories import Factory

    app = create_app(conftest.make_config(empty_database_url))
    app.config.update(UPLOAD_DIR=str(tmp_path / "uploads"), STORAGE_DIR=str(tmp_path / "storage"))
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        factory = Factory()
        chair = factory.user("presidium")
        factory.item("supervising", township=chair.township, title="集镇道路改造提升项目")
        notice, meeting = factory.published_notice(chair), factory.evaluation_meeting(chair)
        pdfs = {"notice": b"%PDF-notice", "sheets": b"%PDF-sheets", "summary": b"%PDF-summary"}
        rows = [
            NoticeDocument(notice_id=notice.id, content_hash="a" * 64, pdf_key="documents/x/notice.pdf"),
            EvaluationDocument(
                meeting_id=meeting.id, kind="sheets", content_hash="b" * 64, pdf_key="documents/x/s.pdf"
            ),
            EvaluationDocument(
                meeting_id=meeting.id, kind="summary", content_hash="c" * 64, pdf_key="documents/x/y.pdf"
            ),
        ]
        db.session.add_all(rows)
        db.session.commit()
        notice_id, meeting_id = notice.id, meeting.id
        storage().put("documents/x/notice.pdf", pdfs["notice"])
        storage().put("documents/x/s.pdf", pdfs["sheets"])  # the summary's file is lost: a cache, dropped
        photo = "0123456789abcdef0123456789abcdef"
        storage().put(f"uploads/01/{photo}", b"photo")
        storage().put(f"uploads/01/{photo}.preview.jpg", b"preview")
        db.session.remove()

        downgrade(directory=MIGRATIONS, revision="b11g00000001")
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT pdf FROM public_notice_document")).scalar_one() == pdfs["notice"]
            kept = conn.execute(text("SELECT kind, pdf FROM evaluation_document")).all()
        assert [(kind, bytes(pdf)) for kind, pdf in kept] == [("sheets", pdfs["sheets"])]
        assert (tmp_path / "uploads" / "01" / photo).read_bytes() == b"photo"
        assert (tmp_path / "uploads" / "01" / f"{photo}.preview.jpg").read_bytes() == b"preview"

        # Upgrading an old deployment: an empty storage, the uploads still in UPLOAD_DIR.
        app.config["STORAGE_DIR"] = str(tmp_path / "new-storage")
        app.extensions.pop("supervise.storage", None)
        upgrade(directory=MIGRATIONS)
        store = storage()
        notice_row = db.session.get(NoticeDocument, notice_id)
        sheets_row = db.session.get(EvaluationDocument, (meeting_id, "sheets"))
        assert notice_row.pdf_key == f"documents/notice/{notice_id}/{'a' * 64}.pdf"
        assert sheets_row.pdf_key == f"documents/evaluation/{meeting_id}-sheets/{'b' * 64}.pdf"
        assert (
            store.get(notice_row.pdf_key) == pdfs["notice"]
            and store.get(sheets_row.pdf_key) == pdfs["sheets"]
        )
        assert notice_row.content_hash == "a" * 64 and notice_row.generated_at is not None
        assert store.get(f"uploads/01/{photo}") == b"photo"
        assert store.get(f"uploads/01/{photo}.preview.jpg") == b"preview"
        assert "pdf" not in {c["name"] for c in inspect(db.engine).get_columns("evaluation_document")}
        db.session.remove()
        db.engine.dispose()


def _rows(tables: list[str]) -> dict[str, list[tuple]]:
    """Every row of these tables, in a stable order, with values made comparable across a round trip."""
    found = {}
    with db.engine.connect() as conn:
        for table in tables:
            rows = conn.execute(text(f'SELECT * FROM "{table}"')).all()
            found[table] = sorted((tuple(str(value) for value in row) for row in rows), key=repr)
    return found


def test_the_ballot_engine_migration_keeps_every_evaluation_row_both_ways(empty_database_url):
    """b14b: the evaluation's roster, serials, codes, ballots, marks, entries and adjustments move to
    the engine's ballot_* tables with their ids, and back on downgrade: a meeting in voting (paper
    and phone) and a closed one come through a downgrade and an upgrade row for row."""
    from flask_migrate import downgrade

    from supervise.ballots import adjustments, paper, phone
    from supervise.evaluation import operations as ops
    from supervise.evaluation.models import BallotKind, Mark
    from tests.factories import Factory

    app = create_app(conftest.make_config(empty_database_url))
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        factory = Factory()
        chair = factory.user("presidium")
        items = [factory.item("verified", township=chair.township, title=f"迁移测试{n}") for n in (1, 2)]
        factory.closed_evaluation(chair, voters=3, items=items, year=2024)
        voting = factory.evaluation_meeting(chair, deputies=4, items=items, year=2025)
        ops.start_roll_call(chair, voting)
        present = [row.deputy_id for row in voting.roster]
        for deputy_id in present:
            ops.mark_attendance(chair, voting, deputy_id, True)
        ops.open_voting(chair, voting, early_reason="迁移测试")
        for deputy_id, kind in zip(present, (BallotKind.paper,) * 2 + (BallotKind.phone,) * 2):
            ops.hand_out(chair, voting, deputy_id, kind)
        paper.issue_serials(chair, voting, [1, 2])
        paper.enter_paper(chair, voting, 1, {line.id: [Mark.satisfied] for line in voting.lines}, False)
        adjustments.unissue_serials(chair, voting, [2], "迁移测试：多登记了一张")
        code, spare = phone.draw_codes(chair, voting, 2)
        phone.submit_phone_ballot(code, voting.id, {line.id: Mark.dissatisfied for line in voting.lines})
        adjustments.void_code(chair, voting, spare, "迁移测试：作废")
        db.session.commit()
        engine_tables = sorted(
            name
            for name in inspect(db.engine).get_table_names()
            if name.startswith(("ballot", "evaluation_meeting", "evaluation_rated_line"))
        )
        before = _rows(engine_tables)
        assert before["ballot"] and before["ballot_mark"] and before["ballot_adjustment"]
        assert before["ballot_paper_entry"] and before["ballot_phone_code"] and before["ballot_attendance"]
        db.session.remove()

        downgrade(directory=MIGRATIONS, revision="b14a00000001")
        old_tables = set(inspect(db.engine).get_table_names())
        assert "ballot_meeting" not in old_tables and "evaluation_ballot" in old_tables
        with db.engine.connect() as conn:
            ballots = conn.execute(text("SELECT COUNT(*) FROM evaluation_ballot")).scalar_one()
        assert ballots == len(before["ballot"])

        upgrade(directory=MIGRATIONS)
        assert _rows(engine_tables) == before
        db.session.remove()
        db.engine.dispose()
