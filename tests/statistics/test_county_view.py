"""The county's view: figures against a hand-counted county (two townships, two years), for county
staff and a presidium; the same statements for 3 townships as for 30; another county's townships
not found."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from fractions import Fraction

import pytest

from supervise.core.clock import today, utcnow
from supervise.evaluation.models import Mark
from supervise.evaluation.rules import Denominator
from supervise.extensions import db
from supervise.lists.models import AnswerClass, Rating
from supervise.meetings.models import Consultation
from supervise.org.models import Office
from supervise.sheets.models import FollowUpSheet, SheetState
from supervise.statistics.comparison import township_rows
from supervise.statistics.figures import completion_rate, township_figures
from supervise.statistics.offices import office_rows
from tests.helpers import text_of


def build_county(factory) -> dict:
    """江口镇 (two offices, items of 2025 and 2026, reports, sheets, an inspection, a consultation,
    evaluations published in both years) and 测试镇 (two items of 2026), in one county."""
    a = factory.default_township
    b = factory.township("城关镇")
    chair = factory.user("presidium", township=a)
    first, second = factory.office(a, "甲办"), factory.office(a, "乙办")
    day = today()
    # 2026: listed, supervising (one overdue), a suggestion answered A, closed, withdrawn
    factory.item("listed", township=a, lead_office_id=first.id)
    factory.item("supervising", township=a, lead_office_id=first.id, deadline=day - timedelta(days=10))
    factory.item(
        "supervising",
        kind="suggestion",
        township=a,
        lead_office_id=second.id,
        answer_class=AnswerClass.A,
        deadline=day + timedelta(days=30),
    )
    factory.item("closed", township=a, lead_office_id=second.id, result=Rating.satisfied)
    factory.item("withdrawn", township=a, lead_office_id=first.id)
    # 2025: supervised March to June (reports: March on time, April late, May missing, June on time)
    done = factory.supervised_item(date(2025, 3, 10), date(2025, 6, 30), year=2025, lead_office_id=first.id)
    factory.monthly_report(done, date(2025, 3, 1), submitted_on=date(2025, 3, 20))
    factory.monthly_report(done, date(2025, 4, 1), submitted_on=date(2025, 5, 2))
    factory.monthly_report(done, date(2025, 6, 1), submitted_on=date(2025, 6, 20))
    factory.item("carried_over", township=a, year=2025, lead_office_id=second.id)
    # 测试镇, 2026: verified and carried over
    other_office = factory.office(b)
    factory.item("verified", township=b, lead_office_id=other_office.id)
    factory.item("carried_over", township=b, lead_office_id=other_office.id)
    # sheets of 2026: one overdue, one answered in time, a draft (not counted)
    db.session.add_all(
        [
            FollowUpSheet(
                township_id=a.id,
                title="东河护坡督办",
                state=SheetState.issued,
                year=2026,
                number=1,
                issued_at=utcnow(),
                deadline=day - timedelta(days=5),
                lead_office_id=first.id,
            ),
            FollowUpSheet(
                township_id=a.id,
                title="西街排水督办",
                state=SheetState.answered,
                year=2026,
                number=2,
                issued_at=datetime(2026, 5, 1, 4),
                deadline=date(2026, 5, 31),
                answered_at=datetime(2026, 5, 20, 4),
                measures="已整改",
                lead_office_id=second.id,
            ),
            FollowUpSheet(township_id=a.id, title="草稿", lead_office_id=first.id),
            Consultation(township_id=a.id, held_on=date(2026, 5, 1), opened_by_id=chair.id),
        ]
    )
    factory.filed_finding(chair)
    # factory.item() makes an office for each item: only 甲办 and 乙办 stay active (and rated)
    for office in db.session.execute(db.select(Office).where(Office.township_id == a.id)).scalars():
        office.is_active = office.id in (first.id, second.id)
    rule = {"voters": 4, "publish": True, "items": [], "denominator": Denominator.valid}
    # evaluations: 2025 rates 甲办 不满意 (rate 2/3 over its three lines), 2026 all 满意
    factory.closed_evaluation(chair, year=2025, marks={"甲办": Mark.dissatisfied}, **rule)
    factory.closed_evaluation(chair, year=2026, **rule)
    db.session.commit()
    return {"a": a, "b": b, "chair": chair, "first": first, "second": second}


def test_the_figures_are_the_hand_counted_ones(app, factory):
    county = build_county(factory)
    a, b = county["a"], county["b"]
    figures = township_figures([a.id, b.id], 2026, today())
    mine = figures[a.id]
    assert [mine[f"items{n}"] for n in ("", ".listed", ".supervising", ".closed")] == [5, 1, 2, 1]
    assert (mine["items.withdrawn"], mine["items.overdue"], mine["answer.A"]) == (1, 1, 1)
    assert completion_rate(mine) == Fraction(1, 4)
    assert (mine["kind.commitment"], mine["kind.commitment.done"], mine["kind.suggestion.done"]) == (4, 1, 0)
    assert (mine["sheets.issued"], mine["sheets.answered_in_time"], mine["sheets.overdue"]) == (2, 1, 1)
    assert [mine[n] for n in ("inspections", "inspections.tour", "findings", "consultations")] == [1, 1, 1, 1]
    assert mine["evaluation.rate_permille"] == 1000
    assert completion_rate(figures[b.id]) == Fraction(1, 2)
    assert figures[b.id]["sheets.issued"] == 0

    rows, total = township_rows([a, b], 2025, today())
    assert (rows[0].reports.on_time, rows[0].reports.late, rows[0].reports.missing) == (2, 1, 1)
    assert rows[0].reports.missing_months == 1
    assert rows[0].figures["items"] == 2 and rows[0].completion == Fraction(1, 2)
    assert rows[0].rate == Fraction(2, 3)
    assert total.figures["items"] == 2
    rows, total = township_rows([a, b], 2026, today())
    assert rows[0].rate_change == Fraction(100, 3)  # 66.7% → 100%
    assert total.figures["items"] == 7 and total.completion == Fraction(2, 6)
    assert "督办单逾期 1 件" in rows[0].reasons and not rows[1].reasons


def test_county_staff_see_the_townships_side_by_side(app, factory, client, login_as):
    county = build_county(factory)
    login_as("county")
    page = client.get("/statistics/townships?year=2026")
    assert page.status_code == 200
    text = text_of(page)
    assert "江口镇" in text and "城关镇" in text and "督办单逾期 1 件" in text and "25%" in text
    html = page.get_data(as_text=True)
    assert f"/items/?township={county['a'].id}&amp;year=2026&amp;overdue=1" in html
    assert 'class="table-warning behind"' in html
    # the sheets behind a township's numbers: the sheet list filtered by township
    assert "东河护坡督办" in text_of(client.get(f"/sheets/?township={county['a'].id}&overdue=1"))
    assert "东河护坡督办" not in text_of(client.get(f"/sheets/?township={county['b'].id}"))
    # sorted by completion, highest first: 城关镇 (50%) before 江口镇 (25%)
    text = text_of(client.get("/statistics/townships?year=2026&sort=completion&order=desc"))
    assert text.index("城关镇") < text.index("江口镇 ")


def test_the_presidium_sees_its_statistics_and_offices(app, factory, client, login_as):
    county = build_county(factory)
    login_as(county["chair"])
    page = client.get(f"/statistics/townships/{county['a'].id}?year=2026")
    assert page.status_code == 200, page.get_data(as_text=True)[-3000:]
    html = page.get_data(as_text=True)
    assert 'data-figure="items"' in html
    row = html.split('data-figure="items"', 1)[1].split("</tr>", 1)[0]
    assert ">5<" in row and ">2<" in row  # 2026 beside 2025
    offices = text_of(client.get("/statistics/offices?year=2025"))
    # two rated offices have no bottom to name (see test_office_ranking.py)
    assert "参加测评的 2 个站所中，1 个“满意”。" in offices and "排名靠后：" not in offices
    assert "建议询问或质询" in offices  # 不满意 in 2025, not re-rated satisfactory by January 2026
    rows = office_rows(county["a"], 2025, today())
    assert [r.office.name for r in rows] == ["乙办", "甲办"] and rows[1].escalate
    assert rows[1].rectify_by == date(2026, 1, 15)
    assert client.get("/statistics/county").status_code == 403


def test_another_countys_townships_are_not_found(app, factory, client, login_as):
    elsewhere = factory.township("外县镇", county=factory.county("别的县"))
    db.session.commit()
    login_as("county")
    for path in ("", "/report.pdf", "/report.xlsx"):
        assert client.get(f"/statistics/townships/{elsewhere.id}{path}").status_code == 404
    # a ?township= of another county is as none: the default township, with a note (not its data)
    assert "外县镇" not in text_of(client.get(f"/statistics/offices?township={elsewhere.id}"))
    assert "外县镇" not in text_of(client.get("/statistics/townships"))


def _township_with_data(factory, name):
    township = factory.township(name)
    office = factory.office(township)
    factory.item("supervising", township=township, lead_office_id=office.id)
    factory.item("closed", township=township, lead_office_id=office.id, result=Rating.satisfied)
    return township


@pytest.mark.parametrize("url", ["/statistics/townships", "/statistics/county"])
def test_the_county_pages_run_the_same_statements_for_3_townships_as_for_30(
    app, factory, client, login_as, count_queries, url
):
    app.config["CACHE_URL"] = "none"  # every visit renders: this counts the page's own statements
    app.extensions.pop("supervise_page_cache", None)
    for n in range(3):
        _township_with_data(factory, f"少镇{n}")
    login_as("county")

    def statements() -> int:
        client.get(url)
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        return counter.count

    few = statements()
    for n in range(27):
        _township_with_data(factory, f"多镇{n}")
    db.session.commit()
    assert statements() == few


def test_the_county_page_is_served_from_the_cache_until_data_changes(app, factory, client, login_as):
    township = _township_with_data(factory, "缓存镇")
    login_as("county")
    first = client.get("/statistics/townships").get_data(as_text=True)
    factory.item("supervising", township=township, lead_office_id=factory.office(township).id)
    db.session.commit()
    again = client.get("/statistics/townships").get_data(as_text=True)
    assert first != again  # the new item bumped the township's data version


def test_a_years_span_is_that_year_in_china_and_no_more():
    from datetime import datetime

    from supervise.statistics.figures import china_year_span

    start, end = china_year_span(2025)
    assert start == datetime(2024, 12, 31, 16, 0)  # 2025-01-01 00:00 in China
    assert end == datetime(2025, 12, 31, 16, 0)  # 2026-01-01 00:00 in China


def test_opinions_refused_publication_are_not_counted(app, factory):
    factory.item("supervising")
    notice = factory.published_notice()
    for state in ("pending", "approved", "rejected"):
        factory.opinion(notice, state=state)
    db.session.commit()
    figures = township_figures([notice.township_id], today().year, today())[notice.township_id]
    assert figures["opinions"] == 2
