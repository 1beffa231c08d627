"""Tamper evidence: the history of each case is a hash chain.

Every event stores the SHA-256 of its own content plus the hash of the case's previous event,
and the case row keeps the newest hash (the head). A step chains its events itself (`append`,
one INSERT); any other writer adds ORM events and a `before_flush` hook on every session chains
them, so no writer can forget it. Editing, deleting or reordering a stored event breaks the
chain from that point, deleting the newest ones leaves the head pointing at nothing, and
`verify` names the case and the event where it broke. The case row is locked while the chain
grows, so two writers never hang events on the same predecessor.
"""
import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import event as sa_event, insert, select, update
from sqlalchemy.orm import Session, attributes
from sqlalchemy.orm.util import identity_key

from .models import Case, Event

HASHED_FIELDS = ('case_id', 'actor', 'kind', 'process_id', 'element_id', 'element_type',
                 'element_name', 'task_id', 'parent_task_id', 'data')


def content_hash(fields: dict, previous: str | None) -> str:
    content = {name: fields.get(name) for name in HASHED_FIELDS}
    content['at'] = fields['at'].isoformat(timespec='microseconds')
    content['previous'] = previous
    canonical = json.dumps(content, sort_keys=True, separators=(',', ':'), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode('utf-8')).hexdigest()


def event_hash(row: Event, previous: str | None) -> str:
    return content_hash({name: getattr(row, name) for name in (*HASHED_FIELDS, 'at')}, previous)


def append(session, case: Case, rows: list[dict]) -> None:
    """Chain and insert a step's events in one statement; the caller holds the case lock and
    saves `case` (its new head) in the same transaction."""
    head = case.last_event_hash
    for row in rows:
        row['prev_hash'] = head
        row['hash'] = head = content_hash(row, head)
    if rows:
        # A Core insert: one multi-row INSERT (the ORM's bulk insert splits the rows by which
        # columns are NULL). Every row comes from `Projector.event`, so all carry the same keys.
        with session.no_autoflush:  # the case and task rows go out once, at commit
            session.execute(insert(Event.__table__), rows)
        case.last_event_hash = head


@sa_event.listens_for(Session, 'before_flush')
def _chain_new_events(session, _context, _instances):
    """Events added one by one as ORM objects (assignments, failures, incidents): lock the case,
    read its head, chain, and move the head."""
    new = [obj for obj in session.new if isinstance(obj, Event)]
    if not new:
        return
    new.sort(key=lambda obj: attributes.instance_state(obj).insert_order)
    heads = {}
    for row in new:
        if row.case_id not in heads:
            heads[row.case_id] = session.scalar(select(Case.last_event_hash).where(
                Case.id == row.case_id).with_for_update())
        row.prev_hash = heads[row.case_id]
        row.hash = heads[row.case_id] = event_hash(row, row.prev_hash)
    for case_id, head in heads.items():
        loaded = session.identity_map.get(identity_key(Case, case_id))
        if loaded is not None:
            loaded.last_event_hash = head
        else:
            session.execute(update(Case).where(Case.id == case_id).values(last_event_hash=head))


@dataclass
class Break:
    case_id: int
    event_id: int
    reason: str

    def __str__(self):
        return f'caso {self.case_id}, evento {self.event_id}: {self.reason}'


def verify(session, case_id: int | None = None) -> list[Break]:
    """Recompute every chain (or one case's); the first break of each case is reported."""
    query = select(Event).order_by(Event.case_id, Event.id)
    heads = select(Case.id, Case.last_event_hash)
    if case_id is not None:
        query = query.where(Event.case_id == case_id)
        heads = heads.where(Case.id == case_id)
    heads = dict(session.execute(heads).all())
    breaks, current, previous, last_id, broken = [], None, None, None, False

    def check_head():
        if current is not None and not broken and heads.get(current) != previous:
            breaks.append(Break(current, last_id, 'faltan eventos después de este (la cabeza de la cadena no coincide)'))

    for row in session.scalars(query).yield_per(2000):
        if row.case_id != current:
            check_head()
            current, previous, broken = row.case_id, None, False
        last_id = row.id
        if broken:
            continue
        if row.prev_hash != previous:
            breaks.append(Break(row.case_id, row.id, 'no sigue al evento anterior (se borró o reordenó un evento)'))
            broken = True
        elif row.hash != event_hash(row, previous):
            breaks.append(Break(row.case_id, row.id, 'su contenido no coincide con su huella (se modificó)'))
            broken = True
        previous = row.hash
    check_head()
    return breaks
