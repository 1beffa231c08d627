"""The deployed decision tables (DMN) as the owners' pages list and edit them."""
from sqlalchemy import func, select

from app.engine.models import DecisionVersion, ProcessVersion
from app.platform.extensions import db


def tables() -> dict[str, list[DecisionVersion]]:
    """decision id -> its versions, latest first."""
    grouped = {}
    for version in db.session.scalars(select(DecisionVersion).order_by(
            DecisionVersion.decision_id, DecisionVersion.version.desc())):
        grouped.setdefault(version.decision_id, []).append(version)
    return grouped


def table_version(decision_id: str, number: int | None = None) -> DecisionVersion | None:
    """One version of a table (the latest when `number` is None), or None."""
    query = select(DecisionVersion).where(DecisionVersion.decision_id == decision_id)
    query = query.where(DecisionVersion.version == number) if number is not None else \
        query.order_by(DecisionVersion.version.desc()).limit(1)
    return db.session.scalars(query).first()


def users_of(table_ids) -> dict[int, list[str]]:
    """DecisionVersion id -> the processes whose newest version uses it ("pqrsf v3")."""
    newest = (select(ProcessVersion.process_id, func.max(ProcessVersion.version).label('v'))
              .group_by(ProcessVersion.process_id).subquery())
    rows = db.session.scalars(select(ProcessVersion).join(
        newest, (ProcessVersion.process_id == newest.c.process_id) & (ProcessVersion.version == newest.c.v)))
    used = {}
    for row in rows:
        for table_id in (row.decision_versions or {}).values():
            if table_id in table_ids:
                used.setdefault(table_id, []).append(f'{row.process_id} v{row.version}')
    return used
