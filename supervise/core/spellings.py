"""How real lists write dates, amounts and units, read into values: "6月底", "年底", "第三季度",
"230余万元", "约1.2亿元", "交通站、水利站". Pure functions; a spelling they cannot read raises
``SpellingError`` with the message the import shows beside the cell.

A month means its last day, a quarter or half-year its last day, "年底"/"年内" the 31st of December
of the list's year (or of the year written before it, "2025年底").
"""

from __future__ import annotations

import calendar
import difflib
import re
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from flask_babel import gettext as _

FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_AMOUNT = Decimal("9999999999.99")  # Numeric(12, 2), in 万元
CENT = Decimal("0.01")


class SpellingError(ValueError):
    """A cell's text that is no date, amount or unit this module can read; ``message`` says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def normalised(text: str) -> str:
    """Full-width digits and signs made half-width, every space taken out."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


# ---- Chinese numerals ------------------------------------------------------------------------

DIGITS = {"〇": 0, "零": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
DIGITS.update({"六": 6, "七": 7, "八": 8, "九": 9})
SMALL_NUMBER = re.compile(r"[一二两三四五六七八九十]+(?=月|季度|季|日|号)")
YEAR_NUMBER = re.compile(r"[〇零○一二三四五六七八九]{4}(?=年)")


CHINESE_NUMBER = re.compile(
    r"^(?:[一二两三四五六七八九]?十[一二三四五六七八九]?|[〇零○一二两三四五六七八九]+)$"
)


def chinese_number(text: str) -> int:
    """一 … 九十九 as a number: 十二 is 12, 二十 is 20, 三十一 is 31. Anything else ("十十",
    "十一十二") is a SpellingError, never a crash."""
    if not CHINESE_NUMBER.match(text):
        raise SpellingError(_("无法识别数字“%(text)s”。", text=text))
    if "十" not in text:
        return DIGITS[text] if len(text) == 1 else int("".join(str(DIGITS[c]) for c in text))
    tens, _sep, ones = text.partition("十")
    return (DIGITS[tens] if tens else 1) * 10 + (DIGITS[ones] if ones else 0)


def _digits(text: str) -> str:
    text = YEAR_NUMBER.sub(lambda m: "".join(str(DIGITS[c]) for c in m.group()), text)
    return SMALL_NUMBER.sub(lambda m: str(chinese_number(m.group())), text)


NUMBER_RUN = re.compile(r"(\d+|[〇零○一二两三四五六七八九十]+)")


def natural_key(name: str) -> tuple[tuple[int, str], ...]:
    """A sort key that puts names in their numbers' order: 第二代表小组 before 第三代表小组 and
    第十代表小组 (by the characters, 三 came before 二), 2 before 10."""
    key = []
    for n, part in enumerate(NUMBER_RUN.split(name)):
        if n % 2 and (part.isdigit() or CHINESE_NUMBER.match(part)):
            key.append((int(part) if part.isdigit() else chinese_number(part), ""))
        else:
            key.append((-1, part))
    return tuple(key)


# ---- dates -----------------------------------------------------------------------------------

TRAILING = re.compile(r"(以前|之前|前|完成|完工|建成|办结|结束|截止)+$")
LEADING = re.compile(r"^(截至|截止到|截止|到|于|在)")
FULL_DATE = re.compile(r"^(\d{4})(?:[-/.]|年)(\d{1,2})(?:[-/.]|月)(\d{1,2})[日号]?$")
MONTH = re.compile(r"^(?:(\d{4})(?:[-/.]|年))?(\d{1,2})(?:月(底|末|份|上旬|中旬|下旬)?)?$")
DAY_IN_YEAR = re.compile(r"^(\d{1,2})月(\d{1,2})[日号]$")
YEAR_END = re.compile(r"^(?:(\d{4})年?)?(年底|年末|年内|全年|年度|底|末|内|年)$")
HALF = re.compile(r"^(?:(\d{4})年)?(上|下)半年(?:底|末)?$")
QUARTER = re.compile(r"^(?:(\d{4})年)?第?([1-4])季度?(?:底|末)?$")
RANGE = re.compile(r"至|到|~|—|–|-(?=\d{1,2}月|\d{4})")
TEN_DAYS = {"上旬": 10, "中旬": 20}


def read_date(text: str, list_year: int) -> date | None:
    """The day a deadline written as in real lists means, for a list of ``list_year``; None for an
    empty cell. A year other than the list's is kept (a later one makes the item span years)."""
    plain = _digits(normalised(text))
    if not plain:
        return None
    plain = re.sub(r"^(今年|本年度?|当年)", f"{list_year}年", plain)
    plain = re.sub(r"^(明年|次年|下一年)", f"{list_year + 1}年", plain)
    plain = LEADING.sub("", TRAILING.sub("", plain)) or plain
    day = _one_date(plain, list_year)
    if day is None and RANGE.search(plain):
        # "3月至6月", "2024.3-2024.12": the deadline is where the range ends.
        first, last = RANGE.split(plain)[0], RANGE.split(plain)[-1]
        year = re.match(r"^(\d{4})", first)
        if year and not re.match(r"^\d{4}", last):
            last = f"{year.group(1)}年{last}"
        day = _one_date(last, list_year)
    if day is None:
        raise SpellingError(
            _(
                "无法识别“%(value)s”：请写成 2026-06-30、2026年6月30日、6月底、年底、第三季度 这样的时间，"
                "或留空（按清单默认完成时限）。",
                value=text.strip(),
            )
        )
    return day


def read_deadline(text: str, list_year: int) -> date | None:
    """A deadline as read_date reads it, refused when it falls before the list's year."""
    day = read_date(text, list_year)
    if day is not None and day.year < list_year:
        raise SpellingError(_("“%(value)s”早于清单年度（%(year)d 年）。", value=text.strip(), year=list_year))
    return day


def _one_date(plain: str, list_year: int) -> date | None:
    if match := FULL_DATE.match(plain):
        return _day(int(match[1]), int(match[2]), int(match[3]))
    if match := DAY_IN_YEAR.match(plain):
        return _day(list_year, int(match[1]), int(match[2]))
    if (match := MONTH.match(plain)) and (match[1] or "月" in plain):
        year, month = int(match[1] or list_year), int(match[2])
        _check_year_month(year, month)
        if match[3] in TEN_DAYS:
            return date(year, month, TEN_DAYS[match[3]])
        return date(year, month, calendar.monthrange(year, month)[1])
    if match := YEAR_END.match(plain):
        if match[1] is None and match[2] in ("底", "末", "内", "年"):
            return None  # "底" alone says nothing
        year = int(match[1] or list_year)
        _check_year_month(year, 12)
        return date(year, 12, 31)
    if match := HALF.match(plain):
        year = int(match[1] or list_year)
        _check_year_month(year, 12)
        return date(year, 6, 30) if match[2] == "上" else date(year, 12, 31)
    if match := QUARTER.match(plain):
        year, month = int(match[1] or list_year), int(match[2]) * 3
        _check_year_month(year, month)
        return date(year, month, calendar.monthrange(year, month)[1])
    if re.fullmatch(r"\d{4}", plain) and FIRST_YEAR <= int(plain) <= LAST_YEAR:
        return date(int(plain), 12, 31)  # "2025": that year's end
    return None


def _check_year_month(year: int, month: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise SpellingError(_("年份 %(year)d 应在 2000 到 2100 之间。", year=year))
    if not 1 <= month <= 12:
        raise SpellingError(_("没有 %(month)d 月。", month=month))


def _day(year: int, month: int, day: int) -> date:
    _check_year_month(year, month)
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise SpellingError(_("%(year)d 年 %(month)d 月没有 %(day)d 日。", year=year, month=month, day=day))
    return date(year, month, day)


# ---- amounts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Amount:
    """An amount in 万元, rounded to the cent; ``approx``: written with 约/余/多/左右; ``about``:
    the approximation was "about" (约230万元, 230万元左右), not "more than" (230余万元, 230多万元);
    ``rounded``: the text had more than two decimals (``written`` is what it said, in 万元)."""

    value: Decimal
    approx: bool = False
    rounded: bool = False
    written: Decimal | None = None
    about: bool = False


APPROX_BEFORE = re.compile(r"^(约为|约合|大约|约|预计|估计|估算|近|将近)")
AMOUNT = re.compile(
    r"^(?P<num>\d+(?:\.\d+)?)(?P<a1>余|多)?(?P<mult>亿|千万|百万|十万|万|千)?(?P<a2>余|多)?"
    r"(?P<yuan>元)?(?P<a3>左右|以上|许)?$"
)
MULTIPLIERS = {
    "亿": Decimal(10000),
    "千万": Decimal(1000),
    "百万": Decimal(100),
    "十万": Decimal(10),
    "万": Decimal(1),
    "千": Decimal("0.1"),
}
YUAN = Decimal("0.0001")  # one 元 in 万元


def read_amount(text: str, unit: Decimal = Decimal(1)) -> Amount | None:
    """An amount as real lists write it, in 万元: "230", "230万元", "230余万元", "约230万元",
    "1100多万元", "1.2亿元", "2,300万", "85000元". ``unit`` is what a bare number means (the
    column's own unit: 1 for 万元, 0.0001 for 元). None for an empty cell."""
    plain = normalised(text)
    if not plain:
        return None
    plain = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", plain)  # thousands separators
    approx = False
    if match := APPROX_BEFORE.match(plain):
        approx, plain = True, plain[match.end() :]
    if plain.startswith("-"):
        raise SpellingError(_("资金不能为负数。"))
    match = AMOUNT.match(plain)
    if match is None:
        raise SpellingError(
            _(
                "无法识别金额“%(value)s”：请写成 230、230万元、约230万元、1100多万元、1.2亿元 这样的数额。",
                value=text.strip(),
            )
        )
    # 余/多/以上 say "more than"; 约/左右/许 (and 预计, 近 …) only "about": kept apart, as lists mean them.
    more = bool(match["a1"] or match["a2"] or match["a3"] == "以上")
    about = not more and (approx or bool(match["a3"]))
    if match["mult"]:
        factor = MULTIPLIERS[match["mult"]]
    else:
        factor = YUAN if match["yuan"] else unit
    return amount_of(Decimal(match["num"]) * factor, more or about, about)


def amount_of(value: Decimal, approx: bool = False, about: bool = False) -> Amount:
    """An amount in 万元 rounded to the cent as Numeric(12, 2) keeps it; refused when negative or
    too large to keep. ``about``: approximate as 约 rather than 余."""
    if not value.is_finite():
        raise SpellingError(_("“%(value)s”不是数字。", value=value))
    if value < 0:
        raise SpellingError(_("资金不能为负数。"))
    try:
        kept = value.quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        kept = MAX_AMOUNT + 1
    if kept > MAX_AMOUNT:
        raise SpellingError(_("资金数额过大。"))
    rounded = kept != value
    return Amount(kept, approx, rounded, value.normalize() if rounded else None, approx and about)


# ---- units -------------------------------------------------------------------------------------

UNIT_SEPARATORS = re.compile(r"[、/／,，;；\n\r]+")
JOINING_WORDS = re.compile(r"以及|和|与|及|\s+")
ROLE_NOTE = re.compile(r"[（(](牵头|主办|主责|配合|协办)[)）]|牵头$")
UNIT_ENDINGS = (
    "办公室", "办", "站", "所", "局", "中心", "委员会", "委", "会", "院", "校", "队", "社区", "村",
    "公司", "部", "科", "处", "组", "厅", "政府", "支部", "馆", "室", "街道", "团",
)  # fmt: skip


def looks_like_unit(name: str) -> bool:
    """Ends as a unit's name does (站, 所, 办, 中心 …): "住房" does not, "水利站" does."""
    return len(name) >= 2 and name.endswith(UNIT_ENDINGS)


def split_units(text: str, known: Collection[str] = ()) -> list[str]:
    """The units a cell names, in its order, each once: "A、B、C", "A/B", "A，B", and "A和B" where
    both sides are units' names ("住房和城乡建设局" stays one). ``known``: names never split."""
    names: list[str] = []
    for part in UNIT_SEPARATORS.split(text):
        part = ROLE_NOTE.sub("", part.strip()).strip()
        if not part:
            continue
        pieces = [p for p in JOINING_WORDS.split(part) if p]
        if part not in known and len(pieces) > 1 and all(looks_like_unit(p) for p in pieces):
            names.extend(pieces)
        else:
            names.append(re.sub(r"\s+", " ", part))
    return list(dict.fromkeys(names))


def unit_key(name: str, prefixes: Iterable[str] = ()) -> str:
    """A unit's name as compared when looking for the same unit written another way: half-width,
    without spaces, without the township's name or a leading 镇/乡, with 办 for 办公室."""
    key = normalised(name)
    for prefix in sorted((p for p in prefixes if p), key=len, reverse=True):
        if key.startswith(prefix) and len(key) > len(prefix) + 1:
            key = key[len(prefix) :]
            break
    else:
        if key[:1] in ("镇", "乡") and len(key) > 2:
            key = key[1:]
    return key.replace("办公室", "办")


@dataclass(frozen=True)
class Suggestion:
    name: str  # the existing unit's name
    close: bool  # the same name written another way (not merely alike)


def suggest_unit(name: str, existing: Iterable[str], prefixes: Iterable[str] = ()) -> Suggestion | None:
    """The existing unit a new name most likely means: the same key first, then the most alike."""
    prefixes = list(prefixes)
    keys: dict[str, str] = {}
    for other in existing:
        keys.setdefault(unit_key(other, prefixes), other)
    key = unit_key(name, prefixes)
    if key in keys:
        return Suggestion(keys[key], True)
    alike = difflib.get_close_matches(key, list(keys), n=1, cutoff=0.6)
    return Suggestion(keys[alike[0]], False) if alike else None
