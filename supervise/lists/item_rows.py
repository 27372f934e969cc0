"""Checking an imported list's rows: the columns a list may have (by meaning, as real lists head
them), and each row's item read from how lists are really written (core.spellings)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from ..core.amounts import wan_yuan, written_figure
from ..core.headers import Column
from ..core.importing import ImportResult, SheetRow
from ..core.spellings import (
    Amount,
    SpellingError,
    amount_of,
    read_amount,
    read_date,
    read_deadline,
    split_units,
)
from ..core.xlsx import cell_text, plain_text
from ..extensions import db
from ..org.models import Deputy, Office
from .item_rules import funds_problem, offices_problem
from .models import Item, ItemLevel, ListKind, SupervisionList

TITLE = "事项名称"
LEAD = "主办单位"
ASSISTING = "协办单位"
# Joint leads in a column of their own (as this system's export writes them); a lead cell naming
# several units ("A、B") gives joint leads too.
JOINT_LEADS = "联合牵头单位"
DEADLINE = "完成时限"
END_YEAR = "结束年度"
FUNDS = "计划资金（万元）"
FUNDS_THIS_YEAR = "本年度计划投资（万元）"
CATEGORY = "分类"
LEVEL = "级别"
FUNDS_SOURCE = "资金来源"
CODE_HEADER = "编号"
PROPOSERS = "提出建议的代表"
HANDED_OVER = "交办日期"

# Text columns: header → (item field, longest allowed), as on the item form.
TEXT_COLUMNS = {
    TITLE: ("title", 200),
    "事项内容": ("description", 5000),
    "实施区域": ("area", 200),
    "分管领导": ("leader_name", 40),
    "目标/标准": ("target", 2000),
    "来源": ("source", 2000),
    FUNDS_SOURCE: ("funds_source", 200),
}
FLAG_COLUMNS = {
    "影响面广": "wide_impact",
    "群众关注度高": "public_attention",
    "推进难度大": "high_difficulty",
}
UNITS = {
    TITLE: ("项目名称", "事项", "工程名称", "实事名称", "实事项目", "项目", "建议名称"),
    LEAD: ("牵头单位", "责任单位", "承办单位", "实施单位", "牵头部门", "责任部门", "主责单位", "责任主体"),
}
COLUMNS = [
    Column(TITLE, UNITS[TITLE], required=True),
    Column("事项内容", ("项目内容", "具体内容", "内容", "项目概况", "基本情况")),
    Column("实施区域", ("实施地点", "建设地点", "地点", "区域", "实施范围")),
    Column(LEAD, UNITS[LEAD], required=True),
    Column(JOINT_LEADS, ("联合牵头", "共同牵头单位")),
    Column(ASSISTING, ("配合单位", "协助单位", "参与单位", "配合部门", "协办部门")),
    Column("分管领导", ("责任领导", "包抓领导", "牵头领导", "联系领导", "负责领导", "分管负责人")),
    Column(
        "目标/标准",
        ("目标", "目标任务", "建设内容", "主要内容", "建设内容及规模", "建设目标", "完成目标", "标准"),
        overflow="事项内容",
    ),
    Column(DEADLINE, ("时间节点", "完成时间", "时限", "完成期限", "计划完成时间", "办结时限")),
    Column(END_YEAR, ("完成年度",)),
    Column(
        FUNDS,
        ("计划投资", "投资", "资金", "金额", "总投资", "投资额", "投资金额", "概算", "预算", "估算投资"),
    ),
    Column(
        FUNDS_THIS_YEAR,
        (
            "本年度投资",
            "年度投资",
            "年计划投资",
            "本年计划投资",
            "年度计划投资",
            "当年投资",
            "本年度",
            "当年",
        ),
    ),
    Column(FUNDS_SOURCE, ("资金渠道", "资金筹措", "筹资方式")),
    Column(CATEGORY, ("类别", "类型", "项目类别", "项目分类")),
    Column(LEVEL, ("项目级别", "层级", "实事级别")),
    *(Column(name) for name in FLAG_COLUMNS),
    Column("来源", ("项目来源", "事项来源")),
    Column(PROPOSERS, ("提出代表", "建议人", "领衔代表", "代表姓名")),
    Column(HANDED_OVER, ("交办时间",)),
    Column(CODE_HEADER),
]
LEVELS = {"镇": ItemLevel.township, "乡": ItemLevel.township, "县": ItemLevel.county, "区": ItemLevel.county}
LEVELS["市"] = ItemLevel.city
CODE_CHECK_BATCH = 500


@dataclass(slots=True)
class ItemRow:
    """One checked row: the item's fields and its units by name (resolved to offices on writing)."""

    number: int
    fields: dict
    lead: str = ""
    joint: list[str] = field(default_factory=list)
    assisting: list[str] = field(default_factory=list)
    proposer_ids: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the preview points out (a rounded amount)
    joint_ids: list[int] = field(default_factory=list)
    assisting_ids: list[int] = field(default_factory=list)
    funds_text: str = ""  # the funds cell as written, when it reads otherwise than the amount kept


@dataclass
class ItemImport(ImportResult[ItemRow]):
    codes: list[str] = field(default_factory=list)  # of the items created
    new_names: dict[str, int] = field(default_factory=dict)  # a unit the township lacks → its first row
    categories: list[str] = field(default_factory=list)  # in the order the file has them
    created_offices: list[str] = field(default_factory=list)
    merged_categories: dict[str, str] = field(default_factory=dict)  # as written → the list's category


class ItemChecker:
    """Checks rows against the township's offices and deputies, the list's items and earlier rows."""

    def __init__(self, supervision_list: SupervisionList, result: ItemImport):
        self.result = result
        self.is_suggestion = supervision_list.kind is ListKind.suggestion
        self.list_year = supervision_list.year
        self.known_categories = {category_key(c): c for c in supervision_list.categories or []}
        township_id = supervision_list.township_id
        self.offices = {
            o.name: o
            for o in db.session.execute(select(Office).where(Office.township_id == township_id)).scalars()
        }
        self.deputies: dict[str, list[Deputy]] = {}
        if self.is_suggestion:
            for deputy in db.session.execute(
                select(Deputy).where(Deputy.township_id == township_id)
            ).scalars():
                self.deputies.setdefault(deputy.name, []).append(deputy)
        self.existing_titles = set(
            db.session.execute(select(Item.title).where(Item.list_id == supervision_list.id)).scalars()
        )
        self.titles: dict[str, int] = {}
        self.codes: dict[str, int] = {}
        self.codes_to_check: dict[str, int] = {}

    def check(self, row: SheetRow) -> None:
        """Check one row; keep its fields while the file has no problem so far."""
        item = ItemRow(row.number, {})
        fields = item.fields
        for header, (name, longest) in TEXT_COLUMNS.items():
            text = plain_text(row.value(header))
            if len(text) > longest:
                row.problem(header, _("不能超过 %(n)d 个字。", n=longest))
            fields[name] = text
        self._check_title(row, fields["title"])
        leads = self._units(row, LEAD)
        item.lead, item.joint = (leads[0], leads[1:]) if leads else ("", [])
        item.joint += [name for name in self._units(row, JOINT_LEADS) if name not in leads]
        item.assisting = self._units(row, ASSISTING)
        if problem := offices_problem(item.lead or None, item.joint, item.assisting):
            row.problem(ASSISTING, problem)
        self._deadline(row, fields)
        total = self._funds(row, FUNDS, item)
        fields["planned_funds"], fields["planned_funds_approx"], fields["planned_funds_about"] = total
        this_year, approx, _about = self._funds(row, FUNDS_THIS_YEAR, item)
        fields["planned_funds_this_year"] = this_year
        if approx:
            # Only the total has an "approximate" mark: the note says this year's figure was one.
            item.notes.append(
                _(
                    "%(column)s按约数%(amount)s记录。",
                    column=_shown(row, FUNDS_THIS_YEAR),
                    amount=wan_yuan(this_year),
                )
            )
        if problem := funds_problem(fields["planned_funds"], this_year):
            row.problem(FUNDS_THIS_YEAR, problem)
        fields["category"] = self._category(row)
        fields["level"] = _level(row)
        for header, name in FLAG_COLUMNS.items():
            fields[name] = _flag(row, header)
        if self.is_suggestion:
            proposers = [self._deputy(row, n) for n in split_units(plain_text(row.value(PROPOSERS)))]
            item.proposer_ids = [d.id for d in proposers if d is not None]
            fields["handed_over_on"] = self._date(row, HANDED_OVER)
        else:
            for header in (PROPOSERS, HANDED_OVER):
                if row.text(header):
                    row.problem(header, _("只有“代表建议”清单可以填写这一列。"))
        self._check_code(row, plain_text(row.value(CODE_HEADER)))
        self.result.keep(item)

    def _check_title(self, row: SheetRow, title: str) -> None:
        if not title:
            row.problem(TITLE, _("事项名称不能为空。"))
        elif title in self.titles:
            row.problem(TITLE, _("与第 %(row)d 行的事项名称重复。", row=self.titles[title]))
        elif title in self.existing_titles:
            row.problem(TITLE, _("清单中已有同名事项“%(title)s”。", title=title))
        if title:
            self.titles.setdefault(title, row.number)

    def _units(self, row: SheetRow, column: str) -> list[str]:
        """The units a cell names; one the township lacks is a new name for the preview to map."""
        names = split_units(plain_text(row.value(column)), self.offices)
        for name in names:
            office = self.offices.get(name)
            if len(name) > 80:
                row.problem(column, _("单位名称“%(name)s”超过 80 个字。", name=name[:20] + "…"))
            elif office is None:
                self.result.new_names.setdefault(name, row.number)
            elif not office.is_active:
                row.problem(column, _("站所“%(name)s”已停用。", name=name))
        return names

    def _date(self, row: SheetRow, column: str) -> date | None:
        value = row.value(column)
        day = value.date() if isinstance(value, datetime) else value if isinstance(value, date) else None
        read = read_deadline if column == DEADLINE else read_date
        try:
            day = day or read(cell_text(value), self.list_year)
        except SpellingError as error:
            row.problem(column, error.message)
            return None
        if day is not None and not 2000 <= day.year <= 2100:
            # A number typed into a date-formatted cell reads as a day in 1900.
            row.problem(column, _("日期 %(day)s 的年份应在 2000 到 2100 之间。", day=day.isoformat()))
            return None
        return day

    def _deadline(self, row: SheetRow, fields: dict) -> None:
        """The deadline, what the cell said, and the end year of an item that runs into a later year."""
        day = self._date(row, DEADLINE)
        value = row.value(DEADLINE)
        text = "" if isinstance(value, date) else cell_text(value)
        fields["deadline"] = day
        fields["deadline_text"] = text[:40] if day is None or text != day.isoformat() else ""
        end_year = _end_year(row, self.list_year)
        if end_year is None and day is not None and day.year > self.list_year:
            end_year = day.year  # "2027年底" on a 2026 list: the item spans years
        elif end_year is not None and day is not None and day.year > end_year:
            row.problem(DEADLINE, _("完成时限晚于结束年度（%(year)d 年）。", year=end_year))
        fields["end_year"] = end_year

    def _funds(self, row: SheetRow, column: str, item: ItemRow) -> tuple[Decimal | None, bool, bool]:
        """The amount of a funds cell, whether it is approximate, and whether as 约 (not 余)."""
        value = row.value(column)
        unit = (row.units or {}).get(column, Decimal(1))
        try:
            if isinstance(value, int | float) and not isinstance(value, bool):
                amount: Amount | None = amount_of(Decimal(str(value)) * unit)
            else:
                amount = read_amount(cell_text(value), unit)
        except SpellingError as error:
            row.problem(column, error.message)
            return None, False, False
        if amount is None:
            return None, False, False
        if column == FUNDS and cell_text(value) not in (
            wan_yuan(amount.value, amount.approx, about=amount.about),
            written_figure(amount.value, amount.approx, about=amount.about),
        ):
            item.funds_text = cell_text(value)  # the preview shows it beside the amount kept
        if amount.rounded:
            item.notes.append(
                _(
                    "%(column)s“%(written)s”万元按两位小数记为 %(kept)s 万元。",
                    column=_shown(row, column),
                    written=amount.written,
                    kept=amount.value,
                )
            )
        return amount.value, amount.approx, amount.about

    def _category(self, row: SheetRow) -> str:
        category = plain_text(row.value(CATEGORY)) or row.category
        if len(category) > 40:
            row.problem(CATEGORY, _("分类不能超过 40 个字。"))
            return ""
        known = self.known_categories.get(category_key(category))
        if category and known and known != category:
            self.result.merged_categories.setdefault(category, known)  # "教育类" is the list's "教育"
            category = known
        if category and category not in self.result.categories:
            self.result.categories.append(category)
        return category

    def _deputy(self, row: SheetRow, name: str) -> Deputy | None:
        found = self.deputies.get(name, [])
        active = [d for d in found if d.is_active]
        candidates = active or found
        if not candidates:
            row.problem(PROPOSERS, _("本镇没有代表“%(name)s”。", name=name))
        elif len(candidates) > 1:
            row.problem(PROPOSERS, _("本镇有多名代表叫“%(name)s”，请导入后在事项中选择。", name=name))
        else:
            return candidates[0]
        return None

    def _check_code(self, row: SheetRow, code: str) -> None:
        if not code:
            return
        if code in self.codes:
            row.problem(CODE_HEADER, _("与第 %(row)d 行的编号重复。", row=self.codes[code]))
            return
        self.codes[code] = row.number
        self.codes_to_check[code] = row.number
        if len(self.codes_to_check) >= CODE_CHECK_BATCH:
            self.check_codes()

    def check_codes(self) -> None:
        """Codes already in the system, looked up a batch at a time rather than row by row."""
        if not self.codes_to_check:
            return
        taken = db.session.execute(
            select(Item.code).where(Item.code.in_(list(self.codes_to_check)))
        ).scalars()
        for code in taken:
            self.result.report(self.codes_to_check[code], CODE_HEADER, _("编号“%(code)s”已存在。", code=code))
        self.codes_to_check.clear()


def category_key(name: str) -> str:
    """A category's name as compared with a list's categories: full-width letters and spaces, and a
    trailing 类/方面/项目, make no difference ("交通出行类" is "交通出行")."""
    key = "".join(unicodedata.normalize("NFKC", name).split())
    for ending in ("类", "方面", "项目"):
        if key.endswith(ending) and len(key) > len(ending):
            return key.removesuffix(ending)
    return key


def _shown(row: SheetRow, column: str) -> str:
    """The column's header as the file wrote it."""
    return (row.shown or {}).get(column, column)


def _end_year(row: SheetRow, list_year: int) -> int | None:
    """The end year of an item spanning years: after the list's year, as the list's confirmation wants."""
    text = row.text(END_YEAR)
    if not text:
        return None
    digits = text.removesuffix("年").strip()
    year = int(digits) if digits.isascii() and digits.isdigit() and len(digits) < 10 else None
    if year is None:
        row.problem(END_YEAR, _("“%(value)s”不是年度，请填 2027 这样的年份。", value=text))
    elif not 2000 <= year <= 2100:
        row.problem(END_YEAR, _("年度应在 2000 到 2100 之间。"))
    elif year <= list_year:
        row.problem(END_YEAR, _("结束年度须晚于清单年度（%(year)d 年）。", year=list_year))
    else:
        return year
    return None


def _level(row: SheetRow) -> ItemLevel | None:
    text = row.text(LEVEL)
    if not text:
        return None
    level = LEVELS.get(text[0])
    if level is None:
        row.problem(LEVEL, _("“%(value)s”不是级别，请填镇级、县级或市级。", value=text))
    return level


def _flag(row: SheetRow, column: str) -> bool:
    value = row.value(column)
    if isinstance(value, bool):
        return value
    text = cell_text(value)
    if text in ("", "否"):
        return False
    if text == "是":
        return True
    row.problem(column, _("请填“是”或“否”，不填视为“否”。"))
    return False
