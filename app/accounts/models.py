"""Staff accounts: who signs in, with which roles."""
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.engine.models import Base


class User(Base):
    """Staff account. Roles are the lanes / candidate groups of the diagrams (see roles.py)."""

    __tablename__ = 'app_user'

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(300))
    roles: Mapped[list]
    active: Mapped[bool] = mapped_column(default=True)
    api_token_hash: Mapped[str | None] = mapped_column(String(128), unique=True)
    # drawn at sign-in when missing, redrawn at sign-out: session cookies name it (sessions.py)
    session_nonce: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]

    # Flask-Login
    @property
    def is_active(self):
        return self.active

    @property
    def is_authenticated(self):
        return True

    @property
    def is_anonymous(self):
        return False

    def get_id(self):
        from app.accounts.sessions import session_id
        return session_id(self)


class Area(Base):
    """A responsible area (operaciones, facturación...): classification names one, and the tasks
    after it go to its group `area:<code>` (see policy.py). Managed by an admin."""

    __tablename__ = 'area'

    code: Mapped[str] = mapped_column(String(60), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    # an inactive area is no longer offered at classification; its open tasks stay with its members
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]


class AreaMember(Base):
    """A user who works an area's tasks: for the cases of one branch, or of all (branch None)."""

    __tablename__ = 'area_member'

    id: Mapped[int] = mapped_column(primary_key=True)
    area_code: Mapped[str] = mapped_column(String(60), ForeignKey('area.code'), index=True)
    username: Mapped[str] = mapped_column(String(100), ForeignKey('app_user.username'), index=True)
    branch: Mapped[str | None] = mapped_column(String(20))
