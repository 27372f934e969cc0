"""/api/v1/openapi.json and a documentation page rendered from it on the server: no script, no CDN."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify, render_template

bp = Blueprint("api_docs", __name__, url_prefix="/api/v1")


def openapi_document() -> dict[str, Any]:
    return current_app.extensions["supervise_api"].spec.to_dict()


@bp.get("/openapi.json")
def openapi_json():
    response = jsonify(openapi_document())
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/docs")
def docs():
    document = openapi_document()
    operations = [
        (path, method.upper(), operation)
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]
    return render_template(
        "api/docs.html",
        document=document,
        operations=operations,
        schemas=document.get("components", {}).get("schemas", {}),
    )
