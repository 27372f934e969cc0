"""What the API reads and writes, as marshmallow schemas: they check input and document the
OpenAPI operations. Dates and times are ISO 8601 (times in UTC, with ``Z``)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask_babel import gettext as _
from marshmallow import Schema, ValidationError, fields, validate

from ..core.fields import MAX_ID
from ..inspections.models import InspectionMethod
from ..progress.models import FeedbackVerdict

Id = fields.Integer


def _id(**kwargs: Any) -> fields.Integer:
    return fields.Integer(validate=validate.Range(min=1, max=MAX_ID), **kwargs)


class MostItems(validate.Length):
    """A list's length limit, said as entries, not characters (still ``maxItems`` in the document)."""

    def __init__(self, most: int):
        super().__init__(max=most)

    def _format_error(self, value: Any, message: str) -> str:
        return _("最多 %(max)s 项。", max=self.max)


def _not_blank(value: str) -> None:
    if not value.strip():
        raise ValidationError(_("必须填写。"))


class UtcDateTime(fields.DateTime):
    """Stored times are naive UTC: written out with their zone."""

    def _serialize(self, value: datetime | None, attr: Any, obj: Any, **kwargs: Any) -> str | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC).isoformat().replace("+00:00", "Z")


class StrictSchema(Schema):
    class Meta:
        ordered = True


# ---- errors and pages ---------------------------------------------------------------------------


class FieldErrorSchema(StrictSchema):
    field = fields.String(required=True)
    message = fields.String(required=True)


class ProblemSchema(StrictSchema):
    """RFC 9457 problem details; ``errors`` lists the fields to correct, ``current`` the record as it
    stands now when a write was refused because it changed (409)."""

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String()
    errors = fields.List(fields.Nested(FieldErrorSchema))
    current = fields.Dict()


class PageArgsSchema(StrictSchema):
    cursor = fields.String(
        validate=validate.Length(max=40), metadata={"description": "next_cursor of the previous page"}
    )
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=100))


def page_of(schema: type[Schema], name: str) -> type[Schema]:
    """A page of ``schema`` rows and the cursor of the next page (null on the last)."""
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(schema), required=True),
            "next_cursor": fields.String(allow_none=True),
        },
        name=name,
    )


class VersionSchema(StrictSchema):
    version = fields.Integer(
        required=True,
        validate=validate.Range(min=0, max=MAX_ID),
        metadata={"description": "the record's version as last read; a changed record is a 409"},
    )


# ---- who is calling -----------------------------------------------------------------------------


class NamedSchema(StrictSchema):
    id = Id(required=True)
    name = fields.String(required=True)


class TownshipSchema(NamedSchema):
    slug = fields.String(required=True)


class MeSchema(StrictSchema):
    id = Id(required=True)
    username = fields.String(required=True)
    display_name = fields.String(required=True)
    role = fields.String(required=True)
    township = fields.Nested(TownshipSchema, allow_none=True)
    office = fields.Nested(NamedSchema, allow_none=True)
    deputy_id = fields.Integer(allow_none=True)
    token_name = fields.String(required=True)
    token_scope = fields.String(required=True)


# ---- items and their reports --------------------------------------------------------------------


class FeedbackSchema(StrictSchema):
    id = Id(required=True)
    report_id = Id(required=True)
    deputy_id = Id(required=True)
    verdict = fields.String(required=True)
    comment = fields.String(required=True)
    at = UtcDateTime(required=True)


class ReportSchema(StrictSchema):
    id = Id(required=True)
    item_id = Id(required=True)
    month = fields.Date(required=True)
    version = fields.Integer(required=True)
    percent = fields.Integer(required=True)
    done = fields.String(required=True)
    problems = fields.String(required=True)
    funds_spent = fields.Float(allow_none=True, metadata={"description": "万元"})
    submitted_at = UtcDateTime(required=True)
    correction_reason = fields.String(required=True)
    feedback = fields.List(
        fields.Nested(FeedbackSchema),
        required=True,
        metadata={
            "description": "each supervisor's current verdict on this version: a verdict given again "
            "replaces the earlier one, which is not listed"
        },
    )


class ItemSummarySchema(StrictSchema):
    id = Id(required=True)
    code = fields.String(required=True)
    title = fields.String(required=True)
    kind = fields.String(required=True)
    year = fields.Integer(required=True)
    state = fields.String(required=True)
    state_label = fields.String(required=True)
    lead_office = fields.String(allow_none=True)
    deadline = fields.Date(allow_none=True)
    version = fields.Integer(required=True)
    supervisor_ids = fields.List(fields.Integer(), required=True)
    takes_findings = fields.Boolean(
        required=True, metadata={"description": "an inspection's finding may name it (it is on the list)"}
    )


class MyItemSchema(ItemSummarySchema):
    takes_feedback = fields.Boolean(
        required=True,
        metadata={
            "description": "its reports take the caller's feedback: the caller supervises it and its "
            "supervision has not ended (not closed, withdrawn or carried over)"
        },
    )
    reports = fields.List(fields.Nested(ReportSchema), required=True)


class EventSchema(StrictSchema):
    id = Id(required=True)
    at = UtcDateTime(required=True)
    action = fields.String(required=True)
    label = fields.String(required=True)
    from_state = fields.String(allow_none=True)
    to_state = fields.String(allow_none=True)
    reason = fields.String(required=True)
    summary = fields.String(required=True)
    actor = fields.String(allow_none=True)


class ItemSchema(ItemSummarySchema):
    description = fields.String(required=True)
    target = fields.String(required=True)
    area = fields.String(required=True)
    timeline = fields.List(fields.Nested(EventSchema), required=True)


# ---- inspections, uploads, feedback -------------------------------------------------------------


class UploadSchema(StrictSchema):
    id = Id(required=True)
    filename = fields.String(required=True)
    content_type = fields.String(required=True)
    size = fields.Integer(required=True)


class UploadFormSchema(Schema):
    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


class FindingSchema(StrictSchema):
    text = fields.String(load_default="", validate=validate.Length(max=5000))
    item_ids = fields.List(_id(), load_default=list, validate=MostItems(50))
    photo_ids = fields.List(_id(), load_default=list, validate=MostItems(20))


class InspectionInSchema(StrictSchema):
    method = fields.String(required=True, validate=validate.OneOf([m.value for m in InspectionMethod]))
    held_on = fields.Date(allow_none=True, load_default=None)
    place = fields.String(load_default="", validate=validate.Length(max=200))
    station_id = _id(allow_none=True, load_default=None)
    group_id = _id(allow_none=True, load_default=None)
    notes = fields.String(load_default="", validate=validate.Length(max=5000))
    residents_visited = fields.Integer(allow_none=True, load_default=None, validate=validate.Range(0, 100000))
    residents_summary = fields.String(load_default="", validate=validate.Length(max=5000))
    participant_ids = fields.List(_id(), load_default=list, validate=MostItems(200))
    findings = fields.List(fields.Nested(FindingSchema), load_default=list, validate=MostItems(30))
    file = fields.Boolean(
        load_default=False,
        metadata={"description": "file it in the same request; if it cannot be filed, nothing is saved"},
    )


class InspectionUpdateSchema(InspectionInSchema):
    version = VersionSchema._declared_fields["version"]


class InspectionSchema(StrictSchema):
    id = Id(required=True)
    state = fields.String(required=True)
    method = fields.String(required=True)
    held_on = fields.Date(allow_none=True)
    place = fields.String(required=True)
    station_id = fields.Integer(allow_none=True)
    group_id = fields.Integer(allow_none=True)
    notes = fields.String(required=True)
    residents_visited = fields.Integer(allow_none=True)
    residents_summary = fields.String(required=True)
    participant_ids = fields.List(fields.Integer(), required=True)
    findings = fields.List(fields.Nested(FindingSchema), required=True)
    version = fields.Integer(required=True)
    created_at = UtcDateTime(required=True)
    filed_at = UtcDateTime(allow_none=True)
    missing_for_filing = fields.List(fields.String(), required=True)


class FeedbackInSchema(StrictSchema):
    verdict = fields.String(required=True, validate=validate.OneOf([v.value for v in FeedbackVerdict]))
    comment = fields.String(load_default="", validate=validate.Length(max=2000))


# ---- follow-up sheets ---------------------------------------------------------------------------


class SheetLineSchema(StrictSchema):
    item_id = fields.Integer(allow_none=True)
    item_code = fields.String(allow_none=True)
    findings = fields.String(required=True)


class SheetSchema(StrictSchema):
    id = Id(required=True)
    document_number = fields.String(required=True)
    title = fields.String(required=True)
    state = fields.String(required=True)
    state_label = fields.String(required=True)
    deadline = fields.Date(allow_none=True)
    issued_at = UtcDateTime(allow_none=True)
    version = fields.Integer(required=True)
    lines = fields.List(fields.Nested(SheetLineSchema), required=True)
    actions = fields.List(
        fields.String(), required=True, metadata={"description": "what the caller may do now"}
    )


class AnswerInSchema(VersionSchema):
    measures = fields.String(required=True, validate=[validate.Length(max=5000), _not_blank])
    evidence = fields.String(load_default="", validate=validate.Length(max=5000))
    evidence_file_ids = fields.List(_id(), load_default=list, validate=MostItems(20))


# ---- public -------------------------------------------------------------------------------------


class NoticeSummarySchema(StrictSchema):
    id = Id(required=True)
    title = fields.String(required=True)
    month = fields.Date(required=True)
    issuer = fields.String(required=True)
    published_at = UtcDateTime(required=True)
    corrects_id = fields.Integer(allow_none=True)


class NoticeLineSchema(StrictSchema):
    position = fields.Integer(required=True)
    item_code = fields.String(required=True)
    title = fields.String(required=True)
    kind_label = fields.String(required=True)
    state_label = fields.String(required=True)
    lead_office_name = fields.String(required=True)
    supervisor_names = fields.String(required=True)
    target = fields.String(required=True)
    deadline = fields.Date(allow_none=True)
    percent = fields.Integer(allow_none=True)
    progress = fields.String(required=True)
    problems = fields.String(required=True)


class NoticeSchema(NoticeSummarySchema):
    township = fields.Nested(TownshipSchema, required=True)
    lines = fields.List(fields.Nested(NoticeLineSchema), required=True)


class ResultLineSchema(StrictSchema):
    position = fields.Integer(required=True)
    is_office = fields.Boolean(required=True)
    title = fields.String(required=True)
    subtitle = fields.String(required=True)
    satisfied = fields.Integer(required=True)
    basic = fields.Integer(required=True)
    dissatisfied = fields.Integer(required=True)
    invalid = fields.Integer(required=True)
    rate = fields.String(required=True)
    grade = fields.String(required=True)


class EvaluationResultSchema(StrictSchema):
    id = Id(required=True)
    title = fields.String(required=True)
    held_on = fields.Date(required=True)
    place = fields.String(required=True)
    roster = fields.Integer(required=True)
    present = fields.Integer(required=True)
    ballots = fields.Integer(required=True)
    rule_text = fields.String(required=True)
    issuer = fields.String(required=True)
    published_at = UtcDateTime(required=True)
    lines = fields.List(fields.Nested(ResultLineSchema), required=True)


class ChosenItemSchema(StrictSchema):
    id = Id(required=True)
    code = fields.String(required=True)
    title = fields.String(required=True)


class VoteLineSchema(StrictSchema):
    round = fields.Integer(
        required=True, metadata={"description": "1: the vote; 2 and on: its run-offs (另行投票), in order"}
    )
    title = fields.String(required=True, metadata={"description": "the candidate project"})
    yes = fields.Integer(required=True, metadata={"description": "赞成"})
    no = fields.Integer(required=True, metadata={"description": "不赞成"})
    abstain = fields.Integer(required=True, metadata={"description": "弃权"})
    invalid = fields.Integer(
        required=True,
        metadata={"description": "无效: void ballots and lines marked twice (the four add up to 收回)"},
    )
    passed = fields.Boolean(required=True, metadata={"description": "赞成 enough to pass the rule"})
    tied = fields.Boolean(required=True, metadata={"description": "tied at the cut: decided by a run-off"})
    chosen = fields.Boolean(required=True, metadata={"description": "当选 in this round"})
    item = fields.Nested(
        ChosenItemSchema,
        required=True,
        allow_none=True,
        metadata={"description": "the item a chosen project became on the year's 民生实事 list"},
    )


class VoteResultSchema(StrictSchema):
    """A published vote on the year's livelihood projects (民生实事项目票决), as it was announced."""

    id = Id(required=True)
    year = fields.Integer(required=True)
    title = fields.String(required=True)
    held_on = fields.Date(required=True)
    published_at = UtcDateTime(required=True)
    rule_text = fields.String(required=True, metadata={"description": "当选规则, as printed"})
    roster = fields.Integer(required=True, metadata={"description": "应到 deputies"})
    present = fields.Integer(required=True, metadata={"description": "实到"})
    issued = fields.Integer(
        required=True,
        metadata={"description": "发出 ballots (first round): paper sheets issued + phone codes handed out"},
    )
    returned = fields.Integer(
        required=True, metadata={"description": "收回: paper sheets entered + phone ballots cast"}
    )
    valid = fields.Integer(required=True, metadata={"description": "有效"})
    invalid = fields.Integer(required=True, metadata={"description": "无效"})
    places = fields.Integer(required=True, metadata={"description": "应选: the projects to choose"})
    candidates = fields.Integer(required=True)
    chosen = fields.Integer(required=True)
    vacancies = fields.Integer(required=True, metadata={"description": "places left empty"})
    chosen_share = fields.Float(
        required=True, allow_none=True, metadata={"description": "票决率: chosen / candidates"}
    )
    turnout = fields.Float(
        required=True, allow_none=True, metadata={"description": "到会率: present / roster"}
    )
    lines = fields.List(fields.Nested(VoteLineSchema), required=True)
