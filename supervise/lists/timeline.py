"""How item events read on the timeline: action names and field names in the user's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .forms import ItemForm
from .models import Rating
from .workflow import TRANSITIONS

EVENT_LABELS = {
    "create": _l("创建事项"),
    # Written by supervise.meetings: records that link a meeting into the item's history.
    "consultation_record": _l("会商记录"),
    "activity_day": _l("联络站活动日座谈"),
    "escalation_flag": _l("列为督办预警"),
    "escalation_clear": _l("取消督办预警"),
    # Written by supervise.sheets: each step of a follow-up sheet (督办单) that concerns the item.
    "sheet_issue": _l("督办单下发"),
    "sheet_acknowledge": _l("督办单签收"),
    "sheet_answer": _l("督办单答复"),
    "sheet_verify": _l("督办单核实办结"),
    "sheet_return": _l("督办单退回重办"),
    "sheet_request_extension": _l("督办单申请延期"),
    "sheet_grant_extension": _l("督办单同意延期"),
    "sheet_refuse_extension": _l("督办单不同意延期"),
    # Written by supervise.inspections when an inspection with a finding about the item is filed.
    "inspection_finding": _l("监督活动发现问题"),
    # Written by supervise.progress: monthly reports (月报) and supervisors' feedback on them.
    "monthly_report": _l("报送月报"),
    "report_confirm": _l("监督员确认月报"),
    "report_dispute": _l("监督员对月报有异议"),
    # The transitions' own labels, amendments and answers included.
    **{action: t.label for action, t in TRANSITIONS.items()},
}


def field_labels() -> dict[str, str]:
    labels = {
        name: field.args[0] for name, field in vars(ItemForm).items() if hasattr(field, "args") and field.args
    }
    labels.update(
        {"assisting_offices": labels.get("assisting_office_ids"), "proposers": labels.get("proposer_ids")}
    )
    return labels


def timeline_context() -> dict:
    return {
        "event_labels": EVENT_LABELS,
        "field_labels": field_labels(),
        "rating_labels": {rating.value: rating.label for rating in Rating},
    }
