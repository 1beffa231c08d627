"""The deployed decision tables (DMN) as the owners' pages list and edit them."""
from sqlalchemy import select

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
    """DecisionVersion id -> the process versions pinned to it ("triage v2")."""
    used = {}
    for row in db.session.scalars(select(ProcessVersion).order_by(ProcessVersion.process_id,
                                                                  ProcessVersion.version)):
        for table_id in (row.decision_versions or {}).values():
            if table_id in table_ids:
                used.setdefault(table_id, []).append(f'{row.process_id} v{row.version}')
    return used


def labels() -> dict[int, str]:
    """DecisionVersion id -> "priority v2", to show which tables a process version uses."""
    return {row.id: f'{row.decision_id} v{row.version}'
            for row in db.session.execute(select(DecisionVersion.id, DecisionVersion.decision_id,
                                                 DecisionVersion.version))}
