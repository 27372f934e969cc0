"""/api/v1/openapi.json and a documentation page rendered from it on the server: no script, no CDN.

The OpenAPI document is written in English, from the code. The page says what each operation does
in the reader's language (``what_it_does``) above the document's own English text; a test checks
that every operation of the document has its line here."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify, render_template
from flask_babel import gettext as _

bp = Blueprint("api_docs", __name__, url_prefix="/api/v1")


def openapi_document() -> dict[str, Any]:
    return current_app.extensions["supervise_api"].spec.to_dict()


def what_it_does() -> dict[str, str]:
    """Each operation ("GET /api/v1/me") in a line of the reader's language."""
    return {
        "GET /api/v1/me": _("令牌所属的用户：角色、镇、部门或代表身份，以及令牌的名称和权限。"),
        "GET /api/v1/me/items": _("我的事项及其月报（代表：所监督的事项；部门经办人：本部门牵头的事项）。"),
        "GET /api/v1/items/{item_id}": _("本镇的一个事项及其时间线，与事项页面所示相同。"),
        "POST /api/v1/uploads": _("上传一张照片或一个文件；在记录引用它的编号之前，它是调用者待用的上传。"),
        "POST /api/v1/inspections": _(
            '新建一次监督活动的草稿，或带 "file": true 直接提交（无法提交时不留草稿）。'
        ),
        "GET /api/v1/inspections/{inspection_id}": _("读取一次监督活动。"),
        "PUT /api/v1/inspections/{inspection_id}": _(
            '按读取时的版本修改自己的草稿；带 "file": true 时同时提交。'
        ),
        "POST /api/v1/inspections/{inspection_id}/file": _(
            "提交完整的草稿：此后只读，其发现显示在相关事项上。"
        ),
        "POST /api/v1/reports/{report_id}/feedback": _("义务监督员确认月报的当前版本，或填写意见提出异议。"),
        "GET /api/v1/sheets": _("发给本部门的督办单，按签发先后排列。"),
        "GET /api/v1/sheets/{sheet_id}": _("读取一份督办单。"),
        "POST /api/v1/sheets/{sheet_id}/acknowledge": _("承办部门签收督办单。"),
        "POST /api/v1/sheets/{sheet_id}/answer": _(
            "承办部门答复督办单：整改措施和佐证材料（按编号引用上传）。"
        ),
        "GET /api/v1/public/townships": _("启用的镇，以及公开地址中代表各镇的简称。"),
        "GET /api/v1/public/townships/{slug}/notices": _("镇的已发布公示，按发布先后排列。"),
        "GET /api/v1/public/townships/{slug}/notices/{notice_id}": _(
            "一期已发布的公示及其各行：每个事项在公示发布时的情况。"
        ),
        "GET /api/v1/public/townships/{slug}/evaluations": _("镇的已发布民主评议结果及其各行，最新的在前。"),
        "GET /api/v1/public/townships/{slug}/evaluations/{result_id}": _("读取一次已发布的民主评议结果。"),
        "GET /api/v1/public/townships/{slug}/votes": _("镇的已发布民生实事项目票决结果，最近的年度在前。"),
        "GET /api/v1/public/townships/{slug}/votes/{year}": _(
            "一个年度的票决结果：各项数字、各候选项目每轮的得票，以及当选项目成为的事项。不含选票。"
        ),
    }


def part_names() -> dict[str, str]:
    """The API's parts (the document's tags) in the reader's language."""
    return {
        "api_items": _("我和我的事项"),
        "api_field": _("监督活动（带照片）和月报反馈"),
        "api_sheets": _("发给本部门的督办单"),
        "api_public": _("公开信息（不需要令牌）"),
    }


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
        says=what_it_does(),
        parts=part_names(),
        schemas=document.get("components", {}).get("schemas", {}),
    )
