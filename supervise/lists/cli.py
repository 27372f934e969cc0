"""`flask items transition ITEM_CODE ACTION --as USERNAME`: scripted work through the same operations."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from ..accounts.models import User
from ..core.errors import DomainError
from ..extensions import db
from ..org.models import Deputy
from .models import Item, Rating
from .operations import fire
from .workflow import TRANSITIONS

items_cli = AppGroup("items", help="Work on list items from scripts.")


@items_cli.command("transition")
@click.argument("code")
@click.argument("action", type=click.Choice(sorted(TRANSITIONS)))
@click.option("--as", "username", required=True, help="The account that acts (its permissions apply).")
@click.option("--reason", default="", help="Reason (reject, withdraw, carry_over).")
@click.option("--decision", default="", help="Congress decision (withdrawing a livelihood project).")
@click.option("--deputy", "deputies", multiple=True, help="Supervisor's name (assign; give 1-2).")
@click.option("--report", default="", help="Completion report (report_done).")
@click.option("--evidence", default="", help="Evidence (report_done).")
@click.option("--rating", type=click.Choice([r.value for r in Rating]), help="Result (record_result).")
def transition(code, action, username, reason, decision, deputies, report, evidence, rating):
    """Fire ACTION on the item with CODE as USERNAME; the same checks as the web pages."""
    user = db.session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    if user is None or not user.is_active:
        raise click.ClickException(f"no active account {username!r}")
    item = db.session.execute(select(Item).where(Item.code == code)).scalar_one_or_none()
    if item is None or not user.can_see_township(item.township_id):
        raise click.ClickException(f"no item {code!r} visible to {username}")
    chosen = []
    for name in deputies:
        deputy = db.session.execute(
            select(Deputy).where(Deputy.township_id == item.township_id, Deputy.name == name)
        ).scalar_one_or_none()
        if deputy is None:
            raise click.ClickException(f"no deputy {name!r} in {item.township.name}")
        chosen.append(deputy)
    try:
        fire(
            user,
            item,
            action,
            reason=reason,
            decision=decision,
            deputies=chosen,
            report=report,
            evidence=evidence,
            rating=Rating(rating) if rating else None,
        )
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"{item.code}: {action} → {item.state.value}")
