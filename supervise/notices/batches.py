"""All published notices of a month across a county, in one zip of their PDFs: a batch made by a
worker with progress (core/documents.py), stored through the storage interface."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ..core.dates import parse_month
from ..core.documents import Progress, StoredFile, register_stored_file
from ..core.storage import storage
from ..extensions import db
from ..org.models import County, Township
from .documents import file_name, notice_pdf
from .models import PublicNotice

KIND = "county-notices"


@dataclass(frozen=True)
class CountyMonth(StoredFile):
    county: County
    month: date
    kind = KIND
    suffix = ".zip"

    @property
    def ident(self) -> str:
        return f"{self.county.id}-{self.month:%Y-%m}"

    def notices(self) -> list[PublicNotice]:
        """The month's published notices (corrections too) of every township of the county."""
        return list(
            db.session.execute(
                select(PublicNotice)
                .join(Township, Township.id == PublicNotice.township_id)
                .where(Township.county_id == self.county.id, PublicNotice.month == self.month)
                .order_by(Township.id, PublicNotice.id)
            ).scalars()
        )


def load(ident: str) -> CountyMonth | None:
    county_id, _, month_text = ident.partition("-")
    county = db.session.get(County, int(county_id)) if county_id.isdigit() else None
    month = parse_month(month_text)
    return None if county is None or month is None else CountyMonth(county, month)


def contents(batch: CountyMonth) -> str:
    """What the zip holds: the notices (published notices never change; a correction is a new one)."""
    return f"{batch.ident}:" + ",".join(str(notice.id) for notice in batch.notices())


def make(batch: CountyMonth, progress: Progress) -> None:
    """Each notice's PDF (its stored copy when current), then the zip, saying how far it is."""
    notices = batch.notices()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:  # PDFs are compressed already
        for done, notice in enumerate(notices, start=1):
            pdf, _fresh = notice_pdf(notice)
            archive.writestr(f"{notice.township.name}/{notice.id}-{file_name(notice)}", pdf)
            db.session.commit()  # each notice's copy kept even if a later one fails
            progress(done * 95 // len(notices))
    storage().put(batch.storage_key, out.getvalue())


register_stored_file(KIND, load=load, html=contents, make=make)
