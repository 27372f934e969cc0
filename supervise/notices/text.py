"""Notice texts for readers: the labels copied into notice lines. What residents type is cleaned by
core/text.py (HTML stripped, private numbers masked)."""

from __future__ import annotations


def reader_labels() -> dict[str, str]:
    """The item state and list kind labels copied into notice lines (Chinese, as published) mapped to
    the reader's language: the web pages show them translated, the printed notice as published.
    A label that is no current state or kind (renamed since) is shown as stored."""
    from ..lists.models import ItemState, ListKind

    return {member._label: member.label for enum in (ItemState, ListKind) for member in enum}
