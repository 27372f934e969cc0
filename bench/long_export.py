"""A long item export as a worker makes it: time and peak memory at two sizes. Prints figures only.

    .venv/bin/python bench/long_export.py [--rows 2000 20000] [--database sqlite:////tmp/bench.db]

For each size: a fresh database filled through the import (bench/import_items.py), then
``lists.export.write_item_export`` into a temporary file, as the worker does (ids first, then 500
rows a query into a write-only workbook). Peak memory is measured with tracemalloc in a second run.
Target: the peak stays flat as the export grows (only the list of ids grows, 8 bytes or so a row).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select  # noqa: E402
from werkzeug.datastructures import MultiDict  # noqa: E402

from bench.import_items import OFFICES, import_and_commit, setup_database  # noqa: E402
from config import TestConfig  # noqa: E402
from supervise import create_app  # noqa: E402
from supervise.accounts.models import User  # noqa: E402
from supervise.extensions import db  # noqa: E402
from supervise.lists.export import write_item_export  # noqa: E402
from supervise.lists.importing import TEMPLATE_HEADERS  # noqa: E402


def make_file(rows: int) -> bytes:
    """A filled-in template (by header, so that new optional columns stay empty)."""
    import io
    from datetime import date

    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(TEMPLATE_HEADERS)
    for n in range(rows):
        row = {
            "事项名称": f"事项{n:06d}：村组道路硬化与路灯安装",
            "事项内容": "对辖区内破损道路进行硬化，并安装太阳能路灯，方便群众夜间出行。",
            "实施区域": f"第{n % 12 + 1}村",
            "主办单位": OFFICES[n % len(OFFICES)],
            "协办单位": OFFICES[(n + 1) % len(OFFICES)],
            "分管领导": "张建国",
            "目标/标准": "年底前完成并通过验收",
            "完成时限": date(2026, 12, 31),
            "计划资金（万元）": (n % 500) * 1.5,
            "影响面广": "是" if n % 3 == 0 else "否",
            "来源": "镇人代会票决",
        }
        sheet.append([row.get(header) for header in TEMPLATE_HEADERS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_once() -> int:
    user = db.session.execute(select(User)).scalar_one()
    with tempfile.TemporaryFile() as out:
        write_item_export(user, MultiDict(), out, lambda _percent: None)
        size = out.tell()
    db.session.remove()
    return size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[2_000, 20_000])
    parser.add_argument("--database", help="SQLAlchemy URL; default: a new SQLite file in a temporary folder")
    args = parser.parse_args()
    folder = tempfile.TemporaryDirectory()
    url = args.database or f"sqlite:///{Path(folder.name) / 'bench.db'}"
    config = type("BenchConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url})
    app = create_app(config)
    peaks = []
    with app.app_context(), app.test_request_context():
        for rows in args.rows:
            setup_database()
            import_and_commit(make_file(rows), rows)
            db.session.remove()
            started = time.perf_counter()
            size = export_once()
            seconds = time.perf_counter() - started
            tracemalloc.start()
            export_once()
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            peaks.append(peak)
            print(
                f"{rows:>7} rows  {seconds:6.2f} s  {rows / seconds:7.0f} rows/s"
                f"  file {size / 2**20:5.2f} MiB  peak {peak / 2**20:6.1f} MiB (tracemalloc)"
            )
        db.session.remove()
        db.drop_all()
    ratio = peaks[-1] / peaks[0]
    print(f"peak ratio at {args.rows[-1] // args.rows[0]}x the rows: {ratio:.2f}  (target: flat, ≤ 1.5)")
    folder.cleanup()


if __name__ == "__main__":
    main()
