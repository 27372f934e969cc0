"""The completion chart by office (or township): nine offices' names stay apart (each its own line,
no name over another), and an office without items is marked 无事项, not drawn as 0%."""

from __future__ import annotations

import re
from fractions import Fraction
from xml.etree import ElementTree as ET

from supervise.statistics import charts

SVG = "{http://www.w3.org/2000/svg}"
OFFICES = [
    "党政综合办公室",
    "农业综合服务站",
    "江口镇中心卫生院",
    "社会事务办公室",
    "社会保障服务站",
    "经济发展办公室",
    "规划建设环保办公室",
    "财政所",
    "镇交通运输站",
]
FONT = 12  # the labels' font size (charts.STYLE)


def label_boxes(svg: str, names: list[str]) -> dict[str, tuple[float, float, float, float]]:
    """Each name's label as (left, top, right, bottom) in the chart, a CJK character taken as one
    font size wide, anchored as pygal's stylesheet anchors an axis' labels (x: middle, y: end)."""
    boxes = {}

    def walk(element, dx: float, dy: float, axis: str) -> None:
        found = re.match(r"translate\(([-\d.]+),\s*([-\d.]+)\)", element.attrib.get("transform", ""))
        if found:
            dx, dy = dx + float(found.group(1)), dy + float(found.group(2))
        classes = element.attrib.get("class", "").split()
        if "axis" in classes:
            axis = "x" if "x" in classes else "y"
        if element.tag == f"{SVG}text":
            name = next((n for n in names if (element.text or "").startswith(n)), None)
            if name is not None:
                x, y = dx + float(element.attrib["x"]), dy + float(element.attrib["y"])
                width = len(element.text or "") * FONT
                anchor = element.attrib.get("text-anchor") or {"x": "middle", "y": "end"}.get(axis, "start")
                left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
                boxes[name] = (left, y - FONT, left + width, y)
        for child in element:
            walk(child, dx, dy, axis)

    walk(ET.fromstring(svg), 0.0, 0.0, "")  # noqa: S314 (our own SVG)
    return boxes


def test_nine_offices_names_do_not_run_into_each_other(app):
    with app.test_request_context():
        svg = charts.completion_chart([(name, Fraction(n, 9)) for n, name in enumerate(OFFICES)])
    boxes = label_boxes(svg, OFFICES)
    assert set(boxes) == set(OFFICES)
    for one in OFFICES:
        for other in OFFICES:
            a, b = boxes[one], boxes[other]
            apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
            assert one == other or apart, (one, other, a, b)
    assert min(box[0] for box in boxes.values()) >= 0  # and none is cut off at the left edge
    # top to bottom in the order given
    assert sorted(OFFICES, key=lambda name: boxes[name][1]) == OFFICES


def test_an_office_without_items_is_marked_not_drawn_as_nought(app):
    with app.test_request_context():
        svg = charts.completion_chart([("甲办", Fraction(0)), ("乙办", None)])
    texts = [t.text or "" for t in ET.fromstring(svg).iter(f"{SVG}text")]  # noqa: S314
    assert "乙办（无事项）" in texts and "甲办" in texts
    assert "0%" in texts  # 甲办's empty bar says 0%; 乙办 has no value printed
    assert texts.count("0%") == 1
