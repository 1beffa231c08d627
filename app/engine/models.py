"""Tables the engine writes: versions, cases, and the projections beside each workflow.

The workflow itself is one JSON column on `Case` (without its spec, which lives once per
`ProcessVersion`). Everything the task list, timers and history need is projected into its own
table on every step, so nothing has to deserialize a workflow to answer a query.
"""
from datetime import date, datetime

from sqlalchemy import (JSON, BigInteger, Date, DateTime, ForeignKey, Index, Integer, String, Text,
                        UniqueConstraint, text)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, registry
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes in and out, on SQLite (naive storage) as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        from datetime import timezone
        if value is not None and value.tzinfo is None:
            raise ValueError('naive datetime given to a UTC column')
        # SQLite keeps the wall-clock time and drops the offset: a local (Bogotá) moment must
        # be stored as its UTC time, or it reads back hours off
        return value.astimezone(timezone.utc) if value is not None else None

    def process_result_value(self, value, dialect):
        from datetime import timezone
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc) if value is not None else None


BigId = BigInteger().with_variant(Integer, 'sqlite')
MAX_ID = 2 ** 63 - 1   # the largest value a BigId column holds
MAX_INT = 2 ** 31 - 1  # and an Integer column (PostgreSQL's integer)


class Base(DeclarativeBase):
    registry = registry(type_annotation_map={datetime: UTCDateTime, dict: JSON, list: JSON})


class ProcessVersion(Base):
    """One deployed diagram of one process id, stored once by content hash."""

    __tablename__ = 'process_version'
    __table_args__ = (UniqueConstraint('process_id', 'version'),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[str] = mapped_column(String(200), index=True)
    version: Mapped[int]
    name: Mapped[str | None] = mapped_column(String(300))
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    file_name: Mapped[str] = mapped_column(String(300))
    bpmn_xml: Mapped[str] = mapped_column(Text)
    # decision id -> DecisionVersion id of every table its business-rule tasks use, fixed when
    # this version was stored: a new table version stores a new process version (same XML)
    decision_versions: Mapped[dict] = mapped_column(default=dict)
    deployed_at: Mapped[datetime]
    deployed_by: Mapped[str] = mapped_column(String(100))


class DecisionVersion(Base):
    """One deployed DMN file (one decision table), stored once by content hash."""

    __tablename__ = 'decision_version'
    __table_args__ = (UniqueConstraint('decision_id', 'version'),)

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[str] = mapped_column(String(200), index=True)
    version: Mapped[int]
    name: Mapped[str | None] = mapped_column(String(300))
    content_hash: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(String(300))
    dmn_xml: Mapped[str] = mapped_column(Text)
    deployed_at: Mapped[datetime]
    deployed_by: Mapped[str] = mapped_column(String(100))


class Case(Base):
    """A running or finished process instance and its serialized workflow."""

    __tablename__ = 'case'

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    process_id: Mapped[str] = mapped_column(String(200), index=True)
    # the business reference people use (a PQRSF radicado), unique when given
    reference: Mapped[str | None] = mapped_column(String(40), unique=True)
    version_id: Mapped[int] = mapped_column(ForeignKey('process_version.id'), index=True)
    # process id -> version id of every diagram reachable through call activities, fixed at start
    called_versions: Mapped[dict]
    state: Mapped[str] = mapped_column(String(20), default='running', index=True)
    revision: Mapped[int] = mapped_column(default=0)
    # deferred: only the engine's steps need the (tens of KB) workflow; reads of a case skip it
    workflow: Mapped[str] = mapped_column(Text, deferred=True)
    # hash of the newest event: the head of the case's history chain (see audit.py)
    last_event_hash: Mapped[str | None] = mapped_column(String(64))
    started_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    completed_at: Mapped[datetime | None]
    # the values of the variables the process declares case-wide (`shared_variables`), as the
    # last step left them: one value per case, whatever branch or called process wrote it
    variables: Mapped[dict] = mapped_column(default=dict)


NO_PRIORITY = -2**31  # how a task without a priority sorts: after every priority an INTEGER holds


class HumanTask(Base):
    """A user task as the task list sees it; its id is the SpiffWorkflow task id."""

    __tablename__ = 'human_task'
    # the task list walks open tasks in its order (priority, higher first, then due date, then
    # creation) and stops at a page (see app/tasks/queries.py)
    __table_args__ = (Index('ix_human_task_open', 'state', 'lane'),
                      # no priority sorts last: NULLS LAST, which SQLite refuses in an index
                      Index('ix_human_task_open_order', text(f'coalesce(priority, {NO_PRIORITY}) DESC'),
                            'due_at', 'created_at',
                            postgresql_where=text("state = 'open'"), sqlite_where=text("state = 'open'")),
                      Index('ix_human_task_open_assignee', 'assignee', 'due_at',
                            postgresql_where=text("state = 'open'"), sqlite_where=text("state = 'open'")))

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[int] = mapped_column(BigId, ForeignKey('case.id'), index=True)
    process_id: Mapped[str] = mapped_column(String(200))
    element_id: Mapped[str] = mapped_column(String(200))
    name: Mapped[str | None] = mapped_column(String(300))
    # the element's name in other languages ({'en': text}, engine/facts.py `name_<locale>`)
    names: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    lane: Mapped[str | None] = mapped_column(String(200))
    candidate_groups: Mapped[list]
    form_key: Mapped[str | None] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(20), default='open')
    assignee: Mapped[str | None] = mapped_column(String(100))
    # the task's `camunda:dueDate`, else the case's deadline when the task opened (the
    # `task_due_variable` of its data), if any
    due_at: Mapped[datetime | None]
    follow_up_at: Mapped[datetime | None]  # `camunda:followUpDate`: when to look at it again
    candidate_users: Mapped[list | None]  # `camunda:candidateUsers`, evaluated when it opened
    form_fields: Mapped[list | None]  # `camunda:formData` of a task without a form key
    priority: Mapped[int | None]  # `camunda:priority`, evaluated when it opened: higher first
    created_at: Mapped[datetime]
    completed_at: Mapped[datetime | None]
    completed_by: Mapped[str | None] = mapped_column(String(100))


class HumanTaskGroup(Base):
    """One row per candidate group of a human task: an indexed way to ask "open tasks any of
    my groups may take" on every database."""

    __tablename__ = 'human_task_group'

    task_id: Mapped[str] = mapped_column(String(36), ForeignKey('human_task.id'), primary_key=True)
    group: Mapped[str] = mapped_column(String(100), primary_key=True, index=True)


class HumanTaskUser(Base):
    """One row per candidate user of a human task (`camunda:candidateUsers`): like the groups,
    an indexed way to ask "open tasks I may take"."""

    __tablename__ = 'human_task_user'

    task_id: Mapped[str] = mapped_column(String(36), ForeignKey('human_task.id'), primary_key=True)
    username: Mapped[str] = mapped_column(String(100), primary_key=True, index=True)


class Event(Base):
    """Append-only history of a case: what ran, who did it, when and with what data."""

    __tablename__ = 'event'
    __table_args__ = (Index('ix_event_case', 'case_id', 'id'),
                      Index('ix_event_milestone', 'milestone', 'case_id'))

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(BigId, ForeignKey('case.id'))
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(40))
    process_id: Mapped[str | None] = mapped_column(String(200))
    element_id: Mapped[str | None] = mapped_column(String(200))
    element_type: Mapped[str | None] = mapped_column(String(60))
    element_name: Mapped[str | None] = mapped_column(String(300))
    # the element's name in other languages ({'en': text}), beside the Spanish one above
    element_names: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    task_id: Mapped[str | None] = mapped_column(String(36))
    parent_task_id: Mapped[str | None] = mapped_column(String(36))
    data: Mapped[dict | None]
    # the element's declared facts (engine/facts.py), copied when the event is written so
    # reports filter a column: what the indicators count, what the client's timeline says
    milestone: Mapped[str | None] = mapped_column(String(40))
    public_message: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))  # {'es': text, 'en': ...}
    prev_hash: Mapped[str | None] = mapped_column(String(64))  # see audit.py: a chain per case
    hash: Mapped[str | None] = mapped_column(String(64))


class Job(Base):
    """Work the engine waits on: a service-task call or a timer. The database is the source of
    truth; RQ only carries a wake-up, and the sweep re-enqueues whatever is due and not done."""

    __tablename__ = 'job'
    __table_args__ = (UniqueConstraint('kind', 'task_id'),
                      Index('ix_job_due', 'state', 'due_at'))

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(BigId, ForeignKey('case.id'), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # service | timer
    task_id: Mapped[str] = mapped_column(String(36))
    element_id: Mapped[str] = mapped_column(String(200))
    topic: Mapped[str | None] = mapped_column(String(200))
    payload: Mapped[dict | None]
    state: Mapped[str] = mapped_column(String(12), default='pending')  # pending|done|cancelled|incident
    due_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    enqueued_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Incident(Base):
    """Something that needs an operator: a handler out of retries, or a step that failed."""

    __tablename__ = 'incident'

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(BigId, ForeignKey('case.id'), index=True)
    job_id: Mapped[int | None] = mapped_column(BigId, ForeignKey('job.id'))
    element_id: Mapped[str | None] = mapped_column(String(200))
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    resolved_at: Mapped[datetime | None]
    resolved_by: Mapped[str | None] = mapped_column(String(100))


class NonWorkingDay(Base):
    """Extra non-working days an admin adds on top of the country's public holidays."""

    __tablename__ = 'non_working_day'

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    description: Mapped[str] = mapped_column(String(200))


class Setting(Base):
    """Small shared values, e.g. the demo clock's offset, read by web and workers alike."""

    __tablename__ = 'setting'

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[dict]
