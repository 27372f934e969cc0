"""The charts, as SVG made on the server with pygal: no JavaScript on the page, and the same SVG
goes into the annual report's PDF (WeasyPrint draws it as vectors: its labels stay text).

Pages show a chart as an ``<img>`` of a ``data:`` URI: an SVG image is a document of its own, so the
page's Content-Security-Policy (no inline styles) does not strip the chart's stylesheet.
"""

from __future__ import annotations

import base64
import re
import sys
from collections.abc import Iterable, Mapping
from fractions import Fraction

import pygal
from flask_babel import gettext as _
from pygal.style import Style

from ..progress.calendar import MonthStatus
from .reporting import ReportCounts

# pygal appends a finder for its map plugins (pygal.maps.*, unused here) to sys.meta_path; it has no
# find_spec, so every import that no other finder resolves then warns (ImportWarning), and the tests
# turn warnings into errors. Taken out again: nothing here imports a map.
sys.meta_path[:] = [finder for finder in sys.meta_path if type(finder).__module__ != "pygal"]

# The documents' serif first: in a PDF the charts then add no third CJK face to embed and subset.
FONTS = "'Noto Serif CJK SC', 'Noto Sans CJK SC', 'Microsoft YaHei', serif"
STYLE = Style(
    font_family=FONTS,
    label_font_family=FONTS,
    major_label_font_family=FONTS,
    value_font_family=FONTS,
    title_font_family=FONTS,
    legend_font_family=FONTS,
    tooltip_font_family=FONTS,
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#222222",
    foreground_strong="#000000",
    foreground_subtle="#666666",
    colors=("#2f6fb0", "#e0a020", "#c0392b", "#3a9a5b", "#7d5ba6", "#5f6b7a"),
    title_font_size=16,
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=12,
    value_font_size=11,
)


def _chart(kind: type, title: str, **config) -> pygal.Graph:
    settings = {"width": 800, "height": 380, "legend_at_bottom": True, "print_values": False, **config}
    return kind(
        title=title,
        style=STYLE,
        js=[],  # no script: the SVG is an image on pages and a drawing in PDFs
        disable_xml_declaration=True,
        explicit_size=True,
        **settings,
    )


def _svg(chart: pygal.Graph, name: str) -> str:
    """The chart's SVG without script, its random id (a uuid per render) replaced by ``name``: the
    same figures give the same bytes, so a stored report whose HTML did not change is still current."""
    svg = chart.render(is_unicode=True)
    # Its configuration for pygal's tooltips script, which is not loaded (js=[]), and the tooltips'
    # data (a <desc> for each value's text, x and y): dropped, a fifth of the bytes and the elements
    # the PDF's renderer walks. The <title>s (the chart's name, a label's full text) stay.
    svg = re.sub(r"<script\b.*?</script>|<desc\b[^>]*>.*?</desc>", "", svg, flags=re.S)
    found = re.search(r'id="chart-([0-9a-f-]+)"', svg)
    return svg.replace(found.group(1), name) if found else svg


def _percent(rate: Fraction | None) -> float | None:
    return None if rate is None else round(float(rate) * 100, 1)


def completion_chart(rows: Iterable[tuple[str, Fraction | None]]) -> str:
    """Completion rate by township (or office): a horizontal bar each, in percent, the names on the
    left one under another (side by side under upright bars, nine offices' names ran together). One
    without items to count is marked so in its label, not drawn as a 0% bar."""
    rows = list(rows)
    labels = [name if rate is not None else _("%(name)s（无事项）", name=name) for name, rate in rows]
    chart = _chart(
        pygal.HorizontalBar,
        _("完成率（%）"),
        range=(0, 100),
        show_legend=False,
        height=max(200, 90 + 30 * len(rows)),
        truncate_label=-1,  # whole names: an office's name says which office it is
        # pygal sizes the names' margin for Latin letters; a CJK character is about twice as wide
        margin_left=max((len(label) for label in labels), default=0) * 8,
        print_values=True,  # "0%" beside an empty bar: none done, where 无事项 has no value at all
        formatter=lambda value: f"{value:g}%",
    )
    # top to bottom in the order given (pygal draws a horizontal chart's first label at the bottom)
    chart.x_labels = labels[::-1]
    chart.add(_("完成率"), [_percent(rate) for _name, rate in rows][::-1])
    return _svg(chart, "completion")


def axis_labels(highest: int, most: int = 8) -> list[int]:
    """Round labels from 0 up to at least ``highest``, in steps of 1, 2 or 5 × 10ⁿ, at most ``most``."""
    step = 1
    while -(-highest // step) > most:
        step = step * 5 // 2 if str(step)[0] == "2" else step * 2  # 1, 2, 5, 10, 20, 50, …
    top = max(1, -(-highest // step)) * step
    return list(range(0, top + 1, step))


def reports_chart(counts: ReportCounts) -> str:
    """Monthly reports by month: on time, late and missing, stacked. The value axis is sized on the
    months' stacked totals (pygal sized it on less, and the tallest bars rose above its top)."""
    statuses = (MonthStatus.reported, MonthStatus.late, MonthStatus.missing)
    highest = max(sum(counts.by_month[(m, status)] for status in statuses) for m in range(1, 13))
    labels = axis_labels(highest)
    chart = _chart(pygal.StackedBar, _("月报报送情况（按月）"), range=(0, labels[-1]), y_labels=labels)
    chart.x_labels = [_("%(m)d月", m=m) for m in range(1, 13)]
    for status in statuses:
        chart.add(status.label, [counts.by_month[(m, status)] or None for m in range(1, 13)])
    return _svg(chart, "reports")


def satisfaction_chart(series: Mapping[str, Mapping[int, Fraction | None]], years: list[int]) -> str:
    """The overall satisfaction rate by year, one line per township (or the one township)."""
    chart = _chart(pygal.Line, _("总体满意率（%）按年度"), range=(0, 100), show_dots=True, dots_size=4)
    chart.x_labels = [str(year) for year in years]
    for name, rates in series.items():
        chart.add(name, [_percent(rates.get(year)) for year in years])
    return _svg(chart, "satisfaction")


def data_uri(svg: str) -> str:
    """The SVG as a ``data:`` URI, for an ``<img>`` on a page or in a PDF."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
