"""What the phone tests measure in a page, as JavaScript they put into their own page.evaluate()."""

from __future__ import annotations

# Given ``table``: ``edge``, the right edge a cell may reach (the screen's, or the table's scrolling
# box's), and ``lines(el)``, how many lines an element's text takes.
TABLE_MEASURES = """
  const box = table.closest('.table-responsive') || document.documentElement;
  const edge = Math.min(box.getBoundingClientRect().right, document.documentElement.clientWidth);
  const lines = el => {
    const range = document.createRange();
    range.selectNodeContents(el);
    return new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top))).size;
  };
"""
