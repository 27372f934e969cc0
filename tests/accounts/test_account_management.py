"""Managing accounts: who may create which role where, password rules, typed input kept on errors."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from supervise.accounts.models import User
from supervise.extensions import db


def account_count() -> int:
    return db.session.execute(select(func.count()).select_from(User)).scalar_one()


def new_account(client, **fields):
    data = {
        "username": "clerk-li",
        "display_name": "李文",
        "role": "government",
        "password": "mountain-river-42",
    }
    data.update(fields)
    return client.post("/manage/accounts/new", data=data)


def test_presidium_creates_a_government_account_bound_to_an_office(client, login_as, factory):
    chair = login_as("presidium")
    office = factory.office(name="财政所")
    response = new_account(client, office_id=office.id)
    assert response.status_code == 302
    user = db.session.execute(select(User).where(User.username == "clerk-li")).scalar_one()
    assert user.township_id == chair.township_id and user.office_id == office.id
    assert user.password_hash.startswith("$argon2id$")
    assert client.post("/logout").status_code == 302
    signed = client.post("/login", data={"username": "clerk-li", "password": "mountain-river-42"})
    assert signed.status_code == 302


def test_presidium_account_always_lands_in_its_own_township(client, login_as, factory):
    chair = login_as("presidium")
    other = factory.township("外镇")
    assert new_account(client, township_id=other.id, role="presidium").status_code == 302
    user = db.session.execute(select(User).where(User.username == "clerk-li")).scalar_one()
    assert user.township_id == chair.township_id


@pytest.mark.parametrize(
    "password,message",
    [
        ("short1", "至少需要 10 个字符"),
        ("password123", "太常见"),
        ("1234567890", "太常见"),
        ("clerk-li-2024", "不能包含用户名"),
    ],
)
def test_real_accounts_refuse_weak_passwords(client, login_as, password, message):
    login_as("presidium")
    before = account_count()
    response = new_account(client, password=password)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and message in body
    assert 'value="clerk-li"' in body and 'value="李文"' in body  # what was typed stays
    assert account_count() == before


def test_presidium_cannot_create_county_or_admin_accounts(client, login_as):
    login_as("presidium")
    before = account_count()
    for role in ("county", "admin"):
        response = new_account(client, role=role, username=f"x-{role}")
        assert response.status_code == 200
    assert account_count() == before


def test_deputy_account_needs_a_deputy_of_the_same_township(client, login_as, factory):
    login_as("presidium")
    foreign = factory.deputy(factory.township("外镇"))
    response = new_account(client, role="deputy", deputy_id=foreign.id)
    assert "只有代表账号可以绑定本镇的代表" in response.get_data(as_text=True)
    response = new_account(client, role="deputy")
    assert "代表账号需要选择对应的代表" in response.get_data(as_text=True)
    mine = factory.deputy(name="杨春花")
    assert new_account(client, role="deputy", deputy_id=mine.id).status_code == 302


def test_duplicate_username_is_refused(client, login_as, factory):
    login_as("presidium")
    factory.user("government", username="Clerk-Li")
    response = new_account(client)
    assert "已被使用" in response.get_data(as_text=True)


def test_county_creates_accounts_only_in_its_county(client, login_as, factory):
    login_as("county")
    far = factory.township("远镇", county=factory.county("别的县"))
    before = account_count()
    response = new_account(client, township_id=far.id, role="presidium")
    assert response.status_code == 200 and account_count() == before
    near = factory.default_township
    assert new_account(client, township_id=near.id, role="presidium").status_code == 302


def test_admin_creates_a_county_account(client, login_as, factory):
    login_as("admin")
    county = factory.county("汉阴县")
    assert new_account(client, role="county", county_id=county.id, username="hanyin").status_code == 302
    assert (
        db.session.execute(select(User.county_id).where(User.username == "hanyin")).scalar_one() == county.id
    )


def test_account_list_shows_only_own_township(client, login_as, factory):
    login_as("presidium")
    factory.user("government", username="mine-clerk")
    factory.user("government", township=factory.township("外镇"), username="their-clerk")
    body = client.get("/manage/accounts/").get_data(as_text=True)
    assert "mine-clerk" in body and "their-clerk" not in body


def test_manager_resets_a_password_and_old_sessions_end(app, client, login_as, factory):
    clerk = factory.user("government")
    clerk_client = app.test_client()
    clerk_client.post("/login", data={"username": clerk.username, "password": factory.PASSWORD})
    login_as("presidium")
    response = client.post(
        f"/manage/accounts/{clerk.id}/edit",
        data={"display_name": "新名字", "office_id": clerk.office_id, "new_password": "fresh-start-2026"},
    )
    assert response.status_code == 302
    assert clerk_client.get("/").status_code == 302
    assert db.session.get(User, clerk.id).display_name == "新名字"


def test_cannot_deactivate_yourself(client, login_as):
    chair = login_as("presidium")
    response = client.post(f"/manage/accounts/{chair.id}/active", data={"active": "0"})
    assert response.status_code == 409
    assert db.session.get(User, chair.id).is_active is True


def test_a_deputy_gets_only_one_account(client, login_as, factory):
    login_as("presidium")
    taken = factory.user("deputy")
    response = new_account(client, role="deputy", deputy_id=taken.deputy_id)
    assert response.status_code == 200
    assert "已有账号" in response.get_data(as_text=True) and 'value="clerk-li"' in response.get_data(
        as_text=True
    )
