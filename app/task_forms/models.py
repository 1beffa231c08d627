"""Forms edited in the browser, versioned."""
from datetime import datetime

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.engine.models import Base


class FormVersion(Base):
    """A form edited in the browser. The newest version of a key overrides forms/<key>.json;
    `pqrsf export` writes them back to files."""

    __tablename__ = 'form_version'
    __table_args__ = (UniqueConstraint('key', 'version'),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), index=True)
    version: Mapped[int]
    definition: Mapped[dict]
    saved_by: Mapped[str] = mapped_column(String(100))
    saved_at: Mapped[datetime]
