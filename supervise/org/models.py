"""The organisation: county, township, offices (站所), liaison stations, deputy groups and deputies."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from ..core.enums import N_, LabeledEnum, enum_column_type
from ..extensions import db


class StationLevel(LabeledEnum):
    """Where a liaison station (代表联络站) sits: the township's own station or a village's point."""

    town = ("town", N_("镇级联络站"), "primary")
    village = ("village", N_("村级联络点"), "secondary")


class DeputyLevel(LabeledEnum):
    """The congress a deputy was elected to: the township's, the county's, or both."""

    township = ("township", N_("镇人大代表"), "info")
    county = ("county", N_("县人大代表"), "primary")
    both = ("both", N_("县、镇两级代表"), "success")


class _Named:
    """A record shown by its name (in choices, lists and documents)."""

    def __str__(self) -> str:
        return self.name  # type: ignore[attr-defined]  # each model declares its own name column


class County(_Named, db.Model):
    """A county (县); its standing committee's staff see all its townships."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    is_active: Mapped[bool] = mapped_column(default=True)

    townships: Mapped[list[Township]] = relationship(back_populates="county", order_by="Township.name")


class Township(_Named, db.Model):
    """A township (镇); its short name goes into document numbers, its slug into item codes."""

    id: Mapped[int] = mapped_column(primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("county.id"), index=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    short_name: Mapped[str] = mapped_column(String(20), unique=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    is_active: Mapped[bool] = mapped_column(default=True)
    # Day of the month by which offices report on their items (月报报送日).
    report_due_day: Mapped[int] = mapped_column(default=25, server_default="25")
    # What public notices' numbers begin with (公示文号前缀); empty: "<short name>人大公".
    notice_prefix: Mapped[str] = mapped_column(String(30), default="", server_default="")
    # Printed on public notices: the objection period (公示期, days) and whom residents contact
    # (联系人、电话、地址); the contact is also the issuing side's contact on follow-up sheets.
    notice_objection_days: Mapped[int] = mapped_column(default=7, server_default="7")
    contact_person: Mapped[str] = mapped_column(String(40), default="", server_default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="", server_default="")
    contact_address: Mapped[str] = mapped_column(String(200), default="", server_default="")

    county: Mapped[County] = relationship(back_populates="townships")

    @property
    def notice_number_prefix(self) -> str:
        """The prefix of a notice's number: the configured one, or 江口人大公 for 江口."""
        return self.notice_prefix.strip() or f"{self.short_name}人大公"

    @property
    def township_id(self) -> int:
        # Lets the township-scoping helpers treat a township like any record inside it.
        return self.id


class _TownshipScoped(_Named):
    """A record of one township's organisation, active until it is retired."""

    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), index=True)
    is_active: Mapped[bool] = mapped_column(default=True)

    @declared_attr
    def township(cls) -> Mapped[Township]:
        return relationship(Township)


class Office(_TownshipScoped, db.Model):
    """A government office (站所) with its responsible leader (分管领导)."""

    __table_args__ = (UniqueConstraint("township_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    leader_name: Mapped[str] = mapped_column(String(40), default="")
    leader_title: Mapped[str] = mapped_column(String(60), default="")
    # Whom the presidium calls about the office's items and sheets (联系人、联系电话).
    contact_person: Mapped[str] = mapped_column(String(40), default="", server_default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="", server_default="")


class LiaisonStation(_TownshipScoped, db.Model):
    """A deputies' liaison station (代表联络站) at town level or a village contact point."""

    __table_args__ = (UniqueConstraint("township_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    level: Mapped[StationLevel] = mapped_column(enum_column_type(StationLevel, "station_level"))


class DeputyGroup(_TownshipScoped, db.Model):
    """A deputy group (代表小组)."""

    __table_args__ = (UniqueConstraint("township_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))


class Deputy(_TownshipScoped, db.Model):
    """A deputy (代表). The phone number is private: shown only to the organisation's managers."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    level: Mapped[DeputyLevel] = mapped_column(enum_column_type(DeputyLevel, "deputy_level"))
    station_id: Mapped[int | None] = mapped_column(ForeignKey("liaison_station.id"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("deputy_group.id"), index=True)
    phone: Mapped[str] = mapped_column(String(20), default="")
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    station: Mapped[LiaisonStation | None] = relationship()
    group: Mapped[DeputyGroup | None] = relationship()
