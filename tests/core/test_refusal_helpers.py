"""The refusal pages of core/errors.py: what a view's ``refusal_shows`` answers with."""

from __future__ import annotations

from supervise.core.errors import DomainError, PermissionDenied, page_refused


def test_a_refused_page_is_shown_again_with_the_message_and_the_errors_status(app):
    def page(record: str, error: str | None = None, status: int = 200, form: str = ""):
        return f"{record}|{form}|{error}", status

    with app.test_request_context("/"):
        refused = page_refused(page, "sheet 7", form="as typed")
        conflict = refused(DomainError("已被他人处理"))
        denied = refused(PermissionDenied("不是您的"))
    assert (conflict.status_code, conflict.get_data(as_text=True)) == (409, "sheet 7|as typed|已被他人处理")
    assert (denied.status_code, denied.get_data(as_text=True)) == (403, "sheet 7|as typed|不是您的")


def test_a_page_that_answers_without_a_status_gets_the_errors(app):
    with app.test_request_context("/"):
        response = page_refused(lambda error=None: f"<p>{error}</p>")(DomainError("状态已变"))
    assert response.status_code == 409
    assert response.get_data(as_text=True) == "<p>状态已变</p>"
