"""Malformed input never makes a 500: every form reachable from the permission table's routes, posted
by a role that may use it, with huge numbers, non-numbers, NUL, 1 MB strings, repeated keys and
empty values in its fields. Seeded, so a failure repeats; a few hundred requests per backend.

Each form is found where its user finds it: on the GET page of the route (or of its parent pages),
with the values that page fills in; one field at a time is then replaced by a malformed value, so
that the others stay valid and the bad value gets as deep into the view as it can. The evaluation
meeting's later stages (roll call, voting, closed) have pages of their own: their forms are read
there, with what a clerk would type in the fields the page leaves empty (evaluation_stages).
"""

from __future__ import annotations

import random
import re
from html import unescape

import pytest
from werkzeug.datastructures import MultiDict

from supervise.extensions import db
from tests.helpers import count, html_of, text_of

from .permission_routes import ROUTES
from .permission_world import ROLES, build_world

SEED = 20261204
# 1 MB of text, with a few Chinese characters at its end. Mostly ASCII: as 1 MB of Chinese, it was 9 MB
# percent-encoded, coded byte by byte in Python by the test client and werkzeug, most of this test's
# time; the length is what a form must survive (multibyte input is in the other values).
MEGABYTE = "a" * (1024 * 1024 - 30) + "长" * 10
MALFORMED = [
    "abc",
    "1e309",
    "2147483648",
    "9" * 400,
    "-1",
    "-9223372036854775809",
    "0",
    " ",
    "",
    "NaN",
    "Infinity",
    "1.5",
    "0x10",
    "²",
    "\x00",
    "a\x00b",
    "2026-13-45",
    "99999-01-01",
    "0001-01-01",
    "<script>",
    "None",
    "1,2,x",
]
ALLOWED = (403, 404)  # the role is refused: not a form it may use


def _attributes(tag: str) -> dict[str, str]:
    return {name: unescape(value) for name, value in re.findall(r'([\w-]+)="([^"]*)"', tag)}


def forms_on(html: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """The POST forms of a page: (action, [(field name, value as the page fills it)])."""
    found = []
    for form_tag, body in re.findall(r"(<form\b[^>]*>)(.*?)</form>", html, flags=re.S | re.I):
        attrs = _attributes(form_tag)
        if attrs.get("method", "get").lower() != "post":
            continue
        fields: list[tuple[str, str]] = []
        for tag in re.findall(r"<input\b[^>]*>", body, flags=re.I):
            a = _attributes(tag)
            if "name" not in a or a.get("type") in ("file", "submit", "button"):
                continue
            if a.get("type") in ("checkbox", "radio") and "checked" not in tag:
                fields.append((a["name"], None))  # on the form, but sent only when chosen
                continue
            fields.append((a["name"], a.get("value", "")))
        buttons = [_attributes(tag) for tag in re.findall(r"<button\b[^>]*>", body, flags=re.I)]
        named = {a["name"]: a.get("value", "") for a in reversed(buttons) if "name" in a}
        fields += named.items()  # what the first button of each name sends (领纸质表, 到会)
        for tag, options in re.findall(r"(<select\b[^>]*>)(.*?)</select>", body, flags=re.S | re.I):
            values = re.findall(r'<option\b[^>]*value="([^"]*)"[^>]*\bselected', options)
            values = values or re.findall(r'<option\b[^>]*value="([^"]*)"', options)[:1]
            fields.append((_attributes(tag)["name"], unescape(values[0]) if values else ""))
        for tag, text in re.findall(r"(<textarea\b[^>]*>)(.*?)</textarea>", body, flags=re.S | re.I):
            fields.append((_attributes(tag)["name"], unescape(text).strip()))
        found.append((attrs.get("action", ""), fields))
    return found


def permitted_role(expected: dict) -> str | None:
    """A signed-in role that may use the route (the table does not answer it 403 or 404)."""
    for role in ROLES[1:]:
        if expected[role] not in ALLOWED:
            return role
    return None


# Signing in and out is no form of the data: fuzzing them would only sign the fuzzing clients out.
NOT_FUZZED = ("/login", "/logout")


def targets(clients, records) -> list[tuple[str, str, list[tuple[str, str | None]]]]:
    """(role, URL, baseline fields) for every POST form found on the table's pages, and every POST
    route of the table (with the table's data where no page shows its form)."""
    found: dict[tuple[str, str], list[tuple[str, str | None]]] = {}
    posts: list[tuple[str, str, list[tuple[str, str | None]]]] = []
    for method, path, data, expected in ROUTES:
        role = permitted_role(expected)
        url = path.format(**records)
        if role is None or path in NOT_FUZZED or url.endswith((".xlsx", ".pdf")) or "/files/" in url:
            continue
        if method == "POST":
            posts.append((role, url, list((data or {}).items())))
            continue
        # Each role that reads the page sees its own forms (the chair the item's actions).
        for reader in (r for r in ROLES[1:] if expected[r] == 200):
            response = clients[reader].get(url, follow_redirects=True)
            if "html" not in response.content_type:
                continue
            for action, fields in forms_on(response.get_data(as_text=True)):
                action = action or url
                if action.startswith("/") and action not in NOT_FUZZED:
                    found.setdefault((reader, action.split("?")[0]), fields)
    for role, url, fields in posts:
        found.setdefault((role, url), fields)
    # One of each: /manage/offices/1/active and /manage/offices/2/active are one form, and so are
    # the language and sign-out forms of every page, whoever sends them.
    once: dict[str, tuple[str, str, list]] = {}
    for (role, url), fields in sorted(found.items()):
        key = re.sub(r"/\d+", "/<id>", url) if url != "/language" else url
        once.setdefault(key, (role, url, fields))
    return list(once.values())


def signed_in_clients(app, users) -> dict:
    """A client signed in as each role, kept for the whole test (one sign-in each)."""
    clients = {}
    for role, user in users.items():
        client = app.test_client()
        signed = client.post("/login", data={"username": user.username, "password": "correct-horse-battery"})
        assert signed.status_code == 302
        clients[role] = client
    return clients


# Names a form without fields of its own on the page may still read (ids and numbers sent by
# buttons and scripts, or by forms that show only in another state of the record).
GUESSED = ["id", "version", "deputy_id", "serial", "count", "rating"]


def variants(rng: random.Random, fields: list[tuple[str, str | None]]):
    """Malformed versions of a form: each field replaced alone, then the whole form at once with
    huge numbers, non-numbers, empty values, a repeated key and a 1 MB value."""
    # One of each kind: findings-0-text stands for findings-1-text too.
    kinds = {re.sub(r"-\d+-", "-0-", name): name for name, _ in reversed(fields) if name != "csrf_token"}
    names = list(dict.fromkeys(kinds.values()))
    base = [(n, v) for n, v in fields if v is not None]
    for name in names:
        bad = rng.choice(MALFORMED)
        yield f"{name}={bad[:20]!r}", [(n, v) for n, v in base if n != name] + [(name, bad)]
    names = names or GUESSED
    name = rng.choice(names)
    yield f"{name} repeated", [*base, (name, rng.choice(MALFORMED)), (name, rng.choice(MALFORMED))]
    yield "all empty", [(n, "") for n in names]
    yield "all huge", [(n, rng.choice(["9" * 400, "2147483648", "1e309"])) for n in names]
    yield "no numbers", [(n, rng.choice(["abc", " ", "-1", "1.5", "\x00"])) for n in names]
    yield f"{name} 1 MB", [(n, v) for n, v in base if n != name] + [(name, MEGABYTE)]


def evaluation_stages(factory, chair) -> tuple[dict[str, int], list[int], list[str]]:
    """Meetings with rated lines past preparation, so that the forms of their later pages are read
    from the pages (not guessed): one in roll call whose date is ahead (opening voting asks for an
    early start), one in voting (sheets and a code handed out, serials 1 and 2 issued, sheet 1
    entered, two codes drawn) and one closed (results to publish under a title and to record on the
    items). Returns the meetings by stage, the voting meeting's rated items (record_result) and the
    drawn codes (one to void, one to open the phone ballot with)."""
    from datetime import date

    from supervise.ballots import paper, phone
    from supervise.evaluation import operations as ops
    from supervise.evaluation.models import BallotKind, Mark

    def meeting(year: int, **kwargs):
        items = [factory.item("verified", year=year, title=f"评议模糊测试{year}-{n}") for n in (1, 2)]
        return factory.evaluation_meeting(chair, deputies=2, items=items, year=year, **kwargs), items

    roll_call, _items = meeting(2027, held_on=date(2027, 3, 1))
    ops.start_roll_call(chair, roll_call)
    ops.mark_attendance(chair, roll_call, roll_call.roster[0].deputy_id, True)
    voting, rated = meeting(2025)
    ops.start_roll_call(chair, voting)
    present = [row.deputy_id for row in voting.roster]
    for deputy_id in present:
        ops.mark_attendance(chair, voting, deputy_id, True)
    ops.open_voting(chair, voting)
    kinds = (BallotKind.paper, BallotKind.paper, BallotKind.phone, BallotKind.phone)
    for deputy_id, kind in zip(present, kinds):
        ops.hand_out(chair, voting, deputy_id, kind)
    paper.issue_serials(chair, voting, [1, 2])
    paper.enter_paper(chair, voting, 1, {line.id: [Mark.satisfied] for line in voting.lines}, False)
    codes = phone.draw_codes(chair, voting, 2)
    closed = factory.closed_evaluation(chair, voters=2, year=2024, items=[])
    db.session.commit()
    meetings = {"roll_call": roll_call.id, "voting": voting.id, "closed": closed.id}
    return meetings, [item.id for item in rated], codes


def stage_pages(meetings: dict[str, int], rated: list[int]) -> list[str]:
    pages = ["", "/roll-call", "/ballots", "/paper", "/paper/1", "/rules", "/results", "/projection"]
    return [f"/evaluation/{m}{page}" for m in meetings.values() for page in pages] + [
        f"/items/{item}/actions/record_result" for item in rated
    ]


# Values a clerk would type where the page leaves a field empty, so that a form's other fields are
# valid and one malformed value gets past the form into the operation (name pattern → value).
TYPED = [
    (r"line-\d+$", "satisfied"),
    (r"reason$", "模糊测试"),
    (r"replacement$", "3"),
    (r"(serials?|spoiled)$", "2"),
    (r"^count$", "1"),
    (r"^start_early$", "y"),
    (r"^rating$", "satisfied"),
]
# Forms that end a stage run last, so that the stage's other forms are probed in it.
ENDS_A_STAGE = ("open_voting", "close_voting", "/publish", "apply_results", "record_result")


def typed(name: str, value: str | None, code: str) -> str | None:
    if value:
        return value
    if name == "void-code":
        return code
    return next((text for pattern, text in TYPED if re.search(pattern, name)), value)


def stage_targets(client, pages: list[str], codes: list[str]) -> list[tuple[str, str, list, bool]]:
    """(role, URL, fields, live) of the presidium's forms on the later stages' pages, one per action
    (a roll-call tap stands for every deputy's), empty fields typed in; ``live``: the page's script
    posts it and asks for JSON (data-live-row). The phone ballot is the page a code opens."""
    found: dict[str, list[tuple[str, str | None]]] = {}
    live: set[str] = set()
    void_code, ballot_code = codes
    for url in [*pages, "/vote"]:
        if url == "/vote":
            response = client.post(url, data={"code": ballot_code})
        else:
            response = client.get(url, follow_redirects=True)
        if "html" not in response.content_type:
            continue
        html = response.get_data(as_text=True)
        live.update(
            _attributes(tag).get("action") for tag in re.findall(r"<form\b[^>]*data-live-row[^>]*>", html)
        )
        for action, fields in forms_on(html):
            action = (action or url).split("?")[0]
            if action.startswith(("/evaluation/", "/items/", "/vote/")):
                found.setdefault(action, [(name, typed(name, value, void_code)) for name, value in fields])
    ordered = sorted(found, key=lambda url: any(word in url for word in ENDS_A_STAGE))
    return [("presidium", url, found[url], url in live) for url in ordered]


def assert_the_deeper_forms_were_read(deeper, meetings: dict[str, int]) -> None:
    """The later stages' forms came from their pages, with their real fields."""
    forms = {url: {name for name, _value in fields} for _role, url, fields, _live in deeper}
    roll_call, voting, closed = (
        f"/evaluation/{meetings[stage]}" for stage in ("roll_call", "voting", "closed")
    )
    assert {"deputy_id", "present"} <= forms[f"{roll_call}/roll-call"]
    assert {"start_early", "early_reason"} <= forms[f"{roll_call}/actions/open_voting"]
    assert {"deputy_id", "kind"} <= forms[f"{voting}/ballots"]
    assert {"serial", "void"} < forms[f"{voting}/paper"]  # and the lines' boxes
    assert "reason" in forms[f"{voting}/paper/1"]
    assert "count" in forms[f"{voting}/codes"] and "void-code" in forms[f"{voting}/codes/void"]
    assert "title" in forms[f"{closed}/publish"]
    assert {"code", "meeting_id"} < forms["/vote/ballot"]  # and the lines' choices
    assert any(url.endswith("/actions/record_result") and "rating" in f for url, f in forms.items())
    assert [url for _role, url, _fields, live in deeper if live] == [
        f"{roll_call}/roll-call",
        f"{voting}/roll-call",
    ]


def test_no_form_answers_malformed_input_with_a_500(app, factory):
    records, users = build_world(factory)
    meetings, rated, codes = evaluation_stages(factory, users["presidium"])
    clients = signed_in_clients(app, users)
    rng = random.Random(SEED)
    failures = []
    sent = 0
    deeper = stage_targets(clients["presidium"], stage_pages(meetings, rated), codes)
    assert_the_deeper_forms_were_read(deeper, meetings)
    plain = [(role, url, fields, False) for role, url, fields in targets(clients, records)]
    for role, url, fields, live in plain + deeper:
        for what, data in variants(rng, fields):
            for headers in [{}, {"Accept": "application/json"}] if live else [{}]:
                sent += 1
                try:
                    status = clients[role].post(url, data=MultiDict(data), headers=headers).status_code
                except Exception as error:  # the test client propagates what would be a 500
                    db.session.rollback()
                    status = f"{type(error).__name__}: {str(error)[:200]}"
                if status == 500 or isinstance(status, str):
                    failures.append(f"{role} POST {url} {headers} [{what}]: {status}")
    assert sent > 300  # the forms were found
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("value", ["abc", "1e309", "2147483648", "-1", " ", ""])
def test_an_item_edit_whose_version_is_no_version_is_a_400(app, factory, login_as, client, value):
    login_as("presidium")
    item = factory.item("draft")
    db.session.commit()
    response = client.post(f"/items/{item.id}/edit", data={"version": value, "title": "新名称"})
    assert response.status_code == 400
    assert item.title != "新名称"


def test_a_year_of_400_digits_is_the_forms_own_error_with_the_typing_kept(app, login_as, client):
    from supervise.lists.models import SupervisionList

    login_as("presidium")
    year = "2" * 400
    response = client.post("/lists/new", data={"year": year, "kind": "commitment"})
    assert response.status_code == 200
    assert "年度应在 2000 到 2100 之间。" in text_of(response)
    assert f'value="{year}"' in html_of(response)
    assert count(SupervisionList) == 0


def test_the_out_of_range_error_is_english_when_english_is_chosen(app, login_as, client):
    login_as("presidium")
    client.post("/language", data={"locale": "en"})
    response = client.post("/lists/new", data={"year": "2147483648", "kind": "commitment"})
    assert response.status_code == 200
    assert "2000" in text_of(response) and "年度" not in text_of(response)


@pytest.mark.parametrize("value", ["2147483648", "-2147483649", "9" * 400])
def test_a_number_no_integer_column_holds_is_the_fields_range_error(app, factory, login_as, client, value):
    from supervise.inspections.models import Inspection

    login_as("deputy")
    response = client.post("/inspections/new", data={"method": "tour", "residents_visited": value})
    assert response.status_code == 200
    assert "人数应在 0 到 100000 之间。" in text_of(response)
    assert value in html_of(response)
    assert count(Inspection) == 0


@pytest.mark.parametrize("value", ["2147483648", "-2147483649", "9" * 400, "9" * 5000])
def test_a_field_without_a_range_still_refuses_what_integer_cannot_hold(app, value):
    from wtforms import Form

    from supervise.core.fields import LocalIntegerField

    class Bare(Form):
        number = LocalIntegerField("n")

    with app.test_request_context():
        form = Bare(MultiDict({"number": value}))
        assert not form.validate()
        assert form.number.data is None
        assert form.number.errors in (["数字太大，请检查后重新填写。"], ["请填写整数。"])
        assert value in form.number()
        assert Bare(MultiDict({"number": "2147483647"})).validate()


@pytest.mark.parametrize(
    "value,message", [("1e309", "数字太大"), ("99999999999", "数字太大"), ("-1e20", "资金不能为负数")]
)
def test_an_amount_no_numeric_column_holds_is_refused_by_the_field(
    app, factory, login_as, client, value, message
):
    login_as("presidium")
    item = factory.item("draft")
    db.session.commit()
    data = {"version": str(item.version), "title": item.title, "planned_funds": value}
    response = client.post(f"/items/{item.id}/edit", data=data)
    assert response.status_code == 200
    assert message in text_of(response)
    assert value in html_of(response)
    assert item.planned_funds is None


@pytest.mark.parametrize("value", [" ", "maybe", "\t"])
def test_a_rating_that_is_no_rating_is_the_forms_error(app, factory, login_as, client, value):
    login_as("presidium")
    item = factory.item("verified")
    db.session.commit()
    response = client.post(f"/items/{item.id}/actions/record_result", data={"rating": value})
    assert response.status_code == 200  # the form again, with the error under the choice
    assert "不是有效的选择" in text_of(response)
    assert item.result is None and item.state.value == "verified"


@pytest.mark.parametrize("field", ["year", "satisfied_percent", "quorum_denominator"])
def test_a_new_meeting_with_a_huge_number_is_the_forms_error(app, login_as, client, field):
    from supervise.evaluation.models import EvaluationMeeting

    login_as("presidium")
    data = {"year": "2026", "held_on": "2026-12-20", "satisfied_percent": "50", "basic_percent": "80"}
    data |= {"quorum_numerator": "2", "quorum_denominator": "3", "denominator": "present", field: "9" * 400}
    response = client.post("/evaluation/new", data=data)
    assert response.status_code == 400  # the form again, with its errors
    assert "9" * 400 in html_of(response)
    assert count(EvaluationMeeting) == 0
