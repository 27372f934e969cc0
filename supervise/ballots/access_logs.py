"""No access log line of this app's process for the voting addresses (/vote, /vote/…).

An access log line is a client address with a time: next to the ballots it would say which phone
voted when. The app itself logs no request; the lines come from the server that runs it: werkzeug's
development server (``flask run``, ``make run``) and gunicorn when it is started with an access log.
Both write through a logger of this process ("werkzeug", "gunicorn.access"), and a filter on each
drops their lines for the voting addresses. A reverse proxy in front (nginx) keeps its own log, out
of the app's reach: README.md says how to turn it off for these addresses.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping

VOTING_PATH = "/vote"
# The servers' loggers that write one line per request.
ACCESS_LOGGERS = ("werkzeug", "gunicorn.access")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def is_voting_path(path: str) -> bool:
    """/vote, /vote/ballot, /vote?…: the pages and posts of the phone ballot."""
    path = path.split("?", 1)[0]
    return path == VOTING_PATH or path.startswith(VOTING_PATH + "/")


def _requested_path(record: logging.LogRecord) -> str:
    """The path of the request an access log line is about, or ''."""
    args = record.args
    if isinstance(args, Mapping):  # gunicorn: the atoms of its access log format, U = the path
        path = args.get("U")
        return path if isinstance(path, str) else ""
    if isinstance(args, tuple) and args and isinstance(args[0], str):  # werkzeug: "GET /vote HTTP/1.1"
        parts = _ANSI.sub("", args[0]).split(" ")
        return parts[1] if len(parts) > 1 else ""
    return ""


class DropVotingRequests(logging.Filter):
    """Drops a server's access log line when the request was for a voting address."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not is_voting_path(_requested_path(record))


_FILTER = DropVotingRequests()


def quiet_voting_requests(_state: object = None) -> None:
    """Install the filter on the servers' access loggers (once: a logger keeps one of each filter)."""
    for name in ACCESS_LOGGERS:
        logging.getLogger(name).addFilter(_FILTER)
