"""`flask items transition`: scripts go through the same operations and checks as the pages."""

from __future__ import annotations

from supervise.extensions import db
from supervise.lists.models import ItemState

from .conftest import events_of


def transition(app, item, action: str, user, *options: str):
    db.session.commit()
    return app.test_cli_runner().invoke(
        args=["items", "transition", item.code, action, "--as", user.username, *options]
    )


def test_a_script_fires_a_transition_as_an_account(app, people):
    item = people.item("completed")

    result = transition(app, item, "reject", people.users["supervisor"], "--reason", "路面仍有破损。")

    assert result.exit_code == 0, result.output
    db.session.refresh(item)
    assert item.state is ItemState.supervising
    assert (events_of(item)[-1].action, events_of(item)[-1].reason) == ("reject", "路面仍有破损。")


def test_a_script_is_refused_what_the_account_may_not_do(app, people):
    item = people.item("completed")

    not_theirs = transition(app, item, "reject", people.users["deputy"], "--reason", "路面仍有破损。")
    no_reason = transition(app, item, "reject", people.users["supervisor"])

    assert not_theirs.exit_code != 0 and "您不能对这个事项进行“退回继续监督”" in not_theirs.output
    assert no_reason.exit_code != 0 and "请填写理由" in no_reason.output
    db.session.refresh(item)
    assert (item.state, events_of(item)) == (ItemState.completed, [])
