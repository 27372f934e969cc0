"""stored files leave the database

Stored PDFs move from a LargeBinary column into storage() (a local folder or S3), the row keeps
its content_hash and the storage key; uploads under the old UPLOAD_DIR are copied into storage().
Downgrade brings the PDFs back into the database and the uploads back into UPLOAD_DIR (a stored
PDF whose file is gone is dropped: it is a cache, printed again on demand).

Revision ID: b12s00000001
Revises: b11h00000001
Create Date: 2026-12-04 19:50:00.000000

"""
import logging
from pathlib import Path

from alembic import op
import sqlalchemy as sa
from flask import current_app


# revision identifiers, used by Alembic.
revision = 'b12s00000001'
down_revision = 'b11h00000001'
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

# table, storage folder (as StoredPdf.storage_folder), primary key columns
DOCUMENTS = (
    ("follow_up_sheet_document", "sheet", ("sheet_id",)),
    ("public_notice_document", "notice", ("notice_id",)),
    ("evaluation_document", "evaluation", ("meeting_id", "kind")),
)


def _table(name, keys):
    return sa.table(
        name,
        *[sa.column(key) for key in keys],
        sa.column("content_hash", sa.String),
        sa.column("pdf", sa.LargeBinary),
        sa.column("pdf_key", sa.String),
    )


def _where(table, keys, values):
    return sa.and_(*[table.c[key] == value for key, value in zip(keys, values)])


def upgrade():
    from supervise.core.storage import storage
    from supervise.uploads.legacy import import_uploads

    bind = op.get_bind()
    store = storage()
    for name, folder, keys in DOCUMENTS:
        with op.batch_alter_table(name) as batch_op:
            batch_op.add_column(sa.Column("pdf_key", sa.String(length=200), nullable=True))
        table = _table(name, keys)
        for values in bind.execute(sa.select(*[table.c[key] for key in keys])).all():
            where = _where(table, keys, values)
            pdf, printed = bind.execute(sa.select(table.c.pdf, table.c.content_hash).where(where)).one()
            key = f"documents/{folder}/{'-'.join(str(v) for v in values)}/{printed}.pdf"
            store.put(key, pdf)
            bind.execute(table.update().where(where).values(pdf_key=key))
        with op.batch_alter_table(name) as batch_op:
            batch_op.alter_column("pdf_key", existing_type=sa.String(length=200), nullable=False)
            batch_op.drop_column("pdf")
    copied, present = import_uploads(Path(current_app.config["UPLOAD_DIR"]), store)
    log.info("uploads copied into storage: %s (already there: %s)", copied, present)


def downgrade():
    from supervise.core.storage import storage
    from supervise.uploads.legacy import export_uploads

    bind = op.get_bind()
    store = storage()
    for name, _folder, keys in DOCUMENTS:
        with op.batch_alter_table(name) as batch_op:
            batch_op.add_column(sa.Column("pdf", sa.LargeBinary(), nullable=True))
        table = _table(name, keys)
        rows = bind.execute(sa.select(*[table.c[key] for key in keys], table.c.pdf_key)).all()
        for *values, key in rows:
            where = _where(table, keys, values)
            try:
                pdf = store.get(key)
            except FileNotFoundError:
                bind.execute(table.delete().where(where))
                continue
            bind.execute(table.update().where(where).values(pdf=pdf))
        with op.batch_alter_table(name) as batch_op:
            batch_op.alter_column("pdf", existing_type=sa.LargeBinary(), nullable=False)
            batch_op.drop_column("pdf_key")
    written = export_uploads(store, Path(current_app.config["UPLOAD_DIR"]))
    log.info("uploads written back to %s: %s", current_app.config["UPLOAD_DIR"], written)
