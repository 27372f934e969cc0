"""The monthly reports' chart: its value axis reaches the tallest month's stacked total."""

from __future__ import annotations

import re

from supervise.progress.calendar import MonthStatus
from supervise.statistics import charts
from supervise.statistics.reporting import ReportCounts


def test_the_tallest_stacked_month_stays_under_the_top_of_the_axis(app):
    counts = ReportCounts()
    for month in range(3, 12):
        counts.by_month[(month, MonthStatus.reported)] = 24 if month >= 8 else 27
        counts.by_month[(month, MonthStatus.late)] = 5
        counts.by_month[(month, MonthStatus.missing)] = 6 if month >= 8 else 0  # 35 from August on
    with app.test_request_context():
        svg = charts.reports_chart(counts)
    axis = svg[svg.index('class="axis y') :]
    # Each label of the value axis with the height of its guide line, in the plot's coordinates.
    guides = {
        int(label): float(y)
        for y, label in re.findall(r'<path d="M[\d.]+ ([\d.]+) h[\d.]+"[^>]*/><text[^>]*>(\d+)</text>', axis)
    }
    assert max(guides) >= 35, sorted(guides)
    top = guides[max(guides)]
    bars = [float(y) for y in re.findall(r'<rect x="[\d.]+" y="([\d.]+)"[^>]*class="rect reactive', svg)]
    assert bars and min(bars) >= top - 0.01, (min(bars), top)


def test_the_axis_labels_are_round_steps_from_zero_to_at_least_the_highest():
    assert charts.axis_labels(35) == [0, 5, 10, 15, 20, 25, 30, 35]
    assert charts.axis_labels(36) == [0, 5, 10, 15, 20, 25, 30, 35, 40]
    assert charts.axis_labels(7) == [0, 1, 2, 3, 4, 5, 6, 7]
    assert charts.axis_labels(120) == [0, 20, 40, 60, 80, 100, 120]
    assert charts.axis_labels(0) == [0, 1]
