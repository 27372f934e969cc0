"""The reference the PDF benches measure documents against, in the same run: WeasyPrint as its
documentation shows it, on the same saved HTML (a fresh ``HTML``, the stylesheet linked as a file,
its defaults), rendered in turn with the app's path so that load from elsewhere falls on both alike.

Used by bench/follow_up_sheet_pdf.py, bench/vote_tally.py and bench/county_view.py (run as
scripts: this folder is on sys.path).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

from flask import current_app


def direct_html(html: str) -> str:
    """The document's HTML linking the app's stylesheet as a file (the app adds it when it prints)."""
    assert current_app.static_folder is not None
    css = Path(current_app.static_folder) / "pdf.css"
    return html.replace("</head>", f'<link rel="stylesheet" href="{css.as_uri()}"></head>', 1)


def direct_pdf(html: str) -> bytes:
    """WeasyPrint printing the HTML of direct_html() as its documentation shows it."""
    from weasyprint import HTML

    from supervise.core.pdf import BASE_URL

    return HTML(string=html, base_url=BASE_URL).write_pdf()


def in_turn(runs: int, **timed: Callable[[], object]) -> dict[str, dict[str, float]]:
    """Each function once to warm up, then all in turn ``runs`` times: the median wall-clock and
    CPU seconds of each, by name."""
    for run in timed.values():
        run()
    wall: dict[str, list[float]] = {name: [] for name in timed}
    cpu: dict[str, list[float]] = {name: [] for name in timed}
    for _ in range(runs):
        for name, run in timed.items():
            start, start_cpu = time.perf_counter(), time.process_time()
            run()
            wall[name].append(time.perf_counter() - start)
            cpu[name].append(time.process_time() - start_cpu)
    return {
        name: {"wall": statistics.median(wall[name]), "cpu": statistics.median(cpu[name])} for name in timed
    }
