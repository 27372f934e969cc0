"""How long a 10,000-row item import takes, and how much memory it needs. Prints figures, asserts nothing.

    .venv/bin/python bench/import_items.py [--rows 10000] [--word-rows 2000] [--database sqlite:////tmp/bench.db]

Builds a fresh SQLite file database (or the given URL, whose tables it drops and recreates), one
township with ten offices and a draft list, and an .xlsx file filled in as a clerk would fill in the
template. Then it times the check alone (parse) and the check plus the writes and the commit
(import), and measures the peak memory of each with tracemalloc in a second, separate run, since
tracing slows Python down.

Then the same for lists as townships write them (issue 13): the preview of a 10,000-row .xlsx with
a title row, headers by meaning, sections, "6月底" and "约230万元" and joint leads (target: under
10 s and under 300 MB), and the import of a 2,000-row Word (.docx) table.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import resource  # noqa: E402

from openpyxl import Workbook  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from config import TestConfig  # noqa: E402
from supervise import create_app  # noqa: E402
from supervise.accounts.models import User  # noqa: E402
from supervise.core.permissions import Role  # noqa: E402
from supervise.core.word import table_document  # noqa: E402
from supervise.extensions import db  # noqa: E402
from supervise.lists import importing as excel  # noqa: E402
from supervise.lists.models import Item, ItemEvent, ListKind, SupervisionList  # noqa: E402
from supervise.org.models import County, Office, Township  # noqa: E402

OFFICES = [f"站所{n}" for n in range(1, 11)]


def make_file(rows: int) -> bytes:
    """A filled-in template: every column used, dates as real Excel dates, some flags and funds.
    Saved as Excel saves it (shared strings and a <dimension>), not openpyxl's write-only way."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(excel.TEMPLATE_HEADERS)
    start = date(2026, 3, 1)
    for n in range(rows):
        cells = {
            "事项名称": f"事项{n:05d}：村组道路硬化与路灯安装",
            "事项内容": "对辖区内破损道路进行硬化，并安装太阳能路灯，方便群众夜间出行。" * 2,
            "实施区域": f"第{n % 12 + 1}村",
            "主办单位": OFFICES[n % len(OFFICES)],
            "协办单位": f"{OFFICES[(n + 1) % len(OFFICES)]}、{OFFICES[(n + 2) % len(OFFICES)]}",
            "分管领导": "张建国",
            "目标/标准": "年底前完成并通过验收",
            "完成时限": start + timedelta(days=n % 300),
            "计划资金（万元）": (n % 500) * 1.5,
            "影响面广": "是" if n % 3 == 0 else "否",
            "群众关注度高": "是" if n % 5 == 0 else "",
            "推进难度大": "否",
            "来源": "镇人代会票决",
        }
        sheet.append([cells.get(header) for header in excel.TEMPLATE_HEADERS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


REAL_HEADER = ["序号", "项目名称", "建设内容", "牵头单位", "配合单位", "时间节点", "投资（万元）", "资金来源"]
SPELLINGS = ["6月底", "年底", "第三季度", "2026年9月30日", "下半年", "2027年底"]
AMOUNTS = ["约230万元", "85", "1100多万元", "12.5万元", "1.2亿元", "335.1545"]


def real_rows(rows: int) -> list[list[str] | str]:
    """Rows as real lists write them: sections, joint leads, new unit names, dates and amounts in words."""
    out: list[list[str] | str] = []
    for n in range(rows):
        if n % 500 == 0:
            out.append(f"{'一二三四五六七八九十'[n // 500 % 10]}、第{n // 500 + 1}类")
        lead = f"{OFFICES[n % len(OFFICES)]}、镇新单位{n % 7}" if n % 4 == 0 else OFFICES[n % len(OFFICES)]
        out.append(
            [
                str(n + 1),
                f"事项{n:05d}：村组道路硬化与路灯安装",
                "对辖区内破损道路进行硬化，并安装太阳能路灯。",
                lead,
                OFFICES[(n + 1) % len(OFFICES)],
                SPELLINGS[n % len(SPELLINGS)],
                AMOUNTS[n % len(AMOUNTS)],
                "县级补助、镇级配套",
            ]
        )
    return out


def make_real_file(rows: int) -> bytes:
    """A list as a township keeps it in Excel: a title row above the header, then real_rows."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["2026年江口镇民生实事项目清单"])
    sheet.append(REAL_HEADER)
    for row in real_rows(rows):
        sheet.append([row] if isinstance(row, str) else row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def setup_database() -> tuple[int, int]:
    """An empty database with 江口镇, its offices, its chair and an empty draft commitment list."""
    db.session.remove()
    db.drop_all()
    db.create_all()
    county = County(name="宁陕县")
    db.session.add(county)
    db.session.flush()
    township = Township(county_id=county.id, name="江口镇", short_name="江口", slug="jiangkou")
    db.session.add(township)
    db.session.flush()
    db.session.add_all(Office(township_id=township.id, name=name) for name in OFFICES)
    user = User(
        username="chair",
        display_name="人大主席",
        password_hash="-",  # noqa: S106 (nobody signs in)
        role=Role.presidium,
        township_id=township.id,
    )
    supervision_list = SupervisionList(township_id=township.id, year=2026, kind=ListKind.commitment)
    db.session.add_all([user, supervision_list])
    db.session.commit()
    return user.id, supervision_list.id


def parse(data: bytes, max_rows: int) -> None:
    supervision_list = db.session.execute(select(SupervisionList)).scalar_one()
    result = excel.parse_items(data, supervision_list, max_rows)
    if not result.ok:
        raise SystemExit(f"the generated file has problems: {result.problems[:5]}")


def import_and_commit(data: bytes, max_rows: int) -> None:
    supervision_list = db.session.execute(select(SupervisionList)).scalar_one()
    user = db.session.execute(select(User)).scalar_one()
    result = excel.import_items(user, data, supervision_list, max_rows)
    if not result.ok:
        raise SystemExit(f"the generated file has problems: {result.problems[:5]}")
    db.session.commit()


def preview(data: bytes, max_rows: int) -> None:
    """What the upload does before the preview page: check every row, suggest offices for new names."""
    supervision_list = db.session.execute(select(SupervisionList)).scalar_one()
    result = excel.parse_items(data, supervision_list, max_rows)
    if not result.ok:
        raise SystemExit(f"the generated file has problems: {result.problems[:5]}")
    excel.unit_suggestions(supervision_list, result.new_names)


def measure(label: str, rows: int, action) -> None:
    """Time the action on an empty list, then run it again under tracemalloc for its peak memory."""
    setup_database()
    started = time.perf_counter()
    action()
    seconds = time.perf_counter() - started
    setup_database()
    tracemalloc.start()
    action()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    speed = rows / seconds
    print(f"{label:<30} {seconds:6.2f} s {speed:8.0f} rows/s   peak {peak / 2**20:6.1f} MiB (tracemalloc)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--word-rows", type=int, default=2_000)
    parser.add_argument("--database", help="SQLAlchemy URL; default: a new SQLite file in a temporary folder")
    args = parser.parse_args()
    folder = tempfile.TemporaryDirectory()
    url = args.database or f"sqlite:///{Path(folder.name) / 'bench.db'}"
    config = type("BenchConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url})
    app = create_app(config)

    started = time.perf_counter()
    data = make_file(args.rows)
    print(
        f"{args.rows} rows, file {len(data) / 2**20:.2f} MiB, built in {time.perf_counter() - started:.2f} s"
    )
    print(f"database: {url}")
    with app.app_context():
        measure("parse (check every row)", args.rows, lambda: parse(data, args.rows))
        measure("import (check, write, commit)", args.rows, lambda: import_and_commit(data, args.rows))
        items = db.session.scalar(select(func.count()).select_from(Item))
        events = db.session.scalar(select(func.count()).select_from(ItemEvent))
        print(f"items in the database: {items}, create events: {events}")

        real = make_real_file(args.rows)
        word = table_document("2026年江口镇民生实事项目清单", REAL_HEADER, real_rows(args.word_rows))
        print(
            f"\nas lists are written: .xlsx {len(real) / 2**20:.2f} MiB, .docx of {args.word_rows} rows "
            f"{len(word) / 2**20:.2f} MiB"
        )
        measure("preview, real .xlsx (target <10 s)", args.rows, lambda: preview(real, args.rows))
        measure("import, real .xlsx", args.rows, lambda: import_and_commit(real, args.rows))
        measure("preview, .docx table", args.word_rows, lambda: preview(word, args.rows))
        measure("import, .docx table", args.word_rows, lambda: import_and_commit(word, args.rows))
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak resident memory of this whole run: {peak:.0f} MiB (target for a preview: <300 MB)")
        db.session.remove()
        db.drop_all()
    folder.cleanup()


if __name__ == "__main__":
    main()
