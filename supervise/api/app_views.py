"""The deputies' offline app (a PWA on the same site): its page, manifest, service worker and token.

The page is a shell that works from the service worker's cache; the deputy's items, reports and the
records waiting to be sent live in the phone's IndexedDB, and reach the server through /api/v1 with
a token the app asks for here, with the signed-in session (the one route where a session makes a
token, and it is the user's own).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Blueprint, Response, current_app, jsonify, render_template, url_for
from flask_login import current_user

from ..accounts import operations
from ..core.permissions import Role, roles_required
from ..core.security import CSP

bp = Blueprint("offline_app", __name__, url_prefix="/app")

STATIC = Path(__file__).resolve().parent.parent / "static" / "offline"
# What the service worker keeps for offline use: the shell and its own assets, nothing personal.
PREVIEW_IMAGES = "img-src 'self' data: blob:"
SHELL_FILES = ("offline.js", "offline.css", "icon.svg", "icon-192.png", "icon-512.png")


def cache_version() -> str:
    """Changes whenever a file of the shell does, so that phones fetch the new shell."""
    digest = hashlib.sha256()
    for name in (*SHELL_FILES, "sw.js"):
        digest.update((STATIC / name).read_bytes())
    digest.update((Path(current_app.root_path).parent / "templates" / "offline" / "app.html").read_bytes())
    return digest.hexdigest()[:12]


def shell_urls() -> list[str]:
    return [
        url_for("offline_app.shell"),
        url_for("offline_app.manifest"),
        *(url_for("static", filename=f"offline/{name}") for name in SHELL_FILES),
    ]


@bp.get("/")
@roles_required(Role.deputy)
def shell():
    response = Response(
        render_template(
            "offline/app.html",
            photo_max_px=current_app.config["APP_PHOTO_MAX_PX"],
            username=current_user.username,
            deputy_id=current_user.deputy_id,
        )
    )
    # Photo previews are blob: URLs made on the phone.
    response.headers["Content-Security-Policy"] = CSP.replace(
        "img-src 'self' data:", "img-src 'self' data: blob:"
    )
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.post("/token")
@roles_required(Role.deputy)
def token():
    """A fresh write token for this phone's app (shown to the app once, kept in its IndexedDB)."""
    return jsonify(token=operations.renew_app_token(current_user)), 201


@bp.get("/manifest.webmanifest")
def manifest():
    icons = [
        {"src": url_for("static", filename="offline/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": url_for("static", filename="offline/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {"src": url_for("static", filename="offline/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
    ]
    body = {
        "name": "清单监督 · 代表",
        "short_name": "清单监督",
        "start_url": url_for("offline_app.shell"),
        "scope": url_for("offline_app.shell"),
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#b3261e",
        "lang": "zh-CN",
        "icons": icons,
    }
    response = jsonify(body)
    response.mimetype = "application/manifest+json"
    return response


@bp.get("/sw.js")
def service_worker():
    script = (STATIC / "sw.js").read_text(encoding="utf-8")
    listed = ",\n  ".join(f'"{url}"' for url in shell_urls())
    script = script.replace('"__SHELL__"', listed).replace("__VERSION__", cache_version())
    response = Response(script, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response
