"""Tamper evidence: the history of each case is a hash chain.

Every event stores the SHA-256 of its own content plus the hash of the case's previous event,
computed when it is written (a `before_flush` hook on every session, so no writer can forget
it). Editing, deleting or reordering a stored event breaks the chain from that point, and
`verify` names the case and the event where it broke. The case row is locked while the chain
grows, so two writers never hang events on the same predecessor.
"""
import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import event as sa_event, select
from sqlalchemy.orm import Session, attributes, scoped_session

from .models import Case, Event

HASHED_FIELDS = ('case_id', 'actor', 'kind', 'process_id', 'element_id', 'element_type',
                 'element_name', 'task_id', 'parent_task_id', 'data')


def event_hash(row: Event, previous: str | None) -> str:
    content = {name: getattr(row, name) for name in HASHED_FIELDS}
    content['at'] = row.at.isoformat(timespec='microseconds')
    content['previous'] = previous
    canonical = json.dumps(content, sort_keys=True, separators=(',', ':'), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode('utf-8')).hexdigest()


def note_lock(session, case_id) -> None:
    """Remember that this transaction holds the case row lock (so the chain need not take it)."""
    session = session() if isinstance(session, scoped_session) else session
    session.info['locked_case'] = (case_id, session.get_transaction())


def holds_lock(session, case_id) -> bool:
    held_case, transaction = session.info.get('locked_case', (None, None))
    return held_case == case_id and transaction is not None and transaction is session.get_transaction()


@sa_event.listens_for(Session, 'before_flush')
def _chain_new_events(session, _context, _instances):
    new = [obj for obj in session.new if isinstance(obj, Event)]
    if not new:
        return
    new.sort(key=lambda obj: attributes.instance_state(obj).insert_order)
    last = {}
    for row in new:
        if row.case_id not in last:
            if not holds_lock(session, row.case_id):
                session.execute(select(Case.id).where(Case.id == row.case_id).with_for_update())
            last[row.case_id] = session.scalar(
                select(Event.hash).where(Event.case_id == row.case_id).order_by(Event.id.desc()).limit(1))
        row.prev_hash = last[row.case_id]
        row.hash = event_hash(row, row.prev_hash)
        last[row.case_id] = row.hash


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
    if case_id is not None:
        query = query.where(Event.case_id == case_id)
    breaks, current, previous, broken = [], None, None, False
    for row in session.scalars(query).yield_per(2000):
        if row.case_id != current:
            current, previous, broken = row.case_id, None, False
        if broken:
            continue
        if row.prev_hash != previous:
            breaks.append(Break(row.case_id, row.id, 'no sigue al evento anterior (se borró o reordenó un evento)'))
            broken = True
        elif row.hash != event_hash(row, previous):
            breaks.append(Break(row.case_id, row.id, 'su contenido no coincide con su huella (se modificó)'))
            broken = True
        previous = row.hash
    return breaks
