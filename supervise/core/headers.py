"""Finding a table's header row by what its cells mean, not by their exact text: real lists head
the title column 项目名称, 事项 or 工程名称, put a title row above the header, number their rows in a
序号 column and split the table into sections ("一、教育类") that are its items' categories.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from .spellings import YUAN, normalised

HEADER_SCAN = 10  # rows looked at for the header: a title row or two may sit above it
LONGEST_HEADER = 16  # a longer cell is a title or a note, matched only by its exact text
UNIT_IN_HEADER = re.compile(r"[（(【\[]([^）)】\]]*)[）)】\]]")
NUMBER_HEADERS = ("序号", "序", "编码")
SECTION_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|第[一二三四五六七八九十\d]+[类部分]+[、:：]?)"
)
SECTION_COUNT = re.compile(r"[（(]?\s*共?\s*\d+\s*[项个件][)）]?$")
TOTAL_ROWS = ("合计", "总计", "小计", "共计")
HEADER_UNITS = {"元": YUAN, "千元": Decimal("0.1"), "万元": Decimal(1), "亿元": Decimal(10000)}


@dataclass(frozen=True)
class Column:
    """A column the import reads: ``name`` is how the template heads it and how problems name it;
    ``spellings`` are other headers that mean it; ``overflow``: where a second such header goes
    (a list with both 建设内容 and 目标任务)."""

    name: str
    spellings: tuple[str, ...] = ()
    required: bool = False
    overflow: str | None = None

    def hint(self) -> str:
        return "、".join(self.spellings[:4]) or self.name


@dataclass
class Header:
    """The header row found: which cell holds which column, and what the file called it."""

    row: int
    position: dict[str, int] = field(default_factory=dict)
    shown: dict[str, str] = field(default_factory=dict)  # column name → the file's header text
    units: dict[str, Decimal] = field(default_factory=dict)  # a money column's unit, in 万元
    doubled: list[str] = field(default_factory=list)
    number_column: int | None = None
    cells: tuple[str, ...] = ()  # the row's texts as written

    def missing(self, columns: list[Column]) -> list[Column]:
        return [c for c in columns if c.required and c.name not in self.position]


def _header_text(text: str) -> tuple[str, str]:
    """A header cell without its unit in brackets, and the unit: "金额（万元）" → ("金额", "万元")."""
    plain = normalised(text)
    unit = UNIT_IN_HEADER.search(plain)
    return UNIT_IN_HEADER.sub("", plain), unit.group(1) if unit else ""


def _column_of(text: str, columns: list[Column]) -> Column | None:
    """The column a header cell means: its exact text first, else the longest meaning it contains."""
    best: tuple[int, Column] | None = None
    for column in columns:
        for spelling in (column.name, *column.spellings):
            plain = _header_text(spelling)[0]
            if plain == text:
                return column
            if len(plain) >= 2 and len(text) <= LONGEST_HEADER and plain in text:
                if best is None or len(plain) > best[0]:
                    best = (len(plain), column)
    return best[1] if best else None


def match_header(number: int, cells: tuple, columns: list[Column]) -> Header:
    """What each cell of a row would be, were it the header row."""
    texts = tuple("" if value is None else str(value).strip() for value in cells)
    header = Header(number, cells=texts)
    by_name = {c.name: c for c in columns}
    for index, raw in enumerate(texts):
        text, unit = _header_text(raw)
        if not text or (index and raw == texts[index - 1]):
            continue  # empty, or the second column of a cell merged across two (Word repeats it)
        if text in NUMBER_HEADERS:
            header.number_column = index
            continue
        column = _column_of(text, columns)
        if column is None:
            continue
        if column.name in header.position:
            if column.overflow and column.overflow not in header.position:
                column = by_name[column.overflow]
            elif text != _header_text(header.shown[column.name])[0]:
                continue  # a second, looser match (例 "项目" beside "项目名称"): not this column
            else:
                header.doubled.append(raw)
                continue
        header.position[column.name] = index
        header.shown[column.name] = raw
        if unit in HEADER_UNITS:
            header.units[column.name] = HEADER_UNITS[unit]
    return header


def section_title(texts: list[str], header: Header, title_column: str) -> str | None:
    """The category a section row ("一、教育类", "（二）交通（3项）", spanning the row) starts, or None
    for an item's row."""
    filled = [(i, t) for i, t in enumerate(texts) if t]
    if not filled or len({t for _i, t in filled}) != 1:
        return None
    index, text = filled[0]
    numbered = SECTION_NUMBERING.match(text)
    alone_outside_title = len(filled) == 1 and index != header.position.get(title_column)
    if not (numbered or len(filled) > 1 or alone_outside_title):
        return None
    title = SECTION_NUMBERING.sub("", text).strip()
    title = SECTION_COUNT.sub("", title).strip(" ：:")
    return title or None


def is_total_row(texts: list[str], header: Header, title_column: str) -> bool:
    """A 合计 / 总计 row at the foot of the table (or of a section)."""
    places = [header.number_column, header.position.get(title_column)]
    return any(
        place is not None and place < len(texts) and normalised(texts[place]) in TOTAL_ROWS
        for place in places
    )


def add_subheader(header: Header, cells: tuple, columns: list[Column]) -> bool:
    """Take the row below the header as its second header row when it is one: a heading over two
    columns ("计划投资（万元）" over "总投资" and "本年度"). Each of its cells is empty, repeats the
    cell above (merged downwards) or names a column; True when it was taken."""
    sub = match_header(header.row + 1, cells, columns)
    if not sub.position:
        return False
    above = header.cells
    for index, text in enumerate(sub.cells):
        named = index in sub.position.values() or index == sub.number_column
        if text and not named and not (index < len(above) and text == above[index]):
            return False
    for name, index in sub.position.items():
        if index < len(above) and sub.cells[index] == above[index]:
            continue
        for other, at in list(header.position.items()):
            if at == index:  # the heading's own column gives way to the one below it
                del header.position[other]
        header.position[name] = index
        header.shown[name] = sub.cells[index]
        parent_unit = _header_text(above[index] if index < len(above) else "")[1]
        unit = sub.units.get(name) or HEADER_UNITS.get(parent_unit)
        if unit is not None:
            header.units[name] = unit
    return True
