"""The staff case list: one search box (radicado, client name, words of the description and,
for the roles that see contact data, email and id document), filters, sorting and paging; the
web list, its CSV and `GET /api/cases` all read `case_list_page`. Full text on PostgreSQL (the GIN
indexes of PqrsfCase), LIKE over the same folded text on SQLite. No Flask: callers hand in the
session, the user and the business calendar."""
from dataclasses import dataclass, field

from sqlalchemy import and_, exists, func, literal_column, or_, select

from app.accounts.policy import can_see_client_data
from app.engine.models import Case, HumanTask, HumanTaskGroup
from app.platform.i18n import N_
from app.cases.models import PqrsfCase
from app.cases.search_text import fold
from app.cases.vocabulary import BRANCHES, CASE_TYPE_CODES
from app.tasks.queries import (COUNT_CAP, DEADLINE_STATES, MAX_PAGE, PAGE_SIZE, BadFilter, Count, _cutoffs,
                               _deadline, _deadline_conditions)

STATES = {'running': N_('En trámite'), 'completed': N_('Cerrado')}
SORTS = {'radicado': PqrsfCase.radicado, 'state': Case.state, 'type': PqrsfCase.case_type,
         'received': PqrsfCase.received_at, 'legal_due': PqrsfCase.legal_due_at,
         'answer_due': PqrsfCase.answer_due_at}
DIRECTIONS = ('asc', 'desc')
MAX_QUERY = 200
CSV_MAX = 5000  # rows of one CSV; past it the file says it stopped


@dataclass
class CaseFilters:
    q: str | None = None
    state: str | None = None
    case_type: str | None = None
    branch: str | None = None
    deadline: str | None = None
    holder: str | None = None
    sort: str = 'received'
    direction: str = 'desc'
    page: int = 1

    @classmethod
    def from_args(cls, args):
        """Filters from query arguments; BadFilter names a value outside the allowed ones."""
        def pick(name, allowed=None, limit=100):
            value = args.get(name)
            value = (value.strip() if isinstance(value, str) else value) or None
            if value is not None and ((allowed is not None and value not in allowed) or len(value) > limit):
                raise BadFilter(name, ', '.join(allowed) if allowed else f'1-{limit}')
            return value
        try:
            page = int(args.get('page') or 1)
        except (TypeError, ValueError):
            raise BadFilter('page', f'1-{MAX_PAGE}') from None
        if not 1 <= page <= MAX_PAGE:
            raise BadFilter('page', f'1-{MAX_PAGE}')
        return cls(q=pick('q', limit=MAX_QUERY), state=pick('state', STATES),
                   case_type=pick('case_type', CASE_TYPE_CODES), branch=pick('branch', BRANCHES),
                   deadline=pick('deadline', DEADLINE_STATES), holder=pick('holder'),
                   sort=pick('sort', SORTS) or 'received', direction=pick('direction', DIRECTIONS) or 'desc',
                   page=page)

    def args(self, **changes) -> dict:
        """The query arguments of these filters (with `changes`), blanks left out: for links."""
        values = {'q': self.q, 'state': self.state, 'case_type': self.case_type, 'branch': self.branch,
                  'deadline': self.deadline, 'holder': self.holder, 'sort': self.sort,
                  'direction': self.direction, 'page': self.page, **changes}
        return {k: v for k, v in values.items() if v not in (None, '', 1) or (k == 'page' and v != 1)}


@dataclass
class CaseRow:
    case: PqrsfCase
    state: str
    holder: dict = field(default_factory=dict)  # {'assignees': [...], 'groups': [...]} of open tasks
    business_days_left: int | None = None
    deadline_state: str | None = None


def _vector(config, column):
    """The expression of the GIN index over `column` (PqrsfCase.__table_args__), with literals
    rather than bound values, so the planner matches it to the index."""
    return func.to_tsvector(literal_column(f"'{config}'"), func.coalesce(column, literal_column("''")))


def _words_condition(session, q: str, show_contact: bool):
    """Cases the text `q` finds: its radicado, or all its words among the public words, or (for
    `show_contact`) an email or id document equal to it."""
    folded = fold(q)
    found = [PqrsfCase.radicado == q.strip().upper()]
    if session.get_bind().dialect.name == 'postgresql':
        found.append(_vector('spanish', PqrsfCase.search_text).bool_op('@@')(func.plainto_tsquery(literal_column("'spanish'"), folded)))
        if show_contact:
            found.append(_vector('simple', PqrsfCase.contact_text).bool_op('@@')(func.plainto_tsquery(literal_column("'simple'"), folded)))
    else:
        found.append(and_(*(PqrsfCase.search_text.contains(word, autoescape=True) for word in folded.split())))
        if show_contact:
            found.append(PqrsfCase.contact_text.contains(folded, autoescape=True))
    return or_(*found)


def _holder_condition(holder: str):
    """Cases with an open task held by `holder`: assigned to them, or unassigned in that group."""
    return exists().where(HumanTask.case_id == PqrsfCase.case_id, HumanTask.state == 'open', or_(
        HumanTask.assignee == holder,
        and_(HumanTask.assignee.is_(None),
             exists().where(HumanTaskGroup.task_id == HumanTask.id, HumanTaskGroup.group == holder))))


def _conditions(session, user, filters: CaseFilters, business) -> list:
    conditions = []
    if filters.q:
        conditions.append(_words_condition(session, filters.q, can_see_client_data(user)))
    for column, value in ((Case.state, filters.state), (PqrsfCase.case_type, filters.case_type),
                          (PqrsfCase.branch, filters.branch)):
        if value:
            conditions.append(column == value)
    if filters.deadline:  # a deadline is only running while the case is
        now, soon = _cutoffs(business)
        conditions += [Case.state == 'running',
                       _deadline_conditions(now, soon, PqrsfCase.answer_due_at)[filters.deadline]]
    if filters.holder:
        conditions.append(_holder_condition(filters.holder))
    return conditions


def _holders(session, case_ids) -> dict:
    """case id -> who holds its open tasks: their assignees, else the groups of the open ones."""
    out = {}
    tasks = session.execute(select(HumanTask.id, HumanTask.case_id, HumanTask.assignee).where(
        HumanTask.case_id.in_(case_ids), HumanTask.state == 'open').order_by(HumanTask.created_at)).all()
    groups = {}
    for task_id, group in session.execute(select(HumanTaskGroup.task_id, HumanTaskGroup.group).where(
            HumanTaskGroup.task_id.in_([t.id for t in tasks if not t.assignee]))):
        groups.setdefault(task_id, []).append(group)
    for task_id, case_id, assignee in tasks:
        holder = out.setdefault(case_id, {'assignees': [], 'groups': []})
        names = [assignee] if assignee else groups.get(task_id, [])
        bucket = holder['assignees'] if assignee else holder['groups']
        bucket.extend(n for n in names if n not in bucket)
    return out


def _query(session, user, filters, business):
    return (select(PqrsfCase, Case.state).join(Case, Case.id == PqrsfCase.case_id)
            .where(*_conditions(session, user, filters, business)))


def _ordered(query, filters):
    column = SORTS[filters.sort]
    first = column.desc() if filters.direction == 'desc' else column.asc()
    return query.order_by(first.nulls_last(), PqrsfCase.case_id.desc())


def _rows(session, business, found) -> list[CaseRow]:
    holders = _holders(session, [info.case_id for info, _ in found]) if found else {}
    now, soon = _cutoffs(business)
    return [CaseRow(info, state, holders.get(info.case_id, {}),
                    *(_deadline(business, info.answer_due_at, now, soon) if state == 'running' else (None, None)))
            for info, state in found]


def case_list_page(session, user, filters: CaseFilters, business) -> tuple[list[CaseRow], Count]:
    """One page of the list and how many cases match (counted up to COUNT_CAP, or the end of
    the page asked for, so a count never reads the whole table)."""
    query = _query(session, user, filters, business)
    found = session.execute(_ordered(query, filters).limit(PAGE_SIZE)
                            .offset((filters.page - 1) * PAGE_SIZE)).all()
    cap = max(COUNT_CAP, filters.page * PAGE_SIZE)
    matching = query.with_only_columns(PqrsfCase.case_id).limit(cap + 1).subquery()
    return _rows(session, business, found), Count(session.scalar(select(func.count()).select_from(matching)), cap)


def case_rows_for_csv(session, user, filters: CaseFilters, business):
    """The rows of the list with these filters, in its order, up to CSV_MAX (then one more, so
    the caller can say the file stopped): read in pages, never all at once."""
    query = _ordered(_query(session, user, filters, business), filters)
    for start in range(0, CSV_MAX + 1, PAGE_SIZE * 8):
        found = session.execute(query.limit(min(PAGE_SIZE * 8, CSV_MAX + 1 - start)).offset(start)).all()
        yield from _rows(session, business, found)
        if len(found) < PAGE_SIZE * 8:
            return
