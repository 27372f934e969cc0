"""Residents' opinions (群众意见): anyone may leave one on an item of a published notice; it shows
publicly only once the presidium approves it, with the presidium's answer."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from config import TestConfig
from supervise import create_app
from supervise.core.errors import DomainError
from supervise.extensions import db, limiter
from supervise.notices import operations as ops
from supervise.notices.models import Opinion, OpinionState
from tests.helpers import text_of

from .conftest import make_town


@pytest.fixture(autouse=True)
def fresh_limits(app):
    limiter.reset()
    yield
    limiter.reset()


@pytest.fixture
def published(town):
    return town, town.publish()


def _post(client, town, notice, **data):
    data.setdefault("line_id", str(notice.lines[0].id))
    return client.post(town.notice_url(notice, "/opinion"), data=data)


def test_an_opinion_waits_for_approval_then_shows_with_the_answer(published, client, login_as):
    town, notice = published
    form = client.get(town.notice_url(notice, f"/opinion?line={notice.lines[1].id}"))
    assert form.status_code == 200 and f'selected value="{notice.lines[1].id}"' in form.get_data(as_text=True)
    response = _post(client, town, notice, body="路面还有积水，请尽快处理。", author_name="沙坪村村民")
    assert response.status_code == 302
    assert "审核后公开" in text_of(client.get(response.headers["Location"]))
    assert "路面还有积水" not in text_of(client.get(town.notice_url(notice)))
    opinion = db.session.execute(select(Opinion)).scalar_one()
    assert (opinion.state, opinion.author_name) == (OpinionState.pending, "沙坪村村民")

    login_as(town.chair)
    assert "路面还有积水" in text_of(client.get("/notices/opinions"))
    approved = client.post(f"/notices/opinions/{opinion.id}/approve", data={"answer": "已安排排水改造。"})
    assert approved.status_code == 302
    page = text_of(client.get(town.notice_url(notice)))
    assert "路面还有积水，请尽快处理。" in page and "主席团答复" in page and "已安排排水改造。" in page
    assert "沙坪村村民" in page


def test_the_same_opinion_sent_again_after_back_is_one_opinion(published, client):
    town, notice = published
    for _ in range(2):  # Back, then submit the same form again
        response = _post(client, town, notice, body="路面还有积水，请尽快处理。", author_name="沙坪村村民")
        assert response.status_code == 302
    other = _post(client, town, notice, body="排水沟也堵了。", author_name="沙坪村村民")
    assert other.status_code == 302
    bodies = db.session.execute(select(Opinion.body).order_by(Opinion.id)).scalars().all()
    assert bodies == ["路面还有积水，请尽快处理。", "排水沟也堵了。"]


def test_a_rejected_opinion_never_shows(published, factory, client, login_as):
    town, notice = published
    opinion = factory.opinion(notice, body="无关内容")
    db.session.commit()
    login_as(town.chair)
    assert client.post(f"/notices/opinions/{opinion.id}/reject", data={}).status_code == 302
    assert db.session.get(Opinion, opinion.id).state is OpinionState.rejected
    assert "无关内容" not in text_of(client.get(town.notice_url(notice)))
    again = client.post(f"/notices/opinions/{opinion.id}/approve", data={"answer": "晚了"})
    assert again.status_code == 409 and "已经审核过" in text_of(again)


def test_the_presidium_answers_an_approved_opinion_later(published, factory, client, login_as):
    town, notice = published
    opinion = factory.opinion(notice, state="approved", body="希望加装路灯。")
    db.session.commit()
    login_as(town.chair)
    empty = client.post(f"/notices/opinions/{opinion.id}/answer", data={"answer": ""})
    assert empty.status_code == 409 and "请填写答复内容" in text_of(empty)
    too_long = client.post(f"/notices/opinions/{opinion.id}/answer", data={"answer": "长" * 2001})
    assert too_long.status_code == 400 and "长" * 2001 in too_long.get_data(as_text=True)
    assert (
        client.post(f"/notices/opinions/{opinion.id}/answer", data={"answer": "年内安装。"}).status_code
        == 302
    )
    assert "年内安装。" in text_of(client.get(town.notice_url(notice)))


def test_html_is_stripped_and_what_remains_is_escaped(published, client):
    town, notice = published
    body = '<script>alert("x")</script><b>路灯</b>不亮 <a href="http://evil">点我</a> 1<2 且 3>2'
    assert _post(client, town, notice, body=body, author_name="<i>老王</i>").status_code == 302
    opinion = db.session.execute(select(Opinion)).scalar_one()
    assert opinion.body == "路灯不亮 点我 1<2 且 3>2" and opinion.author_name == "老王"
    ops.approve_opinion(town.chair, opinion)
    db.session.commit()
    html = client.get(town.notice_url(notice)).get_data(as_text=True)
    assert "路灯不亮 点我 1&lt;2 且 3&gt;2" in html and "<script>alert" not in html and "evil" not in html


def test_script_tags_in_the_presidiums_answer_come_out_escaped(published, factory, client, login_as):
    town, notice = published
    opinion = factory.opinion(notice, body="路灯不亮。")
    db.session.commit()
    login_as(town.chair)
    answer = '<script>alert("答复")</script><img src=x onerror=alert(1)>已安排维修'
    assert client.post(f"/notices/opinions/{opinion.id}/approve", data={"answer": answer}).status_code == 302
    for url in (town.notice_url(notice), "/notices/opinions?state=approved"):
        html = client.get(url).get_data(as_text=True)
        assert "&lt;script&gt;alert(" in html and "&lt;img src=x onerror=alert(1)&gt;已安排维修" in html, url
        assert '<script>alert("答复")' not in html and "<img src=x" not in html, url


def test_a_superseded_notice_sends_residents_to_its_correction(published, client):
    town, notice = published
    correction = ops.publish_correction(town.chair, notice, "进度有误")
    db.session.commit()
    old_page = client.get(town.notice_url(notice)).get_data(as_text=True)
    assert "/opinion" not in old_page  # no 发表意见 buttons on the superseded notice
    form = client.get(town.notice_url(notice, f"/opinion?line={notice.lines[0].id}"))
    assert form.status_code == 200
    assert "请在更正后的公示上发表意见" in text_of(form)
    assert town.notice_url(correction) in form.get_data(as_text=True)
    assert 'name="body"' not in form.get_data(as_text=True)
    refused = _post(client, town, notice, body="路面还有积水。")
    assert refused.status_code == 409 and "请在更正后的公示上发表意见" in text_of(refused)
    with pytest.raises(DomainError, match="已被更正"):
        ops.submit_opinion(notice, notice.lines[0].id, "路面还有积水。")
    assert db.session.execute(select(Opinion)).first() is None
    # The correction takes opinions.
    assert _post(client, town, correction, body="路面还有积水。").status_code == 302
    assert db.session.execute(select(Opinion.notice_id)).scalar_one() == correction.id


def test_approved_opinions_stay_on_the_notice_they_were_left_on(published, factory, client):
    town, notice = published
    factory.opinion(notice, state="approved", body="早前的意见。", answer="已答复。")
    ops.publish_correction(town.chair, notice, "进度有误")
    db.session.commit()
    text = text_of(client.get(town.notice_url(notice)))
    assert "早前的意见。" in text and "已答复。" in text


@pytest.mark.parametrize(
    "data,message",
    [
        ({"body": ""}, "请填写意见内容"),
        ({"body": "<p></p>"}, "请填写意见内容"),
        ({"body": "长" * 501}, "意见最多 500 字"),
        ({"body": "有意见", "author_name": "名" * 21}, "称呼最多 20 字"),
        ({"body": "有意见", "line_id": ""}, "请选择意见针对的事项"),
        ({"body": "有意见", "line_id": "abc"}, "请选择意见针对的事项"),
        ({"body": "有意见", "line_id": "99999999999"}, "请选择意见针对的事项"),
        ({"body": "有意见", "line_id": "²"}, "请选择意见针对的事项"),
        ({"body": "有意见", "line_id": "999999"}, "请选择意见针对的事项"),
    ],
)
def test_bad_input_is_a_message_and_the_typed_text_stays(published, client, data, message):
    town, notice = published
    response = _post(client, town, notice, **data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message and message in text_of(response)
    assert "无法转化" not in text_of(response)  # no conversion errors for residents
    if data["body"] and len(data["body"]) < 600 and "<" not in data["body"]:
        assert data["body"] in html
    assert db.session.execute(select(Opinion)).first() is None


def test_an_opinion_on_another_notices_line_is_refused(published, factory, client):
    town, notice = published
    other = make_town(factory, factory.township("外镇"), items=1, name="外镇主席")
    foreign = factory.published_notice(other.chair)
    db.session.commit()
    response = _post(client, town, notice, body="有意见", line_id=str(foreign.lines[0].id))
    assert response.status_code == 400 and "请选择意见针对的事项" in text_of(response)


def test_opinions_are_rate_limited_per_address_keeping_the_text(published, client):
    town, notice = published
    for n in range(5):
        assert _post(client, town, notice, body=f"第{n}条意见").status_code == 302
    refused = _post(client, town, notice, body="第六条意见，请保留")
    assert refused.status_code == 429
    assert "次数过多" in text_of(refused) and "第六条意见，请保留" in refused.get_data(as_text=True)
    other_address = client.post(
        town.notice_url(notice, "/opinion"),
        data={"body": "另一位群众", "line_id": str(notice.lines[0].id)},
        environ_base={"REMOTE_ADDR": "10.0.0.9"},
    )
    assert other_address.status_code == 302
    assert len(db.session.execute(select(Opinion)).scalars().all()) == 6


def test_opinions_need_the_csrf_token(backend, factory):
    config = type(
        "CsrfConfig", (TestConfig,), {"WTF_CSRF_ENABLED": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    )
    # The same SQLite app whichever backend is parametrized: the form is checked, not the database.
    app = create_app(config)
    with app.app_context():
        db.create_all()
        from tests.factories import Factory

        town = make_town(Factory())
        notice = town.publish()
        client = app.test_client()
        response = client.post(
            town.notice_url(notice, "/opinion"), data={"body": "没有令牌", "line_id": str(notice.lines[0].id)}
        )
        assert response.status_code == 400
        assert db.session.execute(select(Opinion)).first() is None
        db.session.remove()
        db.drop_all()


def test_moderation_is_the_townships_presidiums(published, factory, client, login_as):
    town, notice = published
    opinion = factory.opinion(notice)
    other = factory.township("外镇")
    db.session.commit()
    login_as(factory.user("presidium", township=other))
    assert client.post(f"/notices/opinions/{opinion.id}/approve", data={}).status_code == 404
    assert client.post("/notices/opinions/999999/approve", data={}).status_code == 404
    assert "路面还有积水" not in text_of(client.get("/notices/opinions"))
    assert db.session.get(Opinion, opinion.id).state is OpinionState.pending
    with pytest.raises(ops.PermissionDenied):
        ops.approve_opinion(factory.user("government"), opinion)


def test_an_unknown_moderation_action_is_404(published, factory, client, login_as):
    town, notice = published
    opinion = factory.opinion(notice)
    db.session.commit()
    login_as(town.chair)
    assert client.post(f"/notices/opinions/{opinion.id}/delete", data={}).status_code == 404
    assert client.get("/notices/opinions?state=bogus").status_code == 200
