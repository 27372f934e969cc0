"""Uploaded files (附件): photos and documents attached to inspections, sheet answers and reports."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask import url_for
from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.clock import utcnow
from ..extensions import db

# Who may see the files of a record: owner kind → the can_view(owner_id, user) checks, any of which
# lets the user see them. Each domain registers its own kinds when its models are imported, so this
# module knows nothing about inspections or reports; a domain that points at another's records adds
# its own readers to that kind (sheets: whoever reads a sheet citing a finding sees its photos).
_OWNERS: dict[str, list[Callable[[int, object], bool]]] = {}

KIND_MIMETYPES = {
    "jpeg": "image/jpeg",
    "png": "image/png",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
IMAGE_KINDS = ("jpeg", "png")


def register_owner(kind: str, can_view: Callable[[int, object], bool]) -> None:
    """Let files attached to records of `kind` be served to users for whom can_view(owner_id, user)."""
    _OWNERS.setdefault(kind, []).append(can_view)


class Attachment(db.Model):
    """One uploaded file, stored under a random name outside the web root (see storage.py).

    Its owner is polymorphic: (owner_kind, owner_id), e.g. ("finding", 12). An upload with no owner yet is
    pending: it belongs to a form that has not been saved, and only its uploader sees it.
    """

    __tablename__ = "attachment"
    __table_args__ = (Index("ix_attachment_owner", "owner_kind", "owner_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), index=True)
    owner_kind: Mapped[str | None] = mapped_column(String(40))
    owner_id: Mapped[int | None]
    original_name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(64), unique=True)
    has_preview: Mapped[bool] = mapped_column(default=False)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    uploaded_by = relationship("User")

    @property
    def is_image(self) -> bool:
        return self.kind in IMAGE_KINDS

    @property
    def download_stem(self) -> str:
        """An ASCII name that says what the file is, for clients that cannot read its Chinese name:
        finding-photo-17, sheet-answer-file-23, upload-photo-5 (not yet saved with its form)."""
        owner = (self.owner_kind or "upload").replace("_", "-")
        return f"{owner}-{'photo' if self.is_image else 'file'}-{self.id}"

    @property
    def mimetype(self) -> str:
        return KIND_MIMETYPES[self.kind]

    @property
    def url(self) -> str:
        return url_for("uploads.download", attachment_id=self.id)

    @property
    def preview_url(self) -> str:
        return url_for("uploads.preview", attachment_id=self.id)

    def is_visible_to(self, user) -> bool:
        if user is None or not user.is_authenticated or not user.can_see_township(self.township_id):
            return False
        if self.owner_kind is None:
            return self.uploaded_by_id == user.id
        return any(can_view(self.owner_id, user) for can_view in _OWNERS.get(self.owner_kind, ()))

    def __str__(self) -> str:
        return self.original_name
