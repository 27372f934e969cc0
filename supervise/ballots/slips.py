"""The phone codes' slips: the address that opens the phone ballot with a code, and its QR code."""

from __future__ import annotations

import segno

from ..core.public_urls import public_url


def vote_url(code: str) -> str:
    """The phone ballot's address with ``code`` in the fragment: the page's script fills the code in,
    and a fragment is never sent to the server, so no access log ever holds a code. Absolute, on
    SUPERVISE_PUBLIC_BASE_URL when configured (as the notices' QR codes), else this request's root."""
    return public_url("ballots.vote") + f"#code={code}"


def vote_qr(code: str) -> str:
    """A QR code opening the phone ballot with ``code`` filled in, as an SVG data: URI."""
    return segno.make_qr(vote_url(code), error="m").svg_data_uri(border=4, omitsize=True)
