"""Moving the running cases of one version of a process to its latest version."""
import re
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.policy import can_deploy
from app.engine.errors import Conflict, NotFound
from app.engine.models import Case, ProcessVersion
from app.engine.versions import migrate_case
from app.platform.engines import get_engine
from app.platform.extensions import db
from app.platform.i18n import describe
from app.platform.refusals import Missing, NotAllowed


@dataclass
class Migration:
    """Where the cases went: the version number, how many moved, why each other one did not."""
    version: int
    moved: int = 0
    refused: list[str] = field(default_factory=list)


def versions(process_id: str) -> list[ProcessVersion]:
    """The versions of a process, latest first."""
    return db.session.scalars(select(ProcessVersion).where(ProcessVersion.process_id == process_id)
                              .order_by(ProcessVersion.version.desc())).all()


def version_of(process_id: str, number: int) -> ProcessVersion:
    """Version `number` of a process, or Missing."""
    version = db.session.scalar(select(ProcessVersion).where(ProcessVersion.process_id == process_id,
                                                             ProcessVersion.version == number))
    if version is None:
        raise Missing()
    return version


def migrate_cases(*, user, process_id: str, number: int, case_ids=()) -> Migration:
    """Move the running cases of version `number` (those of `case_ids`, or all) to the latest."""
    if not can_deploy(user):
        raise NotAllowed(_('Su rol no migra casos.'))
    shown = version_of(process_id, number)
    latest = versions(process_id)[0]
    wanted = {int(i) for i in case_ids if re.fullmatch(r'[0-9]{1,18}', str(i))}
    cases = db.session.scalars(select(Case.id).where(Case.version_id == shown.id, Case.state == 'running')).all()
    engine = get_engine()
    migration = Migration(latest.version)
    for case_id in [c for c in cases if not wanted or c in wanted]:
        try:
            migrate_case(db.session, engine.specs, engine.script_engine, case_id, latest.id, user.username)
            migration.moved += 1
        except (Conflict, NotFound) as error:
            migration.refused.append(f'#{case_id}: {describe(error)}')
    return migration
