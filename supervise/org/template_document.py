"""The deputies' import template is a stored document made by a worker, like every generated .xlsx
(core/exports.register_workbook). It shows no data, so there is one per language, made again only
when its columns or the deputy levels change."""

from __future__ import annotations

from dataclasses import dataclass

from ..core.exports import register_workbook
from . import importing
from .models import DeputyLevel

KIND = "deputies-template"


@dataclass(frozen=True)
class DeputiesTemplate:
    """The one record the template belongs to: it depends on nothing in the database."""

    id: int = 0


TEMPLATE = DeputiesTemplate()


def fingerprint(_template: DeputiesTemplate) -> str:
    return repr((importing.HEADERS, [level.value for level in DeputyLevel]))


register_workbook(
    KIND,
    load_record=lambda record_id: TEMPLATE if record_id == TEMPLATE.id else None,
    fingerprint=fingerprint,
    build=lambda _template: importing.template_workbook(),
)
