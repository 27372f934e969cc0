"""Factories that return domain objects: factory.township(), factory.user('presidium') …"""

from __future__ import annotations

import itertools

from supervise.accounts.models import User
from supervise.accounts.passwords import hash_password
from supervise.core.permissions import Role
from supervise.extensions import db
from supervise.org.models import (
    County,
    Deputy,
    DeputyGroup,
    DeputyLevel,
    LiaisonStation,
    Office,
    StationLevel,
    Township,
)

_seq = itertools.count(1)


class Factory:
    PASSWORD = "correct-horse-battery"

    def __init__(self):
        self._county: County | None = None
        self._township: Township | None = None
        self._hash: str | None = None

    # organisation
    def county(self, name: str | None = None) -> County:
        county = County(name=name or f"测试县{next(_seq)}")
        db.session.add(county)
        db.session.flush()
        return county

    @property
    def default_county(self) -> County:
        if self._county is None:
            self._county = self.county("宁陕县")
        return self._county

    def township(self, name: str | None = None, county: County | None = None) -> Township:
        n = next(_seq)
        township = Township(
            county_id=(county or self.default_county).id,
            name=name or f"测试镇{n}",
            short_name=f"测{n}",
            slug=f"town{n}",
        )
        db.session.add(township)
        db.session.flush()
        return township

    @property
    def default_township(self) -> Township:
        if self._township is None:
            self._township = self.township("江口镇")
        return self._township

    def office(self, township: Township | None = None, name: str | None = None) -> Office:
        office = Office(
            township_id=(township or self.default_township).id,
            name=name or f"站所{next(_seq)}",
            leader_name="张建国",
            leader_title="副镇长",
        )
        db.session.add(office)
        db.session.flush()
        return office

    def station(self, township: Township | None = None, name: str | None = None) -> LiaisonStation:
        station = LiaisonStation(
            township_id=(township or self.default_township).id,
            name=name or f"联络站{next(_seq)}",
            level=StationLevel.village,
        )
        db.session.add(station)
        db.session.flush()
        return station

    def group(self, township: Township | None = None, name: str | None = None) -> DeputyGroup:
        group = DeputyGroup(
            township_id=(township or self.default_township).id, name=name or f"小组{next(_seq)}"
        )
        db.session.add(group)
        db.session.flush()
        return group

    def deputy(self, township: Township | None = None, name: str | None = None, **kwargs) -> Deputy:
        deputy = Deputy(
            township_id=(township or self.default_township).id,
            name=name or f"代表{next(_seq)}",
            level=kwargs.pop("level", DeputyLevel.township),
            phone=kwargs.pop("phone", "13800000000"),
            **kwargs,
        )
        db.session.add(deputy)
        db.session.flush()
        return deputy

    # accounts
    def user(self, role: str | Role, township: Township | None = None, **kwargs) -> User:
        role = Role(role)
        if self._hash is None:
            self._hash = hash_password(self.PASSWORD)
        binding: dict = {}
        if role in (Role.deputy, Role.government, Role.presidium):
            binding["township_id"] = (township or self.default_township).id
        if role is Role.county:
            binding["county_id"] = kwargs.pop("county", None) or (
                township.county_id if township else self.default_county.id
            )
        if role is Role.deputy and "deputy_id" not in kwargs:
            binding["deputy_id"] = self.deputy(township).id
        if role is Role.government and "office_id" not in kwargs:
            binding["office_id"] = self.office(township).id
        user = User(
            username=kwargs.pop("username", f"{role.value}{next(_seq)}"),
            display_name=kwargs.pop("display_name", f"测试{role.label}"),
            password_hash=self._hash,
            role=role,
            **binding,
            **kwargs,
        )
        db.session.add(user)
        db.session.flush()
        return user

    # lists and items
    def filed_finding(self, author, items=(), text: str = "路面已出现裂缝。"):
        """A finding about these items, in a filed inspection (a tour) of the author's township."""
        from datetime import date

        from supervise.core.clock import utcnow
        from supervise.inspections.models import Finding, Inspection, InspectionMethod, InspectionState

        inspection = Inspection(
            township_id=author.township_id,
            method=InspectionMethod.tour,
            state=InspectionState.filed,
            held_on=date(2026, 6, 18),
            filed_at=utcnow(),
            author_id=author.id,
        )
        inspection.findings = [Finding(position=1, text=text, items=list(items))]
        db.session.add(inspection)
        db.session.flush()
        return inspection.findings[0]

    def supervision_list(
        self,
        kind: str = "commitment",
        year: int = 2026,
        township: Township | None = None,
        confirmed: bool = True,
    ):
        from supervise.core.clock import utcnow
        from supervise.lists.models import ListKind, SupervisionList

        township = township or self.default_township
        found = db.session.execute(
            db.select(SupervisionList).filter_by(township_id=township.id, year=year, kind=ListKind(kind))
        ).scalar_one_or_none()
        if found:
            return found
        supervision_list = SupervisionList(
            township_id=township.id,
            year=year,
            kind=ListKind(kind),
            confirmed_at=utcnow() if confirmed else None,
        )
        db.session.add(supervision_list)
        db.session.flush()
        return supervision_list

    def item(
        self,
        state: str = "listed",
        kind: str = "commitment",
        township: Township | None = None,
        supervisors: int | list = 0,
        year: int = 2026,
        **fields,
    ):
        """make an item already in ``state`` (supervising items get a supervisor unless given), on the
        list of ``year``."""
        from datetime import date

        from supervise.lists.models import Item, ItemState, SupervisorAssignment
        from supervise.lists.operations import item_code

        township = township or self.default_township
        supervision_list = self.supervision_list(kind, year, township, confirmed=state != "draft")
        number = len(supervision_list.items) + 1
        fields.setdefault("lead_office_id", self.office(township).id)
        fields.setdefault("deadline", date(2026, 12, 31))
        fields.setdefault("target", "按期完成")
        item = Item(
            supervision_list=supervision_list,
            township_id=township.id,
            number=number,
            code=item_code(supervision_list, number) + f"-{next(_seq)}",
            title=fields.pop("title", f"事项{number}"),
            state=ItemState(state),
            **fields,
        )
        if state == "withdrawn":
            item.withdrawn_reason = "测试"
        db.session.add(item)
        db.session.flush()
        if isinstance(supervisors, int):
            wanted = supervisors or (
                1 if state in ("supervising", "consulting", "completed", "verified") else 0
            )
            supervisors = [self.deputy(township) for _ in range(wanted)]
        for deputy in supervisors:
            db.session.add(SupervisorAssignment(item_id=item.id, deputy_id=deputy.id))
        db.session.flush()
        db.session.refresh(item)
        return item

    # public notices (公示) and residents' opinions — notices engineer's block
    def report_row(self, item, month=None, percent: int = 50, done: str = "按计划推进。", **fields):
        """A monthly report row made directly (the progress operations check the calendar)."""
        from supervise.core.clock import today
        from supervise.progress.models import MonthlyReport

        report = MonthlyReport(
            item_id=item.id,
            township_id=item.township_id,
            month=month or today().replace(day=1),
            version=fields.pop("version", 1),
            percent=percent,
            done=done,
            **fields,
        )
        db.session.add(report)
        db.session.flush()
        return report

    def published_notice(self, chair=None, month=None, township: Township | None = None, **kwargs):
        """This month's notice of the chair's township, published through the operation (the items
        still missing their report confirmed, unless ``missing_confirmed`` says otherwise)."""
        from supervise.core.clock import today
        from supervise.notices.operations import missing_reports, publish_notice

        chair = chair or self.user("presidium", township=township)
        month = month or today().replace(day=1)
        if "missing_confirmed" not in kwargs:
            kwargs["missing_confirmed"] = [item.id for item in missing_reports(chair.township_id, month)]
        notice = publish_notice(chair, chair.township_id, month, **kwargs)
        db.session.flush()
        return notice

    def opinion(self, notice, line=None, state: str = "pending", body: str = "路面还有积水。", answer=""):
        from supervise.core.clock import utcnow
        from supervise.notices.models import Opinion, OpinionState

        line = line or notice.lines[0]
        moderated = state != "pending"
        opinion = Opinion(
            township_id=notice.township_id,
            notice_id=notice.id,
            line_id=line.id,
            body=body,
            state=OpinionState(state),
            moderated_at=utcnow() if moderated else None,
            answer=answer,
            answered_at=utcnow() if answer else None,
        )
        db.session.add(opinion)
        db.session.flush()
        return opinion

    # progress (月报): items with a dated history, and reports
    def supervised_item(self, entered, left=None, left_to: str = "completed", township=None, **fields):
        """An item that entered supervision on ``entered`` (a date) and, if ``left`` is given, left it
        then (reported completed, by default): its events carry those dates, as the calendar reads them."""
        from datetime import datetime, time

        from supervise.lists.models import ItemEvent, ItemState

        item = self.item(left_to if left else "supervising", township=township, **fields)
        moments = [(entered, ItemState.listed, ItemState.supervising)]
        if left:
            moments.append((left, ItemState.supervising, ItemState(left_to)))
        for day, before, after in moments:
            # 04:00 UTC is noon in China: the event falls on that date there too.
            db.session.add(
                ItemEvent(
                    item_id=item.id,
                    action="assign" if after is ItemState.supervising else "report_done",
                    at=datetime.combine(day, time(4)),
                    from_state=before,
                    to_state=after,
                )
            )
        for assignment in item.assignments:  # its supervisors were assigned as it entered supervision
            assignment.assigned_at = datetime.combine(entered, time(4))
        db.session.flush()
        db.session.refresh(item)
        return item

    def monthly_report(self, item, month, percent: int = 50, submitted_on=None, version: int = 1, **fields):
        """A report stored directly (submitted_on: its China date, for late/on-time cases)."""
        from datetime import datetime, time

        from supervise.progress.models import MonthlyReport

        report = MonthlyReport(
            item_id=item.id,
            township_id=item.township_id,
            month=month,
            version=version,
            percent=percent,
            done=fields.pop("done", "按计划推进"),
            **fields,
        )
        if submitted_on is not None:
            report.submitted_at = datetime.combine(submitted_on, time(4))
        db.session.add(report)
        db.session.flush()
        return report

    # evaluation meetings (民主评议) — evaluation engineer's block
    def evaluation_meeting(
        self, chair=None, deputies: int = 6, items=None, year: int = 2026, held_on=None, **rules
    ):
        """A meeting prepared through the operation, of the chair's township: ``deputies`` more deputies
        on the roster (items' supervisors are deputies too), ``items`` rated (default: two verified),
        held on ``held_on`` (default: 15 October of ``year``)."""
        from datetime import date

        from supervise.evaluation import operations

        chair = chair or self.user("presidium")
        township = chair.township
        for _n in range(deputies):
            self.deputy(township)
        if items is None:
            items = [self.item("verified", township=township, title=f"评议事项{n}") for n in (1, 2)]
        return operations.create_meeting(
            chair,
            year=year,
            held_on=held_on or date(year, 10, 15),
            place="镇政府三楼会议室",
            rules=operations.MeetingRules(**rules),
        )

    def closed_evaluation(
        self, chair=None, voters: int = 4, publish: bool = False, marks: dict | None = None, **kwargs
    ):
        """A meeting run through the operations: all present, ``voters`` phone ballots all 满意 (or, for
        a line whose title is in ``marks``, that mark), closed (and published to the public board when
        ``publish``); voting opens early, with a reason, when the meeting's date is still ahead."""
        from supervise.ballots import phone
        from supervise.evaluation import operations, publishing
        from supervise.evaluation.models import BallotKind, Mark

        chair = chair or self.user("presidium")
        meeting = self.evaluation_meeting(chair, deputies=voters, **kwargs)
        operations.start_roll_call(chair, meeting)
        ids = [row.deputy_id for row in meeting.roster]
        for deputy_id in ids:
            operations.mark_attendance(chair, meeting, deputy_id, True)
        operations.open_voting(chair, meeting, early_reason="测试：会议提前举行")
        for deputy_id in ids[:voters]:
            operations.hand_out(chair, meeting, deputy_id, BallotKind.phone)
        for code in phone.draw_codes(chair, meeting, voters):
            chosen = {line.id: (marks or {}).get(line.title, Mark.satisfied) for line in meeting.lines}
            phone.submit_phone_ballot(code, meeting.id, chosen)
        operations.close_voting(chair, meeting)
        if publish:
            publishing.publish_results(chair, meeting)
        return meeting
