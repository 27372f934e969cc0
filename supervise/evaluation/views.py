"""Pages of the evaluation meeting (民主评议): the chair's control pages, the hall's projection, and the
deputies' phone ballot at /vote (no login).

One blueprint (``evaluation.*``, in blueprint.py), its routes in one module per activity. Importing
this module imports them all, so that registering ``bp`` registers every route.
"""

from __future__ import annotations

from . import document_views, hall_views, meeting_views, paper_views, phone_views
from .blueprint import bp

__all__ = ["bp", "document_views", "hall_views", "meeting_views", "paper_views", "phone_views"]
