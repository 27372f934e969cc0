"""Pages of the evaluation meeting (民主评议): the chair's control pages, the hall's pages (the
engine's, registered here under /evaluation), the results and the printed documents. The deputies'
phone ballot at /vote is the engine's (``ballots.vote``).

One blueprint (``evaluation.*``, in blueprint.py), its routes in one module per activity. Importing
this module imports them all, so that registering ``bp`` registers every route.
"""

from __future__ import annotations

from ..ballots.hall_views import register_hall
from . import document_views, meeting_views
from .blueprint import READERS, bp, meeting_or_404

register_hall(bp, "/evaluation", meeting_or_404, READERS)

__all__ = ["bp", "document_views", "meeting_views"]
