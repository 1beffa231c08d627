"""The task list: which pending tasks a user sees, filtered, counted, sorted by priority (higher
first, none last), then due date, then creation, and paged; used by the web list and the API
alike. Reads only the projections (human tasks, their groups, PQRSF case facts), never a
workflow. No Flask: callers hand in the session, the user and the business calendar."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, func, literal, literal_column, or_, select

from app.accounts.models import AreaMember, User
from app.accounts.policy import area_groups, can_work
from app.accounts.roles import AREA_FALLBACK, AREA_PREFIX
from app.engine.clock import clock
from app.engine.models import NO_PRIORITY, HumanTask, HumanTaskGroup, HumanTaskUser
from app.platform.i18n import N_
from app.cases.models import PqrsfCase
from app.cases.vocabulary import CASE_TYPE_CODES

PAGE_SIZE = 25
COUNT_CAP = 500
# the list order: priority (higher first, none last), due date, creation; the open-task index
# ix_human_task_open_order holds the same expression (a literal, so the planner matches it)
DUE_ORDER = (func.coalesce(HumanTask.priority, literal_column(str(NO_PRIORITY))).desc(),
             HumanTask.due_at.asc().nulls_last(), HumanTask.created_at)
DUE_SOON_BUSINESS_DAYS = 2
DEADLINE_STATES = {'vencida': N_('Vencida'), 'por_vencer': N_('Por vencer'), 'a_tiempo': N_('A tiempo')}


SCOPES = ('all', 'mine', 'groups')
MAX_PAGE = 10_000  # 250,000 tasks deep; a page number past it is a typo or a probe


class BadFilter(ValueError):
    """A filter value outside what the list accepts: `field` names it, `allowed` says what is."""

    def __init__(self, field, allowed):
        super().__init__(field)
        self.field, self.allowed = field, allowed


@dataclass
class Filters:
    scope: str = 'all'          # mine | groups | all (mine + my groups)
    case_type: str | None = None
    branch: str | None = None
    channel: str | None = None
    deadline: str | None = None  # vencida | por_vencer | a_tiempo
    page: int = 1

    @classmethod
    def from_args(cls, args):
        """Filters from query arguments; BadFilter for a value outside the allowed ones (a blank
        one means no filter)."""
        def pick(name, allowed=None):
            value = args.get(name)
            value = (value.strip() if isinstance(value, str) else value) or None
            if value is not None and allowed is not None and value not in allowed:
                raise BadFilter(name, ', '.join(allowed))
            return value
        page = args.get('page') or 1
        try:
            page = int(page)
        except (TypeError, ValueError):
            raise BadFilter('page', f'1-{MAX_PAGE}') from None
        if not 1 <= page <= MAX_PAGE:
            raise BadFilter('page', f'1-{MAX_PAGE}')
        return cls(scope=pick('scope', SCOPES) or 'all', case_type=pick('case_type', CASE_TYPE_CODES),
                   branch=pick('branch'), channel=pick('channel'), deadline=pick('deadline', DEADLINE_STATES),
                   page=page)


@dataclass
class Row:
    task: HumanTask
    case: PqrsfCase | None
    business_days_left: int | None
    deadline_state: str | None

    @property
    def due_at(self) -> datetime | None:
        """The task's own deadline (its `camunda:dueDate`, or the case's when it opened)."""
        return due_of(self.task, self.case)


def _cutoffs(business):
    now = clock.now()
    soon = business.end_of_business_day(business.add_business_days(now, DUE_SOON_BUSINESS_DAYS))
    return now, soon


def _probe(*where):
    """EXISTS (rows matching `where`), checked for each task the list reads, in its order.
    Without the OFFSET 0, PostgreSQL turns an EXISTS under OR into a hash of every matching row
    of the table (all 100,000 open tasks of a group), built before the first row of the page:
    a page then cost in proportion to the open tasks. With it, each task is looked up through
    the primary key and the page reads only its own rows (bench/fill.py measures both sizes)."""
    return select(literal(1)).where(*where).offset(0).exists()


def _area_condition(user):
    """Open tasks of the user's area groups (accounts.policy.task_groups, in SQL): a group
    `area:<code>` they hold for every branch, or hold for the case's branch (`area:<code>:<branch>`
    against the group and the case's branch); and, for AREA_FALLBACK, tasks of an area nobody
    active is a member of for the case's branch. None when neither applies."""
    groups = area_groups(user.username)
    plain = [g for g in groups if g.count(':') == 1]
    branched = [g for g in groups if g.count(':') == 2]
    conditions = []
    if plain:
        conditions.append(_probe(HumanTaskGroup.task_id == HumanTask.id, HumanTaskGroup.group.in_(plain)))
    if branched:
        conditions.append(_probe(
            HumanTaskGroup.task_id == HumanTask.id,
            HumanTaskGroup.group.in_({g.rsplit(':', 1)[0] for g in branched}),
            (HumanTaskGroup.group + literal(':') + PqrsfCase.branch).in_(branched)))
    if AREA_FALLBACK in (user.roles or ()):
        staffed = exists().where(
            AreaMember.username == User.username, User.active.is_(True),
            literal(AREA_PREFIX) + AreaMember.area_code == HumanTaskGroup.group,
            or_(AreaMember.branch.is_(None), AreaMember.branch == PqrsfCase.branch)
        ).correlate_except(AreaMember, User)  # the task's group and case come from outside
        conditions.append(_probe(HumanTaskGroup.task_id == HumanTask.id,
                                 HumanTaskGroup.group.startswith(AREA_PREFIX), ~staffed))
    return or_(*conditions) if conditions else None


def _visible(user, scope):
    """Tasks the user may work (the rule of `auth.can_work`): theirs or their groups' unassigned
    ones, and in both cases only of their groups, area groups included (or naming them a
    candidate user), so a stray assignment lists nothing."""
    of_my_groups = or_(_probe(HumanTaskGroup.task_id == HumanTask.id,
                              HumanTaskGroup.group.in_(user.roles or ['-'])),
                       _probe(HumanTaskUser.task_id == HumanTask.id,
                              HumanTaskUser.username == user.username),
                       *[c for c in [_area_condition(user)] if c is not None])
    mine = and_(HumanTask.assignee == user.username, of_my_groups)
    in_groups = and_(HumanTask.assignee.is_(None), of_my_groups)
    return {'mine': mine, 'groups': in_groups}.get(scope, and_(
        or_(HumanTask.assignee == user.username, HumanTask.assignee.is_(None)), of_my_groups))


class Count(int):
    """A count that stopped at a cap: prints "500+" when there are more (`more`)."""

    def __new__(cls, value, cap):
        count = super().__new__(cls, min(value, cap))
        count.more = value > cap
        return count

    def __str__(self):
        return f'{int(self)}+' if self.more else str(int(self))


def _deadline_conditions(now, soon, due=HumanTask.due_at):
    return {'vencida': due < now, 'por_vencer': and_(due >= now, due <= soon), 'a_tiempo': due > soon}


def _conditions(user, filters: Filters, now, soon, with_deadline=True) -> list:
    conditions = [HumanTask.state == 'open', _visible(user, filters.scope)]
    for column, value in ((PqrsfCase.case_type, filters.case_type), (PqrsfCase.branch, filters.branch),
                          (PqrsfCase.channel, filters.channel)):
        if value:
            conditions.append(column == value)
    if with_deadline and filters.deadline:
        conditions.append(_deadline_conditions(now, soon)[filters.deadline])
    return conditions


def _joined(*columns):
    return select(*columns).select_from(HumanTask).outerjoin(PqrsfCase, PqrsfCase.case_id == HumanTask.case_id)


def _count(session, conditions, cap, ordered=True) -> Count:
    """How many rows match, reading at most cap + 1 of them (a count never scans everything).
    `ordered`: read them in the page's order, so the planner walks the open-task indexes instead
    of filtering the whole table; not when filtering on case facts, where it would sort."""
    matching = _joined(HumanTask.id).where(*conditions)
    matching = (matching.order_by(*DUE_ORDER) if ordered else matching).limit(cap + 1).subquery()
    return Count(session.scalar(select(func.count()).select_from(matching)), cap)


def _counts(session, conditions, cap, named, ordered=True) -> dict:
    """Counts of several disjoint conditions among the rows matching `conditions`: one statement
    over the first cap + 1 rows; exact when they are all of them, else one bounded count each.
    `named(due_at, assignee)` gives the conditions over those two columns."""
    first = _joined(HumanTask.due_at, HumanTask.assignee).where(*conditions)
    first = (first.order_by(*DUE_ORDER) if ordered else first).limit(cap + 1).subquery()
    over_first = named(first.c.due_at, first.c.assignee)
    everything, *each = session.execute(select(func.count(), *(
        func.count().filter(c) for c in over_first.values())).select_from(first)).one()
    if everything <= cap:
        return {name: Count(n, cap) for name, n in zip(over_first, each)}
    return {name: _count(session, [*conditions, c], cap, ordered)
            for name, c in named(HumanTask.due_at, HumanTask.assignee).items()}


def task_page(session, user, filters: Filters, business, counts=True):
    """(rows, total, counts by deadline state, counts by scope) for one page; the counts are
    None unless asked for. Open tasks are read in due order from an index and every count stops
    at COUNT_CAP (or the end of the page asked for), so a page costs the same at 100 or
    100,000 open tasks. `business` is the calendar that says what is due soon."""
    now, soon = _cutoffs(business)
    cap = max(COUNT_CAP, filters.page * PAGE_SIZE)
    conditions = _conditions(user, filters, now, soon)
    rows = session.execute(_joined(HumanTask, PqrsfCase).where(*conditions)
                           .order_by(*DUE_ORDER)
                           .limit(PAGE_SIZE).offset((filters.page - 1) * PAGE_SIZE)).all()
    ordered = not (filters.case_type or filters.branch or filters.channel)
    total = _count(session, conditions, cap, ordered)
    by_state = by_scope = None
    if counts:
        by_state = _counts(session, _conditions(user, filters, now, soon, with_deadline=False), cap,
                           lambda due, assignee: _deadline_conditions(now, soon, due), ordered)
        by_scope = _counts(session, _conditions(user, Filters(), now, soon), cap,
                           lambda due, assignee: {'mine': assignee == user.username,
                                                  'groups': assignee.is_(None)})
    return ([Row(task, info, *_deadline(business, due_of(task, info), now, soon)) for task, info in rows],
            total, by_state, by_scope)


def workable_in_case(session, user, case_id, business) -> list[Row]:
    """The case's open tasks `user` may work, oldest first: offered right after they complete
    one of its tasks, so whoever works a case through goes on without coming back to the list.
    A case has a handful of open tasks: they are read by the case and checked with the very
    rule that lets a user complete a task."""
    rows = [(task, info) for task, info in session.execute(
        _joined(HumanTask, PqrsfCase).where(HumanTask.case_id == case_id, HumanTask.state == 'open')
        .order_by(HumanTask.created_at, HumanTask.id)) if can_work(user, task)]
    if not rows:
        return []
    now, soon = _cutoffs(business)
    return [Row(task, info, *_deadline(business, due_of(task, info), now, soon)) for task, info in rows]


def due_of(task: HumanTask, info: PqrsfCase | None) -> datetime | None:
    """What the list counts down to: the task's due date (which the deadline filter reads too),
    else its case's answer deadline."""
    return task.due_at or (info.answer_due_at if info is not None else None)


def _deadline(business, due: datetime | None, now, soon) -> tuple[int | None, str | None]:
    if due is None:
        return None, None
    state = 'vencida' if due < now else 'por_vencer' if due <= soon else 'a_tiempo'
    return business.business_days_between(now, due), state


def deadline_of(info: PqrsfCase | None, business):
    """(business days left, state) of one case, for pages that show a single one."""
    now, soon = _cutoffs(business)
    return _deadline(business, info.answer_due_at if info is not None else None, now, soon)


def task_deadline(task: HumanTask, info: PqrsfCase | None, business):
    """(business days left, state) of one task, for its page."""
    now, soon = _cutoffs(business)
    return _deadline(business, due_of(task, info), now, soon)
